"""The shipped workbooks: the empty template and the generated example (SPEC §3)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from indikator_xl.domain import instrument as ins
from indikator_xl.generate.example import (
    EXAMPLE_FILENAME,
    build_example,
    generate_registration,
    national_sizes,
    write_example,
)
from indikator_xl.generate.template import (
    LIST_SHEET,
    TEMPLATE_FILENAME,
    build_template,
    list_formula,
    save_reproducible,
    write_template,
)

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"


def _expected_header(group: ins.Group) -> list[str]:
    return ["Löpnummer", *(str(b) for b in group.background),
            *(f"F{q.number}" for q in group.questions)]


def _saved(wb: Workbook, path: Path) -> Workbook:
    save_reproducible(wb, path)
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = tmp_path_factory.mktemp("mall") / TEMPLATE_FILENAME
    write_template(path)
    return openpyxl.load_workbook(path)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    path = tmp_path_factory.mktemp("exempel") / EXAMPLE_FILENAME
    write_example(path)
    return openpyxl.load_workbook(path)


def _validation_for(ws: Worksheet, ref: str):
    found = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    assert len(found) == 1, f"{ws.title}!{ref}: {len(found)} validations"
    return found[0]


def _list_values(dv) -> list[str]:
    formula = dv.formula1
    assert formula.startswith('"') and formula.endswith('"'), formula
    return formula[1:-1].split(",")


def _column_of(ws: Worksheet, header: str) -> str:
    for cell in ws[1]:
        if cell.value == header:
            return cell.column_letter
    raise AssertionError(f"{ws.title}: no column {header!r}")


def _rows(ws: Worksheet) -> list[dict[str, object]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=False))
            for row in ws.iter_rows(min_row=2, values_only=True)
            if any(v is not None for v in row)]


def _cell_values(wb: Workbook) -> dict[str, list[tuple]]:
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb}


# --- template ---------------------------------------------------------------------------------

def test_template_sheets_and_headers(template: Workbook) -> None:
    assert template.sheetnames[:2] == [ins.SHEET_FORBUND, ins.SHEET_POPULATIONER]
    assert template.sheetnames[2:] == [g.name for g in ins.GROUPS]
    for group in ins.GROUPS:
        ws = template[group.name]
        assert [c.value for c in ws[1]] == _expected_header(group)
        assert ws.max_row == 1  # no pre-filled rows: they would be rows without answers
        assert ws.freeze_panes == "A2"
        assert all(c.font.b for c in ws[1])
        assert all(c.font.name == "Calibri" for c in ws[1])


def test_template_forbund_sheet(template: Workbook) -> None:
    ws = template[ins.SHEET_FORBUND]
    keys = [ws.cell(r, 1).value for r in range(1, len(ins.FORBUND_KEYS) + 1)]
    assert keys == list(ins.FORBUND_KEYS)
    assert all(ws.cell(r, 2).value is None for r in range(1, len(ins.FORBUND_KEYS) + 1))
    row = {key: i for i, key in enumerate(ins.FORBUND_KEYS, 1)}
    routine = _validation_for(ws, f"B{row[ins.KEY_ROUTINE]}")
    assert _list_values(routine) == list(ins.ROUTINES)
    period = _validation_for(ws, f"B{row[ins.KEY_PERIOD]}")
    assert (period.type, period.formula1, period.formula2) == (
        "whole", str(ins.PERIOD_MIN), str(ins.PERIOD_MAX))
    for key in (ins.KEY_PERIOD_FROM, ins.KEY_PERIOD_TO):
        assert "yy" in ws[f"B{row[key]}"].number_format
    assert any(isinstance(c.value, str) for c in ws["D"])  # instructions beside the keys


def test_template_populations_sheet(template: Workbook) -> None:
    ws = template[ins.SHEET_POPULATIONER]
    assert tuple(c.value for c in ws[1]) == ins.POPULATION_HEADERS
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == [g.name for g in ins.GROUPS]
    assert all(r[1:] == (None, None, None) for r in rows)
    assert _list_values(_validation_for(ws, "A2")) == [g.name for g in ins.GROUPS]
    for ref in ("C2", "D2", "C50", "D50"):
        dv = _validation_for(ws, ref)
        assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert ws.freeze_panes == "A2"


def test_template_question_comments(template: Workbook) -> None:
    for group in ins.GROUPS:
        ws = template[group.name]
        for q in group.questions:
            comment = ws[f"{_column_of(ws, q.column)}1"].comment
            assert comment is not None, (group.name, q.column)
            assert comment.author == "NNS"
            assert q.text in comment.text
            for label in q.scale.labels:
                assert label in comment.text


def test_template_answer_validations(template: Workbook) -> None:
    for group in ins.GROUPS:
        ws = template[group.name]
        for q in group.questions:
            col = _column_of(ws, q.column)
            dv = _validation_for(ws, f"{col}2")
            assert f"{col}1000" in dv.sqref
            assert f"{col}1" not in dv.sqref
            assert dv.type == "list"
            assert dv.errorStyle == "warning"
            values = _list_values(dv)
            if q.scale.is_yes_no:
                assert values == list(q.scale.labels)
            else:
                assert values == [str(c) for c in q.scale.codes] + list(q.scale.labels)
        if ins.Background.KON in group.background:
            values = _list_values(_validation_for(ws, f"{_column_of(ws, 'Kön')}2"))
            assert values == ["Kvinna", "Man", "Ej angett", "Vill inte svara", "Annat"]
            assert all(v.lower() in ins.GENDER_VALUES for v in values)
        if ins.Background.ANSTALLNING in group.background:
            values = _list_values(_validation_for(ws, f"{_column_of(ws, 'Anställning')}2"))
            assert values == list(ins.EMPLOYERS)


def test_template_is_reproducible(tmp_path: Path) -> None:
    a = write_template(tmp_path / "a.xlsx").read_bytes()
    b = write_template(tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_long_lists_go_to_hidden_sheet(tmp_path: Path) -> None:
    wb = build_template()
    values = [f"Insats nummer {i}" for i in range(40)]
    formula = list_formula(wb, values)
    assert formula == f"{LIST_SHEET}!$A$1:$A$40"
    assert wb[LIST_SHEET].sheet_state == "hidden"
    assert list_formula(wb, ["a", "b"]) == '"a,b"'
    assert list_formula(wb, values[::-1]).startswith(f"{LIST_SHEET}!$B$1")
    loaded = _saved(wb, tmp_path / "listor.xlsx")
    assert [c.value for c in loaded[LIST_SHEET]["A"]] == values


# --- example ----------------------------------------------------------------------------------

def test_example_sizes_and_groups(example: Workbook) -> None:
    counts = {g.name: len(_rows(example[g.name])) for g in ins.GROUPS}
    assert all(n > 0 for n in counts.values())
    assert 250 <= sum(counts.values()) <= 350
    assert counts[ins.DELTAGARE_PAGAENDE] > counts[ins.DELTAGARE_AVSLUT] > counts[ins.PERSONAL]
    forbund = {example[ins.SHEET_FORBUND].cell(r, 1).value: example[ins.SHEET_FORBUND].cell(r, 2)
               .value for r in range(1, len(ins.FORBUND_KEYS) + 1)}
    assert forbund[ins.KEY_NAME]
    assert forbund[ins.KEY_PERIOD] == 2023
    assert forbund[ins.KEY_ROUTINE] in ins.ROUTINES
    assert forbund[ins.KEY_PERIOD_FROM] < forbund[ins.KEY_PERIOD_TO]
    for group in ins.GROUPS:
        ws = example[group.name]
        assert [c.value for c in ws[1]] == _expected_header(group)
        ids = [r["Löpnummer"] for r in _rows(ws)]
        assert len(ids) == len(set(ids))


def test_example_background_values(example: Workbook) -> None:
    insatser: set[str] = set()
    for group in ins.GROUPS:
        if ins.Background.INSATS in group.background:
            insatser |= {r["Insats"] for r in _rows(example[group.name])}
    assert len(insatser) == 3 and None not in insatser

    for name in (ins.DELTAGARE_PAGAENDE, ins.DELTAGARE_AVSLUT):
        genders = [r["Kön"] for r in _rows(example[name])]
        mapped = Counter(ins.GENDER_VALUES[g.lower()] if g else None for g in genders)
        assert mapped[ins.KVINNOR] > 0 and mapped[ins.MAN] > 0
        assert 0.03 <= mapped[None] / len(genders) <= 0.15

    employers = Counter(r["Anställning"] for r in _rows(example[ins.REMITTENTER]))
    assert set(employers) <= set(ins.EMPLOYERS)
    assert employers[ins.OTHER_EMPLOYER] >= 1
    samverkan = {r["Samverkansgrupp"] for r in _rows(example[ins.CHEFSGRUPP])}
    assert len(samverkan) == 2 and None not in samverkan


def test_example_answers(example: Workbook) -> None:
    blanks = labels = cells = 0
    for group in ins.GROUPS:
        for row in _rows(example[group.name]):
            answers = {q.number: row[q.column] for q in group.questions}
            assert any(v is not None for v in answers.values())  # every row is a respondent
            for q in group.questions:
                value = answers[q.number]
                cells += 1
                if value is None:
                    blanks += 1
                    continue
                if isinstance(value, str):
                    assert value in q.scale.labels
                    labels += not q.scale.is_yes_no
                else:
                    assert not q.scale.is_yes_no and value in q.scale.codes
                if q.only_if_yes_to is not None:
                    gate = group.question(q.only_if_yes_to)
                    yes = {o.label for o in gate.scale.options if ins.POSITIVT in o.categories}
                    assert answers[gate.number] in yes, (group.name, row["Löpnummer"])
    assert 0 < labels < 0.1 * cells
    assert 0 < blanks < 0.15 * cells  # internal non-response plus the F9/F10 skips


def test_example_populations_consistent(example: Workbook) -> None:
    respondents: Counter[tuple[str, str | None]] = Counter()
    for group in ins.GROUPS:
        for row in _rows(example[group.name]):
            respondents[group.name, None] += 1
            if ins.Background.INSATS in group.background:
                respondents[group.name, row["Insats"]] += 1
    rows = list(example[ins.SHEET_POPULATIONER].iter_rows(min_row=2, values_only=True))
    seen = set()
    for group, insats, target, offered in rows:
        assert group in ins.GROUPS_BY_NAME
        seen.add((group, insats))
        assert isinstance(offered, int) and offered >= respondents[group, insats] > 0
        if group == ins.REMITTENTER:
            assert target is None
        else:
            assert isinstance(target, int) and target >= offered
    assert {g.name for g in ins.GROUPS} == {g for g, i in seen if i is None}
    assert seen == set(respondents)
    by_group: dict[str, list[tuple]] = {}
    for row in rows:
        by_group.setdefault(row[0], []).append(row)
    for group_rows in by_group.values():
        total = [r for r in group_rows if r[1] is None][0]
        parts = [r for r in group_rows if r[1] is not None]
        if parts:
            assert total[3] == sum(r[3] for r in parts)


def test_example_is_deterministic(tmp_path: Path) -> None:
    assert _cell_values(build_example()) == _cell_values(build_example())
    a = write_example(tmp_path / "a.xlsx").read_bytes()
    b = write_example(tmp_path / "b.xlsx").read_bytes()
    assert a == b
    assert _cell_values(build_example(seed=1)) != _cell_values(build_example())


def test_example_validates_clean(tmp_path: Path) -> None:
    registration = pytest.importorskip("indikator_xl.validation.registration")
    path = write_example(tmp_path / EXAMPLE_FILENAME)
    result = registration.load_registration(path)
    assert [p for p in result.problems] == []


# --- generator --------------------------------------------------------------------------------

def test_generator_sizes_and_missing_groups(tmp_path: Path) -> None:
    sizes = {ins.PERSONAL: 7, ins.STYRELSE: 0, ins.DELTAGARE_AVSLUT: 12}
    wb = _saved(generate_registration(random.Random(5), "Testförbundet", 2022, sizes,
                                      insatser=("=Team A", "#N/A"), comments=False),
                tmp_path / "gen.xlsx")
    assert wb.sheetnames == [ins.SHEET_FORBUND, ins.SHEET_POPULATIONER, ins.DELTAGARE_AVSLUT,
                             ins.PERSONAL, ins.STYRELSE]
    for name, n in sizes.items():
        assert len(_rows(wb[name])) == n
    # user-like text that looks like a formula or an error stays text
    assert {r["Insats"] for r in _rows(wb[ins.PERSONAL])} == {"=Team A", "#N/A"}
    assert wb[ins.PERSONAL]["C1"].comment is None
    groups = [r[0] for r in wb[ins.SHEET_POPULATIONER].iter_rows(min_row=2, values_only=True)]
    assert ins.STYRELSE not in groups  # no respondents, no population row


def test_national_sizes_shape() -> None:
    rng = random.Random(7)
    draws = [national_sizes(rng) for _ in range(200)]
    assert all(set(d) <= set(ins.GROUPS_BY_NAME) and all(n >= 1 for n in d.values())
               for d in draws)
    surveyed = Counter(g for d in draws for g in d)
    assert surveyed[ins.DELTAGARE_PAGAENDE] > surveyed[ins.REMITTENTER]


# --- the committed files ----------------------------------------------------------------------

@pytest.mark.parametrize(
    ("filename", "build"), [(TEMPLATE_FILENAME, build_template), (EXAMPLE_FILENAME, build_example)]
)
def test_committed_workbooks_match_code(filename: str, build, tmp_path: Path) -> None:
    committed = openpyxl.load_workbook(WORKBOOKS / filename)
    fresh = _saved(build(), tmp_path / filename)
    assert committed.sheetnames == fresh.sheetnames
    assert _cell_values(committed) == _cell_values(fresh)
