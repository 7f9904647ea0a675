"""Checked numeric panels for the production-function estimators.

:func:`prepare_panel` turns an analyst's frame into a :class:`Panel`: numeric arrays sorted by
firm and year, with the lag structure computed once from the panel's own time index (a gap
year is a gap, not the previous row). Every problem in the input is collected and raised
together as :class:`helpers.errors.InputError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.errors import InputError, InputProblem

#: At most this many rows are listed for one kind of problem (the count is always given).
MAX_LISTED_ROWS = 10


@dataclass(frozen=True)
class Panel:
    """A firm-year panel as numeric arrays, sorted by firm then year.

    Attributes
    ----------
    firm : numpy.ndarray
        Integer firm codes ``0 .. n_firms - 1`` (one per row).
    year : numpy.ndarray
        Integer time index.
    output : numpy.ndarray
        Log output, shape ``(n,)``.
    free, state : numpy.ndarray
        Log free and state inputs, shape ``(n, n_free)`` and ``(n, n_state)``.
    proxy : numpy.ndarray or None
        Log proxy, shape ``(n, 1)``.
    has_lag : numpy.ndarray
        True where the previous row is the same firm's previous year.
    exit_flag : numpy.ndarray or None
        1.0 where the firm leaves the panel after this year (for the attrition correction).
    rows : numpy.ndarray
        Position of each row in the caller's frame (to align results with the input).
    cell : numpy.ndarray or None
        Integer code of each row's cell for fixed effects in the first stage and the law of
        motion (the year, a group, or a group and year; None: no such effects).

    """

    firm: np.ndarray
    year: np.ndarray
    output: np.ndarray
    free: np.ndarray
    state: np.ndarray
    proxy: np.ndarray | None
    has_lag: np.ndarray
    exit_flag: np.ndarray | None
    rows: np.ndarray
    cell: np.ndarray | None = None

    @property
    def n_obs(self) -> int:
        """Number of firm-years."""
        return len(self.output)

    @property
    def n_firms(self) -> int:
        """Number of firms."""
        return int(self.firm[-1]) + 1 if len(self.firm) else 0

    def lag(self, values: np.ndarray) -> np.ndarray:
        """Return each row's value in the firm's previous year (NaN when not observed)."""
        values = np.asarray(values, dtype=float)
        lagged = np.full_like(values, np.nan)
        lagged[1:] = values[:-1]
        lagged[~self.has_lag] = np.nan
        return lagged

    def resample(self, firms: np.ndarray) -> Panel:
        """Return the panel made of the given firms (repeats allowed), each with a new id.

        Parameters
        ----------
        firms : numpy.ndarray
            Codes of the firms drawn, in order; a firm drawn twice appears twice, as two firms.

        """
        starts, lengths = firm_blocks(self.firm)
        rows = block_rows(starts[firms], lengths[firms])
        new_ids = np.repeat(np.arange(len(firms)), lengths[firms])
        return Panel(
            firm=new_ids,
            year=self.year[rows],
            output=self.output[rows],
            free=self.free[rows],
            state=self.state[rows],
            proxy=None if self.proxy is None else self.proxy[rows],
            has_lag=self.has_lag[rows],
            exit_flag=None if self.exit_flag is None else self.exit_flag[rows],
            rows=self.rows[rows],
            cell=None if self.cell is None else self.cell[rows],
        )


def firm_blocks(firm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the first row and the number of rows of each firm in a firm-sorted panel."""
    lengths = np.bincount(firm)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return starts, lengths


def block_rows(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenate the row ranges ``[start, start + length)`` of several blocks, vectorised."""
    total = int(lengths.sum())
    offsets = np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(starts, lengths) + np.arange(total) - offsets


@dataclass(frozen=True)
class Columns:
    """Names of the frame's columns that play each role."""

    output: str
    free: tuple[str, ...]
    state: tuple[str, ...]
    proxy: str | None
    id: str
    time: str
    exit: str | None = None

    @property
    def numeric(self) -> tuple[str, ...]:
        """Columns that must hold finite numbers."""
        names = (self.output, *self.free, *self.state)
        if self.proxy is not None:
            names += (self.proxy,)
        return names

    @property
    def all(self) -> tuple[str, ...]:
        """Every column used, without duplicates, in role order."""
        names = (*self.numeric, self.id, self.time)
        if self.exit is not None:
            names += (self.exit,)
        return tuple(dict.fromkeys(names))


def prepare_panel(
    frame: pd.DataFrame,
    columns: Columns,
    *,
    source: str = "data",
    drop_missing: bool = False,
    take_logs: bool = False,
    exit_from_panel: bool = False,
) -> tuple[Panel, list[str]]:
    """Check the frame and return the numeric panel and notes on what was dropped.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per firm and year.
    columns : Columns
        Which column plays which role.
    source : str
        Name of the input shown in error messages (a file name, for instance).
    drop_missing : bool
        Drop rows with a missing value in a used column (with a note) instead of failing.
    take_logs : bool
        The numeric columns hold levels: take logs (zeros and negatives are errors).
    exit_from_panel : bool
        Derive the exit flag from the panel: a firm exits after its last year unless that is
        the panel's last year (``prodest``'s rule).

    Raises
    ------
    helpers.errors.InputError
        Listing every problem found: missing columns, missing or non-numeric values, values
        that are not finite (the log of zero), duplicated firm-years, time not in whole units.

    """
    _check_columns_exist(frame, columns, source)
    notes: list[str] = []
    data = frame.loc[:, list(columns.all)]
    positions = np.arange(len(frame))
    missing = data.isna().any(axis=1).to_numpy()
    if missing.any():
        if drop_missing:
            notes.append(f"{int(missing.sum())} row(s) with a missing value were left out")
            data, positions = data.loc[~missing], positions[~missing]
        else:
            raise InputError(_missing_problems(data, positions, source))
    if data.empty:
        raise InputError([InputProblem(source, "no rows to estimate from")])
    numeric, problems = _numeric_block(data, columns.numeric, positions, source, take_logs)
    year, time_problems = _time_index(data[columns.time], positions, columns.time, source)
    problems += time_problems
    exit_values = None
    if columns.exit is not None:
        exit_values, exit_problems = _exit_column(data[columns.exit], positions, columns, source)
        problems += exit_problems
    if problems:
        raise InputError(problems)
    firm_codes = _firm_codes(data[columns.id])
    order = np.lexsort((year, firm_codes))
    firm_sorted, year_sorted = firm_codes[order], year[order]
    _check_unique_firm_years(firm_sorted, year_sorted, positions[order], columns, source)
    firm_sorted = _renumber(firm_sorted)
    has_lag = np.zeros(len(order), dtype=bool)
    has_lag[1:] = (firm_sorted[1:] == firm_sorted[:-1]) & (year_sorted[1:] == year_sorted[:-1] + 1)
    values = numeric[order]
    n_free, n_state = len(columns.free), len(columns.state)
    if exit_from_panel:
        exit_flag = _exit_from_panel(firm_sorted, year_sorted)
    elif exit_values is not None:
        exit_flag = exit_values[order]
    else:
        exit_flag = None
    panel = Panel(
        firm=firm_sorted,
        year=year_sorted,
        output=values[:, 0],
        free=values[:, 1 : 1 + n_free],
        state=values[:, 1 + n_free : 1 + n_free + n_state],
        proxy=values[:, -1:] if columns.proxy is not None else None,
        has_lag=has_lag,
        exit_flag=exit_flag,
        rows=positions[order],
    )
    return panel, notes


def _check_columns_exist(frame: pd.DataFrame, columns: Columns, source: str) -> None:
    absent = [name for name in columns.all if name not in frame.columns]
    if absent:
        available = ", ".join(map(str, frame.columns))
        raise InputError(
            InputProblem(source, "column not found", column=name, expected=f"one of: {available}")
            for name in absent
        )


def _spreadsheet_row(position: int) -> int:
    """Row number as a spreadsheet shows it (header on row 1)."""
    return int(position) + 2


def _listed(
    rows: Sequence[int] | np.ndarray,
    source: str,
    column: str,
    message: str,
    values: Sequence[object] | np.ndarray,
) -> list[InputProblem]:
    """One problem per offending row, at most ``MAX_LISTED_ROWS``, then a count."""
    problems = [
        InputProblem(source, message, row=_spreadsheet_row(r), column=column, value=str(v))
        for r, v in zip(rows[:MAX_LISTED_ROWS], values[:MAX_LISTED_ROWS], strict=True)
    ]
    if len(rows) > MAX_LISTED_ROWS:
        more = len(rows) - MAX_LISTED_ROWS
        problems.append(InputProblem(source, f"{message}: {more} more row(s)", column=column))
    return problems


def _missing_problems(data: pd.DataFrame, positions: np.ndarray, source: str) -> list[InputProblem]:
    problems: list[InputProblem] = []
    for name in data.columns:
        mask = data[name].isna().to_numpy()
        if mask.any():
            message = (
                "missing value (pass drop_missing=True / --drop-missing to leave such rows out)"
            )
            problems += _listed(
                positions[mask], source, name, message, ["" for _ in range(mask.sum())]
            )
    return problems


def _numeric_block(
    data: pd.DataFrame,
    names: tuple[str, ...],
    positions: np.ndarray,
    source: str,
    take_logs: bool,
) -> tuple[np.ndarray, list[InputProblem]]:
    problems: list[InputProblem] = []
    block = np.empty((len(data), len(names)))
    for j, name in enumerate(names):
        raw = data[name]
        converted = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(converted)
        if bad.any():
            problems += _listed(positions[bad], source, name, "not a number", raw.to_numpy()[bad])
            converted = np.where(bad, 1.0, converted)
        if take_logs:
            nonpositive = converted <= 0
            if nonpositive.any():
                message = "zero or negative: its logarithm is not defined"
                problems += _listed(
                    positions[nonpositive], source, name, message, converted[nonpositive]
                )
            converted = np.log(np.where(nonpositive, 1.0, converted))
        infinite = ~np.isfinite(converted)
        if infinite.any():
            message = "not finite (the log of zero or of a negative number?)"
            problems += _listed(positions[infinite], source, name, message, converted[infinite])
        block[:, j] = converted
    return block, problems


def _time_index(
    raw: pd.Series, positions: np.ndarray, name: str, source: str
) -> tuple[np.ndarray, list[InputProblem]]:
    converted = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(converted) | (np.round(converted) != converted)
    if bad.any():
        message = "time must be a whole number (a year, for instance)"
        return np.zeros(len(raw), dtype=np.int64), _listed(
            positions[bad], source, name, message, raw.to_numpy()[bad]
        )
    return converted.astype(np.int64), []


def _exit_column(
    raw: pd.Series, positions: np.ndarray, columns: Columns, source: str
) -> tuple[np.ndarray, list[InputProblem]]:
    converted = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isin(converted, (0.0, 1.0))
    if bad.any():
        message = "exit indicator must be 0 or 1"
        return converted, _listed(
            positions[bad], source, str(columns.exit), message, raw.to_numpy()[bad]
        )
    return converted, []


def _check_unique_firm_years(
    firm: np.ndarray, year: np.ndarray, positions: np.ndarray, columns: Columns, source: str
) -> None:
    duplicated = np.zeros(len(firm), dtype=bool)
    duplicated[1:] = (firm[1:] == firm[:-1]) & (year[1:] == year[:-1])
    if duplicated.any():
        message = f"firm and year appear more than once (columns {columns.id!r}, {columns.time!r})"
        raise InputError(
            _listed(positions[duplicated], source, columns.time, message, year[duplicated])
        )


def _firm_codes(ids: pd.Series) -> np.ndarray:
    """Integer codes in the order of the sorted ids, so results do not depend on row order."""
    try:
        codes, _ = pd.factorize(ids, sort=True)
    except TypeError:  # ids of mixed types cannot be sorted
        codes, _ = pd.factorize(ids.astype(str), sort=True)
    return codes


def _renumber(firm_sorted: np.ndarray) -> np.ndarray:
    """Firm codes ``0, 1, 2, ...`` in sorted order (so firm blocks are contiguous)."""
    new_block = np.ones(len(firm_sorted), dtype=bool)
    new_block[1:] = firm_sorted[1:] != firm_sorted[:-1]
    return np.cumsum(new_block) - 1


def _exit_from_panel(firm: np.ndarray, year: np.ndarray) -> np.ndarray:
    """1.0 on a firm's last year when that year is not the panel's last year."""
    last_of_firm = np.ones(len(firm), dtype=bool)
    last_of_firm[:-1] = firm[1:] != firm[:-1]
    return (last_of_firm & (year != year.max())).astype(float)


def second_degree_terms(block: np.ndarray) -> np.ndarray:
    """Return the columns, then every square and pairwise product (a full quadratic).

    Examples
    --------
    >>> second_degree_terms(np.array([[2.0, 3.0]]))
    array([[2., 3., 4., 6., 9.]])

    """
    n_cols = block.shape[1]
    products = [block[:, i] * block[:, j] for i in range(n_cols) for j in range(i, n_cols)]
    return np.column_stack([block, *products]) if products else block
