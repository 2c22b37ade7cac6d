"""Write side of the assessment app: one business action per function (import by module)."""
