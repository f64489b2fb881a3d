"""The fast tokeniser: cell data written the plain way, read by one linear-time regular
expression (every quantifier possessive, so crafted text cannot make it backtrack)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from typing import Any, cast
from xml.etree import ElementTree

from indikator_xl.reader.convert import NotPlainError, Token

_TEXT = r"[^<>&\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*+"  # text that needs no XML parser
_NAME = r"[A-Za-z_][A-Za-z0-9_.-]*+(?::[A-Za-z_][A-Za-z0-9_.-]*+)?+"  # an attribute name, ASCII
_VALUE = r'"[^"<&\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*+"'  # an attribute value, likewise
_SCAN = re.compile(
    rf'<row r="(\d++)"(?:[ \t\r\n]++(?!r=){_NAME}={_VALUE})*+[ \t\r\n]*+(/?)>'
    r"|(</row>)"
    r'|<c r="([A-Z]{1,3}\d+)"(?: s="(\d+)")?(?: t="([a-zA-Z]+)")?'
    rf"(?:[ \t\n]*/>|>(<v>)({_TEXT})</v></c>"
    rf'|><is><t(?: xml:space="preserve")?>({_TEXT})</t></is></c>)'
    r"|[ \t\r\n]+"
    r"|(.)", re.DOTALL)
# The XML declarations the scan reads: version 1.0, UTF-8 (or no encoding: UTF-8 too).
_PLAIN_DECLARATION = re.compile(
    rb"""<\?xml[ \t\r\n]+version=(["'])1\.0\1(?:[ \t\r\n]+encoding=(["'])(?i:utf-8)\2)?"""
    rb"""(?:[ \t\r\n]+standalone=(["'])(?:yes|no)\3)?[ \t\r\n]*\?>""")
# Row tags with a prefixed attribute (`x14ac:dyDescent`; the only tags in scanned cell
# data that can carry one), and the prefixes in such a tag.
_PREFIXED_ROW = re.compile(r"<row [^<>:]*+:")
_ROW_ATTRIBUTES = re.compile(r"<row ([^<>:]*+:[^<>]*+)>")
_PREFIX = re.compile(r"(?<![\w.:-])([A-Za-z_][\w.-]*+):[\w.-]++=")


# Large cell data is scanned piece by piece, each piece ending after a `</row>` (no token
# spans one: every other token's text excludes `<`), so the token lists stay small.
PIECE = 1 << 20
_MAX_PIECE = 4 * PIECE  # a piece with no `</row>` for this long goes to the tree parser


def tokens(data: bytes) -> Iterable[Token] | None:
    """The tokens of the part's <sheetData>, or None where the scan cannot tell: another
    encoding or XML version, an entity or character reference in the cell data, no single
    plain <sheetData> element, a comment, instruction or doctype before it, a namespace
    declared or a prefix left undeclared inside it, text that is not UTF-8. The tree
    parser reads those."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # a byte-order mark
    if data.startswith(b"<?xml", start):
        declaration = _PLAIN_DECLARATION.match(data, start)
        if declaration is None:
            return None
        start = declaration.end()
    begin = data.find(b"<sheetData>")
    end = data.find(b"</sheetData>", begin)
    if begin < 0 or end < 0 or data.count(b"<sheetData") != 1:
        return None
    if data.find(b"&", begin, end) >= 0:
        # An entity or character reference (openpyxl writes non-ASCII inline text as
        # "&#246;"): the scan would stop at it after reading the whole part, so the tree
        # reads such a part from the start.
        return None
    before = data[start:begin]
    if b"<!" in before or b"<?" in before:
        # A comment, CDATA or processing instruction could hold a "<sheetData>" that is not
        # the element; a doctype may declare entities or default attributes.
        return None
    declared = root_prefixes(data[:begin])
    if declared is None:
        return None
    try:
        text = data[begin + len(b"<sheetData>"):end].decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "xmlns" in text:
        return None  # a row or cell in another namespace
    if _PREFIXED_ROW.search(text):
        prefixes = {p for tag in _ROW_ATTRIBUTES.findall(text) for p in _PREFIX.findall(tag)}
        if any(p != "xml" and p not in declared for p in prefixes):
            return None  # a prefix not declared on the root: not in scope in the cell data
    if len(text) <= PIECE:
        return _SCAN.findall(text)
    return itertools.chain.from_iterable(_pieces(text))


def _pieces(text: str) -> Iterator[list[Token]]:
    """The tokens of `text`, scanned a piece at a time (raises NotPlainError on a piece
    longer than `_MAX_PIECE`: one huge row is read by the tree parser, with its limits).
    A piece's tokens come as one list, which the caller chains at C speed."""
    start = 0
    while start < len(text):
        cut = text.find("</row>", start + PIECE)
        end = len(text) if cut < 0 else cut + len("</row>")
        if end - start > _MAX_PIECE:
            raise NotPlainError
        yield _SCAN.findall(text, start, end)
        start = end


def root_prefixes(head: bytes) -> set[str] | None:
    """The namespace prefixes declared on the root element, when `head` (the part up to
    `<sheetData>`) is well-formed so far and leaves only the root open, so that
    `<sheetData>` is the root's child; None otherwise."""
    parser: ElementTree.XMLPullParser = ElementTree.XMLPullParser(
        events=("start", "end", "start-ns"))
    try:
        parser.feed(head)
        events = list(cast(Iterator[tuple[str, Any]], parser.read_events()))
    except ElementTree.ParseError:
        return None
    depth = 0
    declared = set()
    for event, item in events:
        if event == "start":
            depth += 1
        elif event == "end":
            depth -= 1
        elif depth == 0:  # "start-ns" comes just before the start of its element
            declared.add(item[0])
    return declared if depth == 1 else None
