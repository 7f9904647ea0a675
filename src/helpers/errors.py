"""Errors that carry every problem found in the inputs, each located for the analyst.

A problem names the file, the sheet (for Excel), the row as the analyst sees it in the
spreadsheet (header on row 1, first data row on row 2), the column, the offending value and
what was expected. :class:`InputError` carries the complete list so that the analyst can fix
everything in one pass; the command line turns it into exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

#: Exit codes of the command line: success, a fault of the project, input the user can fix.
EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2

if TYPE_CHECKING:  # numpy and pandas are imported where used: the command line starts fast
    import numpy as np
    import pandas as pd


@dataclass(frozen=True)
class InputProblem:
    """One problem found in one input.

    Parameters
    ----------
    file : str
        File name (relative to the data folder where possible), or the parameter file.
    message : str
        What is wrong, in plain words.
    row : int or None
        Row number as shown by Excel (the header is row 1), or None for a whole-file problem.
    column : str or None
        Column header as written in the file (or parameter key).
    value : str or None
        The offending value, as text.
    expected : str or None
        What the column accepts.
    sheet : str or None
        Excel sheet name, when the file is a workbook.
    severity : str
        ``"error"`` (blocks the report) or ``"warning"`` (reported, does not block).

    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str | None = None
    sheet: str | None = None
    severity: str = "error"

    def describe(self) -> str:
        """Return a one-line description naming file, sheet, row and column.

        Examples
        --------
        >>> InputProblem("a.csv", "not a number", row=3, column="năm", value="x").describe()
        "a.csv, row 3, column 'năm': not a number (value: 'x')"

        """
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        text = ", ".join(where) + f": {self.message}"
        if self.value is not None:
            text += f" (value: {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


class NsclError(Exception):
    """Base of every error the project raises on purpose.

    ``exit_code`` is how the command line ends when the error reaches it: 2 for anything the
    user can fix (input files, parameters, arguments), 1 for a fault of the project itself.
    """

    exit_code: int = EXIT_INTERNAL


class InputError(NsclError):
    """Bad input: one or more :class:`InputProblem` that block the report (exit code 2)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, problems: Iterable[InputProblem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        head = f"{len(errors)} problem(s) in the input"
        lines = [head] + ["  - " + p.describe() for p in self.problems]
        super().__init__("\n".join(lines))

    def to_csv(self) -> str:
        """Return the problems as CSV text that an analyst can open in Excel."""
        return problems_csv_text(self.problems)

    def write_csv(self, path: Path) -> None:
        """Write the problems to ``path`` as UTF-8 CSV with a BOM (Excel opens it correctly)."""
        write_problems_csv(self.problems, path)


class ArgumentError(NsclError, ValueError):
    """A computation was called with a value it cannot use: the caller's mistake, not a bug.

    Raised by the computing layers (for example an unknown estimation method or a negative
    capital share); the command line reports it in one line with exit code 2.
    """

    exit_code = EXIT_BAD_INPUT


class InternalError(NsclError):
    """A fault of the project itself (a bug or a damaged installation): exit code 1."""

    exit_code = EXIT_INTERNAL


def problems_csv_text(problems: Iterable[InputProblem]) -> str:
    """The problems as CSV text, one row each; echoed values can never run as formulas."""
    from helpers.safe_export import csv_text

    fields = list(InputProblem.__dataclass_fields__)
    return csv_text(fields, ([getattr(p, f) for f in fields] for p in problems))


def write_problems_csv(problems: Iterable[InputProblem], path: Path) -> Path:
    """Write problems (errors and warnings) to ``path`` as UTF-8 CSV with a BOM, for Excel."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(problems_csv_text(problems), encoding="utf-8-sig")
    return path


def raise_if_errors(problems: Iterable[InputProblem]) -> list[InputProblem]:
    """Raise :class:`InputError` when any problem is an error; return the warnings otherwise."""
    problems = list(problems)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    return problems


#: At most this many rows are listed for one kind of problem; the rest are counted.
MAX_LISTED_ROWS = 20


def flagged_row_problems(
    flagged: np.ndarray,
    source: str,
    column: str,
    message: str,
    values: pd.Series | None = None,
    expected: str | None = None,
) -> list[InputProblem]:
    """One problem per flagged row (spreadsheet numbering: header on row 1), then a count.

    Parameters
    ----------
    flagged : ndarray of bool
        One entry per data row, in file order.
    source, column, message : str
        File, column and what is wrong.
    values : Series, optional
        The column's values, quoted in each problem.
    expected : str, optional
        What the column accepts.

    Examples
    --------
    >>> import numpy as np
    >>> [p.row for p in flagged_row_problems(np.array([False, True]), "a.csv", "x", "bad")]
    [3]

    """
    import numpy as np

    positions = np.flatnonzero(flagged)
    problems = [
        InputProblem(
            source,
            message,
            row=int(position) + 2,
            column=column,
            value=None if values is None else str(values.iloc[position]),
            expected=expected,
        )
        for position in positions[:MAX_LISTED_ROWS]
    ]
    if len(positions) > MAX_LISTED_ROWS:
        more = len(positions) - MAX_LISTED_ROWS
        problems.append(
            InputProblem(source, f"{message}: {more} more row(s)", column=column, expected=expected)
        )
    return problems
