"""Pages: dossiers."""

urlpatterns: list = []
