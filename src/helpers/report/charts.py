"""Charts in one house style (matplotlib + seaborn), labelled from the message catalogues.

Fonts: DejaVu Sans, shipped with matplotlib, covers every Vietnamese letter. Axis numbers use
the report language's decimal mark. Every chart that has a target shows its target line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter, MaxNLocator

from helpers import i18n

PALETTE = {
    "actual": "#1f5f8b",
    "required": "#b35c00",
    "projection": "#1f5f8b",
    "target": "#9b1c1c",
    "band": "#d8e8d0",
    "bar": "#4a8bbd",
    "muted": "#7a7a7a",
}
FIGSIZE = (7.2, 3.8)


def use_house_style() -> None:
    """Apply the report's plotting style (idempotent).

    seaborn is imported here, when a chart is drawn: it imports scipy.stats (about a second),
    which the sections' computations do not need.
    """
    import seaborn as sns

    sns.set_theme(context="paper", style="whitegrid", font="DejaVu Sans")
    plt.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.titlesize": 10,
            "axes.titleweight": "bold",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "savefig.bbox": "tight",
            "svg.hashsalt": "nscl",
        }
    )


def number_axis(ax: plt.Axes, lang: str, *, axis: str = "y", decimals: int = 0) -> None:
    """Format an axis's tick labels with the language's number format."""
    formatter = FuncFormatter(lambda value, _pos: i18n.format_number(value, lang, decimals))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def percent_axis(ax: plt.Axes, lang: str, decimals: int = 0) -> None:
    """Format the y axis of fractions as percentages."""
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: i18n.format_percent(value, lang, decimals))
    )


def _year_axis(ax: plt.Axes) -> None:
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("")


def _actual_line(ax: plt.Axes, values: pd.Series, label: str) -> None:
    """The observed series: the chart's bold line with a marker at each year."""
    ax.plot(values.index, values.values, marker="o", color=PALETTE["actual"], lw=2, label=label)


def _label_points(
    ax: plt.Axes,
    points: Iterable[tuple[float, float]],
    labels: Iterable[str],
    xytext: tuple[float, float],
    **style: Any,
) -> None:
    """Write each label next to its point ``(x, y)``, offset by ``xytext`` (in points)."""
    for (x, y), label in zip(points, labels, strict=True):
        ax.annotate(label, (x, y), textcoords="offset points", xytext=xytext, fontsize=8, **style)


def cumulative_chart(
    cumulative: pd.Series,
    required: pd.Series,
    projection: pd.Series | None,
    *,
    target: float,
    title: str,
    lang: str,
) -> plt.Figure:
    """Cumulative count against its required path, its target and a projection."""
    use_house_style()
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.plot(
        required.index,
        required.values,
        ls="--",
        color=PALETTE["required"],
        label=i18n.t("chart.required_path", lang),
    )
    if projection is not None and len(projection) > 1:
        ax.plot(
            projection.index,
            projection.values,
            ls=":",
            color=PALETTE["projection"],
            label=i18n.t("chart.projection", lang),
        )
    known = cumulative.dropna()
    _actual_line(ax, known, i18n.t("chart.cumulative", lang))
    numbers = [i18n.format_number(y, lang) for y in known]
    _label_points(ax, known.items(), numbers, (0, 6), ha="center")
    ax.axhline(target, color=PALETTE["target"], lw=1, label=i18n.t("chart.target_line", lang))
    # The target's value sits outside the plot, right of its line: no data line can cross it.
    ax.annotate(
        i18n.format_number(target, lang),
        xy=(1.0, target),
        xycoords=("axes fraction", "data"),
        xytext=(4, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        color=PALETTE["target"],
        fontsize=8,
        annotation_clip=False,
    )
    ax.set_title(title)
    ax.set_ylabel(i18n.t("chart.count_axis", lang))
    number_axis(ax, lang)
    _year_axis(ax)
    ax.set_ylim(bottom=0, top=max(target, known.max() if not known.empty else 0) * 1.18)
    # Legend under the plot, so it never covers a line or a label.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=4, frameon=False, fontsize=8)
    return fig


def enterprises_chart(
    yearly: pd.DataFrame, *, low: float, high: float, title: str, lang: str
) -> plt.Figure:
    """Enterprises supported (bars) and their yearly growth against the target band (line)."""
    use_house_style()
    fig, (ax_level, ax_growth) = plt.subplots(
        1, 2, figsize=(FIGSIZE[0], FIGSIZE[1]), gridspec_kw={"width_ratios": [1.1, 1]}
    )
    ax_level.bar(yearly.index, yearly["level"], color=PALETTE["bar"])
    numbers = [i18n.format_number(y, lang) for y in yearly["level"]]
    _label_points(ax_level, yearly["level"].items(), numbers, (0, 3), ha="center")
    ax_level.set_title(i18n.t("chart.enterprises_axis", lang))
    number_axis(ax_level, lang)
    _year_axis(ax_level)
    growth = yearly["growth"].dropna()
    ax_growth.axhspan(low, high, color=PALETTE["band"], label=i18n.t("chart.band", lang))
    _actual_line(ax_growth, growth, i18n.t("chart.growth_line", lang))
    for x, y in growth.items():  # below the band, the label goes under its point
        below = y < low
        offset, va = ((0, -12), "top") if below else ((0, 7), "bottom")
        label = i18n.format_percent(y, lang)
        _label_points(ax_growth, [(x, y)], [label], offset, ha="center", va=va)
    ax_growth.set_title(i18n.t("chart.growth_axis", lang))
    percent_axis(ax_growth, lang)
    _year_axis(ax_growth)
    if not growth.empty:
        ax_growth.set_xlim(growth.index.min() - 0.5, growth.index.max() + 0.5)
        bottom = min(float(growth.min()), low) - 0.025
        top = max(float(growth.max()), high) + 0.015
        ax_growth.set_ylim(max(bottom, -1.0), top)
    fig.suptitle(title, fontsize=10, fontweight="bold")
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    handles, labels = ax_growth.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, frameon=False, fontsize=8)
    return fig


def tools_chart(
    tools: pd.DataFrame, year: int, *, title: str, lang: str, top: int = 12
) -> plt.Figure:
    """Distinct enterprises applying each tool in ``year`` (horizontal bars, largest first)."""
    use_house_style()
    column = tools[year] if year in tools.columns else tools.iloc[:, -1]
    data = column.sort_values(ascending=True).tail(top)
    fig, ax = plt.subplots(figsize=(FIGSIZE[0], 0.28 * len(data) + 1.0))
    ax.barh(data.index, data.values, color=PALETTE["bar"])
    bars = [(x, y) for y, x in enumerate(data.values)]
    _label_points(ax, bars, [i18n.format_number(x, lang) for x in data.values], (3, -3))
    ax.set_title(title)
    number_axis(ax, lang, axis="x")
    ax.grid(axis="y", visible=False)
    return fig


def quantile_chart(
    quantiles: pd.DataFrame,
    labels: list[str],
    *,
    marker: str,
    axis_label: str,
    title: str,
    lang: str,
) -> plt.Figure:
    """Box-like ranges p10–p90 (line), p25–p75 (box) and the median (tick), one row each.

    ``quantiles`` holds log values ``p10``, ``p25``, ``median``, ``p75``, ``p90`` and
    ``suppressed`` (a row drawn as ``marker`` only), drawn as proportional gaps
    ``exp(x) - 1``; ``labels`` name the rows, bottom to top.
    """
    use_house_style()
    fig, ax = plt.subplots(figsize=(FIGSIZE[0], 0.42 * len(quantiles) + 1.2))
    for y, row in enumerate(quantiles.to_dict("records")):
        if row["suppressed"]:
            ax.annotate(marker, (0, y), ha="center", va="center")
            continue
        ratio = [np.expm1(row[c]) for c in ("p10", "p25", "median", "p75", "p90")]
        ax.hlines(y, ratio[0], ratio[4], color=PALETTE["muted"], lw=1.2)
        ax.add_patch(
            plt.Rectangle((ratio[1], y - 0.25), ratio[3] - ratio[1], 0.5, color=PALETTE["bar"])
        )
        ax.vlines(ratio[2], y - 0.3, y + 0.3, color="black", lw=1.5)
    ax.axvline(0, color="black", lw=0.6)
    ax.set_yticks(range(len(quantiles)))
    ax.set_yticklabels(labels, fontsize=8)
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda value, _pos: i18n.format_percent(value, lang, 0))
    )
    ax.set_xlabel(axis_label)
    ax.grid(axis="y", visible=False)
    ax.set_title(title)
    return fig


def olley_pakes_chart(
    frame: pd.DataFrame,
    *,
    labels: dict[str, str],
    axis_label: str,
    title: str,
    lang: str,
) -> plt.Figure:
    """Aggregate TFP (line), its plain mean (dashed) and their covariance term (bars) by year.

    ``labels`` name the series ``aggregate``, ``unweighted_mean`` and ``covariance``.
    """
    use_house_style()
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.bar(
        frame["year"],
        frame["covariance"],
        color=PALETTE["band"],
        edgecolor=PALETTE["muted"],
        label=labels["covariance"],
    )
    ax.plot(
        frame["year"],
        frame["aggregate"],
        marker="o",
        color=PALETTE["actual"],
        lw=2,
        label=labels["aggregate"],
    )
    ax.plot(
        frame["year"],
        frame["unweighted_mean"],
        marker="s",
        ls="--",
        color=PALETTE["required"],
        label=labels["unweighted_mean"],
    )
    ax.axhline(0, color="black", lw=0.6)
    number_axis(ax, lang, decimals=2)
    ax.xaxis.set_major_locator(plt.MaxNLocator(integer=True))
    ax.set_ylabel(axis_label)
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False, fontsize=8, ncol=3)
    return fig


def event_time_label(k: int, last_lag: int) -> str:
    """The label of event time ``k``: "≥ k" for the binned last lag, a true minus sign before.

    Examples
    --------
    >>> [event_time_label(k, 3) for k in (-3, -1, 0, 3)]
    ['−3', '−1', '0', '≥ 3']

    """
    return f"≥ {k}" if k == last_lag else str(k).replace("-", "−")


def event_study_chart(
    frame: pd.DataFrame,
    *,
    last_lag: int,
    true_effect: float | None,
    labels: dict[str, str],
    title: str,
    lang: str,
) -> plt.Figure:
    """Event-study estimates with their intervals around the first year of support.

    ``frame``: every event time (``event_time``, ``estimate``, ``ci_lower``, ``ci_upper``,
    ``reference``, ``suppressed``; suppressed rows are not drawn, but keep their tick);
    ``last_lag`` is the binned last lag (tick "≥ k"); ``true_effect``: a dashed line at the
    simulated effect (None: real data). ``labels``: ``estimate``, ``truth``, ``axis_x``,
    ``axis_y``.
    """
    shown = frame[~frame["suppressed"]]
    estimated = shown[~shown["reference"]]
    use_house_style()
    fig, ax = plt.subplots(figsize=FIGSIZE)
    ax.axhline(0, color="black", lw=0.6)
    ax.axvline(-0.5, color=PALETTE["muted"], lw=0.8, ls=":")
    if true_effect is not None:
        ax.hlines(
            true_effect,
            -0.4,
            last_lag + 0.3,
            color=PALETTE["target"],
            ls="--",
            lw=1,
            label=labels["truth"],
        )
    ax.errorbar(
        estimated["event_time"],
        estimated["estimate"],
        yerr=[
            estimated["estimate"] - estimated["ci_lower"],
            estimated["ci_upper"] - estimated["estimate"],
        ],
        fmt="o",
        color=PALETTE["actual"],
        capsize=3,
        label=labels["estimate"],
    )
    ax.plot([-1], [0], "o", mfc="white", color=PALETTE["actual"])
    ticks = frame["event_time"].astype(int).tolist()
    ax.set_xticks(ticks)
    ax.set_xticklabels([event_time_label(k, last_lag) for k in ticks], fontsize=8)
    ax.set_xlabel(labels["axis_x"])
    ax.set_ylabel(labels["axis_y"])
    ax.yaxis.set_major_locator(plt.MaxNLocator(steps=[1, 2, 5, 10]))
    number_axis(ax, lang, decimals=2)
    ax.set_title(title)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return fig
