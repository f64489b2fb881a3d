"""Excel number formats that are dates, and date serial numbers as datetimes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

# Built-in number formats that are dates or times (ECMA-376 §18.8.30).
BUILTIN_DATE_FORMATS = frozenset({14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
                                  | set(range(27, 37)) | set(range(50, 59)))
_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_MAX_FORMAT_CODE = 1000
_DATE_CODE_CHARS = re.compile(r"[dmyhs]", re.IGNORECASE)
_EXCEL_EPOCH = datetime(1899, 12, 30)
_EXCEL_EPOCH_1904 = datetime(1904, 1, 1)


def is_date_format(code: str) -> bool:
    if len(code) > _MAX_FORMAT_CODE:
        return False  # Excel allows 255 characters; longer is no format Excel wrote
    stripped = _QUOTED_OR_BRACKETED.sub("", code.split(";")[0])
    return bool(_DATE_CODE_CHARS.search(stripped)) and "General" not in stripped


def serial_to_datetime(serial: float, date1904: bool) -> datetime | float:
    # Excel keeps times to the millisecond; rounding there turns 45050.57291666666 into
    # 13:45:00, not 13:44:59.999999 (openpyxl rounds the same way).
    day, fraction = divmod(serial, 1)
    try:
        delta = timedelta(days=day, milliseconds=round(fraction * 86_400_000))
        if date1904:
            return _EXCEL_EPOCH_1904 + delta
        if serial < 60:  # Excel's phantom 1900-02-29: serials below it are one day later
            return _EXCEL_EPOCH + delta + timedelta(days=1)
        return _EXCEL_EPOCH + delta
    except (OverflowError, ValueError):
        return serial
