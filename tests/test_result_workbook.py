"""The result workbook written by `indikator-xl berakna`: read back, cell by cell."""

from __future__ import annotations

import csv
import hashlib
import re
import shutil
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest

from indikator_xl.cli import run
from indikator_xl.domain import instrument as ins
from indikator_xl.figures.analysis import analyse
from indikator_xl.render.to_openpyxl import render
from indikator_xl.sheets.look import MAX_TEXT, REPLACEMENT, safe_text
from indikator_xl.sheets.result_sheets import SHEET_NAMES, result_workbook
from indikator_xl.sheets.sheetmodel import Column, Row, Sheet, Table, Text, Value, Workbook
from indikator_xl.validation.registration import load_registration
from tests.builders import earlier_period
from tests.result_books import (
    EXAMPLE,
    HOSTILE_FORBUND,
    HOSTILE_INSATSER,
    hostile_registration,
)
from tests.xl_tables import tables, titled


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def example_run(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("example")
    src = shutil.copy(EXAMPLE, d / EXAMPLE.name)
    before = _digest(Path(src))
    assert run(["berakna", str(src), "--export", str(d / "lang.csv")]) == 0
    assert run(["berakna", str(src)]) == 0
    assert _digest(Path(src)) == before, "the input must never change"
    return {"dir": d, "src": Path(src), "csv": d / "lang.csv",
            "xlsx": d / "Exempel_Registreringsfil_2023_resultat.xlsx"}


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def test_default_output_beside_input_and_nothing_else(example_run):
    files = sorted(p.name for p in example_run["dir"].iterdir())
    assert files == ["Exempel_Registreringsfil_2023.xlsx",
                     "Exempel_Registreringsfil_2023_resultat.xlsx", "lang.csv"]


def test_sheets_order_visible_data_and_print_setup(example_run):
    wb = openpyxl.load_workbook(example_run["xlsx"])
    assert wb.sheetnames == list(SHEET_NAMES)
    assert SHEET_NAMES[:3] == ("Framsida", "Innehåll", "Noter")
    assert [wb[n].sheet_state for n in SHEET_NAMES] == ["visible"] * 10
    assert wb.active.title == "Framsida"
    for name in SHEET_NAMES[:9]:
        ws = wb[name]
        # The report tables and the front matter print upright; the wide tables lie down.
        assert ws.page_setup.orientation == (
            "portrait" if name in ("Rapporttabeller", "Framsida", "Innehåll", "Noter")
            else "landscape")
        assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    res = wb["Resultat"]
    assert res.freeze_panes == "B1"
    assert res["A3"].value == "Bladet har 45 tabeller."
    first = tables(res)[0]
    assert first.headings[:2] == ["Mått och undergrupp", "n"]
    assert res.column_dimensions["A"].width == 30
    # Every font is named (LibreOffice falls back to a serif font otherwise).
    assert {c.font.name for row in res.iter_rows(max_row=40) for c in row} == {"Calibri"}


def _resultat_samtliga(ws) -> dict[tuple[str, int], tuple[int, float]]:
    """(group, question) → (n, nyckeltal) of each measure's Samtliga row, one Excel
    table per measure titled "Fråga N – <group>: …"."""
    short_to_group = {g.short: g.name for g in ins.GROUPS}
    out = {}
    for t in tables(ws):
        m = re.match(r"Fråga (\d+) – (.+?): ", t.title)
        assert m, t.title
        (row,) = [r for r in t.records() if r["Mått och undergrupp"] == "Samtliga"]
        out[(short_to_group[m.group(2)], int(m.group(1)))] = (row["n"], row["Nyckeltal"])
    return out


def test_golden_resultat_equals_the_export(example_run):
    wb = openpyxl.load_workbook(example_run["xlsx"])
    shown = _resultat_samtliga(wb["Resultat"])
    rows = _csv_rows(example_run["csv"])
    head = rows[0]
    col = {c: head.index(c) for c in ("respondentgrupp", "fraga", "dimension", "n",
                                      "nyckeltal")}
    exported = {(r[col["respondentgrupp"]], int(r[col["fraga"]])):
                (int(r[col["n"]]), float(r[col["nyckeltal"]]))
                for r in rows[1:] if r[col["dimension"]] == "samtliga"}
    assert len(exported) == 45
    assert shown.keys() == exported.keys()
    for measure, (n, key) in exported.items():
        assert shown[measure][0] == n, measure
        assert shown[measure][1] == pytest.approx(key, abs=5e-7), measure
    # A known figure: Deltagare pågående F1, 83 of 108 clearly positive.
    assert shown[(ins.DELTAGARE_PAGAENDE, 1)] == (108, pytest.approx(83 / 108))


def _same(cell, text: str) -> bool:
    if text == "":
        return cell is None
    if isinstance(cell, bool) or cell is None:
        return False
    if isinstance(cell, int | float):
        return abs(cell - float(text)) < 5e-7
    return cell == text


def test_data_sheet_equals_the_csv_export_row_for_row(example_run):
    ws = openpyxl.load_workbook(example_run["xlsx"])["Data"]
    data = [list(r) for r in ws.iter_rows(values_only=True)]
    # The whole sheet is one visible Excel table from A1 (programs read row 1).
    (table,) = tables(ws)
    assert ws.sheet_state == "visible"
    assert [table.headings, *table.rows] == data
    exported = _csv_rows(example_run["csv"])
    assert data[0] == exported[0]
    assert len(data) == len(exported) > 200
    for i, (got, want) in enumerate(zip(data[1:], exported[1:], strict=True), start=2):
        assert len(got) == len(want)
        bad = [(h, g, w) for h, g, w in zip(exported[0], got, want, strict=True)
               if not _same(g, w)]
        assert not bad, f"Data row {i}: {bad}"


def test_sammanfattning_like_tabell_45(example_run):
    ws = openpyxl.load_workbook(example_run["xlsx"])["Sammanfattning"]
    values = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    assert values[0][0] == "Sammanfattning – Exempelförbundet 2023"
    assert values[2][0] == "Bladet har 2 tabeller."
    assert values[4][0] == ("3 av 15 indikatorer högre än rikssnittet, 11 varken högre "
                            "eller lägre, 1 lägre.")
    by_nr = {r[0]: r for r in values if isinstance(r[0], int)}
    assert sorted(by_nr) == list(range(1, 17))
    assert by_nr[14][1].startswith("Det finns en klar och tydlig strategi")
    assert by_nr[14][2] == "Lägre" and by_nr[12][2] == "Högre"
    assert by_nr[11][2] == "ingår ej"
    flat = [v for r in values for v in r if isinstance(v, str)]
    assert "NNS nationella indikatorrapport 2023 (Tabell N.1)" in flat


def test_previous_period_columns_and_trend_chart(tmp_path):
    src = shutil.copy(EXAMPLE, tmp_path / "a.xlsx")
    earlier = earlier_period(EXAMPLE, tmp_path / "a_2022.xlsx")
    out = tmp_path / "ut.xlsx"
    assert run(["berakna", str(src), "--foregaende", str(earlier), "-o", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    first_table = tables(wb["Resultat"])[0]
    heads = first_table.headings
    assert "Nyckeltal 2022" in heads and "Stjärna år 2022–2023" in heads
    i = heads.index("Nyckeltal 2022")
    first = [c for c in wb["Resultat"][first_table.first_row]]
    assert first[0].value == "Samtliga"
    assert first[i].value == pytest.approx(83 / 108)
    assert first[i].number_format == r"\(0%\)"
    summary = wb["Sammanfattning"]
    assert summary["A7"].value == ("0 av 15 indikatorer högre än Exempelförbundet 2022, "
                                   "15 varken högre eller lägre, 0 lägre.")
    assert "Totalt: Jämfört med 2022 (pil)" in titled(summary, "Indikatorredovisning").headings
    diagram = wb["Diagram"]
    kinds = [type(c).__name__ for c in diagram._charts]
    assert kinds == ["BarChart"] + ["LineChart"] * 15  # one small chart per indicator
    line = diagram._charts[1]
    # Förbundet and rikssnittet (named by their rows), over 2022 (previous) and 2023.
    names = [s.tx.strRef.f for s in line.series]
    assert len(names) == 2 and names[0].startswith("'Diagram'!$A$")
    first_row = int(names[0].rsplit("$", 1)[1])
    assert diagram.cell(first_row - 1, 1).value == "1 Personcentrering"
    assert diagram.cell(first_row, 1).value == "Exempelförbundet"
    assert line.series[0].val.numRef.f == f"'Diagram'!$B${first_row}:$C${first_row}"
    assert len(diagram.row_breaks.brk) == 4  # the bar chart, then two rows of charts a page


def test_diagram_bars_read_top_down_from_the_table(example_run):
    wb = openpyxl.load_workbook(example_run["xlsx"])
    (chart,) = wb["Diagram"]._charts
    assert chart.type == "bar"
    assert chart.x_axis.scaling.orientation == "maxMin"
    refs = [s.val.numRef.f for s in chart.series]
    assert refs == ["'Diagram'!$B$7:$B$21", "'Diagram'!$C$7:$C$21"]


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _saved_cells(path: Path) -> list[tuple[str | None, bool, str]]:
    """(t attribute, has a formula, text) of every cell in every saved sheet's XML; a
    shared string (t="s") is looked up in xl/sharedStrings.xml."""
    out = []
    with zipfile.ZipFile(path) as z:
        shared: list[str] = []
        if "xl/sharedStrings.xml" in z.namelist():
            strings = ElementTree.fromstring(z.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{_NS}t"))
                      for si in strings.iter(f"{_NS}si")]
        for name in z.namelist():
            if not name.startswith("xl/worksheets/sheet"):
                continue
            root = ElementTree.fromstring(z.read(name))
            for c in root.iter(f"{_NS}c"):
                text = "".join(t.text or "" for t in c.iter(f"{_NS}t"))
                v = c.find(f"{_NS}v")
                if c.get("t") == "s" and v is not None and v.text is not None:
                    text = shared[int(v.text)]
                out.append((c.get("t"), c.find(f"{_NS}f") is not None, text))
    return out


def test_hostile_text_is_never_a_formula_or_error(tmp_path):
    src = hostile_registration(tmp_path / "reg.xlsx")
    before = _digest(src)
    out = tmp_path / "ut.xlsx"
    assert run(["berakna", str(src), "-o", str(out)]) == 0
    assert _digest(src) == before
    cells = _saved_cells(out)
    assert not [c for c in cells if c[1]], "no formula is ever written"
    assert {t for t, _f, _x in cells} <= {None, "n", "s", "inlineStr"}
    texts = {x for t, _f, x in cells if t in ("s", "inlineStr")}
    assert HOSTILE_FORBUND in texts
    assert {f"Varav {n}" for n in HOSTILE_INSATSER} <= texts
    assert {f"Insats: {n}" for n in HOSTILE_INSATSER} <= texts
    assert set(HOSTILE_INSATSER) <= texts  # the Data sheet's undergrupp column
    wb = openpyxl.load_workbook(out)
    data = wb["Data"]
    assert data["A2"].value == HOSTILE_FORBUND and data["A2"].data_type == "s"
    names = {c.value for c in wb["Svarsfrekvens"]["A"] if c.value}
    assert {f"Varav {n}" for n in HOSTILE_INSATSER} <= names
    cells = [c for row in wb["Resultat"].iter_rows() for c in row if c.value is not None]
    assert all(c.data_type in ("s", "n") for c in cells)


def test_problem_links_only_when_in_the_same_workbook(tmp_path):
    src = hostile_registration(tmp_path / "reg.xlsx")
    reg = load_registration(src)
    (problem,) = [p for p in reg.errors]
    assert (problem.sheet, problem.cell) == (ins.DELTAGARE_PAGAENDE, "D4")
    a = analyse(reg)
    same, separate = tmp_path / "same.xlsx", tmp_path / "separate.xlsx"
    render(result_workbook(a, same_workbook=True), same)
    render(result_workbook(a), separate)
    ws = openpyxl.load_workbook(same)["Valideringsfel"]
    linked = [c for row in ws.iter_rows() for c in row if c.hyperlink]
    assert [(c.value, c.hyperlink.location) for c in linked] == [
        ("D4", "'Deltagare pågående'!D4")]
    ws = openpyxl.load_workbook(separate)["Valideringsfel"]
    assert not [c for row in ws.iter_rows() for c in row if c.hyperlink]
    texts = [c.value for c in ws["A"] if isinstance(c.value, str)]
    assert any("Felen finns i registreringsfilen reg.xlsx" in t for t in texts)
    row = next(r for r in ws.iter_rows(values_only=True) if r[2] == "D4")
    assert row[:4] == ("Fel", ins.DELTAGARE_PAGAENDE, "D4", "7")


def test_control_characters_and_length_limit(tmp_path):
    assert safe_text("a\x01b\x00c\td\ne") == f"a{REPLACEMENT}b{REPLACEMENT}c\td\ne"
    long = "x" * 40000
    assert len(safe_text(long)) == MAX_TEXT and safe_text(long).endswith("…")
    row = Row((Value("a\x02b"), Value(long), Value("#DIV/0!"), Value("=SUM(A1)")))
    table = Table("t", tuple(Column(h) for h in ("a", "b", "c", "@d")), (row,))
    out = tmp_path / "s.xlsx"
    render(Workbook((Sheet("S", (Text("=1+1"), table)),)), out)
    ws = openpyxl.load_workbook(out)["S"]
    assert ws["A1"].value == "=1+1" and ws["A1"].data_type == "s"
    assert ws["D3"].value == "@d"
    assert ws["A4"].value == f"a{REPLACEMENT}b"
    assert len(ws["B4"].value) == MAX_TEXT
    assert ws["C4"].value == "#DIV/0!" and ws["C4"].data_type == "s"
    assert ws["D4"].value == "=SUM(A1)" and ws["D4"].data_type == "s"


def test_atomic_overwrite_leaves_no_temporary_files(tmp_path):
    src = shutil.copy(EXAMPLE, tmp_path / "in.xlsx")
    out = tmp_path / "ut.xlsx"
    out.write_bytes(b"old")
    assert run(["berakna", str(src), "-o", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx", "ut.xlsx"]


def test_refuses_to_overwrite_the_input_or_write_non_xlsx(tmp_path):
    src = shutil.copy(EXAMPLE, tmp_path / "in.xlsx")
    before = _digest(Path(src))
    assert run(["berakna", str(src), "-o", str(src)]) == 2
    assert run(["berakna", str(src), "-o", str(tmp_path / "ut.xlsm")]) == 2
    assert _digest(Path(src)) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx"]


def test_export_alone_writes_no_workbook(tmp_path):
    src = shutil.copy(EXAMPLE, tmp_path / "in.xlsx")
    assert run(["berakna", str(src), "--export", str(tmp_path / "l.csv")]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.xlsx", "l.csv"]


def test_report_tables_name_each_column_on_its_own(example_run):
    # The report's "Varav kvinnor"/"Varav män" appear twice (the förbund's, the
    # rikssnitt's); as Excel table headings each says what its column holds.
    ws = openpyxl.load_workbook(example_run["xlsx"])["Rapporttabeller"]
    first = next(iter(ws.tables.values()))
    heading = [c.value for c in ws[first.ref][0]]
    assert heading == ["Grupp", "Klart positiva svar", "Varav kvinnor", "Varav män",
                       "Rikssnittet", "Rikssnittet, varav kvinnor", "Rikssnittet, varav män"]
