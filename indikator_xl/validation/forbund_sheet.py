"""The Förbund sheet of a registration: the förbund's name, the mätperiod, the optional
period dates, routine and settings (SPEC §3)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from indikator_xl.domain import instrument as ins
from indikator_xl.domain.cells import NO_CACHE, CellError, RawWorkbook
from indikator_xl.domain.problems import ProblemCollector
from indikator_xl.domain.text import (
    clipped,
    display,
    is_blank,
    key,
    too_long,
    too_long_message,
    whole_number,
)
from indikator_xl.validation.sheet_lookup import find_sheet


def parse_forbund(raw: RawWorkbook, out: ProblemCollector, settings: dict[str, Any]):
    """The Förbund sheet's keys; the optional SETTING_KEYS that have a value go into
    `settings`."""
    sheet = find_sheet(raw, ins.SHEET_FORBUND, out)
    if sheet is None:
        out.fel(ins.SHEET_FORBUND, "", None,
                "Bladet Förbund saknas. Lägg till bladet med Samordningsförbund och Mätperiod "
                "(se mallen); utan dem kan inget beräknas.")
        return None, None, None, None, None
    name = sheet.name
    found: dict[str, tuple[int | None, Any]] = {}
    for number, row in enumerate(sheet.rows, 1):
        if not row:
            continue
        k = key(row[0])
        for wanted in (*ins.FORBUND_KEYS, *ins.SETTING_KEYS):
            if k == key(wanted) and wanted not in found:
                found[wanted] = (number, row[1] if len(row) > 1 else None)
    for wanted in ins.SETTING_KEYS:
        value = found.get(wanted, (None, None))[1]
        if not is_blank(value):
            settings[wanted] = value
    forbund = None
    r, value = found.get(ins.KEY_NAME, (None, None))
    if r is None:
        out.fel(name, "A", None, "Nyckeln Samordningsförbund saknas i kolumn A. Lägg till den "
                "med förbundets namn i kolumn B.")
    elif is_blank(value) or isinstance(value, CellError) or value is NO_CACHE:
        out.fel(name, f"B{r}", value, "Förbundets namn saknas. Skriv samordningsförbundets "
                "namn i cellen.")
    elif too_long(value):
        out.fel(name, f"B{r}", clipped(value), too_long_message("Förbundets namn", value))
    else:
        forbund = display(value)
    period = None
    r, value = found.get(ins.KEY_PERIOD, (None, None))
    if r is None:
        out.fel(name, "A", None, "Nyckeln Mätperiod saknas i kolumn A. Lägg till den med "
                "mätårets årtal (t.ex. 2023) i kolumn B.")
    else:
        year = whole_number(value)
        if year is None or not ins.PERIOD_MIN <= year <= ins.PERIOD_MAX:
            out.fel(name, f"B{r}", value, "Mätperioden ska vara ett årtal med fyra siffror "
                    f"({ins.PERIOD_MIN}–{ins.PERIOD_MAX}), t.ex. 2023.")
        else:
            period = year
    dates = []
    for wanted in (ins.KEY_PERIOD_FROM, ins.KEY_PERIOD_TO):
        r, value = found.get(wanted, (None, None))
        dates.append(_optional_date(value, name, r, wanted, out))
    routine = None
    r, value = found.get(ins.KEY_ROUTINE, (None, None))
    if r is not None and not is_blank(value):
        for option in ins.ROUTINES:
            if key(value) == key(option):
                routine = option
        if routine is None:
            out.varning(name, f"B{r}", value, "Okänd rutin för pågåendeenkäten. Välj "
                        + ", ".join(ins.ROUTINES) + "; värdet räknas som Okänt.")
            routine = "Okänt"
    return forbund, period, dates[0], dates[1], routine


def parse_gender_practice(raw: RawWorkbook, out: ProblemCollector) -> bool:
    """The optional Förbund key for the older gender practice: Ja, or Nej/blank."""
    sheet = next((s for n, s in raw.sheets.items() if key(n) == key(ins.SHEET_FORBUND)), None)
    if sheet is None:
        return False
    for r, row in enumerate(sheet.rows, 1):
        if not row or key(row[0]) != key(ins.KEY_GENDER_DESPITE_UNSTATED):
            continue
        value = row[1] if len(row) > 1 else None
        if is_blank(value) or key(value) == key(ins.NO):
            return False
        if key(value) == key(ins.YES):
            return True
        out.varning(sheet.name, f"B{r}", value, f"Skriv {ins.YES} eller {ins.NO}; värdet "
                    f"räknas som {ins.NO} (kön döljs när 1–4 svarande saknar kön).")
        return False
    return False


def _optional_date(value: Any, sheet: str, r: int | None, label: str,
                   out: ProblemCollector) -> date | None:
    if r is None or is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    out.varning(sheet, f"B{r}", value, f"{label} ska vara ett datum (ÅÅÅÅ-MM-DD); värdet "
                "används inte.")
    return None
