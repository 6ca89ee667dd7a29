"""The engine's one error type: bad input, located precisely enough for a clerk to fix it."""

from __future__ import annotations


class AllocationInputError(ValueError):
    """Bad allocation input, naming where it is: file, row and column.

    ``row`` counts as a spreadsheet does: the header is row 1, the first record row 2
    (for data passed in through the Python API, ``file`` names the list, e.g. ``units``,
    and ``row`` is the item's 1-based position in it). ``column`` is the column name, or
    for ``policy.yaml`` the key path.
    """

    def __init__(
        self,
        file: str,
        row: int | None,
        column: str | None,
        reason: str,
        *,
        code: str = "bad_input",
        params: dict[str, str | int] | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.reason = reason
        # A structured form for callers that word it themselves (``describe``): the pin
        # errors carry the unit and village ids; anything else is ``bad_input``.
        self.code = code
        self.params: dict[str, str | int] = dict(params or {})
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The one-line message printed by the command: ``file, row R, column C: reason``."""
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.reason}"
