"""Excel's `_xHHHH_` escapes in cell text (ECMA-376 ST_Xstring).

Excel writes a character XML cannot carry as `_xHHHH_` and a literal `_x0041_` typed by
the user as `_x005F_x0041_`. The reader decodes them in shared strings, inline strings and
a formula's text result, on the scan and the tree path alike; the writers escape a
literal one, so text survives a round trip through our result workbooks.
"""

from __future__ import annotations

import openpyxl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator_xl.reader import read_workbook
from indikator_xl.reader.convert import unescape_xstring
from indikator_xl.render.to_openpyxl import render as render_openpyxl
from indikator_xl.render.to_xlsxwriter import render as render_xlsxwriter
from indikator_xl.sheets import sheetmodel as sm
from tests import libreoffice
from tests.test_reader import _both_ways
from tests.xlsx_parts import package, shared_strings_xml, sheet_xml

CASES = [
    ("_x0041_", "A"),
    ("_x005F_x0041_", "_x0041_"),  # a literal `_x0041_` typed in Excel
    ("a_x005F_b", "a_b"),
    ("_x005f_x005F_", "_x005F_"),  # hex digits in either case
    ("x_x000D__x000A_y", "x\r\ny"),
    ("_xD83D__xDE00_", "\U0001F600"),  # a surrogate pair
    ("_xD800_!", "\ufffd!"),  # a lone surrogate
    ("_x004G_ _x41_ x0041_ _x0041", "_x004G_ _x41_ x0041_ _x0041"),  # not escapes
    ("Östra _x00E5_", "Östra å"),
]


@pytest.mark.parametrize("written,read", CASES)
def test_inline_and_formula_text_on_both_paths(written, read):
    xml = sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{written}</t></is></c>'
                    f'<c r="B1" t="str"><f>A1</f><v>{written}</v></c></row>')
    scanned, tree = _both_ways(xml)
    assert tree == [[read, read]]
    assert scanned in (tree, "not plain")  # the scan stands aside for a formula


@pytest.mark.parametrize("written,read", CASES)
def test_inline_text_alone_is_scanned(written, read):
    scanned, tree = _both_ways(sheet_xml(
        f'<row r="1"><c r="A1" t="inlineStr"><is><t>{written}</t></is></c></row>'))
    assert scanned == tree == [[read]]


def test_shared_strings_and_rich_text(tmp_path):
    written = [w for w, _ in CASES]
    sst = [f"<t>{w}</t>" for w in written] + ["<r><t>_x0041_</t></r><r><t>b</t></r>"]
    rows = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>{i - 1}</v></c></row>'
                   for i in range(1, len(sst) + 1))
    path = package(tmp_path / "s.xlsx", {"Blad": sheet_xml(rows)},
                   shared_strings=shared_strings_xml(sst))
    got = [r[0] for r in read_workbook(path).sheets["Blad"].rows]
    assert got == [r for _, r in CASES] + ["Ab"]


def test_what_excel_escapes_xlsxwriter_escapes_too(tmp_path):
    """XlsxWriter writes a literal `_x0041_` as `_x005F_x0041_` and a control character as
    `_x0001_`, as Excel does; the reader gives back the text written."""
    texts = ["_x0041_", "a_x005F_b", "x\x01y", "_x", "__x0041__"]
    path = tmp_path / "xw.xlsx"
    with xlsxwriter.Workbook(path) as wb:
        ws = wb.add_worksheet("Blad")
        for r, text in enumerate(texts):
            ws.write_string(r, 0, text)
    assert [r[0] for r in read_workbook(path).sheets["Blad"].rows] == texts


_TEXT = st.text(st.sampled_from("_x005FAD0g41 ö"), max_size=30)


def _book(texts: list[str]) -> sm.Workbook:
    rows = tuple(sm.Row((sm.Value(t),)) for t in texts)
    return sm.Workbook((sm.Sheet("Blad", (sm.Table("t", (sm.Column("Text"),), rows),)),))


@settings(max_examples=30, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=5))
def test_our_result_workbooks_round_trip_literal_escapes(tmp_path_factory, texts):
    """Text that looks like an escape survives both renderers and our reader."""
    folder = tmp_path_factory.mktemp("rt")
    for render in (render_xlsxwriter, render_openpyxl):
        path = folder / f"{render.__module__.rsplit('.', 1)[1]}.xlsx"
        render(_book(texts), path)
        assert read_workbook(path).sheets["Blad"].rows == [["Text"], *([t] for t in texts)]


def test_unescape_is_the_identity_without_escapes():
    assert unescape_xstring("Samordningsförbund_x") == "Samordningsförbund_x"


def test_openpyxl_reads_what_our_openpyxl_renderer_escaped(tmp_path):
    render_openpyxl(_book(["_x0041_"]), tmp_path / "o.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "o.xlsx")["Blad"]
    assert ws["A2"].value == "_x005F_x0041_"  # openpyxl leaves inline text as written


@pytest.mark.skipif(libreoffice.soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_shows_a_literal_escape_as_written_by_both_renderers(tmp_path):
    texts = ["_x0041_", "a_x005F_b", "_x00e5_"]
    for render in (render_xlsxwriter, render_openpyxl):
        path = tmp_path / f"{render.__module__.rsplit('.', 1)[1]}.xlsx"
        render(_book(texts), path)
        out = libreoffice.convert(path, libreoffice.csv_filter(1), tmp_path / path.stem)
        shown = out.read_text(encoding="utf-8").splitlines()
        assert shown == ["Text", *texts], render.__module__
