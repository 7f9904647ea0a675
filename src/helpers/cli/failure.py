"""How a command of ``nscl`` ends when something goes wrong: the one place that maps errors.

Every error the project raises on purpose derives from :class:`helpers.errors.NsclError` and
carries its exit code: 2 for what the user can fix (input files, parameters, a wrong value in
a computation's arguments), 1 for a fault of the project. :func:`fail` prints it and exits
with that code; :class:`ErrorMappingGroup` applies it to every command, and turns any other
exception into "internal error" (a bug, exit code 1) with its traceback.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from helpers.errors import EXIT_INTERNAL, InputError, NsclError

#: Printed after the traceback of an unexpected exception.
INTERNAL_ERROR_TEXT = "nscl: internal error (a bug); please report it with the text above."


def fail(error: NsclError, problems_csv: Path | None = None, note: str | None = None) -> NoReturn:
    """Print ``error`` to standard error and exit with its ``exit_code``.

    Parameters
    ----------
    error : NsclError
        An :class:`~helpers.errors.InputError` prints its located list of problems (and writes
        them to ``problems_csv`` when given); any other error prints one line, ``error: ...``.
    problems_csv : Path, optional
        Where to write an input error's problems as CSV (for Excel).
    note : str, optional
        A line added after the message (for example that the previous report is unchanged).

    """
    if isinstance(error, InputError):
        typer.echo(str(error), err=True)
        if problems_csv is not None:
            error.write_csv(problems_csv)
            typer.echo(f"The list of problems is also in {problems_csv}", err=True)
    else:
        typer.echo(f"error: {error}", err=True)
    if note:
        typer.echo(note, err=True)
    raise typer.Exit(error.exit_code)


def fail_internal() -> NoReturn:
    """Print the traceback of the exception being handled, say it is a bug, exit with 1."""
    typer.echo(traceback.format_exc(), err=True)
    typer.echo(INTERNAL_ERROR_TEXT, err=True)
    raise typer.Exit(EXIT_INTERNAL)


class ErrorMappingGroup(TyperGroup):
    """The ``nscl`` command group: an error that leaves a command ends it through :func:`fail`.

    Usage errors and exits of the command line itself (``typer.Exit``, ``typer.Abort`` and
    the usage errors, all ``typer.TyperException``) pass through unchanged; any other
    exception is an internal error (exit code 1).
    """

    def invoke(self, ctx: Any) -> Any:  # typer.Context; the base class names its own type
        """Run the command; map what it raises to an exit code."""
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except NsclError as error:
            fail(error)
        except Exception:
            fail_internal()
