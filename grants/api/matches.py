"""API routes: matches."""

urlpatterns: list = []
