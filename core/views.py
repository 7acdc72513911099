"""The home page (panels from each area), the health check and the error page."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import panels

logger = logging.getLogger("grantdesk.health")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unavailable")
        return False


def _broker_ok() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            _ = conn.default_channel  # opening a channel proves the broker answered
        return True
    except Exception:
        logger.warning("health check: broker unavailable", exc_info=True)
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    database = _database_ok()
    broker = _broker_ok()
    body = {
        "status": "ok" if database else "unavailable",
        "database": "ok" if database else "unavailable",
        "broker": "ok" if broker else "unavailable",
    }
    return JsonResponse(body, status=200 if database else 503)


def home(request):
    """The dashboard: the same for a user until data changes (see core.panels), so it is
    served from the cache between changes; it is what every user opens first and most."""
    key = panels.page_cache_key(request, "home")
    if key is not None and (content := cache.get(key)) is not None:
        return HttpResponse(content)
    response = render(request, "core/home.html", {"panels": panels.render("home", request)})
    if key is not None and response.status_code == 200:
        cache.set(key, response.content, panels.PANEL_CACHE_SECONDS)
    return response


def server_error(request):
    """The 500 page in the active language (LocaleMiddleware chose it), without the database.

    It is rendered without the request on purpose: the context processors (unread-notification
    count, membership) query the database, and the error being answered may be that the
    database is down. The template needs only static URLs and translations.
    """
    return HttpResponse(render_to_string("500.html"), status=500)
