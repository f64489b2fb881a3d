"""Statistics for one förbund: a 600-questionnaire workbook with a previous period.

Usage: ``python bench/bench_stats.py [--runs 9] [--seed 600] [--profile]``

Two registration workbooks (2023 and 2022, 600 and about 600 questionnaires in all six
groups, three insatser, two samverkansgrupper, förbund-to-förbund variation) are built
once per seed with `generate_registration` into a cache folder. In one process, after all
imports and after reading both files, the script times:

- `analyse(reg, previous=prev)`: every breakdown, every gender and year test, the
  whole-question p-values, rikssnitt, verdicts and response rates — what "Beräkna"
  computes. "cold" clears the Fisher cache before each run (a user presses Beräkna once);
  "warm" does not.
- its parts: `measure_table` for each period, `add_previous`, `response_rates`.

Target (issue #3): analyse under 0.3 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indikator_xl.domain import instrument as ins  # noqa: E402
from indikator_xl.figures.analysis import analyse, response_rates  # noqa: E402
from indikator_xl.figures.significance import _fisher_cached  # noqa: E402
from indikator_xl.figures.stats import add_previous, measure_table  # noqa: E402
from indikator_xl.generate.example import generate_registration  # noqa: E402
from indikator_xl.generate.reproducible import save_reproducible  # noqa: E402
from indikator_xl.validation.registration import load_registration  # noqa: E402

SIZES = {ins.DELTAGARE_PAGAENDE: 220, ins.DELTAGARE_AVSLUT: 160, ins.PERSONAL: 80,
         ins.REMITTENTER: 55, ins.CHEFSGRUPP: 50, ins.STYRELSE: 35}
TARGET = 0.3


def build(seed: int) -> tuple[Path, Path]:
    folder = Path(tempfile.gettempdir()) / "indikator-xl-bench" / f"stats-seed{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    now, before = folder / "2023.xlsx", folder / "2022.xlsx"
    if not now.exists():
        save_reproducible(generate_registration(random.Random(seed), "Benchförbundet", 2023,
                                                SIZES, variation=0.3), now)
    if not before.exists():
        sizes = {g: round(n * 0.9) for g, n in SIZES.items()}
        save_reproducible(generate_registration(random.Random(seed + 1), "Benchförbundet",
                                                2022, sizes, variation=0.3), before)
    return now, before


def median_time(fn, runs: int, before=None) -> float:
    fn()
    times = []
    for _ in range(runs):
        if before:
            before()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=600)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    now_path, before_path = build(args.seed)
    t = time.perf_counter()
    reg = load_registration(now_path)
    prev = load_registration(before_path)
    read = time.perf_counter() - t
    print(f"{len(reg.respondents)} questionnaires now, {len(prev.respondents)} before; "
          f"{len(reg.answers)} answers now; both read + validated in {read:.3f} s")
    result = analyse(reg, previous=prev)
    table = result.table
    women = table[table["undergrupp"] == ins.KVINNOR]
    gender_tests = int(women[[f"p_{c}" for c in ins.CATEGORIES]].notna().sum().sum())
    year_tests = int(table["p_ar"].notna().sum())
    print(f"{len(table)} result rows; {gender_tests} gender category tests in "
          f"{int(women['test'].notna().sum())} pairs ({int((women['test'] == 'fisher').sum())} "
          f"with Fisher), {year_tests} year tests "
          f"({int((table['test_ar'] == 'fisher').sum())} with Fisher)")
    if args.profile:
        import cProfile
        import pstats
        _fisher_cached.cache_clear()
        prof = cProfile.Profile()
        prof.enable()
        analyse(reg, previous=prev)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumtime").print_stats(30)
        return 0
    cold = median_time(lambda: analyse(reg, previous=prev), args.runs,
                       before=_fisher_cached.cache_clear)
    warm = median_time(lambda: analyse(reg, previous=prev), args.runs)
    m_now = median_time(lambda: measure_table(reg.answers), args.runs,
                        before=_fisher_cached.cache_clear)
    m_prev = median_time(lambda: measure_table(prev.answers), args.runs,
                         before=_fisher_cached.cache_clear)
    t_now, t_prev = measure_table(reg.answers), measure_table(prev.answers)
    year = median_time(lambda: add_previous(t_now, t_prev), args.runs,
                       before=_fisher_cached.cache_clear)
    rates = median_time(lambda: response_rates(reg), args.runs)
    print(f"analyse with previous period, cold Fisher cache: {cold:.3f} s  "
          f"(target < {TARGET} s: {'met' if cold < TARGET else 'MISSED'})")
    print(f"analyse with previous period, warm Fisher cache: {warm:.3f} s")
    print(f"  measure_table now {m_now:.3f} s, previous {m_prev:.3f} s, add_previous "
          f"{year:.3f} s, response_rates {rates:.3f} s (median of {args.runs})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
