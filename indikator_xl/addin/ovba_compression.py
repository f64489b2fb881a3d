"""The run-length/LZ77 compression of VBA streams ([MS-OVBA] §2.4.1).

A compressed container is the signature byte 0x01 followed by chunks, each holding up to
4096 bytes of the decompressed data. A chunk starts with a two-byte header (size − 3 in
bits 0–11, the signature 0b011 in bits 12–14, the "compressed" flag in bit 15) and is a
series of token groups: one flag byte, then eight tokens, each a literal byte (flag bit 0)
or a two-byte copy token (flag bit 1) naming an earlier offset and a length. How many bits
of a copy token hold the offset depends on the position within the chunk (§2.4.1.3.19.1).

`compress` is deterministic (the same input always gives the same bytes): at each position
it takes the longest earlier match in the chunk, the nearest one when several are as long.
"""

from __future__ import annotations

import struct

CHUNK = 4096
_SIGNATURE = 0x01


class CompressionError(ValueError):
    """A compressed container that does not follow [MS-OVBA] §2.4.1."""


def _bit_count(difference: int) -> int:
    """Offset bits of a copy token at `difference` bytes into the chunk (at least 4)."""
    bits = 4
    while (1 << bits) < difference:
        bits += 1
    return bits


def _compress_chunk(data: bytes) -> bytes:
    """One chunk (≤ 4096 bytes) with its header; raw when compressing would not help."""
    out = bytearray()
    candidates: dict[bytes, list[int]] = {}
    pos, end = 0, len(data)
    while pos < end:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            bits = _bit_count(pos)
            max_length = (0xFFFF >> bits) + 3
            best_len, best_at = 0, 0
            for cand in reversed(candidates.get(data[pos:pos + 3], ())):
                length = 0
                limit = min(max_length, end - pos)
                while length < limit and data[cand + length] == data[pos + length]:
                    length += 1
                if length > best_len:
                    best_len, best_at = length, cand
                    if length == limit:
                        break
            step = 1
            if best_len >= 3:
                token = ((pos - best_at - 1) << (16 - bits)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
            for p in range(pos, pos + step):
                if p + 3 <= end:
                    candidates.setdefault(data[p:p + 3], []).append(p)
            pos += step
        out[flag_at] = flags
    if len(out) > CHUNK:  # incompressible: store the chunk raw, padded to 4096 bytes
        return struct.pack("<H", (CHUNK - 1) | 0x3000) + data.ljust(CHUNK, b"\x00")
    return struct.pack("<H", (len(out) - 1) | 0xB000) + bytes(out)


def compress(data: bytes) -> bytes:
    """The compressed container for `data`."""
    return bytes([_SIGNATURE]) + b"".join(
        _compress_chunk(data[i:i + CHUNK]) for i in range(0, len(data), CHUNK))


def decompress(container: bytes) -> bytes:
    """The data of a compressed container (raises CompressionError when it is damaged)."""
    if not container or container[0] != _SIGNATURE:
        raise CompressionError("compressed container without the signature byte 0x01")
    out = bytearray()
    pos = 1
    while pos < len(container):
        if pos + 2 > len(container):
            raise CompressionError("truncated chunk header")
        header, = struct.unpack_from("<H", container, pos)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0b111 != 0b011:
            raise CompressionError("chunk header without the signature 0b011")
        chunk_end = min(pos + size, len(container))
        pos += 2
        start = len(out)
        if not header & 0x8000:
            out += container[pos:pos + CHUNK]
            pos += CHUNK
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not flags & (1 << bit):
                    out.append(container[pos])
                    pos += 1
                    continue
                if pos + 2 > chunk_end:
                    raise CompressionError("truncated copy token")
                token, = struct.unpack_from("<H", container, pos)
                pos += 2
                bits = _bit_count(len(out) - start)
                offset = (token >> (16 - bits)) + 1
                length = (token & (0xFFFF >> bits)) + 3
                if offset > len(out) - start:
                    raise CompressionError("copy token points before the chunk")
                for _ in range(length):
                    out.append(out[-offset])
    return bytes(out)
