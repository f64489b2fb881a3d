"""Render result sheets to PNG so a person can look at them (soffice → PDF → pdftoppm).

    python scripts/render_png.py RESULTAT.xlsx [--blad Sammanfattning Resultat] [-o MAPP]

Each sheet is printed alone (the others hidden in a temporary copy); the first page of
each becomes MAPP/<blad>.png (all pages with --alla-sidor).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for tests/
from tests.libreoffice import convert  # noqa: E402 - after the path it needs


def render_sheet(book: Path, sheet: str, outdir: Path, all_pages: bool = False,
                 dpi: int = 80) -> list[Path]:
    with tempfile.TemporaryDirectory(prefix="render-") as tmp:
        wb = load_workbook(book)
        for ws in wb.worksheets:
            ws.sheet_state = "visible" if ws.title == sheet else "hidden"
        wb.active = wb.sheetnames.index(sheet)
        single = Path(tmp) / f"{sheet}.xlsx"
        wb.save(single)
        pdf = convert(single, "pdf", tmp)
        stem = outdir / sheet
        args = ["pdftoppm", "-png", "-r", str(dpi)]
        if not all_pages:
            args += ["-f", "1", "-l", "1", "-singlefile"]
        subprocess.run([*args, str(pdf), str(stem)], check=True)
    if not all_pages:
        return [stem.with_suffix(".png")]
    return sorted(outdir.glob(f"{sheet}-*.png"))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("bok", type=Path)
    p.add_argument("--blad", nargs="+", default=["Sammanfattning", "Resultat"])
    p.add_argument("-o", type=Path, default=Path("render"))
    p.add_argument("--alla-sidor", action="store_true")
    p.add_argument("--dpi", type=int, default=80)
    args = p.parse_args(argv)
    args.o.mkdir(parents=True, exist_ok=True)
    for sheet in args.blad:
        for png in render_sheet(args.bok, sheet, args.o, args.alla_sidor, args.dpi):
            print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
