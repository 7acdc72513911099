"""Fixtures of the workflow tests: an eligible project, a programme with a checklist, helpers
that put an application in any state and prepare what each transition's guard needs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from grants.models import Document, Dossier
from tests.factories import (
    ApplicationFactory,
    CostLineFactory,
    DocumentSlotFactory,
    ProgrammeFactory,
    ProjectFactory,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks enqueued on commit run in-process (emails land in mail.outbox)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test its own media folder, so what a test stored can be counted."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def programme(db):
    programme = ProgrammeFactory(
        code="model_voucher_test",
        name_en="Model voucher",
        name_zh="模型券",
        basis="model_service",
        ratio=Decimal("0.30"),
        cap=Decimal("1000000.00"),
    )
    DocumentSlotFactory(
        programme=programme, code="licence", name_en="Business licence", name_zh="营业执照"
    )
    DocumentSlotFactory(
        programme=programme, code="contract", name_en="Service contract", name_zh="服务合同"
    )
    DocumentSlotFactory(
        programme=programme, code="extra", name_en="Other", name_zh="其他", required=False
    )
    return programme


@pytest.fixture
def project(cast):
    """Eligible for `programme`: 2,000,000 of model service costs, estimate 600,000.00."""
    project = ProjectFactory(company=cast.company, title="Inspection model")
    CostLineFactory(project=project, kind="model_service", amount=Decimal("2000000.00"))
    return project


@pytest.fixture
def make_app(cast, project, programme):
    def _make(state: str = "draft", **kwargs):
        kwargs.setdefault("project", project)
        kwargs.setdefault("programme", programme)
        kwargs.setdefault("assignee", cast.consultant)
        kwargs.setdefault("requested_amount", Decimal("500000.00"))
        if state in ("approved", "funded", "closed"):
            kwargs.setdefault("approved_amount", Decimal("400000.00"))
        if state == "closed":
            kwargs.setdefault("disbursed_amount", Decimal("400000.00"))
        if state == "funded":
            kwargs.setdefault("disbursed_amount", Decimal("100000.00"))
        if state == "supplement_requested":
            kwargs.setdefault("supplement_deadline", timezone.now() + dt.timedelta(days=10))
        return ApplicationFactory(state=state, **kwargs)

    return _make


def upload_document(application, slot_code: str, user=None, content: bytes = PDF_BYTES):
    slot = application.programme.document_slots.get(code=slot_code)
    version = application.documents.filter(slot=slot).count() + 1
    document = Document(
        application=application,
        slot=slot,
        version=version,
        filename=f"{slot_code}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256="0" * 64,
        uploaded_by=user,
    )
    document.file.save("x.pdf", ContentFile(content), save=False)
    document.save()
    return document


def current_dossier_for(application):
    """A ready dossier generated now (the generator is the dossier issue's)."""
    return Dossier.objects.create(
        application=application, status=Dossier.Status.READY, generated_at=timezone.now()
    )


def prepare(application, name: str) -> dict:
    """Make `name`'s guards hold for the application; return the fields to pass."""
    if name == "request_review":
        upload_document(application, "licence")
        upload_document(application, "contract")
        return {}
    if name in ("return_for_changes", "reject", "withdraw"):
        return {"comment": "Reason given."}
    if name == "submit":
        current_dossier_for(application)
        return {"submission_ref": "SH-2026-001"}
    if name == "request_supplement":
        return {"supplement_deadline": timezone.now() + dt.timedelta(days=14)}
    if name == "approve":
        return {"approved_amount": Decimal("450000.00")}
    if name == "disburse":
        return {"amount": Decimal("100000.00"), "paid_on": timezone.localdate()}
    if name == "close" and application.approved_amount:
        # fully paid (as earlier disbursements would have made it)
        type(application).objects.filter(pk=application.pk).update(
            disbursed_amount=application.approved_amount
        )
        application.refresh_from_db()
    return {}
