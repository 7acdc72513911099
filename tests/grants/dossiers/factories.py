"""Factories and sample files for the dossier tests."""

from __future__ import annotations

import hashlib
from io import BytesIO

import factory
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfWriter

from grants.models import Document, Dossier
from tests.factories import DocumentSlotFactory


def blank_pdf(pages: int, *, width: float = 595, height: float = 842) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=width, height=height)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def text_pdf(*lines: str) -> bytes:
    """A one-page-per-line PDF whose text pdftotext can read (made by the renderer itself)."""
    from grants.dossiers import render

    body = "".join(f'<p style="break-after: page">{line}</p>' for line in lines)
    return render.html_to_pdf(f"<html><body>{body}</body></html>").content


def encrypted_pdf(pages: int = 1, password: str = "s3cret") -> bytes:  # noqa: S107
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-256")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def png_bytes(size=(240, 160), colour=(20, 90, 160)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(size=(320, 200), colour=(200, 60, 30)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, colour).save(out, format="JPEG")
    return out.getvalue()


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class DocumentFactory(factory.django.DjangoModelFactory):
    """An upload stored as the upload service would store it (content, size, SHA-256)."""

    class Meta:
        model = Document
        exclude = ("data",)

    data = factory.LazyFunction(lambda: blank_pdf(1))
    application = None
    slot = factory.LazyAttribute(lambda o: DocumentSlotFactory(programme=o.application.programme))
    version = 1
    filename = "upload.pdf"
    content_type = factory.LazyAttribute(
        lambda o: CONTENT_TYPES.get(o.filename.rsplit(".", 1)[-1], "application/octet-stream")
    )
    size = factory.LazyAttribute(lambda o: len(o.data))
    sha256 = factory.LazyAttribute(lambda o: hashlib.sha256(o.data).hexdigest())
    file = factory.LazyAttribute(lambda o: ContentFile(o.data, name=o.filename))
    uploaded_at = factory.LazyFunction(timezone.now)


class DossierFactory(factory.django.DjangoModelFactory):
    """A stored dossier row (without rendering); `ready=True` gives it a small PDF file."""

    class Meta:
        model = Dossier
        skip_postgeneration_save = True

    application = None
    status = Dossier.Status.PENDING
    requested_at = factory.LazyFunction(timezone.now)

    class Params:
        ready = factory.Trait(
            status=Dossier.Status.READY,
            generated_at=factory.LazyFunction(timezone.now),
            pages=1,
        )

    @factory.post_generation
    def with_file(self, create, extracted, **kwargs):
        if self.status != Dossier.Status.READY or self.file:
            return
        data = blank_pdf(1)
        self.file.save("dossier.pdf", ContentFile(data), save=False)
        Dossier.objects.filter(pk=self.pk).update(
            file=self.file.name, size=len(data), sha256=hashlib.sha256(data).hexdigest()
        )
        self.size = len(data)
        self.sha256 = hashlib.sha256(data).hexdigest()
