"""The wheel's build hook: the front-end files the app serves at /vendor/ (npm packages, pinned in
package-lock.json and installed in node_modules by `npm ci`) are copied into the package, at spacegraph/web/vendor/.

Which files: the names and node_modules directories of VENDOR_FILES in src/spacegraph/web/headers.py, read from its
source (the build environment has no Flask to import it with), so that a file added there ships without a second
list to keep. An sdist carries the same files at their node_modules paths, so a wheel can be built from it. The ontology and the
example queries go into the wheel at spacegraph/ontology and spacegraph/queries.

An editable install (`pip install -e .`, as make does) gets none of them: it runs the checkout, which has them at
their places, and copies in site-packages would join the spacegraph namespace package as stale portions.
"""

from __future__ import annotations

import ast
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

HEADERS = Path("src") / "spacegraph" / "web" / "headers.py"
PACKAGED = "spacegraph/web/vendor"
SHIPPED = ("ontology", "queries")  # directories of the checkout the wheel holds inside the package


def vendor_files(root: Path) -> dict[str, Path]:
    """VENDOR_FILES of web/headers.py: file name -> the file in node_modules.

    Each value there is written ``NODE_MODULES / "package" / "dir"``; anything else is an error that names it."""
    tree = ast.parse((root / HEADERS).read_text(encoding="utf-8"))
    table = next(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "VENDOR_FILES" for t in node.targets)
    )
    assert isinstance(table, ast.Dict)
    found = {}
    for key, value in zip(table.keys, table.values, strict=True):
        parts: list[str] = []
        while isinstance(value, ast.BinOp) and isinstance(value.op, ast.Div) and isinstance(value.right, ast.Constant):
            parts.insert(0, value.right.value)
            value = value.left
        if not (isinstance(key, ast.Constant) and isinstance(value, ast.Name) and value.id == "NODE_MODULES"):
            raise ValueError(
                f'{HEADERS}: VENDOR_FILES entries must read NODE_MODULES / "package" / …, line {key.lineno}'
            )
        found[key.value] = root / "node_modules" / Path(*parts) / key.value
    return found


class VendorFilesHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if version == "editable":
            return
        root = Path(self.root)
        if self.target_name == "wheel":
            for directory in SHIPPED:
                build_data["force_include"][str(root / directory)] = f"spacegraph/{directory}"
        for name, source in vendor_files(root).items():
            if not source.is_file():
                raise FileNotFoundError(
                    f"{source}: missing. Run `npm ci --ignore-scripts` (make does) to fetch the front-end files "
                    "the package ships, then build again."
                )
            target = f"{PACKAGED}/{name}" if self.target_name == "wheel" else str(source.relative_to(root))
            build_data["force_include"][str(source)] = target
