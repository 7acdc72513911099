"""Pages: dashboard, reports, exports and the activity log."""

from django.urls import path

from grants.views import dashboard as views

urlpatterns: list = [
    path("reports/", views.reports, name="reports"),
    path("reports/applications/", views.applications_report, name="applications_report"),
    path("reports/applications.<str:fmt>", views.applications_export, name="applications_export"),
    path("reports/funding.<str:fmt>", views.funding_export, name="funding_export"),
    path("activity/", views.activity, name="activity"),
]
