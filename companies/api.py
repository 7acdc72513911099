"""Companies and projects API."""

urlpatterns: list = []
