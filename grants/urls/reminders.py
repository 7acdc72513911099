"""Pages: reminders."""

urlpatterns: list = []
