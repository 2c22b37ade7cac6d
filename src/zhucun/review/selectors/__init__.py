"""Read side of the review app: queries done in the database (import by module)."""
