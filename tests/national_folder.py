"""A folder of generated submissions for the national merge tests, and an independent
count of what is in it (openpyxl + plain Python; no indikator_xl reading or stats code)."""

from __future__ import annotations

import os
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import openpyxl

from indikator_xl.domain import instrument as ins
from indikator_xl.generate.example import generate_registration
from indikator_xl.generate.reproducible import save_reproducible

PERIOD = 2023
# Insats and samverkansgrupp names are förbund-internal free text: none may reach the
# national outputs. Each carries a marker the tests scan for.
SECRET = "Hemlig"


def insatser(i: int) -> tuple[str, ...]:
    return (f"{SECRET} S-team {i}A", f"{SECRET} Arbetsträning {i}B")


def groups(i: int) -> tuple[str, ...]:
    return (f"{SECRET} Samverkansgrupp {i}",)


# (förbund, sizes, routine); sizes are questionnaires per group.
FORBUND: tuple[tuple[str, dict[str, int], str], ...] = (
    ("Alfa", {ins.DELTAGARE_PAGAENDE: 60, ins.DELTAGARE_AVSLUT: 40, ins.PERSONAL: 15,
              ins.REMITTENTER: 12, ins.CHEFSGRUPP: 8, ins.STYRELSE: 6}, ins.ROUTINES[0]),
    ("Beta", {ins.DELTAGARE_PAGAENDE: 45, ins.DELTAGARE_AVSLUT: 30, ins.PERSONAL: 9},
     ins.ROUTINES[1]),
    ("Gamma", {ins.DELTAGARE_AVSLUT: 25, ins.CHEFSGRUPP: 7, ins.STYRELSE: 5,
               ins.REMITTENTER: 9}, ins.ROUTINES[0]),
    ("Delta", {ins.DELTAGARE_PAGAENDE: 50, ins.PERSONAL: 12, ins.STYRELSE: 4},
     ins.ROUTINES[1]),
    ("Epsilon", {ins.DELTAGARE_PAGAENDE: 30, ins.DELTAGARE_AVSLUT: 20}, ins.ROUTINES[2]),
)


def write_submission(folder: Path, filename: str, forbund: str, sizes: dict[str, int],
                     routine: str, seed: int, *, period: int = PERIOD,
                     saved: datetime | None = None, mtime: float | None = None) -> Path:
    wb = generate_registration(random.Random(seed), forbund, period, sizes,
                               insatser=insatser(seed), samverkansgrupper=groups(seed),
                               routine=routine, variation=0.3, label_share=0.1,
                               comments=False, saved=saved)
    path = save_reproducible(wb, folder / filename)  # keeps `saved` as dcterms:modified
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def write_folder(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_submission(folder, f"{name}_{PERIOD}.xlsx", name, sizes, routine, seed)
            for seed, (name, sizes, routine) in enumerate(FORBUND, 1)]


# --- the independent count ------------------------------------------------------------------

def _code(q: ins.Question, value: object) -> int | None:
    """The answer code of a generated cell: a number, or a label in any case."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return int(value)
    labels = [label.casefold() for label in q.scale.labels]
    return labels.index(str(value).strip().casefold()) + 1


def _categories(q: ins.Question, code: int) -> set[str]:
    if q.scale.is_yes_no:  # Ja = 1: positivt and klart positivt; Nej: negativt
        return {"positivt", "klart_positivt"} if code == 1 else {"negativt"}
    return ({1: {"negativt"}, 2: {"negativt"}, 3: {"varken_eller"}, 4: {"positivt"},
             5: {"positivt", "klart_positivt"}, 6: {"positivt", "klart_positivt"}}[code])


KON = {"kvinna": "kvinnor", "k": "kvinnor", "man": "man", "m": "man"}


@dataclass
class Counted:
    """Per förbund: respondents per group, kön per participant group, populations; per
    (group, question, subgroup): [n, negativt, varken, positivt, klart, nyckeltal]."""

    respondents: dict[str, dict[str, int]] = field(default_factory=dict)
    gender: dict[tuple[str, str, str], int] = field(default_factory=dict)
    populations: dict[tuple[str, str], tuple[int | None, int | None]] = field(
        default_factory=dict)
    measures: dict[tuple[str, int, str], list[int]] = field(default_factory=dict)
    routine_pagaende: dict[tuple[str, str], int] = field(default_factory=dict)


def count(paths: list[Path]) -> Counted:
    out = Counted()
    for path in paths:
        wb = openpyxl.load_workbook(path, read_only=True)
        info = {r[0]: r[1] for r in wb[ins.SHEET_FORBUND].iter_rows(values_only=True)}
        forbund, routine = info[ins.KEY_NAME], info[ins.KEY_ROUTINE]
        out.respondents[forbund] = {}
        for r in list(wb[ins.SHEET_POPULATIONER].iter_rows(values_only=True))[1:]:
            if r[1] is None:
                out.populations[(forbund, r[0])] = (r[2], r[3])
        for group in ins.GROUPS:
            if group.name not in wb.sheetnames:
                continue
            rows = list(wb[group.name].iter_rows(values_only=True))
            head = list(rows[0])
            n_resp = 0
            for row in rows[1:]:
                kon = KON.get(str(row[head.index("Kön")]).casefold()) if "Kön" in head else None
                anst = row[head.index("Anställning")] if "Anställning" in head else None
                answered = False
                for q in group.questions:
                    code = _code(q, row[head.index(q.column)])
                    if code is None:
                        continue
                    answered = True
                    cats = _categories(q, code)
                    subgroups = ["samtliga"] + ([kon] if kon else []) + ([anst] if anst else [])
                    for sub in subgroups:
                        cell = out.measures.setdefault((group.name, q.number, sub), [0] * 6)
                        cell[0] += 1
                        for i, c in enumerate(("negativt", "varken_eller", "positivt",
                                               "klart_positivt"), 1):
                            cell[i] += c in cats
                        cell[5] += q.key_category in cats
                if answered:
                    n_resp += 1
                    if group.is_participant:
                        k = (forbund, group.name, kon or "ej_angett")
                        out.gender[k] = out.gender.get(k, 0) + 1
                    if group.name == ins.DELTAGARE_PAGAENDE:
                        rk = (routine, kon or "ej_angett")
                        out.routine_pagaende[rk] = out.routine_pagaende.get(rk, 0) + 1
            out.respondents[forbund][group.name] = n_resp
        wb.close()
    return out
