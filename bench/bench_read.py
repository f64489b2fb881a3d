"""Read + validate a national year of registration workbooks (72 files, ~3 000 questionnaires).

Usage: ``python bench/bench_read.py [--runs 7] [--seed 2023] [--profile]``

The 72 workbooks are built once per seed with `indikator_xl.generate.example.generate_registration`
into a cache folder under the system temp directory. Their group sizes follow Bilaga 1 of
the national report 2023 (`national_data.answers_per_federation_2023`, 32 förbund, 2 926
questionnaires): workbook i takes the profile of one Bilaga 1 förbund (cycled in a seeded
order) scaled by 32/72 with random rounding, so the 72 files hold about as many
questionnaires as the 32 real ones did. Two physical variants are timed:

- A: as openpyxl writes them (inline strings);
- B: the same cells re-saved with a shared-string table, as Excel and LibreOffice store text
  (`tests.xlsx_parts.to_shared_strings`).

In one process, after all imports, each method runs `--runs` times over all files (after
one warm-up pass); the median is printed:

- project: `registration.load_registration` (read + validate + tidy tables);
- project reader only: `reader.read_workbook` on the sheets `load_registration` reads;
- openpyxl: `load_workbook(read_only=True, data_only=True)`, every cell with its type;
- floor: `zipfile` + a bare expat parse of every sheet part (and the shared strings) with
  a no-op start-element callback, collecting every text value (what any pure-Python
  expat reader must at least pay).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.parsers import expat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402

from indikator_xl.domain import instrument as ins  # noqa: E402
from indikator_xl.domain.text import key  # noqa: E402
from indikator_xl.figures import national_data  # noqa: E402
from indikator_xl.generate.example import generate_registration  # noqa: E402
from indikator_xl.generate.reproducible import save_reproducible  # noqa: E402
from indikator_xl.reader import read_workbook  # noqa: E402
from indikator_xl.validation.registration import load_registration  # noqa: E402
from tests.xlsx_parts import to_shared_strings  # noqa: E402

N_WORKBOOKS = 72


def bilaga1_profiles() -> list[tuple[str, dict[str, int]]]:
    df = national_data.answers_per_federation_2023()
    out = []
    for forbund, part in df.groupby("forbund", sort=True):
        out.append((forbund, {g: int(n) for g, n in zip(part["respondentgrupp"], part["svar"],
                                                         strict=True)}))
    return out


def sizes_for(rng: random.Random, n_workbooks: int) -> list[dict[str, int]]:
    profiles = bilaga1_profiles()
    scale = len(profiles) / n_workbooks
    order = list(range(len(profiles)))
    rng.shuffle(order)
    sizes = []
    for i in range(n_workbooks):
        _, profile = profiles[order[i % len(order)]]
        s = {}
        for group, n in profile.items():
            x = n * scale
            m = int(x) + (rng.random() < x - int(x))
            if m > 0:
                s[group] = m
        if not s:
            s[ins.STYRELSE] = 1
        sizes.append(s)
    return sizes


def build(seed: int) -> tuple[list[Path], list[Path], int]:
    folder = Path(tempfile.gettempdir()) / "indikator-xl-bench" / f"read-seed{seed}"
    a_dir, b_dir = folder / "A", folder / "B"
    done = folder / "KLAR"
    rng = random.Random(seed)
    sizes = sizes_for(rng, N_WORKBOOKS)
    total = sum(sum(s.values()) for s in sizes)
    a_files = [a_dir / f"forbund_{i:02d}.xlsx" for i in range(N_WORKBOOKS)]
    b_files = [b_dir / f.name for f in a_files]
    if done.exists():
        return a_files, b_files, total
    a_dir.mkdir(parents=True, exist_ok=True)
    b_dir.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    for i, (a, b, s) in enumerate(zip(a_files, b_files, sizes, strict=True)):
        wb = generate_registration(random.Random(seed * 1000 + i), f"Förbund {i:02d}", 2023, s,
                                   variation=0.3)
        save_reproducible(wb, a)
        to_shared_strings(a, b)
    done.write_text("ok\n")
    print(f"(built {N_WORKBOOKS} workbooks in {time.perf_counter() - t:.1f} s into {folder})")
    return a_files, b_files, total


_WANTED = {key(n) for n in (*ins.GROUPS_BY_NAME, ins.SHEET_FORBUND, ins.SHEET_POPULATIONER)}


def project(files: list[Path]) -> int:
    return sum(len(load_registration(f).answers) for f in files)


def project_reader(files: list[Path]) -> int:
    n = 0
    for f in files:
        raw = read_workbook(f, want=lambda name: key(name) in _WANTED)
        n += sum(v is not None for s in raw.sheets.values() for r in s.rows for v in r)
    return n


def openpyxl_ro(files: list[Path]) -> int:
    n = 0
    for f in files:
        wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
        for ws in wb.worksheets:
            cells = []
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        cells.append((c.row, c.column, c.value, c.data_type))
            n += len(cells)
        wb.close()
    return n


def _noop(name: str, attrs: dict) -> None:
    return None


def floor(files: list[Path]) -> int:
    n = 0
    for f in files:
        with zipfile.ZipFile(f) as z:
            for name in z.namelist():
                if not (name.startswith("xl/worksheets/sheet") or name == "xl/sharedStrings.xml"):
                    continue
                values: list[str] = []
                p = expat.ParserCreate()
                p.buffer_text = True
                p.StartElementHandler = _noop  # one callback per element, as any reader
                p.CharacterDataHandler = values.append
                p.Parse(z.read(name), True)
                n += len(values)
    return n


def timed_round_robin(methods, files, runs: int) -> tuple[dict[str, list[float]], dict]:
    """Each run times every method once, in turn, so that drift on a shared machine hits
    all of them alike; the first pass is a warm-up."""
    items = {label: fn(files) for label, fn in methods}
    times: dict[str, list[float]] = {label: [] for label, _ in methods}
    for _ in range(runs):
        for label, fn in methods:
            t = time.perf_counter()
            fn(files)
            times[label].append(time.perf_counter() - t)
    return times, items


def ratio(times: dict[str, list[float]], a: str, b: str) -> float:
    """Median of the per-run ratios a/b."""
    return statistics.median(x / y for x, y in zip(times[a], times[b], strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--profile", action="store_true",
                        help="profile load_registration on variant A (cProfile, top 25)")
    args = parser.parse_args()
    a_files, b_files, total = build(args.seed)
    size_a = sum(f.stat().st_size for f in a_files)
    size_b = sum(f.stat().st_size for f in b_files)
    print(f"{N_WORKBOOKS} workbooks, {total} questionnaires; A {size_a / 1e6:.2f} MB, "
          f"B {size_b / 1e6:.2f} MB; median of {args.runs} runs, in-process, imports excluded")
    if args.profile:
        import cProfile
        import pstats
        prof = cProfile.Profile()
        prof.enable()
        project(a_files)
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
        return 0
    methods = [("project: load_registration + answer table", project),
               ("project reader only (read_workbook)", project_reader),
               ("openpyxl read_only, every cell + type", openpyxl_ro),
               ("floor: zipfile + expat collecting values", floor)]
    project_l, reader_l, openpyxl_l, floor_l = (label for label, _ in methods)
    for variant, files in (("A (inline strings)", a_files), ("B (shared strings)", b_files)):
        print(f"\n{variant}")
        times, items = timed_round_robin(methods, files, args.runs)
        for label, _ in methods:
            print(f"  {label:48s} {statistics.median(times[label]):7.3f} s   "
                  f"({items[label]} items)")
        print(f"  openpyxl / project = {ratio(times, openpyxl_l, project_l):.1f}x; "
              f"project / floor = {ratio(times, project_l, floor_l):.2f}x; "
              f"reader only / floor = {ratio(times, reader_l, floor_l):.2f}x; "
              f"openpyxl / reader only = {ratio(times, openpyxl_l, reader_l):.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
