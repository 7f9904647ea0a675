"""The phase review's numbers: which phase is reviewed, the next one, its baseline and paths.

Pure functions of the plan and the indicators (no report context, no language); the report's
review section (:mod:`helpers.report.sections.review`) renders them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from helpers.programme.indicators import indicator_series
from helpers.programme.plan import Phase, Plan

__all__ = [
    "band_path",
    "baseline_value",
    "next_phase",
    "reviewed_phase",
    "share_of_target",
]


def reviewed_phase(plan: Plan, year: int, current: Phase) -> Phase:
    """The phase under review: the one that ends in or before ``year``, latest first.

    ``current`` (the report year's phase) is returned when no phase has ended yet.
    """
    ended = [p for p in plan.phases if p.end <= year]
    return max(ended, key=lambda p: p.end) if ended else current


def next_phase(plan: Plan, reviewed: Phase) -> Phase | None:
    """The phase after ``reviewed``, if the plan has one."""
    later = [p for p in plan.phases if p.start > reviewed.end]
    return min(later, key=lambda p: p.start) if later else None


def baseline_value(indicators: pd.DataFrame, indicator: str, year: int) -> float | None:
    """The indicator's last known value in or before ``year`` (None when it has none)."""
    series = indicator_series(indicators, indicator).dropna()
    series = series[series.index <= year]
    return float(series.iloc[-1]) if not series.empty else None


def band_path(base: float, rate: float, base_year: int, years: Iterable[int]) -> list[float]:
    """A level growing from ``base`` in ``base_year`` at ``rate`` a year, for each of ``years``.

    Examples
    --------
    >>> [round(v, 2) for v in band_path(100, 0.10, 2025, [2026, 2027])]
    [110.0, 121.0]

    """
    return [base * (1 + rate) ** (y - base_year) for y in years]


def share_of_target(actual: float, target: float | None) -> float:
    """The actual count as a share of the target (a missing target counts as 1).

    Examples
    --------
    >>> share_of_target(15, 20)
    0.75

    """
    return actual / float(target or 1)
