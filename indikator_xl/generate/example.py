"""Generated registration workbooks: the shipped example and synthetic test/benchmark data.

`generate_registration` builds a clean, realistic registreringsfil of chosen sizes from a
`random.Random`; `build_example` calls it with fixed arguments to make
`Exempel_Registreringsfil_2023.xlsx`. Answers are drawn from the national shares of the
2023 report (Tabell N.1, "samtliga"), so a generated förbund looks like the report.

Everything is deterministic: the only randomness is the `rng` passed in, and the saved
files get fixed timestamps (`template.save_reproducible`).

Regenerate the shipped files with ``python -m indikator_xl.generate.example`` (writes both
workbooks into ``workbooks/``).
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook

from indikator_xl.domain import instrument as ins
from indikator_xl.figures import national_data
from indikator_xl.generate.reproducible import save_reproducible
from indikator_xl.generate.template import (
    TEMPLATE_FILENAME,
    add_forbund_sheet,
    add_group_sheet,
    add_populations_sheet,
    gender_choices,
    new_workbook,
    write_template,
)

EXAMPLE_FILENAME = "Exempel_Registreringsfil_2023.xlsx"
EXAMPLE_FORBUND = "Exempelförbundet"
EXAMPLE_PERIOD = 2023
EXAMPLE_SEED = 2023
# Questionnaires per group, roughly in the proportions of the national report's Bilaga 1.
EXAMPLE_SIZES: dict[str, int] = {
    ins.DELTAGARE_PAGAENDE: 110,
    ins.DELTAGARE_AVSLUT: 80,
    ins.PERSONAL: 40,
    ins.REMITTENTER: 25,
    ins.CHEFSGRUPP: 25,
    ins.STYRELSE: 15,
}
DEFAULT_INSATSER: tuple[str, ...] = ("S-team Norr", "S-team Söder", "Arbetsträning Väst")
DEFAULT_SAMVERKANSGRUPPER: tuple[str, ...] = ("Samverkansgrupp Norr", "Samverkansgrupp Söder")
DEFAULT_ROUTINE = ins.ROUTINES[0]  # "Begränsad period"

# The answer model follows the national report 2023 as shipped in indikator_xl/data:
# Tabell N.1 samtliga shares per question, Tabell 3 response rates and Tabell 1 (which
# share of the 32 förbund surveyed a group, and their mean number of questionnaires).


@functools.cache
def national_shares_2023() -> dict[str, tuple[tuple[int, int, int, int], ...]]:
    """Per group, per question in instrument order: (negativt, varken eller, positivt,
    klart positivt) in whole percent; for a Ja/Nej question (Nej, 0, Ja, Ja)."""
    df = national_data.read_table("rikssnitt_2023.csv")
    df = df[df["dimension"] == "samtliga"].set_index(["respondentgrupp", "fraga"])
    def shares(group: str, number: int) -> tuple[int, int, int, int]:
        a, b, c, d = (int(df.at[(group, number), cat]) for cat in ins.CATEGORIES)
        return a, b, c, d

    return {g.name: tuple(shares(g.name, q.number) for q in g.questions) for g in ins.GROUPS}


@functools.cache
def response_rates_2023() -> dict[str, tuple[float | None, float]]:
    """Per group: (undersökt / målpopulation or None, svar / undersökt), Tabell 3."""
    df = national_data.response_rates_2023().set_index("respondentgrupp")
    return {g.name: (None if pd.isna(df.at[g.name, "andel_undersokt_av_mal"])
                     else float(df.at[g.name, "andel_undersokt_av_mal"]),
                     float(df.at[g.name, "andel_svar_av_undersokt"])) for g in ins.GROUPS}


@functools.cache
def national_participation_2023() -> dict[str, tuple[float, float]]:
    """Per group: (share of förbund that surveyed it, mean questionnaires among those)."""
    df = national_data.counts_2023()
    t1 = df[df["tabell"] == "Tabell 1"].set_index(["respondentgrupp", "rad"])["varde"]
    total = int(t1[("Totalt", "deltagande_forbund")])
    out = {}
    for g in ins.GROUPS:
        forbund = int(t1[(g.name, "deltagande_forbund")])
        out[g.name] = (forbund / total, int(t1[(g.name, "besvarade_enkater")]) / forbund)
    return out


# Employer weights in `instrument.EMPLOYERS` order (national remittenter 2023, Annan rare).
EMPLOYER_WEIGHTS: tuple[float, ...] = (7, 22, 45, 22, 4)
# Kön: women, men, not stated (Tabell 4–5: 49–52 %, 40–43 %, 8 %).
GENDER_WEIGHTS: tuple[float, float, float] = (0.50, 0.42, 0.08)

if len(EMPLOYER_WEIGHTS) != len(ins.EMPLOYERS):
    raise AssertionError("EMPLOYER_WEIGHTS does not match instrument.EMPLOYERS")


# --- answer model -----------------------------------------------------------------------------

def option_weights(scale: ins.Scale, shares: Sequence[float]) -> list[float]:
    """Weights of the scale's options that reproduce category `shares` (neg, varken, pos, klart).

    Options in the same category set share that category's weight equally; "positivt but
    not klart positivt" gets pos − klart.
    """
    neg, neither, pos, clear = shares
    by_set = {
        frozenset({ins.NEGATIVT}): neg,
        frozenset({ins.VARKEN_ELLER}): neither,
        frozenset({ins.POSITIVT}): max(pos - clear, 0),
        frozenset({ins.POSITIVT, ins.KLART_POSITIVT}): clear,
    }
    counts: dict[frozenset[str], int] = {}
    for o in scale.options:
        counts[o.categories] = counts.get(o.categories, 0) + 1
    return [by_set[o.categories] / counts[o.categories] for o in scale.options]


def _perturb(rng: random.Random, weights: list[float], variation: float) -> list[float]:
    if variation <= 0:
        return weights
    return [w * math.exp(rng.gauss(0.0, variation)) for w in weights]


def allocate(n: int, weights: Sequence[float], *, each_at_least_one: bool = True) -> list[int]:
    """Split `n` by `weights` (largest remainder); every part gets ≥ 1 when n allows."""
    k = len(weights)
    if k == 0:
        return []
    floor = 1 if each_at_least_one and n >= k else 0
    rest = n - floor * k
    total = float(sum(weights))
    quotas = [rest * w / total for w in weights]
    parts = [floor + int(q) for q in quotas]
    order = sorted(range(k), key=lambda i: (-(quotas[i] - int(quotas[i])), i))
    for i in order[: n - sum(parts)]:
        parts[i] += 1
    return parts


def _shuffled_labels(
    rng: random.Random, names: Sequence[Any], counts: Sequence[int]
) -> list[Any]:
    labels = [name for name, c in zip(names, counts, strict=True) for _ in range(c)]
    rng.shuffle(labels)
    return labels


def _insats_weights(k: int) -> list[float]:
    """A realistic skew: the first insats is the largest (1, 1/2, 1/3, …)."""
    return [1.0 / (i + 1) for i in range(k)]


class _Answerer:
    """Draws one group's answers: codes, some labels, a few blanks, F8 skip logic."""

    def __init__(self, rng: random.Random, group: ins.Group, *, label_share: float,
                 blank_share: float, variation: float) -> None:
        self.rng = rng
        self.group = group
        self.label_share = label_share
        self.blank_share = blank_share
        shares = national_shares_2023()[group.name]
        self.weights = [
            _perturb(rng, option_weights(q.scale, s), variation)
            for q, s in zip(group.questions, shares, strict=True)
        ]
        self.index = {q.number: i for i, q in enumerate(group.questions)}

    def row(self) -> list[Any]:
        rng = self.rng
        questions = self.group.questions
        codes: list[int | None] = [None] * len(questions)
        for i, q in enumerate(questions):
            if q.only_if_yes_to is not None:
                gate_i = self.index[q.only_if_yes_to]
                gate = codes[gate_i]
                if gate is None or ins.POSITIVT not in questions[gate_i].scale.option(
                        gate).categories:
                    continue
            if rng.random() < self.blank_share:
                continue
            codes[i] = rng.choices(questions[i].scale.codes, self.weights[i])[0]
        if all(c is None for c in codes):  # a questionnaire has at least one answer
            i = next(i for i, q in enumerate(questions) if q.only_if_yes_to is None)
            codes[i] = rng.choices(questions[i].scale.codes, self.weights[i])[0]
        values: list[Any] = []
        for q, code in zip(questions, codes, strict=True):
            if code is None:
                values.append(None)
            elif q.scale.is_yes_no or rng.random() < self.label_share:
                values.append(q.scale.option(code).label)
            else:
                values.append(code)
        return values


# --- populations ------------------------------------------------------------------------------

def _populations(rng: random.Random, group: str, respondents: int) -> tuple[int | None, int]:
    """Plausible (målpopulation, undersökt population) for `respondents` answers."""
    offered_rate, answer_rate = response_rates_2023()[group]
    rate = min(1.0, answer_rate * rng.uniform(0.85, 1.15))
    offered = max(respondents, math.ceil(respondents / rate))
    if offered_rate is None:
        return None, offered
    rate = min(1.0, offered_rate * rng.uniform(0.85, 1.15))
    return max(offered, math.ceil(offered / rate)), offered


# --- workbooks --------------------------------------------------------------------------------

def _period_dates(period: int, routine: str) -> tuple[date | None, date | None]:
    if routine == ins.ROUTINES[0]:  # Begränsad period: an autumn collection
        return date(period, 9, 1), date(period, 11, 30)
    if routine == ins.ROUTINES[1]:  # Kontinuerligt: the whole year
        return date(period, 1, 1), date(period, 12, 31)
    return None, None


def generate_registration(
    rng: random.Random,
    forbund: str,
    period: int,
    sizes: Mapping[str, int],
    *,
    insatser: Sequence[str] = DEFAULT_INSATSER,
    samverkansgrupper: Sequence[str] = DEFAULT_SAMVERKANSGRUPPER,
    routine: str = DEFAULT_ROUTINE,
    label_share: float = 0.03,
    blank_share: float = 0.03,
    variation: float = 0.0,
    comments: bool = True,
    saved: datetime | None = None,
) -> Workbook:
    """A clean registration workbook with `sizes[group]` questionnaires per group.

    Groups missing from `sizes` get no sheet (not surveyed); a size of 0 gives an empty
    sheet. Participants, personal and remittenter are spread over `insatser`, chefsgrupp over
    `samverkansgrupper`; Populationer gets a row per group and per insats. `label_share` of
    the answers are written as labels, `blank_share` of the cells are left empty (every row
    keeps at least one answer), and `variation` (a log-scale s.d., 0 = the national shares)
    makes förbund differ. `saved` is the workbook's dcterms:modified (default: 31 Dec of
    `period`). Only `rng` is random.
    """
    unknown = set(sizes) - set(ins.GROUPS_BY_NAME)
    if unknown:
        raise ValueError(f"unknown respondent groups: {sorted(unknown)}")
    wb = new_workbook(saved or datetime(period, 12, 31, 12, 0, 0))
    wb.properties.title = f"Registreringsfil {forbund} {period}"
    date_from, date_to = _period_dates(period, routine)
    add_forbund_sheet(wb, {
        ins.KEY_NAME: forbund,
        ins.KEY_PERIOD: period,
        ins.KEY_PERIOD_FROM: date_from,
        ins.KEY_PERIOD_TO: date_to,
        ins.KEY_ROUTINE: routine,
    })

    not_stated: list[str | None] = [
        choice for choice in gender_choices() if ins.GENDER_VALUES[choice.lower()] is None
    ]
    not_stated.append(None)  # an empty Kön cell
    women = next(c for c in gender_choices() if ins.GENDER_VALUES[c.lower()] == ins.KVINNOR)
    men = next(c for c in gender_choices() if ins.GENDER_VALUES[c.lower()] == ins.MAN)

    population_rows: list[list[Any]] = []
    sheets: list[tuple[ins.Group, list[list[Any]]]] = []
    for group in ins.GROUPS:
        if group.name not in sizes:
            continue
        n = sizes[group.name]
        answerer = _Answerer(rng, group, label_share=label_share, blank_share=blank_share,
                             variation=variation)
        columns: dict[ins.Background, list[Any]] = {}
        for background in group.background:
            if background is ins.Background.KON:
                counts = allocate(n, GENDER_WEIGHTS, each_at_least_one=False)
                columns[background] = [
                    value or rng.choice(not_stated)
                    for value in _shuffled_labels(rng, (women, men, None), counts)
                ]
            elif background is ins.Background.INSATS:
                counts = allocate(n, _insats_weights(len(insatser)))
                columns[background] = _shuffled_labels(rng, insatser, counts)
            elif background is ins.Background.ANSTALLNING:
                counts = allocate(n, EMPLOYER_WEIGHTS)
                columns[background] = _shuffled_labels(rng, ins.EMPLOYERS, counts)
            elif background is ins.Background.SAMVERKANSGRUPP:
                counts = allocate(n, _insats_weights(len(samverkansgrupper)))
                columns[background] = _shuffled_labels(rng, samverkansgrupper, counts)
        rows = [
            [number, *(columns[b][number - 1] for b in group.background), *answerer.row()]
            for number in range(1, n + 1)
        ]
        sheets.append((group, rows))
        if n == 0:
            continue
        if ins.Background.INSATS in group.background:
            per_insats = [columns[ins.Background.INSATS].count(name) for name in insatser]
            insats_rows = [
                [group.name, name, *_populations(rng, group.name, count)]
                for name, count in zip(insatser, per_insats, strict=True) if count
            ]
            target = [r[2] for r in insats_rows]
            total_target = None if None in target else sum(int(t) for t in target if t)
            population_rows.append(
                [group.name, None, total_target, sum(int(r[3] or 0) for r in insats_rows)])
            population_rows += insats_rows
        else:
            population_rows.append([group.name, None, *_populations(rng, group.name, n)])

    add_populations_sheet(wb, population_rows)
    for group, rows in sheets:
        add_group_sheet(wb, group, rows, comments=comments)
    wb.active = 0
    return wb


def national_sizes(rng: random.Random) -> dict[str, int]:
    """Group sizes of one synthetic förbund shaped like the 2023 national submissions.

    A group is surveyed with the national share of förbund that surveyed it, and then gets
    an exponentially distributed number of questionnaires with the national mean (≥ 1).
    """
    sizes: dict[str, int] = {}
    for group in ins.GROUPS:
        share, mean = national_participation_2023()[group.name]
        if rng.random() < share:
            sizes[group.name] = max(1, round(rng.expovariate(1.0 / mean)))
    return sizes


def build_example(seed: int = EXAMPLE_SEED) -> Workbook:
    """The shipped example: Exempelförbundet 2023, about 300 questionnaires in six groups."""
    return generate_registration(
        random.Random(seed),
        EXAMPLE_FORBUND,
        EXAMPLE_PERIOD,
        EXAMPLE_SIZES,
        saved=datetime(EXAMPLE_PERIOD, 12, 15, 12, 0, 0),
    )


def write_example(path: str | Path) -> Path:
    """Write the example workbook to `path` (reproducible bytes)."""
    return save_reproducible(build_example(), path)


def write_shipped_workbooks(directory: str | Path) -> list[Path]:
    """Write the template and the example into `directory` (the repository's workbooks/)."""
    directory = Path(directory)
    return [write_template(directory / TEMPLATE_FILENAME),
            write_example(directory / EXAMPLE_FILENAME)]


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m indikator_xl.generate.example [--dir MAPP]`: regenerate the shipped workbooks."""
    import argparse

    default_dir = Path(__file__).resolve().parents[2] / "workbooks"
    parser = argparse.ArgumentParser(
        description="Skriv mallen och exempelfilen (Registreringsfil_mall.xlsx, "
                    "Exempel_Registreringsfil_2023.xlsx).")
    parser.add_argument("--dir", type=Path, default=default_dir)
    args = parser.parse_args(argv)
    for path in write_shipped_workbooks(args.dir):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
