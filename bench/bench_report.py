"""Time the local report draft for 600 questionnaires with a previous period (target:
< 3 s for describing and writing the .docx, charts included).

    python bench/bench_report.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
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


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=3)
    args = p.parse_args(argv)
    assert sum(SIZES.values()) == 600
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        src, prev = Path(tmp) / "Reg_2023.xlsx", Path(tmp) / "Reg_2022.xlsx"
        generate_registration(random.Random(600), "Benchförbundet", 2023, SIZES,
                              variation=0.2).save(src)
        generate_registration(random.Random(599), "Benchförbundet", 2022, SIZES,
                              variation=0.2).save(prev)
        out = Path(tmp) / "Rapport.docx"
        calculated, described, written = [], [], []
        write(local_report(calculate(src, previous=prev).analysis), out)  # warm-up
        for _ in range(args.runs):
            t0 = time.perf_counter()
            analysis = calculate(src, previous=prev).analysis
            t1 = time.perf_counter()
            document = local_report(analysis)
            t2 = time.perf_counter()
            write(document, out)
            t3 = time.perf_counter()
            calculated.append(t1 - t0)
            described.append(t2 - t1)
            written.append(t3 - t2)
    report = [d + w for d, w in zip(described, written, strict=True)]
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"calculate (read, validate, statistics): {statistics.median(calculated):.2f} s")
    print(f"describe the report: {statistics.median(described):.2f} s")
    print(f"write the .docx with {len(document.figures())} charts: "
          f"{statistics.median(written):.2f} s")
    print(f"report draft (describe + write): {statistics.median(report):.2f} s "
          f"(target < {TARGET_S:g} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
