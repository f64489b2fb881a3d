"""Matching of user-typed text: case-, space- and number-format-insensitive keys."""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from datetime import date, datetime, time
from typing import Any

from indikator_xl.domain.cells import NO_CACHE, CellError

_SPACES = re.compile(r"\s+")
# Characters that show nothing but make two spellings of one name differ: soft hyphen,
# zero-width space, non-joiner and joiner, word joiner, byte-order mark.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
# Lone surrogates: how Python gives the bytes of a file name that are not UTF-8
# (surrogateescape). No file, workbook or terminal can carry them.
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
_QUESTION_HEADER = re.compile(r"^(?:f|fråga|fraga)?\s*\.?\s*(\d{1,3})(?:\.0+)?$")
_WHOLE_NUMBER_TEXT = re.compile(r"^\+?(\d{1,9})(?:[.,]0+)?$")


def key(value: Any) -> str:
    """A matching key: text in Unicode NFC without invisible characters, folded to lower
    case, with runs of white space collapsed (`Östra` typed as O + ¨, or with a zero-width
    space, matches `östra`)."""
    if value is None:
        return ""
    if type(value) is str:
        return _text_key(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _text_key(str(value))


@functools.lru_cache(maxsize=4096)
def _text_key(text: str) -> str:
    # Registration sheets repeat a few values (Kön, Insats, labels) thousands of times.
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    return unicodedata.normalize(
        "NFC", _SPACES.sub(" ", text.replace("\u00a0", " ")).strip().casefold())


def display(value: Any) -> str:
    """User text as first written, trimmed and with runs of white space collapsed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", str(value).replace("\u00a0", " ")).strip()


def shown(value: Any) -> str:
    """A file name (or any text) as we write it anywhere: in a workbook, a CSV, a message
    or JSON. Each byte of a name that is not UTF-8 (a Latin-1 `ö`, say) becomes U+FFFD,
    the replacement character."""
    text = os.fspath(value) if isinstance(value, os.PathLike) else value
    if not isinstance(text, str):
        text = str(text)
    return text if text.isascii() else _SURROGATE.sub(REPLACEMENT, text)


# The longest name we carry into outputs (förbund, insats, samverkansgrupp): longer text
# is an error at its cell, so one huge cell cannot become a huge CSV (docs/beslut.md).
MAX_NAME_LENGTH = 255


def too_long(value: Any) -> bool:
    """Text longer than MAX_NAME_LENGTH characters once trimmed."""
    return isinstance(value, str) and len(value) > MAX_NAME_LENGTH and \
        len(display(value)) > MAX_NAME_LENGTH


def too_long_message(what: str, value: str) -> str:
    """The Swedish problem message for a name that is too long."""
    return (f"{what} är för långt ({len(display(value))} tecken; högst {MAX_NAME_LENGTH}). "
            "Korta texten i cellen; till dess räknas den inte.")


def clipped(value: Any) -> Any:
    """A problem's value as we show it: text longer than MAX_NAME_LENGTH is cut with
    an ellipsis, so no problem list carries a huge cell."""
    if isinstance(value, str) and len(value) > MAX_NAME_LENGTH:
        return value[:MAX_NAME_LENGTH] + "…"
    return value


def is_blank(value: Any) -> bool:
    """Empty cells and text of only white space count as not filled in."""
    if value is None:
        return True
    return isinstance(value, str) and not value.strip()


def question_number(header: Any) -> int | None:
    """`F3`, `F 3`, `Fråga 3`, `3` and the number 3 all mean question 3."""
    if isinstance(header, bool) or header is None or header is NO_CACHE:
        return None
    if isinstance(header, int | float) and not isinstance(header, CellError):
        return int(header) if float(header).is_integer() and header > 0 else None
    m = _QUESTION_HEADER.match(key(header))
    return int(m.group(1)) if m else None


def whole_number(value: Any) -> int | None:
    """A whole number from a number cell or from a number stored as text; else None."""
    if isinstance(value, bool | CellError):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str):
        m = _WHOLE_NUMBER_TEXT.match(value.strip())
        return int(m.group(1)) if m else None
    return None


def is_date_like(value: Any) -> bool:
    return isinstance(value, datetime | date | time)


_SWEDISH_LAST = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def sort_key(value: str) -> str:
    """Swedish alphabetical order: å, ä, ö after z."""
    return key(value).translate(_SWEDISH_LAST)
