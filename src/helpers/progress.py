"""Progress of indicators against the plan's targets.

Rules (DESIGN.md, after Eurostat / Statistics Canada as used by Open SDG):

* ``cagr`` — a level with a non-zero base y0 in t0 and a target T in year Y:
  CAGR_a = (y_t / y0)^(1/(t − t0)) − 1, CAGR_r = (T / y0)^(1/(Y − t0)) − 1, R = CAGR_a / CAGR_r.
* ``linear`` — a cumulative count that starts at zero: the required pace is T / n per year over
  the n years of the phase, so by year t the path asks for T · (t − start + 1) / n and
  R = actual cumulative / required cumulative.

Status from R: target achieved (the target is met); on track (R ≥ 0.95); progress but
acceleration needed (0.6 ≤ R < 0.95); limited progress (0 ≤ R < 0.6); deterioration (R < 0).
Once the target year has passed without meeting the target the status is *target not achieved*
(R is still shown). A growth band (+10–15 % a year) is judged each year and over the phase.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

ACHIEVED = "achieved"
NOT_ACHIEVED = "not_achieved"
ON_TRACK = "on_track"
ACCELERATION_NEEDED = "acceleration_needed"
LIMITED_PROGRESS = "limited_progress"
DETERIORATION = "deterioration"
INSUFFICIENT_DATA = "insufficient_data"
#: Growth-band judgements of one year.
WITHIN_BAND = "within_band"
BELOW_BAND = "below_band"
ABOVE_BAND = "above_band"

ON_TRACK_RATIO = 0.95
LIMITED_RATIO = 0.6


@dataclass(frozen=True)
class Assessment:
    """The status of one target in one year, with the numbers behind it.

    Attributes
    ----------
    status : str
        One of the status constants of this module.
    rule : str
        ``linear``, ``cagr``, ``growth_band`` or ``milestone``.
    ratio : float or None
        R, the actual pace over the required pace.
    actual : float or None
        The value in the evaluation year (cumulative for counts).
    required : float or None
        The value the required path asks for in the evaluation year.
    year : int or None
        The latest year with data used.

    """

    status: str
    rule: str
    ratio: float | None = None
    actual: float | None = None
    required: float | None = None
    year: int | None = None


def status_from_ratio(ratio: float) -> str:
    """Map the ratio R of actual to required pace to a status.

    Examples
    --------
    >>> status_from_ratio(1.2), status_from_ratio(0.7), status_from_ratio(-0.1)
    ('on_track', 'acceleration_needed', 'deterioration')

    """
    if ratio >= ON_TRACK_RATIO:
        return ON_TRACK
    if ratio >= LIMITED_RATIO:
        return ACCELERATION_NEEDED
    if ratio >= 0:
        return LIMITED_PROGRESS
    return DETERIORATION


def is_met(value: float, target: float, comparison: str) -> bool:
    """Whether ``value`` meets ``target`` by ``comparison``.

    ``comparison`` is one of ``at_least``, ``more_than``, ``at_most``, ``less_than``.
    """
    checks = {
        "at_least": value >= target,
        "more_than": value > target,
        "at_most": value <= target,
        "less_than": value < target,
    }
    if comparison not in checks:
        raise ValueError(f"unknown comparison {comparison!r}; expected one of {sorted(checks)}")
    return bool(checks[comparison])


def _latest(series: pd.Series, year: int) -> tuple[int, float] | None:
    known = series.dropna()
    known = known[known.index <= year]
    if known.empty:
        return None
    return int(known.index.max()), float(known.loc[known.index.max()])


def assess_linear(
    cumulative: pd.Series,
    *,
    target: float,
    start: int,
    end: int,
    year: int,
    comparison: str = "at_least",
) -> Assessment:
    """Judge a cumulative count that starts at zero against a linear required path.

    Parameters
    ----------
    cumulative : Series
        Cumulative value indexed by year (NaN or absent where there is no data).
    target : float
        Value required by ``end``.
    start, end : int
        First and last year of the phase.
    year : int
        Evaluation year; the latest year with data up to it is used.
    comparison : str
        How the target is met (``at_least``, ``more_than``).

    Examples
    --------
    >>> cum = pd.Series({2021: 150.0, 2022: 360.0})
    >>> a = assess_linear(cum, target=1000, start=2021, end=2025, year=2022)
    >>> a.required, round(a.ratio, 3), a.status
    (400.0, 0.9, 'acceleration_needed')

    """
    latest = _latest(cumulative, year)
    if latest is None:
        return Assessment(INSUFFICIENT_DATA, "linear")
    data_year, actual = latest
    years_elapsed = min(max(data_year - start + 1, 1), end - start + 1)
    required = target * years_elapsed / (end - start + 1)
    ratio = actual / required if required else math.nan
    if is_met(actual, target, comparison):
        status = ACHIEVED
    elif data_year >= end:
        status = NOT_ACHIEVED
    else:
        status = status_from_ratio(ratio)
    return Assessment(status, "linear", ratio, actual, required, data_year)


def assess_cagr(
    series: pd.Series,
    *,
    target: float,
    target_year: int,
    year: int,
    base_year: int | None = None,
    comparison: str = "at_least",
) -> Assessment:
    """Judge a level against a target by the ratio of actual to required compound growth.

    Works for targets that rise or fall (a falling target has a negative required growth and
    the ratio keeps its meaning). A zero or missing base, or a single data point, gives
    ``insufficient_data`` unless the target is already met.

    Examples
    --------
    >>> s = pd.Series({2020: 100.0, 2022: 121.0})
    >>> a = assess_cagr(s, target=161.051, target_year=2025, year=2022)
    >>> round(a.ratio, 6), a.status
    (1.0, 'on_track')

    """
    known = series.dropna()
    known = known[known.index <= year]
    if known.empty:
        return Assessment(INSUFFICIENT_DATA, "cagr")
    t0 = int(base_year) if base_year is not None else int(known.index.min())
    data_year, actual = _latest(known, year)  # type: ignore[misc]
    if is_met(actual, target, comparison):
        return Assessment(ACHIEVED, "cagr", None, actual, None, data_year)
    if t0 not in known.index or data_year <= t0 or known.loc[t0] <= 0 or target <= 0:
        return Assessment(INSUFFICIENT_DATA, "cagr", None, actual, None, data_year)
    base = float(known.loc[t0])
    actual_growth = (actual / base) ** (1 / (data_year - t0)) - 1
    required_growth = (target / base) ** (1 / (target_year - t0)) - 1
    required_now = base * (1 + required_growth) ** (data_year - t0)
    if required_growth == 0:
        return Assessment(INSUFFICIENT_DATA, "cagr", None, actual, required_now, data_year)
    ratio = actual_growth / required_growth
    status = NOT_ACHIEVED if data_year >= target_year else status_from_ratio(ratio)
    return Assessment(status, "cagr", ratio, actual, required_now, data_year)


def growth_rates(levels: pd.Series) -> pd.Series:
    """Year-on-year growth of a level series; NaN where the previous year has no data.

    Examples
    --------
    >>> growth_rates(pd.Series({2021: 100.0, 2022: 110.0, 2024: 121.0})).round(3).to_dict()
    {2022: 0.1}

    """
    levels = levels.dropna().sort_index()
    previous = levels.reindex(levels.index - 1).to_numpy()
    growth = pd.Series(levels.to_numpy() / previous - 1, index=levels.index)
    return growth.dropna()


def judge_band(growth: float, low: float, high: float) -> str:
    """Judge one growth rate against a band ``[low, high]``."""
    if growth < low:
        return BELOW_BAND
    if growth > high:
        return ABOVE_BAND
    return WITHIN_BAND


def assess_growth_band(
    levels: pd.Series,
    *,
    low: float,
    high: float,
    start: int,
    end: int,
    year: int,
) -> tuple[Assessment, pd.DataFrame]:
    """Judge a growth band each year and over the phase.

    The phase's compound growth runs from the phase's base year (the year before ``start`` when
    it has data, else ``start``) to the latest year with data. R = CAGR / ``low``: a phase CAGR
    inside or above the band meets the target.

    Returns
    -------
    Assessment
        The phase judgement.
    DataFrame
        One row per year: ``level``, ``growth``, ``band`` (the yearly judgement).

    """
    levels = levels.dropna().sort_index()
    window = levels[(levels.index >= start - 1) & (levels.index <= min(year, end))]
    growth = growth_rates(window)
    yearly = pd.DataFrame({"level": window})
    yearly["growth"] = growth
    yearly["band"] = [judge_band(g, low, high) if pd.notna(g) else None for g in yearly["growth"]]
    if len(window) < 2:
        return Assessment(INSUFFICIENT_DATA, "growth_band"), yearly
    t0, t = int(window.index.min()), int(window.index.max())
    cagr = (window.loc[t] / window.loc[t0]) ** (1 / (t - t0)) - 1
    ratio = cagr / low
    if cagr >= low:
        status = ACHIEVED if t >= end else ON_TRACK
    elif t >= end:
        status = NOT_ACHIEVED
    else:
        status = status_from_ratio(ratio)
    return Assessment(status, "growth_band", ratio, float(cagr), low, t), yearly


def project_linear(values: pd.Series, to_year: int) -> pd.Series:
    """Project a series to ``to_year`` with a time-weighted linear trend.

    Observation weights rise linearly with time (1, 2, …, n), so recent years count most.
    Needs at least two observations; returns the fitted path from the last observed year to
    ``to_year``.

    Examples
    --------
    >>> project_linear(pd.Series({2021: 1.0, 2022: 2.0, 2023: 3.0}), 2025).to_dict()
    {2023: 3.0, 2024: 4.0, 2025: 5.0}

    """
    known = values.dropna().sort_index()
    if len(known) < 2:
        raise ValueError("a projection needs at least two years of data")
    years = known.index.to_numpy(dtype=float)
    weights = np.arange(1, len(known) + 1, dtype=float)
    slope, intercept = np.polyfit(years, known.to_numpy(dtype=float), 1, w=np.sqrt(weights))
    future = np.arange(int(years.max()), to_year + 1)
    return pd.Series(np.round(intercept + slope * future, 10), index=future)


def required_linear_path(target: float, start: int, end: int) -> pd.Series:
    """Cumulative path that reaches ``target`` by ``end`` at an even pace from ``start``."""
    years = np.arange(start, end + 1)
    return pd.Series(target * (years - start + 1) / (end - start + 1), index=years)
