"""The programme's funding by year and source, from the funding register.

Amounts are in million VND and summed from the register's rows; a year without a row has no
data (NaN), never zero. The same table feeds the report (notebook 02) and the submission.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from helpers.inputs.contracts import FUNDING_SOURCES
from helpers.report import markup
from helpers.report.blocks import show_table, value_formatters
from helpers.report.context import NON_PUBLISHED, ReportContext

TOTAL = "total"


def funding_by_source(funding: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Funding per year (rows) and source (columns) with a total column, in million VND.

    Parameters
    ----------
    funding : DataFrame
        The typed funding register (``year``, ``fund_source``, ``amount``).
    first, last : int
        Years shown (inclusive); years without a row are left out.

    Examples
    --------
    >>> rows = pd.DataFrame({"year": [2024, 2024, 2025], "amount": [1.5, 2.0, 4.0],
    ...     "fund_source": ["central_budget", "enterprise", "enterprise"]})
    >>> funding_by_source(rows, 2024, 2025)["total"].to_dict()
    {2024: 3.5, 2025: 4.0}

    """
    window = funding[(funding["year"] >= first) & (funding["year"] <= last)]
    table = window.pivot_table(
        index="year", columns="fund_source", values="amount", aggfunc="sum", fill_value=0.0
    )
    table = table.reindex(columns=list(FUNDING_SOURCES), fill_value=0.0).astype(float)
    table.index = table.index.astype(int)
    table.columns.name = None
    table[TOTAL] = table.sum(axis=1)
    return table


def with_total_row(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with a last row summing every column (labelled ``total``)."""
    total = table.sum(axis=0).to_frame().T
    total.index = [TOTAL]
    return pd.concat([table.set_axis(table.index.astype(object)), total])


def funding_register(ctx: ReportContext) -> pd.DataFrame | None:
    """The funding register of the context, or None when the data folder has none."""
    return ctx.registers.get("funding")


def funding_source_label(ctx: ReportContext) -> str:
    """Name the funding register as a source, saying when it holds illustrative rows."""
    frame = funding_register(ctx)
    illustrative = frame is not None and frame["status"].isin(NON_PUBLISHED).any()
    return ctx.t("funding.register_illustrative" if illustrative else "funding.register")


def funding_frame(ctx: ReportContext) -> pd.DataFrame | None:
    """The report's funding table as displayed (labelled columns, a total row), or None."""
    frame = funding_register(ctx)
    if frame is None:
        return None
    phase = ctx.phase
    table = with_total_row(funding_by_source(frame, phase.start, ctx.year))
    labels = [ctx.t(f"funding.source_{s}") for s in FUNDING_SOURCES] + [ctx.t("funding.total")]
    shown = pd.DataFrame(table.to_numpy(), columns=labels)
    shown.insert(
        0,
        ctx.t("col.year"),
        [str(y) if y != TOTAL else ctx.t("funding.total") for y in table.index],
    )
    return shown


def funding_block(ctx: ReportContext) -> HTML:
    """The funding table of the report (years of the phase up to the report year, by source)."""
    shown = funding_frame(ctx)
    if shown is None:
        return HTML(markup.paragraph(ctx.t("funding.none")))
    return show_table(
        shown,
        "funding",
        ctx,
        caption=ctx.t("funding.title"),
        source=funding_source_label(ctx),
        formatters=value_formatters(shown.columns[1:], ctx.lang),
    )
