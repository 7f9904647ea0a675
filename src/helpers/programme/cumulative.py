"""A cumulative count target's running total, required path and projection to the phase end.

A pure function of the target, its phase and the indicators; the programme section charts it.
"""

from __future__ import annotations

import pandas as pd

from helpers.programme import progress
from helpers.programme.indicators import cumulative_in_phase, indicator_series
from helpers.programme.plan import Phase, Target

__all__ = ["cumulative_progress"]


def cumulative_progress(
    target: Target, phase: Phase, indicators: pd.DataFrame, year: int
) -> tuple[pd.Series, pd.Series, pd.Series | None]:
    """A cumulative count's running total, its required linear path and its projection.

    Returns
    -------
    tuple
        The running total over the phase's years up to ``year`` (years with data); the
        path reaching the target evenly by the phase's end; the time-weighted linear
        projection to the phase's end (None with fewer than two years or at the end).

    """
    flows = indicator_series(indicators, target.indicator)
    cumulative = cumulative_in_phase(flows, phase.start, min(year, phase.end)).dropna()
    required = progress.required_linear_path(float(target.target or 0), phase.start, phase.end)
    projection = None
    if len(cumulative) >= 2 and cumulative.index.max() < phase.end:
        projection = progress.project_linear(cumulative, phase.end)
    return cumulative, required, projection
