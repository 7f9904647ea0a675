"""The funding block of the programme section: the table of :mod:`helpers.programme.funding`.

Amounts are in million VND and summed from the register's rows; a year without a row has no
data, never zero. The same table feeds the report (notebook 02) and the submission.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import HTML

from helpers.inputs.contracts import FUNDING_SOURCES
from helpers.programme.funding import TOTAL, funding_by_source, with_total_row
from helpers.report import markup
from helpers.report.blocks import show_table, value_formatters
from helpers.report.context import NON_PUBLISHED, ReportContext

# The sums are computed in the programme layer; the names stay importable from here.
__all__ = [
    "TOTAL",
    "funding_block",
    "funding_by_source",
    "funding_frame",
    "funding_register",
    "funding_source_label",
    "with_total_row",
]


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
