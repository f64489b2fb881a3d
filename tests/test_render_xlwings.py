"""The xlwings renderer on hand-made sheet models (remote engine, real actions)."""

from __future__ import annotations

import pytest

from indikator_xl.render.to_xlwings import (
    BASIC_REMOTE_ACTIONS,
    MARKER,
    Capabilities,
    render,
)
from indikator_xl.sheets import sheetmodel as sm
from indikator_xl.sheets.look import FILLS, css, table_grid
from tests.actions import replay
from tests.remote_book import enable_remote_engine, open_book, payload

SHEETS = {"Förbund": [["Samordningsförbund", "X"]], "Egen": [["min text"]]}


@pytest.fixture(autouse=True)
def _remote(monkeypatch: pytest.MonkeyPatch) -> None:
    enable_remote_engine(monkeypatch)


def _table(**kw) -> sm.Table:
    cols = (sm.Column("Mått", width=30), sm.Column("Förbundet", "share", band="Andel"),
            sm.Column("Riket", "share", band="Andel"), sm.Column("n", "count"))
    rows = (
        sm.Row((sm.Value("Indikator 1: en lång rubrik"),), "heading"),
        sm.Row((sm.Value("=SUMMA(A1)"), sm.Value(0.5, "share", {"hogre"}),
                sm.Value(0.4, "share"), sm.Value(12, "count"))),
        sm.Row((sm.Value("Kvinnor", emphasis={"osaker"}), sm.Value("–", "share", {"dold"}),
                sm.Value(float("nan"), "share"), sm.Value(3, "count"))),
        sm.Row((sm.Value("Till cellen", link=sm.Link("Förbund", "B1")),)),
    )
    return sm.Table("t", cols, rows, title="Tabell", notes=("En not.",), **kw)


def _book(client="Microsoft Office Scripts", names=None, sheets=None):
    body = payload(sheets or SHEETS)
    body["client"] = client
    body["names"] = names or []
    return open_book(body), [s["name"] for s in body["sheets"]]


def test_grid_matches_the_layout():
    table = _table()
    grid = table_grid(table)
    place = sm.layout(sm.Sheet("s", (table,))).tables["t"]
    assert len(grid) == place.last_row + len(table.notes)  # table starts in row 1
    assert [v.value for v in grid[place.heading_row - 1]] == [
        "Mått", "Andel: Förbundet", "Andel: Riket", "n"]
    assert place.heading_row == 2  # the band is in the headings, not a row of its own
    assert [v.value for v in grid[place.first_row - 1]] == ["Indikator 1: en lång rubrik",
                                                            None, None, None]


def test_one_bulk_write_per_table_with_text_formats_first():
    book, initial = _book()
    model = sm.Workbook((sm.Sheet("Res", (sm.Text("Titel", "title"), _table())),))
    report = render(book, model)
    done = replay(initial, book.json()["actions"])
    res = done.sheet("Res")
    writes = [a for a in book.json()["actions"] if a["func"] == "setValues"]
    assert [(w["start_row"], w["row_count"], w["column_count"]) for w in writes[:2]] == \
        [(0, 1, 1), (2, 7, 4)]
    # Row 3 title, 4 headings, 5 indicator heading, 6–8 data, 9 note.
    assert res.values[(6, 1)] == "=SUMMA(A1)"
    assert res.format_when_written[(6, 1)] == "@"
    assert res.format_when_written[(6, 2)] == "0%"
    assert res.format_when_written[(6, 4)] == "#,##0"
    assert res.values[(7, 3)] == ""  # NaN is written as an empty cell
    assert res.fills[(6, 2)] == css(FILLS["hogre"])
    assert res.fills[(5, 1)] == css(FILLS["heading"])
    assert res.links[(8, 1)] == ("#'Förbund'!B1", "Till cellen")
    assert res.values[(9, 1)] == "En not."
    assert res.tables == [("T_Res_t", "A4:D8", "TableStyleLight1")]
    assert res.names == [MARKER]
    assert set(done.funcs) <= BASIC_REMOTE_ACTIONS
    assert report.left_out["Res"] == ["låsta rubrikrader"]


def test_office_js_gets_fonts_widths_tables_and_frozen_headings():
    book, initial = _book("Office.js")
    model = sm.Workbook((sm.Sheet("Res", (_table(),), frozen_columns=1,
                                  column_widths=(None, None, None, 6.0)),))
    report = render(book, model)
    assert report.left_out == {}
    actions = book.json()["actions"]
    widths = {a["start_column"]: a["args"][0] for a in actions
              if a["func"] == "setColumnWidth"}
    # 30 and 6 characters as set; the others from the longest word of their headings
    # (which wrap), as render_openpyxl does: "Förbundet" + 2 = 11 and, of "Andel: Riket",
    # "Andel:" + 2 = 8 characters.
    assert widths == {0: 161.25, 1: 61.5, 2: 45.75, 3: 35.25}
    assert [a["args"][0] for a in actions if a["func"] == "freezePaneAtRange"] == ["A1:A2"]
    assert [a["func"] for a in actions if a["func"] == "rangeMerge"] == []
    assert [a["args"][3] for a in actions if a["func"] == "addTable"] == ["T_Res_t"]
    fonts = {(a["start_row"], a["start_column"], a["args"][0]) for a in actions
             if a["func"] == "setFontProperty"}
    assert (4, 0, "italic") in fonts  # osaker
    assert (3, 1, "color") in fonts   # hogre


def test_chart_on_basic_client_leaves_a_note_and_office_js_draws_it():
    table = _table()
    chart = sm.Chart("line", "Över tid", table="t", series_columns=(1, 2), rows=10)
    model = sm.Workbook((sm.Sheet("Res", (table, chart)),))
    book, initial = _book()
    report = render(book, model)
    assert any("Över tid" in s for s in report.left_out["Res"])
    book, initial = _book("Office.js")
    render(book, model)
    added = [a["args"] for a in book.json()["actions"] if a["func"] == "addChart"]
    assert [(a[1], a[2], a[3], a[8]) for a in added] == [
        ("LineMarkers", "Res", "$A$2:$C$6", "Columns")]


def test_chart_by_rows_plots_one_series_per_table_row():
    """The Diagram sheet's trend chart has one line per indicator row (Chart.by_rows)."""
    chart = sm.Chart("line", "Över tid", table="t", series_columns=(1, 2), rows=10,
                     by_rows=True)
    book, _ = _book("Office.js")
    render(book, sm.Workbook((sm.Sheet("Res", (_table(), chart)),)))
    added = [a["args"] for a in book.json()["actions"] if a["func"] == "addChart"]
    assert [(a[3], a[8]) for a in added] == [("$A$2:$C$6", "Rows")]


def test_hidden_sheet_is_hidden_where_possible():
    model = sm.Workbook((sm.Sheet("Data", (sm.Text("x"),), hidden=True),))
    book, _ = _book("Office.js")
    render(book, model)
    assert ["Hidden"] in [a["args"] for a in book.json()["actions"]
                          if a["func"] == "setSheetVisibility"]
    book, _ = _book()
    assert "att dölja bladet" in render(book, model).left_out["Data"]


def test_a_book_of_only_old_results_keeps_one_sheet_while_replacing():
    names = [{"name": MARKER, "sheet_index": 0, "address": "A1", "book_scope": False,
              "scope_sheet_name": "Res", "scope_sheet_index": 0}]
    book, initial = _book(names=names, sheets={"Res": [["gammalt"]]})
    render(book, sm.Workbook((sm.Sheet("Res", (sm.Text("nytt"),)),)))
    done = replay(initial, book.json()["actions"])
    assert done.names == ["Res"]
    assert done.funcs[:3] == ["addSheet", "sheetDelete", "addSheet"]
    assert done.sheet("Res").values[(1, 1)] == "nytt"


def test_capabilities():
    book, _ = _book()
    assert Capabilities.of(book) == Capabilities(False, False, False, False, False, False,
                                                 False)
    book, _ = _book("Office.js")
    assert Capabilities.of(book).charts and not Capabilities.of(book).page_setup


def test_charts_carry_series_styles_axis_and_legend_on_office_js():
    """The same chart spec as the file renderers: markers and colours per series, the
    value axis of the model, the legend hidden or placed, grid charts side by side; what
    xlwings cannot send (alternative text, hatching) is said on the sheet."""
    line = sm.Chart("line", "Över tid", table="t", series_columns=(1, 2), rows=10,
                    by_rows=True, table_rows=(1, 2), axis=(0.3, 0.6, 0.05),
                    description="Beskrivning", width_cm=8)
    bar = sm.Chart("bar", "Staplar", table="t", series_columns=(1, 2), legend=False)
    book, _ = _book("Office.js")
    report = render(book, sm.Workbook((sm.Sheet("Res", (
        _table(), sm.ChartGrid((line, line)), bar)),)))
    actions = [(a["func"], a["args"]) for a in book.json()["actions"] if "Chart" in a["func"]]
    added = [args for func, args in actions if func == "addChart"]
    # Series rows 4-5 of the table, their categories from the heading row 2 (the band
    # is part of the headings, not a row of its own).
    assert [(a[3], a[9]) for a in added] == [("$A$4:$C$5", "$A$9"), ("$A$4:$C$5", "$C$9"),
                                             ("$A$2:$C$6", "$A$20")]
    assert ("setChartXAxisValues", [0, "Res", "$B$2:$C$2"]) in actions
    for key, value in (("minimum_scale", 0.3), ("maximum_scale", 0.6), ("major_unit", 0.05)):
        assert ("setChartAxis", [0, "value", {key: value}]) in actions
    assert ("setChartAxis", [2, "value", {"maximum_scale": 1.0}]) in actions
    series = [args for func, args in actions if func == "setChartSeries"]
    assert [(s[0], s[1], s[2].get("marker_style"), s[2]["line_color"]) for s in series] == [
        (0, 0, "Circle", "#1f4e79"), (0, 1, "Triangle", "#a63d00"),
        (1, 0, "Circle", "#1f4e79"), (1, 1, "Triangle", "#a63d00"),
        (2, 0, None, "#1f4e79"), (2, 1, None, "#a63d00")]
    assert ("setChartLegend", [0, "position", "Bottom"]) in actions
    assert ("setChartLegend", [2, "visible", False]) in actions
    assert report.left_out["Res"] == ["diagrammens alternativtext", "randiga staplar"]
