"""Whole commands against the yardstick (issue #16). Not a test.

    python bench/bench_yardstick.py [--runs 7] [--big] [--data DIR]

Each figure is a whole process (Python start and imports included), median of `runs`
after one warm-up:

1. `indikator-xl sammanstall` of 72 national-size workbooks (and with --big 720), writing
   the national result, the rikssnitt file and the CSV, against openpyxl `read_only`
   merely reading every cell of the same files, run back to back in alternating order
   (A B, B A, …) so that a change in machine load hits both alike; the ratio is the
   median of the pairs' ratios (aim ≤ 1.0, and 720 workbooks < 5 s);
2. `indikator-xl berakna` on the shipped example (aim < 0.5 s), and `validera`, beside
   Python's start and the import of pandas and XlsxWriter alone (the floor for berakna);
3. a worksheet function in this process: KLARTPOSITIV on 600 cells (aim < 1 ms).

Every line gives the machine's load (1-minute average, before → after) and the runs.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "workbooks" / "Exempel_Registreringsfil_2023.xlsx"
YARDSTICK = r"""
import sys
from pathlib import Path
import openpyxl
cells = 0
for p in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value is not None:
                    cells += 1
    wb.close()
print(cells)
"""


def _wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    wall = time.perf_counter() - t
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd[:4])} … failed ({done.returncode}): {done.stderr}")
    return wall


def _load() -> float:
    return os.getloadavg()[0]


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "indikator_xl.cli", *args]


def paired(ours: list[str], yardstick: list[str], runs: int) -> tuple[list[float],
                                                                      list[float]]:
    """Both commands `runs` times, alternating which goes first; one warm-up each."""
    _wall(ours), _wall(yardstick)
    a: list[float] = []
    b: list[float] = []
    for i in range(runs):
        if i % 2:
            b.append(_wall(yardstick))
            a.append(_wall(ours))
        else:
            a.append(_wall(ours))
            b.append(_wall(yardstick))
    return a, b


def merge_vs_yardstick(folder: Path, runs: int) -> None:
    n = len(list(folder.glob("*.xlsx")))
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        ours = _cli("sammanstall", str(folder), "-o", f"{tmp}/Nationellt.xlsx",
                    "--rikssnitt-ut", f"{tmp}/Rikssnitt.xlsx", "--export", f"{tmp}/riket.csv")
        yardstick = [sys.executable, "-c", YARDSTICK, str(folder)]
        before = _load()
        a, b = paired(ours, yardstick, runs)
    ratios = [x / y for x, y in zip(a, b, strict=True)]
    print(f"{n} arbetsböcker, hela processer, median av {runs} körningar i växlande ordning "
          f"(systemlast {before:.1f} → {_load():.1f}, {os.cpu_count()} kärnor):")
    print(f"  indikator-xl sammanstall (resultat, rikssnitt, CSV) {statistics.median(a):.2f} s "
          f"(min {min(a):.2f}, max {max(a):.2f})")
    print(f"  openpyxl read_only, bara läsa varje cell            {statistics.median(b):.2f} s "
          f"(min {min(b):.2f}, max {max(b):.2f})")
    print(f"  kvot sammanstall / openpyxl: {statistics.median(ratios):.2f} "
          f"(parvis, min {min(ratios):.2f}, max {max(ratios):.2f}); mål ≤ 1,0")


def commands(runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        cases = (
            ("python -c pass (start av Python)", [sys.executable, "-c", "pass"], None),
            # What berakna cannot go below while its statistics use pandas.
            ("python: import pandas, xlsxwriter", [sys.executable, "-c",
                                                   "import pandas, xlsxwriter"], None),
            ("indikator-xl --help", _cli("--help"), None),
            ("indikator-xl validera exemplet", _cli("validera", str(EXAMPLE)), None),
            ("indikator-xl berakna exemplet", _cli("berakna", str(EXAMPLE), "-o",
                                                   f"{tmp}/ut.xlsx"), 0.5),
        )
        before = _load()
        for label, cmd, aim in cases:
            _wall(cmd)
            walls = [_wall(cmd) for _ in range(runs)]
            goal = f"  mål < {aim} s".replace(".", ",") if aim else ""
            print(f"  {label:<36} {statistics.median(walls):.2f} s (min {min(walls):.2f}, "
                  f"max {max(walls):.2f}){goal}")
    print(f"  (hela processer, median av {runs} körningar, systemlast {before:.1f} → "
          f"{_load():.1f})")


def udf(runs: int) -> None:
    from indikator_xl.udfs import KLARTPOSITIV, SIGNIFIKANS

    rng = random.Random(16)
    codes = [[float(rng.randint(1, 6))] for _ in range(600)]
    labels = [[rng.choice(["Alltid", "ofta", " Ibland ", "Sällan", None])] for _ in range(600)]
    cases: tuple[tuple[str, Callable[[], object]], ...] = (
        ("KLARTPOSITIV, 600 celler med koder", lambda: KLARTPOSITIV(codes)),
        ("KLARTPOSITIV, 600 celler med svarsalternativ", lambda: KLARTPOSITIV(labels)),
        ("SIGNIFIKANS, 2 × 600 celler", lambda: SIGNIFIKANS(codes, labels)),
    )
    before = _load()
    for label, call in cases:
        call()
        times = []
        for _ in range(runs * 100):
            t = time.perf_counter()
            call()
            times.append(time.perf_counter() - t)
        print(f"  {label:<46} {statistics.median(times) * 1000:.2f} ms  mål < 1 ms")
    print(f"  (i processen, median av {runs * 100} anrop, systemlast {before:.1f} → "
          f"{_load():.1f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--big", action="store_true", help="också 720 arbetsböcker")
    parser.add_argument("--data", type=Path,
                        default=Path(tempfile.gettempdir()) / "indikator_xl_bench")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    from bench_merge import ensure_folder  # the same generated folders as bench_merge

    merge_vs_yardstick(ensure_folder(args.data, 1), args.runs)
    if args.big:
        merge_vs_yardstick(ensure_folder(args.data, 10), max(3, args.runs // 2))
    print("Enskilda kommandon:")
    commands(args.runs)
    print("Kalkylbladsfunktioner:")
    udf(args.runs)


if __name__ == "__main__":
    main()
