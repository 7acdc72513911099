"""Django admin: reminders."""
