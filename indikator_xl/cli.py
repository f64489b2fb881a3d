"""The `indikator-xl` command line (Swedish). Exit codes follow SPEC §7.

0: done (validera: no `fel`), 1: calculation not possible / `fel` found / a file excluded,
2: the file cannot be read or an output cannot be written. 3: an internal error (a bug;
the message asks for a report). 130 Ctrl-C, 143 SIGTERM, 141 the reader of the output went
away (`| head`). The user-facing errors (`errors`) carry their exit codes; `run` maps them.
"""

from __future__ import annotations

import argparse
import codecs
import io
import itertools
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from indikator_xl.domain.errors import IndikatorError, Terminated
from indikator_xl.domain.exit_codes import (
    EXIT_BROKEN_PIPE,
    EXIT_FAIL,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_TERMINATED,
    EXIT_UNREADABLE,
)
from indikator_xl.domain.text import shown
from indikator_xl.output.output_paths import CSV, DOCX, Output, check_outputs

if TYPE_CHECKING:
    from indikator_xl.pipeline import ForbundResult

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
    from indikator_xl.domain.problems import json_text
    from indikator_xl.pipeline import validate

    result = validate(args.fil)
    if args.json:
        _write_all(json_text(result.registration.problems))
        sys.stdout.write("\n")
    else:
        _write_all(f"{line}\n" for line in result.lines())
    return result.exit_code


def _write_all(pieces: Iterable[str]) -> None:
    """Write `pieces` to stdout a thousand at a time (a million problems are printed in a
    second or two, and never held as one text)."""
    it = iter(pieces)
    while batch := list(itertools.islice(it, 1000)):
        sys.stdout.write("".join(batch))


def _result_path(args: argparse.Namespace) -> Path | None:
    """The result workbook `berakna` writes: -o, else FIL_resultat.xlsx beside FIL unless
    only CSVs were asked for."""
    if args.o:
        return Path(args.o)
    if args.export or args.export_svarsfrekvens:
        return None
    source = Path(args.fil)
    return source.with_name(f"{source.stem}_resultat.xlsx")


def cmd_berakna(args: argparse.Namespace) -> int:
    from indikator_xl.output import export

    result_path = _result_path(args)
    outputs = [Output.of(args.export, "--export", CSV) if args.export else None,
               Output.of(args.export_svarsfrekvens, "--export-svarsfrekvens", CSV)
               if args.export_svarsfrekvens else None,
               Output.of(result_path, "-o" if args.o else "Resultatfilen")
               if result_path else None]
    result = _calculate(args, [o for o in outputs if o])
    if result.analysis is None:
        return result.exit_code
    if args.export:
        export.write_csv(args.export, *result.long_table())
        print(f"Resultattabellen skrevs till {args.export}.")
    if args.export_svarsfrekvens:
        export.write_csv(args.export_svarsfrekvens, *result.rate_table())
        print(f"Svarsfrekvenserna skrevs till {args.export_svarsfrekvens}.")
    if result_path is not None:
        from indikator_xl.render.to_xlsxwriter import render

        render(result.workbook(), result_path)
        print(f"Resultatet skrevs till {result_path}.")
    return result.exit_code


def cmd_rapport(args: argparse.Namespace) -> int:
    """The local report draft (.docx) beside the input (or -o); the input is untouched."""
    source = Path(args.fil)
    out = Path(args.o) if args.o else source.with_name(f"{source.stem}_rapport.docx")
    result = _calculate(args, [Output.of(out, "-o" if args.o else "Rapporten", DOCX)])
    if result.analysis is None:
        return result.exit_code
    from indikator_xl.report.docx_writer import write
    from indikator_xl.report.local import local_report

    write(local_report(result.analysis), out)
    print(f"Rapportutkastet skrevs till {out}.")
    return EXIT_OK


def cmd_mall(args: argparse.Namespace) -> int:
    from indikator_xl.generate.template import write_template

    check_outputs([], [Output.of(args.o, "-o")])
    write_template(Path(args.o))
    print(f"Mallen skrevs till {args.o}.")
    return EXIT_OK


def cmd_exempel(args: argparse.Namespace) -> int:
    from indikator_xl.generate.example import write_example

    check_outputs([], [Output.of(args.o, "-o")])
    write_example(Path(args.o))
    print(f"Exempelfilen skrevs till {args.o}.")
    return EXIT_OK


def cmd_diagnos(args: argparse.Namespace) -> int:
    from indikator_xl.diagnos import FEL as DIAGNOS_FEL
    from indikator_xl.diagnos import report_lines, run_checks

    checks = run_checks(args.fil)
    print("\n".join(report_lines(checks)))
    return EXIT_FAIL if any(c.status == DIAGNOS_FEL for c in checks) else EXIT_OK


def cmd_sammanstall(args: argparse.Namespace) -> int:
    from indikator_xl.sammanstall import run as run_sammanstall

    return run_sammanstall(args)


def _calculate(args: argparse.Namespace, outputs: list[Output]) -> ForbundResult:
    """`berakna` and `rapport`: check the outputs, calculate with the shared options
    (`_add_calculation_inputs`) and print the messages (to stderr when nothing came of it)."""
    from indikator_xl.figures.suppression import Thresholds
    from indikator_xl.pipeline import calculate

    check_outputs([f for f in (args.fil, args.rikssnitt, args.foregaende) if f], outputs)
    thresholds = Thresholds(hide_for_unstated_gender=not args.kon_trots_ej_angivet)
    result = calculate(args.fil, rikssnitt=args.rikssnitt, previous=args.foregaende,
                       thresholds=thresholds)
    print("\n".join(result.messages), file=sys.stderr if result.analysis is None else sys.stdout)
    return result


def _add_calculation_inputs(p: argparse.ArgumentParser) -> None:
    """The options `berakna` and `rapport` share: what the result is compared with and
    the gender setting, so the report draft always follows the result workbook."""
    p.add_argument("--rikssnitt", metavar="FIL",
                   help="rikssnittsfil från NNS (annars används den publicerade rapporten)")
    p.add_argument("--foregaende", metavar="FIL",
                   help="förra periodens registreringsfil, för jämförelse över tid")
    p.add_argument("--kon-trots-ej-angivet", action="store_true",
                   help="visa kvinnor och män även när 1–4 svarande inte har angett kön "
                        "(rapporternas äldre praxis; deras svar kan då räknas fram)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="indikator-xl",
        description="NNS indikatorer: kontrollera registreringsfiler, beräkna resultat och "
                    "sammanställ nationellt.",
    )
    from indikator_xl import __version__

    parser.add_argument("--version", action="version", version=f"indikator-xl {__version__}",
                        help="visa versionen och avsluta")
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
    _add_calculation_inputs(p)
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
    _add_calculation_inputs(p)
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
    from indikator_xl.sammanstall import add_parser as add_sammanstall

    add_sammanstall(sub).set_defaults(func=cmd_sammanstall)
    from indikator_xl.addin.commands import add_parser as add_tillagg

    add_tillagg(sub)
    return parser


def _write_shown(exc: UnicodeError) -> tuple[bytes, int]:
    """The error handler of our output streams: what they cannot encode (the bytes of a
    file name that are not UTF-8) is written as `text.shown` writes it, U+FFFD (encoded
    here: the UTF-8 codec takes only ASCII text back from a handler)."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = shown(exc.object[exc.start:exc.end])
    try:
        return text.encode(exc.encoding), exc.end
    except UnicodeError:
        return b"?" * (exc.end - exc.start), exc.end


codecs.register_error("indikator-xl-shown", _write_shown)


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (also when called from Python)."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="indikator-xl-shown")
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        with _sigterm_raises():
            return func(args)
    except IndikatorError as exc:
        print(f"indikator-xl: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except Terminated:
        print("indikator-xl: avbrutet (avslutad av systemet).", file=sys.stderr)
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        print("indikator-xl: avbrutet.", file=sys.stderr)
        return EXIT_INTERRUPTED
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


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    """SIGTERM raises `Terminated` (as Ctrl-C raises KeyboardInterrupt), so that the
    atomic writer removes its temporary file; the previous handler is restored after."""
    def terminate(signum: int, frame: object) -> None:
        raise Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminate)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _quiet_stdout() -> None:
    """Send what is left of stdout nowhere: the reader (`| head`) has gone."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _internal_error(exc: BaseException) -> int:
    print(f"indikator-xl: ett internt fel inträffade ({type(exc).__name__}: {exc}). "
          "Rapportera det gärna till NNS tillsammans med filen.", file=sys.stderr)
    return EXIT_INTERNAL


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())


if __name__ == "__main__":
    main()
