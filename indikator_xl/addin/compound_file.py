"""Read and write compound files ([MS-CFB]), the container of `vbaProject.bin`.

Only what a VBA project needs: version 3 (512-byte sectors), streams under 4096 bytes in
the mini stream (64-byte sectors), at most 109 FAT sectors (no DIFAT sectors, ~7 MB).
The writer is deterministic: no timestamps, CLSIDs as given, sectors laid out in a fixed
order (mini stream, large streams, directory, mini FAT, FAT), and the children of each
storage chained through their right siblings in [MS-CFB] order (name length, then the
upper-case name), every entry black — the layout of xlwings' own add-in template.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
SECTOR, MINI_SECTOR, MINI_CUTOFF = 512, 64, 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_BLACK = 1
_HEADER_FAT_SLOTS = 109
NO_CLSID = bytes(16)


class CompoundFileError(ValueError):
    """A compound file this module cannot read or write."""


@dataclass
class Storage:
    """A storage: named children (streams as bytes, storages as Storage) and a CLSID."""

    children: dict[str, bytes | Storage] = field(default_factory=dict)
    clsid: bytes = NO_CLSID


def entry_order(name: str) -> tuple[int, str]:
    """[MS-CFB] §2.6.4: shorter names first, then by upper-case name."""
    return len(name), name.upper()


# --- reading ---------------------------------------------------------------------------

def _chain(table: list[int], start: int, limit: int) -> list[int]:
    out: list[int] = []
    sect = start
    while sect != ENDOFCHAIN:
        if sect >= len(table) or len(out) > limit:
            raise CompoundFileError("broken sector chain")
        out.append(sect)
        sect = table[sect]
    return out


def read(data: bytes) -> Storage:
    """The tree of a version 3 compound file."""
    if len(data) < SECTOR or data[:8] != SIGNATURE:
        raise CompoundFileError("not a compound file")
    (major, shift, mini_shift, n_fat, first_dir, cutoff, first_minifat, n_minifat,
     first_difat, n_difat) = struct.unpack_from("<26xHxx HH 10x I I 4x I I I I I", data, 0)
    if major != 3 or shift != 9 or mini_shift != 6 or cutoff != MINI_CUTOFF or n_difat:
        raise CompoundFileError("only version 3 compound files without DIFAT are read")
    n_sectors = (len(data) - SECTOR + SECTOR - 1) // SECTOR

    def sector(i: int) -> bytes:
        if i >= n_sectors:
            raise CompoundFileError("sector outside the file")
        return data[SECTOR * (i + 1):SECTOR * (i + 2)]

    difat = struct.unpack_from(f"<{_HEADER_FAT_SLOTS}I", data, 76)[:n_fat]
    fat = [v for i in difat for v in struct.unpack("<128I", sector(i).ljust(SECTOR, b"\0"))]
    dir_bytes = b"".join(sector(i) for i in _chain(fat, first_dir, n_sectors))
    minifat: list[int] = []
    if n_minifat:
        for i in _chain(fat, first_minifat, n_sectors):
            minifat += struct.unpack("<128I", sector(i))
    entries = [dir_bytes[i:i + 128] for i in range(0, len(dir_bytes), 128)]

    def field_of(i: int) -> tuple:
        e = entries[i]
        name_len, kind, _color, left, right, child = struct.unpack_from("<HBBIII", e, 64)
        clsid = e[80:96]
        start, size = struct.unpack_from("<IQ", e, 116)
        name = e[:max(name_len - 2, 0)].decode("utf-16-le")
        return name, kind, left, right, child, clsid, start, size

    root_name, root_kind, _l, _r, root_child, root_clsid, root_start, root_size = field_of(0)
    if root_kind != _ROOT:
        raise CompoundFileError("the first directory entry is not the root")
    ministream = b"".join(sector(i) for i in _chain(fat, root_start, n_sectors)) \
        if root_size else b""

    def stream(start: int, size: int) -> bytes:
        if size < MINI_CUTOFF:
            secs = _chain(minifat, start, len(minifat)) if size else []
            raw = b"".join(ministream[MINI_SECTOR * s:MINI_SECTOR * (s + 1)] for s in secs)
        else:
            raw = b"".join(sector(i) for i in _chain(fat, start, n_sectors))
        if len(raw) < size:
            raise CompoundFileError("stream shorter than its size")
        return raw[:size]

    def siblings(i: int, seen: set[int]) -> list[int]:
        if i == NOSTREAM:
            return []
        if i in seen or i >= len(entries):
            raise CompoundFileError("broken directory tree")
        seen.add(i)
        _n, _k, left, right, *_ = field_of(i)
        return [*siblings(left, seen), i, *siblings(right, seen)]

    def storage(child: int, clsid: bytes, seen: set[int]) -> Storage:
        node = Storage(clsid=clsid)
        for i in siblings(child, seen):
            name, kind, _l, _r, sub, sub_clsid, start, size = field_of(i)
            if kind == _STORAGE:
                node.children[name] = storage(sub, sub_clsid, seen)
            elif kind == _STREAM:
                node.children[name] = stream(start, size)
        return node

    return storage(root_child, root_clsid, {0})


# --- writing ---------------------------------------------------------------------------

@dataclass
class _Entry:
    name: str
    kind: int
    clsid: bytes = NO_CLSID
    data: bytes = b""
    child: int = NOSTREAM
    right: int = NOSTREAM
    start: int = ENDOFCHAIN
    size: int = 0


def _flatten(root: Storage) -> list[_Entry]:
    entries = [_Entry("Root Entry", _ROOT, root.clsid)]

    def add(node: Storage, parent: int) -> None:
        indices = []
        for name in sorted(node.children, key=entry_order):
            if len(name) > 31 or not name:
                raise CompoundFileError(f"entry name {name!r} is not 1-31 characters")
            value = node.children[name]
            indices.append(len(entries))
            if isinstance(value, Storage):
                entries.append(_Entry(name, _STORAGE, value.clsid))
                add(value, indices[-1])
            else:
                entries.append(_Entry(name, _STREAM, data=value, size=len(value)))
        if indices:
            entries[parent].child = indices[0]
            for a, b in zip(indices, indices[1:], strict=False):
                entries[a].right = b

    add(root, 0)
    return entries


def _pad(data: bytes, unit: int) -> bytes:
    return data + bytes(-len(data) % unit)


def write(root: Storage) -> bytes:
    """The compound file holding `root` (byte for byte the same for the same tree)."""
    entries = _flatten(root)
    streams = [e for e in entries if e.kind == _STREAM]
    ministream = bytearray()
    minifat: list[int] = []
    for e in streams:
        if 0 < e.size < MINI_CUTOFF:
            first = len(ministream) // MINI_SECTOR
            n = (e.size + MINI_SECTOR - 1) // MINI_SECTOR
            e.start = first
            minifat += [*range(first + 1, first + n), ENDOFCHAIN]
            ministream += _pad(e.data, MINI_SECTOR)
    fat: list[int] = []
    body = bytearray()

    def place(data: bytes) -> int:
        n = (len(data) + SECTOR - 1) // SECTOR
        if not n:
            return ENDOFCHAIN
        first = len(fat)
        fat.extend([*range(first + 1, first + n), ENDOFCHAIN])
        body.extend(_pad(data, SECTOR))
        return first

    entries[0].start = place(bytes(ministream))
    entries[0].size = len(ministream)
    for e in streams:
        if e.size >= MINI_CUTOFF:
            e.start = place(e.data)
    dir_bytes = b"".join(_dir_entry(e) for e in entries)
    dir_bytes += b"".join(_dir_entry(None) for _ in range(-len(entries) % 4))
    first_dir = place(dir_bytes)
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    minifat_bytes += struct.pack("<I", FREESECT) * (-len(minifat) % 128)
    first_minifat = place(minifat_bytes)
    n_fat = 1
    while (len(fat) + n_fat) > n_fat * 128:
        n_fat += 1
    if n_fat > _HEADER_FAT_SLOTS:
        raise CompoundFileError("the VBA project is too large")
    fat_start = len(fat)
    fat += [FATSECT] * n_fat
    fat += [FREESECT] * (n_fat * 128 - len(fat))
    body += struct.pack(f"<{len(fat)}I", *fat)
    difat = [*range(fat_start, fat_start + n_fat)]
    difat += [FREESECT] * (_HEADER_FAT_SLOTS - len(difat))
    header = (SIGNATURE + NO_CLSID
              + struct.pack("<HHHHH6xIIIIIIIII", 0x003E, 3, 0xFFFE, 9, 6, 0, n_fat, first_dir,
                            0, MINI_CUTOFF, first_minifat if minifat else ENDOFCHAIN,
                            len(minifat_bytes) // SECTOR if minifat else 0, ENDOFCHAIN, 0)
              + struct.pack(f"<{_HEADER_FAT_SLOTS}I", *difat))
    return header + bytes(body)


def _dir_entry(e: _Entry | None) -> bytes:
    if e is None:
        return bytes(64) + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) \
            + bytes(48)
    name = e.name.encode("utf-16-le") + b"\0\0"
    return (name.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(name), e.kind, _BLACK, NOSTREAM, e.right, e.child)
            + e.clsid + bytes(4 + 16)
            + struct.pack("<IQ", e.start if e.kind != _STORAGE else 0, e.size))
