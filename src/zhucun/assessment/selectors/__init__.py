"""Read side of the assessment app: queries done in the database (import by module)."""
