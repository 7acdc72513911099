"""Real dossiers, checked with real tools (poppler's pdffonts, pdftotext, pdfinfo; pypdf)."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from pypdf import PdfReader

from grants.dossiers import render
from grants.dossiers.build import build_dossier
from grants.models.applications import State
from tests.factories import ApplicationFactory, CompanyFactory, ProgrammeFactory, ProjectFactory
from tests.grants.dossiers.conftest import (
    ESTIMATE_TEXT,
    FROZEN,
    RequestLog,
    embedded_files,
    outline_titles,
    pdffonts,
    pdfinfo_pages,
    pdftotext,
)
from tests.grants.dossiers.factories import (
    DocumentFactory,
    blank_pdf,
    encrypted_pdf,
    jpeg_bytes,
    png_bytes,
    text_pdf,
)


def flat(text: str) -> str:
    return " ".join(text.split())


@time_machine.travel(FROZEN, tick=False)
def test_the_dossier_embeds_cjk_fonts_and_shows_names_and_estimate(cjk, application, tmp_path):
    built = build_dossier(application.pk)
    fonts = pdffonts(built.content, tmp_path)
    assert any("Noto-Sans-CJK-SC" in line and " yes " in line for line in fonts.splitlines())
    text = pdftotext(built.content, tmp_path)
    assert "Lujiazui Vision Ltd" in text
    assert "陆家嘴视觉科技有限公司" in text
    assert ESTIMATE_TEXT in text
    assert "GD-2026-" in text
    assert "2026-03-02" in text  # the date on the cover
    assert "Bund Grants Consulting" in text  # the organisation preparing it
    assert pdfinfo_pages(built.content, tmp_path) == built.pages


def test_every_section_has_a_bookmark_and_the_metadata_is_set(cjk, application):
    built = build_dossier(application.pk)
    titles = outline_titles(built.content)
    for expected in (
        "Company profile",
        "Project summary",
        "Project costs",
        "Subsidy calculation",
        "Document checklist",
        "Application history",
        "Declaration and signatures",
        "Annex: uploaded documents",
    ):
        assert any(title.startswith(expected) for title in titles), (expected, titles)
    info = PdfReader(BytesIO(built.content)).metadata
    assert info.author == "Bund Grants Consulting"
    assert application.reference in info.title
    assert "Lujiazui Vision Ltd" in info.subject


def test_labels_footer_and_calculation_are_in_both_languages(cjk, application, tmp_path):
    text = flat(pdftotext(build_dossier(application.pk).content, tmp_path))
    assert "Company profile 企业概况" in text
    assert "Page 1 / " in text
    assert "第 1 页 / 共 " in text
    # The formula written out, the proration and the related-party exclusion of each line.
    assert "30% × ¥1,800,000.00 = ¥540,000.00" in text
    assert "Counted in proportion: ¥2,400,000.00 × 12 / 24" in text
    assert "按比例计入" in text
    assert "Left out: bought from a related party" in text
    # History and comments.
    assert "开始准备材料" in text
    assert "营业执照已上传。" in text


def test_the_checklist_lists_status_version_uploader_and_sha256(
    cjk, application, slots, cast, tmp_path
):
    document = DocumentFactory(
        application=application,
        slot=slots[0],
        data=blank_pdf(1),
        uploaded_by=cast.client_user,
        version=2,
        filename="licence-v2.pdf",
    )
    text = flat(pdftotext(build_dossier(application.pk).content, tmp_path))
    assert "licence-v2.pdf" in text
    assert document.sha256 in text.replace(" ", "")
    assert cast.client_user.display_name in text
    assert "Missing" in text  # the contract slot has no upload


def test_user_text_is_escaped_and_fetches_nothing(
    cjk, application, local_server, fetched, tmp_path
):
    project = application.project
    project.summary = (
        '<img src="file:///etc/hostname"> <link rel="attachment" href="file:///etc/passwd">'
        ' <img src="http://169.254.169.254/latest">'
        f' <img src="{local_server}/pixel.png"> <b>bold</b> 摘要'
    )
    project.save()
    built = build_dossier(application.pk)
    assert RequestLog.requests == []
    # The fetcher was asked for the app's stylesheet and nothing else.
    assert fetched == [render.static_file_url("grants/dossier.css")]
    assert embedded_files(built.content) == {}
    text = flat(pdftotext(built.content, tmp_path))
    assert '<img src="file:///etc/hostname">' in text  # shown as text, not loaded
    assert "root:x:0:0" not in text
    with open("/etc/hostname") as handle:
        hostname = handle.read().strip()
    if len(hostname) > 6:  # a name long enough not to occur by chance
        assert hostname not in text
    assert "<b>bold</b>" in text


def test_an_empty_project_and_a_company_without_rating_render(cjk, cast, tmp_path):
    company = CompanyFactory(
        organisation=cast.org,
        name="Bare Co",
        name_zh="",
        tax_credit_rating="",
        established_on=None,
        employees=None,
    )
    project = ProjectFactory(
        company=company, title="Empty", summary="", areas=[], start_date=None, end_date=None
    )
    application = ApplicationFactory(
        project=project, programme=ProgrammeFactory(cap=None, policy=None)
    )
    built = build_dossier(application.pk)
    text = flat(pdftotext(built.content, tmp_path))
    assert "Bare Co" in text
    assert "Not recorded" in text
    assert "The project has no cost lines." in text
    assert "No documents have been uploaded." in text
    assert pdfinfo_pages(built.content, tmp_path) == built.pages


@pytest.mark.parametrize("state", [State.SUPPLEMENT_REQUESTED, State.APPROVED, State.WITHDRAWN])
def test_it_renders_in_later_states(cjk, application, state, tmp_path):
    type(application).objects.filter(pk=application.pk).update(
        state=state, approved_amount=Decimal("500000.00"), submission_ref="SH-2026-77"
    )
    text = flat(pdftotext(build_dossier(application.pk).content, tmp_path))
    assert str(State(state).label) in text
    assert "SH-2026-77" in text


def test_the_annex_appends_pdfs_in_checklist_order_with_separators(
    cjk, application, slots, cast, tmp_path
):
    DocumentFactory(
        application=application,
        slot=slots[1],
        data=text_pdf("CONTRACT ONE", "CONTRACT TWO", "CONTRACT THREE"),
        uploaded_by=cast.consultant,
    )
    DocumentFactory(
        application=application,
        slot=slots[0],
        data=text_pdf("LICENCE ONE", "LICENCE TWO"),
        uploaded_by=cast.client_user,
    )
    without = build_dossier(
        ApplicationFactory(project=application.project, programme=ProgrammeFactory()).pk
    )
    built = build_dossier(application.pk)
    reader = PdfReader(BytesIO(built.content))
    assert len(reader.pages) == built.pages == pdfinfo_pages(built.content, tmp_path)
    pages = [flat(page.extract_text()) for page in reader.pages]
    order, position = [], 1  # after the contents page, which lists the separators too
    for marker in (
        "A1 · Business licence",
        "LICENCE ONE",
        "LICENCE TWO",
        "A2 · Contract",
        "CONTRACT ONE",
        "CONTRACT TWO",
        "CONTRACT THREE",
    ):
        position = next(i for i in range(position + 1, len(pages)) if marker in pages[i])
        order.append(position)
    assert order == list(range(order[0], order[0] + 7))  # each upload right after its separator
    # Two separators and five uploaded pages more than a pack without uploads.
    assert built.pages >= without.pages + 7
    titles = outline_titles(built.content)
    assert any(t.startswith("A1 · Business licence") for t in titles)
    assert any(t.startswith("A2 · Contract") for t in titles)
    # The footers count the uploaded pages: the last separator says which page it is.
    assert f"/ {built.pages}" in pages[order[3]]


def test_an_encrypted_and_a_truncated_pdf_are_noted_not_fatal(
    cjk, application, slots, cast, tmp_path
):
    DocumentFactory(
        application=application,
        slot=slots[0],
        data=encrypted_pdf(),
        filename="locked.pdf",
        uploaded_by=cast.consultant,
    )
    broken = text_pdf("WHOLE PAGE")
    DocumentFactory(
        application=application,
        slot=slots[1],
        data=broken[: len(broken) // 2],
        filename="cut.pdf",
        uploaded_by=cast.consultant,
    )
    built = build_dossier(application.pk)
    text = flat(pdftotext(built.content, tmp_path))
    assert "protected by a password (encrypted)" in text
    assert "damaged or incomplete" in text
    # The separator pages give the details in both languages, as the rest of the dossier.
    assert "a password is needed to open it 需要密码才能打开" in text
    assert "no end-of-file marker: the file is incomplete 缺少文件结束标记：文件不完整" in text
    assert "WHOLE PAGE" not in text
    assert pdfinfo_pages(built.content, tmp_path) == built.pages


def test_images_are_placed_on_pages_and_office_files_listed(
    cjk, application, slots, cast, tmp_path
):
    DocumentFactory(
        application=application,
        slot=slots[0],
        data=png_bytes(),
        filename="licence.png",
        uploaded_by=cast.consultant,
    )
    DocumentFactory(
        application=application,
        slot=slots[1],
        data=jpeg_bytes(),
        filename="contract.jpg",
        uploaded_by=cast.consultant,
    )
    DocumentFactory(
        application=application,
        slot=slots[2],
        data=b"PK\x03\x04 not really a spreadsheet",
        filename="invoices.xlsx",
        uploaded_by=cast.consultant,
    )
    built = build_dossier(application.pk)
    reader = PdfReader(BytesIO(built.content))
    images = {image.data for page in reader.pages for image in page.images}
    assert len(images) == 2
    text = flat(pdftotext(built.content, tmp_path))
    assert "Word and Excel files are not converted" in text
    assert "invoices.xlsx" in text


def test_a_broken_image_and_a_missing_file_are_noted(cjk, application, slots, cast, tmp_path):
    DocumentFactory(
        application=application,
        slot=slots[0],
        data=png_bytes()[:60],
        filename="cut.png",
        uploaded_by=cast.consultant,
    )
    gone = DocumentFactory(
        application=application, slot=slots[1], data=blank_pdf(1), uploaded_by=cast.consultant
    )
    gone.file.storage.delete(gone.file.name)
    text = flat(pdftotext(build_dossier(application.pk).content, tmp_path))
    assert "the image is damaged or cannot be read" in text
    assert "the stored file could not be found" in text


def test_an_uploaded_pdf_brings_no_attachments_or_annotations(cjk, application, slots, cast):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_attachment("secret.txt", b"do not embed")
    from pypdf.annotations import Link

    writer.add_annotation(0, Link(rect=(0, 0, 100, 100), url="http://169.254.169.254/"))
    out = BytesIO()
    writer.write(out)
    DocumentFactory(
        application=application, slot=slots[0], data=out.getvalue(), uploaded_by=cast.consultant
    )
    built = build_dossier(application.pk)
    assert embedded_files(built.content) == {}
    reader = PdfReader(BytesIO(built.content))
    assert not any(
        "169.254" in str(annot.get_object())
        for page in reader.pages
        for annot in page.get("/Annots", []) or []
    )
