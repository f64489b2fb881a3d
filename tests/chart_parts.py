"""Charts of a saved workbook as plain data, for tests: what openpyxl reads back from the
chart parts, plus the alternative text (`descr`), which openpyxl's reader drops and is
read here from the drawing parts."""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import openpyxl

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
       "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type's last word, absolute part name) of a part."""
    folder, name = posixpath.split(part)
    path = f"{folder}/_rels/{name}.rels"
    if path not in z.namelist():
        return {}
    out = {}
    for rel in ET.fromstring(z.read(path)).findall("pr:Relationship", _NS):
        target = rel.get("Target", "")
        full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], full)
    return out


def descriptions(path: Path) -> dict[str, list[str]]:
    """Per sheet, the `descr` of each chart frame in drawing order ("" when absent)."""
    out: dict[str, list[str]] = {}
    with zipfile.ZipFile(path) as z:
        book = ET.fromstring(z.read("xl/workbook.xml"))
        book_rels = _rels(z, "xl/workbook.xml")
        for sheet in book.findall("m:sheets/m:sheet", _NS):
            rid = sheet.get(f"{{{_NS['r']}}}id", "")
            part = book_rels[rid][1]
            frames: list[str] = []
            for kind, target in _rels(z, part).values():
                if kind != "drawing":
                    continue
                drawing = ET.fromstring(z.read(target))
                for frame in drawing.iter(f"{{{_NS['xdr']}}}graphicFrame"):
                    props = frame.find("xdr:nvGraphicFramePr/xdr:cNvPr", _NS)
                    frames.append("" if props is None else props.get("descr", ""))
            out[sheet.get("name", "")] = frames
    return out


def _text(title: Any) -> str:
    if title is None or title.tx is None or title.tx.rich is None:
        return ""
    return "".join(r.t for p in title.tx.rich.p for r in (p.r or []))


def _rgb(fill: Any) -> str | None:
    rgb = getattr(fill, "srgbClr", None)
    return getattr(rgb, "val", rgb)


def _series(s: Any) -> dict[str, Any]:
    sp = s.spPr
    line = sp.ln if sp is not None else None
    return {
        "name": s.tx.strRef.f if s.tx is not None and s.tx.strRef is not None else None,
        "values": s.val.numRef.f,
        "categories": (s.cat.numRef or s.cat.strRef).f if s.cat is not None else None,
        "marker": s.marker.symbol if s.marker is not None else None,
        "dash": line.prstDash if line is not None else None,
        "colour": _rgb(line.solidFill) if line is not None else None,
        "hatch": sp.pattFill.prst if sp is not None and sp.pattFill is not None else None,
        "smooth": bool(s.smooth) if s.smooth is not None else None,
    }


def charts(path: Path) -> dict[str, list[dict[str, Any]]]:
    """Per sheet, each chart: kind, title, anchor cell (column, row, 0-based, and the
    column offset in EMU), value axis (min, max, major unit), legend, series, and its
    alternative text."""
    wb = openpyxl.load_workbook(path)
    alt = descriptions(path)
    out: dict[str, list[dict[str, Any]]] = {}
    for ws in wb.worksheets:
        found = []
        for i, ch in enumerate(ws._charts):
            start = ch.anchor._from
            found.append({
                "kind": ch.tagname, "title": _text(ch.title),
                "anchor": (start.col, start.row, start.colOff),
                "axis": (ch.y_axis.scaling.min, ch.y_axis.scaling.max, ch.y_axis.majorUnit),
                "legend": ch.legend is not None,
                "series": [_series(s) for s in ch.series],
                "description": alt.get(ws.title, [])[i] if i < len(alt.get(ws.title, []))
                else "",
            })
        out[ws.title] = found
    return out
