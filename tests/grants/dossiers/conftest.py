"""Fixtures of the dossier tests: an application with a full record to render."""

from __future__ import annotations

import datetime as dt
import http.server
import shutil
import subprocess
import threading
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

from companies.models import Contact
from grants.dossiers import render
from grants.models import ApplicationComment, TransitionLog
from tests.factories import (
    ApplicationFactory,
    CostLineFactory,
    DocumentSlotFactory,
    PriorityAreaFactory,
    ProgrammeFactory,
    ProjectFactory,
)
from tests.services import need_cjk_fonts, need_poppler


@pytest.fixture
def programme(db):
    return ProgrammeFactory(
        code="compute_lease_test",
        name_en="AI computing-power lease subsidy",
        name_zh="算力租赁补贴（算力券）",
        basis="compute_lease",
        ratio=Decimal("0.30"),
        cap=Decimal("5000000.00"),
        max_months=12,
        exclude_related_party=True,
    )


@pytest.fixture
def slots(programme):
    return [
        DocumentSlotFactory(
            programme=programme,
            code="business_licence",
            name_en="Business licence",
            name_zh="营业执照",
            position=1,
        ),
        DocumentSlotFactory(
            programme=programme,
            code="contract",
            name_en="Contract",
            name_zh="合同",
            position=2,
        ),
        DocumentSlotFactory(
            programme=programme,
            code="invoices",
            name_en="Invoices",
            name_zh="发票",
            position=3,
            required=False,
        ),
    ]


@pytest.fixture
def application(cast, programme, slots):
    """An application of the cast's company with costs, history and a comment."""
    PriorityAreaFactory(code="large_models", name_en="Large-model stack", name_zh="大模型")
    PriorityAreaFactory(code="manufacturing", name_en="Manufacturing", name_zh="智能制造")
    Contact.objects.create(company=cast.company, name="王伟", title="CFO", email="wang@example.com")
    project = ProjectFactory(
        company=cast.company,
        title="Industrial inspection model 工业质检大模型",
        summary="基于大模型的工业视觉质检平台。\nA large-model platform for visual inspection.",
    )
    CostLineFactory(
        project=project,
        kind="compute_lease",
        amount=Decimal("2400000.00"),
        months=24,
        supplier="上海算力有限公司",
        description="GPU cluster lease",
    )
    CostLineFactory(
        project=project,
        kind="compute_lease",
        amount=Decimal("600000.00"),
        months=6,
        supplier="Pudong Compute",
        description="Inference servers",
    )
    CostLineFactory(
        project=project,
        kind="compute_lease",
        amount=Decimal("100000.00"),
        related_party=True,
        supplier="Sister company",
        description="Related lease",
    )
    CostLineFactory(project=project, kind="rd_investment", amount=Decimal("800000.00"))
    application = ApplicationFactory(
        project=project,
        programme=programme,
        requested_amount=Decimal("540000.00"),
        created_by=cast.consultant,
        assignee=cast.consultant,
    )
    TransitionLog.objects.create(
        application=application,
        transition="start",
        from_state="draft",
        to_state="preparing",
        actor=cast.consultant,
        comment="开始准备材料",
    )
    ApplicationComment.objects.create(
        application=application, author=cast.client_user, body="营业执照已上传。"
    )
    return application


# Estimate of the application above: basis = 2,400,000 × 12/24 + 600,000 = 1,800,000;
# 30% = 540,000 (under the cap); the related-party line is left out.
ESTIMATE_TEXT = "¥540,000.00"


def pdftotext(content: bytes, tmp_path) -> str:
    need_poppler()
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdffonts(content: bytes, tmp_path) -> str:
    need_poppler()
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout


def pdfinfo_pages(content: bytes, tmp_path) -> int:
    need_poppler()
    assert shutil.which("pdfinfo")
    path = tmp_path / "info.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    line = next(x for x in out.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def outline_titles(content: bytes) -> list[str]:
    reader = PdfReader(BytesIO(content))

    def walk(items):
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title

    return list(walk(reader.outline))


def embedded_files(content: bytes) -> dict:
    reader = PdfReader(BytesIO(content))
    files = dict(reader.attachments)
    for page in reader.pages:
        for annot in page.get("/Annots", []) or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/FileAttachment":
                files[f"annot-{id(annot)}"] = [b""]
    return files


@pytest.fixture
def cjk(db):
    need_cjk_fonts()
    need_poppler()


FROZEN = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _fresh_broker_pools() -> None:
    from kombu import pools

    from config.celery import app

    pools.reset()  # kombu keeps a closed pool registered for the broker URL
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery_worker_process(celery_worker_process):
    """The shared worker fixture, usable more than once per session.

    Its teardown closes the app's connection pool (`app.pool.force_close_all()`) but leaves the
    closed pool registered, so the next test that sends a task gets "Acquire on closed pool".
    The closed pools are dropped here, once the shared fixture has pointed the app at its
    worker, and again after each module of these tests, so later modules start clean.
    """
    _fresh_broker_pools()
    return celery_worker_process


@pytest.fixture(autouse=True, scope="module")
def _broker_pools_made_afresh():
    yield
    _fresh_broker_pools()


# --- safety: a local server that must receive nothing, and a spy on the renderer's fetcher ------


class RequestLog(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        RequestLog.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    """A local HTTP server that records every request it receives (it must receive none)."""
    RequestLog.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RequestLog)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def fetched(monkeypatch):
    """A spy on the renderer's fetcher: every URL it is asked for, in order."""
    urls: list[str] = []
    original = render.SafeURLFetcher.fetch

    def spy(self, url, headers=None):
        urls.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(render.SafeURLFetcher, "fetch", spy)
    return urls
