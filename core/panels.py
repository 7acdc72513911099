"""Page panels: how a higher layer adds a section to a lower layer's page.

A panel is a callable (request, obj) -> rendered HTML, or "" to show nothing. Grants adds the
matches to the project page, the applications to the company page, the dossier to the
application page and its dashboard sections to the home page, without `companies` or `core`
importing `grants`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Panel = Callable[[Any, Any], str]
PAGES = ("home", "company", "project", "application")
_panels: dict[str, list[tuple[int, Panel]]] = {page: [] for page in PAGES}


def add(page: str, panel: Panel, *, order: int = 50) -> None:
    if all(existing is not panel for _, existing in _panels[page]):
        _panels[page].append((order, panel))
        _panels[page].sort(key=lambda item: item[0])


def render(page: str, request: Any, obj: Any = None) -> list[str]:
    return [html for _, panel in _panels[page] if (html := panel(request, obj))]
