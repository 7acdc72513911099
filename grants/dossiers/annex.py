"""The annex: what each uploaded document becomes in the dossier.

The latest version per checklist slot, in checklist order. A PDF is checked and cleaned here
(decrypted if it opens without a password, every page loaded, annotations and actions left out,
copied into a fresh file) before the dossier is laid out, so its page count is known and a broken
upload is found before it can break the pack. Images become `data:` URLs for the renderer.
Word and Excel files are listed, not converted. Whatever cannot be included gets a reason.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile
from pypdf import PasswordType, PdfReader, PdfWriter

from grants.dossiers import render
from grants.dossiers.labels import Bilingual, both, pair
from grants.models import Document

logger = logging.getLogger("grantdesk.dossiers")

MAX_ANNEX_PAGES = 300  # per document; a longer upload is listed, not appended
MAX_IMAGE_PIXELS = 25_000_000  # a 5,000 × 5,000 scan

PDF, IMAGE, LISTED, NOT_INCLUDED = "pdf", "image", "listed", "not_included"
OFFICE_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OFFICE_EXTENSIONS = (".docx", ".xlsx")
# Page-level keys never copied from an upload: annotations (file attachments, links, scripts),
# additional actions, article threads.
EXCLUDED_PAGE_KEYS = ("/Annots", "/AA", "/B")

REASONS = {
    "encrypted": _(
        "Not included: the PDF is protected by a password (encrypted) and cannot be opened."
    ),
    "damaged": _("Not included: the file is damaged or incomplete and cannot be read."),
    "too_long": _("Not included: the PDF has too many pages to be appended."),
    "image_bad": _("Not included: the image is damaged or cannot be read."),
    "image_large": _("Not included: the image is too large to be placed on a page."),
    "missing_file": _("Not included: the stored file could not be found."),
    "office": _(
        "Listed only: Word and Excel files are not converted. The original file is kept in "
        "Grantdesk; its SHA-256 identifies it."
    ),
    "other": _("Listed only: this kind of file is not included in the PDF."),
}


class AnnexRefused(Exception):
    """An upload that cannot go into the pack; `code` names the reason, `detail` says more.

    The detail is printed on the separator page, so it is bilingual like the rest of the
    dossier: a message marked with `gettext_noop` and its values, translated in each language.
    """

    def __init__(self, code: str, message: str = "", **values: Any):
        self.code = code
        self.detail = both(lambda: gettext(message) % values) if message else Bilingual("", "")
        super().__init__(self.detail.en or code)


def _cause(exc: BaseException) -> dict[str, str]:
    """The technical cause of a failure (a library's own words: not translated)."""
    return {"cause": f"{type(exc).__name__}: {exc}".strip().rstrip(":")}


TECHNICAL_CAUSE = gettext_noop("technical cause: %(cause)s")


@dataclass
class AnnexItem:
    number: int
    document: Document
    slot: Bilingual
    kind: str
    pages: int = 0  # pages of an appended PDF
    pdf: bytes = b""  # the cleaned copy that is appended
    image_url: str = ""
    note: Bilingual | None = None
    detail: Bilingual = field(default_factory=lambda: Bilingual("", ""))

    @property
    def anchor(self) -> str:
        return f"annex-{self.number}"

    @property
    def label(self) -> str:
        return f"A{self.number}"

    @property
    def placeholder_ids(self) -> list[str]:
        """One empty page per appended page is laid out, so page numbers count them."""
        return [f"{self.anchor}-page-{n}" for n in range(1, self.pages + 1)]


def _sniff(data: bytes, document: Document) -> str:
    if data[:1024].lstrip().startswith(b"%PDF-") or document.content_type == "application/pdf":
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n") or data.startswith(b"\xff\xd8\xff"):
        return IMAGE
    name = (document.filename or "").lower()
    if document.content_type in OFFICE_TYPES or name.endswith(OFFICE_EXTENSIONS):
        return "office"
    return "other"


def clean_pdf(data: bytes) -> tuple[bytes, int]:
    """A checked, cleaned copy of an uploaded PDF and its page count, or AnnexRefused."""
    if b"%%EOF" not in data[-2048:]:
        raise AnnexRefused("damaged", gettext_noop("no end-of-file marker: the file is incomplete"))
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # unsupported or broken encryption
                raise AnnexRefused("encrypted", TECHNICAL_CAUSE, **_cause(exc)) from exc
            if opened == PasswordType.NOT_DECRYPTED:
                raise AnnexRefused("encrypted", gettext_noop("a password is needed to open it"))
        count = len(reader.pages)
        if count == 0:
            raise AnnexRefused("damaged", gettext_noop("the file has no pages"))
        if count > MAX_ANNEX_PAGES:
            raise AnnexRefused(
                "too_long",
                gettext_noop("%(count)d pages; at most %(max)d"),
                count=count,
                max=MAX_ANNEX_PAGES,
            )
        writer = PdfWriter()
        writer.append(reader, import_outline=False, excluded_fields=EXCLUDED_PAGE_KEYS)
        for page in writer.pages:
            page.get_contents()  # every content stream must load
        out = BytesIO()
        writer.write(out)
    except AnnexRefused:
        raise
    except Exception as exc:
        raise AnnexRefused("damaged", TECHNICAL_CAUSE, **_cause(exc)) from exc
    return out.getvalue(), count


def image_data_url(data: bytes) -> str:
    """A `data:` URL of a PNG or JPEG that Pillow can read whole, or AnnexRefused."""
    # WeasyPrint tells Pillow to accept truncated images (process-wide); the check must not.
    with render.render_lock():
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            return _checked_data_url(data)
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _checked_data_url(data: bytes) -> str:
    try:
        with Image.open(BytesIO(data)) as image:
            image_format = image.format
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise AnnexRefused(
                    "image_large",
                    gettext_noop("%(width)d × %(height)d pixels"),
                    width=width,
                    height=height,
                )
            image.draft("RGB", (2000, 2000))  # JPEG: decode at a reduced size, enough to check
            image.load()
    except AnnexRefused:
        raise
    except Exception as exc:
        raise AnnexRefused("image_bad", TECHNICAL_CAUSE, **_cause(exc)) from exc
    mime = {"PNG": "image/png", "JPEG": "image/jpeg"}.get(image_format or "")
    if mime is None:
        raise AnnexRefused(
            "image_bad",
            gettext_noop("unexpected image format %(format)s"),
            format=image_format or "?",
        )
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _read(document: Document) -> bytes:
    try:
        with document.file.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError) as exc:
        raise AnnexRefused("missing_file", TECHNICAL_CAUSE, cause=type(exc).__name__) from exc


def annex_item(number: int, document: Document) -> AnnexItem:
    slot = pair(document.slot.name_en, document.slot.name_zh)
    item = AnnexItem(number=number, document=document, slot=slot, kind=NOT_INCLUDED)
    try:
        data = _read(document)
        kind = _sniff(data, document)
        if kind == PDF:
            item.pdf, item.pages = clean_pdf(data)
            item.kind = PDF
        elif kind == IMAGE:
            item.image_url = image_data_url(data)
            item.kind = IMAGE
        else:
            item.kind = LISTED
            item.note = both(REASONS[kind])
    except AnnexRefused as refused:
        logger.info(
            "dossier annex: %s not included (%s: %s)",
            document.pk,
            refused.code,
            refused.detail.en,
        )
        item.kind = NOT_INCLUDED
        item.note = both(REASONS[refused.code])
        item.detail = refused.detail
    return item


def annex_items(documents: list[Document]) -> list[AnnexItem]:
    """One item per document (already the latest per slot, in checklist order)."""
    return [annex_item(number, document) for number, document in enumerate(documents, start=1)]
