"""Tables of text cells, from files or from the Python API, and the checks on their cells.

Every input, whether read from CSV/xlsx or handed in as dataclasses, becomes a
:class:`Table` of string columns first, so that one set of checks produces one set
of error messages naming file, row and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from gongjian.matching.errors import AllocationInputError

# The columns of each input file: (required, optional), as the allocation spec fixes them.
COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "units": (("id",), ("name", "kind", "district", "capacity", "resources")),
    "villages": (("id",), ("name", "county", "town", "tags", "needs", "min", "max")),
    "edges": (("unit", "village", "score"), ()),
    "preferences": (("unit", "village", "rank"), ()),
    "previous": (("unit", "village"), ()),
    "pins": (("unit", "village"), ()),
    "forbids": (("unit", "village"), ()),
}

# Scores and counts beyond this are typing slips, and bounding them keeps every sum
# the solver forms (see optimal.py) far inside int64.
MAX_MAGNITUDE = 1_000_000_000


@dataclass
class Table:
    """String columns of one input, with the spreadsheet row number of each record.

    ``rows`` is None when record ``i`` sits on row ``first_row + i`` (no blank lines).
    """

    file: str
    columns: dict[str, pa.Array]
    length: int
    rows: np.ndarray | None = None
    first_row: int = 2

    def row(self, i: int) -> int:
        """Spreadsheet row number of record ``i`` (header is row 1 for files)."""
        return int(self.rows[i]) if self.rows is not None else self.first_row + i

    def error(
        self,
        i: int | None,
        column: str | None,
        reason: str,
        *,
        code: str = "bad_input",
        params: dict[str, str | int] | None = None,
    ) -> AllocationInputError:
        """An error located at record ``i`` (None: the file as a whole) and ``column``."""
        return AllocationInputError(
            self.file, None if i is None else self.row(i), column, reason, code=code, params=params
        )

    def has(self, name: str) -> bool:
        """Whether the input has this column at all."""
        return name in self.columns

    def strings(self, name: str) -> list[str]:
        """A column's cells, trimmed; all empty if the column is absent."""
        if name not in self.columns:
            return [""] * self.length
        return [s.strip() for s in self.columns[name].to_pylist()]

    def tag_lists(self, name: str) -> list[tuple[str, ...]]:
        """A ``;``-joined column split into tags, empty tags dropped."""
        return [tuple(t.strip() for t in s.split(";") if t.strip()) for s in self.strings(name)]

    def optional_integers(self, name: str, default: int, minimum: int = 0) -> np.ndarray:
        """An integer column whose blank cells (or absence) mean ``default``."""
        if name not in self.columns:
            return np.full(self.length, default, dtype=np.int64)
        if pa.types.is_integer(self.columns[name].type):  # parsed by the CSV reader: no blanks
            return self.integers(name, minimum)
        column = pc.utf8_trim_whitespace(self.columns[name])
        # Numpy for the test, not pc.equal(…, 0): a Python scalar makes pyarrow import pandas
        # (0.3 s), and blank cells are rare enough to be replaced one by one.
        if (as_numpy(pc.utf8_length(column)) == 0).any():
            cells = [cell or str(default) for cell in column.to_pylist()]
            column = string_array(cells)
        return self.integers(name, minimum, column)

    def integers(
        self, name: str, minimum: int | None = None, column: pa.Array | None = None
    ) -> np.ndarray:
        """A required integer column of a possibly huge table, as int64, vectorised."""
        if column is None:
            column = self.columns[name]
            if not pa.types.is_integer(column.type):
                column = pc.utf8_trim_whitespace(column)
        try:
            values = as_numpy(column if pa.types.is_integer(column.type) else pc.cast(column, pa.int64()))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            values = None
        if values is not None:
            bad = np.abs(values) > MAX_MAGNITUDE
            if minimum is not None:
                bad |= values < minimum
            if not bad.any():
                return values.astype(np.int64, copy=False)
        # Only bad input gets here: find the first offending cell the slow, exact way.
        for i, cell in enumerate(column.to_pylist()):
            _parse_int(self, i, name, str(cell), minimum)
        raise self.error(None, name, "has a cell that is not an integer")  # pragma: no cover

    def trimmed(self, name: str) -> pa.Array:
        """A column with its cells trimmed of white space, without copying when no cell
        has any (the usual case, and 5 million cells are worth not copying)."""
        column = self.columns[name]
        data = column.buffers()[2]
        if data is None or not (np.frombuffer(data, dtype=np.uint8) <= 32).any():
            return column
        return pc.utf8_trim_whitespace(column)

    def indices(self, name: str, ids: pa.Array, what: str) -> np.ndarray:
        """Map an id column onto positions in ``ids``; an unknown id is an error."""
        column = self.trimmed(name)
        found = pc.index_in(column, value_set=ids)
        if found.null_count:
            i = found.to_pylist().index(None)
            cell = column[i].as_py()
            if cell == "":
                raise self.error(i, name, f"is empty; expected a {what} id")
            raise self.error(i, name, f"unknown {what} id {cell!r}")
        return as_numpy(found).astype(np.int32)


def as_numpy(array: pa.Array) -> np.ndarray:
    """The values of a null-free integer array, read straight from its data buffer.

    ``Array.to_numpy`` would import pandas, as ``pa.array`` does (see string_array).
    """
    dtype = np.dtype(f"int{array.type.bit_width}")
    return np.frombuffer(
        array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize
    )


def _parse_int(table: Table, i: int, name: str, cell: str, minimum: int | None) -> int:
    text = cell.strip()
    try:
        value = int(text)
    except ValueError:
        shown = repr(text) if text else "empty"
        raise table.error(i, name, f"must be an integer, not {shown}") from None
    if abs(value) > MAX_MAGNITUDE:
        raise table.error(i, name, f"{value} is out of range (at most {MAX_MAGNITUDE:,} in size)")
    if minimum is not None and value < minimum:
        raise table.error(i, name, f"must be at least {minimum}, not {value}")
    return value


def string_array(values: Sequence[str]) -> pa.Array:
    """A pyarrow string array built from its buffers.

    ``pa.array(list)`` would import pandas (≈0.2 s) to check for pandas objects, and
    the county's 1 s budget includes interpreter start-up.
    """
    encoded = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return pa.StringArray.from_buffers(
        len(encoded), pa.py_buffer(offsets.tobytes()), pa.py_buffer(b"".join(encoded))
    )


def check_header(file: str, kind: str, names: Sequence[str]) -> None:
    """Reject a header with unknown, duplicate or missing columns (row 1)."""
    required, optional = COLUMNS[kind]
    allowed = required + optional
    seen: set[str] = set()
    for name in names:
        if name not in allowed:
            raise AllocationInputError(
                file,
                1,
                name or "(blank)",
                f"unknown column; {file} has columns {', '.join(allowed)}",
            )
        if name in seen:
            raise AllocationInputError(file, 1, name, "column appears twice in the header")
        seen.add(name)
    for name in required:
        if name not in seen:
            raise AllocationInputError(file, 1, name, "required column is missing from the header")


def table_from_rows(
    file: str, kind: str, header: Sequence[str], rows: Sequence[Sequence[str]], first_row: int
) -> Table:
    """A table from already split rows (the Python API, the exact CSV path, xlsx)."""
    check_header(file, kind, header)
    columns = {name: string_array([row[j] for row in rows]) for j, name in enumerate(header)}
    return Table(file, columns, len(rows), None, first_row)
