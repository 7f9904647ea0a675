"""Build many reports: in parallel on this machine or on a Dask cluster, failures isolated.

Each report is built by its own ``nscl build`` process (a crash or a stuck kernel in one report
cannot take the others down) whose output goes to a log file. On this machine (Linux) those
processes are forked from a server that has imported what a build needs
(:mod:`helpers.report.warm_start`); on a Dask cluster each is a new command. A report whose
parameters, inputs, code and outputs are unchanged since its manifest is skipped unless forced.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from helpers import config
from helpers.inputs.params import ReportParams, load_params
from helpers.processes import BOOTSTRAP_WORKERS_ENV
from helpers.report import warm_start
from helpers.report.manifest import is_up_to_date

BUILT, SKIPPED, FAILED = "built", "skipped", "failed"


@dataclass(frozen=True)
class Job:
    """One report to build: its parameter file (or None) and option overrides."""

    name: str
    params_file: Path | None
    year: int | None = None
    languages: tuple[str, ...] | None = None

    def params(self) -> ReportParams:
        """The validated parameters of this job."""
        return load_params(
            self.params_file,
            year=self.year,
            languages=list(self.languages) if self.languages else None,
        )

    def arguments(self, out_root: Path) -> list[str]:
        """The ``nscl build`` arguments of this job (after ``nscl``)."""
        arguments = ["build", "--out", str(out_root)]
        if self.params_file is not None:
            arguments += ["--params", str(self.params_file)]
        if self.year is not None:
            arguments += ["--year", str(self.year)]
        if self.languages:
            arguments += ["--lang", "all" if len(self.languages) > 1 else self.languages[0]]
        return arguments


@dataclass(frozen=True)
class JobResult:
    """What happened to one job."""

    name: str
    status: str
    seconds: float
    log: Path | None
    exit_code: int = 0
    message: str = ""


def parse_years(text: str) -> list[int]:
    """Parse ``2021-2025`` or ``2021,2023`` into a list of years.

    Examples
    --------
    >>> parse_years("2021-2023"), parse_years("2024, 2021")
    ([2021, 2022, 2023], [2024, 2021])

    """
    years: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if "-" in part:
            first, last = (int(x) for x in part.split("-", 1))
            if last < first:
                raise ValueError(f"year range {part!r} runs backwards")
            years.extend(range(first, last + 1))
        elif part:
            years.append(int(part))
    if not years:
        raise ValueError("no year given")
    return years


def plan_jobs(
    *,
    years: Iterable[int] | None = None,
    languages: Iterable[str] | None = None,
    params_dir: Path | None = None,
    params_files: Iterable[Path] = (),
) -> list[Job]:
    """List the jobs of a batch.

    With ``years``: one job per year, using ``<params_dir>/<year>.yaml`` when it exists. Then
    one job per file of ``params_files`` (a phase review, say), named after the file. With
    neither: one job per parameter file in ``params_dir`` (``default.yaml`` excepted).
    ``languages`` overrides the languages of every job.

    Raises
    ------
    ValueError
        When two jobs would have the same name (their reports would share a log).

    """
    folder = params_dir or config.PARAMS_DIR
    langs = tuple(languages) if languages else None
    extra = [Job(p.stem, p, None, langs) for p in params_files]
    if years is None and not extra:
        files = sorted(p for p in folder.glob("*.yaml") if p.name != "default.yaml")
        return [Job(p.stem, p, None, langs) for p in files]
    jobs = []
    for year in years or ():
        own = folder / f"{year}.yaml"
        jobs.append(Job(str(year), own if own.is_file() else None, year, langs))
    jobs += extra
    twice = sorted(name for name, n in Counter(job.name for job in jobs).items() if n > 1)
    if twice:
        raise ValueError(f"two jobs named {', '.join(twice)}: give each report once")
    return jobs


#: Runs ``nscl <arguments>`` with its output into a log file and the given environment;
#: returns the exit code (:func:`helpers.report.warm_start.run_command` or a
#: :class:`~helpers.report.warm_start.WarmStarter`).
Starter = Callable[[list[str], Path, dict[str, str]], int]


def run_job(
    job: Job,
    out_root: Path,
    log_dir: Path,
    *,
    side_by_side: bool = False,
    starter: Starter | None = None,
) -> JobResult:
    """Build one report in its own process; its output goes to ``log_dir/<name>.log``.

    ``side_by_side``: other builds run at the same time and keep the cores busy, so this one's
    bootstrap runs in one process (:data:`~helpers.processes.BOOTSTRAP_WORKERS_ENV`):
    worker processes would only add their own CPU time. Its results computed ahead
    (:mod:`helpers.report.ahead`) still use a core another build leaves idle.
    ``starter``: how the process starts (default: a new ``nscl build`` command).
    """
    log_dir.mkdir(parents=True, exist_ok=True)
    environment = dict(os.environ)
    if side_by_side:
        environment[BOOTSTRAP_WORKERS_ENV] = "1"
    log = log_dir / f"{job.name}.log"
    started = time.perf_counter()
    returncode = (starter or warm_start.run_command)(job.arguments(out_root), log, environment)
    seconds = time.perf_counter() - started
    if returncode == 0:
        return JobResult(job.name, BUILT, seconds, log)
    lines = [line.strip() for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    message = next((line for line in lines if "failed" in line.lower()), lines[-1] if lines else "")
    if returncode < 0:  # the log's last line may say nothing of it ("Done in ...")
        message = f"stopped by signal {-returncode}" + (f" ({message})" if message else "")
    return JobResult(job.name, FAILED, seconds, log, returncode, message)


def _skip_if_current(job: Job, out_root: Path) -> JobResult | None:
    try:
        params = job.params()
    except Exception as error:
        return JobResult(job.name, FAILED, 0.0, None, 2, str(error).splitlines()[-1])
    if is_up_to_date(out_root / params.folder_name, params, job.params_file):
        return JobResult(job.name, SKIPPED, 0.0, None)
    return None


def run_batch(
    jobs: list[Job],
    out_root: Path,
    *,
    workers: int | None = None,
    force: bool = False,
    scheduler: str | None = None,
    progress: Callable[[JobResult], None] | None = None,
) -> list[JobResult]:
    """Build every job; one failing report never stops the others.

    Parameters
    ----------
    jobs : list of Job
        From :func:`plan_jobs`.
    out_root : Path
        The reports folder.
    workers : int, optional
        Reports built at once on this machine (default: the number of cores).
    force : bool
        Rebuild reports that are up to date.
    scheduler : str, optional
        Address of a Dask distributed scheduler; the same jobs then run on its workers (which
        must see the project folder at the same path).
    progress : callable, optional
        Called with each result as it arrives.

    Returns
    -------
    list of JobResult
        In the order of ``jobs``.

    """
    log_dir = out_root / "_logs"
    results: dict[str, JobResult] = {}
    pending = []
    for job in jobs:
        skipped = None if force else _skip_if_current(job, out_root)
        if skipped is not None:
            results[job.name] = skipped
            if progress:
                progress(skipped)
        else:
            pending.append(job)
    if scheduler:
        finished = _run_on_dask(pending, out_root, log_dir, scheduler, progress)
    else:
        finished = _run_locally(pending, out_root, log_dir, workers, progress)
    results.update({r.name: r for r in finished})
    return [results[job.name] for job in jobs]


def _run_locally(
    jobs: list[Job],
    out_root: Path,
    log_dir: Path,
    workers: int | None,
    progress: Callable[[JobResult], None] | None,
) -> list[JobResult]:
    if not jobs:
        return []
    count = max(1, workers or os.cpu_count() or 1)
    side_by_side = count > 1 and len(jobs) > 1
    starter = warm_start.WarmStarter() if warm_start.supported() else None
    with ThreadPoolExecutor(max_workers=count) as pool:  # each job is its own process
        futures = [
            pool.submit(run_job, job, out_root, log_dir, side_by_side=side_by_side, starter=starter)
            for job in start_order(jobs, count)
        ]
        return _collect(as_completed(futures), progress)


def start_order(jobs: list[Job], workers: int = 1) -> list[Job]:
    """The order the builds start in, ``workers`` at a time: a shared year's first report first.

    Reports of the same year share their language-neutral results: the phase review of 2025
    reads the production functions, event study and sensitivity grid of the 2025 report from
    the results cache. Started side by side, one build waits for the other to compute them
    while a core idles (some 5 s of a batch). So the first report of such a year starts
    first; its other reports start with the next free slot, when the results the first computes
    ahead are in the cache; they are lighter (nothing left to estimate), so they do not come
    last either, where a build running alone would leave a core idle. The other reports keep
    their order.
    """
    years = [_year_of(job) for job in jobs]
    counts = Counter(year for year in years if year is not None)
    first_of_year: dict[int, Job] = {}
    alone: list[Job] = []
    again: list[Job] = []
    for job, year in zip(jobs, years, strict=True):
        if year is None or counts[year] == 1:
            alone.append(job)
        elif year in first_of_year:
            again.append(job)
        else:
            first_of_year[year] = job
    leading = [*first_of_year.values(), *alone]
    head = max(1, workers)
    return leading[:head] + again + leading[head:]


def _year_of(job: Job) -> int | None:
    """The report year of a job (from its parameter file when the job does not set it)."""
    if job.year is not None:
        return job.year
    try:
        return job.params().year
    except Exception:  # a bad parameter file fails in its own build, with its message
        return None


def _run_on_dask(
    jobs: list[Job],
    out_root: Path,
    log_dir: Path,
    scheduler: str,
    progress: Callable[[JobResult], None] | None,
) -> list[JobResult]:
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(scheduler) as client:
        futures = [
            client.submit(run_job, job, out_root, log_dir, key=f"nscl-{job.name}", pure=False)
            for job in jobs
        ]
        return _collect(dask_completed(futures), progress)


def _collect(
    completed: Iterable[Any], progress: Callable[[JobResult], None] | None
) -> list[JobResult]:
    """The results of futures in the order they complete, each passed to ``progress``."""
    finished = []
    for future in completed:
        result = future.result()
        finished.append(result)
        if progress:
            progress(result)
    return finished


def exit_code(results: list[JobResult]) -> int:
    """0 when nothing failed; 1 when a build hit an internal error; 2 when only bad input."""
    codes = {r.exit_code for r in results if r.status == FAILED}
    if not codes:
        return 0
    return 2 if codes == {2} else 1


def summary_table(results: list[JobResult]) -> str:
    """A plain-text table: report, status, time, log."""
    rows = [("report", "status", "time", "log")]
    for result in results:
        log = config_relative(result.log) if result.log else "-"
        rows.append((result.name, result.status, f"{result.seconds:.1f} s", log))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]
    for result in results:
        if result.status == FAILED and result.message:
            lines.append(f"{result.name}: {result.message}")
    return "\n".join(line.rstrip() for line in lines)


def config_relative(path: Path) -> str:
    """A path relative to the working folder when possible (for printing)."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
