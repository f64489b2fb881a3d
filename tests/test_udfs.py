"""Worksheet functions, called as plain functions with xlwings-converter-shaped input."""

from __future__ import annotations

import math
from datetime import datetime
from pathlib import Path

import pytest

from indikator_xl import udfs
from indikator_xl.domain import instrument as ins
from indikator_xl.domain.text import key
from indikator_xl.figures.rikssnitt import published
from indikator_xl.figures.significance import category_test
from indikator_xl.figures.stats import measure_table
from indikator_xl.reader import read_workbook
from indikator_xl.validation.registration import load_registration

EXAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / \
    "Exempel_Registreringsfil_2023.xlsx"
FUNCTIONS = (udfs.KLARTPOSITIV, udfs.POSITIV, udfs.NEGATIV, udfs.VARKEN_ELLER,
             udfs.ANTALSVAR, udfs.NYCKELTAL, udfs.SIGNIFIKANS, udfs.RIKSSNITT)


def _as_converted(value):
    """What xlwings hands a UDF: numbers as float, blanks as None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _column(rows, header: str, where=lambda row: True) -> list[list]:
    col = [key(h) for h in rows[0]].index(key(header))
    return [[_as_converted(r[col] if col < len(r) else None)] for r in rows[1:] if where(r)]


@pytest.fixture(scope="module")
def example():
    raw = read_workbook(EXAMPLE)
    reg = load_registration(EXAMPLE)
    table = measure_table(reg.answers)
    return raw, table


def _row(table, group, question, dimension="samtliga", undergrupp="samtliga"):
    hit = table[(table["group"] == group) & (table["question"] == question)
                & (table["dimension"] == dimension) & (table["undergrupp"] == undergrupp)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_shares_and_nyckeltal_equal_the_statistics_core(example):
    raw, table = example
    checked = 0
    for q in ins.QUESTIONS:
        if q.group not in raw.sheets or q.only_if_yes_to:
            continue
        rows = raw.sheets[q.group].rows
        answers = _column(rows, q.column)
        row = _row(table, q.group, q.number)
        assert udfs.ANTALSVAR(answers) == row["n"]
        for func, cat in ((udfs.KLARTPOSITIV, ins.KLART_POSITIVT), (udfs.POSITIV, ins.POSITIVT),
                          (udfs.NEGATIV, ins.NEGATIVT), (udfs.VARKEN_ELLER, ins.VARKEN_ELLER)):
            assert func(answers) == pytest.approx(row[cat], abs=1e-12), (q, cat)
        assert udfs.NYCKELTAL(answers, q.group, float(q.number)) == pytest.approx(
            row["nyckeltal"], abs=1e-12)
        checked += 1
    assert checked == len(ins.QUESTIONS) - 2


def test_skip_logic_questions_match_when_only_ja_rows_are_given(example):
    raw, table = example
    rows = raw.sheets[ins.DELTAGARE_AVSLUT].rows
    f8 = [key(h) for h in rows[0]].index("f8")
    for number in (9, 10):
        answers = _column(rows, f"F{number}",
                          where=lambda r: len(r) > f8 and key(r[f8]) == "ja")
        row = _row(table, ins.DELTAGARE_AVSLUT, number)
        assert udfs.NYCKELTAL(answers, "Deltagare avslut", f"F{number}") == pytest.approx(
            row["nyckeltal"])
        assert udfs.ANTALSVAR(answers) == row["n"]


def test_indicator_7_uses_positive_and_f8_uses_ja(example):
    raw, table = example
    rows = raw.sheets[ins.DELTAGARE_PAGAENDE].rows
    f6 = _column(rows, "F6")
    assert ins.question(ins.DELTAGARE_PAGAENDE, 6).indicator == 7
    assert udfs.NYCKELTAL(f6, "deltagare pågående", 6) == udfs.POSITIV(f6)
    assert udfs.NYCKELTAL(f6, "deltagare pågående", 6) != udfs.KLARTPOSITIV(f6)
    f8 = _column(raw.sheets[ins.DELTAGARE_AVSLUT].rows, "F8")
    share_ja = sum(v == ["Ja"] for v in f8) / sum(v != [None] for v in f8)
    assert udfs.NYCKELTAL(f8, "Deltagare avslut", "F8") == pytest.approx(share_ja)
    assert udfs.KLARTPOSITIV(f8) == pytest.approx(share_ja)
    assert udfs.NEGATIV(f8) == pytest.approx(1 - share_ja)


def test_gender_significance_equals_the_table(example):
    raw, table = example
    rows = raw.sheets[ins.DELTAGARE_PAGAENDE].rows
    kon = [key(h) for h in rows[0]].index("kön")
    compared = 0
    for number in range(1, 8):
        women = _column(rows, f"F{number}", where=lambda r: key(r[kon]) in ("kvinna", "k"))
        men = _column(rows, f"F{number}", where=lambda r: key(r[kon]) in ("man", "m"))
        k = _row(table, ins.DELTAGARE_PAGAENDE, number, "kon", ins.KVINNOR)
        for cat, word in ((ins.KLART_POSITIVT, None), (ins.POSITIVT, "Positivt"),
                          (ins.NEGATIVT, "negativt"), (ins.VARKEN_ELLER, "Varken eller")):
            p = udfs.SIGNIFIKANS(women, men, word)
            if k["dold"] or math.isnan(k[f"p_{cat}"]):
                continue
            assert p == pytest.approx(k[f"p_{cat}"], rel=1e-12)
            compared += 1
    assert compared >= 8


def test_significance_uses_the_category_test():
    a = [[5.0]] * 30 + [[3.0]] * 10
    b = [[5.0]] * 12 + [[2.0]] * 28
    expected = category_test(30, 40, 12, 40)
    assert expected.test == "chi2"
    assert udfs.SIGNIFIKANS(a, b) == pytest.approx(expected.p)
    small = category_test(3, 4, 0, 4)
    assert small.test == "fisher"
    got = udfs.SIGNIFIKANS([[6.0]] * 3 + [[1.0]], [[1.0]] * 4, "Klart positivt")
    assert got == pytest.approx(small.p)
    assert udfs.SIGNIFIKANS([["Ja"], ["Ja"], ["Nej"]], [["Nej"], ["Nej"]], "Ja") == \
        pytest.approx(category_test(2, 3, 0, 2).p)


@pytest.mark.parametrize(("cells", "expected"), [
    ([[5.0, "Alltid", None], ["ofta", " FÖR DET MESTA ", ""]], 3 / 4),
    ([["Helt och hållet"], ["delvis"], ["5"], ["05"]], 3 / 4),
    ([["Ja"], ["nej"], [None]], 1 / 2),
    (6.0, 1.0),
    ([[1.0], [2.0], [3.0], [4.0]], 0.0),
])
def test_klartpositiv_accepts_codes_and_labels(cells, expected):
    assert udfs.KLARTPOSITIV(cells) == pytest.approx(expected)


@pytest.mark.parametrize(("cells", "message"), [
    ([[5.0], [True]], "Ogiltigt svar: SANT"),
    ([[5.0], [False]], "Ogiltigt svar: FALSKT"),
    ([[7.0]], "Ogiltigt svar: 7"),
    ([[2.5]], "Ogiltigt svar: 2.5"),
    ([["x"]], "Ogiltigt svar: x"),
    ([[datetime(2023, 1, 5)]], "Ogiltigt svar: 2023-01-05 00:00:00"),
    ([["#N/A"]], "Ogiltigt svar: #N/A"),
    ([[5.0], ["Ja"]], "Området blandar Ja/Nej med skalsvar"),
    ([[None], [""]], "Inga svar i området"),
])
def test_unusable_input_gives_a_swedish_text(cells, message):
    assert udfs.KLARTPOSITIV(cells) == message
    if message != "Inga svar i området":
        assert udfs.ANTALSVAR(cells) == message


def test_counts_ignore_blanks_and_never_count_booleans():
    assert udfs.ANTALSVAR([[5.0], [None], [""], ["  "], [3.0]]) == 2
    assert udfs.ANTALSVAR([[None]]) == 0
    assert isinstance(udfs.ANTALSVAR([[True]]), str)


def test_nyckeltal_input_errors():
    assert udfs.NYCKELTAL([[5.0]], "Okänd grupp", 1) == "Okänd respondentgrupp: Okänd grupp"
    assert udfs.NYCKELTAL([[5.0]], "Styrelse", 6) == "Styrelse har ingen fråga 6"
    assert udfs.NYCKELTAL([[5.0]], "Deltagare avslut", 8) == "Ogiltigt svar: 5"
    assert udfs.NYCKELTAL([["Ofta"]], "Styrelse", 1) == "Ogiltigt svar: Ofta"  # scale II
    assert udfs.NYCKELTAL([["Till stor del"], [6.0]], "Styrelse", "F1") == 0.5


def test_significance_input_errors():
    assert udfs.SIGNIFIKANS([[5.0]], [[5.0]]) == \
        "Inget test: en grupp saknar svar eller alla svar är lika"
    assert udfs.SIGNIFIKANS([[5.0]], [[None]]) == \
        "Inget test: en grupp saknar svar eller alla svar är lika"
    assert udfs.SIGNIFIKANS([[5.0]], [["Ja"]]) == "Områdena har olika svarsskalor"
    assert udfs.SIGNIFIKANS([[5.0]], [[1.0]], "bäst") == "Okänd kategori: bäst"
    assert udfs.SIGNIFIKANS([["Ja"]], [["Nej"]], "Varken eller") == \
        "Ja/Nej har ingen kategori varken eller"


def test_rikssnitt_from_the_published_report(monkeypatch, tmp_path):
    monkeypatch.delenv("INDIKATOR_XL_RIKSSNITT", raising=False)
    monkeypatch.setattr("indikator_xl.user_config.app_dir", lambda: tmp_path)
    latest = published(2023)
    for q in ins.QUESTIONS:
        row = latest.lookup(q.group, q.number)
        assert udfs.RIKSSNITT(q.group, float(q.number)) == pytest.approx(row["nyckeltal"])
    women = latest.lookup(ins.DELTAGARE_AVSLUT, 1, ins.KVINNOR)["nyckeltal"]
    assert udfs.RIKSSNITT("Deltagare avslut", "F1", "Kvinnor") == women
    assert udfs.RIKSSNITT("Deltagare avslut", "F1", "k", 2023.0) == women
    kommun = latest.lookup(ins.REMITTENTER, 2, "Kommun")["nyckeltal"]
    assert udfs.RIKSSNITT("remittenter", 2, "kommun") == kommun
    old = published(2021).lookup(ins.PERSONAL, 3)["nyckeltal"]
    assert udfs.RIKSSNITT("Personal", 3, None, 2021.0) == old
    assert udfs.RIKSSNITT("Personal", 3, None, 2019.0) == "Inget rikssnitt för 2019"
    assert udfs.RIKSSNITT("Personal", 3, "Kvinnor") == \
        "Inget rikssnitt för Personal F3 (kvinnor)"
    assert udfs.RIKSSNITT("Personal", 3, "chefer") == "Okänd undergrupp: chefer"
    assert udfs.RIKSSNITT("Personal", 3, None, "förra året") == "Ogiltigt år: förra året"


def test_rikssnitt_from_a_configured_workbook(monkeypatch, tmp_path):
    from indikator_xl.render.to_openpyxl import render
    from indikator_xl.sheets.rikssnitt_sheets import rikssnitt_workbook

    figures = published(2023)
    figures.period = 2024
    figures.table.loc[:, "nyckeltal"] = 0.5
    path = tmp_path / "rikssnitt.xlsx"
    render(rikssnitt_workbook(figures), path)
    monkeypatch.setenv("INDIKATOR_XL_RIKSSNITT", str(path))
    assert udfs.RIKSSNITT("Personal", 3) == 0.5
    assert udfs.RIKSSNITT("Personal", 3, None, 2024) == 0.5
    assert udfs.RIKSSNITT("Personal", 3, None, 2023) == pytest.approx(
        published(2023).lookup(ins.PERSONAL, 3)["nyckeltal"])
    monkeypatch.setenv("INDIKATOR_XL_RIKSSNITT", str(tmp_path / "saknas.xlsx"))
    assert udfs.RIKSSNITT("Personal", 3) == "Rikssnittsfilen kan inte läsas"


def test_names_and_docstrings_fit_excel():
    for func in FUNCTIONS:
        assert func.__name__.isascii() and func.__name__.isupper()
        assert func.__doc__ and len(" ".join(func.__doc__.split())) <= 255
        assert "ä" in func.__doc__ or "å" in func.__doc__ or "ö" in func.__doc__


@pytest.mark.parametrize("value, cells", [
    (5.0, [5.0]),
    ([1.0, None, "ofta"], [1.0, None, "ofta"]),
    ([[1.0], [2.0], [None]], [1.0, 2.0, None]),
    (((1.0, 2.0), (3.0, 4.0)), [1.0, 2.0, 3.0, 4.0]),
    ([1.0, [2.0, 3.0]], [1.0, 2.0, 3.0]),
    ([[[1.0, 2.0]], [3.0]], [1.0, 2.0, 3.0]),
    ([], []),
])
def test_a_range_is_read_cell_by_cell_whatever_its_shape(value, cells):
    from indikator_xl.udfs import _cells

    assert _cells(value) == cells
