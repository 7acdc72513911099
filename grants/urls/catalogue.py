"""Pages: catalogue."""

from django.urls import path

from grants.views import catalogue as views

urlpatterns = [
    path("programmes/", views.programme_list, name="catalogue"),
    path("programmes/<slug:code>/", views.programme_detail, name="programme_detail"),
    path("policies/", views.policy_list, name="policies"),
    path("areas/", views.area_list, name="areas"),
]
