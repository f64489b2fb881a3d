"""Both renderers draw one sheet model alike: the same values, number formats, fills,
fonts, Excel tables (name, range, style) and no merged cells (openpyxl read back from
the file; xlwings replayed from the actions its remote engine sends to an Office.js
client, which draws fonts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell import MergedCell

from indikator_xl.figures.analysis import analyse
from indikator_xl.render.to_openpyxl import render as render_file
from indikator_xl.render.to_xlwings import render as render_book
from indikator_xl.sheets import sheetmodel as sm
from indikator_xl.sheets.result_sheets import result_workbook
from indikator_xl.validation.registration import load_registration
from tests.actions import replay
from tests.remote_book import enable_remote_engine, open_book, payload
from tests.result_books import hostile_registration


@pytest.fixture(autouse=True)
def _remote(monkeypatch: pytest.MonkeyPatch) -> None:
    enable_remote_engine(monkeypatch)


def _hand_made() -> sm.Workbook:
    cols = (sm.Column("Mått", width=30), sm.Column("Förbundet", "share", band="Andel"),
            sm.Column("Riket", "share", band="Andel"), sm.Column("n", "count"),
            sm.Column("Nivå", width=8))
    rows = (
        sm.Row((sm.Value("Indikator 1: en lång rubrik"),), "heading"),
        sm.Row((sm.Value("Fråga 1"),), "subheading"),
        sm.Row((sm.Value("Samtliga"), sm.Value(0.5, "share", {"hogre"}),
                sm.Value(0.4, "share", {"lagre", "stjarna"}, '0%"*"'),
                sm.Value(12, "count"), sm.Value("Fel", emphasis={"fel"}))),
        sm.Row((sm.Value("Kvinnor", emphasis={"osaker"}), sm.Value("–", "share", {"dold"}),
                sm.Value(0.25, "share", {"osaker"}), sm.Value(3, "count"),
                sm.Value("Varning", emphasis={"varning"}))),
        sm.Row((sm.Value("Totalt", emphasis={"bold"}), sm.Value(0.75, "share")), "total"),
    )
    table = sm.Table("t", cols, rows, title="Tabell", notes=("En not.",))
    return sm.Workbook((sm.Sheet("Res", (
        sm.Text("Titel", "title"), sm.Text("Rubrik", "heading"), sm.Text("Vanlig"),
        sm.Text("Länk", link=sm.Link("Res", "A1")), table, sm.Text("Not", "note"))),))


def _value(v: Any) -> Any:
    """openpyxl stores floats with 15 significant digits; compare at 12 decimals."""
    if v == "":
        return None
    return round(v, 12) if isinstance(v, float) else v


def _colour(rgb: Any) -> str | None:
    return "#" + rgb[-6:].lower() if isinstance(rgb, str) else None


def _from_file(path: Path, name: str) -> dict[str, Any]:
    ws = openpyxl.load_workbook(path)[name]
    cells: dict[tuple[int, int], tuple] = {}
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c, MergedCell):
                continue
            fill = _colour(c.fill.start_color.rgb) if c.fill.fill_type == "solid" else None
            value = _value(c.value)
            fmt = c.number_format if isinstance(value, int | float) else None
            font = (bool(c.font.b), bool(c.font.i), _colour(c.font.color.rgb)
                    if c.font.color is not None else None, float(c.font.sz or 11))
            if value is None and fill is None and font == (False, False, None, 11.0):
                continue
            cells[(c.row, c.column)] = (value, fmt, fill, font)
    merges = sorted((m.min_row, m.min_col, m.max_row, m.max_col)
                    for m in ws.merged_cells.ranges)
    tables = sorted((t.displayName, t.ref, t.tableStyleInfo.name) for t in ws.tables.values())
    return {"cells": cells, "merges": merges, "tables": tables}


def _from_actions(book: Any, initial: list[str], name: str) -> dict[str, Any]:
    state = replay(initial, book.json()["actions"]).sheet(name)
    cells: dict[tuple[int, int], tuple] = {}
    merged = {(r, c) for r0, c0, r1, c1 in state.merges for r in range(r0, r1 + 1)
              for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
    for key in {*state.values, *state.fills, *state.fonts} - merged:
        value = _value(state.values.get(key))
        fmt = state.formats.get(key) if isinstance(value, int | float) else None
        f = state.fonts.get(key, {})
        font = (bool(f.get("bold")), bool(f.get("italic")), f.get("color"),
                float(f.get("size", 11)))
        fill = state.fills.get(key)
        if value is None and fill is None and font == (False, False, None, 11.0):
            continue
        cells[key] = (value, fmt, fill, font)
    return {"cells": cells, "merges": sorted(state.merges), "tables": sorted(state.tables)}


def _both(model: sm.Workbook, tmp_path: Path) -> list[tuple[dict, dict]]:
    path = tmp_path / "ut.xlsx"
    render_file(model, path)
    body = payload({"Förbund": [["Samordningsförbund", "X"]]})
    body["client"] = "Office.js"
    book = open_book(body)
    render_book(book, model)
    return [(_from_file(path, s.name), _from_actions(book, ["Förbund"], s.name))
            for s in model.sheets]


def test_hand_made_model_looks_the_same(tmp_path: Path) -> None:
    [(drawn_file, drawn_book)] = _both(_hand_made(), tmp_path)
    assert drawn_file == drawn_book
    cells = drawn_file["cells"]
    # The table starts in row 9: title, headings (the band starts them), two heading
    # rows, data from 13; one Excel table over headings and rows, nothing merged.
    assert cells[(13, 2)] == (0.5, "0%", "#c6efce", (False, False, "#006100", 11.0))
    assert cells[(13, 3)] == (0.4, '0%"*"', "#ffc7ce", (True, False, "#9c0006", 11.0))
    assert cells[(14, 1)][3] == (False, True, None, 11.0)       # osaker: italic
    assert cells[(13, 5)][3] == (True, False, "#a00000", 11.0)  # fel
    assert cells[(1, 1)] == ("Titel", None, None, (True, False, None, 14.0))
    assert cells[(10, 2)][0] == "Andel: Förbundet" and cells[(10, 3)][0] == "Andel: Riket"
    assert drawn_file["merges"] == []
    assert drawn_file["tables"] == [("T_Res_t", "A10:E15", "TableStyleLight1")]


def test_result_workbook_looks_the_same(tmp_path: Path) -> None:
    reg = load_registration(hostile_registration(tmp_path / "in.xlsx"))
    model = result_workbook(analyse(reg))
    shown = sm.Workbook(tuple(s for s in model.sheets if not s.hidden))
    drawn = _both(shown, tmp_path)
    for sheet, (drawn_file, drawn_book) in zip(shown.sheets, drawn, strict=True):
        assert drawn_file["merges"] == drawn_book["merges"] == []
        assert drawn_file["tables"] == drawn_book["tables"]
        if any(isinstance(b, sm.Chart | sm.ChartGrid) for b in sheet.blocks):
            # Office.js draws the charts with their series styles, but xlwings has no
            # action for a chart's alternative text: the sheet says so below its end.
            note = drawn_book["cells"].pop((sm.layout(sheet).last_row + 2, 1))
            assert note[0].startswith("Kunde inte visas i den här Excel-miljön: "
                                      "diagrammens alternativtext")
        assert drawn_file["cells"] == drawn_book["cells"]
    assert all(f["tables"] for f, _ in drawn)
    assert [len(f["cells"]) > 10 for f, _ in drawn] == [True] * 10
