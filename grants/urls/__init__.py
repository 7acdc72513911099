"""Grants pages. Each area keeps its routes in its own module, joined here."""

from grants.urls import applications, catalogue, dashboard, dossiers, matches, reminders

app_name = "grants"

urlpatterns = [
    *catalogue.urlpatterns,
    *matches.urlpatterns,
    *applications.urlpatterns,
    *dossiers.urlpatterns,
    *reminders.urlpatterns,
    *dashboard.urlpatterns,
]
