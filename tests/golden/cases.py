"""The golden cases: how each case's registration workbooks are built (see __init__)."""

from __future__ import annotations

import contextlib
import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indikator_xl.cli import run
from indikator_xl.domain import instrument as ins
from indikator_xl.generate.example import generate_registration
from indikator_xl.generate.reproducible import save_reproducible
from tests import builders

HERE = Path(__file__).resolve().parent
OUTPUTS = ("lang.csv", "svarsfrekvens.csv", "problem.json", "slutkoder.txt")

Build = Callable[[Path], Path]


def _generated(forbund: str, period: int, sizes: dict[str, int], seed: int,
               insatser: tuple[str, ...] = ("Insats A", "Insats B")) -> Build:
    def build(path: Path) -> Path:
        wb = generate_registration(random.Random(seed), forbund, period, sizes,
                                   insatser=insatser, variation=0.3, label_share=0.1,
                                   comments=False)
        return save_reproducible(wb, path)
    return build


def _dirty(path: Path) -> Path:
    return builders.registration(path, groups={ins.DELTAGARE_AVSLUT: builders.DIRTY_AVSLUT_ROWS},
                                 populations=[[ins.DELTAGARE_AVSLUT, None, 3, 5]])


def _without_forbund(path: Path) -> Path:
    return builders.registration(path, forbund=[[ins.KEY_NAME, None]],
                                 groups={ins.PERSONAL: [[1, "Kommun", 4, 5, 6, 5, 4, 5, 6]]})


@dataclass(frozen=True)
class Case:
    """A registration workbook, and optionally last period's."""

    build: Build
    previous: Build | None = None


CASES: dict[str, Case] = {
    "liten": Case(_generated("Lilla förbundet", 2023,
                             {ins.PERSONAL: 12, ins.STYRELSE: 6}, seed=1)),
    "deltagare": Case(_generated("Deltagarförbundet", 2023,
                                 {ins.DELTAGARE_PAGAENDE: 40, ins.DELTAGARE_AVSLUT: 25},
                                 seed=2, insatser=("Stor insats", "Liten", "Mellan"))),
    "med_foregaende": Case(
        _generated("Jämförarna", 2023, {ins.DELTAGARE_PAGAENDE: 50, ins.PERSONAL: 15}, seed=3),
        previous=_generated("Jämförarna", 2022,
                            {ins.DELTAGARE_PAGAENDE: 45, ins.PERSONAL: 14}, seed=4)),
    "smutsig": Case(_dirty),
    "utan_forbund": Case(_without_forbund),
}


def _cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = run(list(argv))
    return code, out.getvalue()


def outputs(name: str, work: Path) -> dict[str, bytes]:
    """Run the command line on the case's workbook (built in `work`); its outputs."""
    case = CASES[name]
    book = case.build(work / f"{name}.xlsx")
    validera, problems = _cli("validera", str(book), "--json")
    argv = ["berakna", str(book), "--export", str(work / "lang.csv"),
            "--export-svarsfrekvens", str(work / "svarsfrekvens.csv")]
    if case.previous is not None:
        argv += ["--foregaende", str(case.previous(work / f"{name}_foregaende.xlsx"))]
    berakna, _ = _cli(*argv)
    found = {"problem.json": problems.encode("utf-8"),
             "slutkoder.txt": f"validera {validera}\nberakna {berakna}\n".encode()}
    for file in ("lang.csv", "svarsfrekvens.csv"):
        path = work / file
        if path.exists():
            found[file] = path.read_bytes()
    return found


def expected(name: str) -> dict[str, bytes]:
    folder = HERE / name
    return {f: (folder / f).read_bytes() for f in OUTPUTS if (folder / f).exists()}
