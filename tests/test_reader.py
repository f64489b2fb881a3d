"""The workbook reader (`indikator_xl.reader`): fidelity, limits and refusals.

Fidelity is checked two ways: cell by cell against openpyxl (`read_only=True,
data_only=True`) wherever openpyxl is right, and against exact expected values, types and
addresses. The workbooks are real files: written by openpyxl (inline strings), the same
files re-saved with a shared-string table (as Excel and LibreOffice store text), and
packages written part by part (`tests.xlsx_parts`) for what openpyxl never writes.

Where the reader and openpyxl differ on purpose:
- a formula without a cached value is `NO_CACHE` (openpyxl: None, i.e. a blank);
- an error cell is a `CellError` (openpyxl: the same text with data_type "e");
- a time-only cell (serial < 1 with a time format) is a datetime on Excel's day 0,
  1899-12-31 (openpyxl: a `time`); both are date-like and no answer.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import time as clock
import tracemalloc
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator_xl.domain.cells import NO_CACHE, CellError, cell_ref, column_letter
from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.reader import (
    DEFAULT_LIMITS,
    Limits,
    read_workbook,
    sheet_names,
)
from indikator_xl.validation.registration import load_registration
from tests.builders import Formula, registration, write_workbook
from tests.xlsx_parts import (
    MAIN,
    STYLES,
    inline,
    package,
    rezip,
    shared_strings_xml,
    sheet_xml,
    to_shared_strings,
)

ERRORS = ["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!"]


# --- comparing with openpyxl ------------------------------------------------------------------

def openpyxl_cells(path: Path) -> dict[tuple[str, str], tuple[object, str]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    out[(ws.title, c.coordinate)] = (c.value, c.data_type)
    wb.close()
    return out


def our_cells(path: Path) -> dict[tuple[str, str], object]:
    raw = read_workbook(path)
    return {(name, cell_ref(r, c)): v for name, sheet in raw.sheets.items()
            for r, row in enumerate(sheet.rows, 1) for c, v in enumerate(row, 1)
            if v is not None}


def assert_same_as_openpyxl(path: Path) -> dict[tuple[str, str], object]:
    """Every non-empty cell at the same address with the same value and type."""
    theirs = openpyxl_cells(path)
    ours = our_cells(path)
    no_cache = {k for k, v in ours.items() if v is NO_CACHE}
    assert set(ours) - no_cache == set(theirs)
    for k, (value, data_type) in theirs.items():
        mine = ours[k]
        if data_type == "e":
            assert type(mine) is CellError and mine == value, k
        elif isinstance(value, time):
            assert mine == datetime.combine(date(1899, 12, 31), value), k
        else:
            assert type(mine) is type(value) and mine == value, (k, mine, value)
    return ours


# --- a workbook written by openpyxl -----------------------------------------------------------

OPENPYXL_VALUES: list[tuple[str, object, str | None, object]] = [
    # (cell, value written, number format or None, value read back)
    ("A2", 5, None, 5),
    ("B2", 2.5, None, 2.5),
    ("C2", -3, None, -3),
    ("D2", 0, None, 0),
    ("E2", 1e-7, None, 1e-7),
    ("F2", 123456789012345, None, 123456789012345),
    ("G2", 0.25, "0.0%", 0.25),
    ("H2", 4, "0.00", 4),
    ("A3", "05", None, "05"),
    ("B3", "4", None, "4"),
    ("C3", "1e3", None, "1e3"),
    ("D3", " Alltid ", None, " Alltid "),
    ("E3", "åäö\nrad2", None, "åäö\nrad2"),
    ("F3", "#N/A", None, "#N/A"),  # text that looks like an error stays text
    ("G3", "=1+1", None, "=1+1"),  # text that looks like a formula stays text
    ("H3", "Till  mycket stor del", None, "Till  mycket stor del"),
    ("A5", True, None, True),
    ("B5", False, None, False),
    ("C5", datetime(2023, 5, 4, 13, 45), None, datetime(2023, 5, 4, 13, 45)),
    ("D5", date(2023, 1, 2), None, datetime(2023, 1, 2)),
    ("E5", time(13, 45), None, datetime(1899, 12, 31, 13, 45)),
    ("F5", datetime(1900, 1, 15), None, datetime(1900, 1, 15)),  # before Excel's 1900-02-29
    ("G5", 45050, "yyyy-mm-dd", datetime(2023, 5, 4)),
    ("H5", 45050, "d mmmm yyyy", datetime(2023, 5, 4)),
]


def _openpyxl_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Värden"
    ws.append(["Tal", "Text", "Fel", "Formler", "Övrigt"])
    for ref, value, fmt, _ in OPENPYXL_VALUES:
        cell = ws[ref]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
        if fmt:
            cell.number_format = fmt
    for i, err in enumerate(ERRORS, 1):
        cell = ws.cell(4, i, err)
        cell.data_type = "e"
    ws["A6"] = "=1+1"
    ws["B6"] = "=SUM(A2:D2)"
    sparse = wb.create_sheet("Anteckningar & <mer>")
    sparse["C3"] = 1
    sparse["AZ40"] = "långt bort"
    sparse["XFD2"] = 9
    wb.create_sheet("Tom")
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def openpyxl_book(tmp_path_factory) -> Path:
    return _openpyxl_workbook(tmp_path_factory.mktemp("op") / "varden.xlsx")


def test_openpyxl_workbook_cell_by_cell(openpyxl_book):
    ours = assert_same_as_openpyxl(openpyxl_book)
    for ref, _, _, expected in OPENPYXL_VALUES:
        got = ours[("Värden", ref)]
        assert type(got) is type(expected) and got == expected, ref
    assert [ours[("Värden", f"{c}4")] for c in "ABCDEFG"] == ERRORS
    assert all(type(ours[("Värden", f"{c}4")]) is CellError for c in "ABCDEFG")
    assert type(ours[("Värden", "F3")]) is str  # the text "#N/A" is not an error
    assert ours[("Värden", "A6")] is NO_CACHE and ours[("Värden", "B6")] is NO_CACHE
    sparse = {k[1]: v for k, v in ours.items() if k[0] == "Anteckningar & <mer>"}
    assert sparse == {"C3": 1, "AZ40": "långt bort", "XFD2": 9}


def test_sheet_order_names_and_empty_sheets(openpyxl_book):
    raw = read_workbook(openpyxl_book)
    assert list(raw.sheets) == ["Värden", "Anteckningar & <mer>", "Tom"]
    assert raw.sheets["Tom"].rows == []
    assert sheet_names(openpyxl_book) == ["Värden", "Anteckningar & <mer>", "Tom"]
    sheet = raw.sheets["Anteckningar & <mer>"]
    assert len(sheet.rows) == 40 and sheet.value(40, 52) == "långt bort"
    assert sheet.value(2, 16384) == 9 and sheet.value(1, 1) is None


def test_want_reads_only_the_chosen_sheets(openpyxl_book):
    raw = read_workbook(openpyxl_book, want=lambda name: name == "Tom")
    assert list(raw.sheets) == ["Tom"]


def test_shared_strings_variant_reads_the_same_cells(openpyxl_book, tmp_path):
    shared = to_shared_strings(openpyxl_book, tmp_path / "delade.xlsx")
    with zipfile.ZipFile(shared) as z:
        assert b't="s"' in z.read("xl/worksheets/sheet1.xml")
        assert b"inlineStr" not in z.read("xl/worksheets/sheet1.xml")
    assert_same_as_openpyxl(shared)
    a, b = read_workbook(openpyxl_book), read_workbook(shared)
    assert {n: s.rows for n, s in a.sheets.items()} == {n: s.rows for n, s in b.sheets.items()}


def test_registration_reads_identically_from_both_variants(tmp_path):
    """The whole validation (answers, respondents, problems) is the same whether text is
    stored inline or in a shared-string table."""
    rows = [[1, "K", "Team A", 4, "x", 7, CellError("#N/A"), "Delvis", 2, 3, "Ja", 5, 9],
            [2, "kvinna", "team a", "5", 5.0, " alltid ", None, None, None, None, "Nej", 4],
            [3, "M", "Team B", Formula("=1+1"), True, datetime(2020, 1, 1), 6, 6, 6, 6, 1]]
    inline_path = registration(tmp_path / "inline.xlsx", {"Deltagare avslut": rows})
    shared_path = to_shared_strings(inline_path, tmp_path / "shared.xlsx")
    assert_same_as_openpyxl(shared_path)
    a, b = load_registration(inline_path), load_registration(shared_path)
    assert a.problems == b.problems
    assert [(p.level, p.cell) for p in a.problems] == [
        ("fel", "E2"), ("fel", "F2"), ("fel", "G2"), ("fel", "M2"), ("varning", "L3"),
        ("fel", "D4"), ("fel", "E4"), ("fel", "F4"), ("fel", "K4")]
    assert a.answers.equals(b.answers)
    assert list(zip(a.answers.cell, a.answers.code, strict=True)) == [
        ("D2", 4), ("H2", 3), ("I2", 2), ("J2", 3), ("K2", 1), ("L2", 5),
        ("D3", 5), ("E3", 5), ("F3", 6), ("K3", 2),
        ("G4", 6), ("H4", 6), ("I4", 6), ("J4", 6)]
    assert list(a.answers.insats.unique()) == ["Team A", "Team B"]
    assert a.respondents.equals(b.respondents)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_resave_cell_by_cell(openpyxl_book, tmp_path):
    """A real second writer: LibreOffice stores shared strings and cached formula results
    like Excel, and writes an error literal as a formula with a cached error."""
    out = tmp_path / "lo"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/prof",
                    "--convert-to", "xlsx", "--outdir", str(out), str(openpyxl_book)],
                   check=True, capture_output=True, timeout=180, env=env)
    resaved = out / openpyxl_book.name
    with zipfile.ZipFile(resaved) as z:
        assert "xl/sharedStrings.xml" in z.namelist()
    ours = assert_same_as_openpyxl(resaved)
    assert ours[("Värden", "A6")] == 2  # recalculated: now a cached value
    assert [ours[("Värden", f"{c}4")] for c in "ABCDEFG"] == ERRORS
    assert all(type(ours[("Värden", f"{c}4")]) is CellError for c in "ABCDEFG")
    assert ours[("Värden", "D3")] == " Alltid " and ours[("Värden", "F3")] == "#N/A"
    assert type(ours[("Värden", "F3")]) is str


# --- packages written part by part ------------------------------------------------------------

@pytest.fixture(params=["scan", "tree", "chunks"])
def parse_mode(request, monkeypatch):
    """Run a test through every way a sheet part is read, with the same expectations: the
    scan (plain cell data; anything else falls back to the tree), ElementTree's tree of the
    whole part, and the tree fed in chunks (parts larger than `_TREE_BYTES`)."""
    from indikator_xl.reader import scan, tree
    if request.param == "tree":
        monkeypatch.setattr(scan, "tokens", lambda data: None)
    if request.param == "chunks":
        monkeypatch.setattr(tree, "TREE_BYTES", 0)
        monkeypatch.setattr(tree, "CHUNK", 97)  # row and cell borders fall mid-chunk
    return request.param


SHARED = [
    "<t>Löpnummer</t>",
    '<t xml:space="preserve"> Alltid </t>',
    "<r><rPr><b/></rPr><t>Till </t></r><r><t>stor del</t></r>",  # rich text runs
    '<t>ア</t><rPh sb="0" eb="1"><t>ア</t></rPh><phoneticPr fontId="1"/>',  # phonetic run
    "<t>05</t>",
    "<t/>",
    "<t>rad1\nrad2</t>",
    "<t>#N/A</t>",
]
ROWS = (
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c>'
    '<c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c><c r="H1" t="s"><v>7</v></c></row>'
    f'<row r="2"><c r="A2" t="inlineStr"><is>{inline(" Ofta ")}</is></c>'
    '<c r="B2" t="inlineStr"><is><r><t>Del</t></r><r><t>vis</t></r></is></c>'
    '<c r="C2" t="e"><v>#N/A</v></c>'
    '<c r="D2" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    '<c r="E2" t="str"><f>"Of"&amp;"ta"</f><v>Ofta</v></c>'
    '<c r="F2"><f>1+1</f></c>'
    '<c r="G2"><f>2+2</f><v>4</v></c>'
    '<c r="H2" t="b"><v>1</v></c><c r="I2" t="b"><v>0</v></c>'
    '<c r="J2"><f>3+3</f><v/></c></row>'
    '<row r="4"><c r="A4" s="1"><v>45050</v></c><c r="B4" s="2"><v>45050.5</v></c>'
    '<c r="C4" s="3"><v>3</v></c><c r="D4" s="4"><v>5</v></c><c r="E4" s="5"><v>2.5</v></c>'
    '<c r="F4" s="6"><v>0.5729166666666666</v></c><c r="G4" s="7"><v>45050</v></c>'
    '<c r="H4" s="1"/><c r="I4" t="n"><v>1E-3</v></c><c r="J4"><v>-0</v></c>'
    '<c r="K4"><v>12345678901234</v></c><c r="L4"><v>5.0</v></c>'
    '<c r="M4" t="d"><v>2023-05-04T10:00:00</v></c></row>'
    '<row><c><v>1</v></c><c><v>2</v></c><c r="E5"><v>5</v></c><c><v>6</v></c></row>'
    '<row><c r="AA6" t="inlineStr"><is><t>långt</t></is></c></row>'
    '<row r="8" spans="1:3"><c r="XFD8"><v>9</v></c></row>'
)


def expected_cells(date1904: bool) -> dict[str, object]:
    shift = 1462 if date1904 else 0  # days from 1900-01-00 to 1904-01-01 in Excel serials
    day = datetime(2023, 5, 4) + (datetime(2027, 5, 5) - datetime(2023, 5, 4)) * (shift > 0)
    return {
        "A1": "Löpnummer", "B1": " Alltid ", "C1": "Till stor del", "D1": "ア", "E1": "05",
        "F1": "", "G1": "rad1\nrad2", "H1": "#N/A",
        "A2": " Ofta ", "B2": "Delvis", "C2": CellError("#N/A"), "D2": CellError("#DIV/0!"),
        "E2": "Ofta", "F2": NO_CACHE, "G2": 4, "H2": True, "I2": False, "J2": NO_CACHE,
        "A4": day, "B4": day.replace(hour=12), "C4": 3, "D4": 5, "E4": 2.5,
        "F4": (datetime(1904, 1, 1, 13, 45) if date1904 else datetime(1899, 12, 31, 13, 45)),
        "G4": day, "I4": 0.001, "J4": 0, "K4": 12345678901234, "L4": 5.0,
        "M4": datetime(2023, 5, 4, 10, 0),
        "A5": 1, "B5": 2, "E5": 5, "F5": 6,
        "AA6": "långt",
        "XFD8": 9,
    }


@pytest.mark.parametrize(("prefix", "date1904"), [("", False), ("x", False), ("", True),
                                                   ("x", True)])
def test_hand_written_package_exact_values(parse_mode, tmp_path, prefix, date1904):
    path = package(tmp_path / "h.xlsx", {"Blad": sheet_xml(ROWS, prefix=prefix)},
                   shared_strings=shared_strings_xml(SHARED), date1904=date1904,
                   workbook_prefix=prefix)
    if prefix:
        with zipfile.ZipFile(path) as z:
            assert b"<x:c " in z.read("xl/worksheets/sheet1.xml")
    ours = {k[1]: v for k, v in our_cells(path).items()}
    expected = expected_cells(date1904)
    assert ours == expected
    for ref, value in expected.items():
        assert type(ours[ref]) is type(value), ref
    if date1904:  # openpyxl reads day 0 of 1904 as a time (13:45); the rest must agree
        return
    assert_same_as_openpyxl(path)


def test_date_format_detection(parse_mode, tmp_path):
    """Dates by built-in id 14 and 21 and by custom codes; a "d" only inside quotes or
    brackets, and General/0.00, are not dates."""
    cells = "".join(f'<c r="{col}1" s="{s}"><v>45050</v></c>'
                    for col, s in zip("ABCDEFGH", range(8), strict=True))
    path = package(tmp_path / "d.xlsx", {"Blad": sheet_xml(f'<row r="1">{cells}</row>')})
    row = read_workbook(path).sheets["Blad"].rows[0]
    d = datetime(2023, 5, 4)
    assert row == [45050, d, d, 45050, 45050, 45050, d, d]
    assert_same_as_openpyxl(path)


def test_a_date_serial_out_of_range_stays_a_number(tmp_path):
    path = package(tmp_path / "d.xlsx", {"Blad": sheet_xml(
        '<row r="1"><c r="A1" s="1"><v>1e20</v></c><c r="B1" s="1"><v>-800000</v></c></row>')})
    assert read_workbook(path).sheets["Blad"].rows == [[1e20, -800000.0]]


def test_parts_are_found_by_relationship_not_by_file_name(tmp_path):
    """OPC names parts by relationship: a worksheet in xl/worksheets/data.xml and shared
    strings in xl/strings.xml are read (openpyxl does too); dropping the sheet would drop
    a respondent group silently."""
    src = package(tmp_path / "a.xlsx", {"Personal": sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>')},
        shared_strings=shared_strings_xml(["<t>Löpnummer</t>"]))
    renamed = tmp_path / "b.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(renamed, "w") as zout:
        for info in zin.infolist():
            data = (zin.read(info).replace(b"worksheets/sheet1.xml", b"worksheets/data.xml")
                    .replace(b"sharedStrings.xml", b"strings.xml"))
            zout.writestr(info.filename.replace("sheet1.xml", "data.xml")
                          .replace("sharedStrings.xml", "strings.xml"), data)
    assert read_workbook(renamed).sheets["Personal"].rows == [["Löpnummer"]]
    assert_same_as_openpyxl(renamed)


def test_a_style_that_is_not_a_number_leaves_the_value_a_number(tmp_path):
    path = package(tmp_path / "s.xlsx", {"Blad": sheet_xml(
        '<row r="1"><c r="A1" s="x"><v>45050</v></c><c r="B1" s="1"><v>45050</v></c></row>')})
    assert read_workbook(path).sheets["Blad"].rows == [[45050, datetime(2023, 5, 4)]]


def test_inline_string_phonetic_runs_are_not_part_of_the_value(parse_mode, tmp_path):
    path = package(tmp_path / "i.xlsx", {"Blad": sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>ア</t><rPh sb="0" eb="1"><t>カ</t></rPh>'
        '</is></c><c r="B1" t="inlineStr"><is><r><rPr><b/></rPr><t>J</t></r><r><t>a</t></r>'
        '<rPh sb="0" eb="1"><t>x</t></rPh></is></c><c r="C1" t="inlineStr"/></row>')})
    assert read_workbook(path).sheets["Blad"].rows == [["ア", "Ja", ""]]


@pytest.mark.parametrize(("xml", "rows"), [
    ('<row r="3"><c r="A3"><v>3</v></c></row><row r="1"><c r="B1"><v>1</v></c></row>',
     [[None, 1], [], [3]]),
    ('<row r="1"><c r="A1"><v>1</v></c></row><row r="1"><c r="C1"><v>3</v></c></row>',
     [[1, None, 3]]),
    ('<row r="1"><c r="C1"><v>3</v></c><c r="A1"><v>1</v></c></row>', [[1, None, 3]]),
], ids=["rows-out-of-order", "row-number-twice", "cells-out-of-order"])
def test_cells_out_of_order_keep_their_addresses(parse_mode, tmp_path, xml, rows):
    """Excel never writes these, but a cell is never lost or moved (openpyxl's read-only
    mode drops the out-of-order ones)."""
    path = package(tmp_path / "o.xlsx", {"Blad": sheet_xml(xml)})
    assert read_workbook(path).sheets["Blad"].rows == rows


@pytest.mark.parametrize("namespace", [MAIN, "http://purl.oclc.org/ooxml/spreadsheetml/main",
                                       None], ids=["transitional", "strict", "none"])
def test_sheet_namespace_variants(parse_mode, tmp_path, namespace):
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    xml = (f'<worksheet{xmlns}><sheetData><row r="1"><c r="A1"><v>7</v></c>'
           '<c r="B1" t="inlineStr"><is><t>Ja</t></is></c></row></sheetData></worksheet>')
    path = package(tmp_path / "n.xlsx", {"Blad": xml})
    assert read_workbook(path).sheets["Blad"].rows == [[7, "Ja"]]


def test_a_sheet_larger_than_the_whole_parse_limit_is_read_in_chunks(tmp_path):
    """A real >4 MB part goes through the chunked parser: no cell lost at a border."""
    from indikator_xl.reader import tree
    rows = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is>'
                   f'<t xml:space="preserve">rad {r} </t></is></c><c r="C{r}" t="e"><v>#N/A</v>'
                   "</c></row>" for r in range(1, 45_001))
    xml = sheet_xml(rows)
    assert len(xml.encode()) > tree.TREE_BYTES
    path = package(tmp_path / "big.xlsx", {"Blad": xml})
    got = read_workbook(path).sheets["Blad"].rows
    assert got == [[r, f"rad {r} ", CellError("#N/A")] for r in range(1, 45_001)]
    assert all(type(row[2]) is CellError for row in got)


def test_lower_case_cell_reference_reads_like_openpyxl(tmp_path):
    path = package(tmp_path / "l.xlsx", {"Blad": sheet_xml(
        '<row r="2"><c r="b2"><v>1</v></c><c><v>2</v></c></row>')})
    assert read_workbook(path).sheets["Blad"].rows == [[], [None, 1, 2]]
    assert_same_as_openpyxl(path)


# --- damaged content inside a valid zip -------------------------------------------------------

BAD_CELLS = {
    "dollar-reference": '<row r="1"><c r="$A$1"><v>1</v></c></row>',
    "column-beyond-XFD": '<row r="1"><c r="XFE1"><v>1</v></c></row>',
    "far-column": '<row r="1"><c r="ZZZZZZ1"><v>1</v></c></row>',
    "column-beyond-XFD-without-r": '<row r="1"><c r="XFD1"><v>1</v></c><c><v>2</v></c></row>',
    "row-not-a-number": '<row r="x"><c><v>1</v></c></row>',
    "row-zero": '<row r="1"><c><v>1</v></c></row><row r="0"><c><v>2</v></c></row>',
    "row-negative": '<row r="-3"><c><v>1</v></c></row>',
    "shared-string-missing": '<row r="1"><c r="A1" t="s"><v>3</v></c></row>',
    "shared-string-not-a-number": '<row r="1"><c r="A1" t="s"><v>x</v></c></row>',
}


@pytest.mark.parametrize("case", sorted(BAD_CELLS))
def test_damaged_cells_are_refused_not_misplaced(parse_mode, tmp_path, case):
    """A cell that cannot be placed is a damaged file: refused with a Swedish message,
    never an internal error and never a value at a wrong address."""
    path = package(tmp_path / "c.xlsx", {"Personal": sheet_xml(BAD_CELLS[case])},
                   shared_strings=shared_strings_xml(["<t>a</t>"]))
    with pytest.raises(WorkbookReadError, match=r"^Arbetsboken är skadad \(.*Personal.*\)\.$"):
        read_workbook(path)


# --- limits -----------------------------------------------------------------------------------

def _rows(n: int) -> str:
    return "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(1, n + 1))


def test_row_limit(parse_mode, tmp_path):
    ok = package(tmp_path / "ok.xlsx", {"Personal": sheet_xml(_rows(10))})
    assert len(read_workbook(ok, Limits(max_rows=10)).sheets["Personal"].rows) == 10
    over = package(tmp_path / "over.xlsx", {"Personal": sheet_xml(_rows(11))})
    with pytest.raises(WorkbookReadError) as err:
        read_workbook(over, Limits(max_rows=10))
    assert str(err.value) == "Bladet Personal har fler än 10 rader och läses inte."


def test_default_row_limit_is_refused_at_the_first_row_past_it(tmp_path):
    path = package(tmp_path / "far.xlsx", {"Personal": sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row><row r="200001"><c r="A200001"><v>2</v></c>'
        '</row>')})
    with pytest.raises(WorkbookReadError) as err:
        read_workbook(path)
    assert str(err.value) == "Bladet Personal har fler än 200 000 rader och läses inte."
    edge = package(tmp_path / "edge.xlsx", {"Personal": sheet_xml(
        '<row r="200000"><c r="B200000"><v>2</v></c></row>')})
    assert read_workbook(edge).sheets["Personal"].value(200000, 2) == 2


def test_an_oversized_sheet_the_registration_does_not_read_is_not_refused(tmp_path):
    path = package(tmp_path / "notes.xlsx", {
        "Förbund": sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>Samordningsförbund'
                             '</t></is></c><c r="B1" t="inlineStr"><is><t>F</t></is></c></row>'
                             '<row r="2"><c r="A2" t="inlineStr"><is><t>Mätperiod</t></is>'
                             '</c><c r="B2"><v>2023</v></c></row>'),
        "Mina anteckningar": sheet_xml('<row r="300000"><c r="A300000"><v>1</v></c></row>'),
    })
    reg = load_registration(path)
    assert (reg.forbund, reg.period) == ("F", 2023)


def _bomb(path: Path, megabytes: int, lie: bool = False) -> Path:
    """A workbook whose Personal sheet unpacks to `megabytes` MB of white space. With
    `lie`, both zip headers claim the part is 3 000 bytes."""
    head = f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    tail = b"</sheetData></worksheet>"
    base = package(path.with_suffix(".base.xlsx"), {"Personal": sheet_xml("")})
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info, src.read(info))
                continue
            with dst.open(info.filename, "w") as fh:
                fh.write(head)
                chunk = b" " * (1 << 20)
                for _ in range(megabytes):
                    fh.write(chunk)
                fh.write(tail)
    if lie:
        data = bytearray(path.read_bytes())
        name = b"xl/worksheets/sheet1.xml"
        for sig, size_at, name_len_at, name_at in ((b"PK\x03\x04", 22, 26, 30),
                                                   (b"PK\x01\x02", 24, 28, 46)):
            pos = 0
            while (pos := data.find(sig, pos)) != -1:
                n = struct.unpack_from("<H", data, pos + name_len_at)[0]
                if data[pos + name_at:pos + name_at + n] == name:
                    struct.pack_into("<I", data, pos + size_at, 3000)
                pos += 4
        path.write_bytes(bytes(data))
    return path


@pytest.fixture(scope="module")
def bombs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bomb")
    return {"honest": _bomb(folder / "honest.xlsx", 150),
            "lying": _bomb(folder / "lying.xlsx", 150, lie=True)}


@pytest.mark.parametrize(("kind", "message"), ids=["honest", "lying"], argvalues=[
    ("honest", "Arbetsboken är orimligt stor uppackad (mer än 100 MB eller misstänkt "
               "komprimering) och läses inte."),
    ("lying", "Arbetsboken är skadad (en del av filen går inte att packa upp)."),
])
def test_zip_bomb_is_refused_quickly_in_bounded_memory(bombs, kind, message):
    path = bombs[kind]
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
        assert info.compress_size < 400_000
        assert info.file_size == (3000 if kind == "lying" else 150 * (1 << 20) + len(
            f'<worksheet xmlns="{MAIN}"><sheetData></sheetData></worksheet>'))
    tracemalloc.start()
    start = clock.perf_counter()
    try:
        with pytest.raises(WorkbookReadError) as err:
            read_workbook(path)
        elapsed = clock.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(err.value) == message
    assert elapsed < 2.0
    assert peak < 20 * 1024 * 1024


def test_total_unpacked_size_is_bounded_across_parts(tmp_path):
    """Each part within its own cap, but together over the workbook budget."""
    import random
    rng = random.Random(1)
    text = "".join(rng.choice("abcdefgh") for _ in range(300_000))
    sheets = {f"Blad{i}": sheet_xml(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t>'
                                    "</is></c></row>") for i in range(4)}
    path = package(tmp_path / "many.xlsx", sheets)
    assert len(read_workbook(path).sheets) == 4
    with pytest.raises(WorkbookReadError, match="orimligt stor uppackad"):
        read_workbook(path, Limits(max_uncompressed_bytes=1024 * 1024))


# --- files that are no workbook at all --------------------------------------------------------

def _valid_bytes(tmp: Path) -> bytes:
    return write_workbook(tmp / "valid.xlsx", {"Personal": [["Löpnummer", "F1"], [1, 4]]}
                          ).read_bytes()



def _billion_laughs(root: str) -> bytes:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    return (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY l0 "hahahahaha">{entities}]>'
            f'<{root} xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is>'
            f"<t>&l9;</t></is></c></row></sheetData></{root}>").encode()


def damaged_files(tmp: Path) -> dict[str, tuple[str, bytes, str]]:
    """name → (file name, bytes, the expected Swedish message or its distinctive part)."""
    valid = _valid_bytes(tmp)
    not_a_workbook = "är ingen Excel-arbetsbok (.xlsx/.xlsm) eller är skadad."
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    cases = {
        "zero-bytes": ("tom.xlsx", b"", "Filen tom.xlsx är tom (0 byte)."),
        "text": ("text.xlsx", "Det här är ingen arbetsbok.\n".encode(), not_a_workbook),
        "truncated-half": ("halv.xlsx", valid[: len(valid) // 2], not_a_workbook),
        "truncated-end": ("slut.xlsx", valid[:-10], not_a_workbook),
        "ole-encrypted": ("krypterad.xlsx", ole + b"\x00" * 4088,
                          "är lösenordsskyddad eller i det gamla .xls-formatet"),
        "legacy-xls": ("gammal.xls", ole + b"\x3e\x00\x03\x00\xfe\xff" + b"\x00" * 4082,
                       "är lösenordsskyddad eller i det gamla .xls-formatet"),
        "html-as-xls": ("webb.xls", b"<html><body><table><tr><td>1</td></tr></table></body>"
                        b"</html>", not_a_workbook),
        "csv-as-xlsx": ("lista.xlsx", "Löpnummer;F1\n1;4\n".encode(), not_a_workbook),
        "corrupt-sheet-xml": ("blad.xlsx", rezip(valid, lambda n, c: c[: len(c) // 2]
                                                  if n == "xl/worksheets/sheet1.xml" else c),
                              "Arbetsboken är skadad (ogiltig XML i bladet Personal)."),
        "corrupt-workbook-xml": ("bok.xlsx", rezip(valid, lambda n, c: b"<workbook><sheets>"
                                                    if n == "xl/workbook.xml" else c),
                                 "Arbetsboken är skadad (ogiltig XML i xl/workbook.xml)."),
        "corrupt-styles-xml": ("stil.xlsx", rezip(valid, lambda n, c: c[:40]
                                                   if n == "xl/styles.xml" else c),
                               "Arbetsboken är skadad (ogiltig XML i xl/styles.xml)."),
        "corrupt-rels": ("rels.xlsx", rezip(valid, lambda n, c: b"<Relationships"
                                             if n == "xl/_rels/workbook.xml.rels" else c),
                         "Arbetsboken är skadad (ogiltig XML i xl/_rels/workbook.xml.rels)."),
        "missing-workbook-xml": ("utan.xlsx", rezip(valid, lambda n, c: None
                                                     if n == "xl/workbook.xml" else c),
                                 "Arbetsboken saknar delen xl/workbook.xml och är "
                                 "troligen skadad."),
        "missing-sheet-part": ("del.xlsx", rezip(valid, lambda n, c: None
                                                  if n == "xl/worksheets/sheet1.xml" else c),
                               "Arbetsboken saknar delen xl/worksheets/sheet1.xml och är "
                               "troligen skadad."),
        "billion-laughs-sheet": ("skratt.xlsx", rezip(
            valid, lambda n, c: _billion_laughs("worksheet")
            if n == "xl/worksheets/sheet1.xml" else c),
            "Arbetsboken är skadad (ogiltig XML i bladet Personal)."),
    }
    path = package(tmp / "sst.xlsx", {"Personal": sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>')},
        shared_strings=shared_strings_xml(["<t>Löpnummer</t>"])[:-20])
    cases["corrupt-shared-strings"] = ("sst.xlsx", path.read_bytes(),
                                       "Arbetsboken är skadad (ogiltig XML i sharedStrings.xml).")
    for name, xml in BAD_CELLS.items():
        p = package(tmp / f"{name}.xlsx", {"Personal": sheet_xml(xml)},
                    shared_strings=shared_strings_xml(["<t>a</t>"]))
        cases[f"cell-{name}"] = (f"{name}.xlsx", p.read_bytes(), "Arbetsboken är skadad (")
    far = package(tmp / "far.xlsx", {"Personal": sheet_xml(
        '<row r="200001"><c r="A200001"><v>2</v></c></row>')})
    cases["too-many-rows"] = ("far.xlsx", far.read_bytes(),
                              "Bladet Personal har fler än 200 000 rader och läses inte.")
    return cases


@pytest.fixture(scope="module")
def damaged(tmp_path_factory, bombs) -> dict[str, tuple[Path, str]]:
    tmp = tmp_path_factory.mktemp("skadade")
    out = {}
    for kind, message in (("honest", "orimligt stor uppackad"),
                          ("lying", "en del av filen går inte att packa upp")):
        folder = tmp / f"zip-bomb-{kind}"
        folder.mkdir()
        shutil.copy(bombs[kind], folder / "bomb.xlsx")
        out[f"zip-bomb-{kind}"] = (folder / "bomb.xlsx", message)
    for name, (filename, data, message) in damaged_files(tmp).items():
        folder = tmp / name
        folder.mkdir()
        path = folder / filename
        path.write_bytes(data)
        out[name] = (path, message)
    return out


DAMAGED_NAMES = sorted([
    "zero-bytes", "text", "truncated-half", "truncated-end", "ole-encrypted", "legacy-xls",
    "html-as-xls", "csv-as-xlsx", "corrupt-sheet-xml", "corrupt-workbook-xml",
    "corrupt-styles-xml", "corrupt-rels", "missing-workbook-xml", "missing-sheet-part",
    "billion-laughs-sheet", "corrupt-shared-strings", "too-many-rows", "zip-bomb-honest",
    "zip-bomb-lying", *(f"cell-{n}" for n in BAD_CELLS)])
# `python -m indikator_xl.cli` on one case of each kind (tests/test_damaged_files.py runs it
# on mutations of the shipped example); the console script on every case.
PYTHON_M_NAMES = ["zero-bytes", "truncated-half", "legacy-xls", "corrupt-sheet-xml",
                  "missing-sheet-part", "cell-far-column", "too-many-rows", "zip-bomb-honest"]


@pytest.mark.parametrize("name", DAMAGED_NAMES)
def test_damaged_file_raises_workbook_read_error_in_swedish(damaged, name):
    path, message = damaged[name]
    with pytest.raises(WorkbookReadError) as err:
        load_registration(path)
    assert message in str(err.value)


def test_damaged_cases_are_all_listed(damaged):
    assert sorted(damaged) == DAMAGED_NAMES
    assert set(PYTHON_M_NAMES) <= set(DAMAGED_NAMES)


# --- the command line on damaged files --------------------------------------------------------

def _console_script() -> str:
    found = shutil.which("indikator-xl", path=str(Path(sys.executable).parent))
    return found or shutil.which("indikator-xl") or "indikator-xl"


COMMANDS = {
    "console-script": ([_console_script()], DAMAGED_NAMES),
    "python-m": ([sys.executable, "-m", "indikator_xl.cli"], PYTHON_M_NAMES),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_validera_on_damaged_files_exits_2_with_one_swedish_line(damaged, command):
    argv, names = COMMANDS[command]
    procs = {}
    for name in names:
        path, _ = damaged[name]
        procs[name] = subprocess.Popen([*argv, "validera", str(path)],
                                       cwd=path.parent, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, text=True)
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        path, message = damaged[name]
        assert proc.returncode == 2, (name, err)
        assert "Traceback" not in out + err, name
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert len(lines) == 1, (name, err)
        assert lines[0].startswith("indikator-xl: ") and message in lines[0], (name, lines)
        assert out == "", name
        assert sorted(p.name for p in path.parent.iterdir()) == [path.name], name


def test_the_cycle_collector_is_paused_only_while_reading(tmp_path):
    import gc
    ok = package(tmp_path / "ok.xlsx", {"Blad": sheet_xml('<row r="1"><c><v>1</v></c></row>')})
    bad = package(tmp_path / "bad.xlsx", {"Blad": sheet_xml('<row r="x"><c><v>1</v></c></row>')})
    assert gc.isenabled()
    assert read_workbook(ok).sheets["Blad"].rows == [[1]]
    assert gc.isenabled()
    with pytest.raises(WorkbookReadError):
        read_workbook(bad)
    assert gc.isenabled()
    gc.disable()
    try:
        read_workbook(ok)
        assert not gc.isenabled()  # a caller's own setting is left as it was
    finally:
        gc.enable()


def test_strict_open_xml_workbook_is_read_like_a_transitional_one(tmp_path):
    """Excel's "Strict Open XML" save-as names the same parts with other namespaces."""
    import zipfile

    from indikator_xl.validation.registration import load_registration
    from tests.builders import registration

    plain = registration(tmp_path / "plain.xlsx", {"Personal": [[1, "T", 4, "Ofta"]]})
    strict = tmp_path / "strict.xlsx"
    swaps = [(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
              b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
             (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
              b"http://purl.oclc.org/ooxml/officeDocument/relationships")]
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(strict, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            for old, new in swaps:
                data = data.replace(old, new)
            dst.writestr(info.filename, data)
    assert b"purl.oclc.org" in zipfile.ZipFile(strict).read("xl/workbook.xml")
    a, b = load_registration(plain), load_registration(strict)
    assert (b.forbund, b.period, b.problems) == (a.forbund, a.period, [])
    assert list(zip(b.answers.cell, b.answers.code, strict=True)) == [("C2", 4), ("D2", 4)]


# --- reading only what is needed ---------------------------------------------------------------

_TAIL = ('<dataValidations count="1"><dataValidation type="whole" sqref="A1:A9">'
         "<formula1>1</formula1></dataValidation></dataValidations>")


@pytest.mark.parametrize("case", ["cdata", "comment-before", "prefixed", "tail"])
def test_a_sheet_cut_after_its_cell_data_reads_every_cell(tmp_path, case):
    """The sheet part is parsed only through `</sheetData>`; where that text is not the
    real end of the cell data (inside CDATA or a comment), the whole part is parsed."""
    rows = ('<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a</sheetData>b]]></t></is></c>'
            '<c r="B1"><v>2</v></c></row><row r="2"><c r="A2"><v>3</v></c></row>')
    if case != "cdata":
        rows = rows.replace("<![CDATA[a</sheetData>b]]>", "ab")
    xml = sheet_xml(rows, prefix="x" if case == "prefixed" else "")
    if case == "comment-before":
        xml = xml.replace("<sheetData>", "<!-- </sheetData> --><sheetData>")
    if case == "tail":
        xml = xml.replace("</sheetData>", "</sheetData>" + _TAIL)
    path = package(tmp_path / "s.xlsx", {"Blad": xml})
    text = "a</sheetData>b" if case == "cdata" else "ab"
    assert read_workbook(path).sheets["Blad"].rows == [[text, 2], [3]]
    assert_same_as_openpyxl(path)


def test_date_styles_are_found_when_styles_are_cut_after_cell_formats(tmp_path):
    """styles.xml is parsed only through `</cellXfs>`; a comment holding that text before
    the real cell formats makes the reader parse the whole part."""
    row = '<row r="1"><c r="A1" s="1"><v>45050</v></c><c r="B1" s="5"><v>45050</v></c></row>'
    for name, styles in (("plain", STYLES),
                         ("comment", STYLES.replace("<numFmts", "<!-- </cellXfs> --><numFmts"))):
        path = package(tmp_path / f"{name}.xlsx", {"Blad": sheet_xml(row)}, styles=styles)
        assert read_workbook(path).sheets["Blad"].rows == [[datetime(2023, 5, 4), 45050]], name


def _zip_entry_offsets(data: bytes, name: str) -> tuple[int, int]:
    """(local header offset, central directory entry offset) of part `name`."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        local = z.getinfo(name).header_offset
    central = data.find(b"PK\x01\x02")
    while data[central + 46:central + 46 + len(name)] != name.encode():  # the entry's name
        central = data.find(b"PK\x01\x02", central + 1)
    return local, central


def test_a_stored_part_reads_like_a_deflated_one(tmp_path):
    deflated = package(tmp_path / "d.xlsx", {"Blad": sheet_xml(ROWS)},
                       shared_strings=shared_strings_xml(SHARED))
    stored = tmp_path / "s.xlsx"
    with zipfile.ZipFile(deflated) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    assert our_cells(stored) == our_cells(deflated)


@pytest.mark.parametrize("change", ["local-name", "crc", "declared-size"])
def test_a_part_that_disagrees_with_its_zip_directory_is_damaged(tmp_path, change):
    """A deflated part is inflated straight from the file, checked as zipfile checks it:
    the local header's name, the CRC-32 and the declared size."""
    path = package(tmp_path / "z.xlsx", {"Blad": sheet_xml(ROWS)})
    data = bytearray(path.read_bytes())
    part = "xl/worksheets/sheet1.xml"
    local, central = _zip_entry_offsets(bytes(data), part)
    if change == "local-name":
        at = local + 30 + len(part) - 5  # "sheet1.xml" → "sheet2.xml" in the local header
        data[at] = ord("2")
    elif change == "crc":
        data[central + 16] ^= 0xFF
    else:  # the directory says one byte less than the part inflates to
        size = struct.unpack_from("<L", data, central + 24)[0]
        struct.pack_into("<L", data, central + 24, size - 1)
    path.write_bytes(bytes(data))
    with pytest.raises(WorkbookReadError) as err:
        read_workbook(path)
    assert str(err.value) == "Arbetsboken är skadad (en del av filen går inte att packa upp)."


# --- the scan and the tree read the same cells ------------------------------------------------

def _both_ways(xml: str, sst: list[str] | None = None) -> tuple[object, object]:
    """(the scan's rows or the reason it stood aside, the tree's rows) for one sheet part."""
    from indikator_xl.reader import convert, scan, tree
    data = xml.encode()
    styles = frozenset({1, 2})  # cell formats 1 and 2 are dates, as in `STYLES`
    args = ("Blad", sst or [], styles, False, DEFAULT_LIMITS)
    by_tree = convert.sheet_from_tokens(tree.tokens(data, "Blad"), *args).rows
    tokens = scan.tokens(data)
    if tokens is None:
        return "no scan", by_tree
    try:
        return convert.sheet_from_tokens(tokens, *args).rows, by_tree
    except convert.NotPlainError:
        return "not plain", by_tree


# Cell data as Excel, LibreOffice and openpyxl write it, pretty-printed in places.
PLAIN_ROWS = (
    '<row r="1" spans="1:6" x14ac:dyDescent="0.25">'
    '<c r="A1" s="3" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    '<c r="C1" t="inlineStr"><is><t xml:space="preserve"> Ofta ]\t</t></is></c>'
    '<c r="D1" t="inlineStr"><is><t>rad1\nrad2 åäö ア</t></is></c>'
    '<c r="E1" t="inlineStr"><is><t></t></is></c><c r="F1" s="2" t="n" /></row>\n  '
    '<row r="2"><c r="A2"><v>5</v></c><c r="B2" t="n"><v>-2.5</v></c><c r="C2"><v>1E-3</v></c>'
    '<c r="D2" t="b"><v>1</v></c><c r="E2" t="e"><v>#N/A</v></c><c r="F2" t="str"><v></v></c>'
    '<c r="G2" t="str"><v>Ofta</v></c><c r="H2" t="d"><v>2023-05-04T10:00:00</v></c>'
    '<c r="J2" s="1"><v>45050</v></c><c r="K2" s="2"><v>45050.5</v></c>'
    '<c r="L2" s="3"><v>45050</v></c><c r="M2"><v>05</v></c></row>\n'
    '<row r="3" ht="15" customHeight="1"/>'
    '<row r="5"><c r="XFD5"><v>9</v></c></row>'
    '<row r="4"><c r="B4"><v>4</v></c></row>'
    '<row r="5"><c r="A5"><v>8</v></c></row>'
)
PLAIN_EXPECTED = [
    ["Löpnummer", "#N/A", " Ofta ]\t", "rad1\nrad2 åäö ア", ""],
    [5, -2.5, 0.001, True, CellError("#N/A"), "", "Ofta", datetime(2023, 5, 4, 10), None,
     datetime(2023, 5, 4), datetime(2023, 5, 4, 12), 45050, 5],
    [],
    [None, 4],
    [8, *[None] * 16382, 9],
]


def test_plain_cell_data_is_read_by_the_scan_exactly_as_by_the_tree():
    xml = sheet_xml(PLAIN_ROWS).replace(
        "<worksheet ", '<worksheet xmlns:x14ac="http://schemas.microsoft.com/office/'
        'spreadsheetml/2009/9/ac" ')
    scanned, tree = _both_ways(xml, ["Löpnummer", "#N/A"])
    assert scanned == tree == PLAIN_EXPECTED
    assert [[type(v) for v in row] for row in scanned] == \
        [[type(v) for v in row] for row in PLAIN_EXPECTED]


def test_the_shipped_workbooks_are_read_by_the_scan(tmp_path):
    """Every sheet of the template and the example workbook (openpyxl-written) and of the
    example re-saved with shared strings (as Excel stores text) takes the scan."""
    root = Path(__file__).resolve().parent.parent / "workbooks"
    books = sorted(root.glob("*.xlsx"))
    books.append(to_shared_strings(root / "Exempel_Registreringsfil_2023.xlsx",
                                   tmp_path / "delade.xlsx"))
    assert len(books) >= 3
    for book in books:
        with zipfile.ZipFile(book) as z:
            sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
            assert sheets
            for part in sheets:
                scanned, tree = _both_ways(z.read(part).decode(), list(range(100_000)))
                assert scanned == tree, (book.name, part)


@pytest.mark.parametrize(("case", "rows", "why"), argvalues=[
    # An entity or character reference anywhere in the cell data: the tree from the start.
    ("entity", '<row r="1"><c r="A1" t="inlineStr"><is><t>A &amp; B</t></is></c></row>',
     "no scan"),
    ("character-reference",
     '<row r="1"><c r="A1" t="inlineStr"><is><t>F&#246;rbund</t></is></c></row>', "no scan"),
    ("cdata", '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<b>]]></t></is></c></row>',
     "not plain"),
    ("comment", '<row r="1"><c r="A1"><v>1</v></c></row><!-- x --><row r="2"/>', "not plain"),
    ("formula", '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>', "not plain"),
    ("formula-no-value", '<row r="1"><c r="A1"><f>1+1</f></c></row>', "not plain"),
    ("rich-text", '<row r="1"><c r="A1" t="inlineStr"><is><r><t>Del</t></r><r><t>vis</t></r>'
     "</is></c></row>", "not plain"),
    ("attribute-order", '<row r="1"><c r="A1" t="n" s="1"><v>45050</v></c></row>', "not plain"),
    ("single-quotes", "<row r='1'><c r='A1'><v>1</v></c></row>", "not plain"),
    ("extra-attribute", '<row r="1"><c r="A1" cm="1"><v>1</v></c></row>', "not plain"),
    ("no-reference", '<row r="1"><c><v>1</v></c><c><v>2</v></c></row>', "not plain"),
    ("row-without-number", '<row><c r="A1"><v>1</v></c></row>', "not plain"),
    ("lower-case-reference", '<row r="1"><c r="b1"><v>1</v></c></row>', "not plain"),
    ("carriage-return", '<row r="1"><c r="A1" t="inlineStr"><is><t>a\r\nb</t></is></c></row>',
     "not plain"),
    ("empty-value-element", '<row r="1"><c r="A1" t="n"><v/></c></row>', "not plain"),
    ("row-attribute-entity", '<row r="1" x="&amp;"><c r="A1"><v>1</v></c></row>', "no scan"),
    ("cell-outside-a-row", '<c r="A1"><v>1</v></c><row r="2"><c r="A2"><v>2</v></c></row>',
     "not plain"),
])
def test_cell_data_the_scan_does_not_read_goes_to_the_tree(case, rows, why):
    scanned, _tree = _both_ways(sheet_xml(rows))
    assert scanned == why


def test_rows_that_do_not_nest_are_left_to_the_tree(tmp_path):
    from indikator_xl.reader import convert, scan
    data = sheet_xml('<row r="1"><row r="2"/></row>').encode()
    with pytest.raises(convert.NotPlainError):
        convert.sheet_from_tokens(scan.tokens(data), "Blad", [], frozenset(), False, DEFAULT_LIMITS)
    path = package(tmp_path / "n.xlsx", {"Blad": data.decode()})
    with pytest.raises(WorkbookReadError, match="ogiltig celladress 2 i bladet Blad"):
        read_workbook(path)


_ONE_CELL = '<row r="1"><c r="A1"><v>1</v></c></row>'


_MAIN_ROOT = f'<worksheet xmlns="{MAIN}"'
_NOT_SCANNED = {  # id: (the part, what the tree reads from it: rows or the error it raises)
    "prefix": (sheet_xml(_ONE_CELL, prefix="x").encode(), [[1]]),
    "empty-sheet-data": (
        sheet_xml("").replace("<sheetData></sheetData>", "<sheetData/>").encode(), []),
    "latin-1": (sheet_xml(_ONE_CELL).replace("UTF-8", "ISO-8859-1").encode("latin-1"), [[1]]),
    "latin-1-spaced": (sheet_xml('<row r="1"><c r="A1" t="str"><v>é</v></c></row>').replace(
        'encoding="UTF-8"', 'encoding = "ISO-8859-1"').encode(), [["Ã©"]]),
    "utf-16": (sheet_xml(_ONE_CELL).replace("UTF-8", "UTF-16").encode("utf-16"), [[1]]),
    "xml-1.1": (sheet_xml(_ONE_CELL).replace('version="1.0"', 'version="1.1"').encode(),
                [[1]]),
    "double-byte-order-mark": (b"\xef\xbb\xbf" + sheet_xml(_ONE_CELL).split("\n", 1)[1]
                               .replace("<worksheet", "\ufeff<worksheet").encode(),
                               ElementTree.ParseError),
    "doctype": (sheet_xml(_ONE_CELL).replace(
        "<worksheet", '<!DOCTYPE worksheet [<!ATTLIST c t CDATA "b">]><worksheet').encode(),
        [[True]]),
    # A whole "<sheetData></sheetData>" inside a comment or an instruction before the real one.
    "comment": (sheet_xml(_ONE_CELL).replace(
        "<sheetData>", "<!--<sheetData></sheetData>--><sheetData>", 1).encode(), [[1]]),
    "instruction": (sheet_xml(_ONE_CELL).replace(
        "<sheetData>", "<?pi <sheetData></sheetData>?><sheetData>", 1).encode(), [[1]]),
    # Cell data that is not the sheet's: nested in another element, or the root itself.
    "nested-sheet-data": (sheet_xml(_ONE_CELL).replace("<sheetData>", "<extLst><sheetData>")
                          .replace("</sheetData>", "</sheetData></extLst><sheetData/>")
                          .encode(), []),
    "sheet-data-as-root": (f'<sheetData xmlns="{MAIN}">{_ONE_CELL}</sheetData>'.encode(), []),
    "second-sheet-data-before": (sheet_xml(_ONE_CELL).replace(
        "<sheetData>", "<extLst><sheetData></sheetData></extLst><sheetData>").encode(), [[1]]),
    # A row in another namespace (the tree reads the namespace of the first row).
    "row-namespace": (sheet_xml(_ONE_CELL.replace('<row r="1">', '<row r="1" xmlns="urn:x">'))
                      .encode(), [[1]]),
    # Prefixes: never declared, declared on a closed sibling, undeclared.
    "unbound-prefix": (sheet_xml(_ONE_CELL.replace('<row r="1">', '<row r="1" p:x="1">'))
                       .encode(), ElementTree.ParseError),
    "prefix-on-sibling": (sheet_xml(_ONE_CELL.replace('<row r="1">', '<row r="1" p:x="1">'))
                          .replace("<sheetData>", '<sheetPr xmlns:p="urn:p"/><sheetData>')
                          .encode(), ElementTree.ParseError),
    "prefix-in-a-value": (sheet_xml(_ONE_CELL.replace('<row r="1">', '<row r="1" p:x="1">'))
                          .replace(_MAIN_ROOT, f'{_MAIN_ROOT} note="xmlns:p="').encode(),
                          ElementTree.ParseError),
    "prefix-undeclared": (sheet_xml(_ONE_CELL.replace('<row r="1">', '<row r="1" p:x="1">'))
                          .replace(_MAIN_ROOT, f'{_MAIN_ROOT} xmlns:p=""').encode(),
                          ElementTree.ParseError),
}


@pytest.mark.parametrize("case", list(_NOT_SCANNED))
def test_parts_the_scan_does_not_read_at_all(case):
    """The scan stands aside; what the tree reads (or refuses) is then the answer."""
    from indikator_xl.reader import convert, scan, tree
    data, expected = _NOT_SCANNED[case]
    assert scan.tokens(data) is None

    def by_tree() -> list:
        return convert.sheet_from_tokens(tree.tokens(data, "Blad"), "Blad", [], frozenset(),
                                         False, DEFAULT_LIMITS).rows
    if isinstance(expected, list):
        assert by_tree() == expected
    else:
        with pytest.raises(expected):
            by_tree()


@pytest.mark.parametrize(("row", "message"), [
    ('<row r=""><c r="A1"><v>1</v></c></row>', 'ogiltigt radnummer "" i bladet Personal'),
    ('<row r="1"><c r=""><v>1</v></c></row>', 'ogiltig celladress "" i bladet Personal'),
    ('<row r="1" r="2"><c r="A1"><v>1</v></c></row>', "ogiltig XML i bladet Personal"),
    ('<row r="1" aé="1"><c r="A1"><v>1</v></c></row>', None),
])
def test_empty_or_repeated_addresses_are_damaged_on_every_path(parse_mode, tmp_path, row,
                                                               message):
    """An empty row number or cell reference is damaged, not "no row" or a dropped cell; a
    repeated r is not read by the scan. A non-ASCII attribute name is left to the tree."""
    path = package(tmp_path / "x.xlsx", {"Personal": sheet_xml(row)})
    if message is None:
        assert read_workbook(path).sheets["Personal"].rows == [[1]]
        return
    with pytest.raises(WorkbookReadError) as err:
        read_workbook(path)
    assert str(err.value) == f"Arbetsboken är skadad ({message})."


@pytest.mark.parametrize("row", [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a\x01b</t></is></c></row>',
    '<row r="1"><c r="A1" t="inlineStr"><is><t>a]]>b</t></is></c></row>',
    '<row r="1" x="a\x01b"><c r="A1"><v>1</v></c></row>',
    '<row r="1" x="a\ufffeb"><c r="A1"><v>1</v></c></row>',
])
def test_text_that_is_not_xml_is_damaged_on_every_path(parse_mode, tmp_path, row):
    """Characters XML forbids in text or attributes are not read by the scan; the tree
    refuses them."""
    path = package(tmp_path / "x.xlsx", {"Personal": sheet_xml(row)})
    with pytest.raises(WorkbookReadError) as err:
        read_workbook(path)
    assert str(err.value) == "Arbetsboken är skadad (ogiltig XML i bladet Personal)."


_CELL_FORMS = st.one_of(
    st.tuples(st.just("n"), st.one_of(st.integers(-10**12, 10**12).map(str),
                                       st.floats(allow_nan=False, allow_infinity=False).map(repr),
                                       st.sampled_from(["05", "1E-3", "-0", "abc", ""]))),
    st.tuples(st.just("s"), st.integers(0, 5).map(str)),  # 4 and 5: past the table
    st.tuples(st.just("inlineStr"), st.text(st.one_of(st.sampled_from("\t\n "), st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&\ufffe\uffff")),
        max_size=8)),
    st.tuples(st.sampled_from(["b", "e", "str", "d", "x"]),
              st.sampled_from(["1", "0", "#N/A", "", "2023-05-04", "text"])),
    st.tuples(st.just("empty"), st.just("")),
)


def _cell_xml(ref: str, style: int | None, form: tuple[str, str]) -> str:
    kind, text = form
    s = f' s="{style}"' if style is not None else ""
    if kind == "empty":
        return f'<c r="{ref}"{s}/>'
    if kind == "inlineStr":
        return f'<c r="{ref}"{s} t="inlineStr"><is><t>{text}</t></is></c>'
    t = "" if kind == "n" and text.startswith("-") else f' t="{kind}"'
    return f'<c r="{ref}"{s}{t}><v>{text}</v></c>'


@given(st.lists(st.tuples(
    st.integers(1, 40),
    st.lists(st.tuples(st.integers(1, 30), st.sampled_from([None, 0, 1, 2, 3]), _CELL_FORMS),
             max_size=6),
    st.sampled_from(["", "\n", "\n  "])), max_size=8))
@settings(max_examples=300, deadline=None)
def test_the_scan_and_the_tree_agree_on_random_plain_cell_data(rows):
    """Random rows (any order, repeats, gaps, self-closing cells, whitespace between rows)
    of every value kind: the scan reads them, and reads them as the tree does, or both
    refuse them with the same message."""
    xml = "".join(
        f'<row r="{r}">' + "".join(_cell_xml(f"{column_letter(c)}{r}", s, form)
                                   for c, s, form in cells) + f"</row>{gap}"
        for r, cells, gap in rows)
    try:
        scanned, tree = _both_ways(sheet_xml(xml), ["a", "b", " c ", "#N/A"])
    except WorkbookReadError as exc:  # e.g. a shared-string index past the table
        from indikator_xl.reader import convert, scan, tree
        data = sheet_xml(xml).encode()
        with pytest.raises(WorkbookReadError) as again:
            convert.sheet_from_tokens(scan.tokens(data), "Blad", ["a", "b", " c ", "#N/A"],
                                  frozenset({1, 2}), False, DEFAULT_LIMITS)
        assert str(again.value) == str(exc)
        return
    assert scanned == tree
    assert [[type(v) for v in row] for row in scanned] == [[type(v) for v in row] for row in tree]


@pytest.mark.parametrize("scan", [True, False])
def test_a_damaged_part_gets_the_trees_message_with_or_without_the_scan(tmp_path, monkeypatch,
                                                                       scan):
    """A bad row number before malformed XML: the scan meets the row number first, the
    whole-part tree the XML; the user sees the tree's verdict either way."""
    from indikator_xl.reader import scan
    if not scan:
        monkeypatch.setattr(scan, "tokens", lambda data: None)
    path = package(tmp_path / "x.xlsx", {"Personal": sheet_xml(
        '<row r="0"><c r="A1"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c>')})
    with pytest.raises(WorkbookReadError) as err:
        read_workbook(path)
    assert str(err.value) == "Arbetsboken är skadad (ogiltig XML i bladet Personal)."
