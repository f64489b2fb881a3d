"""One worksheet part to a `RawSheet`: the scan where it can, the tree otherwise."""

from __future__ import annotations

from xml.etree import ElementTree

from indikator_xl.domain.cells import RawSheet
from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.reader import scan, tree
from indikator_xl.reader.convert import NotPlainError, sheet_from_tokens
from indikator_xl.reader.package import Limits


def parse_sheet(data: bytes, name: str, sst: list[str], date_styles: frozenset[int],
                 date1904: bool, limits: Limits) -> RawSheet:
    """The cells of one worksheet part.

    Cell data as Excel, LibreOffice and openpyxl write it (rows and cells with their
    attributes in the usual order; values, shared-string indexes and plain inline text
    with no entity, comment, formula or rich text) is read by one regular-expression scan,
    about twice as fast as building elements (`bench/bench_read.py`); a large part a piece
    at a time (`scan.PIECE`), so its token lists stay small. Anything else in the cell data
    goes to ElementTree's C parser: whole, or (every part larger than `tree.TREE_BYTES`) fed
    in chunks with each row dropped once read, so memory stays bounded. Both
    produce the same tokens for one conversion loop; the tests run every hand-written sheet
    through both.
    """
    tokens = scan.tokens(data)
    if tokens is not None:
        try:
            return sheet_from_tokens(tokens, name, sst, date_styles, date1904, limits)
        except (NotPlainError, WorkbookReadError):
            pass  # a damaged part is judged by the tree, which also checks the XML after it
    try:
        return sheet_from_tokens(tree.tokens(data, name), name, sst, date_styles, date1904,
                                  limits)
    except ElementTree.ParseError:
        raise WorkbookReadError(f"Arbetsboken är skadad (ogiltig XML i bladet {name}).") from None
