"""The words and marks every result sheet uses, said once (pure; builds `sheetmodel` values).

The förbund's result sheets (`result_sheets`) and the national ones (`national_sheets`)
show missing and hidden figures, stars, response-rate headings and footnotes with these,
so a förbund and NNS read the same language. Footnotes take the thresholds in force, so
a changed setting changes the text too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from indikator_xl.figures.suppression import Thresholds
from indikator_xl.sheets.sheetmodel import Kind, Value

DASH = "–"          # the reports' mark of a hidden figure (the Word drafts keep it)
DOLD = "[dold]"     # a figure hidden by the small-group rule (the sheets' one symbol)
SAKNAS = "[x]"      # no figure: it does not apply or does not exist
STAR = "*"          # a significant difference (women–men, routines, or years nationally)
YEAR_MARK = "†"     # a significant difference between years, in the förbund's sheets
YES = "Ja"          # a flag column's mark (a star, the ≥ 4-point flag, osäker)

# Every symbol a sheet may show, with its meaning, for the Noter sheet (`publication`).
SYMBOLS = (
    (DOLD, "Värdet visas inte, för att skydda de svarandes anonymitet (regeln om små "
           "grupper). Varför står i kolumnen Varför dold eller i tabellens not."),
    (SAKNAS, "Uppgift saknas: den finns inte eller gäller inte (t.ex. remittenter, som "
             "saknar målpopulation)."),
    (STAR, "Statistiskt signifikant skillnad (mellan kvinnor och män, mellan rutinerna "
           "eller, i det nationella resultatet, mellan åren). Står även som text i "
           "tabellens stjärnkolumn."),
    (YEAR_MARK, "Statistiskt signifikant skillnad mellan åren för nyckeltalet (förbundets "
                "blad). Står även som text i kolumnen Stjärna år."),
    (YES, "I en flaggkolumn (Stjärna, Osäker, Jämfört med rikssnittet): flaggan gäller "
          "raden."),
)

SHARE_FORMAT = "0%"
STAR_SUFFIX = f'"{STAR}"'
SHARE_STAR = SHARE_FORMAT + STAR_SUFFIX
SHARE_YEAR = f'{SHARE_FORMAT}"{YEAR_MARK}"'
BRACKETED = r"\(0%\)"   # the reports' "(77%)": Klart positivt, or last period's figure
BRACKETED_YEAR = BRACKETED + f'"{YEAR_MARK}"'
BRACKETED_COUNT = r"\(0\)"
PP_ONE = "+0.0;-0.0;0.0"

# Headings of the response-rate table (`analysis.response_rates` and the national one).
RATE_HEADINGS = {
    "malpopulation": "Målpopulation",
    "undersokt_population": "Undersökt population",
    "andel_undersokt_av_mal": "Undersökt population i förhållande till målpopulation",
    "svar": "Antal svar: svarat på minst en fråga",
    "andel_svar_av_undersokt": "Andel svar: undersökt population",
    "andel_svar_av_mal": "Andel svar: målpopulation",
}
RATE_KINDS: dict[str, Kind] = {c: "share" if c.startswith("andel") else "count"
                               for c in RATE_HEADINGS}
# The Totalt row's ratios against målpopulation leave out groups without one.
STARRED_TOTAL_RATES = ("andel_undersokt_av_mal", "andel_svar_av_mal")
REMITTENTER_NOTE = ("Totalt: kvoterna mot målpopulationen räknas utan remittenter (de "
                    "saknar målpopulation).")
NO_TARGET_NOTE = f"{SAKNAS} målpopulation saknas (remittenter har ingen målpopulation)."


def is_missing(v: Any) -> bool:
    """None, NA and NaN are missing."""
    if v is None or v is pd.NA:
        return True
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def number(x: Any) -> float | int | None:
    """A plain Python number, or None where the figure is missing."""
    if is_missing(x):
        return None
    if hasattr(x, "item"):
        x = x.item()
    if isinstance(x, float) and math.isnan(x):
        return None
    return x


def whole(x: Any) -> int | None:
    """A whole number, or None where the figure is missing."""
    v = number(x)
    return None if v is None else int(v)


def share(v: Any, emphasis: Iterable[str] = (), fmt: str | None = None) -> Value:
    """A share cell, [dold] where it is hidden, [x] where it is missing. A starred share
    shows the asterisk through its number format ("91%*"), so the cell stays a number;
    the star is also said in words in the table's star column."""
    emphasis = frozenset(emphasis)
    x = number(v)
    if x is None:
        return Value(DOLD if "dold" in emphasis else SAKNAS, "share",
                     emphasis - {"stjarna", "fisher"})
    if "stjarna" in emphasis:
        fmt = (fmt or SHARE_FORMAT) + STAR_SUFFIX
    return Value(float(x), "share", emphasis, fmt)


def count(v: Any, emphasis: Iterable[str] = ()) -> Value:
    """A count cell, or [x] where it is missing."""
    x = number(v)
    if x is None:
        return Value(SAKNAS, "count", frozenset(emphasis))
    return Value(int(x), "count", frozenset(emphasis))


def percent_level(alpha: float) -> str:
    """0.05 → "5 %"."""
    p = alpha * 100
    return (f"{int(p)}" if float(p).is_integer() else f"{p:g}".replace(".", ",")) + " %"


def points(p: float) -> str:
    """Percentage points as Swedish text: 4.0 → "4", 2.5 → "2,5"."""
    return str(int(p)) if float(p).is_integer() else str(p).replace(".", ",")


def hidden_note(thresholds: Thresholds, gender: bool = True) -> str:
    """The small-group rule; `gender`: the table has women and men side by side."""
    hide = thresholds.hide_below
    note = (f"{DOLD} färre än {hide} svar: visas inte, för att skydda de svarandes "
            "anonymitet.")
    return note + (f" Har ett kön färre än {hide} svar visas inget av könen." if gender
                   else "")


def uncertain_note(thresholds: Thresholds) -> str:
    return (f"Osäker (och kursiv stil): färre än {thresholds.uncertain_below} svar, "
            "resultatet är osäkert.")


def gender_star_note(thresholds: Thresholds) -> str:
    return (f"{STAR} statistiskt signifikant skillnad mellan könen på "
            f"{percent_level(thresholds.alpha)}-nivån (per svarskategori).")


def year_star_note(mark: str, previous: int, period: int, thresholds: Thresholds,
                   scope: str = "") -> str:
    return (f"{mark} statistiskt signifikant skillnad för nyckeltalet mellan år "
            f"{previous}–{period} på {percent_level(thresholds.alpha)}-nivån{scope}.")


def routine_star_note(thresholds: Thresholds) -> str:
    return (f"{STAR} statistiskt signifikant skillnad mellan de två rutinerna på "
            f"{percent_level(thresholds.alpha)}-nivån (Pearson chi², Fishers exakta test "
            "där en förväntad frekvens är under 5). Förbund med okänd rutin ingår inte.")
