"""Downloads of stored files: an application's documents and its dossiers' PDFs.

One permission-checked response each, served by the pages and the API alike. A file is never
reachable by a media URL: it is found through `visible_to(user)` first, so another
organisation's file (or another client's) is a 404, then streamed as an attachment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from grants.models import Application, Document, Dossier

if TYPE_CHECKING:
    from accounts.models import User


def attachment(
    file: FieldFile, *, filename: str, content_type: str, cache_control: str = ""
) -> FileResponse:
    """The stored file as a download named `filename`; a file gone from storage is a 404."""
    try:
        handle = file.open("rb")
    except (OSError, ValueError):  # missing from storage, or no file recorded
        raise Http404
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=content_type
    )
    if cache_control:
        response["Cache-Control"] = cache_control
    return response


def document_response(document: Document) -> FileResponse:
    """The file as an attachment under its sanitised name (RFC 5987 for non-ASCII names)."""
    return attachment(
        document.file,
        filename=document.filename,
        content_type=document.content_type,
        cache_control="private, no-store",
    )


def document_download(user: User, pk: int) -> FileResponse:
    """A document of an application the user may see (any version), else 404."""
    visible = Application.objects.visible_to(user)
    document = get_object_or_404(Document.objects.filter(application__in=visible), pk=pk)
    return document_response(document)


def dossier_download(user: User, pk: int) -> FileResponse:
    """A ready dossier's PDF, for anyone who may see its application, else 404."""
    dossier = get_object_or_404(
        Dossier.objects.visible_to(user).ready().select_related("application"), pk=pk
    )
    return attachment(
        dossier.file,
        filename=dossier.download_name,
        content_type="application/pdf",
        cache_control="private, no-store",
    )
