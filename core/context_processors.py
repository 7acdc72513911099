"""What every page's template gets: navigation, unread notifications, membership, languages."""

from __future__ import annotations

from django.conf import settings

from core.navigation import navigation_for


def grantdesk(request):
    user = getattr(request, "user", None)
    context = {"site_name": "Grantdesk", "nav_items": navigation_for(request)}
    if user is not None and user.is_authenticated:
        from accounts.models import Notification

        # One COUNT on the `notification_unread_idx` (user, read_at) index, on every page.
        context["unread_notifications"] = Notification.objects.filter(user=user).unread().count()
        context["membership"] = getattr(user, "membership", None)
    context["LANGUAGES"] = settings.LANGUAGES
    return context
