"""API routes: reminders."""

urlpatterns: list = []
