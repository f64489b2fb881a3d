"""The one look of every rendered workbook, as plain data (no Excel library).

Renderers (`render_openpyxl`, `render_xlwings`) draw a sheet model by asking this module
what each cell holds and how it looks: `table_grid` gives a table block's cells from its
title to its last note, `table_styles` the `Style` of each of those cells, `text_style`
the style of a text line, `column_widths` and `row_heights` the sizes. Nothing is ever
merged: a table's heading row is `Table.headings`, one text per column. A renderer only
translates a `Style` into its library's objects and adds the Excel table over
`TablePlace.ref` named `excel_tables.excel_table_name`, in `TABLE_STYLE`.

Colours are six hex digits ("C6EFCE"); `css` gives the "#c6efce" form xlwings wants.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from indikator_xl.domain.text import shown
from indikator_xl.sheets import sheetmodel as sm

FONT_NAME = "Calibri"
FONT_SIZE = 11.0
MAX_TEXT = 32767
REPLACEMENT = "\ufffd"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

FILLS = {"hogre": "C6EFCE", "lagre": "FFC7CE", "heading": "D9E1F2", "subheading": "F2F2F2",
         "columns": "DDEBF7"}
# Every text colour reads at a contrast of at least 4.5:1 (WCAG AA) on white and on
# every fill below (tests/test_contrast.py).
FONT_COLOURS = {"hogre": "006100", "lagre": "9C0006", "dold": "595959", "fel": "A00000",
                "varning": "7F4C00", "link": "0450A0", "note": "595959"}
# Where fonts cannot be set (basic xlwings remote clients), a problem's level is a fill.
FALLBACK_FILLS = {"fel": "FFC7CE", "varning": "FFEB9C"}
BORDER_COLOUR = "808080"
TEXT_SIZES: dict[str, float] = {"title": 14.0, "heading": 12.0, "normal": FONT_SIZE,
                                "note": 9.0}
TITLE_ROW_HEIGHT = 21.0   # points
LINE_HEIGHT = 15.0        # points per line of 11 pt Calibri
ROW_CM = 0.53             # height of a default row, for chart sizes
DEFAULT_WIDTH = 8.43      # Excel's default column width in characters
MAX_AUTO_WIDTH = 50.0     # widest column sized from its content
POINTS_PER_CM = 28.3465
TABLE_STYLE = "TableStyleLight1"  # Excel's plainest table style; our own fills draw on top
LANGUAGE = "sv-SE"
NUMERIC_KINDS = frozenset({"count", "share", "pp", "p_value", "year", "arrow", "number"})


def css(colour: str) -> str:
    """"C6EFCE" → "#c6efce"."""
    return "#" + colour.lower()


def safe_text(text: str) -> str:
    """Text as an XML cell can hold it: illegal control characters and the bytes of a file
    name that are not UTF-8 (`text.shown`) replaced visibly,
    cut at Excel's 32 767-character limit."""
    text = _ILLEGAL.sub(REPLACEMENT, shown(text))
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT - 1] + "…"
    return text


def cell_value(value: sm.CellValue) -> sm.CellValue:
    """A value as every renderer writes it: text made safe, NaN and infinities empty."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class Style:
    """How one cell looks. None/False: the renderer leaves that property alone."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    colour: str | None = None
    size: float = FONT_SIZE
    fill: str | None = None
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False
    number_format: str | None = None
    top_line: bool = False
    bottom_line: bool = False
    problem: str | None = None  # "fel"/"varning": drawn as a fill where fonts are not

    @property
    def has_font(self) -> bool:
        return (self.bold or self.italic or self.underline or self.colour is not None
                or self.size != FONT_SIZE)


PLAIN = Style()


def value_style(v: sm.Value, *, fill: str | None = None, bold: bool = False,
                wrap: bool = False, center: bool = False, top_line: bool = False) -> Style:
    """A data cell: its emphasis as colours and font, numbers right-aligned."""
    e = v.emphasis
    colour = None
    for k in ("hogre", "lagre", "dold", "fel", "varning"):
        if k in e:
            colour = FONT_COLOURS[k]
    if v.link is not None:
        colour = FONT_COLOURS["link"]
    for k in ("hogre", "lagre"):
        if k in e:
            fill = FILLS[k]
    horizontal = "center" if center or v.kind in ("arrow", "verdict") else (
        "right" if v.kind in NUMERIC_KINDS else None)
    return Style(bold=bold or bool(e & {"bold", "stjarna", "fel"}),
                 italic=bool(e & {"osaker", "italic"}), underline=v.link is not None,
                 colour=colour, fill=fill, horizontal=horizontal, vertical="top", wrap=wrap,
                 number_format=None if v.format == "General" else v.format,
                 top_line=top_line,
                 problem="fel" if "fel" in e else "varning" if "varning" in e else None)


def text_style(block: sm.Text) -> Style:
    """A text line: its size by style, links blue and underlined, notes grey italic."""
    colour = FONT_COLOURS["link"] if block.link else (
        FONT_COLOURS["note"] if block.style == "note" else None)
    return Style(bold=block.style in ("title", "heading"), italic=block.style == "note",
                 underline=block.link is not None, colour=colour,
                 size=TEXT_SIZES[block.style])


NOTE = Style(italic=True, colour=FONT_COLOURS["note"], size=TEXT_SIZES["note"])
TABLE_TITLE = Style(bold=True)

T = TypeVar("T")


def runs(items: Sequence[T]) -> list[tuple[int, int, T]]:
    """(start, end inclusive, item) for runs of equal neighbours."""
    out: list[tuple[int, int, T]] = []
    start = 0
    for i in range(1, len(items) + 1):
        if i == len(items) or items[i] != items[start]:
            out.append((start, i - 1, items[start]))
            start = i
    return out


def _width(table: sm.Table) -> int:
    return max(len(table.columns), 1)


def row_cells(table: sm.Table, row: sm.Row) -> list[sm.Value]:
    """A row's cells across the table: a heading row's text then empty cells."""
    width = _width(table)
    if row.style in ("heading", "subheading"):  # one text spanning the table
        first = row.cells[0] if row.cells else sm.Value("")
        return [first] + [sm.EMPTY] * (width - 1)
    cells = list(row.cells[:width])
    return cells + [sm.EMPTY] * (width - len(cells))


def table_grid(table: sm.Table) -> list[list[sm.Value]]:
    """The cells of a table block from its first row (title, band or headings) to its
    last note, as Values; empty cells are `sm.EMPTY`."""
    width = _width(table)

    def line(first: str) -> list[sm.Value]:
        return [sm.Value(first)] + [sm.EMPTY] * (width - 1)

    grid: list[list[sm.Value]] = []
    if table.title:
        grid.append(line(table.title))
    grid.append([sm.Value(h) for h in table.headings] or [sm.Value("Kolumn 1")])
    grid.extend(row_cells(table, row) for row in table.rows)
    grid.extend(line(note) for note in table.notes)
    return grid


def _heading_style(col: sm.Column, top_line: bool, first: bool = False) -> Style:
    """A heading cell: text left, numbers right; a narrow text column after the first
    (a flag such as Stjärna or Osäker) and verdicts centred, so that no heading runs
    into its right-aligned neighbour."""
    narrow = col.kind == "text" and not first and col.width is not None and col.width <= 16
    return Style(bold=True, fill=FILLS["columns"], bottom_line=True, top_line=top_line,
                 horizontal=("center" if narrow or col.kind in ("verdict", "arrow") else
                             "left" if col.kind == "text" else "right"),
                 vertical="bottom", wrap=True)


def table_styles(table: sm.Table) -> list[list[Style | None]]:
    """The style of each cell of `table_grid(table)`; None: a cell left untouched."""
    width = _width(table)
    out: list[list[Style | None]] = []
    if table.title:
        out.append([TABLE_TITLE] + [None] * (width - 1))
    out.append([_heading_style(c, True, j == 0) for j, c in enumerate(table.columns)]
               or [None])
    for r in table.rows:
        cells = row_cells(table, r)
        if r.style in ("heading", "subheading"):
            fill = FILLS[r.style]
            heading: list[Style | None] = [value_style(cells[0], fill=fill, bold=True)]
            out.append(heading + [Style(fill=fill)] * (width - 1))
            continue
        total = r.style == "total"
        styles: list[Style | None] = [
            value_style(v, bold=total, wrap=col.wrap, top_line=total,
                        center=j > 0 and col.kind == "text" and col.width is not None
                        and col.width <= 16)
            for j, (v, col) in enumerate(zip(r.cells, table.columns, strict=False))]
        rest = width - len(styles)
        styles += [Style(top_line=True) if total else None] * rest
        out.append(styles)
    out.extend([NOTE] + [None] * (width - 1) for _ in table.notes)
    return out


def _shown(v: sm.Value) -> str:
    if v.value is None:
        return ""
    if isinstance(v.value, float) and v.kind in ("share", "pp"):
        return "100%"
    return str(v.value)


def column_widths(sheet: sm.Sheet) -> dict[int, float]:
    """Widths in characters by 1-based column: the sheet's, else the widest table
    column's, else from the longest heading word or value."""
    widths: dict[int, float] = {}
    for block in sheet.blocks:
        if not isinstance(block, sm.Table):
            continue
        for j, (col, heading) in enumerate(zip(block.columns, block.headings, strict=True),
                                           start=1):
            if col.width is not None:
                widths[j] = max(widths.get(j, 0), col.width)
            else:
                # The heading row wraps: its longest word, not the whole heading, counts.
                word = max((len(w) for w in heading.split()), default=0)
                longest = max([word] + [len(_shown(r.cells[j - 1]))
                              for r in block.rows if len(r.cells) >= j and r.style == "normal"])
                widths[j] = max(widths.get(j, 0), min(max(longest + 2, 6), MAX_AUTO_WIDTH))
    for j, w in enumerate(sheet.column_widths, start=1):
        if w is not None:
            widths[j] = w
    return widths


def wrapped_lines(text: str, width: float) -> int:
    """Lines `text` takes when wrapped in a column `width` characters wide."""
    per_line = max(int(width * 1.15) - 1, 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def table_row_heights(table: sm.Table, widths: dict[int, float]) -> dict[int, float]:
    """Heights in points of the grid rows (0-based, as `table_grid`) that wrap onto more
    than one line: the headings, spanning heading rows and wrapping columns."""
    heights: dict[int, float] = {}
    top = 1 if table.title else 0
    lines = max([1] + [wrapped_lines(h, widths.get(j, DEFAULT_WIDTH))
                       for j, h in enumerate(table.headings, start=1)])
    if lines > 1:
        heights[top] = LINE_HEIGHT * lines
    for i, row in enumerate(table.rows, start=top + 1):
        if row.style in ("heading", "subheading"):
            continue  # one line running over the empty cells beside it
        else:
            lines = max([1] + [wrapped_lines(v.value, widths.get(j, DEFAULT_WIDTH))
                               for j, (v, col) in enumerate(zip(row.cells, table.columns,
                                                                strict=False), start=1)
                               if col.wrap and isinstance(v.value, str)])
        if lines > 1:
            heights[i] = LINE_HEIGHT * lines
    return heights
