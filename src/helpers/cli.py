"""The ``nscl`` command line: build, validate, estimate.

Exit codes everywhere: 0 success, 2 bad input or usage, 1 an internal error (a bug).
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from helpers import config
from helpers.errors import InputError

app = typer.Typer(
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

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


def fail_input(error: InputError, problems_csv: Path | None = None) -> None:
    """Print every input problem to stderr, optionally write them as CSV, exit with code 2."""
    typer.echo(str(error), err=True)
    if problems_csv is not None:
        problems_csv.parent.mkdir(parents=True, exist_ok=True)
        error.write_csv(problems_csv)
        typer.echo(f"The list of problems is also in {problems_csv}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def _languages(lang: str) -> list[str]:
    if lang == "all":
        return ["vi", "en"]
    if lang not in ("vi", "en"):
        typer.echo(f"--lang must be vi, en or all (got {lang!r})", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    return [lang]


def _formats(value: str) -> list[str]:
    formats = [f.strip() for f in value.split(",") if f.strip()]
    unknown = [f for f in formats if f not in ("html", "pdf")]
    if unknown or not formats:
        typer.echo(f"--format takes html, pdf or html,pdf (got {value!r})", err=True)
        raise typer.Exit(EXIT_BAD_INPUT)
    return formats


@app.command()
def build(
    year: Annotated[int | None, typer.Option(help="Report year, 2021-2030.")] = None,
    lang: Annotated[str | None, typer.Option(help="vi, en or all (both editions).")] = None,
    format: Annotated[  # noqa: A002 - the documented option name
        str | None, typer.Option("--format", help="Output formats: html, pdf or html,pdf.")
    ] = None,
    params: Annotated[
        Path | None, typer.Option(help="A parameter file (YAML) from params/; options override it.")
    ] = None,
    data: Annotated[Path | None, typer.Option(help="Folder with the input files.")] = None,
    out: Annotated[
        Path, typer.Option(help="Reports folder; the report goes into OUT/<year>.")
    ] = config.REPORTS_DIR,
) -> None:
    """Build one report (HTML and PDF) from the inputs.

    The report is written aside and moves into OUT/<year> only when complete: a failed build
    leaves the previous report as it was. Example: nscl build --year 2023 --lang en
    """
    from helpers.params import load_params
    from helpers.report import NotebookFailed, build_report

    try:
        report_params = load_params(
            params,
            year=year,
            languages=_languages(lang) if lang else None,
            formats=_formats(format) if format else None,
            data_dir=str(data.resolve()) if data else None,
        )
        typer.echo(f"Building report {report_params.folder_name} "
                   f"({', '.join(report_params.languages)}; {', '.join(report_params.formats)})")
        result = build_report(report_params, out.resolve(), params_file=params)
    except InputError as error:
        fail_input(error, out / "_problems" / "input-problems.csv")
    except NotebookFailed as error:
        typer.echo(f"Build failed: {error}\nThe previous report is unchanged.", err=True)
        raise typer.Exit(EXIT_INTERNAL) from error
    for path in result.outputs:
        typer.echo(f"  {path}")
    typer.echo(f"Done in {result.timings.get('total', 0):.1f} s: {result.folder}")


@app.command()
def validate(
    data: Annotated[Path, typer.Option(help="Folder with the input files.")] = config.SAMPLE_DATA_DIR,
    plan: Annotated[Path, typer.Option(help="The plan file (YAML).")] = (
        config.DATA_DIR / "plan" / "quang_ninh_203.yaml"
    ),
    problems: Annotated[
        Path | None, typer.Option(help="Also write the problems to this CSV file.")
    ] = None,
) -> None:
    """Check the input files and list every problem (file, row, column, value, expected).

    Exit code 0 when the inputs are valid, 2 when they are not.
    """
    from helpers.context import load_context

    try:
        context = load_context(year=2025, lang="vi", data_dir=data.resolve(), plan_file=plan.resolve())
    except InputError as error:
        fail_input(error, problems)
    warnings = [w for frame in context.registers.values() for w in frame.attrs.get("warnings", [])]
    for warning in warnings:
        typer.echo("warning: " + warning.describe(), err=True)
    counts = ", ".join(f"{name}: {len(frame)} rows" for name, frame in context.registers.items())
    typer.echo(f"Inputs are valid ({counts}).")


# --- subcommands registered from their own modules (one line each) -----------------------


def main() -> None:
    """Run ``nscl``; an unexpected error is a bug: print it and exit with code 1."""
    try:
        app()
    except SystemExit:
        raise
    except Exception:  # noqa: BLE001 - the last line of defence turns a bug into exit code 1
        traceback.print_exc()
        print("nscl: internal error (a bug); please report it with the text above.", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
