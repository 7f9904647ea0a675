"""The environment files agree: pyproject.toml, the pip lock files, environment.yml, the
system packages named in the README, installed by .ci/run and checked by ``make setup``."""

import re
from pathlib import Path

import nbformat
import yaml

from helpers import system_check
from helpers.environment_files import (
    conda_environment,
    lock_versions,
    project_requirements,
)

ROOT = Path(__file__).resolve().parents[1]


def test_every_direct_dependency_is_locked():
    groups = project_requirements(ROOT)
    base = lock_versions(ROOT / "requirements.txt")
    dev = lock_versions(ROOT / "requirements-dev.txt")
    lab = lock_versions(ROOT / "requirements-lab.txt")
    assert set(groups["base"]) <= set(base)
    assert set(groups["base"] + groups["dev"] + groups["cluster"]) <= set(dev)
    assert set(groups["lab"]) <= set(lab)
    # one resolution: the larger locks pin the smaller ones' packages at the same versions
    assert {name: dev[name] for name in base} == base
    assert {name: lab[name] for name in dev} == dev


def test_lock_files_carry_hashes():
    for name in ("requirements.txt", "requirements-dev.txt", "requirements-lab.txt"):
        text = (ROOT / name).read_text()
        pins = len(re.findall(r"^\S+==", text, flags=re.M))
        assert pins > 50
        assert text.count("--hash=sha256:") >= pins, name


def test_jupyterlab_and_dask_are_extras_not_build_dependencies():
    groups = project_requirements(ROOT)
    assert "jupyterlab" in groups["lab"] and "jupyterlab" not in groups["base"]
    assert {"dask", "distributed"} <= set(groups["cluster"])
    assert not {"dask", "distributed"} & set(groups["base"])


def test_environment_yml_is_generated_from_the_locks():
    assert (ROOT / "environment.yml").read_text() == conda_environment(ROOT)
    conda = yaml.safe_load((ROOT / "environment.yml").read_text())["dependencies"]
    pins = dict(d.split("=", 1) for d in conda if isinstance(d, str) and "=" in d)
    lab = lock_versions(ROOT / "requirements-lab.txt")
    assert pins.pop("python") == "3.11"
    assert pins == {name: lab[name] for name in pins}
    assert "-e ." in next(d["pip"] for d in conda if isinstance(d, dict))


def _readme_apt_packages(kind: str) -> set[str]:
    readme = (ROOT / "README.md").read_text()
    line = next(x for x in readme.splitlines() if x.startswith("apt-get install") and kind in x)
    return {w for w in line.split("#")[0].split()[2:] if not w.startswith("-")}


def test_readme_ci_and_setup_name_the_same_system_packages():
    required = {need.package for need in system_check.REQUIRED}
    optional = {need.package for need in system_check.OPTIONAL}
    assert _readme_apt_packages("required") == required
    assert _readme_apt_packages("optional") == optional
    ci = (ROOT / ".ci" / "run").read_text()
    assert "system_check.py --apt all" in ci and "make test" in ci
    assert "system_check.py" in (ROOT / "Makefile").read_text()


def test_system_check_names_one_install_line(monkeypatch, capsys):
    monkeypatch.setattr(
        system_check,
        "REQUIRED",
        (system_check.SystemNeed("libpango-1.0-0", "Pango", lambda: False),),
    )
    monkeypatch.setattr(system_check, "OPTIONAL", ())
    assert system_check.report() == 2
    out = capsys.readouterr().out
    assert "apt-get install -y --no-install-recommends libpango-1.0-0" in out


def test_system_check_passes_on_this_machine():
    assert system_check.missing(system_check.REQUIRED) == []


def test_notebooks_are_committed_without_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        book = nbformat.read(path, as_version=4)
        for cell in book.cells:
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, path.name
        tags = [set(c.metadata.get("tags", [])) for c in book.cells]
        assert any("parameters" in t for t in tags), f"{path.name} has no parameters cell"
