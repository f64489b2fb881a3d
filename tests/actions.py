"""Read back what a remote-engine Book asks the Excel client to do (`book.json()`).

`replay` applies the actions the way the client would, enough to check the outcome:
which sheets exist in which order, every written value with the number format its cell
had at the moment it was written, fills, font properties, merges, Excel tables,
hyperlinks and marker names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class SheetState:
    name: str
    values: dict[tuple[int, int], Any] = field(default_factory=dict)
    formats: dict[tuple[int, int], str] = field(default_factory=dict)
    format_when_written: dict[tuple[int, int], str | None] = field(default_factory=dict)
    fills: dict[tuple[int, int], str] = field(default_factory=dict)
    links: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    fonts: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    tables: list[tuple[str, str, str]] = field(default_factory=list)  # name, range, style
    names: list[str] = field(default_factory=list)
    touched: bool = False

    def grid(self) -> dict[tuple[int, int], Any]:
        """1-based (row, col) → value, blanks left out."""
        return {k: v for k, v in self.values.items() if v not in ("", None)}


@dataclass
class Replay:
    sheets: list[SheetState]
    funcs: list[str]

    def sheet(self, name: str) -> SheetState:
        return next(s for s in self.sheets if s.name == name)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.sheets]


def _cells(a: dict) -> list[tuple[int, int]]:
    return [(a["start_row"] + 1 + r, a["start_column"] + 1 + c)
            for r in range(a["row_count"]) for c in range(a["column_count"])]


def replay(initial: list[str], actions: list[dict]) -> Replay:
    sheets = [SheetState(n) for n in initial]
    funcs = []
    for a in actions:
        f = a["func"]
        funcs.append(f)
        pos = a["sheet_position"]
        target = sheets[pos] if pos is not None and pos < len(sheets) else None
        if f == "addSheet":
            sheets.insert(a["args"][0], SheetState(a["args"][1], touched=True))
            continue
        if f == "sheetDelete":
            del sheets[pos]
            continue
        if target is None:
            continue
        target.touched = True
        if f == "setValues":
            for (r, c), v in zip(_cells(a), [v for row in a["values"] for v in row],
                                 strict=True):
                target.values[(r, c)] = v
                target.format_when_written[(r, c)] = target.formats.get((r, c))
        elif f == "setNumberFormat":
            for cell in _cells(a):
                target.formats[cell] = a["args"][0]
        elif f == "setRangeColor":
            for cell in _cells(a):
                target.fills[cell] = a["args"][0]
        elif f == "setFontProperty":
            prop, value = a["args"]
            for cell in _cells(a):
                target.fonts.setdefault(cell, {})[prop] = value
        elif f == "rangeMerge":
            r0, c0 = _cells(a)[0]
            target.merges.append((r0, c0, r0 + a["row_count"] - 1, c0 + a["column_count"] - 1))
        elif f == "addHyperlink":
            target.links[_cells(a)[0]] = (a["args"][0], a["args"][1])
        elif f == "addTable":
            address, headers, style, name = a["args"]
            assert headers is True
            target.tables.append((name, address.replace("$", ""), style))
        elif f == "namesAdd":
            target.names.append(a["args"][0])
    return Replay(sheets, funcs)
