"""A VBA project inside `vbaProject.bin` ([MS-OVBA] §2.2–2.3): read, change, write.

The project is kept as its compound-file tree. The `VBA/dir` stream (compressed) is a
list of records: project information, references, then one record group per module
(name, stream name, doc string, source offset, help context, cookie, type, terminator).
The `PROJECT` stream lists the modules as text lines and `PROJECTwm` maps each module's
name to its UTF-16 form. A module stream is an optional compiled cache followed, at the
module's MODULEOFFSET, by the compressed source.

Changed or added modules are stored source only (MODULEOFFSET 0), as xlwings ships its
own `xlwings` module; with `VBA/_VBA_PROJECT` holding no compiled cache, Excel compiles
the project from source when it opens it. Every module not changed keeps its stream and
its dir records byte for byte.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from indikator_xl.addin import compound_file
from indikator_xl.addin.ovba_compression import compress, decompress

_PROJECTCODEPAGE, _PROJECTVERSION, _PROJECTMODULES = 0x0003, 0x0009, 0x000F
_PROJECTCOOKIE, _TERMINATOR = 0x0013, 0x0010
_MODULENAME, _MODULESTREAMNAME, _MODULEOFFSET = 0x0019, 0x001A, 0x0031
_MODULETYPE_PROCEDURAL, _MODULETYPE_OTHER, _MODULE_END = 0x0021, 0x0022, 0x002B


class VbaProjectError(ValueError):
    """A vbaProject.bin that is not a VBA project this module can read."""


@dataclass
class _ModuleRecords:
    records: list[tuple[int, bytes]]

    def get(self, rid: int) -> bytes:
        for r, data in self.records:
            if r == rid:
                return data
        raise VbaProjectError(f"module record 0x{rid:04X} missing")

    def set(self, rid: int, data: bytes) -> None:
        self.records = [(r, data if r == rid else d) for r, d in self.records]


def _parse_records(data: bytes) -> list[tuple[int, bytes]]:
    out, pos = [], 0
    while pos < len(data):
        if pos + 6 > len(data):
            raise VbaProjectError("truncated dir record")
        rid, size = struct.unpack_from("<HI", data, pos)
        if rid == _PROJECTVERSION:  # its size field is always 4 but 6 bytes follow
            size = 6
        out.append((rid, data[pos + 6:pos + 6 + size]))
        pos += 6 + size
    return out


def _pack_records(records: list[tuple[int, bytes]]) -> bytes:
    return b"".join(struct.pack("<HI", rid, 4 if rid == _PROJECTVERSION else len(data)) + data
                    for rid, data in records)


def _stream(storage: compound_file.Storage, name: str) -> bytes:
    value = storage.children.get(name)
    if not isinstance(value, bytes):
        raise VbaProjectError(f"VBA project part {name} missing")
    return value


class VbaProject:
    """The project of one vbaProject.bin."""

    def __init__(self, data: bytes) -> None:
        try:
            self.tree = compound_file.read(data)
            vba = self.tree.children.get("VBA")
            if not isinstance(vba, compound_file.Storage):
                raise VbaProjectError("no VBA storage")
            records = _parse_records(decompress(_stream(vba, "dir")))
        except VbaProjectError:
            raise
        except ValueError as exc:
            raise VbaProjectError(str(exc)) from None
        self._project_text = _stream(self.tree, "PROJECT")
        self._names_wm = _stream(self.tree, "PROJECTwm")
        self.vba = vba
        ids = [r for r, _ in records]
        if _PROJECTMODULES not in ids or _PROJECTCODEPAGE not in ids:
            raise VbaProjectError("dir stream without PROJECTMODULES or PROJECTCODEPAGE")
        cut = ids.index(_PROJECTMODULES)
        if ids[cut + 1] != _PROJECTCOOKIE:
            raise VbaProjectError("dir stream without PROJECTCOOKIE")
        self._head = records[:cut]
        self._cookie = records[cut + 1]
        self._modules: list[_ModuleRecords] = []
        current: list[tuple[int, bytes]] = []
        for rid, data in records[cut + 2:]:
            if rid == _TERMINATOR:
                break
            current.append((rid, data))
            if rid == _MODULE_END:
                self._modules.append(_ModuleRecords(current))
                current = []
        count, = struct.unpack("<H", records[cut][1])
        if current or count != len(self._modules):
            raise VbaProjectError("dir stream module records do not add up")
        self.codec = f"cp{struct.unpack('<H', dict(self._head)[_PROJECTCODEPAGE])[0]}"

    def _name(self, m: _ModuleRecords) -> str:
        return m.get(_MODULENAME).decode(self.codec)

    def _module(self, name: str) -> _ModuleRecords:
        for m in self._modules:
            if self._name(m) == name:
                return m
        raise VbaProjectError(f"no module {name}")

    def module_names(self) -> list[str]:
        """The modules in the order of the dir stream."""
        return [self._name(m) for m in self._modules]

    def module_stream(self, name: str) -> bytes:
        return _stream(self.vba, self._module(name).get(_MODULESTREAMNAME).decode(self.codec))

    def source(self, name: str) -> str:
        """A module's source text as stored (Attribute lines included)."""
        offset, = struct.unpack("<I", self._module(name).get(_MODULEOFFSET))
        return decompress(self.module_stream(name)[offset:]).decode(self.codec)

    def _encode(self, name: str, source: str) -> bytes:
        try:
            return source.encode(self.codec)
        except UnicodeEncodeError as exc:
            raise VbaProjectError(f"module {name} has a character outside {self.codec} "
                                  f"({exc.object[exc.start:exc.end]!r})") from None

    def set_source(self, name: str, source: str) -> None:
        """Replace a module's source; its stream becomes source only."""
        m = self._module(name)
        m.set(_MODULEOFFSET, struct.pack("<I", 0))
        self.vba.children[m.get(_MODULESTREAMNAME).decode(self.codec)] = \
            compress(self._encode(name, source))

    def add_module(self, name: str, source: str) -> None:
        """Add a standard (procedural) module, stored source only."""
        if name in self.module_names() or name in self.vba.children:
            raise VbaProjectError(f"module {name} already exists")
        if not name.isascii() or not name.isidentifier() or len(name) > 31:
            raise VbaProjectError(f"module name {name!r} is not a VBA identifier")
        mbcs, wide = name.encode(self.codec), name.encode("utf-16-le")
        self._modules.append(_ModuleRecords([
            (0x0019, mbcs), (0x0047, wide), (0x001A, mbcs), (0x0032, wide),
            (0x001C, b""), (0x0048, b""), (_MODULEOFFSET, struct.pack("<I", 0)),
            (0x001E, struct.pack("<I", 0)), (0x002C, struct.pack("<H", 0xFFFF)),
            (_MODULETYPE_PROCEDURAL, b""), (_MODULE_END, b"")]))
        self.vba.children[name] = compress(self._encode(name, source))
        self._project_text = _add_project_line(self._project_text, name, self.codec)
        if not self._names_wm.endswith(b"\0\0"):
            raise VbaProjectError("PROJECTwm without its terminator")
        self._names_wm = self._names_wm[:-2] + mbcs + b"\0" + wide + b"\0\0" + b"\0\0"

    def to_bytes(self) -> bytes:
        """The vbaProject.bin (deterministic)."""
        records = [*self._head, (_PROJECTMODULES, struct.pack("<H", len(self._modules))),
                   self._cookie, *(r for m in self._modules for r in m.records),
                   (_TERMINATOR, b"")]  # Terminator: its "size" is the Reserved field, 0
        self.vba.children["dir"] = compress(_pack_records(records))
        self.tree.children["PROJECT"] = self._project_text
        self.tree.children["PROJECTwm"] = self._names_wm
        return compound_file.write(self.tree)


def _add_project_line(project: bytes, name: str, codec: str) -> bytes:
    """PROJECT stream: `Module=<name>` after the last module line, and its [Workspace]
    line (window position, closed)."""
    lines = project.decode(codec).split("\r\n")
    kinds = ("Module=", "Document=", "Class=", "BaseClass=", "Package=")
    last = max((i for i, line in enumerate(lines) if line.startswith(kinds)), default=None)
    if last is None:
        raise VbaProjectError("PROJECT stream lists no modules")
    lines.insert(last + 1, f"Module={name}")
    if "[Workspace]" in lines:
        at = lines.index("[Workspace]") + 1
        while at < len(lines) and lines[at]:
            at += 1
        lines.insert(at, f"{name}=0, 0, 0, 0, C")
    return "\r\n".join(lines).encode(codec)
