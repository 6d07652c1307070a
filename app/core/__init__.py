"""Framework glue with no business rules; imports nothing above it (models, services, api)."""
