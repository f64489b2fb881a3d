"""The folders of `indikator_xl` are layers: each imports only the layers below it.

Read from the source (ast), so a lazy import inside a function counts too. The README's
"For developers" section draws the same order.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "indikator_xl"

# Bottom to top. A module may import its own layer and every layer before it.
LAYERS = ("domain", "reader", "validation", "figures", "output", "sheets", "report", "render",
          "pipeline", "generate")
# The edges: they may use every layer (and each other), but no layer may use them.
EDGES = ("cli", "sammanstall", "progress", "excel", "udfs", "diagnos", "user_config", "addin")


def _layer_of(parts: tuple[str, ...]) -> str:
    return parts[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """The top-level names under indikator_xl that a module imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"{path}: relative import; the layers use absolute ones"
            parts = node.module.split(".")
            if parts[0] != "indikator_xl":
                continue
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(a.name for a in node.names if a.name != "__version__")
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names
                         if a.name.startswith("indikator_xl."))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or
                 p.parent != PACKAGE)


def test_every_folder_and_module_has_a_place() -> None:
    tops = {_layer_of(p.relative_to(PACKAGE).parts) for p in MODULES}
    assert tops - {"data"} <= set(LAYERS) | set(EDGES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_module_imports_only_layers_below_it(path: Path) -> None:
    layer = _layer_of(path.relative_to(PACKAGE).parts)
    if layer in EDGES:
        return
    allowed = set(LAYERS[: LAYERS.index(layer) + 1])
    assert _imports(path) <= allowed, f"{layer} may import only {sorted(allowed)}"


def test_renderers_never_import_each_other() -> None:
    for path in (PACKAGE / "render").glob("to_*.py"):
        source = path.read_text(encoding="utf-8")
        for other in (PACKAGE / "render").glob("to_*.py"):
            if other != path:
                assert f"render.{other.stem}" not in source, (path.name, other.stem)
        assert "indikator_xl.report" not in source
    for path in (PACKAGE / "report").glob("*.py"):
        assert "indikator_xl.render" not in path.read_text(encoding="utf-8")
