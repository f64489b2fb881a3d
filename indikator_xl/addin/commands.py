"""`indikator-xl tillagg bygg | installera | avinstallera` (Swedish).

Exit codes: 0 done; 1 refused (Excel's folder not found, not installed, a folder that
cannot be written); 2 the template or a VBA source cannot be read or is malformed, or the
output cannot be written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_REFUSED, EXIT_BAD_INPUT = 0, 1, 2


def cmd_bygg(args: argparse.Namespace) -> int:
    from indikator_xl.addin.build import VBA_DIR, AddinError, build, write_atomic

    out = Path(args.o)
    if out.suffix.lower() != ".xlam":
        print(f"indikator-xl: tillägget måste sluta på .xlam ({out.name}).", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        data = build(Path(args.mall) if args.mall else None,
                     Path(args.vba) if args.vba else VBA_DIR)
        write_atomic(out, data)
    except AddinError as exc:
        print(f"indikator-xl: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"indikator-xl: {out} kan inte skrivas "
              f"({exc.strerror or exc}).", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"Tillägget skrevs till {out}.")
    return EXIT_OK


def cmd_installera(args: argparse.Namespace) -> int:
    from indikator_xl.addin.build import AddinError
    from indikator_xl.addin.install import install

    try:
        written = install()
    except AddinError as exc:
        print(f"indikator-xl: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    print(f"Tillägget installerades: {written[-1]}")
    for path in written[:-1]:
        print(f"Dessutom lades {path} dit (behövs för knapparna på Mac).")
    print(f"Python för knapparna: {sys.executable}. Starta om Excel; fliken Indikatorer "
          "syns i menyfliksområdet.")
    return EXIT_OK


def cmd_avinstallera(args: argparse.Namespace) -> int:
    from indikator_xl.addin.build import AddinError
    from indikator_xl.addin.install import uninstall

    try:
        removed = uninstall()
    except AddinError as exc:
        print(f"indikator-xl: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    for path in removed:
        print(f"Borttagen: {path}")
    print("Starta om Excel så försvinner fliken Indikatorer.")
    return EXIT_OK


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register `tillagg` and its three subcommands on the CLI's subparsers."""
    p = sub.add_parser("tillagg", help="bygg, installera eller avinstallera Excel-tillägget",
                       description="Excel-tillägget IndikatorXL.xlam (fliken Indikatorer). "
                                   "Slutkod 0: klart, 1: vägrade (Excels mapp hittades inte, "
                                   "inte installerat, mappen kan inte skrivas), 2: mallen "
                                   "eller VBA-koden kan inte läsas.")
    tsub = p.add_subparsers(dest="tillagg_kommando", metavar="KOMMANDO",
                            parser_class=type(p))
    tsub.required = True
    b = tsub.add_parser("bygg", help="bygg tillägget från källorna",
                        description="Bygg IndikatorXL.xlam från xlwings menyfliksmall och "
                                    "paketets VBA-kod. Samma indata ger samma fil, byte för "
                                    "byte.")
    b.add_argument("-o", metavar="FIL.xlam", default="IndikatorXL.xlam",
                   help="tillägget som ska skrivas (standard: IndikatorXL.xlam)")
    b.add_argument("--mall", metavar="FIL", help="en annan mall än xlwings "
                                                 "quickstart_addin_ribbon.xlam")
    b.add_argument("--vba", metavar="MAPP", help="en annan mapp med IndikatorXL.bas, "
                                                 "customUI.xml och xlwings.conf")
    b.set_defaults(func=cmd_bygg)
    i = tsub.add_parser("installera", help="lägg tillägget i Excels startmapp",
                        description="Kopiera tillägget till Excels startmapp (Windows: "
                                    "%%APPDATA%%\\Microsoft\\Excel\\XLSTART) med den här "
                                    "Python-miljön som tolk. Excel behöver inte vara igång.")
    i.set_defaults(func=cmd_installera)
    a = tsub.add_parser("avinstallera", help="ta bort det som installera lade dit",
                        description="Ta bort tillägget ur Excels startmapp och det som "
                                    "installera lade dit.")
    a.set_defaults(func=cmd_avinstallera)
    return p
