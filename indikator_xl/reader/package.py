"""Bounded access to the zip container: only regular files, only the methods Excel
writes, no part past `Limits`, every part checked as zipfile checks it."""

from __future__ import annotations

import errno
import os
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from indikator_xl.domain.errors import WorkbookReadError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A zip local file header: signature, (version, flags, method, time, date, CRC, sizes),
# name and extra-field lengths; the middle is skipped, the central directory has it.
_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")
_FLAGS_OWN = 0x1 | 0x20 | 0x40  # encrypted, patched, strong encryption: left to zipfile
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})  # what Excel writes


@dataclass(frozen=True)
class Limits:
    """Bounds on what a workbook may hold before reading is refused."""

    max_rows: int = 200_000
    max_uncompressed_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 200  # uncompressed / compressed, per part (zip bomb guard)


DEFAULT_LIMITS = Limits()


# Opening never blocks (a FIFO without a writer would wait for ever); Windows has no flag.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def open_regular_file(path: Path) -> BinaryIO:
    """`path` opened for reading, if it is a regular file (through any symbolic links);
    a folder, FIFO, device, socket, missing file or broken link is `WorkbookReadError`."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        if os.path.islink(path):
            raise WorkbookReadError(f"{path} är en länk till en fil som inte finns.") from None
        raise WorkbookReadError(f"Filen {path} finns inte.") from None
    except IsADirectoryError:
        raise WorkbookReadError(f"{path} är en mapp, inte en arbetsbok.") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise WorkbookReadError(f"{path} är en länk som pekar på sig själv (en slinga), "
                                    "inte en arbetsbok.") from None
        raise WorkbookReadError(f"Filen {path} kan inte öppnas: {exc.strerror}.") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise WorkbookReadError(f"{path} är en mapp, inte en arbetsbok.")
        if not stat.S_ISREG(mode):
            raise WorkbookReadError(f"{path} är ingen vanlig fil (t.ex. en FIFO eller en "
                                    "enhet) och läses inte.")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class Package:
    """The zip container with bounded part reads."""

    def __init__(self, path: Path, limits: Limits):
        self.limits = limits
        self.total = 0
        self.fh = open_regular_file(path)
        try:
            self._open(path)
        except BaseException:
            self.fh.close()
            raise

    def _open(self, path: Path) -> None:
        try:
            head = self.fh.read(8)
        except OSError as exc:
            raise WorkbookReadError(f"Filen {path} kan inte öppnas: {exc.strerror}.") from None
        if head.startswith(_OLE_MAGIC):
            raise WorkbookReadError(
                f"Filen {path.name} är lösenordsskyddad eller i det gamla .xls-formatet. "
                "Spara den som Excel-arbetsbok (.xlsx) utan lösenord och försök igen."
            )
        if not head:
            raise WorkbookReadError(f"Filen {path.name} är tom (0 byte).")
        try:
            self.zip = zipfile.ZipFile(self.fh)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            raise WorkbookReadError(
                f"Filen {path.name} är ingen Excel-arbetsbok (.xlsx/.xlsm) eller är skadad."
            ) from None
        self.names = {info.filename.lstrip("/"): info for info in self.zip.infolist()}

    def close(self) -> None:
        self.zip.close()
        self.fh.close()

    def has(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        info = self.names.get(name)
        if info is None:
            raise WorkbookReadError(f"Arbetsboken saknar delen {name} och är troligen skadad.")
        budget = self.limits.max_uncompressed_bytes - self.total
        ratio_cap = max(info.compress_size, 1024) * self.limits.max_ratio
        cap = min(budget, max(ratio_cap, 1024 * 1024))
        if info.file_size > cap:
            raise self._too_large()
        if info.compress_type not in _METHODS:
            # LZMA, BZIP2 and the like inflate unbounded inside zipfile; Excel, LibreOffice
            # and openpyxl write only stored and deflated parts.
            raise WorkbookReadError(
                f"Arbetsboken är packad på ett sätt som Excel inte använder (zip-metod "
                f"{info.compress_type} i {name}) och läses inte. Spara om den i Excel.")
        try:
            if info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & _FLAGS_OWN:
                data = self._inflate(info)
            else:
                data = self._read_via_zipfile(info, cap)
        except WorkbookReadError:
            raise
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, RuntimeError,
                NotImplementedError, struct.error):
            raise WorkbookReadError(
                "Arbetsboken är skadad (en del av filen går inte att packa upp)."
            ) from None
        self.total += len(data)
        return data

    def _inflate(self, info: zipfile.ZipInfo) -> bytes:
        """A deflated part read straight from the file: one seek, one read, one inflate
        (zipfile's stream objects cost more than the inflating for parts this small).
        Checked as zipfile checks: header signature and name, length and CRC-32."""
        fh = self.fh
        fh.seek(info.header_offset)
        head = fh.read(_LOCAL_HEADER.size)
        if len(head) != _LOCAL_HEADER.size:
            raise zipfile.BadZipFile
        signature, flags, name_len, extra_len = _LOCAL_HEADER.unpack(head)
        name = fh.read(name_len)
        encoding = "utf-8" if flags & 0x800 else "cp437"
        if signature != b"PK\x03\x04" or name.decode(encoding) != info.orig_filename:
            raise zipfile.BadZipFile
        fh.seek(extra_len, 1)
        raw = fh.read(info.compress_size)
        if len(raw) != info.compress_size:
            raise zipfile.BadZipFile
        # Never more than the declared size (already within `cap`) plus one byte: a part
        # that inflates past what its header says is damaged, not read on.
        data = zlib.decompressobj(-zlib.MAX_WBITS).decompress(raw, info.file_size + 1)
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            raise zipfile.BadZipFile
        return data

    def _read_via_zipfile(self, info: zipfile.ZipInfo, cap: int) -> bytes:
        """A stored or flagged part: zipfile's stream, in bounded chunks (zipfile inflates
        deflate no further than asked)."""
        chunks, size = [], 0
        with self.zip.open(info) as fh:
            while chunk := fh.read(1 << 20):
                size += len(chunk)
                if size > cap:
                    raise self._too_large()
                chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> WorkbookReadError:
        mb = self.limits.max_uncompressed_bytes // (1024 * 1024)
        return WorkbookReadError(
            f"Arbetsboken är orimligt stor uppackad (mer än {mb} MB eller misstänkt "
            "komprimering) och läses inte."
        )


def damaged(what: str) -> WorkbookReadError:
    return WorkbookReadError(f"Arbetsboken är skadad ({what}).")
