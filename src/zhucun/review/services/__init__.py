"""Write side of the review app: one business action per function (import by module)."""
