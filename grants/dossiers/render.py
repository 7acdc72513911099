"""The one PDF renderer: an HTML template (or string) to PDF bytes, with WeasyPrint.

Everything in Grantdesk that makes a PDF comes through here, so the safety rules hold in one
place:

- Resources are fetched by `SafeURLFetcher` only: `data:` URLs and files inside the app's own
  static folders (resolved, so `..` and symbolic links cannot leave them). No network, no other
  file path, no redirects.
- No file is ever embedded in the PDF: `<link rel="attachment">` elements are dropped before
  layout, `<a rel="attachment">` links are dropped after it, and the document's attachment list
  is emptied before writing.
- User text reaches the HTML through Django templates with autoescaping (never `|safe`).

A WeasyPrint `FontConfiguration` is created once per process and reused: fontconfig's scan of
the system fonts (CJK fonts are large) is then paid once per worker, not once per dossier. Fonts
are named by the stylesheet ("Noto Sans CJK SC", then "WenQuanYi Micro Hei") on `html` and on
the page-margin boxes, and documents say `lang="zh-CN"`, so Pango picks Simplified Chinese
glyphs.
"""

from __future__ import annotations

import logging
import mimetypes
import threading
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

# WeasyPrint narrates each step of every render at INFO; keep its warnings and errors only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_font_config: FontConfiguration | None = None
_font_config_lock = threading.Lock()
# WeasyPrint makes no promise about sharing one FontConfiguration between threads; a worker
# process renders one document at a time anyway, and a threaded web server (eager mode) waits.
_render_lock = threading.Lock()


class URLRefused(ValueError):
    """The renderer asked for a resource it may not fetch."""


def font_config() -> FontConfiguration:
    """This process's FontConfiguration, created on first use."""
    global _font_config
    if _font_config is None:
        with _font_config_lock:
            if _font_config is None:
                _font_config = FontConfiguration()
    return _font_config


def render_lock() -> threading.Lock:
    """Held while WeasyPrint works (for checks that must not run beside a render)."""
    return _render_lock


def static_roots() -> tuple[Path, ...]:
    """The app's own static folders: the project's `static/` and each local app's `static/`."""
    base = Path(settings.BASE_DIR).resolve()
    roots = [base / "static"]
    for config in apps.get_app_configs():
        app_path = Path(config.path).resolve()
        if app_path.is_relative_to(base) and ".venv" not in app_path.parts:
            roots.append(app_path / "static")
    return tuple(root.resolve() for root in roots if root.is_dir())


def static_file_url(relative: str) -> str:
    """The `file://` URL of one of the app's static files (for stylesheets and images)."""
    found = finders.find(relative)
    if not found:
        raise FileNotFoundError(relative)
    return path2url(str(Path(found).resolve()))


class SafeURLFetcher(URLFetcher):
    """Fetches `data:` URLs and files inside `roots`; refuses everything else.

    Refusals raise `URLRefused`; WeasyPrint logs them and leaves the resource out, so a
    hostile URL costs an empty image, never a request or a leaked file.
    """

    def __init__(self, roots: tuple[Path, ...] | None = None):
        super().__init__(timeout=1, allowed_protocols=("data", "file"), allow_redirects=False)
        self.roots = static_roots() if roots is None else roots

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            return self._static_file(url)
        raise URLRefused(f"the PDF renderer fetches no {scheme or 'relative'} URL: {url[:200]}")

    def _data(self, url: str) -> URLFetcherResponse:
        # Only ever a data: URL here (checked by the caller): parsed by the standard library.
        response = urllib.request.DataHandler().data_open(urllib.request.Request(url))  # noqa: S310
        return URLFetcherResponse(url[:64], response.read(), dict(response.headers))

    def _static_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise URLRefused(f"the PDF renderer fetches no remote file: {url[:200]}")
        path = Path(urllib.request.url2pathname(unquote(parts.path))).resolve()
        if not any(path.is_relative_to(root) for root in self.roots) or not path.is_file():
            raise URLRefused(f"the PDF renderer fetches only the app's static files: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path2url(str(path)), path.read_bytes(), {"Content-Type": content_type}
        )


@dataclass(frozen=True)
class Metadata:
    """PDF document information. Given here, it overrides the HTML's <title> and <meta>."""

    title: str = ""
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()


def _drop_attachment_links(html: weasyprint.HTML) -> None:
    """Remove <link rel="attachment"> and attachment rels before WeasyPrint reads them."""
    root = html.etree_element
    for parent in list(root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str):
                continue
            rel = (child.get("rel") or "").lower().split()
            if "attachment" not in rel:
                continue
            if child.tag == "link":
                parent.remove(child)
            else:
                child.attrib.pop("rel", None)


def _sanitise(document: weasyprint.Document, metadata: Metadata | None) -> None:
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    if metadata is not None:
        document.metadata.title = metadata.title or document.metadata.title
        if metadata.author:
            document.metadata.authors = [metadata.author]
        document.metadata.description = metadata.subject or document.metadata.description
        if metadata.keywords:
            document.metadata.keywords = list(metadata.keywords)


def layout(html: str, *, metadata: Metadata | None = None) -> weasyprint.Document:
    """Parse and lay out an HTML string: a WeasyPrint Document, sanitised, ready to write."""
    with _render_lock:
        parsed = weasyprint.HTML(string=html, url_fetcher=SafeURLFetcher(), base_url=None)
        _drop_attachment_links(parsed)
        document = parsed.render(font_config=font_config())
    _sanitise(document, metadata)
    return document


def write(document: weasyprint.Document, pages: list | None = None) -> bytes:
    """The PDF bytes of a laid-out document (or of some of its pages)."""
    if pages is not None:
        document = document.copy(pages)
    document.metadata.attachments = []
    with _render_lock:
        return document.write_pdf(attachments=None)


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int


def html_to_pdf(html: str, *, metadata: Metadata | None = None) -> RenderedPdf:
    document = layout(html, metadata=metadata)
    return RenderedPdf(write(document), len(document.pages))


def template_to_pdf(
    template_name: str, context: dict, *, metadata: Metadata | None = None
) -> RenderedPdf:
    """Render a Django template (autoescaped) to PDF."""
    return html_to_pdf(render_to_string(template_name, context), metadata=metadata)


__all__ = [
    "Metadata",
    "RenderedPdf",
    "SafeURLFetcher",
    "URLRefused",
    "font_config",
    "html_to_pdf",
    "layout",
    "static_file_url",
    "static_roots",
    "template_to_pdf",
    "write",
]
