"""Reading and writing tables as xlsx or CSV, the way users' Excel and WPS files come.

Every app's import/export goes through here: one place that knows encodings, headers,
row numbers and how to report a bad cell.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from gongjian.core.progress import counted


@dataclass(frozen=True)
class CellError:
    """A reason a cell (or a whole row, when ``column`` is empty) cannot be imported."""

    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" + (f"「{self.column}」列" if self.column else "")
        return f"{where}：{self.reason}"


class TableRejected(Exception):
    """The file cannot be imported; nothing of it was."""

    def __init__(self, errors: Sequence[CellError]) -> None:
        self.errors = list(errors)
        super().__init__("；".join(str(e) for e in self.errors[:5]))


@dataclass(frozen=True)
class Row:
    number: int  # as the user sees it in Excel: the header is row 1
    values: dict[str, str]

    def get(self, column: str) -> str:
        return self.values.get(column, "")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> str:
    # Excel on Chinese Windows saves CSV in GB18030 (GBK); everything else in UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableRejected([CellError(1, "", _("文件编码无法识别，请另存为 UTF-8 编码的 CSV 或 xlsx 文件"))])


def _raw_rows(data: bytes, filename: str) -> Iterable[list[str]]:
    if filename.lower().endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not xlsx
            raise TableRejected([CellError(1, "", _("文件不是有效的 xlsx 文件"))]) from exc
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
        workbook.close()
    else:
        yield from csv.reader(io.StringIO(_decode(data)))


def read_table(data: bytes, filename: str, *, columns: Sequence[str], required: Sequence[str]) -> list[Row]:
    """Read the first sheet (or the CSV) into rows keyed by the known column headers.

    Unknown header columns are an error (a typo would silently drop data); missing
    required headers too. Blank rows are skipped. A ``*`` after a header is ignored.
    """
    rows_iter = iter(_raw_rows(data, filename))
    header = next(rows_iter, None)
    if header is None or not any(header):
        raise TableRejected([CellError(1, "", _("文件为空，缺少表头"))])
    names = [h.strip().rstrip("*").strip() for h in header]
    errors = [
        CellError(1, name, _("无法识别的列名，应为：%(columns)s") % {"columns": "、".join(columns)})
        for name in names
        if name and name not in columns
    ]
    errors += [CellError(1, name, _("缺少必需的列")) for name in required if name not in names]
    if errors:
        raise TableRejected(errors)
    if "\x00" in "".join(names):
        raise TableRejected([CellError(1, "", _("表头含有空字符（NUL），请检查文件"))])
    limit = max_rows()
    rows: list[Row] = []
    # A job reading the file shows the rows checked so far (nothing outside a job).
    for number, values in enumerate(counted(rows_iter, stage=_("正在读取并校验各行")), start=2):
        if not any(v.strip() for v in values if v):
            continue
        if len(rows) >= limit:
            # Stop reading here: a file of a million rows must not be held in memory.
            raise TableRejected([CellError(number, "", _("文件超过 %(n)d 行数据，请拆分后分批导入") % {"n": limit})])
        row = Row(
            number,
            {names[i]: _imported(v) for i, v in enumerate(values) if i < len(names) and names[i]},
        )
        # PostgreSQL cannot store a NUL character in text: name the cell rather than fail on save.
        errors += [
            CellError(number, column, _("含有空字符（NUL），请删除后重新导入"))
            for column, value in row.values.items()
            if "\x00" in value
        ]
        rows.append(row)
    if errors:
        raise TableRejected(errors)
    if not rows:
        raise TableRejected([CellError(2, "", _("文件中没有数据行"))])
    return rows


def max_rows() -> int:
    """The most data rows one import may hold (setting ``UPLOAD_SPREADSHEET_MAX_ROWS``)."""
    return int(getattr(settings, "UPLOAD_SPREADSHEET_MAX_ROWS", 50_000))


def _imported(value: str | None) -> str:
    """A cell's text as imported: stripped, and without the ``'`` that :func:`neutralise`
    put before a formula character on export, so that an export re-imports unchanged."""
    text = (value or "").strip()
    # (An xlsx gives a CR back as LF: XML normalises line ends.)
    if text[:1] == "'" and text[1:].startswith((*FORMULA_TRIGGERS, "\n")):
        return text[1:].strip()
    return text


def write_xlsx(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str,
    required: Sequence[str] = (),
    extra_sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]] = (),
) -> bytes:
    """An xlsx with a bold header (required columns marked with ``*``) that Excel, WPS and
    LibreOffice open; ``extra_sheets`` are (title, headers, rows) after the first."""
    workbook = Workbook(write_only=True)
    _write_sheet(workbook, sheet_title, headers, rows, required)
    for title, extra_headers, extra_rows in extra_sheets:
        _write_sheet(workbook, title, extra_headers, extra_rows, ())
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(
    workbook: Workbook, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], required: Sequence[str]
) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, len(header) * 2 + 4)
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(str(header) + ("*" if header in required else "")))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2DCDB" if header in required else "EEEEEE")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in counted(rows, stage=_("正在写入各行")):  # an export run as a job shows its rows
        sheet.append([_xlsx_value(v) for v in row])


# A text cell starting with one of these is read by Excel, WPS and LibreOffice as a formula
# (or, for tab and CR, shifts the row when pasted): a name imported as
# ``=HYPERLINK("http://…","点击")`` would otherwise become a live link in the city admin's
# export. OWASP "CSV Injection": prefix such text with a single quote, which the
# spreadsheet shows as text. Only text: a negative amount written as a number is a number.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` as it may be written to an exported cell: text that a spreadsheet would
    take for a formula gets a leading ``'``; numbers, dates and empty cells are unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value) if value == value.quantize(Decimal("0.01")) else neutralise(str(value))
    if value is None or isinstance(value, bool | int | float | datetime.date):
        return value
    return neutralise(str(value))  # text, lazy translations, enums


def write_table(
    fmt: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_title: str,
    required: Sequence[str] = (),
) -> bytes:
    """The table as xlsx when ``fmt`` is ``"xlsx"``, else as CSV (which has no title and
    no required marks)."""
    if fmt == "xlsx":
        return write_xlsx(headers, rows, sheet_title=sheet_title, required=required)
    return write_csv(headers, rows)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal | datetime.date):
        return value  # a number stays a number: "-1200.50" is not a formula when typed as one
    return neutralise(str(value))


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """CSV in UTF-8 with a byte-order mark, so that Excel shows the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(h)) for h in headers])
    for row in counted(rows, stage=_("正在写入各行")):
        writer.writerow([_csv_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
