"""Django admin: catalogue."""
