"""Raw cell values of a workbook, independent of where they were read from.

Both the file reader (`reader`) and the live-Excel adapter produce a `RawWorkbook`;
registration parsing and validation only ever see this.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class CellError(str):
    """An Excel error value (`#N/A`, `#DIV/0!` …), kept apart from text with the same look."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"CellError({str.__repr__(self)})"


class _NoCache:
    """A formula cell that has no cached value (never calculated)."""

    _instance: _NoCache | None = None

    def __new__(cls) -> _NoCache:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NO_CACHE"

    def __bool__(self) -> bool:
        return False


NO_CACHE = _NoCache()


@dataclass
class RawSheet:
    """One sheet's values: `rows[r][c]` is the cell at row r+1, column c+1 (ragged)."""

    name: str
    rows: list[list[Any]]

    def value(self, row: int, col: int) -> Any:
        """The value at 1-based (row, col), or None."""
        if row - 1 < len(self.rows):
            r = self.rows[row - 1]
            if col - 1 < len(r):
                return r[col - 1]
        return None


@dataclass
class RawWorkbook:
    """All sheets of a workbook in workbook order, plus the saved time if known."""

    sheets: dict[str, RawSheet]
    modified: datetime | None = None
    source: str = ""
    notes: list[str] = field(default_factory=list)


@functools.lru_cache(maxsize=20_000)
def column_letter(col: int) -> str:
    """1 → 'A', 27 → 'AA' (remembered: every problem's cell reference asks for one)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(row: int, col: int) -> str:
    """(7, 4) → 'D7'."""
    return f"{column_letter(col)}{row}"


def column_index(letters: str) -> int:
    """'A' → 1, 'AA' → 27."""
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n
