"""Grants API (/api/v1/). Each area keeps its routes in its own module, joined here."""

from grants.api import applications, catalogue, dossiers, matches, reminders

urlpatterns = [
    *catalogue.urlpatterns,
    *matches.urlpatterns,
    *applications.urlpatterns,
    *dossiers.urlpatterns,
    *reminders.urlpatterns,
]
