"""Presentation: formatted tables, status badges, figures and their sources, as report HTML.

Every string from data or parameters is HTML-escaped here. Tables are also saved as CSV (for
the report folder's downloads) when the context has an output folder.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import HTML

from helpers import i18n, progress
from helpers.context import ReportContext
from helpers.safe_export import write_frame_csv

STATUS_CLASSES = {
    progress.ACHIEVED: "ok",
    progress.ON_TRACK: "ok",
    progress.ACCELERATION_NEEDED: "warn",
    progress.LIMITED_PROGRESS: "bad",
    progress.DETERIORATION: "bad",
    progress.NOT_ACHIEVED: "bad",
    progress.INSUFFICIENT_DATA: "none",
    "not_started": "none",
}


def escape(value: object) -> str:
    """Escape any value for HTML text."""
    return html.escape("" if value is None else str(value), quote=True)


def status_badge(status: str, lang: str) -> str:
    """HTML badge for a status (colour plus the word, so it reads in black and white too)."""
    css = STATUS_CLASSES.get(status, "none")
    return f'<span class="badge badge-{css}">{escape(i18n.t("status." + status, lang))}</span>'


def _ratio(value: object, lang: str) -> str:
    return i18n.format_number(value, lang, 2)  # type: ignore[arg-type]


def rule_text(row: pd.Series, ctx: ReportContext) -> str:
    """The rule behind a status, in words, with its numbers."""
    lang = ctx.lang
    status, rule = row["status"], row["rule"]
    if status == "not_started":
        return ctx.t("rule.not_started")
    if rule == "linear" and pd.notna(row.get("ratio")):
        return ctx.t(
            "rule.linear",
            actual=i18n.format_number(row["actual"], lang),
            required=i18n.format_number(row["required"], lang, 1),
            year=int(row["year"]),
            ratio=_ratio(row["ratio"], lang),
        )
    if rule == "growth_band" and pd.notna(row.get("ratio")):
        target = ctx.plan.targets[[t.code for t in ctx.plan.targets].index(row.name)]
        return ctx.t(
            "rule.growth_band",
            year=int(row["year"]),
            actual=i18n.format_percent(row["actual"], lang),
            low=i18n.format_percent(target.band_low, lang, 0),
            high=i18n.format_percent(target.band_high, lang, 0),
            ratio=_ratio(row["ratio"], lang),
        )
    if rule == "milestone":
        evidence = row.get("evidence")
        if isinstance(evidence, str) and evidence:
            return ctx.t("rule.milestone", evidence=f"{evidence} ({int(row['year'])})")
        return ctx.t("rule.milestone_missing")
    if rule == "activity_count" and pd.notna(row.get("actual")):
        return ctx.t(
            "rule.activity_count",
            actual=i18n.format_number(row["actual"], lang),
            year=int(row["year"]),
        )
    if rule == "trend":
        if pd.isna(row.get("actual")):
            return ctx.t("rule.trend_missing")
        return ctx.t(
            "rule.trend",
            year=int(row["year"]),
            actual=i18n.format_percent(row["actual"], lang),
            required=i18n.format_percent(row["required"], lang, 0),
            ratio=_ratio(row["ratio"], lang),
        )
    return ctx.t("rule.insufficient")


def status_frame(ctx: ReportContext) -> pd.DataFrame:
    """The status of every target as plain text (for CSV/XLSX and for tests)."""
    names = {t.code: t.name(ctx.lang) for t in ctx.plan.targets}
    rows = []
    for code, row in ctx.assessment.iterrows():
        rows.append(
            {
                ctx.t("col.code"): code,
                ctx.t("col.target"): names[code],
                ctx.t("col.status"): ctx.t("status." + row["status"]),
                ctx.t("col.rule"): rule_text(row, ctx),
            }
        )
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
) -> str:
    """Render a frame as an accessible HTML table, escaping every cell not listed as raw."""
    formatters = formatters or {}
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in frame.columns)
    body = []
    columns = {column: frame[column].tolist() for column in frame.columns}
    for position in range(len(frame)):
        cells = []
        for column in frame.columns:
            value = columns[column][position]
            if column in raw_html_columns:
                text = str(value)
            elif column in formatters:
                text = escape(formatters[column](value))
            else:
                text = escape(value)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            cells.append(f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<figure class="table-figure"><figcaption>{escape(caption)}</figcaption>'
        f'<div class="table-scroll"><table class="{css_class}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
        f'<p class="source">{escape(source)}</p></figure>'
    )


def value_formatters(
    columns: Sequence[str], lang: str, *, percent: bool = False, decimals: int | None = None
) -> dict[str, Callable[[object], str]]:
    """Formatters that show every column of ``columns`` as numbers (or percentages) in ``lang``."""
    if percent:
        digits = 1 if decimals is None else decimals
        return {c: (lambda v: i18n.format_percent(v, lang, digits)) for c in columns}
    digits = 0 if decimals is None else decimals
    return {c: (lambda v: i18n.format_number(v, lang, digits)) for c in columns}


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
    return HTML(html_table(frame, caption=caption, source=text_source, formatters=formatters))


def show_status_table(ctx: ReportContext) -> HTML:
    """The executive summary table: every target with its status badge and rule."""
    plain = status_frame(ctx)
    save_table(plain, "target-status", ctx)
    shown = plain.copy()
    status_col = ctx.t("col.status")
    shown[status_col] = [status_badge(s, ctx.lang) for s in ctx.assessment["status"]]
    source = ctx.t("chart.source", source=f"{ctx.plan_source}; {registers_source(ctx)}")
    return HTML(
        html_table(
            shown,
            caption=ctx.t("section.summary"),
            source=source,
            raw_html_columns=[status_col],
            css_class="data status-table",
        )
    )


def registers_source(ctx: ReportContext) -> str:
    """Name the registers as a source, saying when they hold illustrative rows."""
    statuses = pd.concat([f["status"] for f in ctx.registers.values()])
    key = (
        "source.registers"
        if statuses.isin(("illustrative", "assumed")).any()
        else ("source.registers_real")
    )
    return ctx.t(key)


def summary_lead(ctx: ReportContext) -> HTML:
    """One sentence counting the targets by status."""
    counts = ctx.assessment["status"].value_counts()

    def n(*statuses: str) -> int:
        return int(sum(counts.get(s, 0) for s in statuses))

    text = ctx.t(
        "summary.lead",
        n=len(ctx.assessment),
        year=ctx.year,
        achieved=n(progress.ACHIEVED),
        on_track=n(progress.ON_TRACK),
        behind=n(progress.ACCELERATION_NEEDED, progress.LIMITED_PROGRESS, progress.DETERIORATION),
        not_achieved=n(progress.NOT_ACHIEVED),
        no_data=n(progress.INSUFFICIENT_DATA),
        not_started=n("not_started"),
    )
    notices = "".join(f'<p class="notice">{escape(x)}</p>' for x in ctx.notices)
    return HTML(f'<p class="lead">{escape(text)}</p>{notices}')


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
    return HTML(
        f'<figure class="chart"><img src="data:image/png;base64,{data}" alt="{escape(alt)}">'
        f"<figcaption>{escape(alt)}</figcaption>"
        f'<p class="source">{escape(ctx.t("chart.source", source=source))}</p></figure>'
    )


def _input_row(
    ctx: ReportContext, path: Path, title: str, n_rows: int, statuses: pd.Series
) -> dict[str, object]:
    """One row of the inputs table: file, what it holds, rows, data statuses, hash."""
    counts = statuses.value_counts().sort_index()
    return {
        ctx.t("col.file"): path.name,
        ctx.t("col.content"): title,
        ctx.t("col.rows"): n_rows,
        ctx.t("col.status_data"): ", ".join(
            f"{ctx.t('datastatus.' + k)}: {v}" for k, v in counts.items()
        ),
        ctx.t("col.sha256"): hashlib.sha256(path.read_bytes()).hexdigest()[:12],
    }


def inputs_table(ctx: ReportContext) -> HTML:
    """The report's input files: rows, data status and the start of their SHA-256."""
    from helpers.enterprise_panel import PANEL_FILES
    from helpers.province import accounts_long
    from helpers.registers import find_dataset_file
    from helpers.schemas import DATASETS

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
