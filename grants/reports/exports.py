"""CSV and XLSX files of the applications report and the funding report.

Both are built in memory from rows already read with a constant number of queries. CSV is UTF-8
with a byte-order mark, so spreadsheet programs open Chinese text right; XLSX (openpyxl,
write-only) keeps money as numbers with two decimals and dates as dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from grants.models import Application
from grants.reports.selectors import FundingReport

MONEY = "money"
DATE = "date"
DATETIME = "datetime"
TEXT = "text"
MONEY_FORMAT = "#,##0.00"
FORMATS = {MONEY: MONEY_FORMAT, DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm"}
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT
    width: int = 16


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]


# A cell starting with one of these is read as a formula by spreadsheet programs (CSV injection):
# user text such as a company name "=HYPERLINK(…)" must stay text. The full-width forms are
# turned into formulas by some East Asian spreadsheet set-ups too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def neutralise(value: Any) -> Any:
    """Text as text: a string that a spreadsheet would run as a formula gets a leading `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """Aware → naive Shanghai time: spreadsheets have no time zones."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _csv_value(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == MONEY:
        return f"{Decimal(value):.2f}"
    if kind == DATETIME:
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == DATE:
        return value.isoformat()
    return neutralise(str(value))


def to_csv(sheets: Sequence[Sheet], *, header: Sequence[str] | None = None) -> bytes:
    """One table of every sheet's rows. Given a header, each row starts with its sheet's title."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer)
    section_column = header is not None
    writer.writerow(header if section_column else [c.title for c in sheets[0].columns])
    for sheet in sheets:
        for row in sheet.rows:
            values = [_csv_value(v, c.kind) for v, c in zip(row, sheet.columns, strict=True)]
            writer.writerow([neutralise(sheet.title), *values] if section_column else values)
    return buffer.getvalue().encode("utf-8")


_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_ALIGN = Alignment(vertical="center", wrap_text=True)


def to_xlsx(sheets: Iterable[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=_sheet_title(sheet.title))
        for index, column in enumerate(sheet.columns, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = column.width
        worksheet.freeze_panes = "A2"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(worksheet, value=column.title)
            cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
            header.append(cell)
        worksheet.append(header)
        for row in sheet.rows:
            worksheet.append(
                [_xlsx_cell(worksheet, v, c.kind) for v, c in zip(row, sheet.columns, strict=True)]
            )
        if sheet.rows:
            last = get_column_letter(len(sheet.columns))
            worksheet.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return cleaned[:31] or "Sheet"


def _xlsx_cell(worksheet, value: Any, kind: str):
    if kind == TEXT or value is None:
        return neutralise(value)
    if kind == DATETIME:
        value = _local(value)
    cell = WriteOnlyCell(worksheet, value=value)
    cell.number_format = FORMATS[kind]
    return cell


# --- the two reports ---------------------------------------------------------------------------


def application_sheet(applications: Iterable[Application]) -> Sheet:
    columns = [
        Column(_("Reference"), width=16),
        Column(_("Company"), width=30),
        Column(_("Chinese name"), width=26),
        Column(_("Project"), width=30),
        Column(_("Programme code"), width=18),
        Column(_("Programme"), width=34),
        Column(_("State"), width=20),
        Column(pgettext("amount", "Requested"), MONEY, 16),
        Column(pgettext("amount", "Approved"), MONEY, 16),
        Column(pgettext("amount", "Disbursed"), MONEY, 16),
        Column(_("Assignee"), width=18),
        Column(_("Deadline"), DATETIME, 18),
        Column(_("Submitted at"), DATETIME, 18),
        Column(_("Created"), DATE, 12),
    ]
    rows = [
        [
            a.reference,
            a.company.name,
            a.company.name_zh,
            a.project.title,
            a.programme.code,
            a.programme.name,
            a.get_state_display(),
            a.requested_amount,
            a.approved_amount,
            a.disbursed_amount,
            a.assignee.username if a.assignee else "",
            a.deadline,
            a.submitted_at,
            timezone.localtime(a.created_at).date(),
        ]
        for a in applications
    ]
    return Sheet(_("Applications"), columns, rows)


def funding_sheets(report: FundingReport) -> list[Sheet]:
    amounts = [
        Column(pgettext("amount", "Requested"), MONEY, 18),
        Column(pgettext("amount", "Approved"), MONEY, 18),
        Column(pgettext("amount", "Disbursed"), MONEY, 18),
    ]
    sheets = []
    for title, label, width, rows in (
        (_("By programme"), _("Programme"), 40, report.by_programme),
        (_("By client"), _("Client"), 40, report.by_client),
        (_("By year"), _("Year"), 10, report.by_year),
    ):
        sheets.append(
            Sheet(
                title,
                [Column(label, width=width), *amounts],
                [[int(r.key) if rows is report.by_year else r.full_label, *r.values] for r in rows]
                + [[_("Total"), *report.total.values]],
            )
        )
    return sheets


def funding_csv_header() -> list[str]:
    return [
        _("Breakdown"),
        _("Item"),
        pgettext("amount", "Requested"),
        pgettext("amount", "Approved"),
        pgettext("amount", "Disbursed"),
    ]
