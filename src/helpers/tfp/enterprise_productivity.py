"""Aggregate enterprise productivity, its Olley–Pakes decomposition, dispersion and growth.

Choice of scale: log TFP throughout
-----------------------------------
Olley and Pakes (1996) aggregate productivity *levels*; most later work (Bartelsman,
Haltiwanger and Scarpetta 2013; Melitz and Polanec 2015) aggregates *log* productivity.
This module uses log TFP (``omega``, the productivity term the production-function
estimators return) everywhere:

* aggregate productivity of a group-year is ``Omega = sum_i s_i * omega_i`` with ``s_i``
  the enterprise's share of the group-year's output (value added by default);
* its exact decomposition is ``Omega = mean(omega) + sum_i (s_i - mean(s)) (omega_i -
  mean(omega))`` - the unweighted mean plus the Olley–Pakes covariance term, which is
  positive when more productive enterprises hold larger shares;
* differences of ``Omega`` over time are log points (x 100 ~ per cent);
* dispersion is reported as the ratio of TFP *levels* at the 90th and 10th percentiles,
  ``exp(p90(omega) - p10(omega))`` - the level of TFP is only identified up to a constant,
  so ratios are meaningful and levels are not.

Every aggregate is output-weighted: before publishing, pass the firm panel through
:func:`helpers.tfp.disclosure.suppress_statistic` (count rule, dominance on output), or use
the ``n_firms`` and ``max_share`` columns returned here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.errors import ArgumentError, InputError, InputProblem, flagged_row_problems

__all__ = [
    "olley_pakes",
    "olley_pakes_by_group",
    "p90_p10_ratio",
    "tfp_growth",
]


def _as_list(columns: str | Sequence[str] | None, argument: str = "by") -> list[str]:
    """The column names of ``argument`` as a list; :class:`ArgumentError` if they are not text."""
    if columns is None:
        return []
    names = [columns] if isinstance(columns, str) else columns
    if not isinstance(names, Sequence) or not all(isinstance(n, str) and n for n in names):
        raise ArgumentError(
            f"{argument} must be a column name or a list of column names, got {columns!r}"
        )
    return list(names)


def _check_column_names(**columns: object) -> None:
    """Raise :class:`ArgumentError` naming an argument that is not a column name (text)."""
    for name, value in columns.items():
        if not isinstance(value, str) or not value:
            raise ArgumentError(f"{name} must be a column name (text), got {value!r}")


def _check_panel(
    panel: pd.DataFrame,
    keys: Sequence[str],
    numeric: Sequence[str],
    source: str,
    positive: Sequence[str] = (),
) -> None:
    """Raise :class:`InputError` listing missing columns, missing or invalid values."""
    problems = [
        InputProblem(source, "column is missing", column=column)
        for column in [*keys, *numeric]
        if column not in panel.columns
    ]
    if problems:
        raise InputError(problems)
    for column in [*keys, *numeric]:
        missing = panel[column].isna().to_numpy()
        problems += flagged_row_problems(missing, source, column, "missing value")
    for column in numeric:
        if not pd.api.types.is_numeric_dtype(panel[column]):
            problems.append(InputProblem(source, "column is not numeric", column=column))
    for column in positive:
        if column in panel and pd.api.types.is_numeric_dtype(panel[column]):
            negative = (panel[column] < 0).to_numpy()
            message = "negative output cannot be a weight (drop or fix such rows first)"
            problems += flagged_row_problems(negative, source, column, message, panel[column])
    if problems:
        raise InputError(problems)


def olley_pakes(log_tfp: np.ndarray | pd.Series, output: np.ndarray | pd.Series) -> pd.Series:
    """Return the output-weighted aggregate of log TFP and its Olley–Pakes decomposition.

    ``aggregate = unweighted_mean + covariance`` holds exactly (up to rounding), with
    ``covariance = sum_i (s_i - mean(s)) (omega_i - mean(omega))`` and ``s_i`` the output
    shares. Note that the covariance term is a sum (n times the population covariance).

    Parameters
    ----------
    log_tfp : array-like
        Log TFP of the enterprises of one group-year.
    output : array-like
        Their output (non-negative, not all zero), turned into shares.

    Returns
    -------
    Series
        ``aggregate``, ``unweighted_mean``, ``covariance``, ``n_firms``, ``max_share``.

    Examples
    --------
    >>> olley_pakes([0.0, 1.0], [1.0, 3.0])
    aggregate          0.75
    unweighted_mean    0.50
    covariance         0.25
    n_firms            2.00
    max_share          0.75
    dtype: float64

    """
    omega = np.asarray(log_tfp, dtype=float)
    weight = np.asarray(output, dtype=float)
    if omega.shape != weight.shape or omega.size == 0:
        raise ArgumentError(
            "log_tfp and output must be non-empty and of the same length, "
            f"got {omega.size} and {weight.size} values"
        )
    if (weight < 0).any() or weight.sum() <= 0:
        raise ArgumentError("output must be non-negative with a positive total")
    share = weight / weight.sum()
    unweighted_mean = omega.mean()
    covariance = float(np.sum((share - share.mean()) * (omega - unweighted_mean)))
    return pd.Series(
        {
            "aggregate": float(np.sum(share * omega)),
            "unweighted_mean": float(unweighted_mean),
            "covariance": covariance,
            "n_firms": float(omega.size),
            "max_share": float(share.max()),
        }
    )


def olley_pakes_by_group(
    panel: pd.DataFrame,
    *,
    year: str = "year",
    by: str | Sequence[str] | None = None,
    log_tfp: str = "log_tfp",
    output: str = "value_added",
    source: str = "enterprise panel",
) -> pd.DataFrame:
    """Aggregate log TFP per year (and group) with its Olley–Pakes decomposition.

    Shares are computed within each group-year. Rows with missing values are an input
    error (filter them first, so that what is dropped is a visible decision).

    Parameters
    ----------
    panel : DataFrame
        One row per enterprise and year.
    year : str
        Year column.
    by : str or sequence of str, optional
        Further grouping (for example ``"sector"``); None for the whole province.
    log_tfp : str
        Log TFP column.
    output : str
        Output column used for the shares (value added by default; must be >= 0).
    source : str
        Name of the input used in error messages.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``year``, ``aggregate``, ``unweighted_mean``, ``covariance``,
        ``n_firms`` (int) and ``max_share`` (largest output share, for the dominance rule),
        sorted by group and year.

    Examples
    --------
    >>> panel = pd.DataFrame({
    ...     "year": [2023, 2023, 2024, 2024],
    ...     "log_tfp": [0.0, 1.0, 0.2, 1.2],
    ...     "value_added": [1.0, 3.0, 1.0, 1.0],
    ... })
    >>> olley_pakes_by_group(panel)
       year  aggregate  unweighted_mean  covariance  n_firms  max_share
    0  2023       0.75              0.5        0.25        2       0.75
    1  2024       0.70              0.7        0.00        2       0.50

    """
    _check_column_names(year=year, log_tfp=log_tfp, output=output)
    keys = [*_as_list(by), year]
    _check_panel(panel, keys, [log_tfp, output], source, positive=[output])
    rows = []
    for key, group in panel.groupby(keys, sort=True, observed=True):
        if group[output].sum() <= 0:
            raise InputError(
                [InputProblem(source, "output sums to zero in a group", value=str(key))]
            )
        decomposition = olley_pakes(group[log_tfp], group[output])
        rows.append({**dict(zip(keys, key, strict=True)), **decomposition.to_dict()})
    result = pd.DataFrame(
        rows,
        columns=[*keys, "aggregate", "unweighted_mean", "covariance", "n_firms", "max_share"],
    )
    result["n_firms"] = result["n_firms"].astype(int)
    return result


def p90_p10_ratio(
    panel: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "year",
    log_tfp: str = "log_tfp",
    source: str = "enterprise panel",
) -> pd.DataFrame:
    """Return the ratio of TFP levels at the 90th and 10th percentiles, by group.

    The ratio is ``exp(p90 - p10)`` of log TFP: a value of 2 means the enterprise at the
    90th percentile produces twice as much from the same inputs as the one at the 10th.
    Percentiles use linear interpolation (numpy's default).

    Parameters
    ----------
    panel : DataFrame
        One row per enterprise and year.
    by : str or sequence of str, optional
        Grouping (for example ``["sector", "year"]``); None for the whole panel.
    log_tfp : str
        Log TFP column.
    source : str
        Name of the input used in error messages.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``log_p90``, ``log_p10``, ``p90_p10_ratio`` and ``n_firms``.

    Examples
    --------
    >>> panel = pd.DataFrame({"year": [2024] * 11, "log_tfp": np.linspace(0.0, 1.0, 11)})
    >>> p90_p10_ratio(panel).round(4)
       year  log_p90  log_p10  p90_p10_ratio  n_firms
    0  2024      0.9      0.1         2.2255       11

    """
    _check_column_names(log_tfp=log_tfp)
    keys = _as_list(by)
    _check_panel(panel, keys, [log_tfp], source)
    frame = panel.assign(_all=0) if not keys else panel
    grouped = frame.groupby(keys or ["_all"], sort=True, observed=True)[log_tfp]
    result = pd.DataFrame(
        {
            "log_p90": grouped.quantile(0.9),
            "log_p10": grouped.quantile(0.1),
            "n_firms": grouped.size(),
        }
    )
    result["p90_p10_ratio"] = np.exp(result["log_p90"] - result["log_p10"])
    result = result[["log_p90", "log_p10", "p90_p10_ratio", "n_firms"]].reset_index()
    return result.drop(columns=["_all"], errors="ignore")


def tfp_growth(
    frame: pd.DataFrame,
    start: int,
    end: int,
    *,
    by: str | Sequence[str] | None = None,
    year: str = "year",
    log_tfp: str = "log_tfp",
    source: str = "TFP series",
) -> pd.DataFrame:
    """Return TFP growth between two years, from a series of log TFP.

    Works for enterprises (``by="tax_code"``, ``log_tfp="log_tfp"``) and for aggregates
    (the output of :func:`olley_pakes_by_group`, ``log_tfp="aggregate"``). Units present
    in only one of the two years are left out.

    Parameters
    ----------
    frame : DataFrame
        One row per unit (``by``) and year.
    start, end : int
        First and last year of the period (``end > start``).
    by : str or sequence of str, optional
        Columns identifying the unit; None when the frame is a single series.
    year : str
        Year column.
    log_tfp : str
        Log TFP column.
    source : str
        Name of the input used in error messages.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``start``, ``end``, ``log_change`` (log points),
        ``total_growth`` (``exp(log_change) - 1``) and ``annual_growth``
        (``exp(log_change / (end - start)) - 1``), as fractions.

    Examples
    --------
    >>> series = pd.DataFrame({"year": [2020, 2022], "log_tfp": [0.0, 0.2]})
    >>> tfp_growth(series, 2020, 2022).round(4)
       start   end  log_change  total_growth  annual_growth
    0   2020  2022         0.2        0.2214         0.1052

    """
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            raise ArgumentError(f"{name} must be a year (a whole number), got {value!r}")
    if end <= start:
        raise ArgumentError(f"end ({end}) must be after start ({start})")
    _check_column_names(year=year, log_tfp=log_tfp)
    keys = _as_list(by)
    _check_panel(frame, [*keys, year], [log_tfp], source)
    if frame.duplicated([*keys, year]).any():
        raise InputError([InputProblem(source, "more than one row per unit and year")])
    units = keys or ["_unit"]
    series = frame if keys else frame.assign(_unit=0)
    first = series.loc[series[year] == start, [*units, log_tfp]]
    last = series.loc[series[year] == end, [*units, log_tfp]]
    both = first.merge(last, on=units, suffixes=("_start", "_end"))
    change = both[f"{log_tfp}_end"] - both[f"{log_tfp}_start"]
    result = both[keys].copy()
    result["start"] = start
    result["end"] = end
    result["log_change"] = change
    result["total_growth"] = np.expm1(change)
    result["annual_growth"] = np.expm1(change / (end - start))
    return result.reset_index(drop=True)
