from __future__ import annotations

from django.conf import settings

from core.navigation import navigation_for


def grantdesk(request):
    user = getattr(request, "user", None)
    context = {"site_name": "Grantdesk", "nav_items": navigation_for(request)}
    if user is not None and user.is_authenticated:
        from accounts.models import Notification

        context["unread_notifications"] = Notification.objects.filter(
            user=user, read_at__isnull=True
        ).count()
        context["membership"] = getattr(user, "membership", None)
    context["LANGUAGES"] = settings.LANGUAGES
    return context
