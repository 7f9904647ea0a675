"""Blocks of the province TFP section: decomposition, share, sensitivity, assumptions.

The TFP share is shown against the national targets and the province's published figures.

Each function takes the report context and returns HTML ready to display in a notebook.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from IPython.display import HTML

from helpers import charts, i18n
from helpers.context import ReportContext
from helpers.growth_accounting import period_aggregate
from helpers.present import escape, show_figure, show_table, value_formatters
from helpers.province import (
    DEFAULT_ALPHA,
    DEFAULT_DELTA,
    accounts_long,
    load_published_figures,
    province_sensitivity,
    province_tfp,
)

FIRST_SHOWN_YEAR = 2011
#: Periods shown in the phase table: the five years before the plan and its two phases.
PERIODS = ((2016, 2020), (2021, 2025), (2026, 2030))


@dataclass
class ProvinceEstimate:
    """The default estimate and what it rests on."""

    yearly: pd.DataFrame
    last_year: int
    phase_share: float | None


def _sensitivity(ctx: ReportContext, start: int, end: int) -> pd.DataFrame:
    return ctx.cached(
        ("sensitivity", start, end),
        lambda: province_sensitivity(ctx.accounts, start=start, end=end),
        persist=True,
        label=f"sensitivity {start}-{end}",
    )


def estimate(ctx: ReportContext) -> ProvinceEstimate:
    """The default decomposition (GSO formula, α and δ defaults) up to the report year."""
    yearly = province_tfp(ctx.accounts, alpha=DEFAULT_ALPHA, delta=DEFAULT_DELTA)
    yearly = yearly[yearly.index <= ctx.year]
    phase = ctx.phase
    share = None
    if yearly.index.max() >= phase.start:
        share = float(
            period_aggregate(yearly, phase.start, min(ctx.year, phase.end), require_complete=False)[
                "tfp_share"
            ]
        )
    return ProvinceEstimate(yearly, int(yearly.index.max()), share)


def needs_accounts(block: Callable[[ReportContext], HTML]) -> Callable[[ReportContext], HTML]:
    """Show a plain "no data" line instead of a block when the data have no province accounts."""

    @functools.wraps(block)
    def guarded(ctx: ReportContext) -> HTML:
        if ctx.accounts is None:
            return HTML(f'<p class="notice">{escape(ctx.t("prov.no_phase_data"))}</p>')
        return block(ctx)

    return guarded


def _source(ctx: ReportContext) -> str:
    return ctx.t("source.province_accounts")


@needs_accounts
def decomposition_block(ctx: ReportContext) -> HTML:
    """Stacked contributions of capital, labour and TFP to GRDP growth, per year."""
    yearly = estimate(ctx).yearly
    yearly = yearly[yearly.index >= FIRST_SHOWN_YEAR]
    charts.use_house_style()
    fig, ax = plt.subplots(figsize=charts.FIGSIZE)
    parts = [
        ("contrib_capital", "#8c6d31", "prov.capital"),
        ("contrib_labour", "#7a7a7a", "prov.labour"),
        ("growth_tfp", charts.PALETTE["actual"], "prov.tfp"),
    ]
    positive = np.zeros(len(yearly))
    negative = np.zeros(len(yearly))
    for column, colour, key in parts:
        values = yearly[column].to_numpy()
        bottom = np.where(values >= 0, positive, negative)
        ax.bar(yearly.index, values, bottom=bottom, color=colour, label=ctx.t(key), width=0.7)
        positive += np.clip(values, 0, None)
        negative += np.clip(values, None, 0)
    ax.plot(
        yearly.index,
        yearly["growth_output"],
        "o",
        color="black",
        ms=4,
        label=ctx.t("prov.output_growth"),
    )
    ax.axhline(0, color="black", lw=0.6)
    charts.percent_axis(ax, ctx.lang)
    ax.set_title(ctx.t("prov.decomposition_title"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False, fontsize=8, ncol=4)
    figure = show_figure(
        fig,
        "province-decomposition",
        ctx,
        alt=ctx.t("prov.decomposition_title"),
        source=_source(ctx),
    )
    table = pd.DataFrame(
        {
            ctx.t("col.year"): yearly.index.astype(int),
            ctx.t("prov.output_growth"): yearly["growth_output"],
            ctx.t("prov.capital"): yearly["contrib_capital"],
            ctx.t("prov.labour"): yearly["contrib_labour"],
            ctx.t("prov.tfp"): yearly["growth_tfp"],
            ctx.t("prov.tfp_share"): yearly["tfp_share"],
        }
    )
    pct = value_formatters(table.columns[1:], ctx.lang, percent=True)
    pct[ctx.t("col.year")] = str
    rendered = show_table(
        table,
        "province-decomposition",
        ctx,
        caption=ctx.t("prov.decomposition_title"),
        source=_source(ctx),
        formatters=pct,
    )
    return HTML(figure.data + rendered.data)


@needs_accounts
def periods_table(ctx: ReportContext) -> HTML:
    """Period averages from summed contributions (never averages of yearly shares)."""
    yearly = estimate(ctx).yearly
    rows = []
    for start, end in PERIODS:
        if yearly.index.max() < start:
            continue
        agg = period_aggregate(
            yearly, start, min(end, int(yearly.index.max())), require_complete=False
        )
        rows.append(
            {
                ctx.t("col.phase"): f"{start}–{int(agg['last_year'])}",
                ctx.t("prov.output_growth"): agg["growth_output"],
                ctx.t("prov.capital"): agg["contrib_capital"],
                ctx.t("prov.labour"): agg["contrib_labour"],
                ctx.t("prov.tfp"): agg["growth_tfp"],
                ctx.t("prov.tfp_share"): agg["tfp_share"],
            }
        )
    table = pd.DataFrame(rows)
    pct = value_formatters(table.columns[1:], ctx.lang, percent=True)
    return show_table(
        table,
        "province-periods",
        ctx,
        caption=ctx.t("prov.periods_title"),
        source=_source(ctx),
        formatters=pct,
    )


def _published(ctx: ReportContext) -> pd.DataFrame:
    path = ctx.data_dir / "published_figures.csv"
    return load_published_figures(path) if path.is_file() else pd.DataFrame()


@needs_accounts
def share_block(ctx: ReportContext) -> HTML:
    """TFP share per year against the national targets and the province's published shares."""
    result = estimate(ctx)
    yearly = result.yearly[result.yearly.index >= 2016]
    published = _published(ctx)
    charts.use_house_style()
    fig, ax = plt.subplots(figsize=charts.FIGSIZE)
    ax.plot(
        yearly.index,
        yearly["tfp_share"],
        marker="o",
        color=charts.PALETTE["actual"],
        lw=2,
        label=ctx.t("prov.our_estimate"),
    )
    targets = [
        (2025, 0.45, "45 % (QĐ 36)"),
        (2030, 0.50, "50 % (QĐ 36)"),
        (2030, 0.55, "55 % (NQ 57)"),
    ]
    for _year, value, label in targets:
        ax.axhline(value, color=charts.PALETTE["target"], lw=0.8, ls="--")
        ax.annotate(
            label,
            (yearly.index.min(), value),
            textcoords="offset points",
            xytext=(2, 2),
            fontsize=7,
            color=charts.PALETTE["target"],
        )
    if not published.empty:
        own = published[
            (published["kind"] == "outcome")
            & (published["indicator"] == "tfp_share_of_growth")
            & (published["area"] == ctx.plan.plan.province)
            & (published["start_year"] == published["end_year"])
        ]
        for row in own.itertuples():
            marker = "^" if row.qualifier == "above" else "s"
            ax.plot(
                row.start_year,
                row.value / 100,
                marker=marker,
                color=charts.PALETTE["required"],
                ms=7,
                ls="none",
            )
        ax.plot([], [], "s", color=charts.PALETTE["required"], label=ctx.t("prov.published"))
    charts.percent_axis(ax, ctx.lang)
    ax.set_ylim(0, max(1.0, float(yearly["tfp_share"].max()) * 1.1))
    ax.set_title(ctx.t("prov.share_title"))
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    return show_figure(
        fig,
        "province-tfp-share",
        ctx,
        alt=ctx.t("prov.share_title"),
        source=f"{_source(ctx)}; {ctx.t('source.published')}",
    )


@needs_accounts
def comparison_table(ctx: ReportContext) -> HTML:
    """Our estimate next to the province's published share for the same years."""
    result = estimate(ctx)
    published = _published(ctx)
    rows = []
    if not published.empty:
        own = published[
            (published["indicator"] == "tfp_share_of_growth")
            & (published["area"] == ctx.plan.plan.province)
            & (published["kind"] == "outcome")
        ]
        for row in own.itertuples():
            if row.start_year != row.end_year or row.start_year not in result.yearly.index:
                continue
            ours = float(result.yearly.loc[row.start_year, "tfp_share"])
            value = row.value / 100
            shown = i18n.format_percent(value, ctx.lang, 2)
            if row.qualifier == "above":
                shown = ctx.t("prov.above", value=shown)
            rows.append(
                {
                    ctx.t("col.year"): str(row.start_year),
                    ctx.t("prov.published"): shown,
                    ctx.t("prov.our_estimate"): i18n.format_percent(ours, ctx.lang, 1),
                    ctx.t("prov.difference"): i18n.format_number((ours - value) * 100, ctx.lang, 1)
                    + (" đ.p." if ctx.lang == "vi" else " pp"),
                    ctx.t("col.source"): row.source_url,
                }
            )
    if not rows:
        return HTML(f'<p class="notice">{escape(ctx.t("prov.no_published"))}</p>')
    table = pd.DataFrame(rows)
    return show_table(
        table,
        "province-published-comparison",
        ctx,
        caption=ctx.t("prov.comparison_title"),
        source=ctx.t("source.published"),
    )


@needs_accounts
def sensitivity_block(ctx: ReportContext) -> HTML:
    """Heat map of the phase's TFP share over α and δ, and the range over employment variants."""
    phase = ctx.phase
    end = min(ctx.year, phase.end, int(ctx.accounts["year"].max()))
    start = phase.start if end >= phase.start else 2016
    if end < start:
        return HTML("")
    grid = _sensitivity(ctx, start, end)
    base = grid[grid["labour_input"] == "data"]
    heat = base.pivot(index="delta", columns="alpha", values="tfp_share")
    charts.use_house_style()
    fig, ax = plt.subplots(figsize=(charts.FIGSIZE[0], 3.2))
    labels = heat.map(lambda v: i18n.format_percent(v, ctx.lang, 0))
    sns.heatmap(
        heat,
        annot=labels,
        fmt="",
        cmap="Blues",
        cbar=False,
        ax=ax,
        linewidths=0.5,
        annot_kws={"fontsize": 8},
    )
    ax.set_xlabel(ctx.t("prov.alpha"))
    ax.set_ylabel(ctx.t("prov.delta"))
    ax.set_xticklabels([i18n.format_number(a, ctx.lang, 2) for a in heat.columns])
    ax.set_yticklabels([i18n.format_number(d, ctx.lang, 2) for d in heat.index], rotation=0)
    title = ctx.t("prov.sensitivity_title", start=start, end=end)
    ax.set_title(title)
    figure = show_figure(fig, "province-sensitivity", ctx, alt=title, source=_source(ctx))
    ranges = grid.groupby("labour_input")["tfp_share"].agg(["min", "max"]).reset_index()
    table = pd.DataFrame(
        {
            ctx.t("prov.employment_variant"): [
                ctx.t("prov.employment_data")
                if v == "data"
                else v.replace("%/yr", ctx.t("prov.per_year"))
                for v in ranges["labour_input"]
            ],
            ctx.t("prov.share_min"): ranges["min"],
            ctx.t("prov.share_max"): ranges["max"],
        }
    )
    pct = value_formatters(table.columns[1:], ctx.lang, percent=True)
    rendered = show_table(
        table,
        "province-sensitivity-employment",
        ctx,
        caption=ctx.t("prov.employment_title"),
        source=_source(ctx),
        formatters=pct,
    )
    return HTML(figure.data + rendered.data)


@needs_accounts
def headline(ctx: ReportContext) -> HTML:
    """One paragraph: the phase's TFP share to date, its range, and the published figures."""
    result = estimate(ctx)
    if result.phase_share is None:
        return HTML(f'<p class="lead">{escape(ctx.t("prov.no_phase_data"))}</p>')
    phase = ctx.phase
    end = min(ctx.year, phase.end, result.last_year)
    grid = _sensitivity(ctx, phase.start, end)
    text = ctx.t(
        "prov.headline",
        start=phase.start,
        end=end,
        share=i18n.format_percent(result.phase_share, ctx.lang),
        low=i18n.format_percent(grid["tfp_share"].min(), ctx.lang),
        high=i18n.format_percent(grid["tfp_share"].max(), ctx.lang),
        alpha=i18n.format_number(DEFAULT_ALPHA, ctx.lang, 2),
        delta=i18n.format_number(DEFAULT_DELTA, ctx.lang, 2),
    )
    return HTML(f'<p class="lead">{escape(text)}</p>')


@needs_accounts
def assumptions_table(ctx: ReportContext) -> HTML:
    """Values of the accounts used since 2015 that are assumed or derived, with their source."""
    long = accounts_long(ctx.accounts)
    shown = long[
        (long["year"] >= 2015)
        & (long["year"] <= ctx.year)
        & long["status"].isin(["assumed", "derived"])
    ]
    summary = (
        shown.groupby(["variable", "status"])
        .agg(first=("year", "min"), last=("year", "max"), source=("source", "first"))
        .reset_index()
    )
    table = pd.DataFrame(
        {
            ctx.t("prov.variable"): [ctx.t("var." + v) for v in summary["variable"]],
            ctx.t("col.status_data"): [ctx.t("datastatus." + v) for v in summary["status"]],
            ctx.t("col.year"): [
                f"{a}–{b}" if a != b else str(a)
                for a, b in zip(summary["first"], summary["last"], strict=True)
            ],
            ctx.t("col.source"): summary["source"],
        }
    )
    return show_table(
        table,
        "province-assumptions",
        ctx,
        caption=ctx.t("prov.assumptions_title"),
        source=_source(ctx),
    )
