"""Write .xlsx packages part by part, for reader tests and benchmarks.

`package` builds a minimal but complete workbook from raw sheet XML (so a test controls
every byte the reader sees: shared strings, inline strings, error cells, formulas with and
without a cached value, styles, missing `r` attributes, namespace prefixes, the 1904 date
system). `to_shared_strings` re-saves an openpyxl-written workbook the way Excel and
LibreOffice store text: every inline string becomes an index into xl/sharedStrings.xml.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_WB_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_STYLES_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
_SST_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = f"{REL}/sharedStrings"

# cellXfs of `STYLES`: 0 General, 1 built-in 14 (date), 2 custom 164 "yyyy-mm-dd hh:mm",
# 3 custom 165 '0.0" dagar"' (a "d" only inside quotes: not a date), 4 custom 166
# "[Red]0.00" (a "d" only inside brackets: not a date), 5 built-in 2 "0.00", 6 built-in 21
# "h:mm:ss" (time), 7 custom 167 "[$-41D]d mmmm yyyy" (Swedish long date).
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN}">
<numFmts count="4">
<numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/>
<numFmt numFmtId="165" formatCode="0.0&quot; dagar&quot;"/>
<numFmt numFmtId="166" formatCode="[Red]0.00"/>
<numFmt numFmtId="167" formatCode="[$-41D]d mmmm yyyy"/>
</numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="8">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="21" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>
"""


def sheet_xml(rows_xml: str, prefix: str = "") -> str:
    """A worksheet part around `rows_xml` (the content of <sheetData>). With a `prefix`
    every element is written as `prefix:name` (the namespace bound to that prefix)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f"xmlns:{prefix}" if prefix else "xmlns"
    if prefix:
        rows_xml = re.sub(r"<(/?)(?!/)([a-zA-Z]+)([\s>/])", rf"<\1{p}\2\3", rows_xml)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<{p}worksheet {xmlns}="{MAIN}" xmlns:r="{REL}"><{p}sheetData>{rows_xml}'
            f"</{p}sheetData></{p}worksheet>")


def shared_strings_xml(items: Sequence[str]) -> str:
    """sharedStrings.xml from raw <si> contents (e.g. "<t>Ja</t>" or rich-text runs)."""
    body = "".join(f"<si>{item}</si>" for item in items)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<sst xmlns="{MAIN}" count="{len(items)}" uniqueCount="{len(items)}">{body}</sst>')


def package(path: Path, sheets: Mapping[str, str], *, shared_strings: str | None = None,
            styles: str | None = STYLES, date1904: bool = False,
            workbook_prefix: str = "") -> Path:
    """Write a workbook whose sheets are the given worksheet XML strings, in order."""
    names = list(sheets)
    p = f"{workbook_prefix}:" if workbook_prefix else ""
    xmlns = f"xmlns:{workbook_prefix}" if workbook_prefix else "xmlns"
    pr = f'<{p}workbookPr date1904="1"/>' if date1904 else f"<{p}workbookPr/>"
    sheet_els = "".join(f"<{p}sheet name={quoteattr(n)} sheetId=\"{i}\" r:id=\"rId{i}\"/>"
                        for i, n in enumerate(names, 1))
    workbook = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<{p}workbook {xmlns}="{MAIN}" xmlns:r="{REL}">{pr}<{p}sheets>{sheet_els}'
                f"</{p}sheets></{p}workbook>")
    rels = [f'<Relationship Id="rId{i}" Type="{REL}/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(names) + 1)]
    overrides = [f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_CT}"/>'
                 for i in range(1, len(names) + 1)]
    n = len(names)
    if styles is not None:
        n += 1
        rels.append(f'<Relationship Id="rId{n}" Type="{REL}/styles" Target="styles.xml"/>')
        overrides.append(f'<Override PartName="/xl/styles.xml" ContentType="{_STYLES_CT}"/>')
    if shared_strings is not None:
        n += 1
        rels.append(f'<Relationship Id="rId{n}" Type="{_SST_REL}" Target="sharedStrings.xml"/>')
        overrides.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_CT}"/>')
    content_types = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     f'<Types xmlns="{CT}"><Default Extension="rels" ContentType='
                     f'"application/vnd.openxmlformats-package.relationships+xml"/>'
                     f'<Default Extension="xml" ContentType="application/xml"/>'
                     f'<Override PartName="/xl/workbook.xml" ContentType="{_WB_CT}"/>'
                     f'{"".join(overrides)}</Types>')
    root_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                 f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    wb_rels = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               f'<Relationships xmlns="{PKG_REL}">{"".join(rels)}</Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", content_types)
        z.writestr("_rels/.rels", root_rels)
        z.writestr("xl/workbook.xml", workbook)
        z.writestr("xl/_rels/workbook.xml.rels", wb_rels)
        if styles is not None:
            z.writestr("xl/styles.xml", styles)
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
        for i, name in enumerate(names, 1):
            z.writestr(f"xl/worksheets/sheet{i}.xml", sheets[name])
    return path


_INLINE = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is>(.*?)</is></c>', re.DOTALL)


def to_shared_strings(src: Path, dst: Path) -> Path:
    """Copy an openpyxl-written workbook, storing every inline string in a shared-string
    table instead (as Excel and LibreOffice save text). Cell values are unchanged."""
    table: dict[bytes, int] = {}

    def shared(m: re.Match) -> bytes:
        index = table.setdefault(m.group(3), len(table))
        return b'<c ' + m.group(1) + b't="s"' + m.group(2) + b"><v>%d</v></c>" % index

    with zipfile.ZipFile(src) as zin:
        parts = {i.filename: zin.read(i) for i in zin.infolist()}
    for name in list(parts):
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            parts[name] = _INLINE.sub(shared, parts[name])
    items = b"".join(b"<si>" + k + b"</si>" for k in table)
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + f'<sst xmlns="{MAIN}" count="{len(table)}" uniqueCount="{len(table)}">'.encode()
        + items + b"</sst>")
    rels = parts["xl/_rels/workbook.xml.rels"]
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        b"</Relationships>",
        f'<Relationship Type="{_SST_REL}" Target="sharedStrings.xml" Id="rIdSst"/>'
        "</Relationships>".encode())
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_SST_CT}"/></Types>'.encode())
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return dst


def inline(text: str) -> str:
    """The <is> content of an inline string cell."""
    return f"<t xml:space=\"preserve\">{escape(text)}</t>"


def rezip(data: bytes, change: Callable[[str, bytes], bytes | None],
          method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A copy of the zip `data` with each part passed through `change(name, content)`;
    None leaves the part out."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", method) as dst:
        for info in src.infolist():
            content = change(info.filename, src.read(info))
            if content is not None:
                dst.writestr(info.filename, content)
    return out.getvalue()
