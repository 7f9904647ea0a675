"""Shared fixtures: project paths, the sample data, and a report built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import config
from helpers.params import load_params
from helpers.registers import load_registers

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session", autouse=True)
def result_cache_of_the_session(tmp_path_factory):
    """Keep the results cache of the tests apart from the project's (one per test process)."""
    import os

    from helpers import result_cache

    folder = tmp_path_factory.mktemp("result-cache")
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
    """The 2025 report, both languages, HTML and PDF, built once into a temporary folder."""
    from helpers.report import build_report

    out = tmp_path_factory.mktemp("reports")
    params = load_params(year=2025, languages=["vi", "en"], formats=["html", "pdf"])
    result = build_report(params, out)
    return result


@pytest.fixture
def sample_copy(tmp_path):
    """A writable copy of the sample data folder."""
    target = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, target)
    return target
