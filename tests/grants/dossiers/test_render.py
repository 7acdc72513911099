"""The renderer: fonts, language, metadata, and the URL fetcher that fetches nothing it should not."""

from __future__ import annotations

from io import BytesIO

import pytest
from pypdf import PdfReader

from grants.dossiers import render
from tests.grants.dossiers.conftest import RequestLog, embedded_files, pdffonts, pdftotext
from tests.services import need_cjk_fonts

CHINESE_HTML = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>Test</title><link rel="stylesheet" href="{css}"></head>
<body><h1>企业概况 Company profile</h1><p>统一社会信用代码</p></body></html>"""


@pytest.fixture
def stylesheet_url(db):
    return render.static_file_url("grants/dossier.css")


def test_it_embeds_a_simplified_chinese_font(db, stylesheet_url, tmp_path):
    need_cjk_fonts()
    pdf = render.html_to_pdf(CHINESE_HTML.format(css=stylesheet_url))
    fonts = pdffonts(pdf.content, tmp_path)
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-SC" in line]
    assert cjk, fonts
    assert all(" yes " in line for line in cjk)  # embedded (and subset)
    assert "统一社会信用代码" in pdftotext(pdf.content, tmp_path)


def test_it_reuses_one_font_configuration_per_process(db, stylesheet_url):
    first = render.font_config()
    render.html_to_pdf(CHINESE_HTML.format(css=stylesheet_url))
    render.html_to_pdf(CHINESE_HTML.format(css=stylesheet_url))
    assert render.font_config() is first


def test_it_writes_the_metadata_given(db, stylesheet_url):
    metadata = render.Metadata(
        title="GD-2026-000001 申报材料", author="Bund Grants Consulting", subject="Dossier 申报"
    )
    pdf = render.html_to_pdf(CHINESE_HTML.format(css=stylesheet_url), metadata=metadata)
    info = PdfReader(BytesIO(pdf.content)).metadata
    assert info.title == "GD-2026-000001 申报材料"
    assert info.author == "Bund Grants Consulting"
    assert info.subject == "Dossier 申报"


def test_the_fetcher_serves_data_urls_and_the_apps_static_files(db, stylesheet_url):
    fetcher = render.SafeURLFetcher()
    css = fetcher.fetch(stylesheet_url)
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    data = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert data.read() == b"hello"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hostname",
        "http://169.254.169.254/latest/meta-data/",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "file://remote-host/share/secret.txt",
        "relative/path.png",
    ],
)
def test_the_fetcher_refuses_anything_else(db, url):
    with pytest.raises(render.URLRefused):
        render.SafeURLFetcher().fetch(url)


def test_the_fetcher_refuses_paths_that_climb_out_of_the_static_folder(db, stylesheet_url):
    escape = stylesheet_url.rsplit("/", 1)[0] + "/../../../../config/settings.py"
    with pytest.raises(render.URLRefused):
        render.SafeURLFetcher().fetch(escape)


def test_the_fetcher_refuses_a_symlink_out_of_the_static_folder(db, tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (root / "link.txt").symlink_to("/etc/passwd")
    fetcher = render.SafeURLFetcher(roots=(root.resolve(),))
    with pytest.raises(render.URLRefused):
        fetcher.fetch(f"file://{root}/link.txt")


def test_hostile_html_fetches_nothing_and_embeds_nothing(
    db, stylesheet_url, local_server, fetched, tmp_path
):
    """Even HTML that is not escaped (a template's own markup) cannot reach files or the network."""
    hostile = f"""<!doctype html><html lang="zh-CN"><head>
    <link rel="stylesheet" href="{stylesheet_url}">
    <link rel="attachment" href="file:///etc/passwd" title="passwd">
    <link rel="stylesheet" href="{local_server}/style.css">
    <base href="{local_server}/"></head><body>
    <p>Before 之前</p>
    <img src="file:///etc/hostname">
    <img src="http://169.254.169.254/latest">
    <img src="{local_server}/pixel.png">
    <a rel="attachment" href="file:///etc/passwd">passwd</a>
    <div style="background: url('{local_server}/bg.png')">x</div>
    <p>After 之后</p></body></html>"""
    pdf = render.html_to_pdf(hostile)
    assert RequestLog.requests == []
    assert embedded_files(pdf.content) == {}
    text = pdftotext(pdf.content, tmp_path)
    assert "root:" not in text
    assert "After" in text
    allowed = [u for u in fetched if u == stylesheet_url or u.startswith("data:")]
    assert stylesheet_url in fetched
    refused = [u for u in fetched if u not in allowed]
    # What WeasyPrint asked for was refused by the fetcher, none of it served.
    for url in refused:
        with pytest.raises(render.URLRefused):
            render.SafeURLFetcher().fetch(url)
    assert not any("passwd" in u for u in fetched)  # the attachment link was dropped unread
