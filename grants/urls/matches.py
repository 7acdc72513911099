"""Pages: matches."""

urlpatterns: list = []
