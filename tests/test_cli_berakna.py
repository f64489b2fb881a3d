"""`indikator-xl berakna --export / --export-svarsfrekvens` (SPEC §7) end to end.

The shipped example is checked against an independent count: its sheets are read with
openpyxl and every measure, subgroup, share, hidden cell and star is recomputed here (the
star tests with scipy on the counts), then compared with the CSV the command wrote.
Handmade files check the exact text of the CSV, the exit codes, and that every malformed
workbook of tests/test_validation.py still gets a result in which its valid cells count.
"""

from __future__ import annotations

import csv
import math
import random
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import openpyxl
import pytest
from scipy.stats import chi2_contingency, fisher_exact

from indikator_xl.cli import run
from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import column_index
from indikator_xl.generate.example import EXAMPLE_SIZES, generate_registration
from indikator_xl.generate.reproducible import save_reproducible
from tests.builders import forbund_rows, header, registration, write_workbook
from tests.test_validation import INVALID_ANSWERS, SKIP_CASES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"

HEADER = ("forbund,matperiod,respondentgrupp,fraga,indikator,dimension,undergrupp,n,negativt,"
          "varken_eller,positivt,klart_positivt,nyckeltal,stjarna_negativt,"
          "stjarna_varken_eller,stjarna_positivt,stjarna_klart_positivt,dold,osaker,test")
HEADER_PREVIOUS = HEADER + ",n_foregaende,nyckeltal_foregaende,stjarna_ar"
RATES_HEADER = ("respondentgrupp,insats,malpopulation,undersokt_population,svar,"
                "andel_undersokt_av_mal,andel_svar_av_undersokt,andel_svar_av_mal")
SHARES = ("negativt", "varken_eller", "positivt", "klart_positivt", "nyckeltal")
CATS = ("negativt", "varken_eller", "positivt", "klart_positivt")
SHARE_TEXT = re.compile(r"^[01]\.\d{4,}$")
P, A, PE, R, C, S = (ins.DELTAGARE_PAGAENDE, ins.DELTAGARE_AVSLUT, ins.PERSONAL,
                     ins.REMITTENTER, ins.CHEFSGRUPP, ins.STYRELSE)


def berakna(capsys, *args: str) -> tuple[int, str, str]:
    code = run(["berakna", *map(str, args)])
    out = capsys.readouterr()
    return code, out.out, out.err


def read_csv(path: Path) -> tuple[str, list[dict[str, str]]]:
    text = path.read_text(encoding="utf-8")
    head = text.split("\n", 1)[0]
    with path.open(encoding="utf-8", newline="") as fh:
        return head, list(csv.DictReader(fh))


def key_of(r: dict[str, str]) -> tuple[str, int, str, str]:
    return (r["respondentgrupp"], int(r["fraga"]), r["dimension"], r["undergrupp"])


# --- an independent count of a clean registration workbook, with openpyxl -----------------------

def _code(q: ins.Question, value) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    for o in q.scale.options:
        if isinstance(value, str) and value.strip().casefold() == o.label.casefold():
            return o.code
    if not q.scale.is_yes_no and isinstance(value, int | float) and value in range(1, 7):
        return int(value)
    raise AssertionError(f"not a clean answer: {value!r}")


def _categories(q: ins.Question, code: int) -> dict[str, int]:
    if q.scale.is_yes_no:  # Ja = positivt and klart positivt; Nej = negativt
        cats = {"negativt": code == 2, "varken_eller": 0, "positivt": code == 1,
                "klart_positivt": code == 1}
    else:
        cats = {"negativt": code <= 2, "varken_eller": code == 3, "positivt": code >= 4,
                "klart_positivt": code >= 5}
    key = "positivt" if q.indicator == 7 else "klart_positivt"
    cats["nyckeltal"] = cats[key]
    return {k: int(v) for k, v in cats.items()}


GENDER = {"kvinna": ins.KVINNOR, "k": ins.KVINNOR, "man": ins.MAN, "m": ins.MAN}
GENDER_WORD = {ins.KVINNOR: "kvinnor", ins.MAN: "män"}
DIMENSION_OF = {"Kön": "kon", "Insats": "insats", "Anställning": "anstallning",
                "Samverkansgrupp": "samverkansgrupp"}


def independent_counts(path: Path) -> dict[tuple, dict[str, int]]:
    """(group, question, dimension, undergrupp) → counts, from the cells themselves."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    out: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for g in ins.GROUPS:
        if g.name not in wb.sheetnames:
            continue
        rows = list(wb[g.name].iter_rows(values_only=True))
        col = {h: i for i, h in enumerate(rows[0]) if h}
        for values in rows[1:]:
            def cell(name, values=values, col=col):
                i = col[name]
                return values[i] if i < len(values) else None
            codes = {q.number: _code(q, cell(q.column)) for q in g.questions}
            subgroups = [("samtliga", "samtliga")]
            for b in g.background:
                v = cell(b.value)
                if b is ins.Background.KON:
                    v = GENDER.get(str(v).strip().casefold()) if v else None
                if v is not None:
                    subgroups.append((DIMENSION_OF[b.value], v))
            found = dict(subgroups)
            if "kon" in found and "insats" in found:
                subgroups.append(("insats_kon",
                                  f"{found['insats']} – {GENDER_WORD[found['kon']]}"))
            for q in g.questions:
                code = codes[q.number]
                if code is None:
                    continue
                assert q.only_if_yes_to is None or codes[q.only_if_yes_to] == 1  # clean file
                for dim, sub in subgroups:
                    counts = out[(g.name, q.number, dim, sub)]
                    counts["n"] += 1
                    for k, v in _categories(q, code).items():
                        counts[k] += v
    wb.close()
    return out


def expected_hidden(counts: dict[tuple, dict[str, int]]) -> set[tuple]:
    """The small-group rule of SPEC §4 and docs/beslut.md, applied to the counts."""
    hidden = {k for k, c in counts.items() if k[2] != "samtliga" and c["n"] < 5}
    for (g, q, dim, _), c in counts.items():
        if dim != "samtliga":
            continue
        n_k = counts.get((g, q, "kon", ins.KVINNOR), {}).get("n", 0)
        n_m = counts.get((g, q, "kon", ins.MAN), {}).get("n", 0)
        if ins.Background.KON in ins.GROUPS_BY_NAME[g].background and (
                min(n_k, n_m) < 5 or 0 < c["n"] - n_k - n_m < 5):
            hidden |= {(g, q, "kon", ins.KVINNOR), (g, q, "kon", ins.MAN)}
        for d in ("insats", "anstallning", "samverkansgrupp"):
            cells = {k: v["n"] for k, v in counts.items() if k[:3] == (g, q, d)}
            small = [k for k in cells if k in hidden]
            shown = [k for k in cells if k not in hidden]
            if len(small) == 1 and shown and sum(cells.values()) == c["n"]:
                hidden.add(min(shown, key=cells.get))
        hidden |= _insats_gender_hidden(counts, hidden, g, q)
    return hidden & set(counts)


def _insats_gender_hidden(counts: dict[tuple, dict[str, int]], hidden: set[tuple], g: str,
                          q: int) -> set[tuple]:
    """docs/beslut.md for insats × kön: pairs go together (a small cell, a small other
    gender, 1–4 without gender in the insats), then no sum (insats = its two genders when
    all have a gender; a gender = its insats cells when all have an insats) may have
    exactly one hidden member: hide the smallest shown part and its pair, until stable."""
    def n(k: tuple) -> int:
        return counts.get(k, {}).get("n", 0)

    names = {sub.rsplit(" – ", 1)[0] for (g2, q2, d, sub) in counts
             if (g2, q2, d) == (g, q, "insats_kon")}
    pair = {name: [k for k in ((g, q, "insats_kon", f"{name} – kvinnor"),
                               (g, q, "insats_kon", f"{name} – män")) if k in counts]
            for name in names}
    out = set(hidden)
    sums = []
    for name in names:
        unstated = n((g, q, "insats", name)) - sum(n(k) for k in pair[name])
        if min(n((g, q, "insats_kon", f"{name} – {w}")) for w in ("kvinnor", "män")) < 5 \
                or 0 < unstated < 5:
            out |= set(pair[name])
        sums.append(((g, q, "insats", name), pair[name], unstated == 0))
    for gender, word in GENDER_WORD.items():
        parts = [k for name in names for k in pair[name] if k[3].endswith(f" – {word}")]
        total = (g, q, "kon", gender)
        sums.append((total, parts, total in counts and sum(map(n, parts)) == n(total)))
    changed = True
    while changed:
        changed = False
        for total, parts, covered in sums:
            shown = [k for k in parts if k not in out]
            if covered and shown and len([k for k in [total, *parts] if k in out]) == 1:
                smallest = min(shown, key=lambda k: (n(k), k[3].casefold()))
                out |= set(pair[smallest[3].rsplit(" – ", 1)[0]])
                changed = True
    return out - hidden


def scipy_test(a: int, n_a: int, b: int, n_b: int) -> tuple[float | None, str | None]:
    t = np.array([[a, n_a - a], [b, n_b - b]])
    if (t.sum(axis=0) == 0).any() or (t.sum(axis=1) == 0).any():
        return None, None
    chi = chi2_contingency(t, correction=False)
    if chi.expected_freq.min() < 5:
        return float(fisher_exact(t).pvalue), "fisher"
    return float(chi.pvalue), "chi2"


@pytest.fixture(scope="module")
def example_export(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("exempel")
    out, rates = tmp / "ut.csv", tmp / "svar.csv"
    proc = subprocess.run([sys.executable, "-m", "indikator_xl.cli", "berakna", str(EXAMPLE),
                           "--export", str(out), "--export-svarsfrekvens", str(rates)],
                          capture_output=True, text=True, timeout=120, cwd=tmp)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert sorted(p.name for p in tmp.iterdir()) == ["svar.csv", "ut.csv"]
    return out, rates, proc.stdout


def test_example_export_header_and_identity(example_export):
    out, _, stdout = example_export
    head, rows = read_csv(out)
    assert head == HEADER
    assert {(r["forbund"], r["matperiod"]) for r in rows} == {("Exempelförbundet", "2023")}
    assert "Exempelförbundet, mätperiod 2023: 295 svarande, 0 fel och 0 varningar" in stdout
    for r in rows:
        q = ins.question(r["respondentgrupp"], int(r["fraga"]))
        assert int(r["indikator"]) == q.indicator


def test_example_export_rows_and_counts_equal_an_independent_count(example_export):
    out, _, _ = example_export
    _, rows = read_csv(out)
    counts = independent_counts(EXAMPLE)
    got = {key_of(r): r for r in rows}
    assert len(got) == len(rows)  # one row per measure and subgroup
    assert set(got) == set(counts)  # every measure and subgroup with n ≥ 1, no other
    assert sum(1 for k in counts if k[2] == "samtliga") == 45  # all 45 measures answered
    for k, c in counts.items():
        assert int(got[k]["n"]) == c["n"], k


def test_example_export_shares_hidden_and_uncertain(example_export):
    out, _, _ = example_export
    _, rows = read_csv(out)
    counts = independent_counts(EXAMPLE)
    hidden = expected_hidden(counts)
    assert hidden  # the example has small insats and gender cells
    for r in rows:
        k, c = key_of(r), counts[key_of(r)]
        assert int(r["dold"]) == int(k in hidden), k
        assert int(r["osaker"]) == int(c["n"] < 10), k
        for share in SHARES:
            if k in hidden:
                assert r[share] == "", k
            else:
                assert SHARE_TEXT.match(r[share]), (k, share, r[share])
                assert float(r[share]) == pytest.approx(c[share] / c["n"], abs=5e-7), (k, share)
        if k in hidden:
            assert [r[f"stjarna_{x}"] for x in CATS] == ["0"] * 4


def test_example_export_f8_rows(example_export):
    out, _, _ = example_export
    _, rows = read_csv(out)
    f8 = [r for r in rows if (r["respondentgrupp"], r["fraga"]) == (A, "8")]
    assert {r["undergrupp"] for r in f8} >= {"samtliga", ins.KVINNOR, ins.MAN}
    for r in f8:
        if r["dold"] == "1":
            continue
        assert float(r["varken_eller"]) == 0
        assert r["positivt"] == r["klart_positivt"] == r["nyckeltal"]
        assert float(r["negativt"]) + float(r["positivt"]) == pytest.approx(1, abs=2e-6)


def test_example_export_gender_stars_equal_scipy_on_the_counts(example_export):
    out, _, _ = example_export
    _, rows = read_csv(out)
    counts = independent_counts(EXAMPLE)
    got = {key_of(r): r for r in rows}
    tested = 0
    for (g, q, dim, sub), c in counts.items():
        if dim != "kon" or got[(g, q, dim, sub)]["dold"] == "1":
            if dim != "kon":
                assert got[(g, q, dim, sub)]["test"] == "", (g, q, dim, sub)
            continue
        other = counts[(g, q, "kon", ins.MAN if sub == ins.KVINNOR else ins.KVINNOR)]
        used = set()
        for cat in CATS:
            p, kind = scipy_test(c[cat], c["n"], other[cat], other["n"])
            star = int(p is not None and p < 0.05)
            assert got[(g, q, dim, sub)][f"stjarna_{cat}"] == str(star), (g, q, sub, cat)
            if kind:
                used.add(kind)
        expected = ("fisher" if "fisher" in used else "chi2") if used else ""
        assert got[(g, q, dim, sub)]["test"] == expected, (g, q, sub)
        tested += 1
    assert tested >= 20


def test_example_response_rates_equal_an_independent_count(example_export):
    _, rates, _ = example_export
    head, rows = read_csv(rates)
    assert head == RATES_HEADER
    wb = openpyxl.load_workbook(EXAMPLE, read_only=True, data_only=True)
    pops = {(g, i): (m, u) for g, i, m, u in list(wb["Populationer"].iter_rows(
        values_only=True))[1:] if g}
    answered: dict[tuple, int] = defaultdict(int)
    for g in ins.GROUPS:
        table = list(wb[g.name].iter_rows(values_only=True))
        col = {h: i for i, h in enumerate(table[0])}
        for values in table[1:]:
            if any(values[col[q.column]] is not None for q in g.questions):
                answered[(g.name, None)] += 1
                if "Insats" in col:
                    answered[(g.name, values[col["Insats"]])] += 1
    wb.close()
    keys = [(r["respondentgrupp"], r["insats"] or None) for r in rows]
    assert sorted(keys, key=str) == sorted(pops, key=str) and len(keys) == len(pops)
    firsts = [k for i, k in enumerate(keys) if i == 0 or keys[i - 1][0] != k[0]]
    assert all(insats is None for _, insats in firsts)  # the group row, then its insatser
    for r in rows:
        k = (r["respondentgrupp"], r["insats"] or None)
        mal, und = pops[k]
        assert r["malpopulation"] == ("" if mal is None else str(mal)), k
        assert r["undersokt_population"] == str(und), k
        assert int(r["svar"]) == answered[k], k
        assert float(r["andel_svar_av_undersokt"]) == pytest.approx(answered[k] / und, abs=5e-7)
        if mal is None:
            assert r["andel_undersokt_av_mal"] == r["andel_svar_av_mal"] == ""
        else:
            assert float(r["andel_undersokt_av_mal"]) == pytest.approx(und / mal, abs=5e-7)
            assert float(r["andel_svar_av_mal"]) == pytest.approx(answered[k] / mal, abs=5e-7)
    assert sum(int(r["svar"]) for r in rows if not r["insats"]) == sum(EXAMPLE_SIZES.values())


# --- with the previous period -----------------------------------------------------------------

@pytest.fixture(scope="module")
def previous_export(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("foregaende")
    prev = tmp / "2022.xlsx"
    sizes = {**EXAMPLE_SIZES, ins.DELTAGARE_PAGAENDE: 60}
    save_reproducible(generate_registration(random.Random(7), "Exempelförbundet", 2022, sizes,
                                            variation=0.4), prev)
    out = tmp / "ut.csv"
    code = run(["berakna", str(EXAMPLE), "--export", str(out), "--foregaende", str(prev)])
    assert code == 0
    return out, prev


def test_previous_period_columns(previous_export, capsys):
    out, prev = previous_export
    capsys.readouterr()
    head, rows = read_csv(out)
    assert head == HEADER_PREVIOUS
    now = independent_counts(EXAMPLE)
    before = independent_counts(prev)
    hidden_before = expected_hidden(before)
    year_rows = 0
    for r in rows:
        k = key_of(r)
        if k in before:
            assert int(r["n_foregaende"]) == before[k]["n"], k
        else:
            assert r["n_foregaende"] == "" and r["nyckeltal_foregaende"] == "", k
        if k in before and k not in hidden_before:
            assert float(r["nyckeltal_foregaende"]) == pytest.approx(
                before[k]["nyckeltal"] / before[k]["n"], abs=5e-7), k
        elif k in before:
            assert r["nyckeltal_foregaende"] == "", k
        if k[2] not in ("samtliga", "kon"):
            assert r["stjarna_ar"] == "", k
            continue
        if r["dold"] == "1" or k not in before or k in hidden_before:
            assert r["stjarna_ar"] == "0", k
            continue
        p, _ = scipy_test(now[k]["nyckeltal"], now[k]["n"], before[k]["nyckeltal"],
                          before[k]["n"])
        assert r["stjarna_ar"] == str(int(p is not None and p < 0.05)), k
        year_rows += 1
    assert year_rows >= 45
    assert any(r["stjarna_ar"] == "1" for r in rows)


# --- handmade files: the exact text -----------------------------------------------------------

def test_exact_csv_text_for_a_small_registration(tmp_path, capsys):
    groups = {S: [[i, c] for i, c in enumerate([6, 6, 5, 3, 1, 2], 1)],
              A: [[i, k, "Team A", *[None] * 7, f8] for i, (k, f8) in enumerate(
                  [("K", "Ja")] * 5 + [("M", "Ja")] * 2 + [("M", "Nej")] * 3, 1)]}
    path = registration(tmp_path / "liten.xlsx", groups,
                        populations=[[S, None, 10, 8], [A, None, None, 12],
                                     [A, "Team A", None, 12]])
    code, _, err = berakna(capsys, path, "--export", tmp_path / "ut.csv",
                           "--export-svarsfrekvens", tmp_path / "svar.csv")
    assert (code, err) == (0, "")
    # Avslut F8: women Ja 5/5, men Ja 2/5; Fisher per category: Nej [[0,5],[3,2]] and Ja
    # [[5,0],[2,3]] both p = 1/6 (not significant), varken eller: no answers, no test.
    p = fisher_exact([[0, 5], [3, 2]]).pvalue
    assert p == pytest.approx(1 / 6)
    assert (tmp_path / "ut.csv").read_text(encoding="utf-8") == "\n".join([
        HEADER,
        "Testförbundet,2023,Deltagare avslut,8,6,samtliga,samtliga,10,"
        "0.300000,0.000000,0.700000,0.700000,0.700000,0,0,0,0,0,0,",
        "Testförbundet,2023,Deltagare avslut,8,6,kon,kvinnor,5,"
        "0.000000,0.000000,1.000000,1.000000,1.000000,0,0,0,0,0,1,fisher",
        "Testförbundet,2023,Deltagare avslut,8,6,kon,man,5,"
        "0.600000,0.000000,0.400000,0.400000,0.400000,0,0,0,0,0,1,fisher",
        "Testförbundet,2023,Deltagare avslut,8,6,insats,Team A,10,"
        "0.300000,0.000000,0.700000,0.700000,0.700000,0,0,0,0,0,0,",
        # Everyone is in Team A: its women and men are those of the whole group, no test.
        "Testförbundet,2023,Deltagare avslut,8,6,insats_kon,Team A – kvinnor,5,"
        "0.000000,0.000000,1.000000,1.000000,1.000000,0,0,0,0,0,1,",
        "Testförbundet,2023,Deltagare avslut,8,6,insats_kon,Team A – män,5,"
        "0.600000,0.000000,0.400000,0.400000,0.400000,0,0,0,0,0,1,",
        # Styrelse F1: 6, 6, 5 klart positivt; 3 varken eller; 1, 2 negativt.
        "Testförbundet,2023,Styrelse,1,12,samtliga,samtliga,6,"
        "0.333333,0.166667,0.500000,0.500000,0.500000,0,0,0,0,0,1,",
        ""])
    assert (tmp_path / "svar.csv").read_text(encoding="utf-8") == "\n".join([
        RATES_HEADER,
        "Deltagare avslut,,,12,10,,0.833333,",
        "Deltagare avslut,Team A,,12,10,,0.833333,",
        "Styrelse,,10,8,6,0.800000,0.750000,0.600000",
        ""])


def test_hidden_cells_and_stars_in_the_export(tmp_path, capsys):
    # Pågående F1: women 10 × 6, men 10 × 1 (chi² stars); insats: Team A 17, Team B 3.
    rows = [[i, "K" if i <= 10 else "M", "Team A" if i <= 17 else "Team B",
             6 if i <= 10 else 1] for i in range(1, 21)]
    path = registration(tmp_path / "f.xlsx", {P: rows})
    code, _, _ = berakna(capsys, path, "--export", tmp_path / "ut.csv")
    assert code == 0
    _, out = read_csv(tmp_path / "ut.csv")
    got = {(r["dimension"], r["undergrupp"]): r for r in out}
    assert list(got) == [("samtliga", "samtliga"), ("kon", "kvinnor"), ("kon", "man"),
                         ("insats", "Team A"), ("insats", "Team B"),
                         ("insats_kon", "Team A – kvinnor"), ("insats_kon", "Team A – män"),
                         ("insats_kon", "Team B – män")]
    women = got[("kon", "kvinnor")]
    # negativt 0/10 vs 10/10: expected counts 5 → chi²; varken eller: nobody → no test.
    assert [women[f"stjarna_{c}"] for c in CATS] == ["1", "0", "1", "1"]
    assert women["test"] == got[("kon", "man")]["test"] == "chi2"
    assert women["klart_positivt"] == "1.000000" and women["dold"] == "0"
    # Team B has 3 answers (hidden); every answer has an insats, so Team A is hidden too.
    for sub in ("Team A", "Team B"):
        r = got[("insats", sub)]
        assert r["dold"] == "1" and [r[s] for s in SHARES] == [""] * 5
        assert [r[f"stjarna_{c}"] for c in CATS] == ["0"] * 4 and r["test"] == ""
    assert (got[("insats", "Team A")]["n"], got[("insats", "Team B")]["n"]) == ("17", "3")
    # Team B's 3 men are hidden; Team A (10 women, 7 men, all with gender) would give
    # the hidden Team A away as the sum of its women and men, so both are hidden too.
    for sub, n in (("Team A – kvinnor", "10"), ("Team A – män", "7"), ("Team B – män", "3")):
        r = got[("insats_kon", sub)]
        assert (r["n"], r["dold"], r["nyckeltal"], r["test"]) == (n, "1", "", ""), sub


# --- exit codes -------------------------------------------------------------------------------

def _without_forbund_sheet(path: Path) -> Path:
    return write_workbook(path, {S: [header(S), [1, 4]]})


UNUSABLE = {
    "no-forbund-sheet": (None, "Bladet Förbund saknas"),
    "no-name-key": ([[ins.KEY_PERIOD, 2023]], "Nyckeln Samordningsförbund saknas"),
    "empty-name": ([[ins.KEY_NAME, None], [ins.KEY_PERIOD, 2023]], "Förbundets namn saknas"),
    "no-period-key": ([[ins.KEY_NAME, "F"]], "Nyckeln Mätperiod saknas"),
    "two-digit-period": ([[ins.KEY_NAME, "F"], [ins.KEY_PERIOD, "23"]], "fyra siffror"),
    "period-1999": ([[ins.KEY_NAME, "F"], [ins.KEY_PERIOD, 1999]], "fyra siffror"),
    "period-in-words": ([[ins.KEY_NAME, "F"], [ins.KEY_PERIOD, "tjugotre"]], "fyra siffror"),
    "period-fraction": ([[ins.KEY_NAME, "F"], [ins.KEY_PERIOD, 2023.5]], "fyra siffror"),
}


@pytest.mark.parametrize("case", sorted(UNUSABLE))
def test_exit_1_when_the_calculation_cannot_be_made(tmp_path, capsys, case):
    forbund, message = UNUSABLE[case]
    path = tmp_path / "f.xlsx"
    if forbund is None:
        _without_forbund_sheet(path)
    else:
        registration(path, {S: [[1, 4]]}, forbund=forbund)
    code, out, err = berakna(capsys, path, "--export", tmp_path / "ut.csv",
                             "--export-svarsfrekvens", tmp_path / "svar.csv")
    assert code == 1
    assert err.splitlines()[0] == "f.xlsx: beräkningen kan inte göras."
    assert message in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.xlsx"]  # nothing written


def test_exit_2_when_the_file_cannot_be_read(tmp_path, capsys):
    bad = tmp_path / "trasig.xlsx"
    bad.write_bytes(b"PK\x03\x04 inte en hel zip")
    code, out, err = berakna(capsys, bad, "--export", tmp_path / "ut.csv")
    assert code == 2 and out == ""
    assert err == ("indikator-xl: Filen trasig.xlsx är ingen Excel-arbetsbok (.xlsx/.xlsm) "
                   "eller är skadad.\n")
    code, _, err = berakna(capsys, tmp_path / "saknas.xlsx", "--export", tmp_path / "ut.csv")
    assert code == 2 and "finns inte" in err
    # A readable registration with an unreadable previous period is also exit 2.
    good = registration(tmp_path / "f.xlsx", {S: [[1, 4]]})
    code, _, err = berakna(capsys, good, "--export", tmp_path / "ut.csv", "--foregaende", bad)
    assert code == 2 and "trasig.xlsx" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.xlsx", "trasig.xlsx"]


def test_exit_codes_through_the_console_script(tmp_path):
    ok = registration(tmp_path / "ok.xlsx", {S: [[1, 4]]})
    stop = registration(tmp_path / "stopp.xlsx", {S: [[1, 4]]},
                        forbund=forbund_rows(period="i fjol"))
    bad = tmp_path / "trasig.xlsx"
    bad.write_bytes(b"")
    exe = Path(sys.executable).parent / "indikator-xl"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "indikator_xl.cli"]
    codes = [subprocess.run([*cmd, "berakna", str(p), "--export", str(tmp_path / "ut.csv")],
                            capture_output=True, text=True, timeout=120).returncode
             for p in (ok, stop, bad)]
    assert codes == [0, 1, 2]


# --- malformed workbooks still get a result in which the valid cells count ----------------------

def _question_of(group: str, cell: str) -> int:
    column = header(group)[column_index(re.match(r"[A-Z]+", cell).group()) - 1]
    return int(column[1:])


MALFORMED = [(c[0], c[1], [c[2]], c[4]) for c in INVALID_ANSWERS] + [
    (c[0], A, [c[1]], c[3]) for c in SKIP_CASES]


@pytest.mark.parametrize("case", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_workbooks_still_get_a_result_with_their_valid_cells(tmp_path, capsys, case):
    _, group, rows, counted = case
    path = registration(tmp_path / "f.xlsx", {group: rows})
    code, out, _ = berakna(capsys, path, "--export", tmp_path / "ut.csv")
    assert code == 0
    _, result = read_csv(tmp_path / "ut.csv")
    samtliga = {int(r["fraga"]): r for r in result if r["dimension"] == "samtliga"}
    expected = {_question_of(group, cell): code for cell, code in counted}
    assert set(samtliga) == set(expected)
    for number, answer in expected.items():
        r = samtliga[number]
        q = ins.question(group, number)
        assert r["respondentgrupp"] == group and r["n"] == "1"
        assert float(r["nyckeltal"]) == (1.0 if q.key_category in q.scale.option(
            answer).categories else 0.0)


def test_the_dirty_conservation_workbook_counts_its_valid_cells(tmp_path, capsys):
    """The workbook of test_every_non_empty_answer_cell_is_counted_or_listed: 16 valid
    cells (6 + 1 + 7 + 2 by hand) over four rows."""
    from tests.builders import DIRTY_AVSLUT_ROWS

    path = registration(tmp_path / "f.xlsx", {A: DIRTY_AVSLUT_ROWS})
    code, stdout, _ = berakna(capsys, path, "--export", tmp_path / "ut.csv")
    assert code == 0
    assert "4 svarande" in stdout
    _, result = read_csv(tmp_path / "ut.csv")
    n = {int(r["fraga"]): int(r["n"]) for r in result if r["dimension"] == "samtliga"}
    # Row 1: F1, F5, F6, F7, F8 (Ja), F9; row 2: F8 (Nej); row 3: F1–F7; row 4: F4, F5.
    assert n == {1: 2, 2: 1, 3: 1, 4: 2, 5: 3, 6: 2, 7: 2, 8: 2, 9: 1}
    assert sum(n.values()) == 16
    assert math.isclose(float(next(r for r in result if r["fraga"] == "8"
                                   and r["dimension"] == "samtliga")["nyckeltal"]), 0.5)
