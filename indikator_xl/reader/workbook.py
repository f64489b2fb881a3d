"""Reading a workbook file: every worksheet (or those asked for) as a `RawWorkbook`."""

from __future__ import annotations

import gc
import posixpath
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from indikator_xl.domain.cells import RawSheet, RawWorkbook
from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.reader import parts
from indikator_xl.reader.package import DEFAULT_LIMITS, Limits, Package, damaged
from indikator_xl.reader.sheet import parse_sheet


def read_workbook(path: str | Path, limits: Limits = DEFAULT_LIMITS,
                  want: Callable[[str], bool] | None = None) -> RawWorkbook:
    """Read every sheet (or only those whose name passes `want`) of an .xlsx/.xlsm file.

    Raises `WorkbookReadError` with a Swedish message when the file cannot be read.
    """
    path = Path(path)
    pkg = Package(path, limits)
    try:
        with _gc_paused():
            return _read(pkg, path, limits, want)
    except RecursionError:
        raise WorkbookReadError("Arbetsboken är skadad (orimligt djup XML).") from None
    finally:
        pkg.close()


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a workbook is read.

    Reading creates millions of small objects (elements, cell values, row lists) and no
    reference cycles; the collector would otherwise rescan the growing rows over and over.
    Measured on a 100 000-row sheet (1.4 million cells): 8.4 s → 2.0 s. Memory is
    unchanged (everything is freed by reference counting); the collector is restored on
    the way out, also on an error.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(pkg: Package, path: Path, limits: Limits,
          want: Callable[[str], bool] | None) -> RawWorkbook:
    wb_part = parts.workbook_part(pkg)
    root = parts.parse_xml(pkg.read(wb_part), wb_part)
    relationships = parts.relationships(pkg, wb_part)
    rels = {rid: (kind, target) for rid, kind, target in relationships}
    pr = parts.find(root, "workbookPr")
    date1904 = pr is not None and pr.get("date1904", "0") in ("1", "true")
    sheet_parts: list[tuple[str, str | None, str | None]] = []
    sheets_el = parts.find(root, "sheets")
    for sh in sheets_el if sheets_el is not None else ():
        rid = parts.rel_id(sh)
        kind, target = rels.get(rid or "", (None, None))
        sheet_parts.append((sh.get("name", ""), kind, target))
    # Parts are found by relationship type (OPC); the file name is only a fallback for a
    # relationship without a type.
    by_type = {kind: target for _, kind, target in relationships if kind}
    by_name = {posixpath.basename(t): t for _, _, t in relationships}
    sst: list[str] = []
    sst_part = by_type.get("sharedStrings") or by_name.get("sharedStrings.xml")
    if sst_part and pkg.has(sst_part):
        sst = parts.shared_strings(pkg.read(sst_part))
    styles = parts.date_styles(pkg, by_type.get("styles") or by_name.get("styles.xml"))
    out: dict[str, RawSheet] = {}
    for name, kind, part in sheet_parts:
        if want is not None and not want(name):
            continue
        if part is None:
            raise damaged(f"bladet {name} saknar sin del i filen")
        if kind != "worksheet" and (kind or not part.rpartition("/")[2].startswith("sheet")):
            continue  # chartsheets, dialog and macro sheets carry no cells we read
        out[name] = parse_sheet(pkg.read(part), name, sst, styles, date1904, limits)
    return RawWorkbook(out, modified=parts.modified(pkg), source=str(path))


def sheet_names(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """The names of all worksheets, in workbook order, without reading their cells."""
    path = Path(path)
    pkg = Package(path, limits)
    try:
        wb_part = parts.workbook_part(pkg)
        root = parts.parse_xml(pkg.read(wb_part), wb_part)
        sheets_el = parts.find(root, "sheets")
        return [sh.get("name", "") for sh in (sheets_el if sheets_el is not None else ())]
    finally:
        pkg.close()
