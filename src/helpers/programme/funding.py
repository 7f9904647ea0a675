"""The programme's funding by year and source, summed from the funding register.

Amounts are in million VND; a year without a row has no data (left out), never zero. The
report (notebook 02) and the submission show the same table.
"""

from __future__ import annotations

import pandas as pd

from helpers.inputs.contracts import FUNDING_SOURCES

__all__ = ["TOTAL", "funding_by_source", "with_total_row"]

#: Label of the total column and of the total row.
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
