"""The documents the demo uploads, made in memory: one-page PDFs and a PNG "scan".

Every PDF page is laid out in one pass by the dossier renderer (`grants.dossiers.render`, the one
PDF renderer of the app: fonts, safety rules) and the pages are then split into one file each with
pypdf, so fifty documents cost one layout, not fifty. The business licence is a small PNG drawn
with Pillow, as a scanned licence would be uploaded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from io import BytesIO

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter

from grants.dossiers import render

PDF_STYLE = """
@page { size: A4; margin: 22mm 20mm; }
html { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; font-size: 10.5pt;
       color: #1f2933; }
* { font-weight: normal; }  /* one weight: each file embeds one CJK font subset, not two */
section { page-break-after: always; }
section:last-child { page-break-after: auto; }
.stamp { color: #b42318; border: 1.5pt solid #b42318; display: inline-block; padding: 2pt 6pt;
         font-size: 9pt; letter-spacing: 1pt; }
h1 { font-size: 20pt; margin: 14mm 0 2mm; }
h2 { font-size: 12pt; color: #52606d; font-weight: normal; margin: 0 0 10mm; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 5pt 6pt; border-bottom: 0.5pt solid #cbd2d9;
         vertical-align: top; }
th { width: 32%; color: #52606d; font-weight: normal; }
p.note { margin-top: 14mm; font-size: 9pt; color: #52606d; }
"""


@dataclass(frozen=True)
class DemoDocument:
    """One uploaded file: which slot of which application, which version, and what it says."""

    key: tuple[str, str, int]  # (application key, slot code, version)
    slot_code: str
    slot_name_en: str
    slot_name_zh: str
    version: int
    company_name: str
    company_name_zh: str
    uscc: str
    project_title: str
    programme_name_en: str
    programme_name_zh: str
    dated: dt.date

    @property
    def is_image(self) -> bool:
        return self.slot_code == "business_licence"

    @property
    def filename(self) -> str:
        extension = "png" if self.is_image else "pdf"
        return f"{self.slot_name_zh}-{self.slot_code}-v{self.version}.{extension}"


def _page(doc: DemoDocument) -> str:
    rows = (
        ("申报单位 Applicant", f"{doc.company_name_zh} {doc.company_name}"),
        ("统一社会信用代码 USCC", doc.uscc),
        ("项目 Project", doc.project_title),
        ("申报项目 Programme", f"{doc.programme_name_zh} {doc.programme_name_en}"),
        ("版本 Version", f"v{doc.version}"),
        ("日期 Date", doc.dated.isoformat()),
    )
    return format_html(
        '<section><span class="stamp">演示文件 DEMO DOCUMENT</span><h1>{}</h1><h2>{}</h2>'
        "<table>{}</table>"
        '<p class="note">由 Grantdesk 演示数据生成，并非真实文件。Made by Grantdesk\'s demo data '
        "(seed_demo); not a real document.</p></section>",
        doc.slot_name_zh,
        doc.slot_name_en,
        format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", rows),
    )


def render_pdfs(documents: list[DemoDocument]) -> dict[tuple[str, str, int], bytes]:
    """Every document as a one-page PDF, laid out together and split (one render in all)."""
    documents = [doc for doc in documents if not doc.is_image]
    if not documents:
        return {}
    html = format_html(
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{}</title>'
        "<style>{}</style></head><body>{}</body></html>",
        "Grantdesk demo documents",
        mark_safe(PDF_STYLE),  # noqa: S308 - a constant of this module, no user text
        format_html_join("", "{}", ((_page(doc),) for doc in documents)),
    )
    pack = render.html_to_pdf(html, metadata=render.Metadata(title="Grantdesk demo documents"))
    reader = PdfReader(BytesIO(pack.content))
    if len(reader.pages) != len(documents):
        raise RuntimeError(
            f"demo documents: laid out {len(reader.pages)} pages for {len(documents)} documents"
        )
    files = {}
    for doc, page in zip(documents, reader.pages, strict=True):
        writer = PdfWriter()
        writer.add_page(page)
        writer.add_metadata({"/Title": f"{doc.slot_name_en} · {doc.company_name}"})
        buffer = BytesIO()
        writer.write(buffer)
        files[doc.key] = buffer.getvalue()
    return files


def licence_png(doc: DemoDocument) -> bytes:
    """A small drawing of a business licence: frame, header band, text lines and a red seal."""
    image = Image.new("RGB", (480, 320), "#fbf7ee")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 471, 311), outline="#9a7b3f", width=4)
    draw.rectangle((24, 24, 455, 60), fill="#b42318")
    draw.text((36, 36), "BUSINESS LICENCE (DEMO)", fill="#ffffff")
    lines = (
        doc.company_name,
        f"USCC {doc.uscc}",
        f"Version {doc.version} - {doc.dated.isoformat()}",
        "Made by Grantdesk demo data; not a real document.",
    )
    for index, line in enumerate(lines):
        draw.text((36, 90 + 34 * index), line[:60], fill="#1f2933")
    draw.ellipse((350, 190, 446, 286), outline="#b42318", width=5)
    draw.line((370, 238, 426, 238), fill="#b42318", width=3)
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
