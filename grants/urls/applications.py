"""Pages: applications."""

from django.urls import path

from grants.views import applications as views

urlpatterns = [
    path("applications/", views.application_list, name="application_list"),
    path("applications/new/", views.application_create_view, name="application_create"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path(
        "applications/<int:pk>/transitions/<slug:name>/",
        views.application_transition_view,
        name="application_transition",
    ),
    path(
        "applications/<int:pk>/documents/",
        views.document_upload_view,
        name="document_upload",
    ),
    path("applications/<int:pk>/comments/", views.comment_add_view, name="comment_add"),
    path("documents/<int:pk>/download/", views.document_download, name="document_download"),
    path("pipeline/", views.pipeline, name="pipeline"),
]
