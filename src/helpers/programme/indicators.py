"""The programme's indicators, computed from register rows, and their status against the plan.

Counts come from the rows, never from typed totals: enterprises are distinct tax codes (a
branch, ``10-3``, is its own unit), pilot models are distinct enterprises counted in the first
year they became one, participants are summed over activities. A year that a register does not
cover has no data (NaN), not zero.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict

import numpy as np
import pandas as pd

from helpers.programme import evidence, progress
from helpers.programme.plan import Plan, Target
from helpers.programme.tfp_objective import PublishedShare, assess_tfp_objective

#: Indicators that are yearly flows, summed over a phase for cumulative targets.
FLOW_INDICATORS = (
    "experts_certified",
    "manager_training_turns",
    "awareness_events",
    "awareness_participants",
)
NOT_STARTED = progress.NOT_STARTED


def covered_years(frame: pd.DataFrame) -> list[int]:
    """Years with at least one row in a register."""
    return sorted(int(y) for y in frame["year"].dropna().unique())


def enterprise_indicators(enterprises: pd.DataFrame) -> pd.DataFrame:
    """Yearly indicators from the supported-enterprises register.

    Returns
    -------
    DataFrame
        Indexed by year: ``enterprises_supported`` (distinct tax codes), ``support_actions``
        (rows), ``new_pilot_models`` and ``new_pilot_models_national`` (enterprises becoming a
        pilot model for the first time that year), ``enterprises_applying_tools``.

    Examples
    --------
    >>> e = pd.DataFrame({"year": [2021, 2021, 2022], "tax_code": ["1", "1", "2"],
    ...     "pilot_model": [True, False, False], "pilot_level": ["provincial", None, None],
    ...     "tools": [("5S",), (), ()]})
    >>> enterprise_indicators(e)["enterprises_supported"].to_dict()
    {2021: 1, 2022: 1}

    """
    years = covered_years(enterprises)
    grouped = enterprises.groupby("year")
    table = pd.DataFrame(index=pd.Index(years, name="year"))
    table["enterprises_supported"] = grouped["tax_code"].nunique()
    table["support_actions"] = grouped.size()
    pilots = enterprises[enterprises["pilot_model"].astype(bool)]
    for column, subset in (
        ("new_pilot_models", pilots),
        ("new_pilot_models_national", pilots[pilots["pilot_level"] == "national"]),
    ):
        first_year = subset.groupby("tax_code")["year"].min()
        table[column] = first_year.value_counts().reindex(years, fill_value=0)
    with_tools = enterprises[enterprises["tools"].map(len) > 0]
    table["enterprises_applying_tools"] = (
        with_tools.groupby("year")["tax_code"].nunique().reindex(years, fill_value=0)
    )
    return table


def activity_indicators(activities: pd.DataFrame) -> pd.DataFrame:
    """Yearly indicators from the activities register (participants summed, events counted)."""
    years = covered_years(activities)
    table = pd.DataFrame(index=pd.Index(years, name="year"))

    def total(kind: str, column: str = "participants") -> pd.Series:
        rows = activities[activities["kind"] == kind]
        return rows.groupby("year")[column].sum().reindex(years, fill_value=0)

    table["experts_certified"] = total("expert_certification")
    table["manager_training_turns"] = total("manager_training")
    table["manager_courses"] = (
        activities[activities["kind"] == "manager_training"]
        .groupby("year")
        .size()
        .reindex(years, fill_value=0)
    )
    awareness = activities[activities["kind"] == "awareness_event"]
    table["awareness_events"] = awareness.groupby("year").size().reindex(years, fill_value=0)
    table["awareness_participants"] = total("awareness_event")
    return table


def yearly_indicators(registers: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """All yearly indicators from both registers, NaN where a register does not cover a year."""
    enterprises = enterprise_indicators(registers["supported_enterprises"])
    activities = activity_indicators(registers["activities"])
    return enterprises.join(activities, how="outer").sort_index()


def tools_applied(enterprises: pd.DataFrame) -> pd.DataFrame:
    """Distinct enterprises applying each tool or system, by year (tools in rows)."""
    exploded = enterprises[["year", "tax_code", "tools"]].explode("tools").dropna(subset=["tools"])
    counts = exploded.drop_duplicates().groupby(["tools", "year"])["tax_code"].nunique()
    table = counts.unstack("year", fill_value=0)
    table.index.name = "tool"
    return table.loc[table.sum(axis=1).sort_values(ascending=False).index]


def cumulative_in_phase(flows: pd.Series, start: int, end: int) -> pd.Series:
    """Running total of a yearly flow from ``start``; NaN for years with no data."""
    window = flows[(flows.index >= start) & (flows.index <= end)]
    return window.cumsum().where(window.notna())


#: Plan indicators computed under another column name (pilots are counted when they start).
INDICATOR_COLUMNS = {
    "pilot_models": "new_pilot_models",
    "pilot_models_national": "new_pilot_models_national",
}


def indicator_column(name: str) -> str:
    """The column of :func:`yearly_indicators` that holds the plan's indicator ``name``."""
    return INDICATOR_COLUMNS.get(name, name)


def indicator_series(indicators: pd.DataFrame, name: str) -> pd.Series:
    """The yearly values of the plan's indicator ``name`` as floats (NaN: no data)."""
    return indicators[indicator_column(name)].astype(float)


def growth_band_table(
    target: Target, plan: Plan, indicators: pd.DataFrame, year: int
) -> tuple[progress.Assessment, pd.DataFrame]:
    """Judge a growth-band target in ``year``: the phase assessment and the yearly table."""
    phase = plan.phase(target.phase)
    return progress.assess_growth_band(
        indicator_series(indicators, target.indicator),
        low=float(target.band_low or 0),
        high=float(target.band_high or 0),
        start=phase.start,
        end=phase.end,
        year=year,
    )


def assess_target(
    target: Target,
    plan: Plan,
    indicators: pd.DataFrame,
    activities: pd.DataFrame,
    year: int,
    tfp_share: Sequence[PublishedShare] | None = None,
) -> dict[str, object]:
    """Assess one plan item in ``year``; return a flat record for the status table.

    The record's ``item`` is ``target`` for a quantified target (chỉ tiêu) and ``task`` for a
    task (nhiệm vụ); each has its own statuses (:mod:`helpers.programme.progress`).
    """
    record: dict[str, object] = {
        "code": target.code,
        "kind": target.kind,
        "item": "target" if target.quantified else "task",
        "phase": target.phase,
    }
    if target.phase:
        phase = plan.phase(target.phase)
        start, end = phase.start, phase.end
    else:
        start, end = plan.first_year, plan.last_year
    if year < start:
        record.update(status=NOT_STARTED, rule=target.rule or target.kind)
        return record
    if target.kind == "cumulative_count":
        flows = indicator_series(indicators, target.indicator)
        cumulative = cumulative_in_phase(flows, start, end)
        assessment = (
            progress.assess_linear(
                cumulative,
                target=float(target.target or 0),
                start=start,
                end=end,
                year=year,
                comparison=target.comparison,
            )
            if target.rule == "linear"
            else progress.assess_cagr(
                cumulative,
                target=float(target.target or 0),
                target_year=end,
                year=year,
                comparison=target.comparison,
            )
        )
        record.update(asdict(assessment), target_value=target.target)
        if assessment.actual is not None and target.target:
            record["percent_of_target"] = assessment.actual / float(target.target)
    elif target.kind == "growth_band":
        assessment, _ = growth_band_table(target, plan, indicators, year)
        record.update(asdict(assessment))
    elif target.kind == "task":
        task = evidence.assess_task(target, plan, activities, start=start, end=end, year=year)
        record.update(
            status=task.status,
            rule="task",
            year=task.year,
            actual=float(len(task.counted)),
            evidence="; ".join(task.counted["title"]) if not task.counted.empty else None,
        )
    else:  # trend of the TFP share
        record.update(assess_tfp_objective(tfp_share, year, end_year=plan.last_year))
    return record


def assess_plan(
    plan: Plan,
    registers: Mapping[str, pd.DataFrame],
    year: int,
    tfp_share: Sequence[PublishedShare] | None = None,
) -> pd.DataFrame:
    """Status of every target of the plan in ``year`` (one row per target, plan order)."""
    indicators = yearly_indicators(registers)
    records = [
        assess_target(t, plan, indicators, registers["activities"], year, tfp_share)
        for t in plan.targets
    ]
    table = pd.DataFrame.from_records(records)
    for column in (
        "ratio",
        "actual",
        "required",
        "target_value",
        "percent_of_target",
        "year",
        "evidence",
        "years_met",
        "years_assessed",
    ):
        if column not in table:
            table[column] = np.nan
    return table.set_index("code")
