"""``nscl estimate``: estimate an enterprise production function from a CSV or Excel file.

Exit codes: 0 success, 2 bad input or usage (the reason is printed on standard error),
1 an internal error (a bug); :mod:`helpers.cli.failure` maps the errors to them.
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from helpers.errors import InputError, InputProblem

if TYPE_CHECKING:
    import pandas

#: File types the command reads.
READERS = {".csv": "csv", ".txt": "csv", ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel"}


class BadInputFileError(InputError):
    """The file cannot be read as a table: one located problem of the file, exit code 2.

    Parameters
    ----------
    file : str
        The file as the user named it.
    message : str
        Why it cannot be read.

    """

    def __init__(self, file: str, message: str):
        super().__init__([InputProblem(file, message)])


def estimate_command(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV or Excel (.xlsx) file with one row per firm and year.", show_default=False
        ),
    ],
    method: Annotated[
        str,
        typer.Option(
            help=(
                "Estimator: ols (pooled), fe (within firms), op (Olley-Pakes), "
                "lp (Levinsohn-Petrin), acf (Ackerberg-Caves-Frazer), wrdg (Wooldridge, "
                "stacked 2SLS as R prodestWRDG) or wrdg-gmm (Wooldridge, two-equation GMM as "
                "R prodestWRDG_GMM)."
            ),
            show_default=False,
        ),
    ],
    output: Annotated[
        str, typer.Option(help="Column of log output (value added).", show_default=False)
    ],
    free: Annotated[
        str,
        typer.Option(
            help="Column(s) of log labour-like inputs, separated by commas (e.g. fX1,fX2).",
            show_default=False,
        ),
    ],
    state: Annotated[str, typer.Option(help="Column of log capital.", show_default=False)],
    id: Annotated[str, typer.Option("--id", help="Column of the firm id.", show_default=False)],
    time: Annotated[
        str, typer.Option("--time", help="Column of the year (whole numbers).", show_default=False)
    ],
    proxy: Annotated[
        str | None,
        typer.Option(
            help="Column of the log proxy: investment for op; materials for lp, acf and wrdg."
        ),
    ] = None,
    reps: Annotated[
        int,
        typer.Option(
            help="Bootstrap replications over whole firms for standard errors (0: none).", min=0
        ),
    ] = 0,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the bootstrap, for reproducible errors.")
    ] = None,
    json_output: Annotated[
        bool,
        typer.Option(
            "--json",
            help=(
                "Print one JSON object (method, coefficients, std_errors, n_obs, n_firms, "
                "converged, criterion) instead of a table."
            ),
        ),
    ] = False,
    exit: Annotated[
        bool,
        typer.Option("--exit", help="Correct op or lp for firms leaving the panel (attrition)."),
    ] = False,
    translog: Annotated[
        bool, typer.Option("--translog", help="Translog instead of Cobb-Douglas (ols, fe, acf).")
    ] = False,
    gross_output: Annotated[
        bool,
        typer.Option(
            "--gross-output",
            help="Output is gross output: the proxy (materials) is an input too (ols, fe, acf).",
        ),
    ] = False,
    drop_missing: Annotated[
        bool,
        typer.Option(
            "--drop-missing", help="Leave out rows with missing values instead of failing."
        ),
    ] = False,
    levels: Annotated[
        bool,
        typer.Option("--levels", help="The numeric columns are levels, not logs: take logs first."),
    ] = False,
    year_effects: Annotated[
        bool,
        typer.Option(
            "--year-effects",
            help="Year dummies in the first stage and the law of motion (op, lp, acf).",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(
            help="Processes for the bootstrap (default: chosen from the job size).", min=1
        ),
    ] = None,
) -> None:
    """Estimate a production function and its TFP from a firm panel.

    Reads FILE (CSV or Excel) and prints the coefficients, with standard
    errors from a bootstrap over whole firms when --reps is given.
    Values are logs unless --levels is given. Bad input stops with exit
    code 2 and the reason on standard error.

    Example: nscl estimate chilean.csv --method acf --output Y
    --free fX1,fX2 --state sX --proxy pX --id idvar --time timevar
    --reps 20 --seed 1 --json
    \f

    Parameters
    ----------
    file : Path
        CSV or Excel file, one row per firm and year.
    method : str
        One of ``ols``, ``fe``, ``op``, ``lp``, ``acf``, ``wrdg`` (Wooldridge, stacked 2SLS as
        ``prodestWRDG``), ``wrdg-gmm`` (Wooldridge, GMM as ``prodestWRDG_GMM``).
    output, free, state, id, time, proxy : str
        Column names (``free`` may list several, separated by commas).
    reps, seed, workers : int
        Bootstrap replications, seed and processes.
    json_output : bool
        Print JSON instead of a table.
    exit, translog, gross_output, drop_missing, levels, year_effects : bool
        Options of :func:`helpers.tfp.production.estimate`.

    """  # noqa: D301 - the form feed ends the --help text
    # Imported here so that ``nscl --help`` stays quick.
    from helpers.tfp.production import estimate

    # Bad input (the file, its values, the options' values) raises an error of the project
    # that the command group ends with exit code 2; anything else is a bug (exit code 1).
    frame = read_table(file, id)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the result carries them; printed below
        result = estimate(
            frame,
            method=method,
            output=output,
            free=[name.strip() for name in free.split(",")],
            state=[name.strip() for name in state.split(",")],
            proxy=proxy,
            id=id,
            time=time,
            value_added=not gross_output,
            translog=translog,
            exit=exit,
            reps=reps,
            seed=seed,
            workers=workers,
            year_effects=year_effects,
            drop_missing=drop_missing,
            take_logs=levels,
            source=file.name,
        )
    for message in result.warnings:
        typer.echo(f"warning: {message}", err=True)
    if json_output:
        typer.echo(json.dumps(_json_ready(result.to_dict()), allow_nan=False))
    else:
        typer.echo(result.summary())


def read_table(file: Path, id_column: str) -> pandas.DataFrame:
    """Read a CSV or Excel file, keeping firm ids as text (tax codes keep leading zeros).

    Raises
    ------
    BadInputFileError
        The file is missing, of an unknown type, empty or not a table.

    """
    import pandas as pd

    if not file.is_file():
        raise BadInputFileError(str(file), "file not found")
    kind = READERS.get(file.suffix.lower())
    if kind is None:
        raise BadInputFileError(file.name, "cannot be read: use a .csv or .xlsx file")
    try:
        if kind == "csv":
            return pd.read_csv(file, dtype={id_column: str})
        return pd.read_excel(file, dtype={id_column: str})
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise BadInputFileError(file.name, f"cannot be read as a table: {error}") from error
    except (ValueError, OSError) as error:
        raise BadInputFileError(file.name, f"cannot be read: {error}") from error


def _json_ready(value: object) -> object:
    """Replace non-finite floats by ``None`` (JSON has no NaN)."""
    if isinstance(value, dict):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
