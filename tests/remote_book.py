"""Real xlwings Books without Excel: the remote engine fed a payload shaped like the one
xlwings' Office Scripts client (`xlwings/js/xlwings.ts`, `runPython`) sends.

The remote engine needs an xlwings PRO key; the public `noncommercial` key is set only
inside the test process (`remote_engine` fixture), never for users.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from indikator_xl.domain.cells import NO_CACHE, CellError, RawWorkbook
from indikator_xl.reader import read_workbook

CLIENT = "Microsoft Office Scripts"


def _client_value(value: Any) -> Any:
    """A cell value as the client serialises it: blanks "", dates ISO with Z, errors text."""
    if value is None or value is NO_CACHE:
        return ""
    if isinstance(value, CellError):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00.000Z"
    return value


def sheet_payload(name: str, rows: list[list[Any]]) -> dict[str, Any]:
    """One sheet: a rectangular block from A1 (getRangeByIndexes over the used range)."""
    width = max((len(r) for r in rows), default=0)
    values = [[_client_value(v) for v in r] + [""] * (width - len(r)) for r in rows]
    return {"name": name, "values": values or [[]], "pictures": [], "tables": []}


def payload(sheets: dict[str, list[list[Any]]], book_name: str = "Registreringsfil.xlsx",
            client: str = CLIENT) -> dict[str, Any]:
    """The request body for a workbook with these sheets, after a JSON round trip."""
    import xlwings as xw

    body = {
        "client": client,
        "version": xw.__version__,
        "book": {"name": book_name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [sheet_payload(n, rows) for n, rows in sheets.items()],
    }
    return json.loads(json.dumps(body))


def raw_payload(raw: RawWorkbook, extra: dict[str, list[list[Any]]] | None = None,
                book_name: str = "Registreringsfil.xlsx") -> dict[str, Any]:
    sheets = {n: s.rows for n, s in raw.sheets.items()}
    sheets.update(extra or {})
    return payload(sheets, book_name)


def file_payload(path: Path, extra: dict[str, list[list[Any]]] | None = None
                 ) -> dict[str, Any]:
    """The payload Excel would send for the workbook file at `path`."""
    return raw_payload(read_workbook(path), extra, Path(path).name)


LICENSE_ENV = "XLWINGS_LICENSE_KEY"
PUBLIC_KEY = "noncommercial"


def enable_remote_engine(monkeypatch: Any) -> None:
    """Set the public noncommercial key for this test only and make sure the remote
    engine is registered (xlwings registers it at import, which may have happened
    earlier in the session without the key)."""
    monkeypatch.setenv(LICENSE_ENV, PUBLIC_KEY)
    import xlwings as xw

    if "remote" not in [e.name for e in xw.engines]:
        from xlwings.main import Engine
        from xlwings.pro import _xlremote

        xw.engines.add(Engine(impl=_xlremote.engine))


def open_book(body: dict[str, Any]):
    """A remote-engine xlwings Book for this payload."""
    import xlwings as xw

    return xw.Book(json=body)
