"""Publishable statistics of enterprise TFP, each cell under disclosure control.

Built from :class:`helpers.tfp.enterprise_estimates.EnterpriseEstimates`: the production
functions' diagnostics, the spread of TFP within sectors, aggregate productivity and its
Olley–Pakes terms, growth over a phase, pilot-model enterprises against their sectors, the
event study of support, and the ranking of enterprises of the internal edition.

Every figure goes through :mod:`helpers.tfp.disclosure`: means and aggregates need at least 3
enterprises; output-weighted aggregates also pass the 85 % dominance rule on value added; a
suppressed mean in a table with a total gets a second suppressed cell. Percentiles need
:data:`MIN_PERCENTILE_COUNT` enterprises, since a percentile of very few enterprises is close
to one enterprise's own value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.inputs.contracts import CERTIFIABLE_TOOL_CODES
from helpers.tfp import disclosure
from helpers.tfp.enterprise_estimates import (
    ENTERPRISE,
    POOLED,
    EnterpriseEstimates,
    recording_warnings,
)
from helpers.tfp.enterprise_productivity import olley_pakes_by_group, tfp_growth
from helpers.tfp.support_effect import SupportEffect, estimate_support_effect

#: Percentiles need this many enterprises in a cell (stricter than the count rule of 3).
MIN_PERCENTILE_COUNT = 10
#: Percentiles of TFP relative to the sector drawn in the distribution chart.
QUANTILES = ("p10", "p25", "median", "p75", "p90")
#: Event window of the study of support: leads -3..-2, lags 0..3 (later years binned).
LEADS, LAGS = 3, 3
#: Enterprises listed at the top and at the bottom of the internal table.
INTERNAL_TOP = 10
#: A change smaller than this (half a log point) is read as flat.
FLAT_CHANGE = 0.005
#: Standards that lead to a certificate (counted for the enterprise criterion DN5), as marked
#: in the register's list of tools (:data:`helpers.inputs.contracts.TOOL_CERTIFIES`).
CERTIFIABLE = CERTIFIABLE_TOOL_CODES


# ----------------------------------------------------------------------------------------
# Production functions
# ----------------------------------------------------------------------------------------


def diagnostics_frame(result: EnterpriseEstimates) -> pd.DataFrame:
    """One row per estimation group: coefficients, bootstrap errors, convergence, counts.

    Groups that break the disclosure rule (fewer than 3 enterprises, or one enterprise above
    85 % of the group's value added) are marked ``suppressed``. A section whose own estimate
    is not used (``fallback``: the reasons) has no coefficients; they are kept in
    ``own_labour`` and ``own_capital``. ``small_sections``: sections of the pooled row that
    have no row of their own (too few enterprises to try). ``warnings``: what the estimation
    of the group warned about.
    """
    firms = result.firms
    own_rows = {fit.group for fit in result.fits}
    rows = []
    for fit in result.fits:
        members = firms if fit.group == POOLED else firms[firms["vsic_section"] == fit.group]
        protection = disclosure.cell_statistics(
            members.assign(_cell=0), "_cell", ENTERPRISE, "value_added"
        )
        reason = disclosure.primary_reason(protection["n_enterprises"], protection["max_share"])
        fitted = fit.result
        own = fitted.coefficients if fitted else {}
        coef = {} if fit.fallback else own
        errors = (fitted.std_errors or {}) if fitted and not fit.fallback else {}
        rows.append(
            {
                "group": fit.group,
                "sections": fit.sections,
                "small_sections": tuple(s for s in fit.sections if s not in own_rows),
                "labour": coef.get("labour", np.nan),
                "labour_se": errors.get("labour", np.nan),
                "capital": coef.get("capital", np.nan),
                "capital_se": errors.get("capital", np.nan),
                "converged": bool(fitted.converged) if fitted else False,
                "criterion": fitted.criterion if fitted else np.nan,
                "roots": len(fitted.roots) if fitted else 0,
                "n_firms": fitted.n_firms if fitted else members[ENTERPRISE].nunique(),
                "n_obs": fitted.n_obs if fitted else len(members),
                "reps_used": fitted.reps_used if fitted else 0,
                "problem": fit.problem,
                "fallback": fit.fallback,
                "own_labour": own.get("labour", np.nan),
                "own_capital": own.get("capital", np.nan),
                "suppressed": bool(reason.iloc[0] != disclosure.REASON_NONE),
                "warnings": fit.warnings,
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------------------
# Distribution and dispersion
# ----------------------------------------------------------------------------------------


def latest_firms(result: EnterpriseEstimates) -> pd.DataFrame:
    """Enterprises of the panel's last year."""
    return result.firms[result.firms["year"] == result.last_year]


def _percentile_table(micro: pd.DataFrame, by: list[str], statistic: str) -> pd.DataFrame:
    return disclosure.suppress_statistic(
        micro,
        by,
        "tfp_sector_year",
        ENTERPRISE,
        statistic=statistic,
        margins=True,
        min_count=MIN_PERCENTILE_COUNT,
        source="enterprise panel",
    )


def dispersion_frame(result: EnterpriseEstimates) -> pd.DataFrame:
    """p90/p10 ratio of TFP levels by sector and size class, with totals, in the last year.

    Returns
    -------
    DataFrame
        ``vsic_section``, ``size_class`` (``Total`` in the margins), ``n_enterprises``,
        ``p10``, ``p90``, ``ratio`` (``exp(p90 - p10)``) and ``suppressed`` (fewer than
        :data:`MIN_PERCENTILE_COUNT` enterprises).

    """
    micro = latest_firms(result)
    by = ["vsic_section", "size_class"]
    low = _percentile_table(micro, by, "p10")
    high = _percentile_table(micro, by, "p90")
    frame = low[[*by, "n_enterprises", "p10", "suppressed"]].merge(
        high[[*by, "p90"]], on=by, how="left"
    )
    frame["ratio"] = np.exp(frame["p90"] - frame["p10"])
    return frame


def quantiles_by_sector(result: EnterpriseEstimates) -> pd.DataFrame:
    """Percentiles (:data:`QUANTILES`) of TFP relative to the sector, per sector, last year.

    Indexed by ``vsic_section``; ``suppressed`` when the sector has fewer than
    :data:`MIN_PERCENTILE_COUNT` enterprises.
    """
    micro = latest_firms(result)
    tables = {
        statistic: disclosure.suppress_statistic(
            micro,
            "vsic_section",
            "tfp_sector_year",
            ENTERPRISE,
            statistic=statistic,
            min_count=MIN_PERCENTILE_COUNT,
        ).set_index("vsic_section")
        for statistic in QUANTILES
    }
    frame = pd.concat([table[name] for name, table in tables.items()], axis=1)
    frame["suppressed"] = tables["median"]["suppressed"]  # same counts for every percentile
    return frame


# ----------------------------------------------------------------------------------------
# Growth over a phase and aggregate productivity
# ----------------------------------------------------------------------------------------


def phase_years(
    result: EnterpriseEstimates, phase_start: int, phase_end: int
) -> tuple[int, int] | None:
    """Base year (the year before the phase) and last year of the phase in the panel."""
    base = max(phase_start - 1, result.first_year)
    end = min(phase_end, result.last_year)
    return (base, end) if end > base else None


def _weighted_protection(micro: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Count and value-added dominance rule of output-weighted aggregates, per cell."""
    return disclosure.suppress_statistic(
        micro,
        by,
        "tfp_over_time",
        ENTERPRISE,
        weight="value_added",
        dominance_on="value_added",
        source="enterprise panel",
    )


def growth_frame(result: EnterpriseEstimates, years: tuple[int, int] | None) -> pd.DataFrame:
    """TFP growth from ``years[0]`` to ``years[1]`` by sector and for all sectors (annual rates).

    Returns
    -------
    DataFrame
        ``vsic_section`` (``Total`` for all sectors), ``n_enterprises`` (last year),
        ``aggregate`` and ``unweighted`` (average yearly growth of the output-weighted and of
        the plain mean of TFP) and ``suppressed`` (either year breaks the disclosure rule).
        Empty when ``years`` is None.

    """
    if years is None:
        return pd.DataFrame()
    base, end = years
    firms = result.firms
    micro = firms[firms["year"].isin([base, end])]
    sectors = _growth_rows(micro, "vsic_section", base, end)
    total = _growth_rows(micro.assign(scope=disclosure.TOTAL_LABEL), "scope", base, end)
    return pd.concat([sectors, total.rename(columns={"scope": "vsic_section"})], ignore_index=True)


def _growth_rows(micro: pd.DataFrame, by: str, base: int, end: int) -> pd.DataFrame:
    decomposition = olley_pakes_by_group(
        micro, by=by, log_tfp="tfp_over_time", output="value_added"
    )
    rows = []
    for column in ("aggregate", "unweighted_mean"):
        growth = tfp_growth(decomposition, base, end, by=by, log_tfp=column)
        rows.append(growth.set_index(by)["annual_growth"].rename(column))
    frame = pd.concat(rows, axis=1)
    protection = _weighted_protection(micro, [by, "year"])
    blocked = protection.groupby(by)["suppressed"].any()
    counts = protection[protection["year"] == end].set_index(by)["n_enterprises"]
    frame["suppressed"] = blocked.reindex(frame.index).fillna(True)
    frame["n_enterprises"] = counts.reindex(frame.index).fillna(0).astype(int)
    return frame.rename(columns={"unweighted_mean": "unweighted"}).reset_index()


def olley_pakes_frame(result: EnterpriseEstimates) -> pd.DataFrame:
    """Aggregate TFP of all enterprises per year and its Olley–Pakes decomposition.

    Returns
    -------
    DataFrame
        ``year``, ``aggregate`` (output-weighted mean of ``tfp_over_time``),
        ``unweighted_mean``, ``covariance`` (``aggregate = unweighted_mean + covariance``),
        ``n_firms`` and ``suppressed`` (count or value-added dominance rule).

    """
    firms = result.firms
    decomposition = olley_pakes_by_group(firms, log_tfp="tfp_over_time", output="value_added")
    protection = _weighted_protection(firms, ["year"]).set_index("year")["suppressed"]
    decomposition["suppressed"] = decomposition["year"].map(protection).astype(bool)
    return decomposition.drop(columns=["max_share"])


def direction(start: float, end: float) -> str:
    """``up``, ``down`` or ``flat`` (a change under :data:`FLAT_CHANGE`).

    Examples
    --------
    >>> direction(0.10, 0.12), direction(0.10, 0.08), direction(0.10, 0.104)
    ('up', 'down', 'flat')

    """
    if abs(end - start) < FLAT_CHANGE:
        return "flat"
    return "up" if end > start else "down"


# ----------------------------------------------------------------------------------------
# Pilot models
# ----------------------------------------------------------------------------------------


def pilot_codes(register: pd.DataFrame) -> set[str]:
    """Tax codes of the enterprises of the supported-enterprises register with a pilot model."""
    return set(register.loc[register["pilot_model"].astype(bool), "tax_code"])


def pilot_frame(result: EnterpriseEstimates, pilots: set[str], year: int) -> pd.DataFrame:
    """Mean TFP gap of pilot enterprises to their sector in ``year``, by sector and in total.

    The gap is ``log_tfp`` minus the mean of all enterprises of the sector that year. Cells
    follow the count rule, with secondary suppression since the total is shown.

    """
    firms = result.firms
    micro = firms[(firms["year"] == year) & firms[ENTERPRISE].isin(pilots)]
    if micro.empty:
        return pd.DataFrame(columns=["vsic_section", "n_enterprises", "mean", "suppressed"])
    return disclosure.suppress_statistic(
        micro, "vsic_section", "tfp_sector_year", ENTERPRISE, margins=True
    )


# ----------------------------------------------------------------------------------------
# Effect of support
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportStudy:
    """The event study of support, what was left out, and what the estimation warned about."""

    effect: SupportEffect | None
    n_single_untreated: int
    n_register_not_in_panel: int
    problem: str = ""
    warnings: tuple[str, ...] = ()


def support_panel(
    result: EnterpriseEstimates, register: pd.DataFrame
) -> tuple[pd.DataFrame, int, int]:
    """Log TFP with each enterprise's first support year in ``register``.

    Enterprises with exactly one year before their support (or one year in all, for those
    never supported) are left out: their level cannot be compared with a later year, and
    pyfixest's first stage drops such singletons.

    Returns
    -------
    tuple of (DataFrame, int, int)
        The panel (``tax_code``, ``enterprise_id`` (a whole number per enterprise), ``year``,
        ``log_tfp``, ``first_support_year``), the number
        of enterprises left out, and the number of register enterprises not in the panel.

    """
    firms = result.firms
    first = register.groupby("tax_code")["year"].min()
    frame = firms[[ENTERPRISE, "year", "log_tfp"]].copy()
    frame["first_support_year"] = frame[ENTERPRISE].map(first).astype(float)
    supported = frame["first_support_year"].notna() & (frame["year"] >= frame["first_support_year"])
    untreated_years = (~supported).groupby(frame[ENTERPRISE]).sum()
    single = untreated_years[untreated_years == 1].index
    kept = frame[~frame[ENTERPRISE].isin(single)].reset_index(drop=True)
    # whole-number ids: pyfixest's cluster loop compares ids, much faster on integers than text
    kept.insert(1, "enterprise_id", pd.factorize(kept[ENTERPRISE], sort=True)[0])
    missing = len(set(first.index) - set(firms[ENTERPRISE]))
    return kept, len(single), missing


def study_support(result: EnterpriseEstimates, register: pd.DataFrame) -> SupportStudy:
    """The staggered event study of log TFP around the first support year.

    The window is :data:`LEADS` years before and :data:`LAGS` after; the study keeps every
    warning its estimation issued.
    """
    frame, single, missing = support_panel(result, register)
    effect, messages, error = recording_warnings(
        lambda: estimate_support_effect(frame, id_column="enterprise_id", leads=LEADS, lags=LAGS)
    )
    if error is not None:
        return SupportStudy(None, single, missing, error.problems[0].message, messages)
    return SupportStudy(effect, single, missing, warnings=messages)


def _count_reason(counts: pd.Series) -> pd.Series:
    return disclosure.primary_reason(counts, pd.Series(np.nan, index=counts.index))


def event_frame(effect: SupportEffect) -> pd.DataFrame:
    """Event study rows with the count rule applied (fewer than 3 enterprises: suppressed)."""
    frame = effect.event_study.copy()
    reason = _count_reason(frame["n_enterprises"])
    frame["suppressed"] = (reason != disclosure.REASON_NONE) & ~frame["reference"]
    return frame


def att_suppressed(effect: SupportEffect) -> bool:
    """Whether the overall effect rests on too few enterprises to publish."""
    count = pd.Series([int(effect.att.iloc[0]["n_enterprises"])])
    return bool(_count_reason(count).iloc[0] != disclosure.REASON_NONE)


def leads_apart_from_zero(effect: SupportEffect) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The estimated leads, and those whose interval excludes zero (a sign of a pre-trend).

    Leads are the years before support, the reference year -1 left out.
    """
    study = effect.event_study
    leads = study[(study["event_time"] < -1) & ~study["reference"]]
    return leads, leads[(leads["ci_lower"] > 0) | (leads["ci_upper"] < 0)]


# ----------------------------------------------------------------------------------------
# Internal edition: enterprises by name
# ----------------------------------------------------------------------------------------


def enterprise_criteria_frame(
    result: EnterpriseEstimates, register: pd.DataFrame, phase_start: int
) -> pd.DataFrame:
    """Indicators of the enterprise criteria for the enterprises of the last year.

    Growth rates run from the enterprise's first year since the phase's base year to the
    last year (NaN for an enterprise seen in one year only). Tools and certificates are the
    distinct tools of its register rows (certificates: :data:`CERTIFIABLE` standards; the
    register does not record whether a certificate is still valid).
    """
    firms = result.firms
    base = max(phase_start - 1, result.first_year)
    window = firms[firms["year"] >= base].sort_values([ENTERPRISE, "year"])
    first = window.groupby(ENTERPRISE).first()
    last = window[window["year"] == result.last_year].set_index(ENTERPRISE)
    span = (result.last_year - first["year"]).reindex(last.index)
    span = span.where(span > 0)
    start = first.reindex(last.index)
    tfp_change = (last["log_tfp"] - start["log_tfp"]) / span
    productivity = np.log(last["value_added"] / last["labour"])
    productivity_start = np.log(start["value_added"] / start["labour"])
    tools = register[["tax_code", "tools"]].explode("tools").dropna()
    tools = tools.drop_duplicates()
    frame = pd.DataFrame(index=last.index)
    frame["year"] = result.last_year
    frame["sector"] = last["vsic_section"]
    frame["log_tfp"] = last["log_tfp"]
    frame["tfp_sector_year"] = last["tfp_sector_year"]
    frame["tfp_growth"] = np.expm1(tfp_change)
    frame["labour_productivity_growth"] = np.expm1((productivity - productivity_start) / span)
    applied = tools.groupby("tax_code")["tools"].nunique()
    certified = tools[tools["tools"].isin(CERTIFIABLE)].groupby("tax_code")["tools"].nunique()
    frame["tools_applied"] = applied.reindex(frame.index).fillna(0).astype(float)
    frame["certifications"] = certified.reindex(frame.index).fillna(0).astype(float)
    frame["pilot"] = frame.index.isin(pilot_codes(register))
    return frame


def ranked_enterprises(
    frame: pd.DataFrame, scores: pd.Series, register: pd.DataFrame, missing_name: str
) -> pd.DataFrame:
    """Top and bottom enterprises by TFP relative to their sector, then the pilot enterprises.

    :data:`INTERNAL_TOP` at each end (``group``: top, bottom, pilot), with score and register
    name.

    ``frame`` is :func:`enterprise_criteria_frame`; ``scores`` the enterprises' total criteria
    scores; ``missing_name`` stands for an enterprise without a name in the register.
    """
    frame = frame.copy()
    frame["score"] = scores
    names = register.drop_duplicates("tax_code", keep="last").set_index("tax_code")["name"]
    frame["name"] = names.reindex(frame.index).fillna(missing_name)
    ranked = frame.sort_values("tfp_sector_year", ascending=False)
    pieces = [
        ranked.head(INTERNAL_TOP).assign(group="top"),
        ranked.tail(INTERNAL_TOP).assign(group="bottom"),
        ranked[ranked["pilot"]].assign(group="pilot"),
    ]
    return pd.concat(pieces).rename_axis(ENTERPRISE).reset_index()
