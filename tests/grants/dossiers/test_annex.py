"""What the annex says about an upload it cannot include: in both languages, as the rest of
the dossier (the separator pages print it)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from grants.dossiers.annex import MAX_ANNEX_PAGES, annex_item, clean_pdf
from grants.dossiers.labels import Bilingual
from grants.dossiers.services import dossier_request
from tests.grants.dossiers.factories import DocumentFactory, encrypted_pdf, png_bytes, text_pdf


def item_for(application, slot, data: bytes, filename: str):
    document = DocumentFactory(application=application, slot=slot, data=data, filename=filename)
    return annex_item(1, document)


def test_a_truncated_pdf_is_explained_in_both_languages(application, slots):
    whole = text_pdf("WHOLE PAGE")
    item = item_for(application, slots[0], whole[: len(whole) // 2], "cut.pdf")
    assert item.kind == "not_included"
    assert item.detail == Bilingual(
        "no end-of-file marker: the file is incomplete", "缺少文件结束标记：文件不完整"
    )
    assert item.note.en.startswith("Not included") and item.note.zh != item.note.en


def test_an_encrypted_pdf_is_explained_in_both_languages(application, slots):
    item = item_for(application, slots[0], encrypted_pdf(), "locked.pdf")
    assert item.kind == "not_included"
    assert item.detail == Bilingual("a password is needed to open it", "需要密码才能打开")


def test_a_broken_image_names_its_technical_cause_in_both_languages(application, slots):
    item = item_for(application, slots[0], png_bytes()[:60], "cut.png")
    assert item.kind == "not_included"
    assert item.detail.en.startswith("technical cause: ")
    assert item.detail.zh.startswith("技术原因：")
    assert item.detail.en.split(": ", 1)[1] == item.detail.zh.split("：", 1)[1]


def test_a_too_long_pdf_is_explained_with_its_figures(monkeypatch):
    from grants.dossiers import annex

    monkeypatch.setattr(annex, "MAX_ANNEX_PAGES", 1)
    with pytest.raises(annex.AnnexRefused) as refused:
        clean_pdf(text_pdf("ONE", "TWO"))
    assert refused.value.code == "too_long"
    assert refused.value.detail == Bilingual("2 pages; at most 1", "共 2 页；最多 1 页")
    assert MAX_ANNEX_PAGES == 300


def test_the_details_do_not_depend_on_the_language_active_when_built(application, slots):
    whole = text_pdf("WHOLE PAGE")
    with translation.override("zh-hans"):
        item = item_for(application, slots[0], whole[:40], "cut.pdf")
    assert item.detail.en == "no end-of-file marker: the file is incomplete"


def test_a_refused_dossier_request_is_worded_in_the_readers_language(application, cast):
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as refused:
        dossier_request(application=application, actor=cast.client_user)
    assert str(refused.value) == "只有本机构的顾问和管理员可以生成申报材料包。"
