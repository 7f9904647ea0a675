"""Results computed ahead in the background: the same numbers, once, and nothing left behind."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
import types

import nbformat
import numpy as np
import pandas as pd
import pytest

from helpers.inputs.params import BOOTSTRAP_REPS_ENV
from helpers.report import ahead, context, result_cache
from helpers.report.build import section_notebooks
from helpers.report.context import load_context
from helpers.report.manifest import result_sources
from helpers.report.sections import enterprises, province
from helpers.tfp.production_estimators import limit_blas_threads

PLAN = "data/plan/quang_ninh_203.yaml"
RESULTS = {
    "enterprise production functions (2025)": enterprises.estimates,
    "event study of support (2025)": enterprises.support_study,
    "sensitivity 2021-2025 (2025)": province.phase_sensitivity,
    "reconciliation with the published shares (2025)": province.reconciliation,
}


def assert_same(first: object, second: object, where: str) -> None:
    """Assert two results are equal to the last bit: frames, arrays, numbers, dataclasses."""
    assert type(first) is type(second), where
    if isinstance(first, pd.DataFrame | pd.Series):
        assert_equal = (
            pd.testing.assert_frame_equal
            if isinstance(first, pd.DataFrame)
            else pd.testing.assert_series_equal
        )
        assert_equal(first, second, check_exact=True, obj=where)
    elif isinstance(first, np.ndarray):
        assert np.array_equal(first, second, equal_nan=first.dtype.kind == "f"), where
    elif isinstance(first, float):
        assert first == second or (np.isnan(first) and np.isnan(second)), where
    elif dataclasses.is_dataclass(first):
        for field in dataclasses.fields(first):
            name = f"{where}.{field.name}"
            assert_same(getattr(first, field.name), getattr(second, field.name), name)
    elif isinstance(first, dict):
        assert list(first) == list(second), where  # type: ignore[arg-type]
        for key in first:
            assert_same(first[key], second[key], f"{where}[{key!r}]")  # type: ignore[index]
    elif isinstance(first, list | tuple):
        assert len(first) == len(second), where  # type: ignore[arg-type]
        for index, (a, b) in enumerate(zip(first, second, strict=True)):  # type: ignore[call-overload]
            assert_same(a, b, f"{where}[{index}]")
    else:
        assert first == second, where


def _notebook(path, code: str):
    book = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nbformat.write(book, path)
    return path


def test_sections_used_are_read_from_the_notebooks_code(tmp_path):
    assert {"enterprises", "province"} <= ahead.sections_used(section_notebooks("annual"))
    plain = _notebook(tmp_path / "plain.ipynb", "from helpers.report import blocks\nx = 1")
    assert ahead.sections_used([plain]) == set()
    dotted = _notebook(tmp_path / "dotted.ipynb", "import helpers.report.sections.province")
    assert ahead.sections_used([dotted]) == {"province"}


def test_nothing_is_computed_ahead_without_the_cache_or_when_switched_off(monkeypatch):
    monkeypatch.delenv(ahead.AHEAD_ENV, raising=False)
    monkeypatch.delenv(result_cache.NO_CACHE_ENV, raising=False)
    assert ahead.enabled()
    assert not ahead.enabled(use_cache=False)
    monkeypatch.setenv(ahead.AHEAD_ENV, "0")
    assert not ahead.enabled()
    monkeypatch.delenv(ahead.AHEAD_ENV)
    monkeypatch.setenv(result_cache.NO_CACHE_ENV, "1")
    assert not ahead.enabled()
    with ahead.computed_ahead(object(), section_notebooks("annual")) as started:  # type: ignore[arg-type]
        assert started == []


def test_results_computed_ahead_are_those_the_kernel_would_compute(
    sample_copy, tmp_path, monkeypatch
):
    """Computed in the background, then read by the sections from the cache: each result is
    computed once, and equals, to the last bit, the result computed here with the cache off."""
    monkeypatch.setenv(result_cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(BOOTSTRAP_REPS_ENV, "19")
    log = tmp_path / "uses.jsonl"
    monkeypatch.setenv(result_cache.CACHE_LOG_ENV, str(log))
    monkeypatch.delenv(ahead.AHEAD_ENV, raising=False)
    monkeypatch.setattr(context, "_SHARED_RESULTS", {})
    ctx = load_context(year=2025, lang="vi", data_dir=sample_copy, plan_file=PLAN)
    with ahead.computed_ahead(ctx, section_notebooks("annual")) as started:
        assert len(started) == 2
        for process in started:
            process.join(timeout=600)
            assert process.exitcode == 0
    read = {label: compute(ctx) for label, compute in RESULTS.items()}
    uses = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    for label in RESULTS:
        assert [u["source"] for u in uses if u["result"] == label] == ["computed", "cache"]

    monkeypatch.setattr(context, "_SHARED_RESULTS", {})
    monkeypatch.setenv(result_cache.NO_CACHE_ENV, "1")
    with limit_blas_threads(1):  # as in the kernel
        again = {label: compute(ctx) for label, compute in RESULTS.items()}
    for label in RESULTS:
        assert_same(read[label], again[label], label)


@pytest.fixture
def fake_section(monkeypatch, tmp_path):
    """A section ``fake`` whose results are slow (a minute, in a process and its child) or fail."""
    module = types.ModuleType("nscl_fake_sections.fake")
    marker = tmp_path / "child.pid"

    def slow(ctx):
        child = os.fork()
        if child == 0:  # a worker of the background process, as the bootstrap's are
            time.sleep(60)
            os._exit(0)
        marker.write_text(str(child))
        time.sleep(60)

    def failing(ctx):
        print("this goes nowhere", file=sys.stderr)
        raise RuntimeError("the section will compute it and report this")

    module.slow, module.failing = slow, failing  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "nscl_fake_sections.fake", module)
    monkeypatch.setattr(ahead, "SECTIONS_PACKAGE", "nscl_fake_sections")
    monkeypatch.delenv(ahead.AHEAD_ENV, raising=False)
    notebook = _notebook(tmp_path / "05_fake.ipynb", "from helpers.report.sections import fake")
    return notebook, marker


def _alive(pid: int) -> bool:
    try:
        finished, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:  # not our child: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split()[2] != "Z"
    return finished == 0


@pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc are Linux's")
def test_a_build_that_ends_stops_its_background_processes_and_their_workers(
    fake_section, monkeypatch
):
    notebook, marker = fake_section
    monkeypatch.setattr(ahead, "AHEAD_RESULTS", {"fake": ("slow",)})
    started_at = time.perf_counter()
    with ahead.computed_ahead(object(), [notebook]) as started:  # type: ignore[arg-type]
        assert len(started) == 1
        for _ in range(200):
            if marker.is_file() and marker.read_text():
                break
            time.sleep(0.05)
        worker = int(marker.read_text())
        assert started[0].is_alive() and _alive(worker)
    assert not started[0].is_alive()
    for _ in range(100):
        if not _alive(worker):
            break
        time.sleep(0.05)
    assert not _alive(worker)
    assert time.perf_counter() - started_at < 30


def test_a_failing_result_ends_its_process_quietly(fake_section, monkeypatch, capfd):
    notebook, _ = fake_section
    monkeypatch.setattr(ahead, "AHEAD_RESULTS", {"fake": ("failing", "slow")})
    with ahead.computed_ahead(object(), [notebook]) as started:  # type: ignore[arg-type]
        started[0].join(timeout=30)
        assert started[0].exitcode == 0  # the next result of the group is not attempted
    captured = capfd.readouterr()
    assert "goes nowhere" not in captured.err + captured.out


def test_a_result_computed_during_the_build_is_listed_as_computed():
    uses = [
        {"result": "estimates (2025)", "source": "computed"},  # in the background
        {"result": "estimates (2025)", "source": "cache"},  # then read by the kernel
        {"result": "sensitivity (2025)", "source": "cache"},  # from an earlier build
    ]
    assert result_sources(uses) == {"estimates (2025)": "computed", "sensitivity (2025)": "cache"}
