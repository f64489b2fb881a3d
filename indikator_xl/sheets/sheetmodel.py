"""A plain description of result sheets, independent of any Excel library.

Builders (`result_sheets`, the national merge) describe *what* a sheet shows; renderers
(`render_openpyxl`, the xlwings add-in) only draw it. A sheet is a vertical flow of
blocks — `Text`, `Table`, `Chart` — separated by one empty row, starting at A1.

Every `Table` is drawn as an Excel table (a ListObject named `excel_table_name`): one
heading row with text in every cell (`Table.headings`; a column's `band` becomes the
start of its heading, so no cell spans columns), the rows below it, starting in
column A. Its title is a line above the table and its notes lines below it, outside
(`excel_tables` names the tables and splits one table per question).
`layout()` turns that flow into row numbers, so every renderer puts each block, frozen
pane, print-title row and chart anchor at the same cell.

Values carry what they *are* (`kind`), not how a library draws them: the renderer takes
`Value.number_format` (the kind's format unless the builder set one) and the emphasis
flags. A hidden cell is written by the builder as the text "–"; renderers do not invent
content.

Example::

    from indikator_xl.sheets.sheetmodel import (Chart, Column, Row, Sheet, Table, Text, Value,
                                         Workbook, layout)

    table = Table(
        name="nyckeltal",
        title="Nyckeltal per indikator",
        columns=(Column("Indikator", "text", width=40),
                 Column("Förbundet", "share"), Column("Rikssnitt", "share")),
        rows=(Row((Value("1 Personcentrering"), Value(0.83, "share", {"hogre"}),
                   Value(0.78, "share"))),),
        notes=("Nyckeltal: andel klart positiva svar.",),
    )
    sheet = Sheet("Diagram", blocks=(
        Text("Diagram", style="title"),
        table,
        Chart("bar", "Nyckeltal per indikator", table="nyckeltal",
              category_column=0, series_columns=(1, 2)),
    ))
    book = Workbook((sheet,))
    pos = layout(sheet)
    # row 1 "Diagram", row 2 empty, row 3 table title, row 4 headings, row 5 data,
    # row 6 the note, row 7 empty, the chart anchored at A8
    pos.tables["nyckeltal"].heading_row  # 4
    pos.tables["nyckeltal"].cell(0, 1)   # "B5"
    pos.tables["nyckeltal"].ref          # "A4:C5" (the Excel table)
    pos.charts                           # ("A8",)
    pos.freeze, pos.repeat_rows          # ("A5", "4:4")
"""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Literal

from indikator_xl.domain.cells import cell_ref, column_letter  # noqa: F401 - part of the layout API

Kind = Literal["text", "count", "share", "pp", "p_value", "year", "arrow", "verdict",
               "number"]
"""What a value is. share: fraction 0–1 shown in whole percent; count: an n; pp: a
difference in percentage points; p_value: 0–1 shown with three decimals; arrow: ↑ → ↓;
verdict: Högre / Lägre / Varken högre eller lägre / ingår ej."""

Emphasis = Literal["hogre", "lagre", "stjarna", "dold", "osaker", "fisher", "fel",
                   "varning", "bold", "italic"]
"""hogre/lagre: higher/lower than rikssnitt; stjarna: significant (starred); dold: hidden
by the small-group rule; osaker: n < 10; fisher: Fisher's exact test was used;
fel/varning: a validation problem's level; bold/italic: plain typographic emphasis."""

RowStyle = Literal["normal", "heading", "subheading", "total"]
"""heading/subheading: a line inside a table with one text in its first cell (filled
across the table, never merged; prefer one table per question); total: a Totalt row."""

TextStyle = Literal["title", "heading", "normal", "note"]

DEFAULT_FORMATS: Mapping[str, str] = {
    "text": "@",
    "count": "#,##0",
    "share": "0%",
    "pp": "+0;-0;0",
    "p_value": "0.000",
    "year": "0",
    "arrow": "@",
    "verdict": "@",
    "number": "General",
}

CellValue = str | int | float | bool | None


@dataclass(frozen=True)
class Link:
    """An internal hyperlink to a sheet and cell, e.g. Link("Personal", "C7")."""

    sheet: str
    cell: str = "A1"

    @property
    def target(self) -> str:
        """The location string Excel expects: ``#'Personal'!C7``."""
        return f"#'{self.sheet.replace(chr(39), chr(39) * 2)}'!{self.cell}"

    @property
    def location(self) -> str:
        """The same without the leading '#' (openpyxl's ``Hyperlink.location``)."""
        return self.target[1:]


@dataclass(frozen=True)
class Value:
    """One cell: the value, what it is, and how it is emphasised."""

    value: CellValue = None
    kind: Kind = "text"
    emphasis: AbstractSet[str] = field(default_factory=frozenset)  # kept as a frozenset
    number_format: str | None = None
    link: Link | None = None
    comment: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.emphasis, frozenset):
            object.__setattr__(self, "emphasis", frozenset(self.emphasis))

    @property
    def format(self) -> str:
        """The number format to draw with: the builder's, else the kind's default."""
        if self.number_format is not None:
            return self.number_format
        if isinstance(self.value, str):
            return "@"
        return DEFAULT_FORMATS[self.kind]


EMPTY = Value()


@dataclass(frozen=True)
class Column:
    """A table column: heading, the kind of its values, width in Excel characters, an
    optional band heading drawn above it (adjacent columns with the same band share one),
    and whether long text wraps inside the column (the row grows)."""

    heading: str
    kind: Kind = "text"
    width: float | None = None
    band: str | None = None
    wrap: bool = False


@dataclass(frozen=True)
class Row:
    cells: tuple[Value, ...]
    style: RowStyle = "normal"


@dataclass(frozen=True)
class Table:
    """A titled table. `name` identifies it for charts and layout (unique per sheet)."""

    name: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    title: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def has_band(self) -> bool:
        return any(c.band for c in self.columns)

    @property
    def headings(self) -> tuple[str, ...]:
        """The heading row as the Excel table holds it: every cell text, unique within
        the table (Excel requires it), a band as the start ("Kvinnor: Skillnad")."""
        out: list[str] = []
        seen: set[str] = set()
        for j, c in enumerate(self.columns, start=1):
            text = " ".join(c.heading.split()) or f"Kolumn {j}"
            if c.band:
                text = f"{c.band}: {text}"
            base, k = text, 2
            while text.casefold() in seen:
                text, k = f"{base} ({k})", k + 1
            seen.add(text.casefold())
            out.append(text)
        return tuple(out)


@dataclass(frozen=True)
class Text:
    """A line of text (a sheet title, a count line, a note); may link somewhere."""

    text: str
    style: TextStyle = "normal"
    link: Link | None = None


@dataclass(frozen=True)
class Chart:
    """A native chart over a table of the same sheet: categories from one column, one
    series per value column (series named by the column heading).

    bar: horizontal bars, categories listed top-down; line: one line per series over the
    categories (periods). `rows` is the height the chart takes in the flow.

    by_rows: the other way round — one series per table row (named by its
    `category_column` cell) over the `series_columns` (categories named by their
    headings), e.g. a row per indicator and a column per period.

    new_page: when printed, the chart starts on a new page (it is never cut in two).

    description: the alternative text (what the chart shows, for a screen reader).
    axis: the value axis as (minimum, maximum, major unit); None is 0–100 % for a
    percent chart and the library's own choice otherwise. table_rows: with by_rows,
    only these data rows (0-based, first and last) become series; category_row: the
    data row whose `series_columns` cells name the categories (None: the headings).
    legend: False leaves the legend out (a chart of one series named by its title)."""

    kind: Literal["bar", "line"]
    title: str
    table: str
    category_column: int = 0
    series_columns: tuple[int, ...] = (1,)
    y_title: str | None = None
    x_title: str | None = None
    percent: bool = True
    rows: int = 20
    width_cm: float = 24.0
    by_rows: bool = False
    new_page: bool = False
    description: str = ""
    axis: tuple[float, float, float] | None = None
    table_rows: tuple[int, int] | None = None
    category_row: int | None = None
    legend: bool = True


@dataclass(frozen=True)
class ChartGrid:
    """Small multiples: charts of one size side by side, `per_row` to a row, read left to
    right and top-down; every `rows_per_page` rows of charts start a printed page."""

    charts: tuple[Chart, ...]
    per_row: int = 3
    rows_per_page: int = 2
    new_page: bool = True  # False: the first row of charts follows on the same page

    @property
    def grid_rows(self) -> int:
        return -(-len(self.charts) // self.per_row)

    @property
    def height(self) -> int:
        """Rows from one row of charts to the next (the tallest chart and one empty row)."""
        return max((c.rows for c in self.charts), default=0) + 1


Block = Text | Table | Chart | ChartGrid



@dataclass(frozen=True)
class PageSetup:
    """Print options: A4 landscape, fit to page width, heading rows repeated on each page."""

    paper: Literal["A4"] = "A4"
    landscape: bool = True
    fit_to_width: bool = True
    repeat_heading: bool = True


@dataclass(frozen=True)
class Sheet:
    """One worksheet.

    freeze_heading: freeze panes below the column headings of the first table (and
    `frozen_columns` columns to the left). column_widths: widths by column index; a
    table column's own `width` wins over the default but not over these."""

    name: str
    blocks: tuple[Block, ...]
    hidden: bool = False
    freeze_heading: bool = True
    frozen_columns: int = 0
    column_widths: tuple[float | None, ...] = ()
    page: PageSetup = field(default_factory=PageSetup)


@dataclass(frozen=True)
class Workbook:
    sheets: tuple[Sheet, ...]
    title: str = ""

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


# ---------------------------------------------------------------- layout (pure arithmetic)



@dataclass(frozen=True)
class TablePlace:
    """Where a table landed. Rows are 1-based; data cell (i, j) is 0-based."""

    title_row: int | None
    band_row: int | None
    heading_row: int
    first_row: int
    last_row: int
    notes_row: int | None
    n_columns: int

    def cell(self, i: int, j: int) -> str:
        return cell_ref(self.first_row + i, j + 1)

    @property
    def ref(self) -> str:
        """The Excel table's range, heading row included ("A4:C9")."""
        return f"A{self.heading_row}:{cell_ref(max(self.last_row, self.first_row), self.n_columns)}"



@dataclass(frozen=True)
class ChartPlace:
    """Where a chart landed: its top row, its place in a grid row (0 = column A; the
    renderers' `look.chart_anchor` turns it into a column) and whether a printed page
    starts there."""

    chart: Chart
    row: int
    slot: int = 0
    new_page: bool = False

    @property
    def break_after(self) -> int:
        """With new_page, the row after which the printed page ends: the empty row above
        the chart starts the new page (a page ending right at the chart's edge prints a
        sliver of it at the foot of the page before, in LibreOffice)."""
        return max(self.row - 2, 1)


@dataclass(frozen=True)
class SheetLayout:
    block_rows: tuple[int, ...]
    tables: dict[str, TablePlace]
    charts: tuple[str, ...]  # anchor cell per chart (in a grid: its row's column A)
    freeze: str | None       # e.g. "A5": rows above (and columns left) stay frozen
    repeat_rows: str | None  # e.g. "3:4" (print titles)
    last_row: int
    chart_places: tuple[ChartPlace, ...] = ()


def layout(sheet: Sheet) -> SheetLayout:
    """Row numbers of every block, following the flow rule of this module."""
    row = 1
    starts: list[int] = []
    tables: dict[str, TablePlace] = {}
    charts: list[str] = []
    places: list[ChartPlace] = []
    for block in sheet.blocks:
        starts.append(row)
        if isinstance(block, Text):
            row += 1
        elif isinstance(block, Chart):
            charts.append(cell_ref(row, 1))
            places.append(ChartPlace(block, row, 0, block.new_page))
            row += block.rows
        elif isinstance(block, ChartGrid):
            for k, chart in enumerate(block.charts):
                line, slot = divmod(k, block.per_row)
                top = row + line * block.height
                charts.append(cell_ref(top, 1))
                places.append(ChartPlace(chart, top, slot, slot == 0 and (
                    line % block.rows_per_page == 0 and (line > 0 or block.new_page))))
            row += block.grid_rows * block.height - 1
        else:
            title_row = row if block.title else None
            row += 1 if block.title else 0
            band_row = None  # bands are part of the headings (`Table.headings`)
            heading_row = row
            first = heading_row + 1
            last = heading_row + len(block.rows)
            notes_row = last + 1 if block.notes else None
            tables[block.name] = TablePlace(title_row, band_row, heading_row, first, last,
                                            notes_row, len(block.columns))
            row = last + 1 + len(block.notes)
        row += 1  # one empty row between blocks
    first_table = next((tables[b.name] for b in sheet.blocks if isinstance(b, Table)), None)
    freeze = repeat = None
    if first_table is not None:
        if sheet.freeze_heading:
            freeze = cell_ref(first_table.heading_row + 1, sheet.frozen_columns + 1)
        elif sheet.frozen_columns:
            freeze = cell_ref(1, sheet.frozen_columns + 1)
        if sheet.page.repeat_heading:
            repeat = f"{first_table.heading_row}:{first_table.heading_row}"
    elif sheet.frozen_columns:
        freeze = cell_ref(1, sheet.frozen_columns + 1)
    return SheetLayout(tuple(starts), tables, tuple(charts), freeze, repeat, max(row - 2, 1),
                       tuple(places))
