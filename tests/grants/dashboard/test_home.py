"""The home page: the consultant's and the client's panels."""

from __future__ import annotations

import pytest
from django.urls import reverse

from grants.models import Application
from tests.factories import DocumentSlotFactory, ProgrammeFactory
from tests.grants.dashboard.conftest import make_application


def test_a_consultant_sees_what_waits_the_pipeline_and_funding(login, cast, funding):
    html = login(cast.consultant).get("/").content.decode()
    assert 'data-panel="waiting"' in html
    assert 'data-panel="pipeline"' in html
    assert 'data-panel="funding"' in html
    assert "¥1,080,000.00" in html  # requested so far
    assert "¥650,000.00" in html
    assert "¥150,000.00" in html
    assert 'data-panel="client-needs"' not in html


def test_the_funding_charts_are_accessible_svg_with_labels(login, cast, funding):
    html = login(cast.consultant).get("/").content.decode()
    assert html.count('data-testid="chart"') == 3
    assert 'role="img"' in html
    assert "<title id=" in html and "<desc id=" in html
    assert "Model voucher" in html and "Lujiazui Vision Ltd" in html and ">2025<" in html


def test_the_home_renders_in_chinese(login, cast, funding):
    client = login(cast.consultant)
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    for label in (
        "待处理事项",
        "申报进度统计",
        "资金情况",
        "按扶持项目",
        "模型券",
        "陆家嘴视觉科技有限公司",
    ):
        assert label in html, label


def test_nobody_else_sees_the_organisations_figures(login, cast, funding):
    html = login(cast.outsider).get("/").content.decode()
    assert "¥1,080,000.00" not in html
    assert "Lujiazui" not in html
    assert "¥9,000,000.00" in html  # its own


def test_a_client_sees_only_its_company(login, cast, funding):
    html = login(cast.client_user).get("/").content.decode()
    assert 'data-panel="pipeline"' not in html
    assert 'data-panel="funding"' not in html
    assert 'data-panel="client-applications"' in html
    assert funding.submitted.reference in html
    assert funding.funded.reference not in html  # the other company's
    assert "Submitted to the government" in html  # the client-facing label


def test_a_client_sees_received_amounts(login, cast, funding):
    html = login(cast.other_client).get("/").content.decode()
    assert 'data-testid="total-received">¥150,000.00' in html
    assert "2026-01-10" in html


@pytest.fixture
def checklist(cast):
    programme = ProgrammeFactory(code="corpus_voucher", name_en="Corpus voucher", name_zh="语料券")
    licence = DocumentSlotFactory(programme=programme, code="licence", name_en="Business licence")
    DocumentSlotFactory(programme=programme, code="optional_memo", required=False)
    preparing = make_application(cast.company, programme, "preparing", "1000.00")
    return programme, licence, preparing


def test_a_client_sees_what_it_must_upload(login, cast, checklist):
    *_, preparing = checklist
    html = login(cast.client_user).get("/").content.decode()
    assert 'data-panel="client-needs"' in html
    assert 'data-slot="licence"' in html
    assert 'data-slot="optional_memo"' not in html
    upload_url = _reverse_or_none("grants:document_upload", preparing.pk)
    if upload_url:
        assert f'action="{upload_url}"' in html
        assert 'name="slot" value="licence"' in html
        assert 'enctype="multipart/form-data"' in html
    else:
        assert "<form" not in html.split('data-panel="client-needs"')[1].split("data-panel")[0]


def test_the_consultant_sees_the_missing_documents_waiting(login, cast, checklist):
    html = login(cast.consultant).get("/").content.decode()
    waiting = html.split('data-panel="waiting"')[1].split("data-panel=")[0]
    assert checklist[2].reference in waiting
    assert "Business licence" in waiting


def _reverse_or_none(name, *args):
    from django.urls import NoReverseMatch

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def test_a_client_with_nothing_to_provide_is_told_so(login, cast):
    programme = ProgrammeFactory(code="quiet_voucher")
    html = login(cast.client_user).get("/").content.decode()
    assert 'data-panel="client-nothing-needed"' not in html  # no applications: nothing to say

    submitted = make_application(cast.company, programme, "submitted", "1000")
    html = login(cast.client_user).get("/").content.decode()
    assert 'data-panel="client-nothing-needed"' in html
    assert 'data-panel="client-needs"' not in html
    assert "Nothing is needed from you right now" in html

    Application.objects.filter(pk=submitted.pk).update(state="closed")
    html = login(cast.client_user).get("/").content.decode()
    assert 'data-panel="client-nothing-needed"' not in html  # only finished applications
