"""Write side of the work app: one business action per function (import by module)."""
