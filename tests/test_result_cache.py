"""The on-disk results cache: shared by rebuilds, recomputed exactly when an input, the
result's key or the code changes, never read when switched off."""

from __future__ import annotations

import json
import shutil

import pytest

from helpers import config
from helpers.report import result_cache
from helpers.report.context import load_context

PLAN = "data/plan/quang_ninh_203.yaml"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(result_cache.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(result_cache.NO_CACHE_ENV, raising=False)
    log = tmp_path / "uses.jsonl"
    monkeypatch.setenv(result_cache.CACHE_LOG_ENV, str(log))
    return folder, log


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"value": 42}


def test_a_result_is_computed_once_then_read(cache):
    _, log = cache
    compute = Counter()
    first = result_cache.cached_on_disk(("inputs-a", 2025, "k"), "demo", compute)
    second = result_cache.cached_on_disk(("inputs-a", 2025, "k"), "demo", compute)
    assert first == second == {"value": 42}
    assert compute.calls == 1
    assert [u["source"] for u in result_cache.read_log(log)] == ["computed", "cache"]


def test_other_parts_or_other_code_mean_another_result(cache, monkeypatch):
    compute = Counter()
    result_cache.cached_on_disk(("inputs-a", 2025, "k"), "demo", compute)
    result_cache.cached_on_disk(("inputs-b", 2025, "k"), "demo", compute)
    result_cache.cached_on_disk(("inputs-a", 2024, "k"), "demo", compute)
    assert compute.calls == 3
    monkeypatch.setattr(result_cache, "code_fingerprint", lambda: "edited code")
    result_cache.cached_on_disk(("inputs-a", 2025, "k"), "demo", compute)
    assert compute.calls == 4


def test_switched_off_nothing_is_read_or_written(cache, monkeypatch):
    folder, log = cache
    monkeypatch.setenv(result_cache.NO_CACHE_ENV, "1")
    compute = Counter()
    result_cache.cached_on_disk(("x",), "demo", compute)
    result_cache.cached_on_disk(("x",), "demo", compute)
    assert compute.calls == 2
    assert not folder.exists()
    assert {u["source"] for u in result_cache.read_log(log)} == {"computed (cache off)"}


def test_a_damaged_file_is_computed_again(cache):
    folder, _ = cache
    compute = Counter()
    result_cache.cached_on_disk(("x",), "demo", compute)
    (stored,) = folder.glob("*.pickle")
    stored.write_bytes(b"not a pickle")
    assert result_cache.cached_on_disk(("x",), "demo", compute) == {"value": 42}
    assert compute.calls == 2


def test_changing_an_input_file_recomputes_the_context_results(cache, tmp_path):
    _, log = cache
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    compute = Counter()

    def use():
        ctx = load_context(year=2025, lang="vi", data_dir=data, plan_file=PLAN)
        ctx.cached(("demo",), compute, persist=True, label="demo")

    use()
    use()  # same process: in-memory; a new process would read the file
    assert compute.calls == 1
    accounts = data / "province_accounts.csv"
    accounts.write_text(accounts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    use()
    assert compute.calls == 2
    sources = [u["source"] for u in result_cache.read_log(log) if u["result"].startswith("demo")]
    assert sources == ["computed", "computed"]


def test_the_manifest_lists_where_each_result_came_from(built_report):
    manifest = json.loads((built_report.folder / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["results"].values()) <= {"computed", "cache", "computed (cache off)"}
    assert any(name.startswith("event study") for name in manifest["results"])
    assert {"pyfixest", "pandera", "openpyxl", "jinja2", "weasyprint"} <= set(manifest["versions"])
    assert set(manifest["locks"]) == {"requirements.txt", "requirements-dev.txt"}


def test_the_province_results_follow_the_accounts_alone(cache, tmp_path):
    """Editing a register keeps the sensitivity grid and the reconciliation; editing the
    province accounts computes them again (each result names the inputs it depends on)."""
    from helpers.report.sections import province

    _, log = cache
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)

    def sources_after_a_build() -> dict[str, str]:
        log.unlink(missing_ok=True)
        ctx = load_context(year=2025, lang="vi", data_dir=data, plan_file=PLAN)
        province.reconciliation_table(ctx)
        province._sensitivity(ctx, 2021, 2025)
        return {u["result"].split(" ")[0]: u["source"] for u in result_cache.read_log(log)}

    assert set(sources_after_a_build().values()) == {"computed"}
    register = data / "supported_enterprises.csv"
    register.write_text(register.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = sources_after_a_build()
    assert again["sensitivity"] == again["reconciliation"] == "cache"
    accounts = data / "province_accounts.csv"
    accounts.write_text(accounts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = sources_after_a_build()
    assert edited["sensitivity"] == edited["reconciliation"] == "computed"
