"""Django admin of the grants app: one module per area, registered on import."""

from grants.admin import applications, catalogue, dossiers, reminders  # noqa: F401
