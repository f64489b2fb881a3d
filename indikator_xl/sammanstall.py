"""`indikator-xl sammanstall`: the national merge from the command line (Swedish).

Reads the folder with a progress bar on a terminal, writes the national result workbook,
the rikssnitt workbook, the SPEC §7 long table (`forbund` = Riket) and the national
report draft (Word), lists the files
that were left out and ends with one summary line. Exit codes: 0 every file included,
1 a file excluded, 2 nothing could be merged (then nothing is written).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from indikator_xl.output.output_paths import CSV, DOCX, Output, check_outputs

if TYPE_CHECKING:  # the CLI builds its parser without importing pandas
    from indikator_xl.figures.national import NationalResult


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register the subcommand on the CLI's subparsers."""
    p = sub.add_parser(
        "sammanstall", help="sammanställ alla förbunds registreringsfiler nationellt",
        description="Läs alla registreringsfiler (.xlsx/.xlsm) i en mapp, kontrollera dem och "
                    "sammanställ den nationella rapportens tabeller och rikssnittet. En fil som "
                    "inte kan läsas, saknar förbund eller mätperiod eller gäller en annan "
                    "mätperiod ingår inte; har ett förbund lämnat in två gånger räknas den "
                    "senast sparade filen. Mätperioden är den vanligaste bland filerna (vid "
                    "lika antal den senaste) om inte --matperiod anges. Slutkod 0: alla filer "
                    "ingår, 1: någon fil ingår inte, 2: inget kunde sammanställas.")
    p.add_argument("mapp", help="mappen med inlämnade registreringsfiler")
    p.add_argument("-o", metavar="FIL", required=True,
                   help="det nationella resultatet som ska skrivas (.xlsx)")
    p.add_argument("--rikssnitt-ut", metavar="FIL",
                   help="skriv rikssnittsfilen som förbunden använder med berakna --rikssnitt")
    p.add_argument("--foregaende", metavar="FIL",
                   help="förra periodens nationella resultat (annars används de publicerade "
                        "siffrorna för tidigare år)")
    p.add_argument("--export", metavar="UT.csv",
                   help="skriv resultattabellen för riket som CSV (SPEC §7)")
    p.add_argument("--rapport", metavar="FIL.docx",
                   help="skriv ett utkast till den nationella indikatorrapporten (Word)")
    p.add_argument("--matperiod", metavar="ÅR", type=positive_int,
                   help="mätperioden som ska sammanställas (annars den vanligaste i mappen)")
    p.add_argument("--antal-forbund", metavar="N", type=positive_int,
                   help="antal samordningsförbund i landet under mätperioden (Tabell 22)")
    return p


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} är inget positivt heltal")
    return value


def _outputs(args: argparse.Namespace) -> list[Output]:
    return [o for o in (
        Output.of(args.o, "-o"),
        Output.of(args.rikssnitt_ut, "--rikssnitt-ut") if args.rikssnitt_ut else None,
        Output.of(args.export, "--export", CSV) if args.export else None,
        Output.of(args.rapport, "--rapport", DOCX) if args.rapport else None) if o]


def _inputs(args: argparse.Namespace, outputs: list[Output]) -> list[Path]:
    """Every file the merge reads: --foregaende and the submissions in the folder. An
    earlier output of ours in the folder (a national result or rikssnitt file named as an
    output now) is not read but replaced."""
    from indikator_xl.validation.intake import list_workbooks, output_kind

    read = [Path(args.foregaende)] if args.foregaende else []
    folder = Path(args.mapp)
    if not folder.is_dir():
        return read
    for path in list_workbooks(folder):
        named = any(_same_file(path, o.path) for o in outputs)
        if not (named and output_kind(path)):
            read.append(path)
    return read


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # either is missing or a broken link
        return False


def run(args: argparse.Namespace) -> int:
    """Merge, write the outputs and return the exit code."""
    from indikator_xl.figures.national import merge_folder
    from indikator_xl.progress import ProgressBar

    outputs = _outputs(args)
    check_outputs(_inputs(args, outputs), outputs)
    bar = ProgressBar("Läser filer")
    try:
        not_read = [*(o.path for o in outputs), *([args.foregaende] if args.foregaende else [])]
        result = merge_folder(args.mapp, args.foregaende, period=args.matperiod,
                              forbund_nationellt=args.antal_forbund, progress=bar,
                              exclude=not_read)
    finally:
        bar.close()
    for s in result.excluded:
        print(f"{s.name}: {s.reason}")
    if not result.merged:
        print(result.summary_line(), file=sys.stderr)
        return result.exit_code
    write_outputs(result, args.o, args.rikssnitt_ut, args.export, args.rapport)
    for note in result.notes:
        print(f"Obs: {note}")
    print(result.summary_line())
    return result.exit_code


def write_outputs(result: NationalResult, workbook: str, rikssnitt: str | None,
                  export_csv: str | None, report: str | None = None) -> None:
    """Write the national result, and the rikssnitt workbook, the long table and the
    report draft if asked."""
    from indikator_xl.figures.national import RIKET
    from indikator_xl.render.to_xlsxwriter import render
    from indikator_xl.sheets.national_sheets import national_workbook

    render(national_workbook(result), workbook)
    print(f"Det nationella resultatet skrevs till {workbook}.")
    if rikssnitt:
        from indikator_xl.sheets.rikssnitt_sheets import rikssnitt_workbook

        if result.rikssnitt is not None:
            render(rikssnitt_workbook(result.rikssnitt), rikssnitt)
        print(f"Rikssnittet skrevs till {rikssnitt}.")
    if export_csv:
        from indikator_xl.output import export

        export.write_csv(export_csv, export.long_columns(result.has_previous),
                         export.long_table(result.table, RIKET, result.merged_period,
                                           result.has_previous))
        print(f"Resultattabellen för riket skrevs till {export_csv}.")
    if report:
        from indikator_xl.report.docx_writer import write
        from indikator_xl.report.national import national_report

        write(national_report(result), report)
        print(f"Rapportutkastet skrevs till {report}.")
