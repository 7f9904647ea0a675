"""The public API of ``helpers``: every name of ``__all__`` resolves, lazily."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys

import pytest

import helpers
from helpers import config

#: Names the issue asks for at the top of the package (the rest are further entry points).
REQUIRED = {
    "estimate",
    "decompose",
    "load_context",
    "build_report",
    "load_plan",
    "load_registers",
    "load_params",
    "NsclError",
    "InputError",
    "ArgumentError",
    "InternalError",
    "InputProblem",
}


def run_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=config.PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_all_holds_the_required_names_once_each_with_its_module():
    assert set(helpers.__all__) >= REQUIRED
    assert len(helpers.__all__) == len(set(helpers.__all__))
    assert set(helpers.__all__) == set(helpers._EXPORTS)


@pytest.mark.parametrize("name", helpers.__all__)
def test_every_public_name_resolves_to_its_definition(name):
    module = importlib.import_module(helpers._EXPORTS[name])
    value = getattr(helpers, name)
    assert value is getattr(module, name)
    assert value.__name__ == name  # a function or class under its own name, not an alias
    assert value.__module__ == module.__name__  # defined there, not re-exported from elsewhere


def test_the_api_prints_from_a_fresh_interpreter_without_loading_a_layer():
    out = run_python(
        "import json, sys, helpers; "
        "print(json.dumps({'all': helpers.__all__, "
        "'loaded': sorted(m for m in ('pandas', 'numpy', 'helpers.tfp', 'helpers.report') "
        "if m in sys.modules)}))"
    )
    seen = json.loads(out)
    assert seen["all"] == helpers.__all__
    assert seen["loaded"] == []  # import helpers stays fast: nothing heavy until a name is used
    printed = run_python("import helpers; print(helpers.__all__)")
    assert ast.literal_eval(printed.strip()) == helpers.__all__


def test_unknown_names_and_submodules_behave_as_usual():
    with pytest.raises(AttributeError, match="no_such_name"):
        _ = helpers.no_such_name
    from helpers import i18n  # a submodule is still imported, not taken for an export

    assert i18n.__name__ == "helpers.i18n"
    assert "estimate" in dir(helpers)


def test_the_static_imports_match_the_lazy_table():
    # editors and type checkers read the TYPE_CHECKING block; it must name the same objects
    tree = ast.parse((config.PACKAGE_DIR / "__init__.py").read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    static = {
        alias.name: node.module
        for node in block.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert static == helpers._EXPORTS
