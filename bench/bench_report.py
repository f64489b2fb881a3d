"""Time the report drafts. Not a test.

    python bench/bench_report.py [--runs 3] [--data DIR] [--only lokal|nationell]

- local: one förbund's 600 questionnaires with a previous period (target: < 3 s for
  describing and writing the .docx, charts included);
- national: a folder of 72 registration workbooks shaped like the national report's
  Bilaga 1 (~2 900 questionnaires, built once by bench_merge.py's builder and kept in
  DIR) merged and drafted (target: < 10 s for merge + describe + write).

Medians over `--runs`, with the machine's load average and the number of runs printed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from indikator_xl.domain import instrument as ins
from indikator_xl.generate.example import generate_registration
from indikator_xl.pipeline import calculate
from indikator_xl.report.docx_writer import write
from indikator_xl.report.local import local_report

SIZES = {ins.DELTAGARE_PAGAENDE: 220, ins.DELTAGARE_AVSLUT: 160, ins.PERSONAL: 80,
         ins.REMITTENTER: 50, ins.CHEFSGRUPP: 50, ins.STYRELSE: 40}  # 600 in all
TARGET_S = 3.0
NATIONAL_TARGET_S = 10.0


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def national(runs: int, data: Path) -> None:
    """Merge the 72-workbook folder, describe and write the national draft."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_merge import ensure_folder

    from indikator_xl.figures.national import merge_folder
    from indikator_xl.report.national import national_report

    folder = ensure_folder(data, 1)
    merged, described, written, cpu = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out = Path(tmp) / "Nationell.docx"
        for _ in range(runs):
            t0 = time.perf_counter()
            result = merge_folder(folder)
            t1, c1 = time.perf_counter(), time.process_time()
            document = national_report(result)
            t2 = time.perf_counter()
            write(document, out)
            t3, c3 = time.perf_counter(), time.process_time()
            cpu.append(c3 - c1)
            merged.append(t1 - t0)
            described.append(t2 - t1)
            written.append(t3 - t2)
    total = [a + b + c for a, b, c in zip(merged, described, written, strict=True)]
    print(f"national report, {len(result.included)} workbooks, "
          f"{result.total_answers} questionnaires, {runs} runs, {_load()}")
    print(f"  merge (read, validate, statistics): {statistics.median(merged):.2f} s")
    print(f"  describe the report: {statistics.median(described):.2f} s")
    print(f"  write the .docx with {len(document.tables())} tables and "
          f"{len(document.figures())} charts: {statistics.median(written):.2f} s")
    print(f"  merge + report draft: {statistics.median(total):.2f} s "
          f"(target < {NATIONAL_TARGET_S:g} s)")
    print(f"  CPU time of the draft (describe + write), less sensitive to load: "
          f"{statistics.median(cpu):.2f} s")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--data", type=Path,
                   default=Path(tempfile.gettempdir()) / "indikator_xl_bench")
    p.add_argument("--only", choices=("lokal", "nationell"))
    args = p.parse_args(argv)
    if args.only != "lokal":
        national(args.runs, args.data)
    if args.only == "nationell":
        return 0
    local(args.runs)
    return 0


def local(runs: int) -> None:
    """Calculate, describe and write the local draft for 600 questionnaires."""
    assert sum(SIZES.values()) == 600
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        src, prev = Path(tmp) / "Reg_2023.xlsx", Path(tmp) / "Reg_2022.xlsx"
        generate_registration(random.Random(600), "Benchförbundet", 2023, SIZES,
                              variation=0.2).save(src)
        generate_registration(random.Random(599), "Benchförbundet", 2022, SIZES,
                              variation=0.2).save(prev)
        out = Path(tmp) / "Rapport.docx"
        calculated, described, written, cpu = [], [], [], []
        write(local_report(calculate(src, previous=prev).analysis), out)  # warm-up
        for _ in range(runs):
            t0 = time.perf_counter()
            analysis = calculate(src, previous=prev).analysis
            t1, c1 = time.perf_counter(), time.process_time()
            document = local_report(analysis)
            t2 = time.perf_counter()
            write(document, out)
            t3, c3 = time.perf_counter(), time.process_time()
            cpu.append(c3 - c1)
            calculated.append(t1 - t0)
            described.append(t2 - t1)
            written.append(t3 - t2)
    report = [d + w for d, w in zip(described, written, strict=True)]
    print(f"local report, 600 questionnaires, {runs} runs, {_load()}")
    print(f"  calculate (read, validate, statistics): {statistics.median(calculated):.2f} s")
    print(f"  describe the report: {statistics.median(described):.2f} s")
    print(f"  write the .docx with {len(document.figures())} charts: "
          f"{statistics.median(written):.2f} s")
    print(f"  report draft (describe + write): {statistics.median(report):.2f} s "
          f"(target < {TARGET_S:g} s)")
    print(f"  CPU time of the draft, less sensitive to load: {statistics.median(cpu):.2f} s")


if __name__ == "__main__":
    raise SystemExit(main())
