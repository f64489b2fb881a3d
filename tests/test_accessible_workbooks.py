"""The result workbooks as a screen-reader user and a program meet them (issue 17): a
cover, contents with working links and notes; every figure inside an Excel table with
one heading row of text; nothing merged; every symbol and note explained on Noter; the
star and flag columns saying what the long table says."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.cell import range_boundaries

from indikator_xl import cli
from indikator_xl.domain import instrument as ins
from indikator_xl.figures.rikssnitt import published
from indikator_xl.render.to_xlsxwriter import render
from indikator_xl.sheets.rikssnitt_sheets import rikssnitt_workbook
from tests.builders import earlier_period
from tests.national_folder import write_folder
from tests.result_books import EXAMPLE
from tests.xl_tables import tables, titled

MACHINE_READABLE = {"Data", "NNS_antal", "NNS_historik", "NNS_forbund", "Rikssnitt"}
SYMBOL = re.compile(r"\[(?!not )[^\]]+\]|[*†]")
NOTE = re.compile(r"\[not \d+\]")


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("tillganglig")
    src = shutil.copy(EXAMPLE, tmp / "lokal.xlsx")
    earlier = earlier_period(EXAMPLE, tmp / "lokal_2022.xlsx")
    local = tmp / "lokal_resultat.xlsx"
    assert cli.run(["berakna", str(src), "--foregaende", str(earlier), "-o", str(local)]) == 0
    folder = tmp / "in"
    write_folder(folder)
    national = tmp / "nationellt.xlsx"
    assert cli.run(["sammanstall", str(folder), "-o", str(national)]) == 0
    riks = tmp / "rikssnitt.xlsx"
    render(rikssnitt_workbook(published(2023)), riks)
    return {"local": local, "national": national, "rikssnitt": riks}


KINDS = ("local", "national", "rikssnitt")


@pytest.mark.parametrize("kind", KINDS)
def test_cover_contents_and_notes_with_working_links(books, kind):
    wb = openpyxl.load_workbook(books[kind])
    assert wb.sheetnames[:3] == ["Framsida", "Innehåll", "Noter"]
    assert wb.active.title == "Framsida"
    cover = {r["Uppgift"]: r["Värde"] for r in titled_or_only(wb["Framsida"]).records()}
    assert {"Titel", "Period", "Producent", "Kontakt", "Framställd", "Verktyg",
            "Källa"} <= cover.keys()
    assert cover["Producent"].startswith("NNS" if kind != "local" else "Exempelförbundet")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", cover["Framställd"])
    assert cover["Verktyg"].startswith("indikator-xl ")
    contents = wb["Innehåll"]
    linked = {}
    for row in contents.iter_rows():
        for c in row:
            if c.hyperlink is not None:
                linked[c.value] = c.hyperlink.location
    assert set(linked) == set(wb.sheetnames)
    for name, location in linked.items():
        sheet, cell = location.rsplit("!", 1)
        assert sheet.strip("'").replace("''", "'") == name
        assert wb[name][cell] is not None


def titled_or_only(ws: Any):
    (only,) = tables(ws)
    return only


@pytest.mark.parametrize("kind", KINDS)
def test_every_figure_is_in_an_excel_table_and_nothing_is_merged(books, kind):
    wb = openpyxl.load_workbook(books[kind])
    names: set[str] = set()
    for ws in wb.worksheets:
        assert ws.sheet_state == "visible", ws.title
        assert not ws.merged_cells.ranges, ws.title
        inside: set[tuple[int, int]] = set()
        for t in ws.tables.values():
            assert t.displayName.casefold() not in names
            names.add(t.displayName.casefold())
            c0, r0, c1, r1 = range_boundaries(t.ref)
            assert c0 == 1, (ws.title, t.ref)  # starts in column A
            headings = [ws.cell(r0, c).value for c in range(c0, c1 + 1)]
            assert all(isinstance(h, str) and h.strip() for h in headings), (ws.title, t.ref)
            assert len({h.casefold() for h in headings}) == len(headings)
            assert [c.name for c in t.tableColumns] == headings
            assert r1 > r0  # at least one row
            for r in range(r0 + 1, r1 + 1):
                assert any(ws.cell(r, c).value not in (None, "") for c in range(c0, c1 + 1)), \
                    (ws.title, t.ref, r)  # no blank row inside a table
            inside |= {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        # Outside the tables only lines of text in column A: titles, counts and notes.
        stray = [c.coordinate for row in ws.iter_rows() for c in row
                 if c.value not in (None, "") and (c.row, c.column) not in inside
                 and c.column != 1]
        assert not stray, (ws.title, stray[:5])
        if ws.title in MACHINE_READABLE:
            assert [t.ref.split(":")[0] for t in ws.tables.values()] == ["A1"]
            continue
        n = len(ws.tables)
        assert isinstance(ws["A1"].value, str) and ws["A1"].value.strip()
        assert ws["A3"].value == ("Bladet har inga tabeller." if n == 0 else
                                  f"Bladet har {n} tabell{'er' if n > 1 else ''}.")


@pytest.mark.parametrize("kind", KINDS)
def test_every_symbol_and_note_is_explained_on_noter(books, kind):
    wb = openpyxl.load_workbook(books[kind])
    notes = wb["Noter"]
    symbols = {r["Symbol"] for r in titled(notes, "Symboler").records()}
    numbered = ({r["Not"] for r in titled(notes, "Noter").records()}
                if any(t.title == "Noter" for t in tables(notes)) else set())
    machine = ({r["Blad"] for r in titled(notes, "Maskinläsbara").records()}
               if any(t.title == "Maskinläsbara blad" for t in tables(notes)) else set())
    assert machine == MACHINE_READABLE & set(wb.sheetnames)
    used, referenced = set(), set()
    for ws in wb.worksheets:
        if ws.title in ("Noter", *MACHINE_READABLE):
            continue
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    used |= set(SYMBOL.findall(c.value))
                    referenced |= set(NOTE.findall(c.value))
                elif isinstance(c.value, float) and '"' in c.number_format:
                    used |= set(SYMBOL.findall(c.number_format))
    assert used <= symbols, used - symbols
    assert referenced == numbered
    if kind != "rikssnitt":
        assert {"[dold]", "*"} <= used


def _label(record: dict) -> str:
    dim, sub = record["dimension"], record["undergrupp"]
    if dim == "samtliga":
        return "Samtliga"
    if dim == "kon":
        return ins.GENDER_LABELS[sub]
    prefix = {"insats": "Insats", "insats_kon": "Insats", "anstallning": "Anställning",
              "samverkansgrupp": "Samverkansgrupp"}[dim]
    return f"{prefix}: {sub}"


def test_local_star_and_flag_columns_agree_with_the_long_table(books):
    wb = openpyxl.load_workbook(books["local"])
    (data,) = tables(wb["Data"])
    short = {g.name: g.short for g in ins.GROUPS}
    long = {(short[r["respondentgrupp"]], int(r["fraga"]), _label(r)): r
            for r in data.records()}
    seen = stars = uncertain = hidden = flagged = 0
    for t in tables(wb["Resultat"]):
        m = re.match(r"Fråga (\d+) – (.+?): ", t.title)
        assert m
        for row in t.records():
            r = long[(m.group(2), int(m.group(1)), row["Mått och undergrupp"])]
            seen += 1
            starred = [ins.CATEGORY_LABELS[c] for c in ins.CATEGORIES
                       if r[f"stjarna_{c}"] == 1]
            shown = row["Stjärna kvinnor–män (signifikant skillnad)"]
            assert shown == ("* " + ", ".join(starred) if starred else None)
            assert row["Stjärna år 2022–2023"] == ("† Ja" if r["stjarna_ar"] == 1 else None)
            assert row["Osäker (n < 10)"] == ("Ja" if r["osaker"] == 1 else None)
            assert (row["Nyckeltal"] == "[dold]") == (r["dold"] == 1)
            if r["dold"] == 1:
                assert row["Varför dold"]
            own, riks = r["nyckeltal"], row["Rikssnitt 2023"]
            diff = ((own - riks) * 100 if isinstance(own, int | float)
                    and isinstance(riks, int | float) else None)
            flag = row["Jämfört med rikssnittet (minst 4 procentenheter)"]
            want = (None if diff is None or abs(diff) < 4 - 1e-9
                    else "Högre" if diff > 0 else "Lägre")
            assert flag == want
            stars += bool(starred)
            uncertain += r["osaker"] == 1
            hidden += r["dold"] == 1
            flagged += want is not None
    # Every row of the long table is on the sheet, and each flag occurs in the example
    # (the year star does not: the earlier period is the example itself, re-dated).
    assert seen == len(long) == len(data.rows)
    assert min(stars, uncertain, hidden, flagged) > 0


def test_national_star_columns_agree_with_the_counts_sheet(books, tmp_path):
    wb = openpyxl.load_workbook(books["national"])
    (counts,) = tables(wb["NNS_antal"])
    period = max(r["matperiod"] for r in counts.records())
    current = [r for r in counts.records() if r["matperiod"] == period]
    assert current and all(r["stjarna_kon"] in (0, 1) for r in current)
    assert {r["stjarna_kon"] for r in current if r["dimension"] == "kon"} == {0, 1}
    assert all(r["stjarna_kon"] == 0 for r in current if r["dimension"] == "samtliga")
    starred_rows = sum(r["stjarna_kon"] for r in current if r["dimension"] == "kon")
    # On the indicator sheets, each starred women/men row says so in its star column.
    shown = 0
    for ws in wb.worksheets:
        if not ws.title.startswith("Indikator "):
            continue
        for t in tables(ws):
            heading = next((h for h in t.headings if h.startswith("Stjärna (kvinnor")), None)
            if heading is not None:
                shown += sum(1 for v in t.column(heading) if v)
    assert shown == starred_rows > 0
