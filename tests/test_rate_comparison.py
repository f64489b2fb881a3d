"""The response rates against the national ones on the Svarsfrekvens sheet."""

from __future__ import annotations

import csv
from importlib import resources

from indikator_xl.domain import instrument as ins
from indikator_xl.pipeline import calculate
from indikator_xl.sheets.result_sheets import svarsfrekvens
from indikator_xl.sheets.sheetmodel import Table
from tests.builders import forbund_rows, registration


def _published_total() -> dict[str, str]:
    path = resources.files("indikator_xl").joinpath("data", "svarsfrekvens_2023.csv")
    with path.open(encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["respondentgrupp"] == "Totalt")


def _lines(tmp_path, period: int) -> list[str]:
    # Styrelse: målpopulation 10, undersökt 8, 6 answers → 75 %, 80 %, 60 %.
    path = registration(tmp_path / "f.xlsx", {ins.STYRELSE: [[i, 5] for i in range(1, 7)]},
                        forbund_rows(period=period),
                        populations=[[ins.STYRELSE, None, 10, 8]])
    sheet = svarsfrekvens(calculate(path).analysis)
    table = next(b for b in sheet.blocks if isinstance(b, Table))
    return [n for n in table.notes if "rikssnittet" in n]


def test_rates_against_the_published_tabell_3(tmp_path):
    total = _published_total()
    assert _lines(tmp_path, 2023) == [
        f"Andel svar av undersökt population: 75 % mot rikssnittet "
        f"{total['andel_svar_av_undersokt']} % (2023).",
        f"Undersökt population i förhållande till målpopulation: 80 % mot rikssnittet "
        f"{total['andel_undersokt_av_mal']} % (2023).",
        f"Andel svar i förhållande till målpopulation: 60 % mot rikssnittet "
        f"{total['andel_svar_av_mal']} % (2023).",
    ]


def test_no_comparison_where_no_national_rates_are_published(tmp_path):
    assert _lines(tmp_path, 2022) == []
