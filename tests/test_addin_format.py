"""MS-OVBA compression and the compound file, checked against oletools and olefile."""

from __future__ import annotations

import io
import random
import warnings
import zipfile

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indikator_xl.addin import compound_file
from indikator_xl.addin.build import template_path
from indikator_xl.addin.ovba_compression import CompressionError, compress, decompress

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from oletools.olevba import decompress_stream

_rng = random.Random(11)
CASES = {
    "empty": b"",
    "one byte": b"x",
    "run of one character": b"~" * 10_000,
    "run that broke ms-ovba-compression": b" ~~~~" * 904,
    "exactly one chunk": b"ab" * 2048,
    "one chunk and one byte": b"a" * 4097,
    "chunk boundary inside a match": b"0123456789" * 820,
    "incompressible full chunk": bytes(_rng.randrange(256) for _ in range(4096)),
    "incompressible then text": bytes(_rng.randrange(256) for _ in range(4096)) + b"abc" * 50,
    "vba source": ('Attribute VB_Name = "A"\r\nSub A()\r\n    RunPython "x"\r\nEnd Sub\r\n'
                   * 300).encode("ascii"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_compression_round_trips_through_oletools(name):
    data = CASES[name]
    packed = compress(data)
    assert bytes(decompress_stream(bytearray(packed))) == data
    assert decompress(packed) == data


def test_compression_compresses_and_chunks():
    assert compress(b"") == b"\x01"
    assert len(compress(b"~" * 10_000)) < 40
    packed = compress(CASES["incompressible full chunk"])
    assert len(packed) == 1 + 2 + 4096 and packed[2] & 0x80 == 0  # a raw chunk


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=9000) | st.text("ab ~\r\n", max_size=9000).map(str.encode))
def test_compression_round_trips_any_input(data):
    packed = compress(data)
    assert bytes(decompress_stream(bytearray(packed))) == data


@pytest.mark.parametrize("bad", [b"", b"\x02abc", b"\x01\x05", b"\x01\xff\xbf\x01\xff\xff"])
def test_damaged_containers_are_refused(bad):
    with pytest.raises(CompressionError):
        decompress(bad)


def _template_bin() -> bytes:
    with zipfile.ZipFile(template_path()) as zf:
        return zf.read("xl/vbaProject.bin")


def test_compound_file_round_trips_the_template_and_olefile_agrees():
    tree = compound_file.read(_template_bin())
    written = compound_file.write(tree)
    assert compound_file.write(compound_file.read(written)) == written
    ole = olefile.OleFileIO(io.BytesIO(written))
    vba = tree.children["VBA"]
    assert sorted("/".join(e) for e in ole.listdir()) == sorted(
        ["PROJECT", "PROJECTwm", *(f"VBA/{n}" for n in vba.children)])
    for name, data in vba.children.items():
        assert ole.openstream(f"VBA/{name}").read() == data
    assert ole.openstream("PROJECT").read() == tree.children["PROJECT"]


@pytest.mark.parametrize("size", [0, 63, 64, 4095, 4096, 4097, 70_000])
def test_compound_file_streams_of_every_size(size):
    data = bytes(i % 251 for i in range(size))
    tree = compound_file.Storage({"A": data, "B": compound_file.Storage({"C": b"c" * 100})})
    ole = olefile.OleFileIO(io.BytesIO(compound_file.write(tree)))
    assert ole.openstream("A").read() == data
    assert ole.openstream("B/C").read() == b"c" * 100
    assert compound_file.read(compound_file.write(tree)).children["A"] == data


def test_not_a_compound_file_is_refused():
    with pytest.raises(compound_file.CompoundFileError):
        compound_file.read(b"PK\x03\x04" + bytes(600))
