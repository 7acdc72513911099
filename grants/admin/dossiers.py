"""Django admin: dossiers."""
