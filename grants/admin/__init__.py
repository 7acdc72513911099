from grants.admin import applications, catalogue, dossiers, reminders  # noqa: F401
