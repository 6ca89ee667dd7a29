"""Reading an instance directory (CSV or xlsx files, ``policy.yaml``) into tables.

Large CSVs go through pyarrow's multithreaded parser; anything it balks at (bad
UTF-8, a ragged row) or that would shift its row count (blank lines) is re-read
with the standard ``csv`` module, which finds the exact row and column to report.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from gongjian.matching.errors import AllocationInputError
from gongjian.matching.policy import Policy, load_policy
from gongjian.matching.tables import COLUMNS, Table, check_header, string_array, table_from_rows

REQUIRED = ("units", "villages")
INTEGER_COLUMNS = frozenset(("capacity", "min", "max", "score", "rank"))


@dataclass
class InstanceTables:
    """The tables of one instance directory; None for an absent optional file."""

    tables: dict[str, Table | None]
    policy: Policy


def read_instance_dir(directory: Path) -> InstanceTables:
    """Read every input file of an instance directory; raise on the first bad one."""
    if not directory.is_dir():
        raise AllocationInputError(str(directory), None, None, "is not a directory")
    tables: dict[str, Table | None] = {}
    for kind in COLUMNS:
        tables[kind] = _read_kind(directory, kind)
    policy_path = directory / "policy.yaml"
    policy = load_policy(policy_path) if policy_path.exists() else Policy()
    return InstanceTables(tables, policy)


def _read_kind(directory: Path, kind: str) -> Table | None:
    csv_path, xlsx_path = directory / f"{kind}.csv", directory / f"{kind}.xlsx"
    if csv_path.exists() and xlsx_path.exists():
        raise AllocationInputError(
            xlsx_path.name, None, None, f"both {csv_path.name} and {xlsx_path.name} exist; keep one"
        )
    if csv_path.exists():
        table = read_csv(csv_path, kind)
    elif xlsx_path.exists():
        table = read_xlsx(xlsx_path, kind)
    elif kind in REQUIRED:
        raise AllocationInputError(csv_path.name, None, None, "is required but missing")
    else:
        return None
    if kind in REQUIRED and table.length == 0:
        raise AllocationInputError(table.file, 2, COLUMNS[kind][0][0], "has a header but no rows")
    return table


def read_csv(path: Path, kind: str) -> Table:
    """Read one CSV file into a table of string columns."""
    data = path.read_bytes()
    name = path.name
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    end = data.find(b"\n")
    if not data[: max(end, 0) + 1].strip():  # an empty file, or one starting with a blank line
        raise AllocationInputError(
            name, 1, COLUMNS[kind][0][0], "is empty; it needs at least a header row"
        )
    first = data if end < 0 else data[:end]
    try:
        header = [h.strip() for h in next(csv.reader([first.decode("utf-8").rstrip("\r")]))]
    except UnicodeDecodeError:
        return _read_csv_exact(name, kind, data)
    check_header(name, kind, header)
    start = len(data) if end < 0 else end + 1
    body = memoryview(data)[start:]  # no copy of a 100 MB file
    if b"\n\n" in data or b"\n\r\n" in data or data.startswith((b"\n", b"\r\n"), start):
        return _read_csv_exact(name, kind, data)
    try:
        # `data.find`, not `b'"' in body`: a memoryview compares its bytes one Python int at
        # a time (2.7 s on the nation's edges.csv) and never equals b'"' anyway.
        return _read_csv_fast(name, header, body, quoted=data.find(b'"', start) >= 0)
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return _read_csv_exact(name, kind, data)


def _read_csv_fast(name: str, header: list[str], body: memoryview, quoted: bool) -> Table:
    import pyarrow.csv as pacsv

    if not bytes(body[:4096]).strip() and not bytes(body).strip():
        return Table(name, {h: string_array([]) for h in header}, 0)
    table = pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(body)),
        read_options=pacsv.ReadOptions(column_names=header, block_size=16 << 20),
        # Quoted cells may hold line breaks; without quotes the parser can split blocks
        # at any newline, which is what lets it use both cores.
        parse_options=pacsv.ParseOptions(newlines_in_values=quoted),
        # Integer columns are parsed here, on both cores; a cell that is not an integer
        # (or is blank) makes the reader fail and the exact reader name its row.
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.int64() if h in INTEGER_COLUMNS else pa.string() for h in header},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    columns = {h: table.column(h).combine_chunks() for h in header}
    return Table(name, columns, table.num_rows)


def _read_csv_exact(name: str, kind: str, data: bytes) -> Table:
    """The slow reader that knows rows: reports bad bytes and ragged rows exactly."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        row = data.count(b"\n", 0, exc.start) + 1
        header = next(csv.reader([data[: data.find(b"\n")].decode("utf-8", "replace")]))
        cell = data[line_start : exc.start].count(b",")
        column = header[cell].strip() if cell < len(header) else None
        raise AllocationInputError(
            name, row, column, "is not UTF-8 text (save the file as UTF-8, 另存为 UTF-8 编码)"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader)]
    check_header(name, kind, header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line is harmless; it still counts as a row, as in Excel
        if len(record) != len(header):
            column = header[min(len(record), len(header) - 1)]
            raise AllocationInputError(
                name, number, column, f"has {len(record)} cells but the header has {len(header)}"
            )
        rows.append(record)
        numbers.append(number)
    table = table_from_rows(name, kind, header, rows, 2)
    table.rows = np.asarray(numbers, dtype=np.int64)
    return table


def read_xlsx(path: Path, kind: str) -> Table:
    """Read the first sheet of an xlsx file: row 1 is the header, as in the CSVs."""
    import openpyxl

    name = path.name
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise AllocationInputError(
            name, None, None, f"is not a readable xlsx file ({exc})"
        ) from exc
    try:
        sheet = book.worksheets[0]
        records = [[_cell_text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    while records and not any(records[-1]):
        records.pop()
    if not records:
        raise AllocationInputError(
            name, 1, COLUMNS[kind][0][0], "is empty; it needs at least a header row"
        )
    header = [h.strip() for h in records[0]]
    while header and header[-1] == "":
        header.pop()  # openpyxl reports the sheet's used width, often wider than the header
    check_header(name, kind, header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(record):
            continue
        if any(record[len(header) :]):
            raise AllocationInputError(
                name, number, None, "has cells right of the header's columns"
            )
        rows.append((record + [""] * len(header))[: len(header)])
        numbers.append(number)
    table = table_from_rows(name, kind, header, rows, 2)
    table.rows = np.asarray(numbers, dtype=np.int64)
    return table


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores every number as a float
    return str(value)
