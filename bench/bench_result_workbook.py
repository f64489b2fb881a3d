"""Time the result workbook for 600 questionnaires (targets: render < 1 s, whole
`indikator-xl berakna` < 2 s including Python start and imports).

    python bench/bench_result_workbook.py [--runs 5]
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
from pathlib import Path

from indikator_xl.domain import instrument as ins
from indikator_xl.figures.analysis import analyse
from indikator_xl.generate.example import generate_registration
from indikator_xl.render import to_openpyxl as render_openpyxl
from indikator_xl.render.to_xlsxwriter import render
from indikator_xl.sheets.result_sheets import result_workbook
from indikator_xl.validation.registration import load_registration

SIZES = {ins.DELTAGARE_PAGAENDE: 220, ins.DELTAGARE_AVSLUT: 160, ins.PERSONAL: 80,
         ins.REMITTENTER: 50, ins.CHEFSGRUPP: 50, ins.STYRELSE: 40}  # 600 in all


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5)
    args = p.parse_args(argv)
    assert sum(SIZES.values()) == 600
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        src = Path(tmp) / "Registrering_600.xlsx"
        generate_registration(random.Random(600), "Benchförbundet", 2023, SIZES,
                              variation=0.2).save(src)
        prev = Path(tmp) / "Registrering_600_2022.xlsx"
        generate_registration(random.Random(599), "Benchförbundet", 2022, SIZES,
                              variation=0.2).save(prev)
        analysis = analyse(load_registration(src), previous=load_registration(prev))
        out = Path(tmp) / "ut.xlsx"
        render(result_workbook(analysis), out)  # warm-up
        build, draw, draw_openpyxl = [], [], []
        for i in range(args.runs):
            t0 = time.perf_counter()
            book = result_workbook(analysis)
            t1 = time.perf_counter()
            # The writer the command uses, and openpyxl's, in alternating order.
            for writer in ((render, render_openpyxl.render) if i % 2 else
                           (render_openpyxl.render, render)):
                t = time.perf_counter()
                writer(book, out)
                (draw if writer is render else draw_openpyxl).append(time.perf_counter() - t)
            build.append(t1 - t0)
        whole = []
        cmd = [sys.executable, "-m", "indikator_xl.cli", "berakna", str(src),
               "--foregaende", str(prev), "-o", str(out)]
        subprocess.run(cmd, check=True, capture_output=True)  # warm the file cache
        for _ in range(args.runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True, capture_output=True)
            whole.append(time.perf_counter() - t0)
    render_s = statistics.median(b + d for b, d in zip(build, draw, strict=True))
    print(f"600 enkäter, {len(analysis.table)} rader i resultattabellen, median av "
          f"{args.runs} körningar:")
    print(f"  resultatarbetsboken (bygga bladen + skriva .xlsx): {render_s:.3f} s "
          f"(bygga {statistics.median(build):.3f} s, skriva {statistics.median(draw):.3f} s)"
          f"  mål < 1 s")
    ratios = [o / x for o, x in zip(draw_openpyxl, draw, strict=True)]
    print(f"  skriva med openpyxl i stället: {statistics.median(draw_openpyxl):.3f} s, "
          f"{statistics.median(ratios):.1f}× XlsxWriters tid (systemlast "
          f"{os.getloadavg()[0]:.1f})")
    print(f"  hela `indikator-xl berakna --foregaende` (start och import inräknat): "
          f"{statistics.median(whole):.3f} s  mål < 2 s")
    return 0 if render_s < 1 and statistics.median(whole) < 2 else 1


if __name__ == "__main__":
    sys.exit(main())
