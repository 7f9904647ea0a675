"""The ``nscl`` command line: build, validate, estimate.

Exit codes everywhere: 0 success, 2 bad input or usage, 1 an internal error (a bug). Every
command ends through :mod:`helpers.cli.failure`, which maps the project's errors to their
exit codes.
"""

from __future__ import annotations

import importlib.util
import signal
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from helpers import config
from helpers.cli.estimate import estimate_command
from helpers.cli.failure import INTERNAL_ERROR_TEXT, ErrorMappingGroup, fail
from helpers.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_OK, NsclError
from helpers.inputs.excel_templates import templates as templates_command
from helpers.processes import collect_less_often

app = typer.Typer(
    cls=ErrorMappingGroup,
    name="nscl",
    help=(
        "NSCL reports: annual reports on Quang Ninh's productivity-and-quality programme "
        "(Plan 203/KH-UBND) and TFP estimates. Exit codes: 0 success, 2 bad input or usage, "
        "1 internal error."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _languages(lang: str) -> list[str]:
    if lang == "all":
        return ["vi", "en"]
    if lang not in ("vi", "en"):
        typer.echo(f"--lang must be vi, en or all (got {lang!r})", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    return [lang]


def _formats(value: str) -> list[str]:
    formats = [f.strip() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("html", "pdf", "docx")]
    if unknown or not formats:
        typer.echo(
            f"--format takes html, pdf, docx or a list such as html,pdf (got {value!r})", err=True
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    return formats


@app.command()
def build(
    year: Annotated[int | None, typer.Option(help="Report year, 2021-2030.")] = None,
    lang: Annotated[str | None, typer.Option(help="vi, en or all (both editions).")] = None,
    format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Output formats: html, pdf, docx (the submission to the Ministry in the "
            "administrative form of Decree 30/2020/ND-CP), e.g. html,pdf,docx.",
        ),
    ] = None,
    params: Annotated[
        Path | None, typer.Option(help="A parameter file (YAML) from params/; options override it.")
    ] = None,
    data: Annotated[Path | None, typer.Option(help="Folder with the input files.")] = None,
    out: Annotated[
        Path, typer.Option(help="Reports folder; the report goes into OUT/<year>.")
    ] = config.REPORTS_DIR,
    edition: Annotated[
        str | None,
        typer.Option(
            help="public (default: no enterprise is identifiable) or internal (adds "
            "enterprise-level tables; every page says 'internal - confidential')."
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option(
            "--no-cache",
            help="Compute the estimates, event study and sensitivity again instead of "
            "reusing results kept from an earlier build with the same inputs and code.",
        ),
    ] = False,
) -> None:
    """Build one report (HTML and PDF) from the inputs.

    The report is written aside and moves into OUT/<year> only when complete: a failed build
    leaves the previous report as it was. Example: nscl build --year 2023 --lang en
    """
    languages = _languages(lang) if lang else None  # usage errors first, before heavy imports
    formats = _formats(format) if format else None
    _cache_limit()
    from helpers.errors import InputError
    from helpers.inputs.params import load_params
    from helpers.problems import Problems

    try:  # parameters and paths are checked before the heavy modules load
        report_params = load_params(
            params,
            year=year,
            languages=languages,
            formats=formats,
            data_dir=str(data.resolve()) if data else None,
            edition=edition,
        )
        if not report_params.resolved("data_dir").is_dir():
            missing = Problems(report_params.data_dir)
            missing.add("data_dir_not_found")
            missing.raise_if_errors()
    except InputError as error:
        fail(error, out / "_problems" / "input-problems.csv")
    from helpers.report.build import NotebookFailed, build_report

    typer.echo(
        f"Building report {report_params.folder_name} "
        f"({', '.join(report_params.languages)}; {', '.join(report_params.formats)})"
    )
    try:
        result = build_report(
            report_params, out.resolve(), params_file=params, use_cache=not no_cache
        )
    except InputError as error:
        fail(error, out / "_problems" / "input-problems.csv")
    except NotebookFailed as error:
        fail(error, note="Build failed; the previous report is unchanged.")
    for path in result.outputs:
        typer.echo(f"  {path}")
    from helpers.report.landing import write_index

    write_index(out.resolve())
    _prune_cache()
    typer.echo(f"Done in {result.timings.get('total', 0):.1f} s: {result.folder}")


def _cache_limit() -> int:
    """The cache's size limit in bytes; a wrong ``NSCL_CACHE_MAX_MB`` is a usage error."""
    from helpers.report import cache_size

    try:
        return cache_size.limit_bytes()
    except ValueError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from None


def _prune_cache() -> None:
    """Keep the results cache within its limit; say so when entries were removed."""
    from helpers.report import cache_size

    pruned = cache_size.prune_to_limit()
    if pruned is not None and pruned.removed.entries:
        typer.echo(
            f"Cache: removed {pruned.removed.describe()} used longest ago "
            f"(limit {cache_size.CACHE_LIMIT_ENV}); kept {pruned.kept.describe()}."
        )


@app.command()
def batch(
    years: Annotated[
        str | None,
        typer.Option(
            help="Years to build, e.g. 2021-2025 or 2021,2023 (default: every file "
            "in the parameters folder)."
        ),
    ] = None,
    lang: Annotated[
        str | None, typer.Option(help="vi, en or vi,en (default: each file's).")
    ] = None,
    params_dir: Annotated[
        Path, typer.Option(help="Folder of parameter files, one report each.")
    ] = config.PARAMS_DIR,
    params: Annotated[
        list[Path] | None,
        typer.Option(
            "--params",
            metavar="FILE",
            help="Also build the report of this parameter file, e.g. "
            "params/phase1_review.yaml (repeat for more); it runs beside the years' reports.",
        ),
    ] = None,
    jobs: Annotated[
        int | None, typer.Option(help="Reports built at once (default: number of cores).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Rebuild reports that are up to date.")] = False,
    scheduler: Annotated[
        str | None,
        typer.Option(help="Address of a Dask distributed scheduler to run the builds on."),
    ] = None,
    out: Annotated[Path, typer.Option(help="Reports folder.")] = config.REPORTS_DIR,
) -> None:
    """Build many reports in parallel; one failure does not stop the others.

    Prints a summary (report, status, time, log) and writes OUT/index.html. A report whose
    parameters, inputs, code and outputs are unchanged since its manifest is skipped.
    Exit code 0 when every report was built or skipped, otherwise 1 (or 2 for bad input only).
    Example: nscl batch --years 2021-2025 --lang vi,en --params params/phase1_review.yaml
    """
    from tqdm import tqdm

    from helpers.report.batch import (
        JobResult,
        exit_code,
        parse_years,
        plan_jobs,
        run_batch,
        summary_table,
    )
    from helpers.report.landing import write_index

    try:
        year_list = parse_years(years) if years else None
    except ValueError as error:
        typer.echo(f"--years: {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from error
    languages = None
    if lang:
        languages = [x.strip() for x in lang.split(",") if x.strip()]
        if not languages or set(languages) - {"vi", "en"}:
            typer.echo(f"--lang takes vi, en or vi,en (got {lang!r})", err=True)
            raise typer.Exit(EXIT_BAD_INPUT)
    if not params_dir.is_dir():
        typer.echo(f"--params-dir: folder not found: {params_dir}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    if scheduler and importlib.util.find_spec("distributed") is None:
        typer.echo(
            "--scheduler needs Dask's distributed package: pip install -e '.[cluster]'", err=True
        )
        raise typer.Exit(EXIT_BAD_INPUT)
    for file in params or []:
        if not file.is_file():
            typer.echo(f"--params: file not found: {file}", err=True)
            raise typer.Exit(EXIT_BAD_INPUT)
    try:
        planned = plan_jobs(
            years=year_list, languages=languages, params_dir=params_dir, params_files=params or []
        )
    except ValueError as error:
        typer.echo(f"--params: {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from error
    out = out.resolve()
    with tqdm(total=len(planned), desc="reports", unit="report", file=sys.stderr) as bar:

        def show_progress(result: JobResult) -> None:
            bar.set_postfix_str(f"{result.name}: {result.status}")
            bar.update()

        results = run_batch(
            planned,
            out,
            workers=jobs,
            force=force,
            scheduler=scheduler,
            progress=show_progress,
        )
    write_index(out)
    typer.echo(summary_table(results))
    typer.echo(f"Landing page: {out / 'index.html'}")
    raise typer.Exit(exit_code(results))


@app.command()
def verify(
    report_dir: Annotated[Path, typer.Argument(help="A report folder, e.g. reports/2025.")],
) -> None:
    """Check a report against its manifest: current, stale (which input changed) or tampered.

    Exit code 0 when the report is current, 2 when it is stale or tampered with (or has no
    manifest).
    """
    from helpers.report.manifest import verify_report

    if not (report_dir / "manifest.json").is_file():
        typer.echo(f"{report_dir}: no manifest.json here; not a report folder", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    result = verify_report(report_dir)
    typer.echo(f"{report_dir}: {result.describe()}")
    raise typer.Exit(EXIT_OK if result.status == "current" else EXIT_BAD_INPUT)


@app.command()
def validate(
    data: Annotated[
        Path | None, typer.Option(help="Folder with the input files (default: the sample data).")
    ] = None,
    plan: Annotated[Path | None, typer.Option(help="The plan file (YAML).")] = None,
    year: Annotated[
        int | None, typer.Option(help="The report year the inputs are checked for (2021-2030).")
    ] = None,
    params: Annotated[
        Path | None,
        typer.Option(help="A parameter file: its data folder, plan, year and optional inputs."),
    ] = None,
    problems: Annotated[
        Path | None,
        typer.Option(help="Also write the problems and warnings to this CSV file (if any)."),
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of the messages: vi or en.")] = "vi",
) -> None:
    """Check every input file a build reads and list every problem.

    Each problem names the file, row, column, value and what was expected. Checked: the two
    registers, the province accounts, the published figures, the enterprise panel, the plan
    file, its criteria file and locale.yaml; a required file that is missing is named.

    Exit code 0 when the inputs are valid, 2 when they are not. Example:
    nscl validate --data path/to/data --year 2024 --problems problems.csv
    """
    if lang not in ("vi", "en"):
        typer.echo(f"--lang must be vi or en (got {lang!r})", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    from helpers.errors import InputError
    from helpers.inputs.params import load_params

    try:
        settings = load_params(
            params,
            year=year,
            data_dir=str(data.resolve()) if data else None,
            plan_file=str(plan.resolve()) if plan else None,
        )
        from helpers.report.context import load_context

        context = load_context(
            year=settings.year,
            lang=lang,
            data_dir=settings.resolved("data_dir"),
            plan_file=settings.resolved("plan_file"),
            required_inputs=settings.required_inputs,
        )
    except InputError as error:
        fail(error, problems)
    warnings = [w for frame in context.registers.values() for w in frame.attrs.get("warnings", [])]
    from helpers.inputs.submission_text import text_warnings as submission_warnings

    try:
        warnings += submission_warnings(settings.resolved("data_dir"))
    except InputError as error:
        fail(error, problems)
    for warning in warnings:
        typer.echo("warning: " + warning.describe(), err=True)
    if problems is not None and warnings:
        from helpers.errors import write_problems_csv

        write_problems_csv(warnings, problems)
        typer.echo(f"The list of warnings is also in {problems}", err=True)
    counts = [f"{name}: {len(frame)} rows" for name, frame in context.registers.items()]
    for name, frame in (
        ("province_accounts", context.accounts),
        ("published_figures", context.published),
        ("enterprise_panel", context.panel),
    ):
        counts.append(f"{name}: {len(frame)} rows" if frame is not None else f"{name}: absent")
    typer.echo(f"Inputs for {settings.year} are valid ({', '.join(counts)}).")


@app.command()
def cache(
    clear: Annotated[
        bool, typer.Option("--clear", help="Remove every kept result, notebook and PDF.")
    ] = False,
    max_mb: Annotated[
        int | None,
        typer.Option(
            "--max-mb",
            help="Remove the entries used longest ago until the rest take at most this many "
            "megabytes (default: NSCL_CACHE_MAX_MB, or 1024; every build does this at its end).",
        ),
    ] = None,
) -> None:
    """Show the size of the results cache, or make it smaller.

    The cache keeps estimates, executed notebooks and PDFs so that a rebuild reuses them; an
    entry removed is computed again when a build needs it. Example: nscl cache --max-mb 200
    """
    from helpers.report import cache_size, result_cache

    if max_mb is not None and max_mb < 0:
        typer.echo(f"--max-mb must be 0 or more (got {max_mb})", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    if clear and max_mb is not None:
        typer.echo("--clear and --max-mb: choose one", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    folder = result_cache.cache_dir()
    if folder is None:
        typer.echo(f"The cache is off ({result_cache.NO_CACHE_ENV} is set).")
        return
    limit = _cache_limit()
    if clear or max_mb is not None:
        pruned = cache_size.prune(folder, 0 if clear else max_mb * cache_size.MEGABYTE)
        typer.echo(f"{folder}: removed {pruned.removed.describe()}; kept {pruned.kept.describe()}.")
        return
    typer.echo(
        f"{folder}: {cache_size.size(folder).describe()} "
        f"(limit {limit / cache_size.MEGABYTE:.0f} MB, {cache_size.CACHE_LIMIT_ENV})."
    )


# --- subcommands registered from their own modules (one line each) -----------------------
app.command("templates")(templates_command)
app.command("estimate")(estimate_command)


class Interrupted(BaseException):
    """SIGTERM or Ctrl-C: unwinds like KeyboardInterrupt so that builds clean up."""


def _interrupt(signum: int, _frame: object) -> None:
    raise Interrupted(signal.Signals(signum).name)


def main() -> None:
    """Run ``nscl``; an unexpected error is a bug: print it and exit with code 1.

    SIGTERM and Ctrl-C stop a build cleanly: its staging folder is removed and the last good
    report stays as it was.
    """
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    collect_less_often()  # before the heavy imports of a build
    try:
        app()
    except Interrupted as stop:
        print(f"nscl: interrupted ({stop}); the previous report is unchanged.", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)
    except SystemExit:
        raise
    except NsclError as error:  # raised outside a command (the group maps those in commands)
        print(f"error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except Exception:
        traceback.print_exc()
        print(INTERNAL_ERROR_TEXT, file=sys.stderr)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
