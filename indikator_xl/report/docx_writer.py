"""Draw a report `Document` as a Word file (python-docx); the only module that knows Word.

Accessible by construction: headings use Word's Heading styles, every table's first row
is a marked header row repeated on each page, every picture has its alternative text
(descr), and the document's title and language (sv-SE) are set in the core properties
and the styles. Drafted text gets its own paragraph style, "Utkast" (green italic), so
the author can find and restyle or delete it. Written atomically.
"""

from __future__ import annotations

import io
from pathlib import Path

from indikator_xl.output.atomic import atomic_write
from indikator_xl.report import figures
from indikator_xl.report.model import Document, Figure, Heading, Paragraph, Table

LANGUAGE = "sv-SE"
DRAFT_STYLE = "Utkast"
PLACEHOLDER_STYLE = "Att fylla i"
TABLE_STYLE = "Tabelltext"
DRAFT_COLOUR = "2E6B30"        # green, 6.4:1 against white
PLACEHOLDER_COLOUR = "9C2A00"  # dark red, 7.4:1 against white
TEXT_WIDTH_CM = 17.0           # A4 with 2 cm margins


def _set_language(element, language: str = LANGUAGE) -> None:  # noqa: ANN001
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    rpr = element.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        element.append(rpr)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    for attr in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attr), language)


def _styles(doc) -> None:  # noqa: ANN001
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(11)
    _set_language(normal.element)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            _set_language(rpr_default)
    for name, colour in ((DRAFT_STYLE, DRAFT_COLOUR), (PLACEHOLDER_STYLE, PLACEHOLDER_COLOUR)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        style.font.italic = name == DRAFT_STYLE
        style.font.bold = name == PLACEHOLDER_STYLE
        style.font.color.rgb = RGBColor.from_string(colour)
        style.quick_style = True
    caption = styles["Caption"]
    caption.font.size = Pt(10)
    caption.font.italic = False
    caption.font.bold = True
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.paragraph_format.keep_with_next = True


def _table_styles(doc) -> dict[tuple[bool, bool], str]:  # noqa: ANN001
    """Paragraph styles of table cells by (small, centred): 9 or 10 pt, no space after,
    kept with the next paragraph so a table stays on one page where it fits. Setting
    one style per cell is much faster than formatting each paragraph and run."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    out = {}
    for small in (False, True):
        for centred in (False, True):
            name = TABLE_STYLE + (" liten" if small else "") + (" centrerad" if centred
                                                                 else "")
            try:
                style = doc.styles[name]
            except KeyError:
                style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
                style.base_style = doc.styles["Normal"]
                style.font.size = Pt(9 if small else 10)
                fmt = style.paragraph_format
                fmt.space_after = Pt(0)
                fmt.keep_with_next = True
                if centred:
                    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            out[(small, centred)] = style.style_id
    return out


def _cm_twips(cm: float) -> int:
    return round(cm / 2.54 * 1440)


def _paragraph_xml(text: str, style: str, bold: bool, indent: bool, keep: bool) -> str:
    from xml.sax.saxutils import escape

    ppr = f'<w:pStyle w:val="{style}"/>' + ("" if keep else '<w:keepNext w:val="0"/>')
    if indent:
        ppr += f'<w:ind w:left="{_cm_twips(0.3)}"/>'
    run = ""
    if text:
        body = '</w:t><w:br/><w:t xml:space="preserve">'.join(
            escape(line) for line in text.split("\n"))
        run = ("<w:r>" + ("<w:rPr><w:b/></w:rPr>" if bold else "")
               + f'<w:t xml:space="preserve">{body}</w:t></w:r>')
    return f"<w:p><w:pPr>{ppr}</w:pPr>{run}</w:p>"


def _table(doc, t: Table) -> None:  # noqa: ANN001
    """The table as WordprocessingML written in one piece (python-docx's cell API costs
    milliseconds per cell): Table Grid, centred, fixed column widths (the grid, which
    LibreOffice follows, and each cell's width, which Word follows), the header row
    marked as such, one paragraph style per cell."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc.add_paragraph(t.caption, style="Caption")
    styles = _table_styles(doc)
    small = len(t.header) > 4
    widths = t.widths_cm or (4.2, *((TEXT_WIDTH_CM - 4.2) / (len(t.header) - 1),)
                             * (len(t.header) - 1))
    twips = [_cm_twips(w) for w in widths]
    grid_style = doc.styles["Table Grid"].style_id
    xml = [f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblStyle w:val=\"{grid_style}\"/>"
           '<w:tblW w:type="auto" w:w="0"/><w:jc w:val="center"/>'
           '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" '
           'w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" '
           'w:noVBand="1"/></w:tblPr><w:tblGrid>']
    xml += [f'<w:gridCol w:w="{w}"/>' for w in twips]
    xml.append("</w:tblGrid>")
    for r, values in enumerate((t.header, *t.body)):
        indented = r > 0 and r - 1 in t.indented
        # Word's "repeat as header row", which screen readers read as the table's header
        xml.append("<w:tr>" + ('<w:trPr><w:tblHeader w:val="true"/><w:cantSplit/></w:trPr>'
                               if r == 0 else ""))
        for c, value in enumerate(values):
            # figures centred, prose and row labels not; keep a table on one page (and
            # with its caption) where it fits
            style = styles[(small, c > 0 and r > 0 and len(value) <= 40)]
            bold = r == 0 or (c == 0 and not indented)
            para = _paragraph_xml(value, style, bold, c == 0 and indented, r < len(t.body))
            xml.append(f'<w:tc><w:tcPr><w:tcW w:w="{twips[c]}" w:type="dxa"/></w:tcPr>'
                       f"{para}</w:tc>")
        xml.append("</w:tr>")
    xml.append("</w:tbl>")
    doc.element.body._insert_tbl(parse_xml("".join(xml)))
    if t.note:
        from docx.shared import Pt

        note = doc.add_paragraph()
        run = note.add_run(t.note)
        run.font.size = Pt(8)


def _figure(doc, f: Figure) -> None:  # noqa: ANN001
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm

    doc.add_paragraph(f.caption, style="Caption")
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = para.add_run()
    run.add_picture(io.BytesIO(figures.png(f)), width=Cm(15.5))
    for doc_pr in run._r.iter(qn("wp:docPr")):
        doc_pr.set("descr", f.alt_text)
        doc_pr.set("title", f.caption)



def build(document: Document):  # noqa: ANN201 - docx.Document is created lazily
    """The python-docx document of a report description."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    _styles(doc)
    props = doc.core_properties
    props.title = document.title
    props.subject = document.subject
    props.author = document.author
    props.language = LANGUAGE
    props.keywords = "indikatorer, finansiell samordning, utkast"
    doc.add_paragraph(document.title, style="Title")
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Paragraph):
            style = (DRAFT_STYLE if block.draft else PLACEHOLDER_STYLE if block.placeholder
                     else "List Bullet" if block.bullet else None)
            doc.add_paragraph(block.text, style=style)
        elif isinstance(block, Table):
            _table(doc, block)
        elif isinstance(block, Figure):
            _figure(doc, block)
    return doc


def write(document: Document, path: str | Path) -> Path:
    """Write the report as .docx at `path`, atomically (temporary file, then rename)."""
    path = Path(path)
    doc = build(document)
    with atomic_write(path) as tmp:
        doc.save(str(tmp))
    return path
