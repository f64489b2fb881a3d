"""Benchmark of the national merge (`indikator-xl sammanstall`). Not a test.

    python bench/bench_merge.py [--runs 5] [--big] [--data DIR]

Builds 72 registration workbooks shaped like the national report's Bilaga 1 (the real
per-förbund sizes, ~2 900 questionnaires in all) — and with --big 720 (ten times as many
förbund) — then measures:

1. end to end: `python -m indikator_xl.cli sammanstall MAPP -o … --rikssnitt-ut …
   --export …` as a fresh process (Python start and imports included), median of runs;
2. per stage, in one process: imports, read (xlsx → cells), validate (SPEC §3), read +
   validate as the merge does it (in parallel where fork exists), analyse (the national
   tables), write (result workbook, rikssnitt, CSV);
3. in that same process, back to back with our read + validate (in alternating order, so
   that a change in machine load hits both alike), the openpyxl baseline:
   `load_workbook(read_only=True, data_only=True)` and every cell of every sheet
   iterated, over the same files; and the ratio, median over the runs.

Targets (issue #6): 72 files < 2 s end to end; read + validate ≥ 5× faster than the
baseline; 720 files < 10 s.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CPU_SECONDS: list[float] = []
SCRIPT_STAGES = r"""
import sys, time, json
t0 = time.perf_counter()
from indikator_xl.domain import instrument as ins
from indikator_xl.validation.intake import list_workbooks, read_all
from indikator_xl.figures.national import merge_submissions
from indikator_xl.validation.registration import parse_registration
from indikator_xl.domain.text import key
from indikator_xl.reader import read_workbook
from indikator_xl.sammanstall import write_outputs
import contextlib, io
t_import = time.perf_counter() - t0
import openpyxl
folder, out, baseline_first = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
paths = list_workbooks(folder)
wanted = {key(n) for n in (*ins.GROUPS_BY_NAME, ins.SHEET_FORBUND, ins.SHEET_POPULATIONER)}


def openpyxl_baseline():
    # The yardstick: openpyxl read_only, every cell of every sheet.
    t = time.perf_counter()
    cells = 0
    for p in paths:
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        cells += 1
        wb.close()
    return time.perf_counter() - t


def read_validate():
    # Ours, in this process: every file read, then every workbook validated.
    t = time.perf_counter()
    raws = [read_workbook(p, want=lambda n: key(n) in wanted) for p in paths]
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    regs = [parse_registration(r) for r in raws]
    return t_read, time.perf_counter() - t


t = time.perf_counter()
subs = read_all(paths)  # first, as the command does it (in parallel where fork exists)
t_intake = time.perf_counter() - t
# Ours and the yardstick run back to back in one process, in alternating order between
# runs, so a change in machine load hits both alike.
if baseline_first:
    t_openpyxl = openpyxl_baseline()
    t_read, t_validate = read_validate()
else:
    t_read, t_validate = read_validate()
    t_openpyxl = openpyxl_baseline()
t = time.perf_counter()
result = merge_submissions(subs)
t_analyse = time.perf_counter() - t
t = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    write_outputs(result, out + "/Nationellt.xlsx", out + "/Rikssnitt.xlsx", out + "/riket.csv")
t_write = time.perf_counter() - t
print(json.dumps({"import": t_import, "read": t_read, "validate": t_validate,
                  "read_validate": t_intake, "analyse": t_analyse, "write": t_write,
                  "openpyxl": t_openpyxl, "ratio": t_openpyxl / (t_read + t_validate),
                  "answers": result.total_answers, "files": len(paths)}))
"""


def build_folder(folder: Path, copies: int = 1) -> None:
    """72 × `copies` workbooks: every Bilaga 1 förbund's real sizes, and as many again
    drawn from them, so the total is about 72/32 × 1 300 ≈ 2 900 questionnaires × copies."""
    from indikator_xl.domain import instrument as ins
    from indikator_xl.figures import national_data
    from indikator_xl.generate.example import generate_registration
    from indikator_xl.generate.reproducible import save_reproducible

    b1 = national_data.answers_per_federation_2023()
    real: dict[str, dict[str, int]] = {}
    for r in b1.itertuples(index=False):
        real.setdefault(str(r.forbund), {})[str(r.respondentgrupp)] = int(r.svar)
    shapes = list(real.values())
    rng = random.Random(2023)
    folder.mkdir(parents=True, exist_ok=True)
    n = 72 * copies
    scale = 32 / 72  # 72 förbund share the 2023 total of 32
    for i in range(n):
        base = shapes[i % len(shapes)]
        sizes = {g: max(1, round(v * scale * rng.uniform(0.7, 1.3))) for g, v in base.items()
                 if v}
        wb = generate_registration(rng, f"Förbund {i + 1:03d}", 2023, sizes,
                                   routine=ins.ROUTINES[i % 3], variation=0.2,
                                   label_share=0.05, blank_share=0.03)
        save_reproducible(wb, folder / f"Registrering_{i + 1:03d}_2023.xlsx")


def ensure_folder(base: Path, copies: int) -> Path:
    folder = base / f"inkommande_{72 * copies}"
    marker = folder / ".klar"
    if not marker.exists():
        print(f"Bygger {72 * copies} arbetsböcker i {folder} …", flush=True)
        build_folder(folder, copies)
        marker.write_text("ok")
    return folder


def run_python(code_or_args: list[str]) -> tuple[float, str]:
    """Run Python in a fresh process: (wall seconds, stdout). CPU seconds of the child
    (user + system, workers included) are added to CPU_SECONDS."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    done = subprocess.run([sys.executable, *code_or_args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU_SECONDS.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed ({done.returncode}): {done.stderr}")
    return wall, done.stdout


def end_to_end(folder: Path, out: Path, runs: int) -> list[float]:
    args = ["-m", "indikator_xl.cli", "sammanstall", str(folder), "-o",
            str(out / "Nationellt.xlsx"), "--rikssnitt-ut", str(out / "Rikssnitt.xlsx"),
            "--export", str(out / "riket.csv")]
    run_python(args)  # warm-up (file cache, .pyc)
    return [run_python(args)[0] for _ in range(runs)]


def stages(folder: Path, out: Path, runs: int) -> dict[str, float]:
    """Median of each stage over `runs` fresh processes (the yardstick first in every
    other one)."""
    import json

    samples = [json.loads(run_python(["-c", SCRIPT_STAGES, str(folder), str(out),
                                      str(i % 2)])[1]) for i in range(runs)]
    return {k: statistics.median(s[k] for s in samples) for k in samples[0]}


def report(folder: Path, runs: int, with_stages: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        CPU_SECONDS.clear()
        walls = end_to_end(folder, out, runs)
        cpu = statistics.median(CPU_SECONDS[1:])
        n = len([p for p in folder.iterdir() if p.suffix == ".xlsx"])
        load = os.getloadavg()[0]
        print(f"\n{n} arbetsböcker: hela körningen (ny process) median "
              f"{statistics.median(walls):.2f} s  (min {min(walls):.2f}, max {max(walls):.2f}); "
              f"CPU {cpu:.2f} s; systemlast {load:.1f}")
        if not with_stages:
            return
        s = stages(folder, out, max(runs, 4))
        base = s["openpyxl"]
        print(f"  {int(s['answers'])} enkätsvar i {int(s['files'])} filer")
        for k, label in (("import", "import"), ("read", "läsa (seriellt)"),
                         ("validate", "validera (seriellt)"),
                         ("read_validate", "läsa + validera (som sammanställningen gör)"),
                         ("analyse", "analysera"), ("write", "skriva")):
            print(f"  {label:<44} {s[k]:.3f} s")
        print(f"  openpyxl read_only, alla celler (samma process) {base:.3f} s")
        print(f"  kvot openpyxl / läsa+validera i samma process: {s['ratio']:.1f}× "
              f"(median av {max(runs, 4)} körningar); som sammanställningen gör det "
              f"{base / s['read_validate']:.1f}× ({os.cpu_count()} kärnor)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", action="store_true", help="också 720 arbetsböcker")
    parser.add_argument("--data", type=Path,
                        default=Path(tempfile.gettempdir()) / "indikator_xl_bench")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    report(ensure_folder(args.data, 1), args.runs, True)
    if args.big:
        report(ensure_folder(args.data, 10), max(1, args.runs // 2), True)


if __name__ == "__main__":
    main()
