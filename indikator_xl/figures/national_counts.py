"""The national merge's counts: answers, response rates, gender and routine (Tabell 1,
3, 4–6, Bilaga 1 and 2), from the included submissions. Pure; `national` calls these."""

from __future__ import annotations

import numpy as np
import pandas as pd

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.text import key
from indikator_xl.validation.intake import Submission

# The national report's group order (Tabell 1, Bilaga 1).
REPORT_GROUPS: tuple[str, ...] = (
    ins.DELTAGARE_PAGAENDE, ins.DELTAGARE_AVSLUT, ins.PERSONAL, ins.CHEFSGRUPP, ins.STYRELSE,
    ins.REMITTENTER,
)
UNKNOWN_ROUTINE = "Okänt"


def answers_by_group(included: list[Submission]) -> pd.DataFrame:
    """Tabell 1: answers and förbund per group, and Totalt."""
    per = [s.answers_per_group() for s in included]
    rows = []
    for g in REPORT_GROUPS:
        rows.append((g, sum(p[g] for p in per), sum(1 for p in per if p[g] > 0)))
    rows.append(("Totalt", sum(r[1] for r in rows), sum(1 for p in per if any(p.values()))))
    return pd.DataFrame(rows, columns=["respondentgrupp", "svar", "forbund"])


def bilaga1(included: list[Submission], earlier: set[str] | None) -> pd.DataFrame:
    """Bilaga 1: answers per förbund and group; `ny` where the förbund is new this period
    (None when last period's förbund are not known)."""
    rows = []
    for s in included:
        per = s.answers_per_group()
        new = None if earlier is None else int(key(s.forbund) not in earlier)
        rows.append([s.forbund, new, *(per[g] for g in REPORT_GROUPS)])
    return pd.DataFrame(rows, columns=["forbund", "ny", *REPORT_GROUPS])


def bilaga2(included: list[Submission]) -> pd.DataFrame:
    """Bilaga 2: response rates per group and förbund (counts; no small-group rule needed)."""
    rows = []
    for g in REPORT_GROUPS:
        for s in included:
            svar = s.answers_per_group()[g]
            mal, und = s.populations.get(g, (np.nan, np.nan))
            if svar == 0 and np.isnan(mal) and np.isnan(und):
                continue
            rows.append([g, s.forbund, mal, und, svar])
    df = pd.DataFrame(rows, columns=["respondentgrupp", "forbund", "malpopulation",
                                     "undersokt_population", "svar"])
    return _with_ratios(df)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    num, den = num.astype(float), den.astype(float)
    return num / den.where(den > 0)


def _with_ratios(df: pd.DataFrame) -> pd.DataFrame:
    df["andel_undersokt_av_mal"] = _ratio(df["undersokt_population"], df["malpopulation"])
    df["andel_svar_av_undersokt"] = _ratio(df["svar"], df["undersokt_population"])
    df["andel_svar_av_mal"] = _ratio(df["svar"], df["malpopulation"])
    return df


def _pooled(rows: pd.DataFrame) -> dict[str, float]:
    """Sums and ratios over förbund rows; a ratio uses only rows where its denominator
    is given (remittenter have no målpopulation and drop out of ratios against it)."""
    mal = rows["malpopulation"].sum(min_count=1)
    und = rows["undersokt_population"].sum(min_count=1)
    with_mal = rows[rows["malpopulation"].notna()]
    with_und = rows[rows["undersokt_population"].notna()]
    m, u = with_mal["malpopulation"].sum(), with_und["undersokt_population"].sum()
    return {
        "malpopulation": mal, "undersokt_population": und,
        "andel_undersokt_av_mal": (with_mal["undersokt_population"].sum() / m) if m else np.nan,
        "andel_svar_av_undersokt": (with_und["svar"].sum() / u) if u else np.nan,
        "andel_svar_av_mal": (with_mal["svar"].sum() / m) if m else np.nan,
    }


def national_rates(bilaga2: pd.DataFrame, by_group: pd.DataFrame) -> pd.DataFrame:
    """Tabell 3: populations, answers and rates per group, and Totalt."""
    answers = dict(zip(by_group["respondentgrupp"], by_group["svar"], strict=True))
    rows = []
    for g in (*REPORT_GROUPS[:5], ins.REMITTENTER):
        part = bilaga2[bilaga2["respondentgrupp"] == g]
        rows.append({"respondentgrupp": g, "svar": int(answers[g]), **_pooled(part)})
    rows.append({"respondentgrupp": "Totalt", "svar": int(answers["Totalt"]),
                 **_pooled(bilaga2)})
    cols = ["respondentgrupp", "malpopulation", "undersokt_population",
            "andel_undersokt_av_mal", "svar", "andel_svar_av_undersokt", "andel_svar_av_mal"]
    return pd.DataFrame(rows)[cols]


def gender_counts(included: list[Submission]) -> pd.DataFrame:
    """Tabell 4–5: participants by kön (kvinnor, man, ej angett, totalt) with shares."""
    rows = []
    for g in (ins.DELTAGARE_PAGAENDE, ins.DELTAGARE_AVSLUT):
        total = sum(s.respondents.get(g, 0) for s in included)
        counts = {"kvinnor": sum(s.women_men.get(g, (0, 0))[0] for s in included),
                  "man": sum(s.women_men.get(g, (0, 0))[1] for s in included)}
        counts["ej_angett"] = total - counts["kvinnor"] - counts["man"]
        counts["totalt"] = total
        for rad, n in counts.items():
            rows.append([g, rad, n, n / total if total else np.nan])
    return pd.DataFrame(rows, columns=["respondentgrupp", "rad", "antal", "andel"])


def routine(s: Submission) -> str:
    return s.routine if s.routine in ins.ROUTINES else UNKNOWN_ROUTINE


def routine_counts(included: list[Submission]) -> pd.DataFrame:
    """Tabell 6: Deltagare pågående by the förbund's routine and kön (antal, andel)."""
    g = ins.DELTAGARE_PAGAENDE
    cells: dict[tuple[str, str], int] = {}
    for s in included:
        women, men = s.women_men.get(g, (0, 0))
        for rad, n in (("kvinnor", women), ("man", men), ("totalt", s.respondents.get(g, 0))):
            cells[(rad, routine(s))] = cells.get((rad, routine(s)), 0) + n
    rows = []
    for rad in ("kvinnor", "man", "totalt"):
        total = sum(cells.get((rad, r), 0) for r in ins.ROUTINES)
        for rutin in (*ins.ROUTINES, "Totalt"):
            n = total if rutin == "Totalt" else cells.get((rad, rutin), 0)
            rows.append([rad, rutin, n, n / total if total else np.nan])
    out = pd.DataFrame(rows, columns=["rad", "rutin", "antal", "andel"])
    out.attrs["forbund"] = {r: sum(1 for s in included if routine(s) == r
                                   and s.respondents.get(g, 0) > 0) for r in ins.ROUTINES}
    return out
