"""Pages: dashboard."""

urlpatterns: list = []
