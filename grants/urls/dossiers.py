"""Pages: dossiers."""

from django.urls import path

from grants.views import dossiers as views

urlpatterns: list = [
    path("applications/<int:pk>/dossier/", views.dossier_page, name="dossier_page"),
    path(
        "applications/<int:pk>/dossier/panel/",
        views.dossier_panel_fragment,
        name="dossier_panel",
    ),
    path(
        "applications/<int:pk>/dossier/generate/",
        views.dossier_generate,
        name="dossier_generate",
    ),
    path("dossiers/<int:pk>/pdf/", views.dossier_download, name="dossier_download"),
]
