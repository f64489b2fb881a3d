"""Property-based tests (hypothesis) over generated registration workbooks.

Each example is a real .xlsx written with openpyxl and read back through the project's
reader, with random valid and invalid cells, header spellings, column orders and missing
sheets. The properties are the guarantees of docs/tillforlitlighet.md.
"""

from __future__ import annotations

import math
import random
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import CellError
from indikator_xl.figures.stats import measure_table
from indikator_xl.validation.registration import load_registration
from tests.builders import forbund_rows, write_workbook

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

INVALID = [7, 0, 2.5, "x", CellError("#N/A"), True, datetime(2023, 1, 1), "-1"]
GENDERS = ["K", "M", "Kvinna", "man", "Ej angett", None, None, "okänt"]
INSATSER = ["Team A", "team a ", "Team B", "Team C", None]
EMPLOYERS = [*ins.EMPLOYERS, None, "Polisen"]
HEADER_STYLES = [lambda n: f"F{n}", lambda n: f"Fråga {n}", lambda n: f" f {n} ",
                 lambda n: str(n), lambda n: n]


def _answer(rng: random.Random, q: ins.Question) -> Any:
    roll = rng.random()
    if roll < 0.12:
        return None
    if roll < 0.2:
        return rng.choice(INVALID)
    option = rng.choice(q.scale.options)
    if q.scale.is_yes_no:
        return rng.choice([option.label, option.label.upper(), f" {option.label.lower()} "])
    return rng.choice([option.code, float(option.code), str(option.code), option.label,
                       option.label.upper()])


def _group_table(rng: random.Random, group: ins.Group, n_rows: int) -> list[list[Any]]:
    style = rng.choice(HEADER_STYLES)
    header = [ins.ID_COLUMN, *(b.value for b in group.background),
              *(style(q.number) for q in group.questions)]
    rows = []
    for i in range(n_rows):
        row: list[Any] = [i + 1]
        for b in group.background:
            row.append({ins.Background.KON: lambda: rng.choice(GENDERS),
                        ins.Background.INSATS: lambda: rng.choice(INSATSER),
                        ins.Background.ANSTALLNING: lambda: rng.choice(EMPLOYERS),
                        ins.Background.SAMVERKANSGRUPP: lambda: rng.choice(INSATSER)}[b]())
        row += [_answer(rng, q) for q in group.questions]
        rows.append(row)
    order = list(range(len(header)))
    rng.shuffle(order)
    return [[r[i] for i in order] for r in [header, *rows]]


@st.composite
def workbooks(draw) -> dict[str, list[list[Any]]]:
    seed = draw(st.integers(0, 2**32 - 1))
    rng = random.Random(seed)
    chosen = draw(st.lists(st.sampled_from([g.name for g in ins.GROUPS]), min_size=1,
                           max_size=3, unique=True))
    sheets = {ins.SHEET_FORBUND: forbund_rows(),
              ins.SHEET_POPULATIONER: [list(ins.POPULATION_HEADERS)]}
    for name in chosen:
        sheets[name] = _group_table(rng, ins.GROUPS_BY_NAME[name],
                                    draw(st.integers(0, 40)))
    return sheets


def _load(tmp_path: Path, sheets: dict[str, list[list[Any]]], name: str = "f.xlsx"):
    return load_registration(write_workbook(tmp_path / name, sheets))


def _question_columns(group: ins.Group, header: list[Any]) -> list[int]:
    from indikator_xl.domain.text import question_number

    return [c for c, h in enumerate(header)
            if question_number(h) in {q.number for q in group.questions}]


@SETTINGS
@given(sheets=workbooks())
def test_every_non_empty_answer_cell_is_counted_or_reported(tmp_path, sheets):
    reg = _load(tmp_path, sheets)
    listed = {(p.sheet, p.cell) for p in reg.problems}
    counted = set(zip(reg.answers.sheet, reg.answers.cell, strict=True))
    assert not counted & listed
    from indikator_xl.domain.cells import cell_ref
    from indikator_xl.domain.text import is_blank

    for name, rows in sheets.items():
        if name not in ins.GROUPS_BY_NAME:
            continue
        for c in _question_columns(ins.GROUPS_BY_NAME[name], rows[0]):
            for r, row in enumerate(rows[1:], 2):
                if not is_blank(row[c]):
                    assert (name, cell_ref(r, c + 1)) in counted | listed


@SETTINGS
@given(sheets=workbooks())
def test_shares_of_a_measure_sum_to_one(tmp_path, sheets):
    table = measure_table(_load(tmp_path, sheets).answers)
    shown = table[table["dold"] == 0]
    total = shown["negativt"] + shown["varken_eller"] + shown["positivt"]
    assert np.allclose(total, 1.0)
    assert (shown["klart_positivt"] <= shown["positivt"] + 1e-12).all()
    assert (table.loc[table["dimension"] == "samtliga", "dold"] == 0).all()


def _swap_gender(value: Any) -> Any:
    swap = {"k": "M", "kvinna": "Man", "m": "K", "man": "Kvinna"}
    return swap.get(str(value).strip().casefold(), value) if isinstance(value, str) else value


@SETTINGS
@given(sheets=workbooks())
def test_star_verdicts_are_symmetric_in_the_two_groups(tmp_path, sheets):
    swapped = {}
    for name, rows in sheets.items():
        group = ins.GROUPS_BY_NAME.get(name)
        if group is None or not group.is_participant:
            swapped[name] = rows
            continue
        c = [str(h) for h in rows[0]].index(ins.Background.KON.value)
        swapped[name] = [rows[0], *[[_swap_gender(v) if i == c else v
                                     for i, v in enumerate(r)] for r in rows[1:]]]
    a = measure_table(_load(tmp_path, sheets, "a.xlsx").answers)
    b = measure_table(_load(tmp_path, swapped, "b.xlsx").answers)
    cols = ["n", "stjarna_negativt", "stjarna_varken_eller", "stjarna_positivt",
            "stjarna_klart_positivt", "p_negativt", "p_positivt", "p_hela_fragan", "dold",
            "test"]
    for group, question in set(zip(a["group"], a["question"], strict=True)):
        def row(t, sub, g=group, q=question):
            hit = t[(t.group == g) & (t.question == q) & (t.undergrupp == sub)]
            return None if hit.empty else hit[cols].iloc[0].tolist()
        assert _nan_equal(row(a, ins.KVINNOR), row(b, ins.MAN))
        assert _nan_equal(row(a, ins.MAN), row(b, ins.KVINNOR))


def _nan_equal(x, y) -> bool:
    if x is None or y is None:
        return x is y
    def same(u, v) -> bool:
        if pd.isna(u) or pd.isna(v):
            return pd.isna(u) and pd.isna(v)
        if isinstance(u, float | np.floating):
            return math.isclose(u, v, rel_tol=1e-9)  # p-values: summation order may differ
        return u == v

    return all(same(u, v) for u, v in zip(x, y, strict=True))


@SETTINGS
@given(sheets=workbooks())
def test_suppressed_cells_cannot_be_computed_from_the_shown_cells(tmp_path, sheets):
    table = measure_table(_load(tmp_path, sheets).answers)
    for (_g, _q), cells in table.groupby(["group", "question"]):
        total = int(cells.loc[cells.dimension == "samtliga", "n"].iloc[0])
        gender = cells[cells.dimension == "kon"]
        shown = gender[gender.dold == 0]
        if len(shown):
            # Both genders shown, each with at least 5 answers, and the not-stated rest
            # (samtliga − kvinnor − män) is empty or has at least 5 answers too.
            assert len(shown) == 2 and (shown.n >= 5).all()
            rest = total - int(shown.n.sum())
            assert rest == 0 or rest >= 5
        for dim in ("insats", "anstallning", "samverkansgrupp"):
            part = cells[cells.dimension == dim]
            hidden = part[part.dold == 1]
            # (A breakdown with a single cell equals samtliga, which is always shown.)
            if len(hidden) == 1 and len(part) > 1 and int(part.n.sum()) == total:
                raise AssertionError(f"one hidden {dim} cell is samtliga minus the others")
        hidden_rows = cells[cells.dold == 1]
        assert hidden_rows[["negativt", "positivt", "klart_positivt"]].isna().all().all()
        assert (hidden_rows[["stjarna_negativt", "stjarna_positivt"]] == 0).all().all()


@SETTINGS
@given(sheets=workbooks(), seed=st.integers(0, 1000))
def test_results_do_not_depend_on_row_or_column_order(tmp_path, sheets, seed):
    rng = random.Random(seed)
    shuffled = {}
    for name, rows in sheets.items():
        if name not in ins.GROUPS_BY_NAME or len(rows) < 2:
            shuffled[name] = rows
            continue
        body = rows[1:]
        rng.shuffle(body)
        order = list(range(len(rows[0])))
        rng.shuffle(order)
        shuffled[name] = [[r[i] for i in order] for r in [rows[0], *body]]
    a = measure_table(_load(tmp_path, sheets, "a.xlsx").answers)
    b = measure_table(_load(tmp_path, shuffled, "b.xlsx").answers)
    key = ["group", "question", "dimension", "undergrupp"]
    # Insats names are shown as first written, so compare them case-insensitively.
    for t in (a, b):
        t["undergrupp"] = t["undergrupp"].str.strip().str.casefold()
    a = a.sort_values(key).reset_index(drop=True)
    b = b.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-12)


def test_secondary_suppression_does_not_depend_on_row_order(tmp_path):
    """Found by the order property in CI: with two equally small shown cells, the one
    hidden alongside the small cell must not depend on which insats comes first."""
    def rows(order):
        cells = {"Team A": [5] * 6, "Team B": [4] * 6, "Team C": [3] * 2}
        body = [[i, name, code] for name in order for i, code in enumerate(cells[name])]
        return {ins.SHEET_FORBUND: forbund_rows(),
                ins.SHEET_POPULATIONER: [list(ins.POPULATION_HEADERS)],
                ins.PERSONAL: [[ins.ID_COLUMN, "Insats", "F1"], *body]}

    hidden = []
    for i, order in enumerate((["Team A", "Team B", "Team C"], ["Team B", "Team A",
                                                                 "Team C"])):
        t = measure_table(_load(tmp_path, rows(order), f"{i}.xlsx").answers)
        t = t[(t.question == 1) & (t.dimension == "insats")]
        hidden.append(sorted(t.loc[t.dold == 1, "undergrupp"]))
    assert hidden == [["Team A", "Team C"], ["Team A", "Team C"]]
