"""The förbund's and the national sheets speak one language (vocabulary.py): the same
symbols, response-rate headings and footnotes, which follow the thresholds in force."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from indikator_xl.figures.analysis import analyse
from indikator_xl.figures.national import merge_folder
from indikator_xl.figures.suppression import Thresholds
from indikator_xl.sheets import sheetmodel as sm
from indikator_xl.sheets import vocabulary as voc
from indikator_xl.sheets.national_sheets import national_workbook
from indikator_xl.sheets.result_sheets import result_workbook
from indikator_xl.validation.registration import load_registration
from tests.result_books import EXAMPLE, hostile_registration

STRICT = Thresholds(hide_below=7, uncertain_below=12, alpha=0.01)


def _tables(book: sm.Workbook) -> list[sm.Table]:
    return [b for s in book.sheets for b in s.blocks if isinstance(b, sm.Table)]


def _notes(book: sm.Workbook) -> set[str]:
    """Every note under a table or on a note line, without its "[not N]" number."""
    notes = [n for t in _tables(book) for n in t.notes]
    notes += [b.text for s in book.sheets for b in s.blocks
              if isinstance(b, sm.Text) and b.style == "note"]
    return {re.sub(r"^\[not \d+\] ", "", n) for n in notes}


def _cells(book: sm.Workbook) -> list[sm.Value]:
    """The cells of every table except Noter's (which lists the symbols themselves)."""
    return [v for s in book.sheets if s.name != "Noter" for t in s.blocks
            if isinstance(t, sm.Table) for r in t.rows for v in r.cells]


@pytest.fixture(scope="module")
def national(folder: Path) -> sm.Workbook:
    return national_workbook(merge_folder(folder, thresholds=STRICT))


@pytest.fixture(scope="module")
def local() -> sm.Workbook:
    return result_workbook(analyse(load_registration(EXAMPLE), thresholds=STRICT))


def test_footnotes_follow_the_thresholds_in_both(local, national) -> None:
    hidden = ("[dold] färre än 7 svar: visas inte, för att skydda de svarandes anonymitet. "
              "Har ett kön färre än 7 svar visas inget av könen.")
    gender = ("* statistiskt signifikant skillnad mellan könen på 1 %-nivån "
              "(per svarskategori).")
    for book in (local, national):
        assert hidden in _notes(book)
        assert gender in _notes(book)
        assert not any("5 %-nivån" in n or "färre än 5 svar" in n for n in _notes(book))
    assert "Osäker (och kursiv stil): färre än 12 svar, resultatet är osäkert." in _notes(
        local)
    assert "Osäker (n < 12)" in {h for t in _tables(local) for h in t.headings}


def test_one_symbol_each_and_the_same_rate_headings(local, national) -> None:
    for book in (local, national):
        texts = {v.value for v in _cells(book) if isinstance(v.value, str)}
        assert not {"-", voc.DASH, "*"} & texts
        assert not any(t.startswith((f"{voc.DASH} ", f"{voc.DASH} (")) for t in texts)
        assert voc.DOLD in texts and voc.SAKNAS in texts
        # A hidden figure is [dold] and nothing else is.
        assert all("dold" in v.emphasis for v in _cells(book) if v.value == voc.DOLD)
        headings = {c.heading for t in _tables(book) for c in t.columns}
        assert set(voc.RATE_HEADINGS.values()) <= headings
    assert voc.REMITTENTER_NOTE in _notes(local) and voc.REMITTENTER_NOTE in _notes(national)
    # "*" means a significant difference only: no Totalt ratio carries it.
    assert not any(v.format.endswith(voc.STAR_SUFFIX) for v in _cells(local)
                   if v.kind == "share" and "stjarna" not in v.emphasis
                   and not isinstance(v.value, str))


def test_previous_answers_shown_for_whole_groups_and_the_total(tmp_path: Path) -> None:
    previous = load_registration(hostile_registration(tmp_path / "fjol.xlsx"))
    a = analyse(load_registration(EXAMPLE), previous=previous)
    (table,) = [b for b in result_workbook(a).sheet("Svarsfrekvens").blocks
                if isinstance(b, sm.Table)]
    rows = {r.cells[0].value: r.cells[5].value for r in table.rows}
    # The earlier file has 30 Deltagare pågående (five insatser of 6), nothing else.
    assert rows["Deltagare pågående"] == 30 and rows["Totalt"] == 30
    assert rows["Varav S-team Norr"] is None and rows["Personal"] is None


@pytest.mark.parametrize(("alpha", "text"), [(0.05, "5 %"), (0.01, "1 %"), (0.025, "2,5 %")])
def test_percent_level(alpha: float, text: str) -> None:
    assert voc.percent_level(alpha) == text
