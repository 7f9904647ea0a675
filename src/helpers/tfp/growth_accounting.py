"""Growth accounting: the share of TFP in output growth, as a residual.

Output growth is split into the contribution of capital, the contribution of labour and a
residual, total factor productivity (TFP):

* ``method="gso"`` is the formula of Vietnam's statistics office, with discrete growth rates
  ``g_X = X_t / X_{t-1} - 1`` and a capital share ``α`` (fixed or per year)::

      g_A = g_Y - α g_K - (1 - α) g_L

* ``method="tornqvist"`` uses log differences ``ln(X_t / X_{t-1})`` and the labour share
  averaged over ``t-1`` and ``t`` (the Penn World Table and APO Productivity Databook
  convention)::

      g_A = g_Y - (1 - s̄_L) g_K - s̄_L g_L,   s̄_L = (s_L,t-1 + s_L,t) / 2

The share of TFP in growth is ``g_A / g_Y``. Period figures are computed from summed
contributions (:func:`period_aggregate`), never by averaging yearly shares. When no capital
series exists, :func:`perpetual_inventory` builds one from investment; :func:`sensitivity`
shows how much the TFP share depends on the capital share and the depreciation rate, which
are assumptions when no input–output table is at hand.

Bad data (a gap in the years, a missing or non-positive level, a share column outside (0, 1),
too few years) raise :class:`helpers.errors.InputError` listing every problem with the column,
the year and the value, in the words of the problem catalogue; a wrong argument (a capital
share or a depreciation rate outside (0, 1), an unknown method, an empty series) raises
:class:`helpers.errors.ArgumentError` naming the argument and its value. No function returns
a silent NaN in place of bad data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from numbers import Real

import numpy as np
import pandas as pd

from helpers.errors import ArgumentError, InputError, InputProblem
from helpers.problems import Problems

__all__ = [
    "METHODS",
    "RESULT_COLUMNS",
    "capital_growth_for_share",
    "capital_share_for_share",
    "decompose",
    "labour_quality_adjusted",
    "period_aggregate",
    "perpetual_inventory",
    "phase_table",
    "sensitivity",
]

#: Accepted values of ``method``.
METHODS = ("gso", "tornqvist")

#: Columns of the frame returned by :func:`decompose`, in order.
RESULT_COLUMNS = [
    "growth_output",
    "growth_capital",
    "growth_labour",
    "contrib_capital",
    "contrib_labour",
    "growth_tfp",
    "tfp_share",
]

_DEFAULT_SOURCE = "data frame"


# --------------------------------------------------------------------------------------
# Locating problems
# --------------------------------------------------------------------------------------


def _source(obj: pd.DataFrame | pd.Series) -> str:
    """Return the file name a frame came from (``attrs["source"]``), or a generic label."""
    return str(obj.attrs.get("source", _DEFAULT_SOURCE))


def _excel_row(obj: pd.DataFrame | pd.Series, year: object) -> int | None:
    """Return the spreadsheet row of ``year`` when the loader recorded it, else None."""
    rows = obj.attrs.get("excel_rows") or {}
    try:
        return rows.get(int(year))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _problem(
    obj: pd.DataFrame | pd.Series,
    kind: str,
    *,
    year: object = None,
    column: str | None = None,
    value: object = None,
    expected: str | None = None,
    **values: object,
) -> InputProblem:
    """The problem ``kind`` of the catalogue, located by file, row (if known), column and year.

    ``expected`` is a key of the catalogue's expectations; ``year`` and ``values`` fill the
    placeholders of the message and of the expectation.
    """
    where = Problems(_source(obj))
    return where.problem(
        kind,
        row=_excel_row(obj, year) if year is not None else None,
        column=column,
        value=None if value is None else str(value),
        expected=None if expected is None else where.expected(expected, **values),
        year=year,
        **values,  # type: ignore[arg-type]
    )


def _refuse_empty(obj: pd.DataFrame | pd.Series, argument: str) -> None:
    """An empty frame or series is the caller's mistake: raise :class:`ArgumentError`."""
    if len(obj) == 0:
        raise ArgumentError(f"{argument} is empty: at least one year of data is needed")


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------


def _years_of(frame: pd.DataFrame, year: str) -> tuple[pd.Series | None, list[InputProblem]]:
    """Return the year column as integers (or None) and the problems found in it."""
    if year in frame.columns:
        raw = frame[year]
    elif frame.index.name == year:
        raw = pd.Series(frame.index, index=frame.index, name=year)
    else:
        problem = _problem(
            frame, "growth_year_column_missing", column=year, expected="growth_years", name=year
        )
        return None, [problem]
    numeric = pd.to_numeric(raw, errors="coerce")
    bad = numeric.isna() | (numeric != np.floor(numeric))
    if bad.any():
        problems = [
            _problem(frame, "growth_year_not_whole", column=year, value=v, expected="accounts_year")
            for v in raw[bad]
        ]
        return None, problems
    return numeric.astype(int), []


def _year_sequence_problems(frame: pd.DataFrame, years: pd.Series, year: str) -> list[InputProblem]:
    """Check that the years are unique, consecutive and at least two."""
    problems = [
        _problem(frame, "growth_year_twice", year=y, column=year, value=y)
        for y in sorted(set(years[years.duplicated()]))
    ]
    unique = sorted(set(years))
    if len(unique) < 2:
        problems.append(
            _problem(
                frame,
                "growth_too_few_years",
                column=year,
                value=", ".join(map(str, unique)) or "no rows",
                expected="growth_two_years",
            )
        )
    missing = sorted(set(range(unique[0], unique[-1] + 1)) - set(unique)) if unique else []
    problems.extend(
        _problem(
            frame,
            "growth_year_gap",
            year=m,
            column=year,
            expected="growth_every_year",
            first=unique[0],
            last=unique[-1],
        )
        for m in missing
    )
    return problems


def _level_problems(frame: pd.DataFrame, column: str, years: pd.Series) -> list[InputProblem]:
    """Check that a level column exists and holds finite positive numbers."""
    if column not in frame.columns:
        return [
            _problem(
                frame, "growth_column_missing", column=column, expected="growth_numeric_column"
            )
        ]
    raw = frame[column]
    numeric = pd.to_numeric(raw, errors="coerce")
    problems = []
    for position, (value, number) in enumerate(zip(raw, numeric, strict=True)):
        y = years.iloc[position]
        if pd.isna(value):
            problems.append(
                _problem(frame, "growth_value_empty", year=y, column=column, expected="float")
            )
        elif pd.isna(number):
            problems.append(
                _problem(
                    frame, "growth_not_number", year=y, column=column, value=value, expected="float"
                )
            )
        elif not math.isfinite(number) or number <= 0:
            problems.append(
                _problem(
                    frame,
                    "growth_level_not_positive",
                    year=y,
                    column=column,
                    value=value,
                    expected="growth_positive",
                )
            )
    return problems


def _check_share_argument(share: object, argument: str) -> None:
    """A share given as a number must lie strictly inside (0, 1): else :class:`ArgumentError`."""
    if isinstance(share, str) or share is None:
        return
    if isinstance(share, bool) or not isinstance(share, Real):
        raise ArgumentError(
            f"{argument} must be a number strictly between 0 and 1 or a column name, got {share!r}"
        )
    if not (math.isfinite(float(share)) and 0 < float(share) < 1):
        raise ArgumentError(
            f"{argument} must be strictly between 0 and 1 (e.g. 0.4 for 40 %), got {share!r}"
        )


def _share_problems(
    frame: pd.DataFrame, share: str, argument: str, years: pd.Series
) -> list[InputProblem]:
    """Check a share column: finite and strictly inside (0, 1) in every year."""
    if share not in frame.columns:
        return [
            _problem(
                frame, f"growth_{argument}_column_missing", column=share, expected="growth_share"
            )
        ]
    raw = frame[share]
    numeric = pd.to_numeric(raw, errors="coerce")
    return [
        _problem(
            frame,
            f"growth_{argument}_not_fraction",
            year=years.iloc[position],
            column=share,
            value=value,
            expected="growth_share",
        )
        for position, (value, number) in enumerate(zip(raw, numeric, strict=True))
        if pd.isna(number) or not 0 < number < 1
    ]


def _check_options(capital_share: object, labour_share: object, method: str) -> None:
    """Reject misuse of the arguments (the caller's mistake, not bad data)."""
    if (capital_share is None) == (labour_share is None):
        raise ArgumentError(
            "give exactly one of capital_share (α) or labour_share (1 − α), as a number or "
            f"a column name; got capital_share={capital_share!r}, labour_share={labour_share!r}"
        )
    if method not in METHODS:
        raise ArgumentError(f"method must be one of {METHODS}, got {method!r}")
    _check_share_argument(capital_share, "capital_share")
    _check_share_argument(labour_share, "labour_share")


# --------------------------------------------------------------------------------------
# Decomposition
# --------------------------------------------------------------------------------------


def _labour_share_series(
    data: pd.DataFrame, capital_share: float | str | None, labour_share: float | str | None
) -> pd.Series:
    """Return the labour share per year (1 − α when the capital share was given)."""
    given: float | str | None
    if labour_share is not None:
        given = labour_share
        complement = False
    else:
        given = capital_share
        complement = True
    if isinstance(given, str):
        values = pd.to_numeric(data[given]).astype(float)
    else:
        values = pd.Series(float(given), index=data.index)  # type: ignore[arg-type]
    return 1.0 - values if complement else values


def decompose(
    frame: pd.DataFrame,
    *,
    output: str,
    capital: str,
    labour: str,
    capital_share: float | str | None = None,
    labour_share: float | str | None = None,
    method: str = "gso",
    year: str = "year",
) -> pd.DataFrame:
    """Decompose output growth into capital, labour and TFP contributions, year by year.

    Parameters
    ----------
    frame : DataFrame
        One row per year, consecutive years, with positive levels of output, capital and
        labour (any units: only growth rates enter). The year is a column or the index name.
    output, capital, labour : str
        Column names of the output (at constant prices), capital (stock at constant prices)
        and labour (persons, or an input already adjusted for hours or quality) levels.
    capital_share : float or str, optional
        The capital share α (``0 < α < 1``) as a number or as a column of per-year shares.
    labour_share : float or str, optional
        The labour share ``1 − α``, as a number or a column. Give exactly one of
        ``capital_share`` and ``labour_share``.
    method : {"gso", "tornqvist"}
        ``"gso"``: discrete growth rates and the share of year ``t``;
        ``"tornqvist"``: log differences and the labour share averaged over ``t−1`` and ``t``.
    year : str
        Name of the year column.

    Returns
    -------
    DataFrame
        Indexed by year (from the second year: growth is undefined in the first), with columns
        ``growth_output``, ``growth_capital``, ``growth_labour``, ``contrib_capital``,
        ``contrib_labour``, ``growth_tfp`` and ``tfp_share``, all fractions (0.05 is 5 %).
        ``contrib_capital + contrib_labour + growth_tfp == growth_output`` up to floating-point
        rounding. ``tfp_share = growth_tfp / growth_output`` is NaN only in a year whose output
        growth is exactly zero (the share is undefined there) and is hard to read when output
        falls; prefer period shares from :func:`period_aggregate`. ``attrs["method"]`` records
        the method.

    Raises
    ------
    InputError
        A missing column, a gap or a duplicate in the years, fewer than two years, an empty,
        non-numeric or non-positive level, or a share column outside (0, 1); every problem is
        listed with its column, year and value.
    ArgumentError
        Both or neither of ``capital_share`` and ``labour_share`` given, a share given as a
        number outside (0, 1), an unknown method, or an empty frame.

    Examples
    --------
    Output grows 10 %, capital 6 %, labour 1 %, α = 0.4: capital contributes 0.4 × 6 % = 2.4
    points, labour 0.6 × 1 % = 0.6 points, and TFP the remaining 7 points, 70 % of growth.

    >>> frame = pd.DataFrame(
    ...     {"year": [2020, 2021], "Y": [100.0, 110.0], "K": [400.0, 424.0], "L": [50.0, 50.5]}
    ... )
    >>> result = decompose(frame, output="Y", capital="K", labour="L", capital_share=0.4)
    >>> result.round(4).loc[2021, ["contrib_capital", "contrib_labour", "growth_tfp", "tfp_share"]]
    contrib_capital    0.024
    contrib_labour     0.006
    growth_tfp         0.070
    tfp_share          0.700
    Name: 2021, dtype: float64

    """
    _check_options(capital_share, labour_share, method)
    _refuse_empty(frame, "frame")
    years, problems = _years_of(frame, year)
    if years is not None:
        problems += _year_sequence_problems(frame, years, year)
        for column in (output, capital, labour):
            problems += _level_problems(frame, column, years)
        if isinstance(capital_share, str):
            problems += _share_problems(frame, capital_share, "capital_share", years)
        if isinstance(labour_share, str):
            problems += _share_problems(frame, labour_share, "labour_share", years)
    if problems or years is None:
        raise InputError(problems)

    data = frame.drop(columns=[year], errors="ignore").set_axis(years.to_numpy(), axis=0)
    data = data.sort_index()
    data.index.name = year
    levels = data[[output, capital, labour]].apply(pd.to_numeric).astype(float)
    s_labour = _labour_share_series(data, capital_share, labour_share)

    if method == "gso":
        growth = levels / levels.shift(1) - 1.0
        weight_labour = s_labour
    else:
        growth = np.log(levels / levels.shift(1))
        weight_labour = (s_labour + s_labour.shift(1)) / 2.0

    result = pd.DataFrame(index=data.index)
    result["growth_output"] = growth[output]
    result["growth_capital"] = growth[capital]
    result["growth_labour"] = growth[labour]
    result["contrib_capital"] = (1.0 - weight_labour) * growth[capital]
    result["contrib_labour"] = weight_labour * growth[labour]
    result["growth_tfp"] = (
        result["growth_output"] - result["contrib_capital"] - result["contrib_labour"]
    )
    nonzero = result["growth_output"].where(result["growth_output"] != 0)
    result["tfp_share"] = result["growth_tfp"] / nonzero
    result = result.iloc[1:]
    result.attrs = {"method": method, "source": _source(frame)}
    return result


# --------------------------------------------------------------------------------------
# Periods
# --------------------------------------------------------------------------------------


def _missing_period_years(decomposition: pd.DataFrame, start: int, end: int) -> list[int]:
    """Return the years of ``start..end`` absent from the decomposition."""
    present = set(int(y) for y in decomposition.index)
    return [y for y in range(start, end + 1) if y not in present]


def _period_problem(decomposition: pd.DataFrame, missing: Sequence[int]) -> InputProblem:
    """Explain why some years of a period have no decomposition."""
    first = int(min(decomposition.index)) if len(decomposition) else None
    starts_later = first is not None and min(missing) < first
    return _problem(
        decomposition,
        "growth_period_first_year" if starts_later else "growth_period_missing",
        column="year",
        value=", ".join(map(str, missing)),
        expected="growth_period",
        first=first,
        before=None if first is None else first - 1,
    )


def _cagr(growth: pd.Series, method: str) -> float:
    """Return the compound average annual growth implied by yearly growth rates."""
    if method == "tornqvist":
        return math.expm1(float(growth.mean()))
    return float(np.prod(1.0 + growth.to_numpy()) ** (1.0 / len(growth)) - 1.0)


def period_aggregate(
    decomposition: pd.DataFrame, start: int, end: int, *, require_complete: bool = True
) -> pd.Series:
    """Aggregate a yearly decomposition over a period from summed contributions.

    The period's TFP share is ``Σ growth_tfp / Σ growth_output``, and likewise for the
    capital and labour shares of growth; yearly shares are never averaged (a year of weak
    growth would weigh as much as a year of strong growth).

    Parameters
    ----------
    decomposition : DataFrame
        Result of :func:`decompose`.
    start, end : int
        First and last year of the period, inclusive (2021 and 2025 for 2021–2025: the growth
        of 2021 is the change from 2020 to 2021).
    require_complete : bool
        If True (default), every year of the period must be present. If False, aggregate the
        years present (for a phase still under way); ``last_year`` and ``n_years`` say which.

    Returns
    -------
    Series
        ``first_year``, ``last_year``, ``n_years``; the average annual ``growth_output``,
        ``growth_capital``, ``growth_labour``, ``contrib_capital``, ``contrib_labour`` and
        ``growth_tfp`` (arithmetic means, which add up like the yearly figures);
        ``cagr_output`` (compound average annual output growth); and the period shares of
        growth ``capital_share_of_growth``, ``labour_share_of_growth`` and ``tfp_share``.

    Raises
    ------
    InputError
        Years of the period are missing (for example the first year of the data, whose growth
        is undefined), or no year of the period is present.
    ArgumentError
        ``start`` after ``end``.

    Examples
    --------
    A year of 10 % growth with 5 points of TFP and a year of 1 % growth with 0.9 points:
    the period share is 5.9 / 11 ≈ 53.6 %, not the 70 % that averaging 50 % and 90 % gives.

    >>> yearly = pd.DataFrame(
    ...     {"growth_output": [0.10, 0.01], "growth_capital": [0.05, 0.0],
    ...      "growth_labour": [0.0, 0.0], "contrib_capital": [0.05, 0.001],
    ...      "contrib_labour": [0.0, 0.0], "growth_tfp": [0.05, 0.009],
    ...      "tfp_share": [0.5, 0.9]},
    ...     index=pd.Index([2021, 2022], name="year"),
    ... )
    >>> round(period_aggregate(yearly, 2021, 2022)["tfp_share"], 4)
    0.5364

    """
    if start > end:
        raise ArgumentError(f"the period starts after it ends: start={start}, end={end}")
    missing = _missing_period_years(decomposition, start, end)
    if len(missing) == end - start + 1 or (missing and require_complete):
        raise InputError([_period_problem(decomposition, missing)])
    years = [y for y in decomposition.index if start <= int(y) <= end]
    part = decomposition.loc[years]
    sums = part.sum()
    means = part.mean()
    total = float(sums["growth_output"])
    method = str(decomposition.attrs.get("method", "gso"))

    def share(column: str) -> float:
        return float(sums[column]) / total if total != 0 else math.nan

    values = {
        "first_year": int(min(years)),
        "last_year": int(max(years)),
        "n_years": len(years),
        **{c: float(means[c]) for c in RESULT_COLUMNS if c != "tfp_share"},
        "cagr_output": _cagr(part["growth_output"], method),
        "capital_share_of_growth": share("contrib_capital"),
        "labour_share_of_growth": share("contrib_labour"),
        "tfp_share": share("growth_tfp"),
    }
    return pd.Series(values, dtype=object, name=f"{start}–{end}")


def phase_table(decomposition: pd.DataFrame, phases: Mapping[str, tuple[int, int]]) -> pd.DataFrame:
    """Aggregate each phase that has at least one year of data (see :func:`period_aggregate`).

    Parameters
    ----------
    decomposition : DataFrame
        Result of :func:`decompose`.
    phases : mapping of str to (int, int)
        Phase label to (first year, last year), e.g. ``{"2021–2025": (2021, 2025)}``.

    Returns
    -------
    DataFrame
        One row per phase with data, indexed by the phase label. A phase under way is
        aggregated over the years present (``last_year`` and ``n_years`` show it).

    Examples
    --------
    >>> frame = pd.DataFrame({"year": [2020, 2021, 2022], "Y": [100.0, 110.0, 121.0],
    ...                       "K": [100.0, 105.0, 110.25], "L": [10.0, 10.0, 10.0]})
    >>> yearly = decompose(frame, output="Y", capital="K", labour="L", capital_share=0.4)
    >>> table = phase_table(yearly, {"2021–2025": (2021, 2025), "2026–2030": (2026, 2030)})
    >>> list(table.index), int(table.loc["2021–2025", "n_years"])
    (['2021–2025'], 2)
    >>> round(float(table.loc["2021–2025", "tfp_share"]), 6)
    0.8

    """
    rows = {}
    for label, (start, end) in phases.items():
        if len(_missing_period_years(decomposition, start, end)) == end - start + 1:
            continue
        rows[label] = period_aggregate(decomposition, start, end, require_complete=False)
    table = pd.DataFrame.from_dict(rows, orient="index").infer_objects()
    table.index.name = "phase"
    return table


# --------------------------------------------------------------------------------------
# Inputs: capital stock and labour quality
# --------------------------------------------------------------------------------------


def _series_problems(series: pd.Series, name: str) -> list[InputProblem]:
    """Check a yearly series: consecutive integer years, finite positive values."""
    frame = series.to_frame(name=name)
    frame.attrs = dict(series.attrs)
    frame.index.name = "year"
    years, problems = _years_of(frame, "year")
    if years is None:
        return problems
    problems += _year_sequence_problems(frame, years, "year")
    problems += _level_problems(frame, name, years)
    return problems


def _steady_state_growth(investment: pd.Series, growth_years: int) -> float:
    """Return the compound average growth of investment over its first ``growth_years``."""
    n = min(growth_years, len(investment) - 1)
    if n < 1:
        raise InputError(
            [
                _problem(
                    investment,
                    "growth_single_investment_year",
                    column=str(investment.name),
                    expected="growth_investment_years",
                )
            ]
        )
    return float((investment.iloc[n] / investment.iloc[0]) ** (1.0 / n) - 1.0)


def _check_depreciation(depreciation: object) -> None:
    """δ must be a number strictly inside (0, 1): else :class:`ArgumentError`."""
    if isinstance(depreciation, bool) or not (
        isinstance(depreciation, Real) and 0 < float(depreciation) < 1
    ):
        raise ArgumentError(
            f"depreciation must be a fraction strictly between 0 and 1 (such as 0.05), "
            f"got {depreciation!r}"
        )


def perpetual_inventory(
    investment: pd.Series,
    *,
    depreciation: float,
    initial: float | None = None,
    growth: float | None = None,
    growth_years: int = 5,
) -> pd.Series:
    """Build a capital stock by the perpetual inventory method.

    ``K_t = (1 − δ) K_{t−1} + I_t``: the stock at the end of year ``t`` includes that year's
    investment. The opening stock ``K_{t0−1}`` (end of the year before the first investment
    year ``t0``) is ``initial`` if given, otherwise the steady-state stock ``I_t0 / (g + δ)``,
    the stock that investment growing at the constant rate ``g`` for ever would have built.
    With that start and ``I_t = I_t0 (1 + g)^(t − t0)``, ``K_t = I_t (1 + g) / (g + δ)`` in
    every year.

    Parameters
    ----------
    investment : Series
        Gross fixed investment at constant prices, indexed by consecutive years.
    depreciation : float
        The geometric depreciation rate δ, ``0 < δ < 1``.
    initial : float, optional
        Opening stock at the end of the year before the first year, in the units of
        ``investment``. Overrides the steady-state start.
    growth : float, optional
        ``g`` for the steady-state start. By default, the compound average growth of
        investment over its first ``growth_years`` years:
        ``(I_{t0+n} / I_t0)^(1/n) − 1`` with ``n = min(growth_years, years − 1)``.
    growth_years : int
        Number of growth rates averaged for the default ``g`` (5: the first five years).

    Returns
    -------
    Series
        The capital stock, indexed like ``investment`` and named ``"capital"``;
        ``attrs["opening_stock"]``, ``attrs["growth"]`` (None when ``initial`` was given) and
        ``attrs["depreciation"]`` record the start.

    Raises
    ------
    InputError
        Gaps in the years, empty, non-positive or non-finite investment, or investment
        whose growth ``g`` (estimated, when not given) makes ``g + δ <= 0``.
    ArgumentError
        An empty series, δ outside (0, 1), a negative ``initial``, or a given ``growth``
        with ``g + δ <= 0``.

    Examples
    --------
    Investment 10, 11, 12.1 (growing 10 %), δ = 0.1: the opening stock is 10 / 0.2 = 50,
    then K = 0.9 × 50 + 10 = 55, 0.9 × 55 + 11 = 60.5, 0.9 × 60.5 + 12.1 = 66.55.

    >>> investment = pd.Series([10.0, 11.0, 12.1], index=[2010, 2011, 2012])
    >>> perpetual_inventory(investment, depreciation=0.1).round(4).tolist()
    [55.0, 60.5, 66.55]

    """
    name = str(investment.name) if investment.name is not None else "investment"
    _refuse_empty(investment, name)
    _check_depreciation(depreciation)
    if initial is not None and not (
        isinstance(initial, Real) and math.isfinite(initial) and initial >= 0
    ):
        raise ArgumentError(
            f"initial (the opening stock) must be a finite number >= 0, got {initial!r}"
        )
    if growth is not None and not growth + depreciation > 0:
        raise ArgumentError(
            f"growth + depreciation must be > 0 for the steady-state start, got growth={growth!r} "
            f"and depreciation={depreciation!r}"
        )
    problems = _series_problems(investment, name)
    if problems:
        raise InputError(problems)

    flows = pd.to_numeric(investment).astype(float).sort_index()
    g = None
    if initial is None:
        g = _steady_state_growth(flows, growth_years) if growth is None else float(growth)
        if g + depreciation <= 0:
            raise InputError(
                [
                    _problem(
                        investment,
                        "growth_steady_state",
                        column=name,
                        value=g,
                        expected="growth_above",
                        low=-depreciation,
                    )
                ]
            )
        opening = float(flows.iloc[0]) / (g + depreciation)
    else:
        opening = float(initial)

    stock = np.empty(len(flows))
    previous = opening
    for position, flow in enumerate(flows.to_numpy()):
        previous = (1.0 - depreciation) * previous + flow
        stock[position] = previous
    result = pd.Series(stock, index=flows.index, name="capital")
    result.attrs = {
        "source": _source(investment),
        "opening_stock": opening,
        "growth": g,
        "depreciation": float(depreciation),
    }
    return result


def _values_outside(
    series: pd.Series,
    default_name: str,
    accepts: Callable[[float], bool],
    kind: str,
    expected: str,
) -> list[InputProblem]:
    """One problem ``kind`` per year whose value is missing, not a number or not accepted.

    ``accepts`` receives the value as a number (never NaN); the column is named after the
    series, or ``default_name`` when it has no name.
    """
    problems = []
    for year_, value in series.items():
        number = pd.to_numeric(value, errors="coerce")
        if pd.isna(number) or not accepts(number):
            problems.append(
                _problem(
                    series,
                    kind,
                    year=year_,
                    column=str(series.name or default_name),
                    value=value,
                    expected=expected,
                )
            )
    return problems


def labour_quality_adjusted(
    employment: pd.Series, trained_share: pd.Series, premium: float = 0.3
) -> pd.Series:
    """Return labour input in efficiency units, adjusted for the share of trained workers.

    Assumption: a trained worker supplies ``1 + premium`` efficiency units for every unit an
    untrained worker supplies (the premium stands for the relative wage, read as relative
    marginal product), so ``L* = E × (1 + premium × s)`` with ``s`` the trained share.
    Growth of ``L*`` is employment growth plus the growth of the quality index
    ``1 + premium × s``. The default premium of 0.3 is illustrative, not estimated: take it
    from labour-force-survey wages when available. With a broad definition of "trained"
    (any vocational training, including short courses) a modest premium is appropriate.

    Parameters
    ----------
    employment : Series
        Employed persons, indexed by year.
    trained_share : Series
        Share of trained workers as a fraction in [0, 1] (0.85 for 85 %), same index.
    premium : float
        Efficiency premium of a trained worker over an untrained one (> −1).

    Returns
    -------
    Series
        ``employment × (1 + premium × trained_share)``, named ``"labour_quality_adjusted"``
        (units: untrained-worker equivalents).

    Raises
    ------
    InputError
        Empty or non-numeric values, a trained share outside [0, 1] (for instance a
        percentage such as 85), mismatched years, or non-positive employment.
    ArgumentError
        An empty employment series, or premium <= −1.

    Examples
    --------
    >>> employment = pd.Series([100.0, 100.0], index=[2020, 2021])
    >>> trained = pd.Series([0.5, 0.6], index=[2020, 2021])
    >>> labour_quality_adjusted(employment, trained, premium=0.5).tolist()
    [125.0, 130.0]

    """
    if isinstance(premium, bool) or not (
        isinstance(premium, Real) and math.isfinite(premium) and premium > -1
    ):
        raise ArgumentError(f"premium must be a finite number > -1, got {premium!r}")
    _refuse_empty(employment, str(employment.name or "employment"))
    problems = []
    if not employment.index.equals(trained_share.index):
        problems.append(
            _problem(
                employment,
                "growth_years_differ",
                column=str(trained_share.name or "trained_share"),
                value=f"{list(employment.index)} vs {list(trained_share.index)}",
                expected="growth_same_years",
            )
        )
    problems += _values_outside(
        employment,
        "employment",
        lambda number: math.isfinite(number) and number > 0,
        "growth_employment_not_positive",
        "growth_positive",
    )
    problems += _values_outside(
        trained_share,
        "trained_share",
        lambda number: 0 <= number <= 1,
        "growth_trained_not_fraction",
        "growth_trained_share",
    )
    if problems:
        raise InputError(problems)
    quality = 1.0 + float(premium) * pd.to_numeric(trained_share).astype(float)
    result = pd.to_numeric(employment).astype(float) * quality
    result.name = "labour_quality_adjusted"
    result.attrs = dict(employment.attrs)
    return result


# --------------------------------------------------------------------------------------
# Sensitivity
# --------------------------------------------------------------------------------------


def _as_variants(labour: str | Mapping[str, str]) -> dict[str, str]:
    """Return labour variants as label → column."""
    if isinstance(labour, str):
        return {labour: labour}
    return dict(labour)


def sensitivity(
    frame: pd.DataFrame,
    *,
    output: str,
    investment: str,
    labour: str | Mapping[str, str],
    alphas: Iterable[float],
    deltas: Iterable[float],
    start: int,
    end: int,
    method: str = "gso",
    year: str = "year",
    growth: float | None = None,
    growth_years: int = 5,
) -> pd.DataFrame:
    """Return the period TFP share over a grid of capital shares, depreciation rates and labour.

    For every depreciation rate δ the capital stock is rebuilt from ``investment`` by
    :func:`perpetual_inventory` (steady-state start); for every capital share α and every
    labour variant the growth is decomposed and aggregated over ``start..end`` from summed
    contributions (:func:`period_aggregate`).

    Parameters
    ----------
    frame : DataFrame
        One row per year with output, investment (constant prices) and labour columns.
    output, investment : str
        Column names of output and investment at constant prices.
    labour : str or mapping of str to str
        A labour column, or several variants as label → column (for example employment
        under different growth assumptions, or quality-adjusted labour).
    alphas, deltas : iterable of float
        Capital shares α in (0, 1) and depreciation rates δ in (0, 1).
    start, end : int
        The period, e.g. 2021 and 2025.
    method : {"gso", "tornqvist"}
        Passed to :func:`decompose`.
    year : str
        Name of the year column.
    growth, growth_years
        Passed to :func:`perpetual_inventory` for the steady-state start.

    Returns
    -------
    DataFrame
        Tidy: one row per (labour variant, δ, α), columns ``labour_input``, ``delta``,
        ``alpha``, ``method``, ``first_year``, ``last_year``, ``growth_output``,
        ``contrib_capital``, ``contrib_labour``, ``growth_tfp`` (average annual) and
        ``tfp_share`` (period share from summed contributions). Pivot ``alpha`` × ``delta``
        for a heat map.

    Examples
    --------
    >>> frame = pd.DataFrame({"year": range(2015, 2021),
    ...                       "Y": [100.0, 108.0, 116.6, 126.0, 136.0, 146.9],
    ...                       "I": [30.0, 31.5, 33.1, 34.7, 36.5, 38.3],
    ...                       "L": [50.0, 50.5, 51.0, 51.5, 52.0, 52.5]})
    >>> grid = sensitivity(frame, output="Y", investment="I", labour="L",
    ...                    alphas=[0.3, 0.5], deltas=[0.05], start=2016, end=2020)
    >>> grid[["alpha", "delta", "tfp_share"]].round(3)
       alpha  delta  tfp_share
    0    0.3   0.05      0.726
    1    0.5   0.05      0.626

    """
    variants = _as_variants(labour)
    alpha_list = [float(a) for a in alphas]
    for alpha in alpha_list:
        _check_share_argument(alpha, "alphas")
    years, problems = _years_of(frame, year)
    if years is None:
        raise InputError(problems)
    indexed = frame.drop(columns=[year], errors="ignore").set_axis(years.to_numpy(), axis=0)
    indexed.index.name = year
    indexed.attrs = dict(frame.attrs)
    flows = indexed[investment] if investment in indexed.columns else None
    if flows is None:
        raise InputError([_problem(frame, "growth_column_missing", column=investment)])

    rows = []
    for delta in deltas:
        capital = perpetual_inventory(
            flows, depreciation=delta, growth=growth, growth_years=growth_years
        )
        data = indexed.assign(_capital=capital)
        for label, column in variants.items():
            # One decomposition validates the inputs and gives the growth rates; with a fixed
            # share the contributions are linear in alpha, so the grid needs no more passes.
            yearly = decompose(
                data,
                output=output,
                capital="_capital",
                labour=column,
                capital_share=alpha_list[0],
                method=method,
                year=year,
            )
            base = period_aggregate(yearly, start, end)
            window = yearly.loc[(yearly.index >= start) & (yearly.index <= end)]
            n_years = len(window)
            sum_output = float(window["growth_output"].sum())
            sum_capital = float(window["growth_capital"].sum())
            sum_labour = float(window["growth_labour"].sum())
            for alpha in alpha_list:
                contrib_capital = alpha * sum_capital
                contrib_labour = (1.0 - alpha) * sum_labour
                contrib_tfp = sum_output - contrib_capital - contrib_labour
                rows.append(
                    {
                        "labour_input": label,
                        "delta": float(delta),
                        "alpha": alpha,
                        "method": method,
                        "first_year": base["first_year"],
                        "last_year": base["last_year"],
                        "growth_output": sum_output / n_years,
                        "contrib_capital": contrib_capital / n_years,
                        "contrib_labour": contrib_labour / n_years,
                        "growth_tfp": contrib_tfp / n_years,
                        "tfp_share": contrib_tfp / sum_output if sum_output else float("nan"),
                    }
                )
    result = pd.DataFrame(rows)
    numeric = ["growth_output", "contrib_capital", "contrib_labour", "growth_tfp", "tfp_share"]
    result[numeric] = result[numeric].astype(float)
    result[["first_year", "last_year"]] = result[["first_year", "last_year"]].astype(int)
    return result


# --------------------------------------------------------------------------------------
# Reconciliation: what would reproduce a given TFP share
# --------------------------------------------------------------------------------------


def capital_growth_for_share(
    share: float, growth_output: float, growth_labour: float, capital_share: float
) -> float:
    """The capital growth that gives TFP the ``share`` of growth (GSO formula), at α.

    From ``share × g_Y = g_Y − α g_K − (1 − α) g_L``:
    ``g_K = (g_Y (1 − share) − (1 − α) g_L) / α``. The share falls as ``g_K`` rises, so a
    lower bound on the share ("above 50 %") gives an upper bound on ``g_K``.

    Examples
    --------
    Output +10 %, labour +1 %, α = 0.4: a 70 % share needs (3 − 0.6) / 0.4 = 6 % capital growth.

    >>> round(capital_growth_for_share(0.70, 0.10, 0.01, 0.4), 6)
    0.06

    """
    _check_share_argument(capital_share, "capital_share")
    return (growth_output * (1.0 - share) - (1.0 - capital_share) * growth_labour) / capital_share


def capital_share_for_share(
    share: float, growth_output: float, growth_capital: float, growth_labour: float
) -> float:
    """The capital share α that gives TFP the ``share`` of growth, at given factor growth.

    From ``share × g_Y = g_Y − α g_K − (1 − α) g_L``:
    ``α = (g_Y (1 − share) − g_L) / (g_K − g_L)``; NaN when ``g_K = g_L``. With capital
    growing faster than labour the share falls as α rises, so a lower bound on the share
    gives an upper bound on α.

    Examples
    --------
    Output +10 %, capital +6 %, labour +1 %: a 70 % share needs α = (3 − 1) / 5 = 0.4.

    >>> round(capital_share_for_share(0.70, 0.10, 0.06, 0.01), 6)
    0.4

    """
    gap = growth_capital - growth_labour
    if gap == 0:
        return float("nan")
    return (growth_output * (1.0 - share) - growth_labour) / gap
