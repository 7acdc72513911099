"""Uploads into an application's checklist, judged by content, every version kept."""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zipfile
from typing import IO, TYPE_CHECKING

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Membership, membership_of
from core.api import RuleRefused
from grants.activity import application_activity_record
from grants.models import Application, Document, DocumentSlot

if TYPE_CHECKING:
    from accounts.models import User

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), DOCX: (".docx",)}
EXTENSIONS[XLSX] = (".xlsx",)
MAX_NAME = 120
# Characters no file system or download header should see in a name.
_UNSAFE = re.compile(r'[<>:"|?*\x00-\x1f\x7f]')


def may_upload(application: Application, user: User) -> bool:
    """The organisation's consultants and admins, and the company's client users."""
    membership = membership_of(user)
    if membership is None or membership.organisation_id != application.organisation_id:
        return False
    if membership.role == Membership.Role.CLIENT:
        return membership.company_id == application.company_id
    return True


def sanitise_filename(name: str) -> str:
    """A safe display name: no folders, no control characters, Chinese kept, length capped."""
    name = unicodedata.normalize("NFC", name or "")
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_NAME - len(ext) - 1].rstrip(" .") + "." + ext
        else:
            name = name[:MAX_NAME]
    return name or "document"


def has_path_parts(name: str) -> bool:
    parts = re.split(r"[/\\]", name or "")
    return len(parts) > 1 or ".." in parts or bool(re.match(r"^[A-Za-z]:", name or ""))


def sniff(file: IO[bytes]) -> str | None:
    """The content type judged by the bytes (PDF, PNG, JPEG, DOCX, XLSX), else None."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else None
    if mime == PDF and head.startswith(b"%PDF-"):
        return PDF
    if mime == PNG and head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if mime == JPEG and head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(file)
    return None


def _office_kind(file: IO[bytes]) -> str | None:
    """DOCX or XLSX: an OOXML zip with its content types and the word/ or xl/ part."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def _with_extension(name: str, content_type: str) -> str:
    allowed = EXTENSIONS[content_type]
    if name.lower().endswith(allowed):
        return name
    stem = name if len(name) + len(allowed[0]) <= MAX_NAME else name[: MAX_NAME - 5]
    return stem + allowed[0]


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def name_refusal() -> ValidationError:
    return ValidationError({"file": [_("The file name may not contain folders or “..”.")]})


def size_refusal() -> ValidationError:
    limit = settings.UPLOAD_MAX_MB
    return ValidationError(
        {"file": [_("The file is larger than %(limit)d MB.") % {"limit": limit}]}
    )


def validate_upload(file: File, name: str) -> str:
    """The sniffed content type, or a ValidationError on `file` saying what is wrong."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if has_path_parts(name):
        raise name_refusal()
    if not size:
        raise ValidationError({"file": [_("The file is empty.")]})
    if size > settings.UPLOAD_MAX_MB * 1024 * 1024:
        raise size_refusal()
    content_type = sniff(file)
    if content_type is None:
        raise ValidationError(
            {
                "file": [
                    _(
                        "Only PDF, PNG, JPEG, Word (DOCX) and Excel (XLSX) files are accepted; "
                        "this file's content is none of these, whatever its name."
                    )
                ]
            }
        )
    return content_type


def document_upload(
    *, application: Application, slot_code: str, file: File | None, actor: User
) -> Document:
    """Store a new version of the slot's document. Refusals store nothing.

    ValidationError by field (`slot`, `file`) for bad input, RuleRefused when the application
    is closed, PermissionDenied for a user who may not upload.
    """
    slot = _upload_slot(application, slot_code, file, actor)
    raw_name = getattr(file, "name", "") or ""
    content_type = validate_upload(file, raw_name)
    document = Document(
        slot=slot,
        filename=_with_extension(sanitise_filename(raw_name), content_type),
        content_type=content_type,
        sha256=_sha256(file),
        size=file.size if getattr(file, "size", None) is not None else len(file.read()),
        uploaded_by=actor,
    )
    with transaction.atomic():
        # The application row lock serialises uploads, so versions never collide.
        locked = Application.objects.select_for_update().get(pk=application.pk)
        _store_version(locked, document, file)
        application_activity_record(
            application=locked,
            actor=actor,
            verb="uploaded",
            data={"slot": slot.code, "version": document.version, "document": document.pk},
        )
    return document


def _upload_slot(
    application: Application, slot_code: str, file: File | None, actor: User
) -> DocumentSlot:
    """The checklist slot to upload into, once the actor, the state and the input allow it."""
    if not may_upload(application, actor):
        raise PermissionDenied(_("You may not upload documents to this application."))
    if not application.is_live:
        raise RuleRefused(
            _("Documents can no longer be uploaded."),
            [_("The application is “%s”.") % application.get_state_display()],
        )
    slot = application.programme.document_slots.filter(code=slot_code or "").first()
    if slot is None:
        raise ValidationError({"slot": [_("This programme's checklist has no such document.")]})
    if file is None:
        raise ValidationError({"file": [_("Choose a file.")]})
    return slot


def _store_version(locked: Application, document: Document, file: File) -> None:
    """Save `document` as the slot's next version; its file goes again if the row cannot."""
    last = locked.documents.filter(slot=document.slot).aggregate(v=Max("version"))["v"] or 0
    document.application = locked
    document.version = last + 1
    document.uploaded_at = timezone.now()
    file.seek(0)
    document.file.save(document.filename, file, save=False)
    try:
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise


def checklist(application: Application) -> list[dict]:
    """The programme's slots with status: missing, or the latest version and every version."""
    documents: dict[int, list[Document]] = {}
    for doc in application.documents.select_related("uploaded_by").order_by("-version"):
        documents.setdefault(doc.slot_id, []).append(doc)
    rows = []
    for slot in application.programme.document_slots.all():
        versions = documents.get(slot.pk, [])
        rows.append(
            {
                "slot": slot,
                "latest": versions[0] if versions else None,
                "versions": versions,
                "status": "uploaded" if versions else "missing",
            }
        )
    return rows
