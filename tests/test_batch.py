"""Batch builds, incremental skipping, the landing page, verify, and the Dask path."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading

import pytest

from helpers import config
from helpers.processes import BOOTSTRAP_WORKERS_ENV
from helpers.report import batch as batch_module
from helpers.report import warm_kernel, warm_start
from helpers.report.batch import (
    BUILT,
    FAILED,
    SKIPPED,
    Job,
    exit_code,
    parse_years,
    plan_jobs,
    run_batch,
    summary_table,
)
from helpers.report.landing import write_index
from helpers.report.manifest import CURRENT, STALE, TAMPERED, verify_report


def _digests(folder, *, skip=("notebooks", "manifest.json")):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] not in skip
    }


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    """Two reports, one of which fails on purpose (its register has a bad tax code)."""
    root = tmp_path_factory.mktemp("batch")
    data = root / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    broken = root / "broken-data"
    shutil.copytree(config.SAMPLE_DATA_DIR, broken)
    register = broken / "supported_enterprises.csv"
    lines = register.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace(",57", ",5X", 1)
    register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    params = root / "params"
    params.mkdir()
    (params / "good.yaml").write_text(
        f"year: 2023\nlanguages: [vi]\nformats: [html]\ndata_dir: {data}\nreport_id: good\n"
        "bootstrap_replications: 19\n"
    )
    (params / "broken.yaml").write_text(
        f"year: 2024\nlanguages: [vi]\nformats: [html]\ndata_dir: {broken}\nreport_id: broken\n"
    )
    out = root / "reports"
    jobs = plan_jobs(params_dir=params)
    results = run_batch(jobs, out, workers=2)
    return {"root": root, "out": out, "jobs": jobs, "results": results, "data": data}


def test_failure_is_isolated_and_named(batch_run):
    results = {r.name: r for r in batch_run["results"]}
    assert results["good"].status == BUILT
    assert results["broken"].status == FAILED
    assert results["broken"].exit_code == 2  # bad input
    assert (batch_run["out"] / "good" / "nscl-good-vi.html").is_file()
    assert not (batch_run["out"] / "broken").exists()
    table = summary_table(batch_run["results"])
    assert "broken" in table and "failed" in table and "good" in table
    assert "Mã số thuế" in results["broken"].log.read_text(encoding="utf-8")
    assert exit_code(batch_run["results"]) == 2


def test_unchanged_report_is_skipped(batch_run):
    good = [j for j in batch_run["jobs"] if j.name == "good"]
    again = run_batch(good, batch_run["out"])
    assert again[0].status == SKIPPED


def test_landing_page_lists_reports(batch_run):
    page = write_index(batch_run["out"]).read_text(encoding="utf-8")
    assert 'href="good/nscl-good-vi.html"' in page
    assert "Khớp dữ liệu / Current" in page
    assert "http" not in page.replace("http://www.w3.org", "")


def test_verify_detects_changed_input_and_tampering(batch_run, tmp_path):
    folder = tmp_path / "good"
    shutil.copytree(batch_run["out"] / "good", folder)
    assert verify_report(folder).status == CURRENT
    page = folder / "nscl-good-vi.html"
    page.write_text(page.read_text(encoding="utf-8") + "<!-- edited -->", encoding="utf-8")
    tampered = verify_report(folder)
    assert tampered.status == TAMPERED and tampered.changed_outputs == ["nscl-good-vi.html"]
    activities = batch_run["data"] / "activities.csv"
    original = activities.read_bytes()
    try:
        activities.write_bytes(original + b"\n")
        stale = verify_report(batch_run["out"] / "good")
        assert stale.status == STALE
        assert any(name.endswith("activities.csv") for name in stale.changed_inputs)
        assert "activities.csv" in stale.describe()
    finally:
        activities.write_bytes(original)


def test_two_builds_are_byte_identical(built_report, tmp_path, monkeypatch):
    """The Vietnamese edition built again, alone, with its notebooks run again in a kernel
    started as a new process (the session's report had one forked from the build, see
    helpers.report.warm_kernel): every file is the session report's Vietnamese file, byte for
    byte."""
    from helpers.inputs.params import load_params
    from helpers.report import notebook_cache
    from helpers.report.build import build_report

    params = load_params(year=2025, languages=["vi"], formats=["html", "pdf"])
    # the notebooks run again (not from their cache): their outputs must be the same bytes.
    # The PDF of an identical page comes from the PDF cache; that WeasyPrint writes the same
    # bytes again is test_pdf.py's test_contents_links_resolve_in_the_pdf_written_again_…
    monkeypatch.setattr(notebook_cache, "entry_for", lambda key, languages: None)
    monkeypatch.setenv(warm_kernel.WARM_KERNEL_ENV, "0")
    again = build_report(params, tmp_path)
    second = _digests(again.folder)
    first = {
        name: digest for name, digest in _digests(built_report.folder).items() if name in second
    }
    assert first == second
    assert {"nscl-2025-vi.html", "nscl-2025-vi.pdf", "tables-2025-vi.xlsx"} <= set(second)
    assert {"tables/target-status-vi.csv", "tables/enterprise-support-event-study-vi.csv"} <= set(
        second
    )
    results = json.loads((again.folder / "manifest.json").read_text(encoding="utf-8"))["results"]
    assert results["PDF (vi)"] == "cache"  # the same page, the same PDF


def test_dask_path_gives_the_same_files(batch_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    good = [j for j in batch_run["jobs"] if j.name == "good"]
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        results = run_batch(good, tmp_path, scheduler=cluster.scheduler_address)
    assert results[0].status == BUILT
    assert _digests(tmp_path / "good") == _digests(batch_run["out"] / "good")


def test_years_parsing_and_planning(tmp_path):
    assert parse_years("2021-2025") == [2021, 2022, 2023, 2024, 2025]
    with pytest.raises(ValueError, match="backwards"):
        parse_years("2025-2021")
    jobs = plan_jobs(years=[2023, 2029], languages=["en"])
    assert jobs[0] == Job("2023", config.PARAMS_DIR / "2023.yaml", 2023, ("en",))
    assert jobs[1].params_file is None and jobs[1].params().year == 2029
    names = {j.name for j in plan_jobs()}
    assert {"2021", "2025", "phase1_review"} <= names and "default" not in names


def test_a_batch_of_years_takes_further_parameter_files(tmp_path):
    review = config.PARAMS_DIR / "phase1_review.yaml"
    jobs = plan_jobs(years=[2024, 2025], languages=["vi", "en"], params_files=[review])
    assert [j.name for j in jobs] == ["2024", "2025", "phase1_review"]
    assert jobs[2] == Job("phase1_review", review, None, ("vi", "en"))
    assert jobs[2].params().kind == "phase_review"
    assert [j.name for j in plan_jobs(params_files=[review])] == ["phase1_review"]
    with pytest.raises(ValueError, match="two jobs named 2025"):
        plan_jobs(years=[2025], params_files=[config.PARAMS_DIR / "2025.yaml"])


def test_results_come_back_in_job_order_each_reported_once(monkeypatch, tmp_path):
    # the jobs finish in the reverse order: progress hears them as they finish, the result
    # keeps the order of the jobs (no build runs: run_job is replaced)
    from helpers.report import batch

    jobs = [Job(str(year), None, year, ("vi",)) for year in (2021, 2022, 2023)]
    turn = {"2023": threading.Event(), "2022": threading.Event(), "2021": threading.Event()}
    turn["2023"].set()
    following = {"2023": "2022", "2022": "2021", "2021": None}

    def finish_in_reverse(job, out_root, log_dir, *, side_by_side=False, starter=None):
        assert turn[job.name].wait(timeout=30)
        return batch.JobResult(job.name, BUILT, 0.0, None)

    def hear(result):
        # the next job may finish only once this one has been heard: no race between them
        heard.append(result)
        if following[result.name]:
            turn[following[result.name]].set()

    monkeypatch.setattr(batch, "run_job", finish_in_reverse)
    heard = []
    results = run_batch(jobs, tmp_path, workers=3, force=True, progress=hear)
    assert [r.name for r in results] == ["2021", "2022", "2023"]
    assert [r.name for r in heard] == ["2023", "2022", "2021"]


@pytest.mark.parametrize(
    ("workers", "n_jobs", "expected"), [(2, 3, True), (1, 3, False), (2, 1, False)]
)
def test_builds_side_by_side_bootstrap_in_one_process(
    tmp_path, monkeypatch, workers, n_jobs, expected
):
    seen = []

    def record(job, out_root, log_dir, *, side_by_side=False, starter=None):
        seen.append(side_by_side)
        return batch_module.JobResult(job.name, BUILT, 0.0, None)

    monkeypatch.setattr(batch_module, "run_job", record)
    jobs = [Job(str(year), None, year, ("vi",)) for year in range(2021, 2021 + n_jobs)]
    batch_module._run_locally(jobs, tmp_path, tmp_path / "logs", workers, None)
    assert seen == [expected] * n_jobs


def test_reports_of_the_same_year_do_not_start_side_by_side(tmp_path, monkeypatch):
    # the phase review of 2025 uses the 2025 report's results: the 2025 report starts first,
    # the review with the next free slot (not last: it is light), the other years in order
    review = Job("phase1_review", config.PARAMS_DIR / "phase1_review.yaml")
    years = [Job(str(year), None, year, ("vi", "en")) for year in range(2021, 2026)]
    names = [job.name for job in batch_module.start_order([*years, review], workers=2)]
    assert names == ["2025", "2021", "phase1_review", "2022", "2023", "2024"]
    names = [job.name for job in batch_module.start_order([*years, review], workers=1)]
    assert names == ["2025", "phase1_review", "2021", "2022", "2023", "2024"]
    assert batch_module.start_order(years, workers=2) == years  # no year shared: as planned
    broken = Job("broken", tmp_path / "missing.yaml")
    assert batch_module.start_order([broken, *years[:2]], 2) == [broken, *years[:2]]
    started = []

    def record(job, out_root, log_dir, *, side_by_side=False, starter=None):
        started.append(job.name)
        return batch_module.JobResult(job.name, BUILT, 0.0, None)

    monkeypatch.setattr(batch_module, "run_job", record)
    results = run_batch([*years, review], tmp_path, workers=1, force=True)
    assert started == names  # one at a time: in the start order
    assert [r.name for r in results] == [*(str(y) for y in range(2021, 2026)), "phase1_review"]


def test_a_build_side_by_side_gets_one_bootstrap_process(tmp_path, monkeypatch):
    # the process is replaced by a starter that records what it is given
    seen = {}

    def record(arguments, log, environment):
        seen[arguments[arguments.index("--out") + 1], environment.get(BOOTSTRAP_WORKERS_ENV)] = (
            arguments
        )
        log.write_text("Building report 2025\n", encoding="utf-8")
        return 0

    monkeypatch.delenv(BOOTSTRAP_WORKERS_ENV, raising=False)
    job = Job("2025", None, 2025, ("vi", "en"))
    for side_by_side in (True, False):
        out = tmp_path / str(side_by_side)
        result = batch_module.run_job(
            job, out, tmp_path / "logs", side_by_side=side_by_side, starter=record
        )
        assert result.status == BUILT and result.log == tmp_path / "logs" / "2025.log"
    assert seen == {
        (str(tmp_path / "True"), "1"): job.arguments(tmp_path / "True"),
        (str(tmp_path / "False"), None): job.arguments(tmp_path / "False"),
    }
    assert job.arguments(tmp_path)[:1] == ["build"] and "--lang" in job.arguments(tmp_path)


@pytest.mark.parametrize(
    ("code", "log_text", "message"),
    [
        (2, "Building report 2025\nBuild failed: bad tax code\n", "Build failed: bad tax code"),
        (1, "Traceback\nValueError: broken\n", "ValueError: broken"),
        (-9, "", "stopped by signal 9"),
        (-15, "Building report 2025\nDone in 3.1 s\n", "stopped by signal 15 (Done in 3.1 s)"),
    ],
)
def test_a_failed_build_is_reported_with_its_code_and_message(tmp_path, code, log_text, message):
    def fail(arguments, log, environment):
        log.write_text(log_text, encoding="utf-8")
        return code

    job = Job("2025", None, 2025, ("vi",))
    result = batch_module.run_job(job, tmp_path, tmp_path / "logs", starter=fail)
    assert (result.status, result.exit_code, result.message) == (FAILED, code, message)


def _starters():
    starters = [pytest.param(warm_start.run_command, id="new-command")]
    if warm_start.supported():
        starters.append(pytest.param(warm_start.WarmStarter(), id="forked-warm"))
    return starters


@pytest.mark.parametrize("starter", _starters())
def test_both_ways_of_starting_a_build_run_nscl_with_the_batch_environment(tmp_path, starter):
    # the command's help is as wide as COLUMNS says: the environment given is the one it sees
    widths = {}
    for columns in ("60", "150"):
        log = tmp_path / f"help-{columns}.log"
        environment = {**os.environ, "COLUMNS": columns}
        assert starter(["build", "--help"], log, environment) == 0
        text = log.read_text(encoding="utf-8")
        assert "build [OPTIONS]" in text
        widths[columns] = max(len(line) for line in text.splitlines())
    assert widths["60"] <= 60 < widths["150"] <= 150
    # a usage error is the command's own: exit 2, its message in the log
    log = tmp_path / "usage.log"
    assert starter(["build", "--lang", "xx"], log, dict(os.environ)) == 2
    assert "xx" in log.read_text(encoding="utf-8")


#: A batch's first builds, as a fresh batch process starts them: three quick commands on two
#: threads, the fork server just started (nothing preloaded: the commands end together).
FIRST_BUILDS = """
import os, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from helpers.report import warm_start

if __name__ == "__main__":
    starter = warm_start.WarmStarter()
    starter.context.set_forkserver_preload([])
    folder = Path(sys.argv[1])
    with ThreadPoolExecutor(2) as pool:
        codes = pool.map(
            lambda n: starter(["--help"], folder / f"{n}.log", dict(os.environ)), range(3)
        )
    print(*codes)
"""


@pytest.mark.skipif(not warm_start.supported(), reason="the warm start forks")
def test_builds_ending_together_each_get_their_own_exit_code(tmp_path):
    # A thread starting the next build polls the builds started so far; it read the exit code
    # of one ending at that moment while that build's own thread read the same pipe, which
    # then took 255 for a build that had succeeded (1 warm batch in 10; here, 1 run in 2).
    script = tmp_path / "first_builds.py"
    script.write_text(FIRST_BUILDS, encoding="utf-8")
    for run in range(12):
        printed = subprocess.run(
            [sys.executable, str(script), str(tmp_path)],
            capture_output=True, text=True, timeout=120, cwd=config.PROJECT_ROOT, check=True,
        ).stdout.split()  # fmt: skip
        assert printed == ["0", "0", "0"], f"run {run}: exit codes {printed}"


def test_the_fork_server_loads_what_builds_need_and_survives_a_failure():
    entries = ("json", "helpers.no_such_module", "helpers.report.manifest:no_such_function")
    assert warm_start.preload(entries) == list(entries[1:])
    assert warm_start.preload() == []  # every entry exists and runs here, the kernel's too
    assert {"helpers.report.build", "weasyprint"} <= set(warm_start.PRELOADED)
