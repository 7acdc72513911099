"""Pages: matches (a project's programmes) and the consultants' opportunities."""

from django.urls import path

from grants.views import matches as views

urlpatterns = [
    path("projects/<int:pk>/matches/", views.project_matches, name="project_matches"),
    path("opportunities/", views.opportunities, name="opportunities"),
]
