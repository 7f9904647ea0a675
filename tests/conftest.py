"""Shared fixtures: project paths, the sample data, and a report built once per session."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import config
from helpers.inputs.params import load_params
from helpers.inputs.registers import load_registers
from helpers.report.result_cache import exclusive_lock

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def shared_root(tmp_path_factory) -> Path:
    """A folder shared by every test process of this run (pytest-xdist workers included)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session", autouse=True)
def result_cache_of_the_session(tmp_path_factory):
    """Keep the results cache of the tests apart from the project's; shared by the workers."""
    from helpers.report import result_cache

    folder = shared_root(tmp_path_factory) / "result-cache"
    folder.mkdir(exist_ok=True)
    previous = os.environ.get(result_cache.CACHE_DIR_ENV)
    os.environ[result_cache.CACHE_DIR_ENV] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop(result_cache.CACHE_DIR_ENV, None)
    else:
        os.environ[result_cache.CACHE_DIR_ENV] = previous


@pytest.fixture(scope="session")
def sample_registers():
    """The embedded sample registers, read and validated."""
    return load_registers(config.SAMPLE_DATA_DIR)


@pytest.fixture(scope="session")
def built_report(tmp_path_factory):
    """The 2025 report, both languages, HTML and PDF: built once per test run, shared by every
    test that only reads it (and by the test processes of a parallel run)."""
    from helpers.report.build import BuildResult, build_report

    out = shared_root(tmp_path_factory) / "built-report"
    with exclusive_lock(shared_root(tmp_path_factory) / "built-report.lock"):
        params = load_params(year=2025, languages=["vi", "en"], formats=["html", "pdf"])
        folder = out / params.folder_name
        if (folder / "manifest.json").is_file():
            outputs = sorted(p for p in folder.iterdir() if p.is_file())
            return BuildResult(folder, outputs, {})
        return build_report(params, out)


@pytest.fixture
def sample_copy(tmp_path):
    """A writable copy of the sample data folder."""
    target = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, target)
    return target


@pytest.fixture
def reliable_result():
    """A factory of reliable-looking production results (200 firms of 1,800 rows, 1,600 of them
    with a lagged row, one root, elasticities 0.6 / 0.4): ``reliable_result(**changes)``."""
    import dataclasses

    import pandas as pd

    from helpers.tfp.production import ProductionResult

    base = ProductionResult(
        method="acf",
        coefficients={"labour": 0.6, "capital": 0.4},
        std_errors=None,
        n_obs=1800,
        n_firms=200,
        n_lagged=1600,
        converged=True,
        criterion=1e-30,
        indistinct_roots=False,
        roots=(),
        warnings=(),
        notes=(),
        tfp=pd.Series(dtype=float),
        elasticities={"labour": 0.6, "capital": 0.4},
        reps=0,
        reps_used=0,
        seed=None,
    )
    return lambda **changes: dataclasses.replace(base, **changes)
