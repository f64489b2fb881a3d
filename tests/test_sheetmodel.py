"""The sheet model's layout arithmetic (what every renderer relies on)."""

from __future__ import annotations

import pytest

from indikator_xl.sheets.excel_tables import excel_table_name
from indikator_xl.sheets.sheetmodel import (
    Chart,
    Column,
    Link,
    Row,
    Sheet,
    Table,
    Text,
    Value,
    cell_ref,
    column_letter,
    layout,
)


def _table(name: str, n_rows: int, band: bool = False, notes: tuple[str, ...] = ()) -> Table:
    cols = (Column("Indikator"), Column("Förbundet", "share", band="2023" if band else None))
    rows = tuple(Row((Value(f"r{i}"), Value(0.5, "share"))) for i in range(n_rows))
    return Table(name, cols, rows, title=f"Tabell {name}", notes=notes)


def test_flow_rows_freeze_and_print_titles():
    sheet = Sheet("Diagram", (Text("Diagram", "title"), _table("a", 2, notes=("not",)),
                              Chart("bar", "B", table="a", rows=10), _table("b", 1, band=True)))
    pos = layout(sheet)
    a, b = pos.tables["a"], pos.tables["b"]
    assert (a.title_row, a.heading_row, a.first_row, a.last_row, a.notes_row) == (3, 4, 5, 6, 7)
    assert pos.charts == ("A9",)
    # A band is no row of its own: it starts the column's heading (no merged cells).
    assert (b.title_row, b.band_row, b.heading_row, b.first_row) == (20, None, 21, 22)
    assert b.ref == "A21:B22" and a.ref == "A4:B6"
    assert a.cell(1, 1) == "B6"
    assert pos.freeze == "A5" and pos.repeat_rows == "4:4"
    assert pos.block_rows == (1, 3, 9, 20)


def test_headings_are_text_unique_and_carry_their_band():
    cols = (Column(""), Column("n", "count", band="2022"), Column("n", "count", band="2023"),
            Column("Andel"), Column("andel"))
    assert Table("t", cols, ()).headings == ("Kolumn 1", "2022: n", "2023: n", "Andel",
                                             "andel (2)")


def test_excel_table_names_are_valid_and_unique_per_sheet():
    assert excel_table_name("Översikt", "innehall") == "T_Oversikt_innehall"
    assert excel_table_name("Indikator 1", "n1_1") == "T_Indikator_1_n1_1"
    assert excel_table_name("Bilaga 1", "x") != excel_table_name("Bilaga 2", "x")


def test_no_table_no_freeze():
    pos = layout(Sheet("S", (Text("x"),)))
    assert pos.freeze is None and pos.repeat_rows is None and pos.last_row == 1


@pytest.mark.parametrize(("index", "letters"), [(1, "A"), (26, "Z"), (27, "AA"), (703, "AAA")])
def test_column_letters(index, letters):
    assert column_letter(index) == letters


def test_value_format_and_link():
    assert Value(0.5, "share").format == "0%"
    assert Value("–", "share", {"dold"}).format == "@"
    assert Value(0.5, "share", number_format='0%"*"').format == '0%"*"'
    assert Value(3, "count").emphasis == frozenset()
    assert Link("Deltagare avslut", "C7").target == "#'Deltagare avslut'!C7"
    assert Link("Per's", "A1").location == "'Per''s'!A1"
    assert cell_ref(7, 3) == "C7"


def test_page_breaks_keep_each_table_with_its_heading():
    from indikator_xl.sheets.pages import page_breaks, page_height, row_heights

    blocks: list = [Text("Titel", "title")]
    for k in range(12):
        blocks += [Text(f"Indikator {k}", "heading"), _table(f"t{k}", 8, notes=("not",))]
    sheet = Sheet("S", tuple(blocks))
    pos = layout(sheet)
    breaks = page_breaks(sheet)
    assert breaks  # 12 tables of 8 rows do not fit on one page
    heights = row_heights(sheet)
    starts = [1, *(b + 1 for b in breaks), pos.last_row + 2]
    for top, end in zip(starts, starts[1:], strict=False):
        assert sum(heights[r] for r in range(top, end)) <= page_height(sheet)
    # Every break falls just before a heading line: a heading, its table and the note
    # stay on one page.
    headings = [top for b, top in zip(sheet.blocks, pos.block_rows, strict=True)
                if isinstance(b, Text) and b.style == "heading"]
    assert all(b + 1 in headings for b in breaks)


def test_breaks_stop_at_the_first_chart():
    """Above the first chart the tables are kept whole; from the chart on, the chart
    layout sets the breaks (each chart starts a page)."""
    from indikator_xl.sheets.pages import page_breaks

    tables = [b for k in range(12) for b in (Text(f"Indikator {k}", "heading"),
                                             _table(f"t{k}", 8))]
    chart = Chart("bar", "B", table="t0", rows=10, new_page=True)
    before = Sheet("S", (Text("T", "title"), *tables))
    with_chart = Sheet("S", (Text("T", "title"), *tables, chart, *tables[:2]))
    assert page_breaks(with_chart) == page_breaks(before) != []
    assert page_breaks(Sheet("S", (chart, *tables))) == []
