"""The general tokeniser: ElementTree's C parser, whole for small parts and streamed with
bounded memory for large ones."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast
from xml.etree import ElementTree

from indikator_xl.reader.convert import Token
from indikator_xl.reader.package import damaged

CHUNK = 1 << 16
TREE_BYTES = 4 * 1024 * 1024  # parse a sheet part whole up to this size, else in chunks
# Elements inside one row (cells and what they hold) or one shared string when streamed:
# a full row of 16 384 cells with a value, a formula and rich inline text stays far below.
_MAX_SUBTREE = 16 * 16_384


def tokens(data: bytes, name: str) -> Iterator[Token]:
    """The tokens of a sheet part as ElementTree parses it (any namespace prefix, any
    attribute order, entities, formulas, rich text)."""
    tags: tuple[str, ...] = ()
    for row_el in _row_elements(data, name):
        if not tags:
            ns = row_el.tag[:-3]  # the first row fixes the sheet's namespace
            tags = (ns + "v", ns + "f", ns + "is", ns + "t", ns + "r")
            v_tag, f_tag, is_tag, t_tag, r_tag = tags
        # An empty r is written '""' so that it reads as a bad row number or reference, not
        # as "no row" or "no cell" (the places' empty value).
        yield (row_el.get("r") or ('""' if row_el.get("r") == "" else None),
               "", "", "", "", "", "", "", "", "")
        for c in row_el:
            kind = c.get("t") or ""
            inline = text = vtag = ""
            if kind == "inlineStr":
                inline = inline_text(c.find(is_tag), t_tag, r_tag)
            else:
                v = c.find(v_tag)
                if v is not None and (v.text or kind == "str" or kind == "s"):
                    vtag, text = "<v>", v.text or ""
                elif c.find(f_tag) is not None:
                    vtag = "<f>"
            ref = c.get("r")
            yield ("", "", "", '""' if ref == "" else ref, c.get("s") or "", kind, vtag, text,
                   inline, "")
        yield ("", "", "</row>", "", "", "", "", "", "", "")


def _row_elements(data: bytes, name: str) -> Iterator[ElementTree.Element]:
    """The <row> elements of a sheet part's <sheetData>, in document order.

    Up to `TREE_BYTES` the part is parsed whole; a larger one is streamed (`stream`),
    through the end of <sheetData> as `tree_through` parses a small one.
    """
    if len(data) <= TREE_BYTES:
        for part in tree_through(data, b"</sheetData>"):
            if part.tag.rpartition("}")[2] == "sheetData":
                yield from (el for el in part if el.tag.rpartition("}")[2] == "row")
        return
    row_tag = None
    for parent, el in stream(data, 3, f"bladet {name}"):
        if parent.tag.rpartition("}")[2] != "sheetData":
            if row_tag is not None:
                return  # past the end of <sheetData>
            continue
        tag = el.tag
        if tag != row_tag:
            if row_tag is not None or tag.rpartition("}")[2] != "row":
                continue
            row_tag = tag
        yield el


def stream(data: bytes, depth: int, where: str
            ) -> Iterator[tuple[ElementTree.Element, ElementTree.Element]]:
    """(parent, element) for every element at `depth` (the root is 1), parsed in chunks.

    Memory stays bounded whatever the part holds: each element is dropped from its parent
    once the caller has read it (so are elements that end higher up), and an element at
    `depth` with more than `_MAX_SUBTREE` elements inside it is damage.
    """
    parser: ElementTree.XMLPullParser = ElementTree.XMLPullParser(events=("start", "end"))
    stack: list[ElementTree.Element] = []
    inside = 0
    for offset in range(0, len(data), CHUNK):
        parser.feed(data[offset:offset + CHUNK])
        events = cast(Iterator[tuple[str, Any]], parser.read_events())
        for event, el in events:
            if event == "start":
                stack.append(el)
                if len(stack) > depth:
                    inside += 1
                    if inside > _MAX_SUBTREE:
                        raise damaged(f"orimligt många element i {where}")
                continue
            stack.pop()
            level = len(stack) + 1
            if level == depth:
                yield stack[-1], el
                inside = 0
            if level <= depth and stack:
                del stack[-1][:]
    parser.close()


# An element's start tag, with any prefix: `<worksheet `, `<x:styleSheet>` …
_ROOT_START = re.compile(rb"<((?:[A-Za-z_][\w.-]*+:)?+[A-Za-z_][\w.-]*+)[\s>/]")


def tree_through(data: bytes, end_tag: bytes) -> ElementTree.Element:
    """The parsed part, read only through the first `end_tag` where that is safe.

    What follows the element we need is not parsed: after `</sheetData>` come data
    validations, conditional formats and page setup (a third of a registration sheet);
    after `</cellXfs>` the table and slicer styles. The part is cut after the first
    `end_tag` and closed with the root's end tag. A cut that is not a clean element
    boundary (inside a comment or CDATA) does not parse, and the whole part is parsed
    instead; a cut that parses is a prefix of the same document, so it holds the same
    elements up to the cut.
    """
    end = data.find(end_tag)
    if end > 0:
        # The first start tag; the XML declaration, comments and a doctype (`<?`, `<!`)
        # do not match. One inside a comment gives a cut that does not parse.
        root = _ROOT_START.search(data, 0, end)
        if root is not None:
            try:
                return ElementTree.fromstring(
                    b"".join((data[:end + len(end_tag)], b"</", root.group(1), b">")))
            except ElementTree.ParseError:
                pass
    return ElementTree.fromstring(data)


def inline_text(is_el: ElementTree.Element | None, t_tag: str, r_tag: str) -> str:
    """The text of an inline string: its <t>, or its rich-text runs' <t>; phonetic runs
    (<rPh>) are not part of the value."""
    if is_el is None:
        return ""
    parts = []
    for child in is_el:
        if child.tag == t_tag:
            parts.append(child.text or "")
        elif child.tag == r_tag:
            t = child.find(t_tag)
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts)
