"""Page panels: how a higher layer adds a section to a lower layer's page.

A panel is a callable (request, obj) -> rendered HTML, or "" to show nothing. Grants adds the
matches to the project page, the applications to the company page, the dossier to the
application page and its dashboard sections to the home page, without `companies` or `core`
importing `grants`.

Home-page panels that only read may be cached (`cached=True`): per user and language, until
the data changes. Every save or delete of a companies or grants row bumps one data version
(`data_changed`), which is part of each cache key, so a change shows on the next page load;
writes that bypass signals (bulk updates, the reminder sweep) show within `PANEL_CACHE_SECONDS`.
A cached panel must not contain a form (its CSRF token would go stale). A whole page may be
cached per user with `page_cache_key`, which keys on the CSRF secret instead.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language

Panel = Callable[[Any, Any], str]
PAGES = ("home", "company", "project", "application")
PANEL_CACHE_SECONDS = 60
VERSION_KEY = "panels:data-version"


@dataclass(frozen=True)
class _Entry:
    order: int
    panel: Panel
    cached: bool


_panels: dict[str, list[_Entry]] = {page: [] for page in PAGES}


def add(page: str, panel: Panel, *, order: int = 50, cached: bool = False) -> None:
    if all(entry.panel is not panel for entry in _panels[page]):
        _panels[page].append(_Entry(order, panel, cached))
        _panels[page].sort(key=lambda entry: entry.order)


def remove(page: str, panel: Panel) -> None:
    _panels[page] = [entry for entry in _panels[page] if entry.panel is not panel]


def registered(page: str) -> list[Panel]:
    return [entry.panel for entry in _panels[page]]


def data_changed(**kwargs) -> None:
    """Invalidate every cached panel (a signal receiver: any save or delete of tenant data)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(VERSION_KEY, 1, None)


def page_cache_key(request: Any, page: str) -> str | None:
    """A key for a whole signed-in page, or None when the page must be rendered afresh.

    The page's forms carry CSRF tokens: they stay valid for the same CSRF secret, which is part
    of the key. Flash messages are shown once, so a request that has some is never served from
    the cache. The unread-notification badge and the user's name are in the key too.
    """
    from django.contrib.messages import get_messages

    user = getattr(request, "user", None)
    secret = request.META.get("CSRF_COOKIE")
    if user is None or not user.is_authenticated or not secret or len(get_messages(request)):
        return None
    from core.context_processors import unread_notifications

    unread = unread_notifications(request)
    version = cache.get_or_set(VERSION_KEY, 1, None)
    fingerprint = hashlib.sha256(f"{secret}|{user.get_full_name()}".encode()).hexdigest()[:16]
    return f"page:{page}:{user.pk}:{get_language()}:{version}:{unread}:{fingerprint}"


def _key(page: str, panel: Panel, user_id: int, version: int) -> str:
    return (
        f"panel:{page}:{panel.__module__}.{panel.__qualname__}:{user_id}:{get_language()}:{version}"
    )


def render(page: str, request: Any, obj: Any = None) -> list[str]:
    entries = _panels[page]
    user = getattr(request, "user", None)
    cacheable = [e for e in entries if e.cached and obj is None and user and user.is_authenticated]
    found: dict[str, str] = {}
    keys: dict[Panel, str] = {}
    if cacheable:
        version = cache.get_or_set(VERSION_KEY, 1, None)
        keys = {e.panel: _key(page, e.panel, user.pk, version) for e in cacheable}
        found = cache.get_many(list(keys.values()))
    rendered = []
    for entry in entries:
        key = keys.get(entry.panel)
        if key is not None and key in found:
            html = found[key]
        else:
            html = entry.panel(request, obj)
            if key is not None:
                cache.set(key, html, PANEL_CACHE_SECONDS)
        if html:
            rendered.append(html)
    return rendered
