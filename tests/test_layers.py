"""The layers of ``helpers``, read from the source: computing never imports rendering, and the
build never imports the sample generators.

Imports are read with :mod:`ast` (every ``import`` and ``from ... import``, at the top of a
module or inside a function), so a late import inside a function is caught as well; a last test
builds a report context in a fresh interpreter and looks at what it imported.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import config

PACKAGE = config.PACKAGE_DIR
#: Layers that compute: data in, results out; they never know about the report or the command.
COMPUTING_LAYERS = ("inputs", "programme", "tfp")
#: What the computing layers must not import.
RENDERING = ("helpers.report", "helpers.cli")
SAMPLES = "helpers.samples"


def module_name(path: Path) -> str:
    """``src/helpers/tfp/production.py`` -> ``helpers.tfp.production``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(tree: ast.AST, module: str, is_package: bool = False) -> set[str]:
    """Every module a syntax tree imports, absolute, with ``from A import b`` also as ``A.b``.

    Examples
    --------
    >>> tree = ast.parse("from helpers import report\\nfrom ..samples import registers")
    >>> sorted(imported_modules(tree, "helpers.tfp.production"))
    ['helpers', 'helpers.report', 'helpers.samples', 'helpers.samples.registers']

    """
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolved against the importing module's package
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def is_within(name: str, packages: tuple[str, ...] | str) -> bool:
    """True when ``name`` is one of ``packages`` or inside one of them."""
    prefixes = (packages,) if isinstance(packages, str) else packages
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def source_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return imported_modules(tree, module_name(path), path.name == "__init__.py")


def notebook_imports(path: Path) -> set[str]:
    """Imports of a notebook's code cells (lines of IPython magics and shell left out)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found: set[str] = set()
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        lines = "".join(cell["source"]).splitlines()
        code = "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))
        found |= imported_modules(ast.parse(code, filename=str(path)), "notebook")
    return found


def modules_under(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (PACKAGE / folder).rglob("*.py"))


def build_path_modules() -> list[Path]:
    """Every module of the package except the sample generators themselves."""
    return sorted(p for p in PACKAGE.rglob("*.py") if "samples" not in p.relative_to(PACKAGE).parts)


def test_the_reader_of_imports_sees_every_form():
    # the checks below are only as good as this reader: each form of import is resolved
    source = (
        "import helpers.report.build\n"
        "from helpers.cli import main\n"
        "from . import charts\n"
        "def late():\n"
        "    from ..samples.simulate import simulate_panel\n"
    )
    found = imported_modules(ast.parse(source), "helpers.tfp.production")
    assert {
        "helpers.report.build",
        "helpers.cli.main",
        "helpers.tfp.charts",
        "helpers.samples.simulate.simulate_panel",
    } <= found
    assert module_name(PACKAGE / "tfp" / "__init__.py") == "helpers.tfp"


@pytest.mark.parametrize("layer", COMPUTING_LAYERS)
def test_computing_layers_do_not_import_the_report_or_the_command(layer):
    modules = modules_under(layer)
    assert len(modules) >= 3  # the layer exists and is read (an empty glob would pass anything)
    offending = {
        module_name(path): sorted(n for n in source_imports(path) if is_within(n, RENDERING))
        for path in modules
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_the_build_path_does_not_import_the_samples():
    modules = build_path_modules()
    names = {module_name(p) for p in modules}
    # the build's own modules are among those read
    assert {"helpers.report.context", "helpers.report.build", "helpers.cli.app"} <= names
    assert "helpers.inputs.enterprise_panel" in names
    offending = {
        module_name(path): sorted(n for n in source_imports(path) if is_within(n, SAMPLES))
        for path in modules
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_the_notebooks_do_not_import_the_samples():
    notebooks = sorted(config.NOTEBOOKS_DIR.glob("*.ipynb"))
    assert notebooks
    offending = {
        p.name: sorted(n for n in notebook_imports(p) if is_within(n, SAMPLES)) for p in notebooks
    }
    assert {name: found for name, found in offending.items() if found} == {}


LOAD_A_CONTEXT = """
import json, sys
import helpers.report.build
import helpers.report.context
from helpers.report.sections import enterprises, funding, programme, province, review
from helpers.report.context import load_context
ctx = load_context(
    year=2025, lang="vi", data_dir="data/sample", plan_file="data/plan/quang_ninh_203.yaml"
)
print(json.dumps({
    "samples": sorted(m for m in sys.modules if m.startswith("helpers.samples")),
    "truth": ctx.panel.attrs["truth"]["support_effect"],
    "helpers": len([m for m in sys.modules if m.startswith("helpers.")]),
}))
"""


def test_building_a_context_loads_no_sample_module(tmp_path):
    environment = {**os.environ, "NSCL_CACHE_DIR": str(tmp_path / "cache")}  # a real read
    done = subprocess.run(
        [sys.executable, "-c", LOAD_A_CONTEXT],
        cwd=config.PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["samples"] == []
    # the sample panel was read and recognised: its truth (0.08) came from the data folder
    assert seen["truth"] == 0.08
    assert seen["helpers"] > 10  # the report layer and its inputs were really imported
