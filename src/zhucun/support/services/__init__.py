"""Write side of the support app: one business action per function (import by module)."""
