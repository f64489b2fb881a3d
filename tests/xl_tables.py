"""Read a saved workbook's Excel tables with openpyxl, as a screen reader meets them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openpyxl.utils.cell import range_boundaries


@dataclass(frozen=True)
class XlTable:
    name: str
    title: Any          # the cell above the heading row, column A (the table's title)
    headings: list[Any]
    rows: list[list[Any]]
    first_row: int      # the first data row's number

    def column(self, heading: str) -> list[Any]:
        j = self.headings.index(heading)
        return [r[j] for r in self.rows]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.headings, r, strict=True)) for r in self.rows]


def tables(ws: Any) -> list[XlTable]:
    """The sheet's Excel tables in the order they stand on the sheet."""
    out = []
    for t in ws.tables.values():
        c0, r0, c1, r1 = range_boundaries(t.ref)
        grid = [[None if (v := ws.cell(r, c).value) == "" else v for c in range(c0, c1 + 1)]
                for r in range(r0, r1 + 1)]
        title = ws.cell(r0 - 1, 1).value if r0 > 1 else None
        out.append(XlTable(t.displayName, title, grid[0], grid[1:], r0 + 1))
    return sorted(out, key=lambda t: t.first_row)


def titled(ws: Any, start: str) -> XlTable:
    """The one table whose title starts with `start`."""
    (found,) = [t for t in tables(ws) if isinstance(t.title, str) and t.title.startswith(start)]
    return found
