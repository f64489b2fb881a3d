"""LibreOffice, a real spreadsheet application, opens the result workbook cleanly and
shows our figures where we put them (headless conversion to PDF and UTF-8 CSV).

Needs `soffice` and `pdftotext` (scripts/install_libreoffice.sh). Locally the tests skip
without them; in CI (environment variable CI set) they fail instead.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from indikator_xl.cli import run
from indikator_xl.sheets.result_sheets import SHEET_NAMES
from tests.libreoffice import convert, csv_filter, soffice
from tests.result_books import EXAMPLE, HOSTILE_FORBUND, HOSTILE_INSATSER, hostile_registration

if soffice() is None or shutil.which("pdftotext") is None:
    if os.environ.get("CI"):
        pytest.fail("LibreOffice saknas: kör scripts/install_libreoffice.sh före testerna.",
                    pytrace=False)
    pytest.skip("LibreOffice (soffice/pdftotext) is not installed", allow_module_level=True)


def _sheet_no(name: str) -> int:
    return SHEET_NAMES.index(name) + 1


@pytest.fixture(scope="module")
def profile(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lo-profile")


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("books")
    src = shutil.copy(EXAMPLE, d / EXAMPLE.name)
    assert run(["berakna", str(src), "--export", str(d / "lang.csv"),
                "-o", str(d / "resultat.xlsx")]) == 0
    hostile = hostile_registration(d / "konstig.xlsx")
    assert run(["berakna", str(hostile), "-o", str(d / "konstig_resultat.xlsx")]) == 0
    return {"dir": d, "example": d / "resultat.xlsx", "csv": d / "lang.csv",
            "hostile": d / "konstig_resultat.xlsx"}


def _lo_csv(book: Path, sheet: str, outdir: Path, profile: Path) -> list[list[str]]:
    out = convert(book, csv_filter(_sheet_no(sheet)), outdir, profile=profile)
    assert out.name == f"{book.stem}-{sheet}.csv"
    with out.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _share(text: str) -> float:
    return float(text.rstrip("%*†")) / 100


def test_pdf_is_a4_landscape_and_shows_the_summary(books, profile, tmp_path):
    pdf = convert(books["example"], "pdf", tmp_path, profile=profile)
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    sizes = [line.split("size:")[1].strip() for line in info.splitlines()
             if line.startswith("Page") and "size:" in line]
    # Framsida, Innehåll and Noter stand upright; the wide result tables lie down.
    assert sizes[0] == "595.304 x 841.89 pts (A4)"
    assert sizes.count("841.89 x 595.304 pts (A4)") > len(sizes) / 2
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "Sammanfattning – Exempelförbundet 2023" in text
    assert ("3 av 15 indikatorer högre än rikssnittet, 11 varken högre eller lägre, "
            "1 lägre.") in text
    assert "Resultat per indikator och mått – Exempelförbundet 2023" in text
    assert "Svarsfrekvens – Exempelförbundet 2023" in text
    # Whole percent as shown: Deltagare pågående F1, 83 of 108 → 77 %.
    samtliga = next(line for line in text.splitlines() if line.strip().startswith("Samtliga"))
    assert samtliga.split()[1:8] == ["108", "2%", "12%", "86%", "77%", "77%", "77%"]
    # The machine-readable Data sheet is visible and printed like any table.
    assert "klart_positivt" in text


def test_resultat_figures_where_expected(books, profile, tmp_path):
    rows = _lo_csv(books["example"], "Resultat", tmp_path, profile)
    # Title, count line, note; indicator heading (row 7), the first question's table
    # titled in row 9, its headings in row 10 and the Samtliga row in row 11.
    assert rows[2][0] == "Bladet har 45 tabeller."
    assert rows[8][0].startswith("Fråga 1 – Deltagare - pågåendeenkät:")
    assert rows[9][:7] == ["Mått och undergrupp", "n", "Negativt", "Varken eller",
                           "Positivt", "Klart positivt", "Nyckeltal"]
    assert rows[10][:2] == ["Samtliga", "108"]
    assert _share(rows[10][6]) == pytest.approx(83 / 108, abs=1e-12)
    assert _share(rows[10][7]) == pytest.approx(0.77)   # rikssnitt 2023, Tabell N.1


def test_data_sheet_as_libreoffice_reads_it_equals_the_export(books, profile, tmp_path):
    rows = _lo_csv(books["example"], "Data", tmp_path, profile)
    with books["csv"].open(encoding="utf-8", newline="") as fh:
        exported = list(csv.reader(fh))
    assert rows[0] == exported[0]
    assert len(rows) == len(exported)
    for got, want in zip(rows[1:], exported[1:], strict=True):
        for g, w in zip(got, want, strict=True):
            if w and w[0].isdigit() and "." in w:
                assert float(g) == pytest.approx(float(w), abs=5e-7)
            else:
                assert g == w


def test_svarsfrekvens_counts(books, profile, tmp_path):
    rows = _lo_csv(books["example"], "Svarsfrekvens", tmp_path, profile)
    by_label = {r[0]: r for r in rows}
    pag = by_label["Deltagare pågående"]
    assert pag[1:3] == ["244", "180"] and pag[4] == "110" and pag[7:10] == ["55", "46", "9"]
    assert by_label["Totalt"][4] == "295"


def test_hostile_names_stay_text_in_libreoffice(books, profile, tmp_path):
    rows = _lo_csv(books["hostile"], "Svarsfrekvens", tmp_path, profile)
    labels = [r[0] for r in rows]
    for name in HOSTILE_INSATSER:
        assert f"Varav {name}" in labels
    data = _lo_csv(books["hostile"], "Data", tmp_path, profile)
    assert {r[0] for r in data[1:]} == {HOSTILE_FORBUND}
    assert set(HOSTILE_INSATSER) <= {r[6] for r in data[1:]}
    fel = _lo_csv(books["hostile"], "Valideringsfel", tmp_path, profile)
    assert ["Fel", "Deltagare pågående", "D4", "7"] in [r[:4] for r in fel]
