"""The built add-in read by a second, independent reader: LibreOffice imports its VBA.

LibreOffice refuses an add-in, so a copy declared as a macro-enabled workbook (.xlsm) is
converted to .ods once; the .ods holds `Basic/<project>/<module>.xml` per module.
LibreOffice drops the `Attribute` lines and adds its own header lines.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from xml.etree import ElementTree

import pytest

from indikator_xl.addin.build import SHIPPED, buttons_module
from indikator_xl.addin.udf_wrapper import WRAPPER_MODULE, wrapper_source
from indikator_xl.addin.vba_project import VbaProject
from tests.libreoffice import convert, soffice

if soffice() is None:
    pytest.skip("LibreOffice (soffice) is not installed", allow_module_level=True)

_SCRIPT = "{http://openoffice.org/2000/script}"
_LO_HEADER = re.compile(r"^(Rem Attribute VBA_ModuleType=\w+|Option VBASupport 1|"
                        r"Option ClassModule)$")


@pytest.fixture(scope="module")
def basic(tmp_path_factory) -> dict[str, tuple[str, str]]:
    """Module name → (LibreOffice's module type, source) from one conversion."""
    tmp = tmp_path_factory.mktemp("lo-addin")
    with zipfile.ZipFile(SHIPPED) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.ms-excel.addin.macroEnabled.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    book = tmp / "IndikatorXL.xlsm"
    with zipfile.ZipFile(book, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    ods = convert(book, "ods", tmp)
    out = {}
    with zipfile.ZipFile(ods) as zf:
        for name in zf.namelist():
            if name.startswith("Basic/MyAddin/") and not name.endswith("script-lb.xml"):
                root = ElementTree.fromstring(zf.read(name))
                out[root.get(f"{_SCRIPT}name")] = (root.get(f"{_SCRIPT}moduleType"),
                                                   root.text or "")
    shutil.rmtree(tmp, ignore_errors=True)
    return out


def _as_libreoffice_keeps_it(source: str) -> list[str]:
    lines = source.replace("\r\n", "\n").split("\n")
    return [line for line in lines if not line.startswith("Attribute ")]


def _lo_lines(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").split("\n")
    return [line for line in lines if not _LO_HEADER.match(line)]


def _same(ours: str, theirs: str) -> bool:
    strip = lambda lines: "\n".join(lines).strip("\n")  # noqa: E731
    return strip(_as_libreoffice_keeps_it(ours)) == strip(_lo_lines(theirs))


def test_libreoffice_imports_every_module_with_its_type(basic):
    assert {name: kind for name, (kind, _) in basic.items()} == {
        "ThisWorkbook": "document", "Sheet2": "document", "Dictionary": "class",
        "RibbonMyAddin": "normal", "xlwings": "normal", "IndikatorXL": "normal",
        WRAPPER_MODULE: "normal"}


def test_libreoffice_reads_the_source_that_went_in(basic):
    with zipfile.ZipFile(SHIPPED) as zf:
        project = VbaProject(zf.read("xl/vbaProject.bin"))
    for name in project.module_names():
        assert _same(project.source(name), basic[name][1]), name
    assert _same(buttons_module(), basic["IndikatorXL"][1])
    assert _same(wrapper_source(), basic[WRAPPER_MODULE][1])
    assert 'PROJECT_NAME As String = "indikatorxl"' in basic["xlwings"][1]
    assert 'x.berakna()' in basic["IndikatorXL"][1]
