"""Blocks of the programme section (targets of the plan): charts and tables per target.

Each function takes the report context and returns HTML ready to display in a notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from IPython.display import HTML
from markupsafe import Markup

from helpers import i18n
from helpers.programme.cumulative import cumulative_progress
from helpers.programme.indicators import growth_band_table, indicator_column
from helpers.programme.plan import Target
from helpers.report import charts, markup
from helpers.report.blocks import (
    ITEM_KEYS,
    html_table,
    registers_source,
    rule_text,
    save_table,
    show_figure,
    show_table,
    status_badge,
    value_formatters,
)
from helpers.report.context import ReportContext


def phase_targets(ctx: ReportContext, kind: str) -> list[Target]:
    """Targets of ``kind`` in the report year's phase."""
    return [t for t in ctx.plan.targets if t.kind == kind and t.phase == ctx.phase.number]


def _heading(target: Target, ctx: ReportContext) -> Markup:
    """The item's name (no internal code) as a heading, its status and the rule behind it."""
    row = ctx.assessment.loc[target.code]
    return markup.item_heading(
        target.code.lower(),
        target.name(ctx.lang),
        status_badge(str(row["status"]), ctx.lang),
        rule_text(row, ctx),
    )


def growth_band_block(ctx: ReportContext, target: Target) -> HTML:
    """Enterprises supported per year, growth against the band, chart and table."""
    _, yearly = growth_band_table(target, ctx.plan, ctx.indicators, ctx.year)
    source = registers_source(ctx)
    fig = charts.enterprises_chart(
        yearly,
        low=target.band_low or 0,
        high=target.band_high or 0,
        title=ctx.t("chart.enterprises_title"),
        lang=ctx.lang,
    )
    figure = show_figure(
        fig,
        f"{target.code.lower()}-growth",
        ctx,
        alt=ctx.t("chart.enterprises_title"),
        source=source,
    )
    table = pd.DataFrame(
        {
            ctx.t("col.year"): yearly.index.astype(int),
            ctx.t("ind.enterprises_supported"): yearly["level"].astype(int),
            ctx.t("col.growth"): yearly["growth"],
            ctx.t("col.band"): [
                ctx.t("band." + b) if isinstance(b, str) else i18n.MISSING for b in yearly["band"]
            ],
        }
    )
    formatters: dict[str, Callable[[Any], str]] = {
        ctx.t("col.year"): str,
        ctx.t("ind.enterprises_supported"): lambda v: i18n.format_number(v, ctx.lang),
        ctx.t("col.growth"): lambda v: i18n.format_percent(v, ctx.lang),
    }
    rendered = show_table(
        table,
        f"{target.code.lower()}-yearly",
        ctx,
        caption=ctx.t("chart.enterprises_title"),
        source=source,
        formatters=formatters,
    )
    return HTML(_heading(target, ctx) + figure.data + rendered.data)


def cumulative_block(ctx: ReportContext, target: Target) -> HTML:
    """A cumulative count against its required path, target line and trend projection."""
    phase = ctx.plan.phase(target.phase)
    cumulative, required, projection = cumulative_progress(target, phase, ctx.indicators, ctx.year)
    fig = charts.cumulative_chart(
        cumulative,
        required,
        projection,
        target=float(target.target or 0),
        # the yearly indicator's name, said to be summed since the phase began
        title=ctx.t(
            "chart.cumulative_title",
            name=ctx.t("ind." + indicator_column(target.indicator)),
            start=phase.start,
        ),
        lang=ctx.lang,
    )
    figure = show_figure(
        fig,
        f"{target.code.lower()}-cumulative",
        ctx,
        alt=target.name(ctx.lang),
        source=registers_source(ctx),
    )
    return HTML(_heading(target, ctx) + figure.data)


def tasks_table(ctx: ReportContext) -> HTML:
    """Tasks of the report year's phase with their status and the evidence behind it."""
    rows = []
    for target in phase_targets(ctx, "task"):
        row = ctx.assessment.loc[target.code]
        rows.append(
            {
                ctx.t("col.item_task"): target.name(ctx.lang),
                ctx.t("col.status"): status_badge(str(row["status"]), ctx.lang),
                ctx.t("col.evidence"): rule_text(row, ctx),
            }
        )
    if not rows:
        return HTML("")
    frame = pd.DataFrame(rows)
    save_table(frame.drop(columns=[ctx.t("col.status")]), "tasks", ctx)
    return HTML(
        html_table(
            frame,
            caption=ctx.t("section.milestones"),
            source=ctx.t("chart.source", source=registers_source(ctx)),
            raw_html_columns=[ctx.t("col.status")],
            ref="tasks",
        )
    )


def yearly_indicator_table(ctx: ReportContext) -> HTML:
    """All yearly indicators computed from the registers, years in columns."""
    names = [
        "enterprises_supported",
        "support_actions",
        "enterprises_applying_tools",
        "new_pilot_models",
        "new_pilot_models_national",
        "experts_certified",
        "manager_training_turns",
        "manager_courses",
        "awareness_events",
        "awareness_participants",
    ]
    shown = ctx.indicators.loc[ctx.indicators.index <= max(ctx.year, ctx.phase.start), names]
    table = shown.T
    table.insert(0, ctx.t("col.value"), [ctx.t("ind." + n) for n in names])
    table.columns = [ctx.t("col.value")] + [str(int(y)) for y in shown.index]
    formatters = value_formatters(table.columns[1:], ctx.lang)
    return show_table(
        table.reset_index(drop=True),
        "indicators",
        ctx,
        caption=ctx.t("section.indicators"),
        source=registers_source(ctx),
        formatters=formatters,
    )


def tools_block(ctx: ReportContext) -> HTML:
    """Enterprises applying each tool or management system: chart of the year and table."""
    tools = ctx.tools
    years = [y for y in tools.columns if y <= ctx.year]
    if not years:
        return HTML("")
    year = max(years)
    fig = charts.tools_chart(
        tools, year, title=f"{ctx.t('chart.tools_title')} ({year})", lang=ctx.lang
    )
    figure = show_figure(
        fig, "tools", ctx, alt=ctx.t("chart.tools_title"), source=registers_source(ctx)
    )
    table = tools[years].reset_index()
    table.columns = [ctx.t("col.tool")] + [str(int(y)) for y in years]
    formatters = value_formatters(table.columns[1:], ctx.lang)
    rendered = show_table(
        table,
        "tools",
        ctx,
        caption=ctx.t("chart.tools_title"),
        source=registers_source(ctx),
        formatters=formatters,
    )
    return HTML(figure.data + rendered.data)


def cumulative_note(ctx: ReportContext) -> HTML:
    """How to read the cumulative charts; the projection is described only when it is drawn."""
    drawn = ctx.year < ctx.phase.end
    key = "programme.cumulative_note_projection" if drawn else "programme.cumulative_note"
    return HTML(markup.paragraph(ctx.t(key, end=ctx.phase.end)))


def plan_words_annex(ctx: ReportContext) -> HTML:
    """Every target and task of the plan quoted in the plan's own published words."""
    rows = []
    for target in ctx.plan.targets:
        if target.phase:
            phase = ctx.plan.phase(target.phase)
            when = f"{phase.start}–{phase.end}"
        else:
            when = ctx.t("phase.whole")
        rows.append(
            {
                ctx.t("col.phase"): when,
                ctx.t("col.kind"): ctx.t(ITEM_KEYS["target" if target.quantified else "task"]),
                ctx.t("col.plan_words"): f"“{target.source_text}”",
                ctx.t("col.target"): target.name(ctx.lang),
            }
        )
    info = ctx.plan.plan
    origin = info.source_text_origin_vi if ctx.lang == "vi" else info.source_text_origin_en
    source = f"{info.document_vi if ctx.lang == 'vi' else info.document_en}"
    if origin:
        source += f"; {origin}"
    return show_table(
        pd.DataFrame(rows),
        "plan-words",
        ctx,
        caption=ctx.t("annex.plan_words_title"),
        source=source,
    )
