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


def _mark_header_row(row) -> None:  # noqa: ANN001
    """Word's "repeat as header row" (w:tblHeader), which screen readers read as the
    table's header."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)
    cant_split = OxmlElement("w:cantSplit")
    trpr.append(cant_split)


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


def _table(doc, t: Table) -> None:  # noqa: ANN001
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Cm, Pt

    doc.add_paragraph(t.caption, style="Caption")
    table = doc.add_table(rows=1 + len(t.body), cols=len(t.header))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    styles = _table_styles(doc)
    small = len(t.header) > 4
    widths = t.widths_cm or (4.2, *((TEXT_WIDTH_CM - 4.2) / (len(t.header) - 1),)
                             * (len(t.header) - 1))
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice follows
    cm_widths = [Cm(w) for w in widths]
    rows = table.rows
    for r, values in enumerate((t.header, *t.body)):
        row = rows[r]
        if r == 0:
            _mark_header_row(row)
        indented = r > 0 and r - 1 in t.indented
        cells = row.cells  # built once per row: python-docx walks the grid for each call
        for c, value in enumerate(values):
            cell = cells[c]
            cell.width = cm_widths[c]
            para = cell.paragraphs[0]
            # figures centred, prose and row labels not; the style id is set on the
            # element (python-docx's setter scans every style for each paragraph)
            para._p.style = styles[(small, c > 0 and r > 0 and len(value) <= 40)]
            if value:
                run = para.add_run(value)
                if r == 0 or (c == 0 and not indented):
                    run.bold = True
            if c == 0 and indented:
                para.paragraph_format.left_indent = Cm(0.3)
            if r == len(t.body):
                para.paragraph_format.keep_with_next = False
    if t.note:
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
