"""The `indikator-xl` command line (Swedish). Exit codes follow SPEC §7.

0: done (validera: no `fel`), 1: calculation not possible / `fel` found / a file excluded,
2: the file cannot be read. 3: an internal error (a bug; the message asks for a report).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .exit_codes import EXIT_FAIL, EXIT_INTERNAL, EXIT_OK, EXIT_UNREADABLE
from .xlsx_reader import WorkbookReadError

if TYPE_CHECKING:  # the parser is built without importing pandas
    from .pipeline import ForbundResult

__all__ = ["EXIT_FAIL", "EXIT_INTERNAL", "EXIT_OK", "EXIT_UNREADABLE", "main", "run"]


class _SwedishFormatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001
        # argparse passes prefix="" when it builds a subcommand's prog; keep that.
        return super().add_usage(usage, actions, groups,
                                 prefix="användning: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("formatter_class", _SwedishFormatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument("-h", "--help", action="help", help="visa den här hjälpen och avsluta")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        message = (message.replace("the following arguments are required", "argument saknas")
                   .replace("unrecognized arguments", "okända argument")
                   .replace("invalid choice", "ogiltigt val")
                   .replace("expected one argument", "ett värde behövs"))
        self.exit(EXIT_UNREADABLE, f"{self.prog}: fel: {message}\n")


def cmd_validera(args: argparse.Namespace) -> int:
    from .pipeline import validate

    result = validate(args.fil)
    if args.json:
        json.dump(result.as_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print("\n".join(result.messages))
    return result.exit_code


def cmd_berakna(args: argparse.Namespace) -> int:
    from . import export
    from .pipeline import calculate
    from .suppression import Thresholds

    thresholds = Thresholds(hide_for_unstated_gender=not args.kon_trots_ej_angivet)
    result = calculate(args.fil, rikssnitt=args.rikssnitt, previous=args.foregaende,
                       thresholds=thresholds)
    if result.analysis is None:
        print("\n".join(result.messages), file=sys.stderr)
        return result.exit_code
    print("\n".join(result.messages))
    if args.export:
        export.write_csv(args.export, *result.long_table())
        print(f"Resultattabellen skrevs till {args.export}.")
    if args.export_svarsfrekvens:
        export.write_csv(args.export_svarsfrekvens, *result.rate_table())
        print(f"Svarsfrekvenserna skrevs till {args.export_svarsfrekvens}.")
    if args.o or not (args.export or args.export_svarsfrekvens):
        return _write_result_workbook(args, result)
    return result.exit_code


def _write_result_workbook(args: argparse.Namespace, result: ForbundResult) -> int:
    """The result workbook beside the input (or -o); the input is never touched."""
    from .render_xlsxwriter import render

    source = Path(args.fil)
    out = Path(args.o) if args.o else source.with_name(f"{source.stem}_resultat.xlsx")
    if out.suffix.lower() != ".xlsx":
        print(f"indikator-xl: resultatfilen måste sluta på .xlsx ({out.name}).",
              file=sys.stderr)
        return EXIT_UNREADABLE
    if out.resolve() == source.resolve() or (out.exists() and out.samefile(source)):
        print(f"indikator-xl: resultatet skulle skriva över registreringsfilen {source.name};"
              " välj en annan fil med -o.", file=sys.stderr)
        return EXIT_UNREADABLE
    render(result.workbook(), out)
    print(f"Resultatet skrevs till {out}.")
    return EXIT_OK


def cmd_rapport(args: argparse.Namespace) -> int:
    """The local report draft (.docx) beside the input (or -o); the input is untouched."""
    from .pipeline import calculate

    source = Path(args.fil)
    out = Path(args.o) if args.o else source.with_name(f"{source.stem}_rapport.docx")
    refused = _refuse_output(out, [args.fil, args.foregaende, args.rikssnitt], ".docx",
                             "rapporten")
    if refused:
        return refused
    result = calculate(args.fil, rikssnitt=args.rikssnitt, previous=args.foregaende)
    if result.analysis is None:
        print("\n".join(result.messages), file=sys.stderr)
        return result.exit_code
    from .report.docx_writer import write
    from .report.local import local_report

    print("\n".join(result.messages))
    write(local_report(result.analysis), out)
    print(f"Rapportutkastet skrevs till {out}.")
    return EXIT_OK


def _refuse_output(out: Path, inputs: Sequence[str | None], suffix: str, what: str) -> int:
    """EXIT_UNREADABLE with one Swedish line when `out` cannot be written: wrong suffix,
    a missing folder, or one of the input files; 0 when it can."""
    if out.suffix.lower() != suffix:
        print(f"indikator-xl: {what} måste sluta på {suffix} ({out.name}).", file=sys.stderr)
        return EXIT_UNREADABLE
    if not out.parent.is_dir():
        print(f"indikator-xl: mappen {out.parent} finns inte ({out.name}).", file=sys.stderr)
        return EXIT_UNREADABLE
    for name in inputs:
        if name is None:
            continue
        src = Path(name)
        if out.resolve() == src.resolve() or (out.exists() and src.exists()
                                              and out.samefile(src)):
            print(f"indikator-xl: {what} skulle skriva över indatafilen {src.name}; "
                  "välj en annan fil med -o.", file=sys.stderr)
            return EXIT_UNREADABLE
    return 0


def cmd_mall(args: argparse.Namespace) -> int:
    from .template import write_template

    write_template(Path(args.o))
    print(f"Mallen skrevs till {args.o}.")
    return EXIT_OK


def cmd_exempel(args: argparse.Namespace) -> int:
    from .example import write_example

    write_example(Path(args.o))
    print(f"Exempelfilen skrevs till {args.o}.")
    return EXIT_OK


def cmd_diagnos(args: argparse.Namespace) -> int:
    from .diagnos import FEL as DIAGNOS_FEL
    from .diagnos import report_lines, run_checks

    checks = run_checks(args.fil)
    print("\n".join(report_lines(checks)))
    return EXIT_FAIL if any(c.status == DIAGNOS_FEL for c in checks) else EXIT_OK


def cmd_sammanstall(args: argparse.Namespace) -> int:
    from .sammanstall import run as run_sammanstall

    return run_sammanstall(args)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="indikator-xl",
        description="NNS indikatorer: kontrollera registreringsfiler, beräkna resultat och "
                    "sammanställ nationellt.",
    )
    sub = parser.add_subparsers(dest="kommando", metavar="KOMMANDO", parser_class=_Parser)
    sub.required = True
    p = sub.add_parser("validera", help="kontrollera en registreringsfil och lista alla problem",
                       description="Kontrollera en registreringsfil och lista varje problem med "
                                   "blad och cell. Slutkod 0: inga fel, 1: fel finns, 2: filen "
                                   "kan inte läsas.")
    p.add_argument("fil", help="registreringsfilen (.xlsx/.xlsm)")
    p.add_argument("--json", action="store_true", help="skriv problemen som JSON")
    p.set_defaults(func=cmd_validera)
    p = sub.add_parser("berakna", help="beräkna resultat för en registreringsfil",
                       description="Beräkna nyckeltal, signifikans, svarsfrekvens och "
                                   "jämförelse med rikssnittet. Slutkod 0: resultat skrivet, "
                                   "1: beräkningen kan inte göras (förbund eller mätperiod "
                                   "saknas), 2: filen kan inte läsas.")
    p.add_argument("fil", help="registreringsfilen (.xlsx/.xlsm)")
    p.add_argument("-o", metavar="UT.xlsx",
                   help="resultatfilen (standard: FIL_resultat.xlsx bredvid FIL; med bara "
                        "--export/--export-svarsfrekvens skrivs ingen resultatfil utan -o)")
    p.add_argument("--export", metavar="UT.csv", help="skriv resultattabellen som CSV")
    p.add_argument("--export-svarsfrekvens", metavar="UT.csv",
                   help="skriv svarsfrekvenserna som CSV")
    p.add_argument("--rikssnitt", metavar="FIL",
                   help="rikssnittsfil från NNS (annars används den publicerade rapporten)")
    p.add_argument("--foregaende", metavar="FIL",
                   help="förra periodens registreringsfil, för jämförelse över tid")
    p.add_argument("--kon-trots-ej-angivet", action="store_true",
                   help="visa kvinnor och män även när 1–4 svarande inte har angett kön "
                        "(rapporternas äldre praxis; deras svar kan då räknas fram)")
    p.set_defaults(func=cmd_berakna)
    p = sub.add_parser("rapport", help="skriv ett utkast till indikatorrapporten (Word)",
                       description="Beräkna resultatet och skriv ett utkast till förbundets "
                                   "indikatorrapport som Word-fil: svarsfrekvens, en tabell "
                                   "per mått, diagram, sammanfattning och förslag till "
                                   "kommentarer att skriva om. Slutkod 0: rapporten skriven, "
                                   "1: beräkningen kan inte göras, 2: en fil kan inte läsas "
                                   "eller skrivas.")
    p.add_argument("fil", help="registreringsfilen (.xlsx/.xlsm)")
    p.add_argument("-o", metavar="RAPPORT.docx",
                   help="rapportfilen (standard: FIL_rapport.docx bredvid FIL)")
    p.add_argument("--rikssnitt", metavar="FIL",
                   help="rikssnittsfil från NNS (annars används den publicerade rapporten)")
    p.add_argument("--foregaende", metavar="FIL",
                   help="förra periodens registreringsfil, för jämförelse över tid")
    p.set_defaults(func=cmd_rapport)
    p = sub.add_parser("mall", help="skriv en tom registreringsfil (mallen)")
    p.add_argument("-o", metavar="FIL", required=True, help="filen som ska skrivas")
    p.set_defaults(func=cmd_mall)
    p = sub.add_parser("exempel", help="skriv exempelfilen med påhittade svar")
    p.add_argument("-o", metavar="FIL", required=True, help="filen som ska skrivas")
    p.set_defaults(func=cmd_exempel)
    p = sub.add_parser("diagnos", help="kontrollera kopplingen mellan Excel och Python",
                       description="Visa Python- och xlwings-version, tilläggets och "
                                   "arbetsbokens xlwings-version och kända lösningar. "
                                   "Slutkod 0: inga fel, 1: fel hittades.")
    p.add_argument("fil", nargs="?", help="en arbetsbok eller ett tillägg att kontrollera")
    p.set_defaults(func=cmd_diagnos)
    from .sammanstall import add_parser as add_sammanstall

    add_sammanstall(sub).set_defaults(func=cmd_sammanstall)
    from .addin.commands import add_parser as add_tillagg

    add_tillagg(sub)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also when called from Python)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except WorkbookReadError as exc:
        print(f"indikator-xl: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        print("indikator-xl: avbrutet.", file=sys.stderr)
        return EXIT_INTERNAL
    except MemoryError:
        print("indikator-xl: minnet räckte inte till för filen.", file=sys.stderr)
        return EXIT_UNREADABLE
    except OSError as exc:
        if exc.filename is None:
            return _internal_error(exc)
        print(f"indikator-xl: filen {exc.filename} kunde inte läsas eller skrivas: "
              f"{exc.strerror or exc}.", file=sys.stderr)
        return EXIT_UNREADABLE
    except Exception as exc:  # noqa: BLE001 - a traceback in front of a user is a bug
        return _internal_error(exc)


def _internal_error(exc: BaseException) -> int:
    print(f"indikator-xl: ett internt fel inträffade ({type(exc).__name__}: {exc}). "
          "Rapportera det gärna till NNS tillsammans med filen.", file=sys.stderr)
    return EXIT_INTERNAL


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())


if __name__ == "__main__":
    main()
