"""Django admin: applications."""
