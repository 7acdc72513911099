"""URLs of the user's own pages: preferences, calendar token, notifications."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("settings/", views.preferences, name="settings"),
    path("settings/calendar/regenerate/", views.regenerate_calendar, name="regenerate_calendar"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.mark_notifications_read, name="notifications_read"),
    path("notifications/<int:pk>/", views.open_notification, name="notification_open"),
]
