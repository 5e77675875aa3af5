"""The layout is the architecture: the layers import only downward, and no module or function outgrows one job."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "spacegraph"

# Top to bottom: a package or module may import from its own layer and from the layers below it, never above.
LAYERS = [
    {"__main__", "cli"},
    {"web"},
    {"library"},
    {"planning"},
    {"analysis"},
    {"build", "ingest"},
    {"names"},
    {"write"},
    {"validation"},
    {"query", "stats"},
    {"sparql"},
    {"store"},
    {"datafiles", "iris"},
    {"settings", "vocab"},
]
RANK = {part: rank for rank, layer in enumerate(LAYERS) for part in layer}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules() -> list[Path]:
    return sorted(SOURCE.rglob("*.py"))


def part_of(dotted: str) -> str:
    """The layer part of ``spacegraph.web.render`` is ``web``; of ``spacegraph.build``, ``build``."""
    return dotted.split(".")[1]


def imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("spacegraph."):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("spacegraph.")}
    return found


def test_every_part_of_the_package_has_a_layer():
    parts = {path.relative_to(SOURCE).parts[0].removesuffix(".py") for path in modules()} - {"__init__"}
    assert parts - set(RANK) == set(), "add the new part to LAYERS (and to the README's layout section)"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(SOURCE)))
def test_imports_run_downward(path):
    me = path.relative_to(SOURCE).parts[0].removesuffix(".py")
    if me == "__init__":
        return
    upward = sorted(m for m in imports(path) if RANK[part_of(m)] < RANK[me])
    assert upward == [], f"{path.relative_to(SOURCE)} ({me}) imports from a higher layer"


def test_no_module_outgrows_one_job():
    large = {
        str(p.relative_to(SOURCE)): n for p in modules() if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert large == {}, f"split these modules (over {MAX_MODULE_LINES} lines) by what each part does"


def test_no_function_is_longer_than_a_screen():
    long = {}
    for path in modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                if (lines := node.end_lineno - node.lineno + 1) > MAX_FUNCTION_LINES:  # type: ignore[operator]
                    long[f"{path.relative_to(SOURCE)}:{node.name}"] = lines
    assert long == {}, f"functions over {MAX_FUNCTION_LINES} lines"
