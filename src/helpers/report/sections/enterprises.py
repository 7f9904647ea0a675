"""Blocks of the enterprise productivity section (TFP of enterprises, issue 5).

TFP by sector, its spread, aggregate productivity, the effect of support, pilot models, the
province's TFP criteria score, and an enterprise table for the internal edition only.

This module reads what the report context provides, calls the pure functions of
:mod:`helpers.tfp.enterprise_estimates` (production functions and TFP of every
enterprise-year), :mod:`helpers.tfp.enterprise_statistics` (disclosure-controlled statistics
of the estimates) and :mod:`helpers.tfp.criteria_values` (the province's criteria indicators),
and renders their results through :mod:`helpers.report.markup`, :mod:`helpers.report.blocks`
and :mod:`helpers.report.charts`. Each block takes the context and returns HTML; without a
panel it returns a plain notice.

Everything is computed once per process for the same inputs and report year
(:meth:`ReportContext.cached`: both languages of a report share the estimates) from the
enterprise panel (:func:`helpers.inputs.enterprise_panel.load_enterprise_panel`), up to the report
year.

Estimation method
-----------------
See :mod:`helpers.tfp.enterprise_estimates`: :data:`DEFAULT_METHOD` (Ackerberg–Caves–Frazer)
per VSIC section, a bootstrap over whole enterprises (:func:`bootstrap_reps` replications,
seeded), the pooled function for sections with fewer than :data:`MIN_SECTOR_FIRMS` enterprises
or an unreliable own estimate (its row in the diagnostics says why, in words). A notebook may
choose another method before the first block runs: ``set_method(ctx, "lp")``. Every warning
issued while estimating is listed under the block it concerns (production functions, effect
of support).

Disclosure control (public edition)
-----------------------------------
Every figure built from the panel goes through :mod:`helpers.tfp.disclosure` (see
:mod:`helpers.tfp.enterprise_statistics`). Suppressed cells show the marker, explained by
:func:`helpers.tfp.disclosure.suppression_footnote`. Tax codes and names appear only in the
internal edition (:func:`internal_block`).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
from IPython.display import HTML

from helpers import i18n
from helpers.inputs.enterprise_panel import load_enterprise_panel
from helpers.inputs.params import BOOTSTRAP_REPS_ENV
from helpers.programme.tfp_objective import load_published_shares
from helpers.report import charts, markup
from helpers.report.blocks import show_figure, show_table, value_formatters
from helpers.report.context import ReportContext, resolve
from helpers.tfp import criteria_values, disclosure, enterprise_estimates
from helpers.tfp import enterprise_statistics as statistics
from helpers.tfp.criteria import Scorecard, load_criteria, score_enterprises, score_province
from helpers.tfp.enterprise_estimates import (
    BOOTSTRAP_REPS,
    BOOTSTRAP_SEED,
    ENTERPRISE,
    FEW_FIRMS,
    MIN_BOOTSTRAP_REPS,
    POOLED,
    SIZE_CLASSES,
    UNRELIABLE_REASONS,
    EnterpriseEstimates,
    EstimationSettings,
    GroupFit,
    check_bootstrap_reps,
    estimate_enterprise_tfp,
    panel_up_to,
    size_class,
    unreliable_reasons,
)
from helpers.tfp.enterprise_statistics import (
    CERTIFIABLE,
    INTERNAL_TOP,
    LAGS,
    LEADS,
    SupportStudy,
)
from helpers.tfp.production import METHODS
from helpers.tfp.support_effect import SupportEffect

__all__ = [
    "BOOTSTRAP_REPS",
    "BOOTSTRAP_REPS_ENV",
    "BOOTSTRAP_SEED",
    "CERTIFIABLE",
    "FEW_FIRMS",
    "INTERNAL_TOP",
    "LAGS",
    "LEADS",
    "MIN_BOOTSTRAP_REPS",
    "POOLED",
    "SIZE_CLASSES",
    "UNRELIABLE_REASONS",
    "EnterpriseEstimates",
    "GroupFit",
    "SupportStudy",
    "size_class",
    "unreliable_reasons",
]

#: Attribute of the report context that holds the method chosen by :func:`set_method`.
METHOD_ATTRIBUTE = "enterprise_method"
#: Marks the chapter of an annex on simulated data (the report moves it to the end).
SIMULATED_ANNEX = 'data-annex="simulated"'


def bootstrap_reps() -> int:
    """Replications of the block bootstrap (the build's parameter; default 199)."""
    value = os.environ.get(BOOTSTRAP_REPS_ENV, "")
    if not value:
        return BOOTSTRAP_REPS
    reps = int(value)
    try:
        return check_bootstrap_reps(reps)
    except ValueError as error:
        raise ValueError(f"{BOOTSTRAP_REPS_ENV}={reps}: {error}") from None


# ----------------------------------------------------------------------------------------
# Inputs
# ----------------------------------------------------------------------------------------


def set_method(ctx: ReportContext, method: str) -> None:
    """Choose the production-function method of the section (before the first block).

    Parameters
    ----------
    ctx : ReportContext
        The report context.
    method : {"ols", "fe", "op", "lp", "acf", "wrdg", "wrdg-gmm"}
        Method of :func:`helpers.tfp.production.estimate`.

    """
    method = str(method).strip().lower()
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    setattr(ctx, METHOD_ATTRIBUTE, method)


def criteria_path(ctx: ReportContext) -> Path | None:
    """The plan's TFP criteria file, or None for the default set."""
    name = ctx.plan.plan.criteria_file
    return resolve(name) if name else None


def method_of(ctx: ReportContext) -> str:
    """The production-function method in use (``DEFAULT_METHOD`` of the TFP layer unless set)."""
    return str(getattr(ctx, METHOD_ATTRIBUTE, enterprise_estimates.DEFAULT_METHOD))


def load_panel(ctx: ReportContext) -> pd.DataFrame | None:
    """The enterprise panel up to the report year (None when there is none)."""

    def load() -> pd.DataFrame | None:
        panel = ctx.panel if ctx.panel is not None else load_enterprise_panel(ctx.data_dir)
        return panel_up_to(panel, ctx.year)

    return ctx.cached(("enterprise", "panel"), load)


def needs_panel(block: Callable[[ReportContext], HTML]) -> Callable[[ReportContext], HTML]:
    """Show a plain "no enterprise panel" line instead of a block when there is no panel."""

    @functools.wraps(block)
    def guarded(ctx: ReportContext) -> HTML:
        if load_panel(ctx) is None:
            return HTML(markup.notice(ctx.t("ent.no_panel")))
        return block(ctx)

    return guarded


def register(ctx: ReportContext) -> pd.DataFrame:
    """Rows of the supported-enterprises register up to the report year."""
    frame = ctx.registers["supported_enterprises"]
    return frame[frame["year"] <= ctx.year]


# ----------------------------------------------------------------------------------------
# Estimation (cached)
# ----------------------------------------------------------------------------------------


def estimation_key(ctx: ReportContext) -> tuple:
    """Everything the estimates depend on besides the input files and the report year."""
    return (
        method_of(ctx),
        enterprise_estimates.MIN_SECTOR_FIRMS,
        bootstrap_reps(),
        BOOTSTRAP_SEED,
    )


def estimates(ctx: ReportContext) -> EnterpriseEstimates:
    """TFP of every enterprise-year (computed once per process for these inputs)."""
    settings = EstimationSettings(
        method=method_of(ctx),
        reps=bootstrap_reps(),
        seed=BOOTSTRAP_SEED,
        min_sector_firms=enterprise_estimates.MIN_SECTOR_FIRMS,
        few_firms=FEW_FIRMS,
    )

    def compute() -> EnterpriseEstimates:
        panel = load_panel(ctx)
        assert panel is not None
        return estimate_enterprise_tfp(panel, settings)

    return ctx.cached(
        ("enterprise", "estimates", *estimation_key(ctx)),
        compute,
        persist=True,
        label="enterprise production functions",
        inputs=("enterprise_panel",),  # the panel alone: registers and plan do not enter
    )


def support_study(ctx: ReportContext) -> SupportStudy:
    """The staggered event study of log TFP around the first support year (cached)."""
    return ctx.cached(
        ("enterprise", "support", LEADS, LAGS, *estimation_key(ctx)),
        lambda: statistics.study_support(estimates(ctx), register(ctx)),
        persist=True,
        label="event study of support",
        inputs=("enterprise_panel", "supported_enterprises"),  # the estimates and the register
    )


def province_scorecard(ctx: ReportContext) -> Scorecard:
    """The province's scores on the TFP criteria set, per year (cached)."""
    return ctx.cached(
        ("enterprise", "province_scores", *estimation_key(ctx)),
        lambda: score_province(province_values(ctx), load_criteria(criteria_path(ctx))),
        persist=True,
        label="TFP criteria scores",
    )


# The statistics of the estimates, for this context.


def diagnostics_frame(ctx: ReportContext) -> pd.DataFrame:
    """:func:`helpers.tfp.enterprise_statistics.diagnostics_frame` of the estimates."""
    return statistics.diagnostics_frame(estimates(ctx))


def latest_firms(ctx: ReportContext) -> pd.DataFrame:
    """Enterprises of the panel's last year up to the report year."""
    return statistics.latest_firms(estimates(ctx))


def dispersion_frame(ctx: ReportContext) -> pd.DataFrame:
    """:func:`helpers.tfp.enterprise_statistics.dispersion_frame` of the estimates."""
    return statistics.dispersion_frame(estimates(ctx))


def phase_years(ctx: ReportContext) -> tuple[int, int] | None:
    """Base year (the year before the phase) and last year of the phase in the panel."""
    return statistics.phase_years(estimates(ctx), ctx.phase.start, ctx.phase.end)


def growth_frame(ctx: ReportContext) -> pd.DataFrame:
    """TFP growth over the phase by sector and for all sectors (annual rates)."""
    return statistics.growth_frame(estimates(ctx), phase_years(ctx))


def olley_pakes_frame(ctx: ReportContext) -> pd.DataFrame:
    """Aggregate TFP of all enterprises per year and its Olley–Pakes decomposition."""
    return statistics.olley_pakes_frame(estimates(ctx))


def support_panel(ctx: ReportContext) -> tuple[pd.DataFrame, int, int]:
    """:func:`helpers.tfp.enterprise_statistics.support_panel` of this report's inputs."""
    return statistics.support_panel(estimates(ctx), register(ctx))


def pilot_codes(ctx: ReportContext) -> set[str]:
    """Tax codes of the enterprises that built a pilot model up to the report year."""
    return statistics.pilot_codes(register(ctx))


def pilot_frame(ctx: ReportContext, year: int) -> pd.DataFrame:
    """Mean TFP gap of pilot enterprises to their sector in ``year``, by sector and in total."""
    return statistics.pilot_frame(estimates(ctx), pilot_codes(ctx), year)


def operating_enterprises(ctx: ReportContext) -> pd.Series:
    """The province's operating enterprises by year, as published (empty when not published)."""
    from helpers.inputs.province_accounts import load_published_figures

    path = ctx.data_dir / "published_figures.csv"
    figures = load_published_figures(path) if path.is_file() else None
    return criteria_values.operating_enterprises(figures, ctx.plan.plan.province)


def labour_productivity_growth(ctx: ReportContext) -> pd.Series:
    """Average yearly growth of GRDP (2010 prices) per employed person, phase to date."""
    return criteria_values.labour_productivity_growth(ctx.accounts, ctx.plan)


def _pilot_column(ctx: ReportContext, phase: int) -> str:
    """The indicator column the phase's pilot-model target counts (all, or national-level)."""
    return criteria_values.pilot_column(ctx.plan, phase)


def province_values(ctx: ReportContext) -> pd.DataFrame:
    """The province's indicator values for the TFP criteria, one row per register year.

    See :func:`helpers.tfp.criteria_values.province_criteria_values`.
    """
    return criteria_values.province_criteria_values(
        ctx.indicators,
        ctx.plan,
        ctx.year,
        shares=load_published_shares(ctx.data_dir, ctx.plan.plan.province),
        criteria=load_criteria(criteria_path(ctx)),
        operating=operating_enterprises(ctx),
        accounts=ctx.accounts,
    )


def enterprise_criteria_frame(ctx: ReportContext) -> pd.DataFrame:
    """Indicators of the enterprise criteria for the enterprises of the last year."""
    return statistics.enterprise_criteria_frame(estimates(ctx), register(ctx), ctx.phase.start)


def internal_frame(ctx: ReportContext) -> pd.DataFrame:
    """Top and bottom enterprises by TFP relative to their sector, and the pilot enterprises."""
    frame = enterprise_criteria_frame(ctx)
    scores = score_enterprises(frame, load_criteria(criteria_path(ctx))).scores["total"]
    return statistics.ranked_enterprises(frame, scores, register(ctx), i18n.MISSING)


# ----------------------------------------------------------------------------------------
# Rendering helpers
# ----------------------------------------------------------------------------------------


def _html(*parts: object) -> HTML:
    """One block from rendered parts (markup, or the HTML of a table or figure)."""
    return HTML("".join(str(part.data if isinstance(part, HTML) else part) for part in parts))


def _keep_marker(format_value: Callable[[object], str]) -> Callable[[object], str]:
    """Format numbers, pass the suppression marker (and other text) through."""

    def formatted(value: object) -> str:
        return value if isinstance(value, str) else format_value(value)

    return formatted


Formatters = dict[str, Callable[[object], str]]


def _numbers(ctx: ReportContext, columns: list[str], **options: object) -> Formatters:
    """Formatters of :func:`helpers.report.blocks.value_formatters`, keeping the marker."""
    return {
        column: _keep_marker(formatter)
        for column, formatter in value_formatters(columns, ctx.lang, **options).items()  # type: ignore[arg-type]
    }


def as_change(values: pd.Series) -> pd.Series:
    """Log points as the proportional change ``exp(x) - 1``, a fraction (markers kept).

    A column labelled as a change in per cent holds this in the saved CSV and XLSX too, not
    the log points it comes from; the page shows it as a signed percentage.
    """
    numeric = pd.to_numeric(values, errors="coerce")
    return values.where(numeric.isna(), np.expm1(numeric)).astype(object)


def _signed_percents(ctx: ReportContext, columns: list[str]) -> Formatters:
    """Formatters that show fractions as signed percentages (``+8,2 %``)."""

    def change(value: object) -> str:
        return i18n.format_signed_percent(float(cast(float, value)), ctx.lang)

    return dict.fromkeys(columns, _keep_marker(change))


def sector_label(section: str, ctx: ReportContext) -> str:
    """Label a VSIC section as "C – Manufacturing" (margins: "All sectors")."""
    if section == disclosure.TOTAL_LABEL:
        return ctx.t("ent.all_sectors")
    if section == POOLED:
        return ctx.t("ent.pooled")
    return f"{section} – {ctx.t('ent.vsic.' + section)}"


def _source(ctx: ReportContext) -> str:
    panel = load_panel(ctx)
    key = "ent.source_sample" if panel is not None and panel.attrs.get("truth") else "ent.source"
    return ctx.t(key, method=ctx.t("ent.method." + method_of(ctx)))


def _source_and_registers(ctx: ReportContext) -> str:
    """The source line of a block that joins the panel's estimates to the registers."""
    return f"{_source(ctx)}; {ctx.t('source.registers')}"


def _footnote(ctx: ReportContext) -> str:
    return markup.source_note(disclosure.suppression_footnote(ctx.lang))


def _warnings_note(ctx: ReportContext, warnings: list[str]) -> str:
    """A note listing what an estimation warned about ("" when it warned about nothing)."""
    if not warnings:
        return ""
    return markup.source_note(ctx.t("ent.warnings", warnings="; ".join(warnings)))


def describe_warning(message: str, ctx: ReportContext) -> str:
    """An estimation warning in the report's language.

    The English edition quotes the estimator's own text. Other editions say it from the
    catalogue (``ent.warning.<kind>``) with the values the estimator quoted; a warning of no
    known kind is named as such, its text being in the English edition.
    """
    if ctx.lang == "en":
        return str(message)
    kind = getattr(message, "kind", None)
    key = f"ent.warning.{kind}"
    if kind is None or key not in i18n.catalogue(ctx.lang):
        return ctx.t("ent.warning.other")
    values = dict(message.values)  # type: ignore[attr-defined]
    if "method" in values:
        values["method"] = ctx.t("ent.method." + str(values["method"]))
    if "coef" in values:
        values["coef"] = "; ".join(i18n.format_number(v, ctx.lang, 4) for v in values["coef"])
    if "persistence" in values:
        values["persistence"] = i18n.format_number(values["persistence"], ctx.lang, 2)
    return ctx.t(key, **values)


# ----------------------------------------------------------------------------------------
# Headline and diagnostics
# ----------------------------------------------------------------------------------------


def chapter_heading(ctx: ReportContext) -> HTML:
    """The chapter's heading: an annex titled as simulated data while the panel is simulated.

    Its ``data-mark`` text is printed at the top of every page of the chapter in the PDF.
    """
    panel = load_panel(ctx)
    if panel is not None and panel.attrs.get("truth"):
        return HTML(
            markup.heading(
                2,
                ctx.t("ent.annex_title"),
                id="enterprise-annex",
                css_class="simulated",
                data={"annex": "simulated", "mark": ctx.t("ent.annex_mark")},
            )
        )
    return HTML(markup.heading(2, ctx.t("section.enterprises"), id="enterprises"))


@needs_panel
def headline(ctx: ReportContext) -> HTML:
    """One paragraph: the panel's size and years, and the method."""
    result = estimates(ctx)
    firms = result.firms
    text = ctx.t(
        "ent.headline",
        enterprises=i18n.format_number(firms[ENTERPRISE].nunique(), ctx.lang),
        rows=i18n.format_number(len(firms), ctx.lang),
        start=result.first_year,
        end=result.last_year,
        sectors=firms["vsic_section"].nunique(),
        method=ctx.t("ent.method." + result.method),
    )
    parts = [markup.lead(text)]
    if result.truth:
        parts.append(markup.notice(ctx.t("ent.sample_notice")))
    if result.last_year < ctx.year:
        parts.append(markup.notice(ctx.t("ent.panel_ends", year=ctx.year, last=result.last_year)))
    return _html(*parts)


def _group_note(row: pd.Series, ctx: ReportContext) -> str:
    notes = []
    if row["group"] == POOLED:
        if row["small_sections"]:
            notes.append(ctx.t("ent.note_pooled", sections=", ".join(row["small_sections"])))
        replaced = [s for s in row["sections"] if s not in row["small_sections"]]
        if replaced:
            notes.append(ctx.t("ent.note_pooled_fallback", sections=", ".join(replaced)))
    elif row["fallback"] and not row["problem"]:
        reasons = ", ".join(ctx.t("ent.reason." + code, n=FEW_FIRMS) for code in row["fallback"])
        notes.append(ctx.t("ent.note_fallback", reasons=reasons))
    if row["problem"]:
        notes.append(ctx.t("ent.note_failed"))
    elif not row["converged"]:
        notes.append(ctx.t("ent.note_no_root"))
    return "; ".join(notes)


def _true_coefficients(ctx: ReportContext, group: str) -> str:
    truth = estimates(ctx).truth
    if not truth or group not in truth["sectors"]:
        return i18n.MISSING
    sector = truth["sectors"][group]
    return (
        f"{i18n.format_number(sector['alpha_l'], ctx.lang, 2)} / "
        f"{i18n.format_number(sector['alpha_k'], ctx.lang, 2)}"
    )


@needs_panel
def diagnostics_table(ctx: ReportContext) -> HTML:
    """Production-function estimates per sector with the checks a reader needs.

    Below the table: everything the estimation warned about, per group (nothing when it
    warned about nothing).
    """
    frame = diagnostics_frame(ctx)
    result = estimates(ctx)
    lang = ctx.lang

    def with_error(value: float, error: float) -> str:
        if np.isnan(value):
            return i18n.MISSING
        return f"{i18n.format_number(value, lang, 3)} ({i18n.format_number(error, lang, 3)})"

    table = pd.DataFrame(
        {
            ctx.t("ent.col.sector"): [sector_label(g, ctx) for g in frame["group"]],
            ctx.t("ent.col.enterprises"): frame["n_firms"],
            ctx.t("ent.col.obs"): frame["n_obs"],
            ctx.t("ent.col.labour"): [
                with_error(v, e) for v, e in zip(frame["labour"], frame["labour_se"], strict=True)
            ],
            ctx.t("ent.col.capital"): [
                with_error(v, e) for v, e in zip(frame["capital"], frame["capital_se"], strict=True)
            ],
            ctx.t("ent.col.converged"): [
                ctx.t("ent.yes") if c else ctx.t("ent.no") for c in frame["converged"]
            ],
            ctx.t("ent.col.criterion"): [
                i18n.format_scientific(c, lang) for c in frame["criterion"]
            ],
            ctx.t("ent.col.roots"): frame["roots"],
            ctx.t("ent.col.note"): [_group_note(row, ctx) for _, row in frame.iterrows()],
        }
    )
    if result.truth:
        table.insert(
            5, ctx.t("ent.col.truth"), [_true_coefficients(ctx, g) for g in frame["group"]]
        )
    values = [c for c in table.columns if c != ctx.t("ent.col.sector")]
    published = disclosure.publish_table(
        table.assign(suppressed=frame["suppressed"]), ctx.t("ent.col.sector"), values
    )
    counts = [ctx.t("ent.col.enterprises"), ctx.t("ent.col.obs"), ctx.t("ent.col.roots")]
    caption = ctx.t(
        "ent.diagnostics_title",
        method=ctx.t("ent.method." + result.method),
        reps=bootstrap_reps(),
    )
    rendered = show_table(
        published,
        "enterprise-production-functions",
        ctx,
        caption=caption,
        source=_source(ctx),
        formatters=_numbers(ctx, counts),
    )
    warned = [
        f"{sector_label(group, ctx)}: {describe_warning(message, ctx)}"
        for group, message in result.warnings
    ]
    return _html(rendered, _footnote(ctx), _warnings_note(ctx, warned))


# ----------------------------------------------------------------------------------------
# Distribution and dispersion
# ----------------------------------------------------------------------------------------


@needs_panel
def dispersion_block(ctx: ReportContext) -> HTML:
    """Spread of TFP within sectors (chart) and the p90/p10 ratio by sector and size (table)."""
    figure = _distribution_figure(ctx)
    frame = dispersion_frame(ctx)
    frame = frame[frame["n_enterprises"] > 0]
    cells = disclosure.publish_table(
        frame.assign(shown=_ratio_with_count(frame, ctx)), ["vsic_section", "size_class"], "shown"
    )
    wide = cells.pivot(index="vsic_section", columns="size_class", values="shown")
    order = [c for c in (*SIZE_CLASSES, disclosure.TOTAL_LABEL) if c in wide.columns]
    rows = sorted(r for r in wide.index if r != disclosure.TOTAL_LABEL)
    wide = wide.reindex(index=[*rows, disclosure.TOTAL_LABEL], columns=order).fillna(i18n.MISSING)
    table = pd.DataFrame({ctx.t("ent.col.sector"): [sector_label(s, ctx) for s in wide.index]})
    for column in order:
        label = ctx.t("ent.size." + column) if column in SIZE_CLASSES else ctx.t("ent.all_sizes")
        table[label] = wide[column].to_numpy()
    year = estimates(ctx).last_year
    rendered = show_table(
        table,
        "enterprise-tfp-dispersion",
        ctx,
        caption=ctx.t("ent.dispersion_title", year=year),
        source=_source(ctx),
    )
    note = markup.source_note(ctx.t("ent.dispersion_note", n=statistics.MIN_PERCENTILE_COUNT))
    return _html(figure, rendered, note)


def _ratio_with_count(frame: pd.DataFrame, ctx: ReportContext) -> list[str]:
    return [
        f"{i18n.format_number(r, ctx.lang, 2)} ({i18n.format_number(n, ctx.lang)})"
        for r, n in zip(frame["ratio"], frame["n_enterprises"], strict=True)
    ]


def _distribution_figure(ctx: ReportContext) -> HTML:
    result = estimates(ctx)
    quantiles = statistics.quantiles_by_sector(result).sort_index(ascending=False)
    title = ctx.t("ent.distribution_title", year=result.last_year)
    fig = charts.quantile_chart(
        quantiles,
        [sector_label(s, ctx) for s in quantiles.index],
        marker=disclosure.SUPPRESSED_MARKER,
        axis_label=ctx.t("ent.distribution_axis"),
        title=title,
        lang=ctx.lang,
    )
    return show_figure(fig, "enterprise-tfp-distribution", ctx, alt=title, source=_source(ctx))


# ----------------------------------------------------------------------------------------
# Growth over the phase and aggregate productivity
# ----------------------------------------------------------------------------------------


@needs_panel
def aggregate_block(ctx: ReportContext) -> HTML:
    """Aggregate TFP over time: the output-weighted mean, the plain mean and the covariance."""
    frame = olley_pakes_frame(ctx)
    title = ctx.t("ent.op.title")
    fig = charts.olley_pakes_chart(
        frame[~frame["suppressed"]],
        labels={
            "covariance": ctx.t("ent.op.covariance"),
            "aggregate": ctx.t("ent.op.aggregate"),
            "unweighted_mean": ctx.t("ent.op.mean"),
        },
        axis_label=ctx.t("ent.op.axis"),
        title=title,
        lang=ctx.lang,
    )
    figure = show_figure(fig, "enterprise-aggregate-tfp", ctx, alt=title, source=_source(ctx))
    published = disclosure.publish_table(
        frame, "year", ["aggregate", "unweighted_mean", "covariance", "n_firms"]
    )
    table = pd.DataFrame(
        {
            ctx.t("col.year"): published["year"].astype(int).astype(str),
            ctx.t("ent.op.aggregate"): published["aggregate"],
            ctx.t("ent.op.mean"): published["unweighted_mean"],
            ctx.t("ent.op.covariance"): published["covariance"],
            ctx.t("ent.col.enterprises"): published["n_firms"],
        }
    )
    formatters = _numbers(ctx, list(table.columns[1:4]), decimals=3)
    formatters.update(_numbers(ctx, [ctx.t("ent.col.enterprises")]))
    rendered = show_table(
        table,
        "enterprise-aggregate-tfp",
        ctx,
        caption=title,
        source=_source(ctx),
        formatters=formatters,
    )
    return _html(markup.paragraph(aggregate_reading(ctx)), figure, rendered, _footnote(ctx))


def aggregate_reading(ctx: ReportContext) -> str:
    """Read the Olley–Pakes terms off the numbers: how the mean and the covariance moved.

    A covariance that falls is read as falling (output moving less towards the more productive
    enterprises), one that rises as rising; the direction is never assumed.
    """
    frame = olley_pakes_frame(ctx)
    shown = frame[~frame["suppressed"]].sort_values("year")
    if len(shown) < 2:
        return ""
    first, last = shown.iloc[0], shown.iloc[-1]
    values = {
        "start": int(first["year"]),
        "end": int(last["year"]),
        "cov_start": i18n.format_number(first["covariance"], ctx.lang, 3),
        "cov_end": i18n.format_number(last["covariance"], ctx.lang, 3),
        "mean_start": i18n.format_number(first["unweighted_mean"], ctx.lang, 3),
        "mean_end": i18n.format_number(last["unweighted_mean"], ctx.lang, 3),
    }
    mean_moved = statistics.direction(first["unweighted_mean"], last["unweighted_mean"])
    cov_moved = statistics.direction(first["covariance"], last["covariance"])
    mean = ctx.t("ent.op.reading_mean_" + mean_moved, **values)
    covariance = ctx.t("ent.op.reading_cov_" + cov_moved, **values)
    return f"{mean} {covariance}"


@needs_panel
def growth_table(ctx: ReportContext) -> HTML:
    """Average yearly TFP growth over the phase, by sector and for all sectors."""
    years = phase_years(ctx)
    if years is None:
        return HTML(markup.notice(ctx.t("ent.no_phase_years")))
    frame = growth_frame(ctx)
    published = disclosure.publish_table(
        frame, "vsic_section", ["n_enterprises", "aggregate", "unweighted"]
    )
    table = pd.DataFrame(
        {
            ctx.t("ent.col.sector"): [sector_label(s, ctx) for s in published["vsic_section"]],
            ctx.t("ent.col.enterprises"): published["n_enterprises"],
            ctx.t("ent.growth.aggregate"): published["aggregate"],
            ctx.t("ent.growth.mean"): published["unweighted"],
        }
    )
    formatters = _numbers(ctx, [ctx.t("ent.col.enterprises")])
    formatters.update(
        _numbers(ctx, [ctx.t("ent.growth.aggregate"), ctx.t("ent.growth.mean")], percent=True)
    )
    base, end = years
    rendered = show_table(
        table,
        "enterprise-tfp-growth",
        ctx,
        caption=ctx.t("ent.growth.title", base=base, end=end),
        source=_source(ctx),
        formatters=formatters,
    )
    return _html(rendered, _footnote(ctx))


# ----------------------------------------------------------------------------------------
# Effect of support
# ----------------------------------------------------------------------------------------


def _event_figure(ctx: ReportContext, frame: pd.DataFrame) -> HTML:
    truth = estimates(ctx).truth
    title = ctx.t("ent.support.title")
    fig = charts.event_study_chart(
        frame,
        last_lag=LAGS,
        true_effect=truth["support_effect"] if truth else None,
        labels={
            "truth": ctx.t("ent.support.truth_line"),
            "estimate": ctx.t("ent.support.estimate_line"),
            "axis_x": ctx.t("ent.support.axis_x"),
            "axis_y": ctx.t("ent.support.axis_y"),
        },
        title=title,
        lang=ctx.lang,
    )
    return show_figure(fig, "enterprise-support-event-study", ctx, alt=title, source=_source(ctx))


def _event_table(ctx: ReportContext, frame: pd.DataFrame, effect: SupportEffect) -> HTML:
    # labelled as in the figure: "≥ 3" for the binned last lag
    labels = [charts.event_time_label(k, LAGS) for k in frame["event_time"].astype(int)]
    rows = frame.assign(label=labels)
    att = effect.att.iloc[0]
    overall = {
        "label": ctx.t("ent.support.overall"),
        "estimate": att["estimate"],
        "ci_lower": att["ci_lower"],
        "ci_upper": att["ci_upper"],
        "n_enterprises": int(att["n_enterprises"]),
        "reference": False,
        "suppressed": statistics.att_suppressed(effect),
    }
    rows = pd.concat([rows, pd.DataFrame([overall])], ignore_index=True)
    rows.loc[rows["reference"], ["ci_lower", "ci_upper"]] = np.nan
    published = disclosure.publish_table(
        rows, "label", ["estimate", "ci_lower", "ci_upper", "n_enterprises"]
    )
    table = pd.DataFrame(
        {
            ctx.t("ent.support.col_event"): published["label"],
            ctx.t("ent.support.col_estimate"): published["estimate"],
            ctx.t("ent.support.col_change"): as_change(published["estimate"]),
            ctx.t("ent.support.col_low"): published["ci_lower"],
            ctx.t("ent.support.col_high"): published["ci_upper"],
            ctx.t("ent.col.enterprises"): published["n_enterprises"],
        }
    )
    logs = [
        ctx.t("ent.support.col_estimate"),
        ctx.t("ent.support.col_low"),
        ctx.t("ent.support.col_high"),
    ]
    formatters = _numbers(ctx, logs, decimals=3)
    formatters.update(_signed_percents(ctx, [ctx.t("ent.support.col_change")]))
    formatters.update(_numbers(ctx, [ctx.t("ent.col.enterprises")]))
    return show_table(
        table,
        "enterprise-support-event-study",
        ctx,
        caption=ctx.t("ent.support.table_title", level=round((1 - effect.alpha) * 100)),
        source=_source(ctx),
        formatters=formatters,
    )


def support_reading(ctx: ReportContext) -> str:
    """Plain-language reading of the effect of support, generated from the numbers."""
    study = support_study(ctx)
    effect = study.effect
    if effect is None:
        return ctx.t("ent.support.not_estimated", problem=study.problem)
    if statistics.att_suppressed(effect):
        return ctx.t("ent.support.too_few")
    att = effect.att.iloc[0]
    low, high = float(att["ci_lower"]), float(att["ci_upper"])
    key = "positive" if low > 0 else "negative" if high < 0 else "unclear"
    change = float(np.expm1(att["estimate"]))
    values = {
        "effect": (
            i18n.format_signed_percent(change, ctx.lang)
            if key == "unclear"
            else i18n.format_percent(abs(change), ctx.lang)
        ),
        "low": i18n.format_signed_percent(float(np.expm1(low)), ctx.lang),
        "high": i18n.format_signed_percent(float(np.expm1(high)), ctx.lang),
        "level": round((1 - effect.alpha) * 100),
        "supported": i18n.format_number(effect.n_supported, ctx.lang),
        "control": i18n.format_number(effect.n_never_supported, ctx.lang),
    }
    truth = estimates(ctx).truth
    if truth:  # simulated data: the estimate checks the method, it is no programme result
        true_effect = float(truth["support_effect"])
        inside = low <= true_effect <= high
        values.update(
            truth=i18n.format_number(true_effect, ctx.lang, 2),
            percent=i18n.format_percent(float(np.expm1(true_effect)), ctx.lang),
            estimate=i18n.format_number(float(att["estimate"]), ctx.lang, 3),
            low_log=i18n.format_number(low, ctx.lang, 3),
            high_log=i18n.format_number(high, ctx.lang, 3),
        )
        key = "check_in" if inside else "check_out"
    sentences = [ctx.t("ent.support." + key, **values)]
    sentences.append(_pretrend_sentence(ctx, effect))
    left_out = effect.n_dropped_always_supported + study.n_single_untreated
    if left_out:
        sentences.append(ctx.t("ent.support.left_out", n=left_out))
    if study.n_register_not_in_panel:
        sentences.append(ctx.t("ent.support.not_in_panel", n=study.n_register_not_in_panel))
    return " ".join(sentences)


def _pretrend_sentence(ctx: ReportContext, effect: SupportEffect) -> str:
    leads, apart = statistics.leads_apart_from_zero(effect)
    if leads.empty:
        return ctx.t("ent.support.no_leads")
    if apart.empty:
        return ctx.t("ent.support.pretrend_ok", years=LEADS)
    years = ", ".join(str(int(k)).replace("-", "−") for k in apart["event_time"])
    return ctx.t("ent.support.pretrend_warn", years=years)


@needs_panel
def support_block(ctx: ReportContext) -> HTML:
    """Event study of log TFP around the first support year: chart, table and reading.

    Under it, everything the estimation warned about (nothing when it warned about nothing).
    """
    study = support_study(ctx)
    reading = markup.lead(support_reading(ctx))
    warned = _warnings_note(ctx, [describe_warning(m, ctx) for m in study.warnings])
    if study.effect is None or statistics.att_suppressed(study.effect):
        return _html(reading, warned)
    frame = statistics.event_frame(study.effect)
    figure = _event_figure(ctx, frame)
    table = _event_table(ctx, frame, study.effect)
    return _html(reading, figure, table, _footnote(ctx), warned)


# ----------------------------------------------------------------------------------------
# Pilot models
# ----------------------------------------------------------------------------------------


@needs_panel
def pilots_table(ctx: ReportContext) -> HTML:
    """Pilot-model enterprises against their sectors, before the phase and in the last year."""
    result = estimates(ctx)
    base = max(ctx.phase.start - 1, result.first_year)
    columns = {}
    for year in sorted({base, result.last_year}):
        frame = pilot_frame(ctx, year)
        if frame.empty:
            continue
        published = disclosure.publish_table(frame, "vsic_section", ["n_enterprises", "mean"])
        columns[year] = published.set_index("vsic_section")
    if not columns:
        return HTML(markup.notice(ctx.t("ent.pilots.none")))
    sections = sorted({s for c in columns.values() for s in c.index} - {disclosure.TOTAL_LABEL})
    index = [*sections, disclosure.TOTAL_LABEL]
    table = pd.DataFrame({ctx.t("ent.col.sector"): [sector_label(s, ctx) for s in index]})
    formatters: Formatters = {}
    for year, published in columns.items():
        values = published.reindex(index)
        count_label = ctx.t("ent.pilots.count", year=year, last=result.last_year)
        gap_label = ctx.t("ent.pilots.gap", year=year)
        table[count_label] = values["n_enterprises"].fillna(0).to_numpy()
        table[gap_label] = as_change(values["mean"]).fillna(i18n.MISSING).to_numpy()
        formatters.update(_numbers(ctx, [count_label]))
        formatters.update(_signed_percents(ctx, [gap_label]))
    rendered = show_table(
        table,
        "enterprise-pilot-models",
        ctx,
        caption=ctx.t("ent.pilots.title"),
        source=_source_and_registers(ctx),
        formatters=formatters,
    )
    return _html(rendered, _footnote(ctx))


# ----------------------------------------------------------------------------------------
# The province's TFP criteria score
# ----------------------------------------------------------------------------------------


def _criterion_value(value: float, unit: str, ctx: ReportContext) -> str:
    if unit == "share":
        return i18n.format_percent(value, ctx.lang)
    if unit == "growth_rate":
        return i18n.format_percent(value, ctx.lang) + ctx.t("ent.per_year")
    return i18n.format_number(value, ctx.lang)


@needs_panel
def criteria_block(ctx: ReportContext) -> HTML:
    """The province's score on each TFP criterion by year, with the rule behind each score."""
    card = province_scorecard(ctx)
    values = province_values(ctx)
    criteria = {c.code: c for c in load_criteria(criteria_path(ctx)).province}
    years = [int(y) for y in card.scores.index]
    name_column = f"name_{ctx.lang}"
    rows = []
    for rule in card.rules.itertuples(index=False):
        row = {ctx.t("ent.criteria.criterion"): getattr(rule, name_column)}
        row[ctx.t("ent.criteria.weight")] = i18n.format_percent(rule.weight, ctx.lang, 0)
        for year in years:
            row[str(year)] = card.scores.loc[year, rule.code]
        rows.append(row)
    total = {ctx.t("ent.criteria.criterion"): ctx.t("ent.criteria.total")}
    total[ctx.t("ent.criteria.weight")] = i18n.format_percent(1.0, ctx.lang, 0)
    total.update({str(year): card.scores.loc[year, "total"] for year in years})
    rows.append(total)
    scores = pd.DataFrame(rows)
    score_table = show_table(
        scores,
        "enterprise-criteria-scores",
        ctx,
        caption=ctx.t("ent.criteria.scores_title"),
        source=f"{ctx.t('ent.criteria.source')}; {_source(ctx)}",
        formatters=_numbers(ctx, [str(year) for year in years], decimals=1),
    )
    last = years[-1]
    rules = pd.DataFrame(
        {
            ctx.t("ent.criteria.criterion"): [
                getattr(criteria[code], name_column) for code in card.rules["code"]
            ],
            ctx.t("ent.criteria.value", year=last): [
                _criterion_value(values.loc[last, c.indicator], c.unit, ctx)
                for c in (criteria[code] for code in card.rules["code"])
            ],
            ctx.t("ent.criteria.score", year=last): [
                card.scores.loc[last, code] for code in card.rules["code"]
            ],
            ctx.t("ent.criteria.rule"): card.rules[f"rule_{ctx.lang}"],
            ctx.t("ent.criteria.basis"): card.rules[f"basis_{ctx.lang}"],
        }
    )
    rule_table = show_table(
        rules,
        "enterprise-criteria-rules",
        ctx,
        caption=ctx.t("ent.criteria.rules_title"),
        source=ctx.t("ent.criteria.source"),
        formatters=_numbers(ctx, [ctx.t("ent.criteria.score", year=last)], decimals=1),
    )
    note_text = ctx.t("ent.criteria.note")
    missing = [str(y) for y in years if pd.isna(card.scores.loc[y, "total"])]
    if missing:  # say why a year has no total rather than total it on fewer criteria
        note_text += " " + ctx.t("ent.criteria.no_total", years=", ".join(missing))
    return _html(score_table, rule_table, markup.source_note(note_text))


# ----------------------------------------------------------------------------------------
# Internal edition: enterprises by name
# ----------------------------------------------------------------------------------------


def internal_block(ctx: ReportContext) -> HTML:
    """Enterprises by tax code and name: internal edition only (empty in the public one)."""
    if ctx.edition != "internal" or load_panel(ctx) is None:
        return HTML("")
    frame = internal_frame(ctx)
    parts: list[object] = [
        markup.heading(3, ctx.t("ent.internal.title")),
        markup.notice(ctx.t("ent.internal.notice")),
    ]
    for group in ("top", "bottom", "pilot"):
        rows = frame[frame["group"] == group]
        table = pd.DataFrame(
            {
                ctx.t("ent.internal.tax_code"): rows[ENTERPRISE],
                ctx.t("ent.internal.name"): rows["name"],
                ctx.t("ent.col.sector"): [sector_label(s, ctx) for s in rows["sector"]],
                ctx.t("ent.internal.log_tfp"): rows["log_tfp"],
                ctx.t("ent.internal.relative"): as_change(rows["tfp_sector_year"]),
                ctx.t("ent.internal.score"): rows["score"],
            }
        )
        formatters = _numbers(ctx, [ctx.t("ent.internal.log_tfp")], decimals=3)
        formatters.update(_signed_percents(ctx, [ctx.t("ent.internal.relative")]))
        formatters.update(_numbers(ctx, [ctx.t("ent.internal.score")], decimals=1))
        parts.append(
            show_table(
                table,
                f"enterprise-internal-{group}",
                ctx,
                caption=ctx.t(
                    "ent.internal." + group, n=INTERNAL_TOP, year=estimates(ctx).last_year
                ),
                source=_source_and_registers(ctx),
                formatters=formatters,
            )
        )
    return _html(*parts)
