"""Sign-in required for every page, and each signed-in user's language."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.utils import translation

# Paths that answer for themselves: the API (401/403 from DRF), health, the calendar feed (its
# secret token is the credential), static files, and the admin (its own sign-in).
OPEN_PREFIXES = ("/api/", "/healthz", "/calendar/", "/static/", "/admin/", "/i18n/")


class LoginRequiredMiddleware:
    """Every page but sign-in (and the prefixes above) needs a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if request.path_info.startswith(OPEN_PREFIXES):
            return None
        return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's (and follows them around)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
