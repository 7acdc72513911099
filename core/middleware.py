"""Request logging: one line per request, with the user and organisation bound."""

from __future__ import annotations

import logging
import time

from core.logging import bind, reset

logger = logging.getLogger("grantdesk.request")


class RequestLogMiddleware:
    """One log line per request, with the organisation and user bound for everything logged."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        token = bind(user="-", org="-")
        try:
            self._bind_user(request)
            response = self.get_response(request)
            # API requests authenticate inside the view (token): bind again for the log line.
            self._bind_user(request)
            if not request.path.startswith("/static/"):
                logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            reset(token)

    @staticmethod
    def _bind_user(request) -> None:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership = getattr(user, "membership", None)
            bind(user=user.username, org=membership.organisation_id if membership else "-")
