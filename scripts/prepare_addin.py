"""Prepare IndikatorXL.xlam from xlwings' ribbon add-in template (run by NNS, once per
release): our ribbon and configuration in, every other part byte for byte. The button
macros are imported in Excel afterwards (docs/excel.md, "Bygga tillägget")."""

from __future__ import annotations

import argparse
from pathlib import Path

from indikator_xl.addin_template import prepare_addin, read_conf_file

STUBS = Path(__file__).resolve().parent.parent / "vba_stubs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-o", default="dist/IndikatorXL.xlam", help="the add-in to write")
    args = parser.parse_args()
    out = prepare_addin(Path(args.o), (STUBS / "customUI.xml").read_text(encoding="utf-8"),
                        read_conf_file(STUBS / "xlwings.conf"))
    print(f"{out} skrevs. Importera nu vba_stubs/IndikatorXL.bas i Excel (docs/excel.md).")


if __name__ == "__main__":
    main()
