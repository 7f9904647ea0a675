"""Blocks of the province TFP section.

The section leads with the province's published TFP shares and the objective's status, which
they alone decide (:mod:`helpers.programme.tfp_objective`). The project's decomposition
follows as "why the share is what it is, and how sure we can be": the estimate with its
sensitivity range, the capital stock and every value it rests on, a tornado chart of the
assumptions, and the reconciliation with the published shares.

Labels keep annual shares (one year's TFP growth over that year's GRDP growth) apart from
period shares (summed contributions over summed growth). A published bound ("trên 50 %") is
compared as a bound, without a computed gap.

Each function takes the report context and returns HTML ready to display in a notebook.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import HTML
from markupsafe import Markup
from matplotlib.ticker import FuncFormatter

from helpers import i18n
from helpers.inputs.province_accounts import load_published_figures
from helpers.programme import tfp_objective
from helpers.programme.plan import Reference
from helpers.report import charts, markup
from helpers.report.blocks import show_figure, show_table, status_badge, value_formatters
from helpers.report.context import ReportContext
from helpers.tfp.province_capital import (
    DEFAULT_CAPITAL_OUTPUT,
    PLAUSIBLE_CAPITAL_OUTPUT,
    PLAUSIBLE_INVESTMENT_RATE,
)
from helpers.tfp.province_summary import (
    FIRST_DECOMPOSITION_YEAR,
    ProvinceEstimate,
    analysis_periods,
    assumption_facts,
    baseline_start,
    default_estimate,
    estimate_vs_published,
    period_table,
    phase_window,
)
from helpers.tfp.province_tfp import (
    DEFAULT_ALPHA,
    DEFAULT_DELTA,
    EMPLOYMENT_DATA,
    province_inputs,
    province_reconciliation,
    province_sensitivity,
    province_tornado,
)

__all__ = ["ProvinceEstimate"]  # the estimate's type, re-exported for the notebooks' readers


def periods(ctx: ReportContext) -> list[tuple[int, int]]:
    """Periods of the phase table: the years before the plan and each phase of the plan file."""
    return analysis_periods([(p.start, p.end) for p in ctx.plan.phases])


def _baseline_start(ctx: ReportContext) -> int:
    """First year of the period before the plan (the plan file's first phase decides it)."""
    return baseline_start(min(p.start for p in ctx.plan.phases))


def _sensitivity(ctx: ReportContext, start: int, end: int) -> pd.DataFrame:
    return ctx.cached(
        ("sensitivity", start, end),
        lambda: province_sensitivity(ctx.accounts, start=start, end=end),
        persist=True,
        label=f"sensitivity {start}-{end}",
        inputs=("province_accounts",),  # the accounts alone: registers and panel do not enter
    )


def phase_sensitivity(ctx: ReportContext) -> pd.DataFrame:
    """The sensitivity grid over the phase's window up to the report year (cached)."""
    return _sensitivity(ctx, *_phase_window(ctx))


def estimate(ctx: ReportContext) -> ProvinceEstimate:
    """The default decomposition (GSO formula, α and δ defaults) up to the report year."""
    return default_estimate(ctx.accounts, ctx.year, ctx.phase.start, ctx.phase.end)


def needs_accounts(block: Callable[[ReportContext], HTML]) -> Callable[[ReportContext], HTML]:
    """Show a plain "no data" line instead of a block when the data have no province accounts."""

    @functools.wraps(block)
    def guarded(ctx: ReportContext) -> HTML:
        if ctx.accounts is None:
            return HTML(markup.notice(ctx.t("prov.no_phase_data")))
        return block(ctx)

    return guarded


def _source(ctx: ReportContext) -> str:
    return ctx.t("source.province_accounts")


def _source_and_published(ctx: ReportContext) -> str:
    """The source line of a block that sets the accounts beside the published shares."""
    return f"{_source(ctx)}; {ctx.t('source.published')}"


def _contribution_columns(ctx: ReportContext, frame: pd.DataFrame) -> dict[str, pd.Series]:
    """GRDP growth and the contributions of capital, labour and TFP, under their labels."""
    return {
        ctx.t("prov.output_growth"): frame["growth_output"],
        ctx.t("prov.capital"): frame["contrib_capital"],
        ctx.t("prov.labour"): frame["contrib_labour"],
        ctx.t("prov.tfp"): frame["growth_tfp"],
    }


@needs_accounts
def decomposition_block(ctx: ReportContext) -> HTML:
    """Stacked contributions of capital, labour and TFP to GRDP growth, per year."""
    yearly = estimate(ctx).yearly
    yearly = yearly[yearly.index >= FIRST_DECOMPOSITION_YEAR]
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
    ax.set_title(ctx.t("tfp.decomposition_title"))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), frameon=False, fontsize=8, ncol=4)
    figure = show_figure(
        fig,
        "province-decomposition",
        ctx,
        alt=ctx.t("tfp.decomposition_title"),
        source=_source(ctx),
    )
    table = pd.DataFrame(
        {
            ctx.t("col.year"): yearly.index.astype(int),
            **_contribution_columns(ctx, yearly),
            ctx.t("tfp.estimate_annual"): yearly["tfp_share"],
        }
    )
    pct = value_formatters(table.columns[1:], ctx.lang, percent=True)
    pct[ctx.t("col.year")] = str
    rendered = show_table(
        table,
        "province-decomposition",
        ctx,
        caption=ctx.t("tfp.decomposition_title"),
        source=_source(ctx),
        formatters=pct,
    )
    return HTML(figure.data + rendered.data)


@needs_accounts
def periods_table(ctx: ReportContext) -> HTML:
    """Period averages from summed contributions (never averages of yearly shares)."""
    frame = period_table(estimate(ctx).yearly, periods(ctx))
    table = pd.DataFrame(
        {
            ctx.t("col.phase"): [
                i18n.format_years(start, last)
                for start, last in zip(frame["start"], frame["last_year"], strict=True)
            ],
            **_contribution_columns(ctx, frame),
            ctx.t("tfp.estimate_period"): frame["tfp_share"],
        }
    )
    pct = value_formatters(table.columns[1:], ctx.lang, percent=True)
    return show_table(
        table,
        "province-periods",
        ctx,
        caption=ctx.t("tfp.periods_title"),
        source=_source(ctx),
        formatters=pct,
    )


def _published(ctx: ReportContext) -> pd.DataFrame:
    path = ctx.data_dir / "published_figures.csv"
    return load_published_figures(path) if path.is_file() else pd.DataFrame()


def _shares(ctx: ReportContext) -> list[tfp_objective.PublishedShare]:
    return tfp_objective.published_shares(_published(ctx), ctx.plan.plan.province)


def references(ctx: ReportContext) -> list[Reference]:
    """The reference levels of the plan's TFP objective, from the plan file (never a status)."""
    return [ref for t in ctx.plan.targets if t.kind == "trend" for ref in t.references]


def _source_cell(url: object, date: object, ctx: ReportContext) -> str:
    return tfp_objective.source_text(url, date, ctx.lang) or i18n.MISSING


def published_block(ctx: ReportContext) -> HTML:
    """The objective's status from the published shares, the shares, and the references."""
    codes = [t.code for t in ctx.plan.targets if t.kind == "trend"]  # the TFP objective
    status = Markup()
    if codes and codes[0] in ctx.assessment.index:
        row = ctx.assessment.loc[codes[0]]
        status = markup.status_lead(
            ctx.t("tfp.status_lead"),
            status_badge(str(row["status"]), ctx.lang),
            tfp_objective.rule_text(row, ctx.lang),
        )
    shares = [s for s in _shares(ctx) if s.year <= ctx.year]
    if not shares:
        return HTML(status + markup.notice(ctx.t("prov.no_published")))
    table = pd.DataFrame(
        {
            ctx.t("col.year"): [str(s.year) for s in shares],
            ctx.t("tfp.col_kind"): [ctx.t("tfp.kind_annual")] * len(shares),
            ctx.t("tfp.col_published"): [
                tfp_objective.share_text(s.value, s.qualifier, ctx.lang) for s in shares
            ],
            ctx.t("col.source"): [_source_cell(s.source_url, s.source_date, ctx) for s in shares],
        }
    )
    published = show_table(
        table,
        "province-published-shares",
        ctx,
        caption=ctx.t("tfp.published_title"),
        source=ctx.t("source.published"),
    )
    rows = []
    for ref in references(ctx):
        own = ref.area == "province"
        period = i18n.format_years(ref.first_year if own else ref.year, ref.year)
        rows.append(
            {
                ctx.t("tfp.col_reference"): ctx.t(
                    "tfp.ref_province" if own else "tfp.ref_national"
                ),
                ctx.t("tfp.col_year_or_period"): period,
                ctx.t("tfp.col_value"): tfp_objective.share_text(
                    ref.value, ref.qualifier, ctx.lang
                ),
                ctx.t("col.source"): _source_cell(ref.source_url, ref.source_date, ctx),
            }
        )
    refs = (
        show_table(
            pd.DataFrame(rows),
            "province-tfp-references",
            ctx,
            caption=ctx.t("tfp.references_title"),
            source=ctx.t("source.published"),
        ).data
        if rows
        else ""
    )
    return HTML(status + published.data + refs)


@needs_accounts
def share_block(ctx: ReportContext) -> HTML:
    """Annual TFP shares: the published ones, and the estimate's, with the references."""
    result = estimate(ctx)
    yearly = result.yearly[result.yearly.index >= _baseline_start(ctx)]
    charts.use_house_style()
    fig, ax = plt.subplots(figsize=charts.FIGSIZE)
    ax.plot(
        yearly.index,
        yearly["tfp_share"],
        marker="o",
        color=charts.PALETTE["actual"],
        lw=1.5,
        label=ctx.t("tfp.estimate_annual"),
    )
    levels = references(ctx)
    if levels:
        last = int(yearly.index.max())
        labels: dict[float, list[str]] = {}
        right_ends: dict[float, float] = {}
        for ref in levels:
            # each reference only over the years it is for (a year, or a period after the data)
            value, start, end = ref.value, ref.first_year, ref.year
            period = i18n.format_years(start, end)
            ax.hlines(
                value, start - 0.4, end + 0.4, color=charts.PALETTE["target"], lw=1.2, ls="--"
            )
            labels.setdefault(value, []).append(
                f"{tfp_objective.share_text(value, ref.qualifier, ctx.lang)} ({period})"
            )
            right_ends[value] = max(right_ends.get(value, end + 0.4), end + 0.4)
            last = max(last, end)
        data_end = int(yearly.index.max()) + 0.4
        for value, texts in labels.items():
            # one label per level: after its line when the line ends within the data's years
            # (the space to the right is free), else ending where its line ends
            inside = right_ends[value] <= data_end
            ax.annotate(
                f"{ctx.t('tfp.reference_short')}: {'; '.join(texts)}",
                (right_ends[value], value),
                textcoords="offset points",
                xytext=(3, -3) if inside else (0, 3),
                ha="left" if inside else "right",
                va="center" if inside else "baseline",
                fontsize=7,
                color=charts.PALETTE["target"],
            )
        ax.set_xlim(int(yearly.index.min()) - 0.6, last + 0.6)
    for share in _shares(ctx):
        marker = "^" if share.qualifier in ("above", "at_least") else "s"
        ax.plot(
            share.year,
            share.value,
            marker=marker,
            color=charts.PALETTE["required"],
            ms=8,
            ls="none",
        )
    ax.plot([], [], "s", color=charts.PALETTE["required"], label=ctx.t("tfp.published_annual"))
    ax.plot([], [], "^", color=charts.PALETTE["required"], label=ctx.t("tfp.published_bound"))
    charts.percent_axis(ax, ctx.lang)
    ax.set_ylim(0, 1.0)
    ax.set_title(ctx.t("tfp.share_title"))
    ax.legend(loc="lower left", frameon=False, fontsize=8)
    return show_figure(
        fig,
        "province-tfp-share",
        ctx,
        alt=ctx.t("tfp.share_title"),
        source=_source_and_published(ctx),
    )


@needs_accounts
def comparison_table(ctx: ReportContext) -> HTML:
    """The estimate's annual share next to the published annual share of the same year.

    A published point gets a gap in percentage points; a published bound ("trên 50 %") only
    says whether the estimate lies inside or outside the bound.
    """
    compared = estimate_vs_published(estimate(ctx).yearly, _shares(ctx))
    if compared.empty:
        return HTML(markup.notice(ctx.t("prov.no_published")))
    gaps = [
        ctx.t("tfp.bound_inside" if inside else "tfp.bound_outside")
        if bound
        else i18n.format_points(gap, ctx.lang, 1)
        for bound, inside, gap in zip(
            compared["is_bound"], compared["inside"], compared["gap"], strict=True
        )
    ]
    table = pd.DataFrame(
        {
            ctx.t("col.year"): compared["year"].astype(str),
            ctx.t("tfp.published_annual"): [
                tfp_objective.share_text(v, q, ctx.lang)
                for v, q in zip(compared["published"], compared["qualifier"], strict=True)
            ],
            ctx.t("tfp.estimate_annual"): [
                i18n.format_percent(v, ctx.lang, 1) for v in compared["estimate"]
            ],
            ctx.t("tfp.col_gap"): gaps,
        }
    )
    return show_table(
        table,
        "province-published-comparison",
        ctx,
        caption=ctx.t("tfp.comparison_title"),
        source=_source_and_published(ctx),
    )


def _phase_window(ctx: ReportContext) -> tuple[int, int]:
    phase = ctx.phase
    assert ctx.accounts is not None  # the province section runs only with the accounts
    last = int(ctx.accounts["year"].max())
    return phase_window(ctx.year, phase.start, phase.end, last, _baseline_start(ctx))


def _setting_text(name: str, value: object, ctx: ReportContext) -> str:
    if name == "backcast":
        return ctx.t(f"tfp.backcast.{value}")
    if name == "labour_input":
        if value == EMPLOYMENT_DATA:
            return ctx.t("prov.employment_data")
        rate = float(str(value).split(" ")[0])
        return i18n.format_signed_percent(rate / 100, ctx.lang, 1) + ctx.t("prov.per_year")
    if name == "capital_output":
        return "K/Y = " + i18n.format_number(float(value), ctx.lang, 1)  # type: ignore[arg-type]
    symbol = "α" if name == "alpha" else "δ"
    return f"{symbol} = " + i18n.format_number(float(value), ctx.lang, 2)  # type: ignore[arg-type]


def _tornado(ctx: ReportContext, start: int, end: int) -> pd.DataFrame:
    return ctx.cached(
        ("tornado", start, end), lambda: province_tornado(_sensitivity(ctx, start, end))
    )


@needs_accounts
def sensitivity_block(ctx: ReportContext) -> HTML:
    """Tornado chart: how far each assumption alone moves the period share, largest first."""
    start, end = _phase_window(ctx)
    if end < start:
        return HTML("")
    tornado = _tornado(ctx, start, end)
    central = float(tornado["central"].iloc[0])
    charts.use_house_style()
    fig, ax = plt.subplots(figsize=(charts.FIGSIZE[0], 3.0))
    ordered = tornado.iloc[::-1]
    labels = [ctx.t(f"tfp.assumption.{a}") for a in ordered["assumption"]]
    positions = np.arange(len(ordered))
    ax.barh(
        positions,
        ordered["high"] - central,
        left=central,
        color=charts.PALETTE["actual"],
        height=0.6,
    )
    ax.barh(positions, ordered["low"] - central, left=central, color="#8c6d31", height=0.6)
    for position, row in zip(positions, ordered.itertuples(), strict=True):
        for value, setting, side in (
            (row.low, row.low_setting, "right"),
            (row.high, row.high_setting, "left"),
        ):
            ax.annotate(
                f"{_setting_text(row.assumption, setting, ctx)}: "
                f"{i18n.format_percent(value, ctx.lang, 0)}",
                (value, position),
                xytext=(-3 if side == "right" else 3, 0),
                textcoords="offset points",
                ha=side,
                va="center",
                fontsize=7,
            )
    ax.axvline(central, color="black", lw=0.8)
    ax.set_yticks(positions, labels)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: i18n.format_percent(value, ctx.lang, 0))
    )
    ax.set_xlim(0, 1)
    title = ctx.t("tfp.tornado_title", start=start, end=end)
    ax.set_title(title)
    figure = show_figure(fig, "province-tornado", ctx, alt=title, source=_source(ctx))
    table = pd.DataFrame(
        {
            ctx.t("tfp.col_assumption"): [
                ctx.t(f"tfp.assumption.{a}") for a in tornado["assumption"]
            ],
            ctx.t("tfp.col_low_setting"): [
                _setting_text(a, v, ctx)
                for a, v in zip(tornado["assumption"], tornado["low_setting"], strict=True)
            ],
            ctx.t("tfp.col_low"): tornado["low"],
            ctx.t("tfp.col_high_setting"): [
                _setting_text(a, v, ctx)
                for a, v in zip(tornado["assumption"], tornado["high_setting"], strict=True)
            ],
            ctx.t("tfp.col_high"): tornado["high"],
            ctx.t("tfp.col_swing"): tornado["swing"],
        }
    )
    pct = value_formatters([ctx.t("tfp.col_low"), ctx.t("tfp.col_high")], ctx.lang, percent=True)
    pct[ctx.t("tfp.col_swing")] = lambda v: i18n.format_points(v, ctx.lang, 1)  # type: ignore[arg-type]
    rendered = show_table(
        table,
        "province-sensitivity",
        ctx,
        caption=ctx.t("tfp.sensitivity_table_title", start=start, end=end),
        source=_source(ctx),
        formatters=pct,
    )
    return HTML(figure.data + rendered.data)


def reconciliation(ctx: ReportContext) -> pd.DataFrame:
    """What would reproduce each published share up to the report year (cached)."""
    shares = [s for s in _shares(ctx) if s.year <= ctx.year]
    return ctx.cached(
        ("reconciliation", ctx.year, tuple(shares)),
        lambda: province_reconciliation(ctx.accounts, shares),
        persist=True,
        label="reconciliation with the published shares",
        inputs=("province_accounts",),  # and the published shares, which are in the key
    )


@needs_accounts
def reconciliation_table(ctx: ReportContext) -> HTML:
    """The capital growth and α that would reproduce each published share, beside the data."""
    table = reconciliation(ctx)
    if table.empty:
        return HTML(markup.notice(ctx.t("prov.no_published")))
    lang = ctx.lang

    def bounded(value: float, bound: str, decimals: int, percent: bool) -> str:
        text = (
            i18n.format_percent(value, lang, decimals)
            if percent
            else i18n.format_number(value, lang, decimals)
        )
        return text if bound == "equal" else ctx.t(f"tfp.bound.{bound}", value=text)

    shown = pd.DataFrame(
        {
            ctx.t("col.year"): table["year"].astype(str),
            ctx.t("tfp.published_annual"): [
                tfp_objective.share_text(v, q, lang)
                for v, q in zip(table["published"], table["qualifier"], strict=True)
            ],
            ctx.t("tfp.estimate_annual"): [i18n.format_percent(v, lang) for v in table["estimate"]],
            ctx.t("tfp.col_capital_data"): [
                f"{i18n.format_percent(c, lang)} ({i18n.format_percent(lo, lang)}–"
                f"{i18n.format_percent(hi, lang)})"
                for c, lo, hi in zip(
                    table["growth_capital"],
                    table["capital_low"],
                    table["capital_high"],
                    strict=True,
                )
            ],
            ctx.t("tfp.col_capital_needed", alpha=i18n.format_number(DEFAULT_ALPHA, lang, 1)): [
                bounded(v, b, 1, True)
                for v, b in zip(table["required_capital_growth"], table["bound"], strict=True)
            ],
            ctx.t("tfp.col_alpha_needed"): [
                bounded(v, b, 2, False)
                for v, b in zip(table["required_alpha"], table["bound"], strict=True)
            ],
        }
    )
    return show_table(
        shown,
        "province-reconciliation",
        ctx,
        caption=ctx.t("tfp.reconciliation_title"),
        source=_source_and_published(ctx),
    )


@needs_accounts
def headline(ctx: ReportContext) -> HTML:
    """The estimate's period share, its sensitivity range, and what moves it most."""
    result = estimate(ctx)
    if result.phase_share is None:
        return HTML(markup.lead(ctx.t("prov.no_phase_data")))
    start, end = _phase_window(ctx)
    grid = _sensitivity(ctx, start, end)
    top = _tornado(ctx, start, end).iloc[0]
    text = ctx.t(
        "tfp.headline",
        start=start,
        end=end,
        share=i18n.format_percent(result.phase_share, ctx.lang),
        low=i18n.format_percent(grid["tfp_share"].min(), ctx.lang),
        high=i18n.format_percent(grid["tfp_share"].max(), ctx.lang),
        top=ctx.t(f"tfp.assumption.{top['assumption']}"),
        top_low=i18n.format_percent(top["low"], ctx.lang),
        top_high=i18n.format_percent(top["high"], ctx.lang),
        alpha=i18n.format_number(DEFAULT_ALPHA, ctx.lang, 2),
        delta=i18n.format_number(DEFAULT_DELTA, ctx.lang, 2),
        kappa=i18n.format_number(DEFAULT_CAPITAL_OUTPUT, ctx.lang, 1),
    )
    return HTML(markup.lead(text))


def _note(ctx: ReportContext, key: str, **values: object) -> str:
    return ctx.t(f"tfp.note.{key}", **values)


def _source_addresses(ctx: ReportContext, facts: pd.Series) -> str:
    """The addresses of a year's cited figures; those cited without one are named as such."""
    parts = [facts["sources"]] if facts["sources"] else []
    if facts["unaddressed"]:
        figures = ", ".join(ctx.t(f"tfp.figure.{name}") for name in facts["unaddressed"].split())
        parts.append(ctx.t("tfp.source_unaddressed", figures=figures))
    return " ".join(parts) or i18n.MISSING


def _notes(ctx: ReportContext, record: pd.Series, facts: pd.Series) -> str:
    """A year's notes in words: growth, investment (published or how filled), employment."""
    status = ctx.t
    notes = [
        _note(ctx, "growth", status=status("datastatus." + record["grdp_growth_status"]))
        if facts["has_growth"]
        else _note(ctx, "growth_first")
    ]
    origin = facts["investment_origin"]
    if origin == "interpolated":
        notes.append(
            _note(
                ctx,
                "investment_interpolated",
                a=int(facts["from_year"]),
                b=int(facts["to_year"]),
            )
        )
    elif origin in ("backcast", "held"):
        notes.append(_note(ctx, f"investment_{origin}", a=int(facts["from_year"])))
    else:
        notes.append(
            _note(
                ctx,
                "investment_published",
                status=status("datastatus." + record["investment_current_status"]),
            )
        )
    notes.append(
        _note(ctx, "employment", status=status("datastatus." + record["employment_status"]))
    )
    if facts["outside"]:
        notes.append(_note(ctx, "outside"))
    return "; ".join(notes)


@needs_accounts
def assumptions_table(ctx: ReportContext) -> HTML:
    """Every year 2010–report year and every value the estimate uses, with status and notes.

    The notes are written from the message catalogue (no English in the Vietnamese edition);
    the sources column lists the addresses of the published figures of the year (and names
    those cited without an address, to be checked against the statistical yearbook). The
    implied K/Y and investment/GRDP ratios are flagged when outside the plausible ranges.
    """
    assert ctx.accounts is not None  # the province section runs only with the accounts
    accounts = ctx.accounts.set_index("year")
    inputs = province_inputs(ctx.accounts)
    facts = assumption_facts(ctx.accounts, inputs, ctx.year)
    lang = ctx.lang
    rows = []
    for year in facts.index:
        record = accounts.loc[year]
        rate = float(inputs.loc[year, "investment_rate"])
        ky = float(inputs.loc[year, "capital_output"])
        rows.append(
            {
                ctx.t("col.year"): str(year),
                ctx.t("prov.output_growth"): record.get("grdp_growth"),
                ctx.t("tfp.col_grdp_level"): inputs.loc[year, "output"],
                ctx.t("tfp.col_investment_current"): record.get("investment_current"),
                ctx.t("tfp.col_investment_rate"): rate,
                ctx.t("tfp.col_investment_2010"): inputs.loc[year, "investment"],
                ctx.t("tfp.col_capital"): inputs.loc[year, "capital"],
                ctx.t("tfp.col_ky"): ky,
                ctx.t("tfp.col_employment"): inputs.loc[year, "employment"],
                ctx.t("tfp.col_notes"): _notes(ctx, record, facts.loc[year]),
                ctx.t("col.source"): _source_addresses(ctx, facts.loc[year]),
            }
        )
    table = pd.DataFrame(rows)
    formatters = value_formatters(
        [
            ctx.t("tfp.col_grdp_level"),
            ctx.t("tfp.col_investment_current"),
            ctx.t("tfp.col_investment_2010"),
            ctx.t("tfp.col_capital"),
        ],
        lang,
    )
    formatters.update(
        value_formatters(
            [ctx.t("prov.output_growth"), ctx.t("tfp.col_investment_rate")], lang, percent=True
        )
    )
    formatters[ctx.t("tfp.col_ky")] = lambda v: i18n.format_number(v, lang, 2)  # type: ignore[arg-type]
    formatters[ctx.t("tfp.col_employment")] = lambda v: i18n.format_number(v, lang, 1)  # type: ignore[arg-type]
    caption = ctx.t(
        "tfp.assumptions_title",
        first=int(inputs.index.min()),
        last=min(ctx.year, int(inputs.index.max())),
        kappa=i18n.format_number(DEFAULT_CAPITAL_OUTPUT, lang, 1),
        alpha=i18n.format_number(DEFAULT_ALPHA, lang, 2),
        delta=i18n.format_number(DEFAULT_DELTA, lang, 2),
        ky_low=i18n.format_number(PLAUSIBLE_CAPITAL_OUTPUT[0], lang, 0),
        ky_high=i18n.format_number(PLAUSIBLE_CAPITAL_OUTPUT[1], lang, 0),
        rate_low=i18n.format_percent(PLAUSIBLE_INVESTMENT_RATE[0], lang, 0),
        rate_high=i18n.format_percent(PLAUSIBLE_INVESTMENT_RATE[1], lang, 0),
    )
    text_columns = [ctx.t("tfp.col_notes"), ctx.t("col.source")]
    values = show_table(
        table.drop(columns=text_columns),
        "province-assumptions",
        ctx,
        caption=caption,
        source=_source(ctx),
        formatters=formatters,
    )
    notes = show_table(
        table[[ctx.t("col.year"), *text_columns]],
        "province-assumptions-notes",
        ctx,
        caption=ctx.t("tfp.assumptions_notes_title"),
        source=_source(ctx),
    )
    return HTML(values.data + notes.data)
