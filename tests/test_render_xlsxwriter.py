"""The XlsxWriter renderer draws a sheet model as the openpyxl renderer does: read back
with openpyxl, both files hold the same values, number formats, fonts, fills, borders,
alignments, merged ranges, column widths, row heights, frozen panes, print settings,
hyperlinks and charts. Hostile text stays text, and a fixed creation time makes the
file the same byte for byte."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell import MergedCell

from indikator_xl.figures.analysis import analyse
from indikator_xl.figures.national import merge_folder
from indikator_xl.figures.rikssnitt import published
from indikator_xl.reader import read_workbook
from indikator_xl.render import to_openpyxl as render_openpyxl
from indikator_xl.render import to_xlsxwriter as render_xlsxwriter
from indikator_xl.sheets import sheetmodel as sm
from indikator_xl.sheets.national_sheets import national_workbook
from indikator_xl.sheets.result_sheets import result_workbook
from indikator_xl.sheets.rikssnitt_sheets import rikssnitt_workbook
from indikator_xl.validation.registration import load_registration
from tests.chart_parts import charts
from tests.national_folder import write_folder
from tests.result_books import EXAMPLE, hostile_registration

HOSTILE = ("=1+1", "=HYPERLINK(\"http://example.com\",\"x\")", "+1", "-2", "@SUM(A1)",
           "#N/A", "1e3", "05", "http://example.com", "mailto:a@b.se", "TRUE",
           "_x0041_", "a\x01b", "  mellanslag  ", "'apostrof", "x" * 40000)


def _colour(c: Any) -> str | None:
    rgb = getattr(c, "rgb", None)
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def _side(s: Any) -> tuple:
    return (None, None) if s is None or not s.style else (s.style, _colour(s.color))


def _cell(c: Any) -> tuple:
    v = c.value
    value = round(v, 12) if isinstance(v, float) else (None if v == "" else v)
    if isinstance(value, str):  # Excel reads "_x005F_" as "_" in inline text too (below)
        value = value.replace("_x005F_", "_")
    fill = _colour(c.fill.fgColor) if c.fill.fill_type == "solid" else None
    f, a = c.font, c.alignment
    font = (bool(f.b), bool(f.i), f.u or None, _colour(f.color) if f.color else None,
            float(f.sz or 11), f.name or "Calibri")
    align = (a.horizontal, a.vertical or "bottom", bool(a.wrap_text))
    link = c.hyperlink.location if c.hyperlink else None
    # Excel reads "_x005F_" in a comment as "_" (XlsxWriter escapes, openpyxl does not
    # unescape on reading), so "_x0041_" is shown as typed either way.
    comment = c.comment.text.replace("_x005F_", "_") if c.comment else None
    kind = None if value is None else c.data_type
    return (value, kind, c.number_format, font, fill, align,
            _side(c.border.top), _side(c.border.bottom), link, comment)


def _one(n: int | None) -> int:
    """Fit-to-page counts: absent means 1."""
    return 1 if n is None else int(n)


def _drawn(path: Path) -> dict[str, Any]:
    """What openpyxl reads back from a rendered file, sheet by sheet."""
    wb = openpyxl.load_workbook(path)
    drawn_charts = charts(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames, "active": wb.active.title,
                           "title": wb.properties.title, "creator": wb.properties.creator,
                           "language": wb.properties.language}
    for ws in wb.worksheets:
        cells = {c.coordinate: _cell(c) for row in ws.iter_rows() for c in row
                 if not isinstance(c, MergedCell)}
        default = _cell(ws["ZZ999"])
        ps = ws.page_setup
        out[ws.title] = {
            "cells": {k: v for k, v in cells.items() if v != default},
            "merges": sorted(str(m) for m in ws.merged_cells.ranges),
            "tables": sorted((t.displayName, t.ref, t.tableStyleInfo.name,
                              t.tableStyleInfo.showRowStripes,
                              t.autoFilter.ref if t.autoFilter else None,
                              tuple(c.name for c in t.tableColumns))
                             for t in ws.tables.values()),
            "widths": {j: round(d.width, 2) for d in ws.column_dimensions.values()
                       if d.customWidth for j in range(d.min, d.max + 1)},
            "heights": {k: d.height for k, d in ws.row_dimensions.items() if d.height},
            "freeze": ws.freeze_panes,
            "state": ws.sheet_state,
            "print": (ps.orientation, int(ps.paperSize), _one(ps.fitToWidth),
                      _one(ps.fitToHeight),
                      ws.sheet_properties.pageSetUpPr.fitToPage, ws.print_title_rows,
                      ws.oddFooter.left.text, ws.oddFooter.right.text,
                      ws.page_margins.left, ws.page_margins.top),
            "breaks": [b.id for b in ws.row_breaks.brk],
            "charts": [_chart(c) for c in drawn_charts[ws.title]],
        }
    return out


def _chart(c: dict[str, Any]) -> dict[str, Any]:
    """A chart as both writers must draw it: the anchor's column offset in whole pixels
    (XlsxWriter counts pixels, openpyxl EMU), a series name's cell without "$" (openpyxl
    writes it relative)."""
    col, row, offset = c["anchor"]
    series = [{**s, "name": s["name"].replace("$", "") if s["name"] else None}
              for s in c["series"]]
    return {**c, "anchor": (col, row, round(offset / 9525)), "series": series}


def _render_both(model: sm.Workbook, tmp_path: Path) -> tuple[dict, dict]:
    a, b = tmp_path / "openpyxl.xlsx", tmp_path / "xlsxwriter.xlsx"
    render_openpyxl.render(model, a)
    render_xlsxwriter.render(model, b)
    return _drawn(a), _drawn(b)


def _same(model: sm.Workbook, tmp_path: Path) -> dict:
    by_openpyxl, by_xlsxwriter = _render_both(model, tmp_path)
    assert by_xlsxwriter.keys() == by_openpyxl.keys()
    for k in by_openpyxl:
        if not isinstance(by_openpyxl[k], dict):
            assert by_xlsxwriter[k] == by_openpyxl[k], k
            continue
        for part in by_openpyxl[k]:
            assert by_xlsxwriter[k][part] == by_openpyxl[k][part], (k, part)
    return by_xlsxwriter


def test_result_workbook_of_the_example_is_drawn_alike(tmp_path: Path) -> None:
    drawn = _same(result_workbook(analyse(load_registration(EXAMPLE))), tmp_path)
    assert drawn["language"] == "sv-SE"
    assert sum(len(drawn[s]["charts"]) for s in drawn["sheets"]) >= 1
    assert sum(len(drawn[s]["merges"]) for s in drawn["sheets"]) == 0
    assert sum(len(drawn[s]["tables"]) for s in drawn["sheets"]) > 10
    # Each table's columns are named by the heading cells drawn above its rows.
    for s in drawn["sheets"]:
        for _name, ref, _style, _stripes, _filter, names in drawn[s]["tables"]:
            first, last = ref.split(":")
            row = "".join(ch for ch in first if ch.isdigit())
            headings = [drawn[s]["cells"].get(f"{sm.column_letter(j)}{row}", (None,))[0]
                        for j in range(1, len(names) + 1)]
            assert tuple(headings) == names


def test_hostile_result_workbook_is_drawn_alike(tmp_path: Path) -> None:
    model = result_workbook(analyse(load_registration(hostile_registration(
        tmp_path / "in.xlsx"))))
    _same(model, tmp_path)


def test_national_and_rikssnitt_workbooks_are_drawn_alike(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    write_folder(folder)
    result = merge_folder(folder, workers=1)
    drawn = _same(national_workbook(result), tmp_path)
    assert all(drawn[s]["state"] == "visible" for s in drawn["sheets"])
    assert drawn["sheets"][:3] == ["Framsida", "Innehåll", "Noter"]
    assert sum(len(drawn[s]["charts"]) for s in drawn["sheets"]) > 0
    trends = [c for s in drawn["sheets"] if s.startswith("Indikator ")
              for c in drawn[s]["charts"]]
    assert trends and all(c["description"] and c["axis"] != (0, 1, 0.2) for c in trends)
    _same(rikssnitt_workbook(result.rikssnitt), tmp_path)
    _same(rikssnitt_workbook(published(2023)), tmp_path)


def _hostile_book() -> sm.Workbook:
    rows = tuple(sm.Row((sm.Value(t), sm.Value(t, "verdict", comment=t[:50]))) for t in HOSTILE)
    table = sm.Table("t", (sm.Column("Text"), sm.Column("Mer", wrap=True)), rows,
                     title="=SUM(A1:A3)", notes=("=1/0",))
    return sm.Workbook((sm.Sheet("Fientlig", (sm.Text("+cmd", "title"), table, sm.Text(
        "@länk", link=sm.Link("Fientlig", "B3")))),), title="=titel")


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    drawn = _same(_hostile_book(), tmp_path)["Fientlig"]["cells"]
    texts = [v[0] for v in drawn.values() if isinstance(v[0], str)]
    assert all(v[1] == "s" for v in drawn.values() if v[0] is not None)
    for t in ("=1+1", "+1", "#N/A", "1e3", "05", "http://example.com", "TRUE", "_x0041_",
              "'apostrof", "=SUM(A1:A3)", "=1/0", "+cmd", "@länk"):
        assert t in texts
    assert "a\ufffdb" in texts and max(len(t) for t in texts) == 32767
    path = tmp_path / "xlsxwriter.xlsx"
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and 't="e"' not in sheet
    # Our reader sees the same text (except "_x0041_", which XlsxWriter stores escaped
    # as "_x005F_x0041_" as Excel does, and the reader does not unescape yet).
    cells = read_workbook(path).sheets["Fientlig"].rows
    read_back = {r[0] for r in cells[4:4 + len(HOSTILE) - 1]}
    assert read_back >= {"a\ufffdb" if t == "a\x01b" else t for t in HOSTILE[:-1]
                         if t != "_x0041_"}


def test_fixed_creation_time_gives_the_same_bytes(tmp_path: Path) -> None:
    model = result_workbook(analyse(load_registration(EXAMPLE)))
    when = datetime(2024, 1, 1, 12, 0)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    render_xlsxwriter.render(model, a, created=when)
    render_xlsxwriter.render(model, b, created=when)
    assert a.read_bytes() == b.read_bytes()


def test_write_is_atomic_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    out = tmp_path / "ut.xlsx"
    out.write_bytes(b"gammal")
    bad = sm.Workbook((sm.Sheet("[ogiltigt]", ()),))
    with pytest.raises(Exception):  # noqa: B017 - XlsxWriter's own name error
        render_xlsxwriter.render(bad, out)
    assert out.read_bytes() == b"gammal"
    assert [p.name for p in tmp_path.iterdir()] == ["ut.xlsx"]
