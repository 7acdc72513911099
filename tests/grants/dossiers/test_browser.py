"""A consultant generates a dossier in a real browser, watches it progress, and downloads it.

The dossier panel lives on the application page (`grants:application_detail`, built with the
workflow) and on the dossier page of its own (`grants:dossier_page`). The first test drives the
dossier page; the second drives the application page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from grants.models import Dossier

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def generate_watch_and_download(page, url: str, tmp_path: Path) -> bytes:
    page.goto(url)
    panel = page.get_by_test_id("dossier-panel")
    expect(panel).to_be_visible()
    page.evaluate("window.__noReload = true")
    page.get_by_test_id("dossier-generate").click()
    expect(page.get_by_test_id("dossier-progress")).to_be_visible()
    expect(page.get_by_test_id("dossier-download").first).to_be_visible(timeout=90_000)
    expect(page.get_by_test_id("dossier-progress")).to_have_count(0)
    assert page.evaluate("window.__noReload") is True  # htmx swapped the panel in place
    expect(page.get_by_test_id("dossier-currency")).to_contain_text("Current")
    with page.expect_download() as download:
        page.get_by_test_id("dossier-download").first.click()
    target = tmp_path / "dossier.pdf"
    download.value.save_as(target)
    return target.read_bytes()


def test_generate_watch_progress_and_download_on_the_dossier_page(
    page, live_server, sign_in, celery_worker_process, cjk, application, cast, tmp_path
):
    sign_in(page, cast.consultant)
    url = live_server.url + reverse("grants:dossier_page", args=[application.pk])
    content = generate_watch_and_download(page, url, tmp_path)
    assert content.startswith(b"%PDF-")
    dossier = Dossier.objects.get(application=application)
    assert dossier.status == "ready"
    assert len(content) == dossier.size


@pytest.fixture
def application_page(application) -> str:
    return reverse("grants:application_detail", args=[application.pk])


def test_generate_and_download_on_the_application_page(
    application_page, page, live_server, sign_in, celery_worker_process, cjk, cast, tmp_path
):
    sign_in(page, cast.consultant)
    content = generate_watch_and_download(page, live_server.url + application_page, tmp_path)
    assert content.startswith(b"%PDF-")
