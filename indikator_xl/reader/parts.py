"""Finding the workbook's parts (relationships, OPC types) and reading the small ones:
the workbook, shared strings, date styles and the saved time."""

from __future__ import annotations

import posixpath
from datetime import datetime
from xml.etree import ElementTree

from indikator_xl.domain.errors import WorkbookReadError
from indikator_xl.reader import tree
from indikator_xl.reader.convert import unescape_xstring
from indikator_xl.reader.dates import BUILTIN_DATE_FORMATS, is_date_format
from indikator_xl.reader.package import Package
from indikator_xl.reader.tree import inline_text, stream, tree_through

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# "Strict Open XML" (an Excel save-as option) uses other namespace names for the same parts.
_NS_MAIN_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
_NS_REL_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"


def find(root: ElementTree.Element, name: str) -> ElementTree.Element | None:
    """The child `name` of a workbook or styles part, transitional or strict."""
    found = root.find(f"{{{_NS_MAIN}}}{name}")
    return found if found is not None else root.find(f"{{{_NS_MAIN_STRICT}}}{name}")


def rel_id(el: ElementTree.Element) -> str | None:
    return el.get(f"{{{_NS_REL}}}id") or el.get(f"{{{_NS_REL_STRICT}}}id")


_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def parse_xml(data: bytes, part: str) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise WorkbookReadError(f"Arbetsboken är skadad (ogiltig XML i {part}).") from None


def relationships(pkg: Package, part: str) -> list[tuple[str, str, str]]:
    """(id, type's last segment, resolved target) of each relationship of `part`."""
    folder, name = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", name + ".rels")
    if not pkg.has(rels_part):
        return []
    root = parse_xml(pkg.read(rels_part), rels_part)
    out = []
    for rel in root.iter(f"{{{_NS_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        if target.startswith("/"):
            resolved = target.lstrip("/")
        else:
            resolved = posixpath.normpath(posixpath.join(folder, target))
        out.append((rel.get("Id", ""), rel.get("Type", "").rpartition("/")[2], resolved))
    return out


def rels(pkg: Package, part: str) -> dict[str, str]:
    return {rid: target for rid, _, target in relationships(pkg, part)}


def workbook_part(pkg: Package) -> str:
    for rid_target in rels(pkg, "").values():
        if rid_target.endswith(".xml") and "workbook" in posixpath.basename(rid_target):
            return rid_target
    if pkg.has("xl/workbook.xml"):
        return "xl/workbook.xml"
    raise WorkbookReadError("Filen är ingen Excel-arbetsbok (workbook.xml saknas).")


def shared_strings(data: bytes) -> list[str]:
    """The shared-string table: per <si> its <t>, or its rich-text runs' <t>; phonetic
    runs are not part of the text; `_xHHHH_` escapes decoded. Parsed by ElementTree like
    the sheets."""
    strings: list[str] = []
    try:
        if len(data) <= tree.TREE_BYTES:
            root = ElementTree.fromstring(data)
            ns = root.tag[:-3] if root.tag.endswith("sst") else ""
            t_tag, r_tag = ns + "t", ns + "r"
            for si in root:
                strings.append(unescape_xstring(inline_text(si, t_tag, r_tag)))
        else:
            si_tag: str | None = None
            for _, el in stream(data, 2, "sharedStrings.xml"):
                if el.tag != si_tag:
                    if si_tag is not None or el.tag.rpartition("}")[2] != "si":
                        continue
                    si_tag = el.tag
                    t_tag, r_tag = si_tag[:-2] + "t", si_tag[:-2] + "r"
                strings.append(unescape_xstring(inline_text(el, t_tag, r_tag)))
    except ElementTree.ParseError:
        raise WorkbookReadError(
            "Arbetsboken är skadad (ogiltig XML i sharedStrings.xml).") from None
    return strings


def date_styles(pkg: Package, part: str | None) -> frozenset[int]:
    """Indexes of cell formats (cellXfs) whose number format is a date or time."""
    if not part or not pkg.has(part):
        return frozenset()
    try:
        root = tree_through(pkg.read(part), b"</cellXfs>")
    except ElementTree.ParseError:
        raise WorkbookReadError(f"Arbetsboken är skadad (ogiltig XML i {part}).") from None
    custom = {}
    numfmts = find(root, "numFmts")
    if numfmts is not None:
        for fmt in numfmts:
            try:
                custom[int(fmt.get("numFmtId", "-1"))] = fmt.get("formatCode", "")
            except ValueError:
                continue
    out = set()
    xfs = find(root, "cellXfs")
    if xfs is not None:
        for index, xf in enumerate(xfs):
            try:
                fmt_id = int(xf.get("numFmtId", "0"))
            except ValueError:
                continue
            if fmt_id in custom:
                if is_date_format(custom[fmt_id]):
                    out.add(index)
            elif fmt_id in BUILTIN_DATE_FORMATS:
                out.add(index)
    return frozenset(out)


def modified(pkg: Package) -> datetime | None:
    if not pkg.has("docProps/core.xml"):
        return None
    try:
        root = ElementTree.fromstring(pkg.read("docProps/core.xml"))
    except (ElementTree.ParseError, WorkbookReadError):
        return None
    for el in root:
        if el.tag.endswith("}modified") and el.text:
            try:
                return datetime.fromisoformat(el.text.strip().replace("Z", "+00:00"))
            except ValueError:
                return None
    return None
