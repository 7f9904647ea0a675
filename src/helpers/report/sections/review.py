"""Blocks of the phase review: final status, lessons, and the next phase's baseline.

Lessons are drawn from the numbers; the baseline comes with the next phase's required paths.

Each function takes the report context and returns HTML ready to display in a notebook.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML

from helpers import i18n
from helpers.programme import phase_review, progress
from helpers.programme.indicators import growth_band_table, indicator_series
from helpers.programme.plan import Phase
from helpers.report import charts, markup
from helpers.report.blocks import (
    registers_source,
    rule_text,
    show_figure,
    show_table,
    value_formatters,
)
from helpers.report.context import ReportContext


def reviewed_phase(ctx: ReportContext) -> Phase:
    """The phase under review: the one that ends in or before the report year, latest first."""
    return phase_review.reviewed_phase(ctx.plan, ctx.year, ctx.phase)


def next_phase(ctx: ReportContext) -> Phase | None:
    """The phase after the one under review, if the plan has one."""
    return phase_review.next_phase(ctx.plan, reviewed_phase(ctx))


def final_status_table(ctx: ReportContext) -> HTML:
    """Every target of the reviewed phase with its final status and the evidence behind it."""
    phase = reviewed_phase(ctx)
    rows = []
    for target in ctx.plan.targets:
        if target.phase not in (phase.number, 0):
            continue
        row = ctx.assessment.loc[target.code]
        rows.append(
            {
                ctx.t("col.target"): target.name(ctx.lang),
                ctx.t("col.status"): ctx.t("status." + str(row["status"])),
                ctx.t("col.rule"): rule_text(row, ctx),
            }
        )
    caption = ctx.t("review.final_title", start=phase.start, end=phase.end)
    return show_table(
        pd.DataFrame(rows),
        "phase-final-status",
        ctx,
        caption=caption,
        source=f"{ctx.plan_source}; {registers_source(ctx)}",
    )


def lessons(ctx: ReportContext) -> HTML:
    """Lessons read off the numbers: what was met with what margin, what fell short by how much."""
    phase = reviewed_phase(ctx)
    items = []
    for target in ctx.plan.targets:
        if target.phase != phase.number:
            continue
        row = ctx.assessment.loc[target.code]
        status = str(row["status"])
        if target.kind == "cumulative_count" and pd.notna(row.get("actual")):
            met = status in (progress.MET, progress.EXCEEDED)
            key = "review.lesson_met" if met else "review.lesson_short"
            items.append(
                ctx.t(
                    key,
                    name=target.name(ctx.lang),
                    actual=i18n.format_number(row["actual"], ctx.lang),
                    target=i18n.format_number(target.target, ctx.lang),
                    share=i18n.format_percent(
                        phase_review.share_of_target(row["actual"], target.target), ctx.lang, 0
                    ),
                )
            )
        elif target.kind == "growth_band" and pd.notna(row.get("actual")):
            _, yearly = growth_band_table(target, ctx.plan, ctx.indicators, ctx.year)
            below = [str(int(y)) for y, b in yearly["band"].items() if b == progress.BELOW_BAND]
            items.append(
                ctx.t(
                    "review.lesson_band",
                    name=target.name(ctx.lang),
                    met=i18n.format_number(row["years_met"], ctx.lang),
                    assessed=i18n.format_number(row["years_assessed"], ctx.lang),
                    cagr=i18n.format_percent(row["actual"], ctx.lang),
                    below=", ".join(below) if below else i18n.MISSING,
                )
            )
        elif target.kind == "task":
            key = (
                "review.lesson_milestone_done"
                if status == progress.DONE
                else ("review.lesson_milestone_open")
            )
            label = ctx.t("status." + status).lower()
            items.append(ctx.t(key, name=target.name(ctx.lang), status=label))
    return HTML(markup.bullets(items, "lessons"))


def baseline_table(ctx: ReportContext) -> HTML:
    """The next phase's targets: baseline (last year of the reviewed phase) and required path."""
    phase, upcoming = reviewed_phase(ctx), next_phase(ctx)
    if upcoming is None:
        return HTML("")
    years = list(range(upcoming.start, upcoming.end + 1))
    rows = []
    for target in ctx.plan.targets:
        if target.phase != upcoming.number:
            continue
        name = target.name(ctx.lang)
        if target.kind == "growth_band":
            base = phase_review.baseline_value(ctx.indicators, target.indicator, phase.end)
            if base is None:
                continue
            for label, rate in (
                (ctx.t("review.path_low"), target.band_low),
                (ctx.t("review.path_high"), target.band_high),
            ):
                row = {ctx.t("col.target"): f"{name} — {label}", str(phase.end): base}
                path = phase_review.band_path(base, float(rate or 0), phase.end, years)
                row.update({str(y): v for y, v in zip(years, path, strict=True)})
                rows.append(row)
        elif target.kind == "cumulative_count":
            path = progress.required_linear_path(
                float(target.target or 0), upcoming.start, upcoming.end
            )
            row = {
                ctx.t("col.target"): f"{name} — {ctx.t('chart.required_path')}",
                str(phase.end): 0.0,
            }
            row.update({str(y): float(path.loc[y]) for y in years})
            rows.append(row)
    table = pd.DataFrame(rows)
    formatters = value_formatters(table.columns[1:], ctx.lang)
    caption = ctx.t("review.baseline_title", start=upcoming.start, end=upcoming.end, base=phase.end)
    return show_table(
        table,
        "next-phase-paths",
        ctx,
        caption=caption,
        source=f"{ctx.plan_source}; {registers_source(ctx)}",
        formatters=formatters,
    )


def baseline_chart(ctx: ReportContext) -> HTML:
    """Enterprises supported: the reviewed phase, then the next phase's growth band paths."""
    phase, upcoming = reviewed_phase(ctx), next_phase(ctx)
    target = next(
        (
            t
            for t in ctx.plan.targets
            if upcoming and t.phase == upcoming.number and t.kind == "growth_band"
        ),
        None,
    )
    if upcoming is None or target is None:
        return HTML("")
    levels = indicator_series(ctx.indicators, target.indicator).dropna()
    base = float(levels.loc[phase.end]) if phase.end in levels.index else None
    if base is None:
        return HTML("")
    years = list(range(phase.end, upcoming.end + 1))
    charts.use_house_style()
    fig, ax = plt.subplots(figsize=charts.FIGSIZE)
    known = levels[levels.index >= phase.start]
    ax.plot(
        known.index,
        known.values,
        marker="o",
        lw=2,
        color=charts.PALETTE["actual"],
        label=ctx.t("ind.enterprises_supported"),
    )
    low = phase_review.band_path(base, target.band_low or 0, phase.end, years)
    high = phase_review.band_path(base, target.band_high or 0, phase.end, years)
    ax.fill_between(years, low, high, color=charts.PALETTE["band"], label=ctx.t("chart.band"))
    ax.axvline(phase.end + 0.5, color=charts.PALETTE["muted"], lw=0.8, ls=":")
    charts.number_axis(ax, ctx.lang)
    ax.set_title(ctx.t("review.baseline_chart", base=phase.end))
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return show_figure(
        fig,
        "next-phase-enterprises",
        ctx,
        alt=ctx.t("review.baseline_chart", base=phase.end),
        source=registers_source(ctx),
    )
