"""What every page's template gets: navigation, unread notifications, membership, languages."""

from __future__ import annotations

from django.conf import settings

from core.navigation import navigation_for


def unread_notifications(request) -> int:
    """The signed-in user's unread count: one COUNT on the `notification_unread_idx`
    (user, read_at) index, made at most once per request."""
    if not hasattr(request, "_unread_notifications"):
        from accounts.models import Notification

        request._unread_notifications = (
            Notification.objects.filter(user=request.user).unread().count()
        )
    return request._unread_notifications


def grantdesk(request):
    user = getattr(request, "user", None)
    context = {"site_name": "Grantdesk", "nav_items": navigation_for(request)}
    if user is not None and user.is_authenticated:
        context["unread_notifications"] = unread_notifications(request)
        context["membership"] = getattr(user, "membership", None)
    context["LANGUAGES"] = settings.LANGUAGES
    return context
