"""Statistical disclosure control for tables built from confidential enterprise data.

The rule (DESIGN.md, "Disclosure control"): a published cell needs at least
``min_count`` enterprises (3) and no single enterprise above ``dominance`` (85 %) of the
cell's total. A cell that breaks the rule is suppressed (*primary* suppression). When the
table publishes totals (margins), a single suppressed cell in a row or column could be
recomputed by difference, so further cells are suppressed (*secondary* suppression) until
no line of the table holds exactly one suppressed cell.

How the rules are applied
-------------------------
* Enterprises are counted once per cell (distinct identifiers), whatever the number of
  rows they have in it (several years, several establishments).
* Dominance is measured on the enterprises' contributions to the cell, each enterprise's
  rows summed first, in absolute value: ``max |c_i| / sum |c_i|``. For non-negative
  magnitudes (output, employment, capital) this is the plain share of the total; the
  absolute value keeps the rule meaningful when value added is negative for some
  enterprises.
* A cell with no enterprise at all is not confidential: it is published as empty and is
  never chosen for secondary suppression, since its value is known.
* Means and percentiles (for example mean log TFP by sector) follow the count rule. Their
  values are not sums, so dominance on the averaged variable means nothing; but a weighted
  mean (weighted by output, as the Olley–Pakes aggregate is) is driven by the heaviest
  enterprise, so when ``dominance_on`` names a weight column the dominance rule is applied
  to the enterprises' shares of that weight. Use it for every output-weighted statistic.
* Secondary suppression uses the "no line with a single suppression" rule: every line of
  the table (a row or a column, together with its published total) has either zero or at
  least two suppressed entries. The cell added is the smallest one (by the magnitude of
  its value, then by its number of enterprises) among the published, non-empty cells of
  the line, interior cells before totals. This is the classic hand method; it does not
  compute protection intervals as linear-programming tools (tau-ARGUS) do.
* Secondary cells carry the same marker as primary ones in published output, so a
  reader cannot tell which cells are sensitive.

Examples
--------
>>> import pandas as pd
>>> micro = pd.DataFrame({
...     "sector": ["A", "A", "A", "B", "B", "C", "C", "C", "C"],
...     "enterprise": ["e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9"],
...     "output": [10.0, 12.0, 9.0, 50.0, 40.0, 5.0, 6.0, 7.0, 8.0],
... })
>>> table = suppress_table(micro, by="sector", value="output", enterprise="enterprise")
>>> table[["sector", "n_enterprises", "suppressed", "reason"]]  # doctest: +NORMALIZE_WHITESPACE
  sector  n_enterprises  suppressed     reason
0      A              3       False
1      B              2        True      count
2      C              4        True  secondary
3  Total              9       False
>>> publish_table(table, keys="sector", values="total")
  sector  total
0      A   31.0
1      B      x
2      C      x
3  Total  147.0

"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from helpers.errors import (
    ArgumentError,
    InputError,
    InputProblem,
    InternalError,
    flagged_row_problems,
)

#: Minimum number of distinct enterprises in a published cell.
MIN_COUNT = 3
#: Largest share of a cell's total that a single enterprise may hold.
DOMINANCE_THRESHOLD = 0.85
#: Marker shown in place of a suppressed value (Statistics Canada's "x").
SUPPRESSED_MARKER = "x"
#: Label of the margin (total) entries of a table.
TOTAL_LABEL = "Total"

REASON_COUNT = "count"
REASON_DOMINANCE = "dominance"
REASON_SECONDARY = "secondary"
REASON_NONE = ""

#: Columns that describe the protection of a cell and never go into a published table.
PROTECTION_COLUMNS = ("n_enterprises", "max_share", "suppressed", "reason")

_QUANTILE_PREFIX = "p"


class DisclosureError(InternalError):
    """An output would disclose confidential information (an identifier or a value).

    The public edition is built by the project's own code from suppressed tables, so an
    identifier that reaches it is a fault of the project (exit code 1), never of the input.
    """


# ----------------------------------------------------------------------------------------
# Input checks
# ----------------------------------------------------------------------------------------


def _as_list(columns: str | Sequence[str]) -> list[str]:
    return [columns] if isinstance(columns, str) else list(columns)


def check_thresholds(min_count: object, dominance: object) -> None:
    """Raise :class:`~helpers.errors.ArgumentError` unless the thresholds make a rule.

    ``min_count`` must be a whole number of at least 1 and ``dominance`` a share in (0, 1]
    or None (rule off); any other value would make every comparison fail or mean nothing.

    Examples
    --------
    >>> check_thresholds(3, 0.85)
    >>> check_thresholds(3, 85)
    Traceback (most recent call last):
    ...
    helpers.errors.ArgumentError: dominance must be a share between 0 and 1 (0.85 for 85 %), got 85

    """
    if isinstance(min_count, bool) or not isinstance(min_count, int | np.integer) or min_count < 1:
        raise ArgumentError(f"min_count must be a whole number of at least 1, got {min_count!r}")
    if dominance is None:
        return
    share = dominance if isinstance(dominance, int | float | np.number) else None
    if isinstance(dominance, bool) or share is None or not 0 < float(share) <= 1:
        raise ArgumentError(
            f"dominance must be a share between 0 and 1 (0.85 for 85 %), got {dominance!r}"
        )


def _check_microdata(
    micro: pd.DataFrame, required: Sequence[str], numeric: Sequence[str], source: str
) -> None:
    """Raise :class:`InputError` for missing columns, missing keys or non-numeric values."""
    problems: list[InputProblem] = []
    for column in required:
        if column not in micro.columns:
            problems.append(InputProblem(source, "column is missing", column=column))
    if problems:
        raise InputError(problems)
    for column in required:
        missing = micro[column].isna().to_numpy()
        problems += flagged_row_problems(missing, source, column, "missing value")
    for column in numeric:
        if not pd.api.types.is_numeric_dtype(micro[column]):
            problems.append(
                InputProblem(source, "column is not numeric", column=column, expected="numbers")
            )
    if problems:
        raise InputError(problems)


# ----------------------------------------------------------------------------------------
# Cell statistics and primary suppression
# ----------------------------------------------------------------------------------------


def _contributions(
    micro: pd.DataFrame, by: list[str], enterprise: str, value: str | None
) -> pd.DataFrame:
    """Sum each enterprise's rows within each cell (one row per cell and enterprise)."""
    keys = [*by, enterprise]
    if value is None:
        return micro[keys].drop_duplicates().assign(_contribution=1.0)
    grouped = micro.groupby(keys, sort=False, dropna=False, observed=True)[value].sum()
    return grouped.rename("_contribution").reset_index()


def _regroup(contributions: pd.DataFrame, by: list[str], enterprise: str) -> pd.DataFrame:
    """Sum an enterprise's contributions over the cells merged into a coarser grouping."""
    keys = [*by, enterprise]
    grouped = contributions.groupby(keys, sort=False, dropna=False, observed=True)
    return grouped["_contribution"].sum().reset_index()


def _summarise_contributions(contributions: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Count enterprises, total and largest absolute share per cell.

    ``contributions`` must hold one row per cell and enterprise (see :func:`_regroup`).
    """
    magnitude = contributions["_contribution"].abs()
    frame = contributions.assign(_magnitude=magnitude)
    if not by:
        frame = frame.assign(_all=0)
        by = ["_all"]
    grouped = frame.groupby(by, sort=True, dropna=False, observed=True)
    summary = pd.DataFrame(
        {
            "n_enterprises": grouped.size(),
            "total": grouped["_contribution"].sum(),
            "_largest": grouped["_magnitude"].max(),
            "_magnitude": grouped["_magnitude"].sum(),
        }
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        share = summary["_largest"] / summary["_magnitude"]
    summary["max_share"] = share.where(summary["_magnitude"] > 0)
    summary = summary.drop(columns=["_largest", "_magnitude"]).reset_index()
    return summary.drop(columns=["_all"], errors="ignore")


def cell_statistics(
    micro: pd.DataFrame,
    by: str | Sequence[str],
    enterprise: str,
    value: str | None = None,
    *,
    source: str = "microdata",
) -> pd.DataFrame:
    """Aggregate microdata into cells with the figures the disclosure rule needs.

    Parameters
    ----------
    micro : DataFrame
        One row per enterprise (and year, establishment, ...).
    by : str or sequence of str
        Grouping columns that define the cells (may be empty for a single total).
    enterprise : str
        Column identifying the enterprise (tax code or an anonymous key).
    value : str, optional
        Magnitude to total (output, employment, ...). Without it the table counts
        enterprises and ``total`` equals ``n_enterprises``.
    source : str
        Name of the input used in error messages.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n_enterprises`` (distinct enterprises), ``total`` and
        ``max_share`` (largest enterprise's share of the sum of absolute contributions,
        NaN when that sum is zero or for a frequency table). Cells are sorted by ``by``.

    Examples
    --------
    >>> micro = pd.DataFrame({"s": ["A", "A", "B"], "e": [1, 2, 3], "y": [1.0, 3.0, 2.0]})
    >>> cell_statistics(micro, "s", "e", "y")
       s  n_enterprises  total  max_share
    0  A              2    4.0       0.75
    1  B              1    2.0       1.00

    """
    by = _as_list(by)
    numeric = [value] if value is not None else []
    _check_microdata(micro, [*by, enterprise, *numeric], numeric, source)
    cells = _summarise_contributions(_contributions(micro, by, enterprise, value), by)
    return cells if value is not None else cells.assign(max_share=np.nan)


def primary_reason(
    n_enterprises: pd.Series,
    max_share: pd.Series,
    *,
    min_count: int = MIN_COUNT,
    dominance: float | None = DOMINANCE_THRESHOLD,
) -> pd.Series:
    """Return the primary suppression reason of each cell ("count", "dominance" or "").

    A cell with no enterprise is not suppressed. The count rule wins when both apply.

    Parameters
    ----------
    n_enterprises : Series
        Distinct enterprises per cell.
    max_share : Series
        Largest enterprise's share of the cell (NaN when not applicable).
    min_count : int
        Minimum number of enterprises of a published cell.
    dominance : float or None
        Largest share allowed for one enterprise; None switches the rule off.

    Returns
    -------
    Series
        Reason per cell, aligned with ``n_enterprises``.

    Examples
    --------
    >>> primary_reason(pd.Series([0, 2, 5, 5]), pd.Series([np.nan, 0.6, 0.9, 0.5])).tolist()
    ['', 'count', 'dominance', '']

    """
    check_thresholds(min_count, dominance)
    reason = pd.Series(REASON_NONE, index=n_enterprises.index, dtype=object)
    if dominance is not None:
        dominant = max_share.fillna(0.0) > dominance
        reason[dominant & (n_enterprises > 0)] = REASON_DOMINANCE
    too_few = (n_enterprises > 0) & (n_enterprises < min_count)
    reason[too_few] = REASON_COUNT
    return reason


def _flag_primary(table: pd.DataFrame, *, min_count: int, dominance: float | None) -> pd.DataFrame:
    reason = primary_reason(
        table["n_enterprises"], table["max_share"], min_count=min_count, dominance=dominance
    )
    return table.assign(suppressed=reason != REASON_NONE, reason=reason)


# ----------------------------------------------------------------------------------------
# Margins
# ----------------------------------------------------------------------------------------


def _complete_grid(cells: pd.DataFrame, by: list[str], fill: dict[str, float]) -> pd.DataFrame:
    """Add the empty cells of a 2-D table (combinations with no enterprise)."""
    if len(by) < 2:
        return cells
    levels = [pd.Index(cells[column].unique()).sort_values() for column in by]
    grid = pd.MultiIndex.from_product(levels, names=by)
    completed = cells.set_index(by).reindex(grid)
    for column, value in fill.items():
        completed[column] = completed[column].fillna(value)
    completed["n_enterprises"] = completed["n_enterprises"].astype(int)
    return completed.reset_index()


def _with_margins(
    interior: pd.DataFrame,
    margin_of: dict[tuple[str, ...], pd.DataFrame],
    by: list[str],
    total_label: str,
) -> pd.DataFrame:
    """Stack interior cells and margin cells; collapsed dimensions get ``total_label``."""
    pieces = [interior.assign(is_margin=False)]
    for kept, margin in margin_of.items():
        filled = margin.copy()
        for column in by:
            if column not in kept:
                filled[column] = total_label
        pieces.append(filled[interior.columns].assign(is_margin=True))
    stacked = pd.concat(pieces, ignore_index=True)
    for column in by:
        if stacked[column].dtype != object:
            stacked[column] = stacked[column].astype(object)
    return stacked


def _margin_groupings(by: list[str]) -> list[tuple[str, ...]]:
    """Return the groupings whose cells are published as totals (1-D or 2-D tables)."""
    if len(by) == 1:
        return [()]
    if len(by) == 2:
        return [(by[0],), (by[1],), ()]
    raise InputError(
        [
            InputProblem(
                "table definition",
                "margins (totals) are supported for tables with one or two dimensions",
                value=", ".join(by),
                expected="one or two grouping columns, or margins=False",
            )
        ]
    )


# ----------------------------------------------------------------------------------------
# Secondary suppression
# ----------------------------------------------------------------------------------------


def table_lines(table: pd.DataFrame, by: str | Sequence[str], total_label: str = TOTAL_LABEL):
    """Return the lines of a table with margins: each a list of row positions.

    A line is a set of entries tied by one additivity equation: the cells of a row (or a
    column) together with the row's (column's) total. A 1-D table has a single line.

    Parameters
    ----------
    table : DataFrame
        Table with margins labelled ``total_label`` in the ``by`` columns.
    by : str or sequence of str
        The table's one or two dimensions.
    total_label : str
        Label of the margin entries.

    Returns
    -------
    list of ndarray
        Row positions of each line (only lines that contain a total).

    """
    by = _as_list(by)
    if len(by) == 1:
        has_total = (table[by[0]] == total_label).any()
        return [np.arange(len(table))] if has_total else []
    if len(by) != 2:
        raise ValueError("lines are defined for tables with one or two dimensions")
    lines = []
    for fixed, free in ((by[0], by[1]), (by[1], by[0])):
        for _, positions in table.groupby(fixed, sort=False).indices.items():
            if (table[free].iloc[positions] == total_label).any():
                lines.append(np.asarray(positions))
    return lines


def unprotected_lines(
    table: pd.DataFrame, by: str | Sequence[str], total_label: str = TOTAL_LABEL
) -> list[pd.DataFrame]:
    """Return the lines that hold exactly one suppressed entry (recomputable by difference).

    Parameters
    ----------
    table : DataFrame
        Table with a boolean ``suppressed`` column and margins labelled ``total_label``.
    by : str or sequence of str
        The table's one or two dimensions.
    total_label : str
        Label of the margin entries.

    Returns
    -------
    list of DataFrame
        The offending lines; empty when the table is protected.

    """
    suppressed = table["suppressed"].to_numpy()
    return [
        table.iloc[positions]
        for positions in table_lines(table, by, total_label)
        if suppressed[positions].sum() == 1
    ]


def _choose_secondary(table: pd.DataFrame, positions: np.ndarray, size: str) -> int:
    """Pick the cell to suppress in a line: smallest published non-empty cell."""
    line = table.iloc[positions]
    open_cell = (~line["suppressed"] & (line["n_enterprises"] > 0)).to_numpy()
    if not open_cell.any():
        raise RuntimeError("no cell left to protect a line; the table cannot be published")
    candidates = pd.DataFrame(
        {
            "margin": line["is_margin"].to_numpy()[open_cell],
            "size": line[size].abs().to_numpy()[open_cell],
            "count": line["n_enterprises"].to_numpy()[open_cell],
            "position": positions[open_cell],
        }
    )
    ranked = candidates.sort_values(["margin", "size", "count", "position"], kind="stable")
    return int(ranked["position"].iloc[0])


def apply_secondary_suppression(
    table: pd.DataFrame,
    by: str | Sequence[str],
    *,
    size: str = "total",
    total_label: str = TOTAL_LABEL,
) -> pd.DataFrame:
    """Suppress further cells until no line of the table has exactly one suppressed entry.

    Parameters
    ----------
    table : DataFrame
        Table with margins (as returned by :func:`suppress_table` before this step): the
        ``by`` columns, ``n_enterprises``, ``suppressed``, ``reason``, ``is_margin`` and the
        ``size`` column.
    by : str or sequence of str
        The table's one or two dimensions.
    size : str
        Column whose magnitude ranks the candidate cells (smallest first).
    total_label : str
        Label of the margin entries.

    Returns
    -------
    DataFrame
        A copy with secondary suppressions flagged (reason ``"secondary"``).

    """
    table = table.copy()
    lines = table_lines(table, by, total_label)
    suppressed_column = table.columns.get_loc("suppressed")
    reason_column = table.columns.get_loc("reason")
    changed = True
    while changed:
        changed = False
        for positions in lines:
            if table["suppressed"].to_numpy()[positions].sum() != 1:
                continue
            chosen = _choose_secondary(table, positions, size)
            table.iat[chosen, suppressed_column] = True
            table.iat[chosen, reason_column] = REASON_SECONDARY
            changed = True
    return table


# ----------------------------------------------------------------------------------------
# Tables of totals
# ----------------------------------------------------------------------------------------


def suppress_table(
    micro: pd.DataFrame,
    by: str | Sequence[str],
    value: str | None,
    enterprise: str,
    *,
    margins: bool = True,
    min_count: int = MIN_COUNT,
    dominance: float | None = DOMINANCE_THRESHOLD,
    total_label: str = TOTAL_LABEL,
    source: str = "microdata",
) -> pd.DataFrame:
    """Build a table of totals from microdata with primary and secondary suppression.

    Parameters
    ----------
    micro : DataFrame
        One row per enterprise (and year, establishment, ...).
    by : str or sequence of str
        Grouping columns (one or two when ``margins`` is true).
    value : str or None
        Column to total; None counts enterprises (a frequency table). Margins add the
        cells up, so that totals stay additive: in a frequency table an enterprise found
        in two cells of a line counts twice in the line's ``total`` and once in its
        ``n_enterprises``, and in every table an enterprise's contributions to the cells
        of a line are summed before the dominance rule is applied to the total.
    enterprise : str
        Column identifying the enterprise.
    margins : bool
        Publish row, column and grand totals (labelled ``total_label``) and protect
        suppressed cells against recomputation by difference.
    min_count : int
        Minimum number of enterprises per published cell (DESIGN.md: 3).
    dominance : float or None
        Largest share of a cell one enterprise may hold (DESIGN.md: 0.85); None switches
        the rule off (it is always off for frequency tables).
    total_label : str
        Label of the margin entries in the ``by`` columns.
    source : str
        Name of the input used in error messages.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n_enterprises``, ``total``, ``max_share``, ``is_margin``,
        ``suppressed`` (bool) and ``reason`` ("count", "dominance", "secondary" or "").
        Interior cells come first, sorted by ``by``; 2-D tables include empty cells.
        Pass it to :func:`publish_table` before it leaves the confidential environment.

    Examples
    --------
    >>> micro = pd.DataFrame({
    ...     "sector": ["A"] * 4 + ["B"] * 3,
    ...     "e": ["a", "b", "c", "d", "e", "f", "g"],
    ...     "y": [1.0, 1.0, 1.0, 1.0, 90.0, 2.0, 3.0],
    ... })
    >>> table = suppress_table(micro, "sector", "y", "e", margins=False)
    >>> table[["sector", "reason"]]  # doctest: +NORMALIZE_WHITESPACE
      sector     reason
    0      A
    1      B  dominance

    """
    check_thresholds(min_count, dominance)
    by = _as_list(by)
    if value is None:
        dominance = None
    numeric = [value] if value is not None else []
    _check_microdata(micro, [*by, enterprise, *numeric], numeric, source)
    contributions = _contributions(micro, by, enterprise, value)
    interior = _summarise_contributions(contributions, by)
    interior = _complete_grid(interior, by, {"total": 0.0, "n_enterprises": 0})
    if margins:
        margin_of = {
            kept: _summarise_contributions(
                _regroup(contributions, list(kept), enterprise), list(kept)
            )
            for kept in _margin_groupings(by)
        }
        table = _with_margins(interior, margin_of, by, total_label)
    else:
        table = interior.assign(is_margin=False)
    if value is None:  # a frequency table: the share of a count means nothing
        table["max_share"] = np.nan
    table = _flag_primary(table, min_count=min_count, dominance=dominance)
    if not margins:
        return table
    return apply_secondary_suppression(table, by, size="total", total_label=total_label)


# ----------------------------------------------------------------------------------------
# Tables of means and percentiles
# ----------------------------------------------------------------------------------------


def _quantile_of(statistic: str) -> float | None:
    """Return q for "median" or "pNN" (e.g. "p90" -> 0.9); None for "mean"."""
    if statistic == "mean":
        return None
    if statistic == "median":
        return 0.5
    digits = statistic.removeprefix(_QUANTILE_PREFIX)
    if statistic.startswith(_QUANTILE_PREFIX) and digits.isdigit() and 0 < int(digits) < 100:
        return int(digits) / 100
    raise InputError(
        [
            InputProblem(
                "table definition",
                "unknown statistic",
                value=statistic,
                expected="'mean', 'median' or 'p1' … 'p99'",
            )
        ]
    )


def _statistic_cells(
    micro: pd.DataFrame,
    by: list[str],
    value: str,
    statistic: str,
    weight: str | None,
) -> pd.DataFrame:
    """Compute the statistic per cell (weighted mean when ``weight`` is given)."""
    quantile = _quantile_of(statistic)
    frame = micro.assign(_all=0) if not by else micro
    keys = by or ["_all"]
    grouped = frame.groupby(keys, sort=True, observed=True)
    if quantile is not None:
        result = grouped[value].quantile(quantile)
    elif weight is None:
        result = grouped[value].mean()
    else:
        weighted = frame[value] * frame[weight]
        sums = frame.assign(_wx=weighted).groupby(keys, sort=True, observed=True)
        result = sums["_wx"].sum() / sums[weight].sum()
    return result.rename(statistic).reset_index().drop(columns=["_all"], errors="ignore")


def _statistic_table(
    micro: pd.DataFrame,
    by: list[str],
    value: str,
    enterprise: str,
    statistic: str,
    weight: str | None,
    dominance_on: str | None,
) -> pd.DataFrame:
    """Join the statistic with the count and dominance figures of the same cells."""
    protection = _summarise_contributions(_contributions(micro, by, enterprise, dominance_on), by)
    protection = protection.drop(columns=["total"])
    if dominance_on is None:
        protection["max_share"] = np.nan
    values = _statistic_cells(micro, by, value, statistic, weight)
    if not by:
        return pd.concat([protection, values], axis=1)
    return protection.merge(values, on=by, how="left")


def suppress_statistic(
    micro: pd.DataFrame,
    by: str | Sequence[str],
    value: str,
    enterprise: str,
    *,
    statistic: str = "mean",
    weight: str | None = None,
    dominance_on: str | None = None,
    margins: bool = False,
    min_count: int = MIN_COUNT,
    dominance: float = DOMINANCE_THRESHOLD,
    total_label: str = TOTAL_LABEL,
    source: str = "microdata",
) -> pd.DataFrame:
    """Build a table of means or percentiles with the count (and weight-dominance) rule.

    Parameters
    ----------
    micro : DataFrame
        One row per enterprise (and year).
    by : str or sequence of str
        Grouping columns.
    value : str
        Column summarised (for example ``log_tfp``).
    enterprise : str
        Column identifying the enterprise.
    statistic : str
        ``"mean"``, ``"median"`` or a percentile ``"p10"`` … ``"p90"``.
    weight : str, optional
        Weight of a weighted mean (for example output); only for ``"mean"``.
    dominance_on : str, optional
        Non-negative magnitude on which the dominance rule is applied (normally the same
        column as ``weight``). Without it only the count rule applies.
    margins : bool
        Add the overall statistic (one or two dimensions). For means, a suppressed cell
        could then be recomputed from the overall mean and the cells' sizes, so secondary
        suppression is applied; percentiles cannot be recomputed and get none.
    min_count : int
        Minimum number of enterprises per published cell.
    dominance : float
        Largest share of ``dominance_on`` one enterprise may hold.
    total_label : str
        Label of the margin entries.
    source : str
        Name of the input used in error messages.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n_enterprises``, ``max_share`` (NaN without
        ``dominance_on``), the statistic (column named like ``statistic``), ``is_margin``,
        ``suppressed`` and ``reason``.

    Examples
    --------
    >>> micro = pd.DataFrame({
    ...     "sector": ["A", "A", "A", "B", "B"],
    ...     "e": [1, 2, 3, 4, 5],
    ...     "log_tfp": [0.1, 0.2, 0.3, 0.5, 0.7],
    ... })
    >>> table = suppress_statistic(micro, "sector", "log_tfp", "e")
    >>> table[["sector", "mean", "reason"]]  # doctest: +NORMALIZE_WHITESPACE
      sector  mean reason
    0      A   0.2
    1      B   0.6  count

    """
    check_thresholds(min_count, dominance)
    by = _as_list(by)
    if weight is not None and statistic != "mean":
        raise InputError(
            [
                InputProblem(
                    "table definition",
                    "weights apply to means only",
                    value=statistic,
                    expected="statistic='mean' with weight",
                )
            ]
        )
    extra = [column for column in (weight, dominance_on) if column is not None]
    numeric = [value, *extra]
    _check_microdata(micro, [*by, enterprise, *numeric], numeric, source)
    _quantile_of(statistic)
    interior = _statistic_table(micro, by, value, enterprise, statistic, weight, dominance_on)
    dominance_rule = dominance if dominance_on is not None else None
    if not margins:
        table = interior.assign(is_margin=False)
        return _flag_primary(table, min_count=min_count, dominance=dominance_rule)
    margin_of = {
        kept: _statistic_table(
            micro, list(kept), value, enterprise, statistic, weight, dominance_on
        )
        for kept in _margin_groupings(by)
    }
    table = _with_margins(interior, margin_of, by, total_label)
    table = _flag_primary(table, min_count=min_count, dominance=dominance_rule)
    if statistic != "mean":
        return table
    return apply_secondary_suppression(table, by, size="n_enterprises", total_label=total_label)


# ----------------------------------------------------------------------------------------
# Publishing
# ----------------------------------------------------------------------------------------


def publish_table(
    table: pd.DataFrame,
    keys: str | Sequence[str],
    values: str | Sequence[str],
    *,
    marker: str = SUPPRESSED_MARKER,
) -> pd.DataFrame:
    """Return the publishable table: suppressed values replaced by ``marker``.

    The result is a new frame that holds only ``keys`` and ``values``: the values of
    suppressed cells are removed (not hidden), and the protection columns
    (``n_enterprises``, ``max_share``, ``suppressed``, ``reason``) are dropped, since
    the reason would tell primary from secondary cells. Value columns become ``object``
    columns mixing numbers and the marker.

    Parameters
    ----------
    table : DataFrame
        Output of :func:`suppress_table` or :func:`suppress_statistic`.
    keys : str or sequence of str
        Columns that label the cells (kept as they are).
    values : str or sequence of str
        Columns that carry confidential values (masked in suppressed cells). List
        ``n_enterprises`` here to publish the counts, masked like the values.
    marker : str
        Text shown in a suppressed cell; explain it with :func:`suppression_footnote`.

    Returns
    -------
    DataFrame
        ``keys`` + ``values``, same row order, fresh index.

    Examples
    --------
    >>> table = pd.DataFrame({"s": ["A", "B"], "total": [5.0, 1.0],
    ...                       "suppressed": [False, True]})
    >>> publish_table(table, "s", "total")
       s total
    0  A   5.0
    1  B     x

    """
    keys, values = _as_list(keys), _as_list(values)
    leaked = sorted(set(keys) & set(PROTECTION_COLUMNS))
    if leaked:
        raise ValueError(f"protection columns cannot be keys: {leaked}")
    suppressed = table["suppressed"].to_numpy(dtype=bool)
    published = table[keys].reset_index(drop=True).copy()
    for column in values:
        original = table[column].to_numpy(dtype=object)
        published[column] = pd.Series(
            np.where(suppressed, marker, original), dtype=object, index=published.index
        )
    return published


def suppression_footnote(
    lang: str = "vi",
    *,
    marker: str = SUPPRESSED_MARKER,
    min_count: int = MIN_COUNT,
    dominance: float = DOMINANCE_THRESHOLD,
) -> str:
    """Return the footnote that explains the suppression marker.

    Parameters
    ----------
    lang : {"vi", "en"}
        Language of the note.
    marker : str
        Marker used in the table.
    min_count : int
        Minimum number of enterprises per cell.
    dominance : float
        Dominance threshold (a share).

    Returns
    -------
    str
        One sentence.

    Examples
    --------
    >>> suppression_footnote("en")[:40]
    'x: not published to protect confidential'

    """
    check_thresholds(min_count, dominance)
    percent = f"{dominance * 100:g}"
    if lang == "vi":
        return (
            f"{marker}: không công bố để bảo mật số liệu doanh nghiệp (ô có dưới {min_count} "
            f"doanh nghiệp hoặc một doanh nghiệp chiếm trên {percent.replace('.', ',')} % "
            "tổng số, hoặc ô được ẩn thêm để không thể tính ngược từ số tổng)."
        )
    if lang == "en":
        return (
            f"{marker}: not published to protect confidential enterprise data (fewer than "
            f"{min_count} enterprises, or one enterprise above {percent}% of the total, or "
            "hidden so that it cannot be derived from the totals)."
        )
    raise ArgumentError(f"unknown language {lang!r}; expected 'vi' or 'en'")


# ----------------------------------------------------------------------------------------
# Identifier guard
# ----------------------------------------------------------------------------------------


def _normalise(text: str) -> str:
    """Compare texts in one Unicode form, case-folded, with single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _texts_of(output: object) -> Iterable[str]:
    """Yield every text an output could show: values, column names and index labels."""
    if isinstance(output, str):
        yield output
    elif isinstance(output, pd.DataFrame):
        yield from (str(label) for label in output.columns)
        yield from (str(label) for label in output.index)
        for column in output.columns:
            yield from (str(item) for item in output[column].to_numpy(dtype=object))
    elif isinstance(output, pd.Series):
        yield str(output.name)
        yield from (str(label) for label in output.index)
        yield from (str(item) for item in output.to_numpy(dtype=object))
    elif isinstance(output, Iterable):
        for item in output:
            yield from _texts_of(item)
    else:
        yield str(output)


#: A tax code: digits, with an optional branch suffix such as ``-001``.
_CODE = re.compile(r"\d+(?:-\d+)*")


class _Haystack:
    """The published texts, searched for names (anywhere) and tax codes (whole numbers only).

    A code must not touch another digit: ``5788197006`` is in "MST 5788197006," and in
    "dn_5788197006.csv", not in the value 0.05788197006358573 of a table. Such a code starts
    and ends where a group of digits does, so it is one of the runs of whole groups of a
    number written with dashes (``12-5788197006-001`` holds ``12``, ``5788197006``, ``001``,
    ``12-5788197006``, ``5788197006-001`` and the whole). The text's runs are collected once,
    so each code costs one set lookup.
    """

    def __init__(self, text: str):
        self.text = text
        self.numbers = {
            "-".join(groups[first:last])
            for token in _CODE.findall(text)
            for groups in [token.split("-")]
            for first in range(len(groups))
            for last in range(first + 1, len(groups) + 1)
        }

    def __contains__(self, needle: str) -> bool:
        if _CODE.fullmatch(needle):
            return needle in self.numbers
        return needle in self.text


def find_identifiers(outputs: object, identifiers: Iterable[object]) -> list[str]:
    """Return the identifiers (tax codes, names) that occur anywhere in ``outputs``.

    Matching ignores case, Unicode normal form and repeated spaces, and looks for the
    identifier inside longer texts too (a name inside a sentence, a tax code inside a file
    name). A tax code counts as a whole number only: digits of a long decimal value that
    happen to spell it are not a disclosure.

    Parameters
    ----------
    outputs : str, DataFrame, Series or iterable of them
        Texts and frames about to be published.
    identifiers : iterable
        Tax codes and enterprise names (numbers are compared as text; blanks ignored).

    Returns
    -------
    list of str
        The identifiers found, in the order given, without duplicates.

    Examples
    --------
    >>> find_identifiers(["Công ty ABC đạt 5S"], ["công ty abc", "0100109106"])
    ['công ty abc']

    """
    haystack = _Haystack("\n".join(_normalise(text) for text in _texts_of(outputs)))
    found: list[str] = []
    for identifier in identifiers:
        if identifier is None or (isinstance(identifier, float) and np.isnan(identifier)):
            continue
        needle = _normalise(str(identifier))
        if needle and needle in haystack and str(identifier) not in found:
            found.append(str(identifier))
    return found


def assert_no_identifiers(outputs: object, identifiers: Iterable[object]) -> None:
    """Raise :class:`DisclosureError` when a tax code or enterprise name appears in outputs.

    Parameters
    ----------
    outputs : str, DataFrame, Series or iterable of them
        Texts and frames of the public edition.
    identifiers : iterable
        Tax codes and enterprise names from the confidential panel.

    Raises
    ------
    DisclosureError
        Naming how many identifiers were found (and which, for the internal log).

    Examples
    --------
    >>> assert_no_identifiers([pd.DataFrame({"sector": ["C10"]})], ["5700100256"])
    >>> assert_no_identifiers("MST 5700100256", ["5700100256"])
    Traceback (most recent call last):
    ...
    helpers.tfp.disclosure.DisclosureError: 1 enterprise identifier(s) found in the outputs: ...

    """
    found = find_identifiers(outputs, identifiers)
    if found:
        raise DisclosureError(
            f"{len(found)} enterprise identifier(s) found in the outputs: {', '.join(found)}"
        )
