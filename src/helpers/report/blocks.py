"""Presentation: formatted tables, status badges, figures and their sources, as report HTML.

Every block is rendered by the Jinja2 macros of :mod:`helpers.report.markup` (autoescape).
Tables are also saved as CSV (for the report folder's downloads) when the context has an
output folder.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import cast

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML
from markupsafe import Markup

from helpers import i18n
from helpers.programme import progress, tfp_objective
from helpers.report import markup
from helpers.report.context import ReportContext
from helpers.safe_export import write_frame_csv

STATUS_CLASSES = {
    progress.EXCEEDED: "ok",
    progress.MET: "ok",
    progress.ON_TRACK: "ok",
    progress.ACCELERATION_NEEDED: "warn",
    progress.LIMITED_PROGRESS: "bad",
    progress.DETERIORATION: "bad",
    progress.NOT_ACHIEVED: "bad",
    progress.INSUFFICIENT_DATA: "none",
    progress.DONE: "ok",
    progress.IN_PROGRESS: "warn",
    progress.NOT_DONE: "bad",
    progress.NOT_STARTED: "none",
}
#: Tables estimated taller than this many printed lines may break across pages (an A4 page
#: holds about 55 lines of table text).
LONG_TABLE_LINES = 40
#: Characters a table cell holds on one printed line (a typical column of a 4-column table).
CELL_LINE_CHARS = 38
#: A task's counted evidence is listed row by row up to this many rows, summarised beyond.
EVIDENCE_ROWS_LISTED = 3
#: Column heading of each kind of plan item.
ITEM_KEYS = {"target": "col.item_target", "task": "col.item_task"}
#: Every status a summary counts, in the order it lists them.
SUMMARY_ORDER = (
    *progress.TARGET_STATUSES,
    progress.LIMITED_PROGRESS,
    progress.DETERIORATION,
    *progress.TASK_STATUSES,
)


def status_badge(status: str, lang: str) -> Markup:
    """HTML badge for a status (colour plus the word, so it reads in black and white too)."""
    css = STATUS_CLASSES.get(status, "none")
    return markup.badge(css, i18n.t("status." + status, lang))


def _ratio(value: object, lang: str) -> str:
    return i18n.format_number(value, lang, 2)  # type: ignore[arg-type]


def _target_of(ctx: ReportContext, code: str):
    return next(t for t in ctx.plan.targets if t.code == code)


def _unit(ctx: ReportContext, unit: str) -> str:
    key = "unit." + unit
    return ctx.t(key) if key in i18n.catalogue(ctx.lang) else ""


def target_level(ctx: ReportContext, code: str) -> str:
    """The level a quantified target asks for, in words ("ít nhất 20 chuyên gia")."""
    target = _target_of(ctx, code)
    if target.kind == "growth_band":
        return ctx.t(
            "level.band",
            low=i18n.format_number((target.band_low or 0) * 100, ctx.lang),
            high=i18n.format_percent(target.band_high, ctx.lang, 0),
        )
    return ctx.t(
        "level." + target.comparison,
        value=i18n.format_number(target.target, ctx.lang),
        unit=_unit(ctx, target.unit),
    ).strip()


def target_result(row: pd.Series, ctx: ReportContext) -> str:
    """The result of a quantified target in words (a count, or years in the band)."""
    if row["status"] == progress.NOT_STARTED or pd.isna(row.get("actual")):
        return i18n.MISSING
    target = _target_of(ctx, str(row.name))
    if target.kind == "growth_band":
        return ctx.t(
            "result.band",
            met=i18n.format_number(row["years_met"], ctx.lang),
            assessed=i18n.format_number(row["years_assessed"], ctx.lang),
        )
    return ctx.t(
        "result.count",
        value=i18n.format_number(row["actual"], ctx.lang),
        unit=_unit(ctx, target.unit),
        year=int(row["year"]),
    ).strip()


def _task_evidence_text(row: pd.Series, ctx: ReportContext) -> str:
    """The evidence of a task in words: counted rows (summarised when many), rows not counted."""
    from helpers.programme import evidence

    target = _target_of(ctx, str(row.name))
    task = evidence.assess_task_in_year(target, ctx.plan, ctx.registers["activities"], ctx.year)
    parts = []
    if len(task.counted) > EVIDENCE_ROWS_LISTED:
        all_kinds = sorted({k for ks in task.counted["counted_kinds"] for k in ks})
        parts.append(
            ctx.t(
                "task.evidence_many",
                n=i18n.format_number(len(task.counted), ctx.lang),
                kind="; ".join(ctx.plan.evidence_kind(k).name(ctx.lang) for k in all_kinds),
                first=int(task.counted["year"].min()),
                last=int(task.counted["year"].max()),
                participants=i18n.format_number(task.counted["participants"].sum(), ctx.lang),
            )
        )
    else:
        for r in task.counted.itertuples():
            kinds = ", ".join(ctx.plan.evidence_kind(k).name(ctx.lang) for k in r.counted_kinds)
            parts.append(
                ctx.t(
                    "task.evidence_row",
                    date=i18n.format_date(r.date, ctx.lang),
                    title=r.title,
                    kind=kinds,
                )
            )
    for r in [*task.counted.itertuples(), *task.excluded.itertuples()]:
        for code in r.other_kinds:
            parts.append(
                ctx.t(
                    "task.not_counted",
                    date=i18n.format_date(r.date, ctx.lang),
                    kind=ctx.plan.evidence_kind(code).name(ctx.lang),
                )
            )
    if not parts:
        parts.append(ctx.t("task.no_evidence"))
    assert target.task is not None
    reason = {
        (progress.IN_PROGRESS, "continuing"): "task.reason_continuing",
        (progress.IN_PROGRESS, "deliverable"): "task.reason_draft",
    }.get((str(row["status"]), target.task.type))
    if reason:
        parts.append(ctx.t(reason, end=ctx.plan.phase(target.phase).end))
    return " ".join(parts)


def rule_text(row: pd.Series, ctx: ReportContext) -> str:
    """The rule behind a status, in words, with its numbers."""
    lang = ctx.lang
    status, rule = row["status"], row["rule"]
    if status == progress.NOT_STARTED:
        return ctx.t("rule.not_started")
    if rule == "linear" and pd.notna(row.get("ratio")):
        return ctx.t(
            "rule.linear",
            actual=i18n.format_number(row["actual"], lang),
            required=i18n.format_number(row["required"], lang),
            year=int(row["year"]),
            ratio=_ratio(row["ratio"], lang),
        )
    if rule == "growth_band" and pd.notna(row.get("years_assessed")):
        _, yearly = _band_table(ctx, str(row.name))
        below = [str(int(y)) for y, b in yearly["band"].items() if b == progress.BELOW_BAND]
        key = "rule.growth_band_below" if below else "rule.growth_band"
        return ctx.t(
            key,
            met=i18n.format_number(row["years_met"], lang),
            assessed=i18n.format_number(row["years_assessed"], lang),
            below=", ".join(
                f"{y} ({i18n.format_percent(yearly.loc[int(y), 'growth'], lang)})" for y in below
            ),
            cagr=i18n.format_percent(row["actual"], lang),
        )
    if rule == "task":
        return _task_evidence_text(row, ctx)
    if rule == tfp_objective.RULE:
        return tfp_objective.rule_text(row, lang)
    return ctx.t("rule.insufficient")


def _band_table(ctx: ReportContext, code: str):
    from helpers.programme.indicators import growth_band_table

    return growth_band_table(_target_of(ctx, code), ctx.plan, ctx.indicators, ctx.year)


def summary_items(ctx: ReportContext) -> pd.DataFrame:
    """The assessment rows a summary reports: the report year's phase and the whole-plan items."""
    table = ctx.assessment
    return table[table["phase"].isin([ctx.phase.number, 0])]


def status_frame(ctx: ReportContext, item: str | None = None) -> pd.DataFrame:
    """The status of every item of the summary as plain text (for CSV/XLSX and for tests).

    ``item``: ``target`` (quantified targets: level, result, % of target, deadline), ``task``
    (tasks: evidence), or None for both with the common columns.
    """
    rows = []
    for code, row in summary_items(ctx).iterrows():
        if item is not None and row["item"] != item:
            continue
        target = _target_of(ctx, str(code))
        record = {ctx.t(ITEM_KEYS[str(row["item"])]): target.name(ctx.lang)}
        if item == "target":
            percent = row.get("percent_of_target")
            record.update(
                {
                    ctx.t("col.level"): target_level(ctx, str(code)),
                    ctx.t("col.result"): target_result(row, ctx),
                    ctx.t("col.percent_of_target"): i18n.format_percent(percent, ctx.lang, 0)
                    if pd.notna(percent)
                    else i18n.MISSING,
                    ctx.t("col.deadline"): str(ctx.plan.phase(target.phase).end),
                }
            )
        record[ctx.t("col.status")] = ctx.t("status." + str(row["status"]))
        record[ctx.t("col.rule" if item != "task" else "col.evidence")] = rule_text(row, ctx)
        rows.append(record)
    return pd.DataFrame(rows)


def save_table(frame: pd.DataFrame, name: str, ctx: ReportContext) -> Path | None:
    """Write a table as UTF-8 CSV into the report's ``tables/`` folder, if there is one."""
    if ctx.output_dir is None:
        return None
    folder = ctx.output_dir / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{ctx.lang}.csv"
    return write_frame_csv(frame, path)  # text cells neutralised: no live formula


def html_table(
    frame: pd.DataFrame,
    *,
    caption: str,
    source: str,
    formatters: dict[str, Callable[[object], str]] | None = None,
    raw_html_columns: Sequence[str] = (),
    css_class: str = "data",
    ref: str | None = None,
) -> str:
    """Render a frame as an accessible HTML table, escaping every cell not listed as raw.

    ``ref`` names the table for cross-references: the page template numbers every table in
    order ("Bảng 1") and text refers to it as ``[[tab:<ref>]]``.
    """
    formatters = formatters or {}
    columns = {column: frame[column].tolist() for column in frame.columns}
    rows = []
    for position in range(len(frame)):
        cells = []
        for column in frame.columns:
            value = columns[column][position]
            if isinstance(value, Markup):
                text: str = value
            elif column in raw_html_columns:
                text = Markup(str(value))
            elif column in formatters:
                text = formatters[column](value)
            else:
                text = "" if value is None else str(value)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            cells.append(markup.Cell(text, numeric))
        rows.append(cells)
    # A table taller than most of a page may run over a page break in print (its header
    # repeats); a shorter one is kept whole, so no row is stranded.
    # Markup out: blocks are joined as Markup, so a plain string joined to one is escaped.
    return markup.table(
        [str(c) for c in frame.columns],
        rows,
        caption=caption,
        source=source,
        ref=ref,
        css_class=css_class,
        long=printed_lines(frame) > LONG_TABLE_LINES,
    )


def printed_lines(frame: pd.DataFrame) -> int:
    """Rough height of a table in printed lines: each row is as tall as its longest cell.

    Examples
    --------
    >>> printed_lines(pd.DataFrame({"a": ["x" * 80, "y"], "b": [1, 2]}))  # 1 + 3 + 1
    5

    """
    lines = 1  # the header
    for row in frame.itertuples(index=False):
        lines += max(1, *(-(-len(str(v)) // CELL_LINE_CHARS) for v in row))
    return lines


def value_formatters(
    columns: Sequence[str], lang: str, *, percent: bool = False, decimals: int | None = None
) -> dict[str, Callable[[object], str]]:
    """Formatters that show every column of ``columns`` as numbers (or percentages) in ``lang``."""
    if percent:
        digits = 1 if decimals is None else decimals
        return {c: (lambda v: i18n.format_percent(cast(float, v), lang, digits)) for c in columns}
    digits = 0 if decimals is None else decimals
    return {c: (lambda v: i18n.format_number(cast(float, v), lang, digits)) for c in columns}


def show_table(
    frame: pd.DataFrame,
    name: str,
    ctx: ReportContext,
    *,
    caption: str,
    source: str,
    formatters: dict[str, Callable[[object], str]] | None = None,
) -> HTML:
    """Save ``frame`` as CSV and return it as report HTML with caption and source."""
    save_table(frame, name, ctx)
    text_source = ctx.t("chart.source", source=source)
    return HTML(
        html_table(frame, caption=caption, source=text_source, formatters=formatters, ref=name)
    )


def show_status_table(ctx: ReportContext, item: str = "target") -> HTML:
    """A summary table: the quantified targets (``item="target"``) or the tasks (``"task"``)."""
    plain = status_frame(ctx, item)
    if plain.empty:
        return HTML("")
    save_table(plain, f"{item}-status", ctx)
    shown = plain.copy()
    status_col = ctx.t("col.status")
    items = summary_items(ctx)
    statuses = items.loc[items["item"] == item, "status"]
    shown[status_col] = [status_badge(s, ctx.lang) for s in statuses]
    source = ctx.t("chart.source", source=f"{ctx.plan_source}; {registers_source(ctx)}")
    return HTML(
        html_table(
            shown,
            caption=ctx.t(f"summary.{item}s_title", start=ctx.phase.start, end=ctx.phase.end),
            source=source,
            raw_html_columns=[status_col],
            css_class=f"data status-table {item}s",
            ref=f"summary-{item}s",
        )
    )


def count_statuses(statuses: Sequence[str], lang: str) -> str:
    """Count statuses in words, in the vocabulary's order, leaving out statuses that do not occur.

    Examples
    --------
    >>> count_statuses(["met", "exceeded", "not_achieved", "met"], "vi")
    '1 vượt, 2 đạt, 1 không đạt'

    """
    counts = pd.Series(list(statuses)).value_counts()
    parts = [
        f"{i18n.format_number(int(counts[s]), lang)} {i18n.t('status.' + s, lang).lower()}"
        for s in SUMMARY_ORDER
        if s in counts
    ]
    return ", ".join(parts)


def summary_lead(ctx: ReportContext) -> HTML:
    """The summary paragraph: targets and tasks counted by status, absent statuses left out."""
    items = summary_items(ctx)
    sentences = []
    for item in ("target", "task"):
        statuses = items.loc[items["item"] == item, "status"].tolist()
        if statuses:
            sentences.append(
                ctx.t(
                    f"summary.{item}s",
                    n=i18n.format_number(len(statuses), ctx.lang),
                    counts=count_statuses(statuses, ctx.lang),
                )
            )
    later = ctx.assessment[ctx.assessment["status"] == progress.NOT_STARTED]
    text = ctx.t("summary.lead", year=ctx.year, start=ctx.phase.start, end=ctx.phase.end)
    text += " " + " ".join(sentences)
    if not later.empty:
        text += " " + ctx.t("summary.later", n=i18n.format_number(len(later), ctx.lang))
    return HTML(markup.lead_with_notices(text, ctx.notices))


def registers_source(ctx: ReportContext) -> str:
    """Name the registers as a source, saying when they hold illustrative rows."""
    statuses = pd.concat([f["status"] for f in ctx.registers.values()])
    key = (
        "source.registers"
        if statuses.isin(("illustrative", "assumed")).any()
        else ("source.registers_real")
    )
    return ctx.t(key)


def figure_png(fig: plt.Figure) -> bytes:
    """Render a figure to PNG bytes without timestamps (byte-identical for the same figure)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, metadata={"Software": None})
    plt.close(fig)
    return buffer.getvalue()


def show_figure(fig: plt.Figure, name: str, ctx: ReportContext, *, alt: str, source: str) -> HTML:
    """Embed a figure as a self-contained PNG with its caption and source; save the PNG."""
    png = figure_png(fig)
    if ctx.output_dir is not None:
        folder = ctx.output_dir / "figures"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}-{ctx.lang}.png").write_bytes(png)
    data = base64.b64encode(png).decode("ascii")
    rendered = markup.figure(name, data, alt=alt, source=ctx.t("chart.source", source=source))
    return HTML(rendered)


def _input_row(
    ctx: ReportContext, path: Path, title: str, n_rows: int, statuses: pd.Series
) -> dict[str, object]:
    """One row of the inputs table: what the input holds, rows, data statuses.

    File names and hashes are for the analyst, not the reader: they stay in ``manifest.json``.
    """
    counts = statuses.value_counts().sort_index()
    return {
        ctx.t("col.content"): title,
        ctx.t("col.rows"): n_rows,
        ctx.t("col.status_data"): ", ".join(
            f"{ctx.t('datastatus.' + k)}: {i18n.format_number(v, ctx.lang)}"
            for k, v in counts.items()
        ),
    }


def inputs_table(ctx: ReportContext) -> HTML:
    """The report's inputs: what each holds, its rows and their data status."""
    from helpers.inputs.contracts import DATASETS
    from helpers.inputs.enterprise_panel import PANEL_FILES
    from helpers.inputs.province_accounts import accounts_long
    from helpers.inputs.registers import find_dataset_file

    rows = []
    for name, dataset in DATASETS.items():
        path = find_dataset_file(ctx.data_dir, dataset)
        if path is not None:
            title = dataset.title_vi if ctx.lang == "vi" else dataset.title_en
            frame = ctx.registers[name]
            rows.append(_input_row(ctx, path, title, len(frame), frame["status"]))
    if ctx.accounts is not None:
        path = ctx.data_dir / ctx.accounts.attrs.get("source", "province_accounts.csv")
        statuses = accounts_long(ctx.accounts)["status"]
        rows.append(_input_row(ctx, path, ctx.t("var.accounts"), len(ctx.accounts), statuses))
    if ctx.panel is not None:
        path = next(ctx.data_dir / n for n in PANEL_FILES if (ctx.data_dir / n).is_file())
        statuses = ctx.panel["status"].replace("", "missing")
        rows.append(_input_row(ctx, path, ctx.t("var.panel"), len(ctx.panel), statuses))
    formatters = {ctx.t("col.rows"): lambda v: i18n.format_number(v, ctx.lang)}
    return show_table(
        pd.DataFrame(rows),
        "inputs",
        ctx,
        caption=ctx.t("section.inputs"),
        source=ctx.t("table.footnote_status"),
        formatters=formatters,
    )
