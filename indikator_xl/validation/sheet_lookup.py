"""A registration's sheets found by name, as users spell them (SPEC §3)."""

from __future__ import annotations

from indikator_xl.domain.cells import RawSheet, RawWorkbook
from indikator_xl.domain.problems import ProblemCollector
from indikator_xl.domain.text import key


def find_sheet(raw: RawWorkbook, wanted: str, out: ProblemCollector) -> RawSheet | None:
    """The sheet named `wanted`: exactly, or else case/space-insensitively with a warning.

    Two sheets whose names differ only in case or spacing (`Personal` and `personal `)
    cannot both be read: the exact one (or the first) is, and each of them gets an error,
    so that no answer on the other one disappears without a problem naming it.
    """
    same = [name for name in raw.sheets if key(name) == key(wanted)]
    if not same:
        return None
    chosen = wanted if wanted in raw.sheets else same[0]
    if len(same) > 1:
        others = [n for n in same if n != chosen]
        listed = ", ".join(f'"{n}"' for n in others)
        out.fel(chosen, "", chosen,
                f"Arbetsboken har flera blad som heter {wanted} (bortsett från stora och små "
                f"bokstäver och mellanslag): också {listed}. Bara det här bladet har lästs; "
                "flytta svaren till ett blad och ta bort det andra.")
        for name in others:
            out.fel(name, "", name,
                    f"Bladet har inte lästs: bladet \"{chosen}\" har samma namn (bortsett från "
                    "stora och små bokstäver och mellanslag), så svaren här räknas inte. Flytta "
                    "dem till ett blad och ta bort det andra.")
    elif chosen != wanted:
        out.varning(chosen, "", chosen,
                    f"Bladet heter \"{chosen}\" men ska heta \"{wanted}\". Det har lästs som "
                    f"{wanted}; byt gärna namn på bladet.")
    return raw.sheets[chosen]
