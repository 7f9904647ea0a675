"""The province TFP section's results as frames: estimate, periods, window, comparison, notes.

Pure functions (data in, frames out): no report context and no language. The report's
province section (:mod:`helpers.report.sections.province`) renders what they return.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from helpers.programme.tfp_objective import PublishedShare
from helpers.tfp.growth_accounting import period_aggregate
from helpers.tfp.province_capital import (
    PLAUSIBLE_CAPITAL_OUTPUT,
    PLAUSIBLE_INVESTMENT_RATE,
    within,
)
from helpers.tfp.province_tfp import DEFAULT_ALPHA, DEFAULT_DELTA, province_tfp

__all__ = [
    "FIRST_DECOMPOSITION_YEAR",
    "PERIOD_COLUMNS",
    "PRE_PLAN_YEARS",
    "ProvinceEstimate",
    "analysis_periods",
    "assumption_facts",
    "baseline_start",
    "default_estimate",
    "estimate_vs_published",
    "period_table",
    "phase_window",
]

#: Years before the plan's first phase shown as the period the plan starts from (2016–2020
#: for a plan whose first phase starts in 2021).
PRE_PLAN_YEARS = 5
#: First year the yearly decomposition shows: the first growth rate of the statistics
#: office's series at constant 2010 prices.
FIRST_DECOMPOSITION_YEAR = 2011
#: Columns of :func:`period_table` taken from :func:`period_aggregate`, in the order shown.
PERIOD_COLUMNS = ("growth_output", "contrib_capital", "contrib_labour", "growth_tfp", "tfp_share")
#: Statuses of a province-accounts value whose source address is cited.
CITED_STATUSES = ("published", "estimate", "derived")
#: Source columns of the province accounts whose addresses the assumptions table cites, by
#: the figure they document.
SOURCE_COLUMNS = {
    "growth": "grdp_growth_source",
    "investment": "investment_current_source",
    "employment": "employment_source",
}

_URL = re.compile(r"https?://[^\s,;)'\"]+")


@dataclass
class ProvinceEstimate:
    """The default estimate and what it rests on.

    Attributes
    ----------
    yearly : DataFrame
        The yearly decomposition up to the report year.
    last_year : int
        Its last year.
    phase_share : float or None
        The TFP share of growth over the phase's years so far (None before the phase).

    """

    yearly: pd.DataFrame
    last_year: int
    phase_share: float | None


def default_estimate(
    accounts: pd.DataFrame, year: int, phase_start: int, phase_end: int
) -> ProvinceEstimate:
    """The default decomposition (GSO formula, α and δ defaults) up to ``year``.

    The phase share sums the contributions of the phase's years up to ``year`` (never an
    average of yearly shares).
    """
    yearly = province_tfp(accounts, alpha=DEFAULT_ALPHA, delta=DEFAULT_DELTA)
    yearly = yearly[yearly.index <= year]
    share = None
    if yearly.index.max() >= phase_start:
        aggregate = period_aggregate(
            yearly, phase_start, min(year, phase_end), require_complete=False
        )
        share = float(aggregate["tfp_share"])
    return ProvinceEstimate(yearly, int(yearly.index.max()), share)


def baseline_start(first_phase_start: int, pre_plan_years: int = PRE_PLAN_YEARS) -> int:
    """First year of the period before the plan (2016 for a plan starting in 2021).

    Examples
    --------
    >>> baseline_start(2021)
    2016

    """
    return first_phase_start - pre_plan_years


def analysis_periods(
    phases: Sequence[tuple[int, int]], pre_plan_years: int = PRE_PLAN_YEARS
) -> list[tuple[int, int]]:
    """The periods the phase table shows: the years before the plan, then each phase.

    Parameters
    ----------
    phases : sequence of (start, end)
        The plan's phases, first and last year inclusive.
    pre_plan_years : int
        Length of the period before the plan's first phase.

    Examples
    --------
    >>> analysis_periods([(2021, 2025), (2026, 2030)])
    [(2016, 2020), (2021, 2025), (2026, 2030)]

    """
    ordered = sorted(phases)
    first = ordered[0][0]
    return [(baseline_start(first, pre_plan_years), first - 1), *ordered]


def period_table(yearly: pd.DataFrame, periods: Sequence[tuple[int, int]]) -> pd.DataFrame:
    """Period averages from summed contributions, one row per period with data.

    A period under way is aggregated over its years with data; a period after the data is
    left out. Columns: ``start``, ``last_year`` and :data:`PERIOD_COLUMNS`.
    """
    last = int(yearly.index.max())
    rows = []
    for start, end in periods:
        if last < start:
            continue
        aggregate = period_aggregate(yearly, start, min(end, last), require_complete=False)
        row = {"start": start, "last_year": int(aggregate["last_year"])}
        row.update({column: aggregate[column] for column in PERIOD_COLUMNS})
        rows.append(row)
    return pd.DataFrame(rows, columns=["start", "last_year", *PERIOD_COLUMNS])


def phase_window(
    year: int, phase_start: int, phase_end: int, last_data_year: int, fallback_start: int
) -> tuple[int, int]:
    """Years the sensitivity and headline cover: the phase up to the report year and the data.

    Before the phase has a year of data, the window starts at ``fallback_start`` (the start
    of the period before the plan).

    Examples
    --------
    >>> phase_window(2025, 2021, 2025, 2024, 2016), phase_window(2020, 2021, 2025, 2024, 2016)
    ((2021, 2024), (2016, 2020))

    """
    end = min(year, phase_end, last_data_year)
    start = phase_start if end >= phase_start else fallback_start
    return start, end


def estimate_vs_published(yearly: pd.DataFrame, shares: Sequence[PublishedShare]) -> pd.DataFrame:
    """The estimate's annual share beside each published annual share of a year with data.

    Columns: ``year``, ``published``, ``qualifier``, ``estimate``, ``is_bound``; for a bound
    ``inside`` (whether the estimate lies within it) and for a point ``gap`` (estimate minus
    published, as a fraction).
    """
    rows = []
    for share in shares:
        if share.year not in yearly.index:
            continue
        ours = float(yearly.loc[share.year, "tfp_share"])
        row: dict[str, object] = {
            "year": share.year,
            "published": share.value,
            "qualifier": share.qualifier,
            "estimate": ours,
            "is_bound": share.is_bound,
            "inside": None,
            "gap": None,
        }
        if share.is_bound:
            low, high, _, _ = share.interval()
            row["inside"] = low <= ours <= high
        else:
            row["gap"] = ours - share.value
        rows.append(row)
    columns = ["year", "published", "qualifier", "estimate", "is_bound", "inside", "gap"]
    return pd.DataFrame(rows, columns=columns)


def _urls(text: object) -> list[str]:
    found = _URL.findall(text) if isinstance(text, str) else []
    return [url.rstrip(".:") for url in found]


def assumption_facts(accounts: pd.DataFrame, inputs: pd.DataFrame, year: int) -> pd.DataFrame:
    """What the assumptions table notes for each year up to ``year``, as facts (no words).

    Parameters
    ----------
    accounts : DataFrame
        The province accounts (one row per year, with ``*_status`` and ``*_source`` columns).
    inputs : DataFrame
        :func:`helpers.tfp.province_tfp.province_inputs` of the same accounts.
    year : int
        The report year.

    Returns
    -------
    DataFrame
        Indexed by year: ``has_growth``; ``investment_origin`` (published, interpolated,
        backcast or held) with ``from_year`` and ``to_year`` (the published years it comes
        from: both for interpolated, ``from_year`` for backcast and held); ``outside``
        (implied K/Y or investment rate outside its plausible range); ``sources`` (the
        addresses of the year's cited figures, sorted, space-separated; empty if none);
        ``unaddressed`` (the cited figures, of :data:`SOURCE_COLUMNS`, whose source gives no
        address to look them up, space-separated; empty if none).

    """
    by_year = accounts.set_index("year")
    published = [int(y) for y in inputs.index[inputs["investment_origin"] == "published"]]
    rows = []
    for current in inputs.index[inputs.index <= year]:
        record = by_year.loc[current]
        origin = str(inputs.loc[current, "investment_origin"])
        from_year = to_year = None
        if origin == "interpolated":
            from_year = max(y for y in published if y < current)
            to_year = min(y for y in published if y > current)
        elif origin == "backcast":
            from_year = min(published)
        elif origin == "held":
            from_year = max(published)
        ky = float(inputs.loc[current, "capital_output"])
        rate = float(inputs.loc[current, "investment_rate"])
        cited = {
            figure: _urls(record[column])
            for figure, column in SOURCE_COLUMNS.items()
            if column in record.index
            and record[column.replace("_source", "_status")] in CITED_STATUSES
        }
        sources = sorted({url for urls in cited.values() for url in urls})
        rows.append(
            {
                "year": int(current),
                "has_growth": bool(pd.notna(record.get("grdp_growth"))),
                "investment_origin": origin,
                "from_year": from_year,
                "to_year": to_year,
                "outside": not within(ky, PLAUSIBLE_CAPITAL_OUTPUT)
                or not within(rate, PLAUSIBLE_INVESTMENT_RATE),
                "sources": " ".join(sources),
                "unaddressed": " ".join(figure for figure, urls in cited.items() if not urls),
            }
        )
    frame = pd.DataFrame(rows).astype({"from_year": "Int64", "to_year": "Int64"})
    return frame.set_index("year")
