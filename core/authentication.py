"""API sign-in: DRF's token authentication, answering in the user's saved language.

Its own module (not core/api.py): DRF imports the authentication classes named in the settings
while `rest_framework.views` loads, which core/api.py itself imports.
"""

from __future__ import annotations

from django.utils import translation
from rest_framework import authentication


class TokenAuthentication(authentication.TokenAuthentication):
    """Token sign-in that also switches to the user's saved language (else Accept-Language).

    Pages get this from `accounts.middleware.UserLanguageMiddleware`, but a token is only read
    inside DRF, after the middleware ran; DRF authenticates in `initial()`, before permissions,
    parsing and the handler, so every message of the response (field errors, refusals, 403s)
    is in that language.
    """

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            language = getattr(result[0], "language", "")
            if language and translation.check_for_language(language):
                translation.activate(language)
                request._request.LANGUAGE_CODE = translation.get_language()
        return result
