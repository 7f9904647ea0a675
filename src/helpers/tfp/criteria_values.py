"""The province's indicator values that its TFP criteria score, one row per register year.

From the programme's yearly indicators, the plan (phases and targets), the province accounts
and the published figures; scored by :func:`helpers.tfp.criteria.score_province`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from helpers.programme.indicators import cumulative_in_phase, indicator_column
from helpers.programme.plan import Plan
from helpers.programme.tfp_objective import PublishedShare
from helpers.tfp.criteria import CriteriaSet, published_tfp_share_values

#: The indicator column a phase's pilot-model target counts when the phase names none.
DEFAULT_PILOT_COLUMN = "new_pilot_models"
#: Indicator of ``published_figures.csv`` giving the province's operating enterprises.
OPERATING_ENTERPRISES = "operating_enterprises"


def labour_productivity_growth(accounts: pd.DataFrame | None, plan: Plan) -> pd.Series:
    """Average yearly growth of GRDP (2010 prices) per employed person, phase to date.

    Each year's growth runs from the year before its phase starts (empty without accounts).
    """
    if accounts is None:
        return pd.Series(dtype=float)
    indexed = accounts.set_index("year")
    productivity = indexed["grdp_constant_2010"] / indexed["employment"]
    growth = {}
    for year in productivity.index:
        base = plan.phase_of_year(int(year)).start - 1
        if year > base and base in productivity.index:
            ratio = productivity[year] / productivity[base]
            growth[int(year)] = float(ratio ** (1 / (year - base)) - 1)
    return pd.Series(growth, dtype=float)


def operating_enterprises(figures: pd.DataFrame | None, area: str) -> pd.Series:
    """The area's operating enterprises by year, as published (empty when not published).

    ``figures`` is :func:`helpers.inputs.province_accounts.load_published_figures` (None: no file);
    only single-year figures count.
    """
    if figures is None:
        return pd.Series(dtype=float)
    rows = figures[
        (figures["area"] == area)
        & (figures["indicator"] == OPERATING_ENTERPRISES)
        & (figures["start_year"] == figures["end_year"])
    ]
    return pd.Series(rows["value"].to_numpy(dtype=float), index=rows["end_year"].astype(int))


def pilot_column(plan: Plan, phase: int) -> str:
    """The indicator column the phase's pilot-model target counts (all, or national-level)."""
    for target in plan.targets:
        if target.phase == phase and target.indicator.startswith("pilot_models"):
            return indicator_column(target.indicator)
    return DEFAULT_PILOT_COLUMN


def province_criteria_values(
    indicators: pd.DataFrame,
    plan: Plan,
    year: int,
    *,
    shares: Sequence[PublishedShare],
    criteria: CriteriaSet,
    operating: pd.Series,
    accounts: pd.DataFrame | None,
) -> pd.DataFrame:
    """The province's indicator values for the TFP criteria, one row per register year.

    Parameters
    ----------
    indicators : DataFrame
        The programme's yearly indicators (index: year).
    plan : Plan
        The plan (phases and targets).
    year : int
        The report year: later years are left out.
    shares : sequence of PublishedShare
        The province's published TFP shares.
    criteria : CriteriaSet
        The criteria set.
    operating : Series
        Operating enterprises by year, as published (:func:`operating_enterprises`).
    accounts : DataFrame or None
        The province accounts.

    Returns
    -------
    DataFrame
        ``tfp_share`` is the province's published annual share (no value in a year without
        one); ``labour_productivity_growth`` runs from the start of the year's phase;
        ``share_enterprises_applying_tools`` divides the register's distinct enterprises
        applying tools by the province's operating enterprises as published (missing in years
        without a published count, never the sample panel's size); ``pilot_models`` counts what
        the year's phase target counts (all pilot models in 2021–2025, national-level ones in
        2026–2030), cumulative in the phase; ``experts_certified`` is cumulative since the
        first year.

    """
    indicators = indicators[indicators.index <= year]
    years = pd.Index(indicators.index.astype(int), name="year")
    operating = operating.reindex(years)
    pilots = pd.Series(np.nan, index=years)
    for each in years:
        phase = plan.phase_of_year(int(each))
        running = cumulative_in_phase(
            indicators[pilot_column(plan, phase.number)].astype(float), phase.start, phase.end
        )
        pilots[each] = running.get(each, np.nan)
    values = pd.DataFrame(index=years)
    # criterion T1: the published annual share or no data, never the estimate
    values["tfp_share"] = published_tfp_share_values(shares, years, criteria).to_numpy()
    values["labour_productivity_growth"] = labour_productivity_growth(accounts, plan).reindex(years)
    values["share_enterprises_applying_tools"] = (
        indicators["enterprises_applying_tools"].astype(float) / operating
    ).to_numpy()
    values["pilot_models"] = pilots.to_numpy()
    values["experts_certified"] = indicators["experts_certified"].astype(float).cumsum().to_numpy()
    return values
