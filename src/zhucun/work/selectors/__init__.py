"""Read side of the work app: queries done in the database (import by module)."""
