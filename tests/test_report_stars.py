"""The national report's significance verdicts, rebuilt from its own published tables.

The report prints n and whole percents, not counts. For every cell we take **all** counts
consistent with the printed figures (`indikator_xl.figures.reconstruct`: half-up or half-even
rounding), run our test (`significance.category_test`, SPEC §4) on every combination and
call the cell

- "robust significant" if every combination gives p < 0.05,
- "robust not significant" if none does,
- "depends on rounding" otherwise: the printed figures cannot decide it.

On robust cells our verdict must equal the report's (its `*` or its comment text); the
tests fail otherwise. Cells that depend on rounding are listed, never asserted. The
summaries are printed (see them with ``pytest -s tests/test_report_stars.py``; pytest
shows them on a failure) and written up in docs/stjarnor.md.

Two ways to find the consistent counts of a gender cell are checked:

- "cell by cell": each printed percent alone (`consistent_counts`);
- "whole row": negativt + varken eller + positivt must also add up to n
  (`consistent_splits`); klart positivt is a part of positivt. Tighter, so more cells are
  robust.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import product
from typing import Any

import pytest

from indikator_xl.domain import instrument as ins
from indikator_xl.figures import national_data as nd
from indikator_xl.figures.reconstruct import consistent_counts, consistent_splits, point_estimate
from indikator_xl.figures.significance import category_test, whole_question_p
from tests.report_texts import NATIONAL_2023, report_path

SIG = "robust significant"
NOT_SIG = "robust not significant"
DEPENDS = "depends on rounding"
ALPHA = 0.05

PAG, AVS = ins.DELTAGARE_PAGAENDE, ins.DELTAGARE_AVSLUT
PERS, REM, CHEF, STYR = ins.PERSONAL, ins.REMITTENTER, ins.CHEFSGRUPP, ins.STYRELSE
SAML, KV, MAN = "samtliga", ins.KVINNOR, ins.MAN

CELL_BY_CELL = "cell by cell"
WHOLE_ROW = "whole row"

# Tabell 8.2 prints n = 66 for män 2022, Fråga 2 pågående: a typo (data note). Its verdict
# is taken over the printed n *and* every n men had on the other pågående questions 2022.
TYPO = (PAG, 2, MAN, 2022)


def verdict(significant: Iterable[bool]) -> str:
    seen = set(significant)
    if not seen:
        raise ValueError("no counts are consistent with the printed figures")
    if len(seen) == 2:
        return DEPENDS
    return SIG if True in seen else NOT_SIG


@dataclass(frozen=True)
class Cell:
    """One verdict of the report, and ours over all consistent counts."""

    label: str
    verdict: str
    printed: bool  # the report prints a star / says "signifikant"
    p_point: float | None  # p at the point estimate of the counts
    tests: str  # tests used over the combinations: chi2, fisher or both
    note: str = ""

    @property
    def robust(self) -> bool:
        return self.verdict != DEPENDS

    @property
    def agrees(self) -> bool:
        return self.robust and (self.verdict == SIG) == self.printed


def summary(
    title: str, cells: Sequence[Cell], anomalies: Sequence[str] = (), *,
    mismatch: str = "DISAGREES",
) -> str:
    """Counts, then every cell that is not a robust agreement (and notes, anomalies)."""
    robust = [c for c in cells if c.robust]
    agreeing = [c for c in robust if c.agrees]
    lines = [
        f"== {title}",
        f"   cells checked {len(cells)} (report: {sum(c.printed for c in cells)} starred or "
        f"significant), robust {len(robust)} ({sum(c.printed for c in robust)} starred), "
        f"agreeing {len(agreeing)} of {len(robust)}, depends on rounding "
        f"{len(cells) - len(robust)}",
    ]
    depends = [c for c in cells if not c.robust and c.p_point is not None]
    if depends:
        point_agrees = sum((c.p_point < ALPHA) == c.printed for c in depends)
        lines.append(f"   (on the rounding-dependent cells the point estimate of the counts "
                     f"matches the report {point_agrees} times of {len(depends)})")
    for c in cells:
        if not c.agrees:
            mark = f"{mismatch:<9}" if c.robust else "rounding "
            printed = "*" if c.printed else "-"
            p = "" if c.p_point is None else f"p(point)={c.p_point:.4f}"
            lines.append(
                f"   {mark} {c.label:<52} report {printed}  {p:<16} {c.tests}"
                + (f"  [{c.note}]" if c.note else "")
            )
    notes = [c for c in cells if c.agrees and c.note]
    lines += [f"   note      {c.label}: {c.note}" for c in notes]
    lines += [f"   ANOMALY   {a}" for a in anomalies]
    return "\n".join(lines)


def _test_names(results: Iterable[Any]) -> str:
    return "+".join(sorted({r.test for r in results if r.test}))


def report_text() -> str:
    text = re.sub(r"<[^>]+>", "", report_path(NATIONAL_2023).read_text(encoding="utf-8"))
    return " ".join(text.split())


# ---------------------------------------------------------------- gender stars (Tabell N.1)

def _categories(question: ins.Question) -> tuple[str, ...]:
    if question.scale.is_yes_no:  # F8 avslut: negativt = Nej, positivt = klart = Ja
        return (ins.NEGATIVT, ins.POSITIVT)
    return ins.CATEGORIES


CATEGORY_NAMES = {**ins.CATEGORY_LABELS}
YES_NO_NAMES = {ins.NEGATIVT: "Nej", ins.POSITIVT: "Ja"}


def _candidates(row: Any, question: ins.Question, method: str) -> dict[str, Sequence[int]]:
    """The consistent counts of each category of one printed row."""
    n = int(row.n)
    cats = _categories(question)
    if method == CELL_BY_CELL:
        return {c: consistent_counts(n, int(getattr(row, c))) for c in cats}
    exclusive = cats if question.scale.is_yes_no else cats[:3]
    splits = consistent_splits(n, [int(getattr(row, c)) for c in exclusive])
    if not splits:
        raise AssertionError(f"{question.group} F{question.number} {row.undergrupp}: the "
                             "printed row does not add up to n under any rounding")
    out: dict[str, Sequence[int]] = {
        c: sorted({s[i] for s in splits}) for i, c in enumerate(exclusive)
    }
    if ins.KLART_POSITIVT in cats:
        top = max(out[ins.POSITIVT])
        out[ins.KLART_POSITIVT] = [
            k for k in consistent_counts(n, int(row.klart_positivt)) if k <= top
        ]
    return out


@cache
def gender_rows() -> dict[tuple[str, int, str], Any]:
    df = nd.read_table(nd.RIKSSNITT_2023)
    df = df[df["dimension"] == "kon"]
    return {(r.respondentgrupp, int(r.fraga), r.undergrupp): r for r in df.itertuples()}


def participant_questions() -> list[ins.Question]:
    return [q for g in (PAG, AVS) for q in ins.GROUPS_BY_NAME[g].questions]


def star_anomalies() -> list[str]:
    """A gender star belongs on both rows; Ja is one cell (positivt = klart positivt)."""
    rows = gender_rows()
    out = []
    for q in participant_questions():
        kv, man = rows[(q.group, q.number, KV)], rows[(q.group, q.number, MAN)]
        for c in ins.CATEGORIES:
            col = f"stjarna_{c}"
            if getattr(kv, col) != getattr(man, col):
                out.append(f"{q.group} F{q.number} {c}: star on kvinnor {getattr(kv, col)}, "
                           f"män {getattr(man, col)}")
        if q.scale.is_yes_no:
            for r in (kv, man):
                if r.stjarna_positivt != r.stjarna_klart_positivt or r.stjarna_varken_eller:
                    out.append(f"{q.group} F{q.number} {r.undergrupp}: Ja/Nej stars uneven")
    return out


@cache
def gender_cells(method: str) -> tuple[Cell, ...]:
    rows = gender_rows()
    cells = []
    for q in participant_questions():
        kv, man = rows[(q.group, q.number, KV)], rows[(q.group, q.number, MAN)]
        n_kv, n_man = int(kv.n), int(man.n)
        cand_kv, cand_man = _candidates(kv, q, method), _candidates(man, q, method)
        names = YES_NO_NAMES if q.scale.is_yes_no else CATEGORY_NAMES
        for c in _categories(q):
            results = [
                category_test(a, n_kv, b, n_man, ALPHA)
                for a, b in product(cand_kv[c], cand_man[c])
            ]
            pct_kv, pct_man = int(getattr(kv, c)), int(getattr(man, c))
            point = category_test(point_estimate(n_kv, pct_kv), n_kv,
                                  point_estimate(n_man, pct_man), n_man, ALPHA)
            note = ""
            if c == ins.POSITIVT and kv.kalla in ("Tabell 7.1", "Tabell 8.1", "Tabell 10.1"):
                note = "printed as one cell 'Positivt (Klart positivt)'"
            cells.append(Cell(
                label=f"{q.group} F{q.number} {names[c]} {pct_kv}%/{n_kv} vs {pct_man}%/{n_man}",
                verdict=verdict(r.significant for r in results),
                printed=bool(getattr(kv, f"stjarna_{c}")),
                p_point=point.p,
                tests=_test_names(results),
                note=note,
            ))
    return tuple(cells)


def test_gender_stars_are_on_both_rows() -> None:
    anomalies = star_anomalies()
    print("\n" + "\n".join(anomalies or ["gender stars: kvinnor and män rows agree"]))
    assert not anomalies


@pytest.mark.parametrize("method", [CELL_BY_CELL, WHOLE_ROW])
def test_gender_stars_agree_on_every_robust_cell(method: str) -> None:
    cells = gender_cells(method)
    text = summary(f"Tabell N.1 gender stars, counts {method}", cells, star_anomalies())
    print("\n" + text)
    assert len(cells) == 66  # 17 participant questions: 16 × 4 categories + F8 Ja, Nej
    assert sum(c.robust for c in cells) >= 40, text  # the check must have teeth
    assert [c.label for c in cells if c.robust and not c.agrees] == [], text


def test_whole_row_is_at_least_as_decisive() -> None:
    by_cell = {c.label: c for c in gender_cells(CELL_BY_CELL)}
    for c in gender_cells(WHOLE_ROW):
        if by_cell[c.label].robust:
            assert c.verdict == by_cell[c.label].verdict, c.label


# ----------------------------------------------------------------- year stars (Tabell N.2)

@cache
def year_rows() -> dict[tuple[str, int, str], dict[int, Any]]:
    df = nd.read_table(nd.NYCKELTAL_2021_2023)
    out: dict[tuple[str, int, str], dict[int, Any]] = {}
    for r in df.itertuples():
        out.setdefault((r.respondentgrupp, int(r.fraga), r.undergrupp), {})[int(r.matperiod)] = r
    return out


def typo_n_range() -> range:
    """The n men had on the other pågående questions in 2022 (Tabell 7.2–15.2)."""
    ns = [int(y[2022].n) for (g, q, sub), y in year_rows().items()
          if g == PAG and sub == MAN and q != TYPO[1]]
    return range(min(ns), max(ns) + 1)


def year_cell(key: tuple[str, int, str]) -> Cell:
    """This period (2023) against the previous (2022) on the nyckeltal."""
    prev, this = year_rows()[key][2022], year_rows()[key][2023]
    n_this, pct_this, pct_prev = int(this.n), int(this.nyckeltal), int(prev.nyckeltal)
    n_prev_options = [int(prev.n)]
    note = ""
    if (*key, 2022) == TYPO:
        plausible = typo_n_range()
        n_prev_options += list(plausible)
        note = (f"2022 n printed {int(prev.n)} (typo); verdict over n={int(prev.n)} and "
                f"n={plausible.start}–{plausible.stop - 1}")
    results = [
        category_test(k_this, n_this, k_prev, n_prev, ALPHA)
        for n_prev in n_prev_options
        for k_prev, k_this in product(consistent_counts(n_prev, pct_prev),
                                      consistent_counts(n_this, pct_this))
    ]
    point = category_test(point_estimate(n_this, pct_this), n_this,
                          point_estimate(int(prev.n), pct_prev), int(prev.n), ALPHA)
    group, question, sub = key
    return Cell(
        label=f"{group} F{question} {sub} {pct_prev}%/{int(prev.n)} → {pct_this}%/{n_this}",
        verdict=verdict(r.significant for r in results),
        printed=bool(this.stjarna_ar),
        p_point=point.p,
        tests=_test_names(results),
        note=note,
    )


def year_scope(key: tuple[str, int, str]) -> bool:
    """SPEC §4: samtliga, kvinnor, män and whole non-participant groups, not per employer."""
    return year_rows()[key][2023].dimension in ("samtliga", "kon")


def year_star_anomalies() -> list[str]:
    out = []
    for key, years in year_rows().items():
        if years[2021].stjarna_ar:
            out.append(f"{key}: star on 2021")
        if years[2022].stjarna_ar != years[2023].stjarna_ar:
            out.append(f"{key}: year star on only one of 2022/2023")
    return out


def test_year_stars_agree_on_every_robust_cell() -> None:
    keys = [k for k in year_rows() if year_scope(k)]
    cells = [year_cell(k) for k in keys]
    anomalies = year_star_anomalies()
    text = summary("Tabell N.2 year stars 2022→2023 (nyckeltal)", cells, anomalies)
    print("\n" + text)
    assert any((*k, 2022) == TYPO for k in keys)
    assert sum(c.robust for c in cells) >= 40, text
    assert not anomalies, text
    assert [c.label for c in cells if c.robust and not c.agrees] == [], text


def test_year_typo_row_is_decided_either_way() -> None:
    """Tabell 8.2 män 2022 n=66: the verdict is the same with 66 and with a real n."""
    prev = year_rows()[TYPO[:3]][2022]
    assert int(prev.n) == 66 and prev.anmarkning, "the typo row changed; revisit TYPO"
    cell = year_cell(TYPO[:3])
    print(f"\n{cell.label}: {cell.verdict}, report star {cell.printed} ({cell.note})")
    assert cell.robust and cell.agrees


def test_year_per_employer_is_not_starred() -> None:
    """Not asserted against the report: it (and SPEC §4) runs no year test per employer.

    Printed for the record: some employer rows would be robustly significant.
    """
    cells = [year_cell(k) for k in year_rows() if not year_scope(k)]
    text = summary("Tabell N.2 per employer (not tested by the report; information only)",
                   cells, mismatch="NO STAR")
    print("\n" + text)
    assert not any(c.printed for c in cells)


# Every statement the comments ("Kommentar till resultatet") make on the change of a
# nyckeltal 2022→2023: (indicator, group, question, subgroup, significant?, quote). The
# quote is checked against the report text.
YEAR_STATEMENTS: list[tuple[int, str, int, str, bool, str]] = [
    # Ind. 1: "Vi kan också se en något positiv utveckling för indikatorn över tid,
    # framförallt för män, men jämfört med förra året finns ingen signifikant skillnad."
    *[(1, g, 1, s, False, "men jämfört med förra året finns ingen signifikant skillnad")
      for g in (PAG, AVS) for s in (SAML, KV, MAN)],
    # Ind. 2: "Vi ser också att männens upplevelse av att, i början av en insats, få vara med
    # och bestämma över det stöd de får, minskar för andra året i rad. Dock är skillnaden
    # inte tillräckligt stor för att statistiskt säkerställa." (the n=66 typo row)
    (2, PAG, 2, MAN, False,
     "Dock är skillnaden inte tillräckligt stor för att statistiskt säkerställa"),
    # Ind. 3: "För deltagarnas del är det en i huvudsak positiv utveckling som syns över tid,
    # men för män syns en signifikant minskning i pågåendeenkät jämfört med föregående
    # mätperiod."
    (3, PAG, 3, MAN, True, "för män syns en signifikant minskning i pågåendeenkät"),
    # Ind. 3: "För avslutsenkäten syns dock inte dessa statistiska skillnader utan båda könen
    # svarar likvärdigt." ("dessa" = the men's change and the gender difference above)
    (3, AVS, 3, MAN, False, "För avslutsenkäten syns dock inte dessa statistiska skillnader"),
    # Ind. 3: "Även om vi ser en positiv utveckling för remitter och en något negativ sådan
    # för personal är dessa inte statistiskt säkerställda och därför svåra att dra slutsatser
    # från."
    (3, REM, 1, SAML, False, "är dessa inte statistiskt säkerställda"),
    (3, PERS, 1, SAML, False, "är dessa inte statistiskt säkerställda"),
    # Ind. 5: "Vi ser också att män vid denna mätning har ett mindre positivt resultat än vid
    # förra mätningen, medan kvinnor har ett högre, dock är det endast kvinnornas resultat
    # som signifikant skiljer sig mellan mätperioderna."
    (5, PAG, 5, KV, True, "endast kvinnornas resultat som signifikant skiljer sig"),
    (5, PAG, 5, MAN, False, "endast kvinnornas resultat som signifikant skiljer sig"),
    # Ind. 6: "Vi ser en positiv utveckling över tid för alla respondentgrupper, men inte
    # tillräckligt stor jämfört med förra årets mätning för att kunna statistiskt
    # säkerställa den." (each group's samtliga row)
    *[(6, g, q, SAML, False, "för att kunna statistiskt säkerställa den")
      for g, q in ((AVS, 8), (AVS, 9), (AVS, 10), (PERS, 2), (REM, 2))],
    # Ind. 7: "Vi kan se en positiv utveckling över tid, framförallt för män vid avslut, men
    # vi ser inga signifikanta skillnader jämfört med föregående mätperiod för någon grupp."
    *[(7, g, 6, s, False,
       "inga signifikanta skillnader jämfört med föregående mätperiod för någon grupp")
      for g in (PAG, AVS) for s in (SAML, KV, MAN)],
    # Ind. 8: "Andelen klart positiva svar från personalen har skiftat mycket upp och ned
    # mellan mätningar, och att skillnaderna mellan mätperioder inte är signifikanta säger
    # kanske en del om att utvecklingen är väldigt liten och långsam."
    *[(8, PERS, q, SAML, False, "skillnaderna mellan mätperioder inte är signifikanta")
      for q in (3, 4)],
    # Ind. 9: "I jämförelsen mellan mätperioder ser vi att det finns signifikanta skillnader
    # för män i pågåendeenkäten, som minskat till årets mätning."
    (9, PAG, 7, MAN, True, "signifikanta skillnader för män i pågåendeenkäten"),
    # Ind. 9: "För kvinnor ser vi en signifikant minskning i andelen som svarat "varken
    # eller", men inte för något av de andra alternativen." (klart positivt is another one)
    (9, PAG, 7, KV, False, "men inte för något av de andra alternativen"),
    # Ind. 10: "Ingen signifikant skillnad mellan senaste mätperioderna."
    (10, PERS, 6, SAML, False, "Ingen signifikant skillnad mellan senaste mätperioderna"),
    (10, CHEF, 3, SAML, False, "Ingen signifikant skillnad mellan senaste mätperioderna"),
    # Ind. 12: "För parternas chefsgrupp syns detta år en mer tydlig ökning i andel klart
    # positiva svar, dock är skillnaden mot föregående mätperiod inte statistiskt
    # signifikant."
    (12, CHEF, 4, SAML, False,
     "dock är skillnaden mot föregående mätperiod inte statistiskt signifikant"),
    # Ind. 13: "Generellt har resultaten legat ganska stabilt över tid, men denna mätperiod
    # syns en signifikant ökning i andelen klart positiva svar i frågan om synsätt."
    (13, PERS, 8, SAML, True, "signifikant ökning i andelen klart positiva svar i frågan om"),
    # Ind. 14: "Även om det inte finns några signifikanta samband för nyckeltalen, ..."
    *[(14, STYR, q, SAML, False, "inte finns några signifikanta samband för nyckeltalen")
      for q in (2, 3)],
    # Ind. 15: "Inga signifikanta skillnader syns mellan mätningar."
    *[(15, CHEF, q, SAML, False, "Inga signifikanta skillnader syns mellan mätningar")
      for q in (5, 6)],
    # Ind. 16: "För parternas chefsgrupp ser vi istället en signifikant ökning av andelen
    # klart positiva svar i frågan om att integrera jämställdhet, jämlikhet och mångfald i
    # samverkan."
    (16, CHEF, 8, SAML, True, "signifikant ökning av andelen klart positiva svar i frågan"),
]

# Statements on a category other than the nyckeltal: Tabell N.2 has no 2022 distribution,
# so they cannot be checked here (listed so that the count of statements is complete).
NOT_CHECKABLE_STATEMENTS: list[tuple[int, str, str]] = [
    (4, "Deltagare pågående kvinnor F4, negativt ↓",
     "andelen negativa svar signifikant sjunkit från 2022 till 2023 i pågåendeenkäten"),
    (4, "Deltagare avslut F4, varken eller ↑",
     "signifikant skillnad för andelen som svarat"),
    (5, "Deltagare avslut samtliga F5, negativt ↓",
     "andelen negativa svar för samtliga deltagare minskat signifikant i avslutsenkäten"),
    (9, "Deltagare pågående kvinnor F7, varken eller ↓",
     "För kvinnor ser vi en signifikant minskning i andelen som svarat"),
    (12, "Styrelse F1, positivt ↓",
     "samtliga positiva svarsalternativ för styrelsen syns en signifikant minskning"),
    (14, "Styrelse F2, varken eller ↑", "signifikant ökning för \"varken eller\"-alternativet"),
    (14, "Styrelse F2, positivt ↓", "signifikant minskning för samtliga positiva svar"),
    (16, "Styrelse (F4/F5 not named), positivt ↓",
     "signifikant minskning i totala andelen positiva svar"),
]


def test_statements_are_quoted_from_the_report() -> None:
    text = report_text()
    quotes = [s[-1] for s in YEAR_STATEMENTS] + [s[-1] for s in NOT_CHECKABLE_STATEMENTS]
    quotes += [q for *_, q in WHOLE_QUESTION_STATEMENTS]
    missing = [q for q in quotes if " ".join(q.split()) not in text]
    assert not missing


def test_year_statements_in_the_comments_agree() -> None:
    cells = []
    inconsistent = []
    for indicator, group, question, sub, significant, _quote in YEAR_STATEMENTS:
        key = (group, question, sub)
        assert ins.question(group, question).indicator == indicator, key
        cell = year_cell(key)
        if significant != cell.printed:
            inconsistent.append(f"{key}: text says {significant}, table star {cell.printed}")
        cells.append(Cell(f"Ind. {indicator}: {cell.label}", cell.verdict, significant,
                          cell.p_point, cell.tests, cell.note))
    text = summary(
        f"Comment statements on 2022→2023 (nyckeltal): {len(YEAR_STATEMENTS)} checked, "
        f"{len(NOT_CHECKABLE_STATEMENTS)} on other categories not checkable", cells,
        inconsistent)
    print("\n" + text)
    assert not inconsistent, text
    assert [c.label for c in cells if c.robust and not c.agrees] == [], text


# -------------------------------------------------- whole-question chi² (near Tabell 12.2)

# "Notera dock att Chi²-testen för hela frågorna 9 och 10 inte är signifikanta även om
# enstaka svarsalternativ är det." (kvinnor vs män, Deltagare avslut)
WHOLE_QUESTION_STATEMENTS: list[tuple[str, int, bool, str]] = [
    (AVS, q, False, "testen för hela frågorna 9 och 10 inte är signifikanta") for q in (9, 10)
]


def _shares(row: Any) -> list[int]:
    return [int(row.negativt), int(row.varken_eller), int(row.positivt)]


def _nearest_split(n: int, percents: Sequence[int]) -> tuple[int, ...]:
    """The consistent split closest to the printed shares (point estimate of a row)."""
    return min(consistent_splits(n, percents),
               key=lambda s: sum(abs(100 * k - n * p) for k, p in zip(s, percents, strict=True)))


@cache
def whole_question_cells() -> tuple[Cell, ...]:
    rows = gender_rows()
    cells = []
    for group, question, significant, _quote in WHOLE_QUESTION_STATEMENTS:
        kv, man = rows[(group, question, KV)], rows[(group, question, MAN)]
        splits_kv = consistent_splits(int(kv.n), _shares(kv))
        splits_man = consistent_splits(int(man.n), _shares(man))
        ps = [whole_question_p(a, b) for a, b in product(splits_kv, splits_man)]
        assert None not in ps
        n_sig = sum(p < ALPHA for p in ps)
        point_kv = _nearest_split(int(kv.n), _shares(kv))
        point_man = _nearest_split(int(man.n), _shares(man))
        cells.append(Cell(
            label=f"{group} F{question} (neg, varken, pos) kvinnor vs män",
            verdict=verdict(p < ALPHA for p in ps),
            printed=significant,
            p_point=whole_question_p(point_kv, point_man),
            tests="chi2 df=2",
            note=(f"all {len(ps)} consistent count pairs "
                  f"({len(splits_kv)}×{len(splits_man)} row splits): p "
                  f"{min(ps):.3f}–{max(ps):.3f}, {n_sig} below 0.05; point estimate "
                  f"{point_kv} vs {point_man}"),
        ))
    return tuple(cells)


def test_whole_question_statements_agree() -> None:
    cells = whole_question_cells()
    text = summary("Whole-question chi² F9, F10 (Deltagare avslut), over all consistent counts",
                   cells)
    print("\n" + text)
    assert [c.label for c in cells if c.robust and not c.agrees] == [], text
