"""Scale: one group sheet with 100 000 questionnaires, read + validated.

Usage: ``python bench/bench_scale.py [--rows 100000] [--runs 3] [--seed 1] [--invalid]``

The workbook (Deltagare avslut: Kön, Insats and all ten questions with the F8 skip logic;
answers drawn from the national shares, 3 % labels, 3 % blanks, 0.2 % invalid values) is
built once per size and seed into a cache folder; a shared-string copy is made too (as
Excel saves it). Each measurement
runs `load_registration` in a fresh Python process, so its peak resident memory
(`resource.getrusage(...).ru_maxrss`) belongs to that read alone; the time is taken
inside the process, after imports. Targets: under 5 s and under 1 GB.

With ``--invalid`` every answer on every row is invalid instead (`tests.builders.many_problems`:
about 11 problems per row, 1.1 million for 100 000 rows), and the whole `indikator-xl
validera --json` is timed as a process (CPU seconds and peak memory from `resource`).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S, TARGET_MB = 5.0, 1024

_CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from indikator_xl.validation.registration import load_registration
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
reg = load_registration({path!r})
elapsed = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": elapsed, "peak_kb": peak, "imports_kb": before,
                  "answers": len(reg.answers), "respondents": len(reg.respondents),
                  "problems": len(reg.problems)}}))
"""


def _write(path: Path, rows: int, seed: int) -> None:
    """Förbund, Populationer and a Deltagare avslut sheet of `rows` questionnaires,
    answers drawn from the national shares 2023 (as `generate_registration` does; its
    normal-mode openpyxl sheet asks `ws.max_row` after every row, which is quadratic, so
    100 000 rows are written here in openpyxl's write-only mode)."""
    import openpyxl

    from indikator_xl.domain import instrument as ins
    from indikator_xl.generate.example import DEFAULT_INSATSER, national_shares_2023, option_weights

    rng = random.Random(seed)
    group = ins.GROUPS_BY_NAME[ins.DELTAGARE_AVSLUT]
    weights = [option_weights(q.scale, s) for q, s in zip(
        group.questions, national_shares_2023()[group.name], strict=True)]
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(ins.SHEET_FORBUND)
    ws.append([ins.KEY_NAME, "Storförbundet"])
    ws.append([ins.KEY_PERIOD, 2023])
    ws = wb.create_sheet(ins.SHEET_POPULATIONER)
    ws.append(list(ins.POPULATION_HEADERS))
    ws.append([group.name, None, rows * 2, rows])
    ws = wb.create_sheet(group.name)
    ws.append([ins.ID_COLUMN, "Kön", "Insats", *(q.column for q in group.questions)])
    genders = ["Kvinna"] * 50 + ["Man"] * 42 + ["Ej angett", None] * 4
    for number in range(1, rows + 1):
        answers: list = []
        for q, w in zip(group.questions, weights, strict=True):
            if q.only_if_yes_to is not None and answers[q.only_if_yes_to - 1] != "Ja":
                answers.append(None)
                continue
            roll = rng.random()
            code = rng.choices(q.scale.codes, w)[0]
            if roll < 0.03:
                answers.append(None)
            elif roll < 0.032:
                answers.append(rng.choice([7, "x", 0, 2.5]))  # invalid: listed as errors
            elif q.scale.is_yes_no or roll < 0.06:
                answers.append(q.scale.option(code).label)
            else:
                answers.append(code)
        ws.append([number, rng.choice(genders), rng.choice(DEFAULT_INSATSER), *answers])
    wb.save(path)


def build(rows: int, seed: int) -> tuple[Path, Path]:
    sys.path.insert(0, str(ROOT))
    from tests.xlsx_parts import to_shared_strings

    folder = Path(tempfile.gettempdir()) / "indikator-xl-bench" / f"scale-{rows}-seed{seed}"
    folder.mkdir(parents=True, exist_ok=True)
    inline, shared = folder / "inline.xlsx", folder / "shared.xlsx"
    if not inline.exists():
        t = time.perf_counter()
        _write(inline, rows, seed)
        print(f"(built {inline} in {time.perf_counter() - t:.0f} s)")
    if not shared.exists():
        to_shared_strings(inline, shared)
    return inline, shared


def measure(path: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", _CHILD.format(root=str(ROOT), path=str(path))],
                          capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def measure_invalid(rows: int, runs: int) -> None:
    """`validera --json` on `rows` rows of invalid answers, in fresh processes."""
    import resource

    folder = Path(tempfile.gettempdir()) / "indikator-xl-bench" / f"invalid-{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "invalid.xlsx"
    if not path.exists():  # built in another process: a child forked from a big parent
        # would count the parent's memory in its peak
        subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                        f"sys.path.insert(0, {str(ROOT)!r}); from tests.builders import "
                        f"many_problems; many_problems(Path({str(path)!r}), {rows})"],
                       check=True)
    cpu, peak, size = [], 0, 0
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        with open(folder / "problems.json", "wb") as out:  # not in this process's memory
            proc = subprocess.run([sys.executable, "-m", "indikator_xl.cli", "validera",
                                   "--json", str(path)], stdout=out, check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        peak, size = max(peak, after.ru_maxrss), (folder / "problems.json").stat().st_size
    seconds = statistics.median(cpu)
    print(f"{rows} rows of invalid answers: validera --json wrote {size / 1e6:.0f} MB "
          f"(exit {proc.returncode}); {seconds:.1f} CPU s (median of {runs}), peak RSS "
          f"{peak / 1024:.0f} MB (target < {TARGET_MB} MB: "
          f"{'met' if peak / 1024 < TARGET_MB else 'MISSED'}); load {os.getloadavg()[0]:.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--invalid", action="store_true",
                        help="every answer invalid: time validera --json on the problems")
    args = parser.parse_args()
    if args.invalid:
        measure_invalid(args.rows, args.runs)
        return 0
    inline, shared = build(args.rows, args.seed)
    import zipfile
    for label, path in (("inline strings", inline), ("shared strings", shared)):
        with zipfile.ZipFile(path) as z:
            xml = max(i.file_size for i in z.infolist() if i.filename.startswith("xl/worksheets"))
        results = [measure(path) for _ in range(args.runs)]
        seconds = statistics.median(r["seconds"] for r in results)
        peak_mb = max(r["peak_kb"] for r in results) / 1024
        base_mb = max(r["imports_kb"] for r in results) / 1024
        r = results[0]
        print(f"{label}: {path.stat().st_size / 1e6:.1f} MB file, sheet XML {xml / 1e6:.1f} MB; "
              f"{r['respondents']} questionnaires, {r['answers']} answers, "
              f"{r['problems']} problems")
        print(f"  load_registration {seconds:.2f} s (median of {args.runs}, target < {TARGET_S} "
              f"s: {'met' if seconds < TARGET_S else 'MISSED'}); peak RSS {peak_mb:.0f} MB "
              f"({base_mb:.0f} MB after imports; target < {TARGET_MB} MB: "
              f"{'met' if peak_mb < TARGET_MB else 'MISSED'})")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
