"""Read side of the support app: queries done in the database (import by module)."""
