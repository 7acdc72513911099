"""API routes: dossiers."""

urlpatterns: list = []
