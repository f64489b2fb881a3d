"""Saving an openpyxl workbook so that the same workbook gives the same bytes.

openpyxl stamps ``dcterms:modified`` with the current time and the zip entries with the
current clock; the template, the example and the golden test workbooks must rebuild
byte for byte, so both are fixed here.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.xml.functions import tostring

from indikator_xl.output.atomic import atomic_write

_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def save_reproducible(wb: Workbook, path: str | Path) -> Path:
    """Save `wb` so that the same workbook gives the same bytes.

    openpyxl stamps ``dcterms:modified`` with the current time and the zip entries with the
    current clock; here both are fixed: the modified time is the workbook's own
    ``properties.modified`` (set by the builder) and zip entries get 1980-01-01.
    """
    path = Path(path)
    modified = wb.properties.modified
    buffer = io.BytesIO()
    wb.save(buffer)
    wb.properties.modified = modified
    core = _core_xml(wb)
    buffer.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = core if info.filename == "docProps/core.xml" else src.read(info.filename)
            entry = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, data)
    with atomic_write(path) as tmp:
        tmp.write_bytes(out.getvalue())
    return path


def _core_xml(wb: Workbook) -> bytes:
    return tostring(wb.properties.to_tree())
