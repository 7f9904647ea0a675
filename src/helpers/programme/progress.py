"""Progress of indicators against the plan's targets.

Rules (DESIGN.md, after Eurostat / Statistics Canada as used by Open SDG):

* ``cagr`` — a level with a non-zero base y0 in t0 and a target T in year Y:
  CAGR_a = (y_t / y0)^(1/(t − t0)) − 1, CAGR_r = (T / y0)^(1/(Y − t0)) − 1, R = CAGR_a / CAGR_r.
* ``linear`` — a cumulative count that starts at zero: the required pace is T / n per year over
  the n years of the phase, so by year t the path asks for T · (t − start + 1) / n and
  R = actual cumulative / required cumulative.

Two kinds of plan item have their own vocabularies.

*Quantified targets* (chỉ tiêu): **exceeded** (Vượt: the result is above the level the target
names — "at least 10" met with 31; a "more than 1,000" target is *met* by any result above
1,000, since exceeding 1,000 is what it asks), **met** (Đạt), **on track** (Đúng tiến độ,
R ≥ 0.95), **acceleration needed** (Cần đẩy nhanh, R < 0.95: the Open SDG grades *progress,
acceleration needed*, *limited progress* and *deterioration* are kept by
:func:`status_from_ratio` and folded into this one status by :func:`target_status`), **not met**
(Không đạt: the phase's data are complete and the target is not met), **no data** (Chưa có số
liệu).

*Tasks* (nhiệm vụ): **done** (Hoàn thành), **in progress** (Đang thực hiện), **not done**
(Chưa thực hiện); see :mod:`helpers.programme.evidence`.

A growth band ("hàng năm tăng từ 10–15 %") is judged year by year: a year meets it when its
growth reaches the band's lower bound. The phase status: every assessed year meets it → on track
during the phase, met once the phase's last year has data; a year below the band → acceleration
needed during the phase, not met at its end.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: Statuses of a quantified target (chỉ tiêu), in report order.
EXCEEDED = "exceeded"
MET = "met"
ON_TRACK = "on_track"
ACCELERATION_NEEDED = "acceleration_needed"
NOT_ACHIEVED = "not_achieved"
INSUFFICIENT_DATA = "insufficient_data"
TARGET_STATUSES = (EXCEEDED, MET, ON_TRACK, ACCELERATION_NEEDED, NOT_ACHIEVED, INSUFFICIENT_DATA)
#: Statuses of a task (nhiệm vụ), in report order.
DONE = "done"
IN_PROGRESS = "in_progress"
NOT_DONE = "not_done"
TASK_STATUSES = (DONE, IN_PROGRESS, NOT_DONE)
#: An item whose phase has not started (not counted in a summary).
NOT_STARTED = "not_started"
#: Open SDG grades below "acceleration needed", reported as acceleration needed.
LIMITED_PROGRESS = "limited_progress"
DETERIORATION = "deterioration"
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
    years_met, years_assessed : int or None
        For a growth band: years whose growth reached the band, out of years with a growth rate.

    """

    status: str
    rule: str
    ratio: float | None = None
    actual: float | None = None
    required: float | None = None
    year: int | None = None
    years_met: int | None = None
    years_assessed: int | None = None


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


def target_status(status: str) -> str:
    """Fold the Open SDG grades into the plan's vocabulary for quantified targets.

    Examples
    --------
    >>> target_status("limited_progress"), target_status("on_track")
    ('acceleration_needed', 'on_track')

    """
    return ACCELERATION_NEEDED if status in (LIMITED_PROGRESS, DETERIORATION) else status


def met_status(value: float, target: float, comparison: str) -> str:
    """``exceeded`` or ``met`` for a value that meets its target.

    "At least T" is exceeded by a value above T and met by T itself; "more than T" is met by any
    value above T (exceeding T is what the target asks), likewise for the falling comparisons.

    Examples
    --------
    >>> met_status(31, 10, "at_least"), met_status(10, 10, "at_least")
    ('exceeded', 'met')
    >>> met_status(1070, 1000, "more_than")
    'met'

    """
    if comparison == "at_least" and value > target:
        return EXCEEDED
    if comparison == "at_most" and value < target:
        return EXCEEDED
    return MET


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
        status = met_status(actual, target, comparison)
    elif data_year >= end:
        status = NOT_ACHIEVED
    else:
        status = target_status(status_from_ratio(ratio))
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
        return Assessment(
            met_status(actual, target, comparison), "cagr", None, actual, None, data_year
        )
    if t0 not in known.index or data_year <= t0 or known.loc[t0] <= 0 or target <= 0:
        return Assessment(INSUFFICIENT_DATA, "cagr", None, actual, None, data_year)
    base = float(known.loc[t0])
    actual_growth = (actual / base) ** (1 / (data_year - t0)) - 1
    required_growth = (target / base) ** (1 / (target_year - t0)) - 1
    required_now = base * (1 + required_growth) ** (data_year - t0)
    if required_growth == 0:
        return Assessment(INSUFFICIENT_DATA, "cagr", None, actual, required_now, data_year)
    ratio = actual_growth / required_growth
    status = NOT_ACHIEVED if data_year >= target_year else target_status(status_from_ratio(ratio))
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
    """Judge a yearly growth band ("hàng năm tăng 10–15 %") year by year, and the phase.

    Each year with a growth rate (the previous year has data; the year before ``start`` counts
    as the base when it has data) is in, below or above the band. A year *meets* the target when
    its growth reaches ``low`` (above the band is more than asked). Phase status: every assessed
    year meets it → ``on_track`` while the phase runs, ``met`` once its last year has data; a
    year below → ``acceleration_needed`` while the phase runs, ``not_achieved`` at its end. The
    compound growth over the phase is kept as ``actual`` (for information: the plan asks for
    every year, not an average) and R = that growth / ``low``.

    Returns
    -------
    Assessment
        The phase judgement with ``years_met`` of ``years_assessed``.
    DataFrame
        One row per year: ``level``, ``growth``, ``band`` (the yearly judgement).

    Examples
    --------
    >>> levels = pd.Series({2021: 100.0, 2022: 112.0, 2023: 121.0, 2024: 140.0})
    >>> a, _ = assess_growth_band(levels, low=0.10, high=0.15, start=2021, end=2025, year=2024)
    >>> a.status, a.years_met, a.years_assessed
    ('acceleration_needed', 2, 3)

    """
    levels = levels.dropna().sort_index()
    window = levels[(levels.index >= start - 1) & (levels.index <= min(year, end))]
    growth = growth_rates(window)
    yearly = pd.DataFrame({"level": window})
    yearly["growth"] = growth
    yearly["band"] = [judge_band(g, low, high) if pd.notna(g) else None for g in yearly["growth"]]
    if growth.empty:
        return Assessment(INSUFFICIENT_DATA, "growth_band"), yearly
    t0, t = int(window.index.min()), int(window.index.max())
    cagr = (window.loc[t] / window.loc[t0]) ** (1 / (t - t0)) - 1
    assessed = int(growth.notna().sum())
    met = int((growth >= low).sum())
    if met == assessed:
        status = MET if t >= end else ON_TRACK
    else:
        status = NOT_ACHIEVED if t >= end else ACCELERATION_NEEDED
    assessment = Assessment(status, "growth_band", cagr / low, float(cagr), low, t, met, assessed)
    return assessment, yearly


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
