"""Inputs and results are shared within a process, and never served stale."""

import os
import shutil

from helpers import config
from helpers.report.context import load_context

PLAN = "data/plan/quang_ninh_203.yaml"


def test_languages_share_inputs_and_results(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    vi = load_context(year=2025, lang="vi", data_dir=data, plan_file=PLAN)
    en = load_context(year=2025, lang="en", data_dir=data, plan_file=PLAN)
    assert vi.registers is en.registers
    calls = []
    assert vi.cached("answer", lambda: calls.append(1) or 42) == 42
    assert en.cached("answer", lambda: calls.append(1) or 0) == 42
    assert calls == [1]


def test_an_edited_input_is_read_again(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    before = load_context(year=2025, lang="vi", data_dir=data, plan_file=PLAN)
    register = data / "activities.csv"
    lines = register.read_text(encoding="utf-8").splitlines()
    register.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # drop the last row
    stat = register.stat()
    os.utime(register, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    after = load_context(year=2025, lang="vi", data_dir=data, plan_file=PLAN)
    assert len(after.registers["activities"]) == len(before.registers["activities"]) - 1
    assert after.cached("answer", lambda: 7) == 7  # a new key space for the new inputs


def test_indicators_and_statuses_are_computed_once_and_each_context_gets_its_own(
    tmp_path, monkeypatch
):
    import helpers.report.context as context_module

    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    first = load_context(year=2025, lang="vi", data_dir=data, plan_file=PLAN)
    calls = []
    original = context_module.assess_plan

    def counted(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(context_module, "assess_plan", counted)
    again = load_context(year=2025, lang="en", data_dir=data, plan_file=PLAN)
    other_year = load_context(year=2024, lang="vi", data_dir=data, plan_file=PLAN)
    assert calls == [1]  # the other language reused it; another year is computed
    assert again.assessment.equals(first.assessment)
    assert again.indicators.equals(first.indicators)
    assert not other_year.assessment.equals(first.assessment)
    again.assessment.iloc[0, 0] = "changed"  # a section changing its copy changes no other
    assert not again.assessment.equals(first.assessment)
    assert load_context(year=2025, lang="vi", data_dir=data, plan_file=PLAN).assessment.equals(
        first.assessment
    )


def test_published_figures_are_read_once_per_content(tmp_path):
    from helpers.inputs.province_accounts import load_published_figures

    path = tmp_path / "published_figures.csv"
    shutil.copy(config.SAMPLE_DATA_DIR / "published_figures.csv", path)
    first = load_published_figures(path)
    first.loc[0, "value"] = -1.0  # the caller's copy only
    assert load_published_figures(path).loc[0, "value"] != -1.0
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    assert len(load_published_figures(path)) == len(first) - 1  # the edited file is read again


def test_a_bad_enterprise_panel_stops_before_any_notebook(tmp_path):
    import gzip

    import pytest

    from helpers.errors import InputError

    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    panel = data / "enterprise_panel.csv.gz"
    lines = gzip.decompress(panel.read_bytes()).decode("utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("capital")] = "-5"
    lines[1] = ",".join(row)
    panel.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode("utf-8")))
    with pytest.raises(InputError) as excinfo:
        load_context(year=2025, lang="en", data_dir=data, plan_file=PLAN)
    problem = next(p for p in excinfo.value.problems if p.file.startswith("enterprise_panel"))
    assert (problem.row, problem.column) == (2, "capital")
