"""Province accounts: load and check the yearly file, then estimate the province's TFP.

The province accounts file has one row per year. Each value column ``<name>`` comes with
``<name>_status`` (one of :data:`STATUSES`) and ``<name>_source`` (the address and date of a
published figure, or how a derived or assumed value was obtained). Shares and growth rates
are fractions (0.85 for 85 %), money in billion VND, employment in thousand persons.

Statuses:

``published``
    a figure reported as an outcome by an official source (directly or in the press);
``estimate``
    a figure published as an estimate ("ước") before the statistical yearbook;
``derived``
    computed from other figures by the formula given in the source column;
``assumed``
    chosen to fill a gap, by the method given in the source column;
``missing``
    not available (the value is empty); allowed only in columns the computation can do
    without.

:func:`province_tfp` builds the capital stock from investment at constant prices by the
perpetual inventory method and decomposes GRDP growth (see :mod:`helpers.tfp.growth_accounting`);
:func:`province_sensitivity` shows how the TFP share of a phase moves with the assumptions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.errors import InputError, InputProblem
from helpers.programme.tfp_objective import PublishedShare
from helpers.tfp.growth_accounting import (
    capital_growth_for_share,
    capital_share_for_share,
    decompose,
    labour_quality_adjusted,
)
from helpers.tfp.province_capital import (
    BACKCASTS,
    CAPITAL_OUTPUT_GRID,
    DEFAULT_BACKCAST,
    DEFAULT_CAPITAL_OUTPUT,
    capital_accounts,
)

__all__ = [
    "ALPHA_GRID",
    "ASSUMPTIONS",
    "DEFAULT_ALPHA",
    "DEFAULT_DELTA",
    "DELTA_GRID",
    "EMPLOYMENT_DATA",
    "EMPLOYMENT_GROWTH_VARIANTS",
    "PLAN_PHASES",
    "STATUSES",
    "VALUE_COLUMNS",
    "ValueColumn",
    "accounts_long",
    "central_settings",
    "employment_label",
    "load_province_accounts",
    "load_published_figures",
    "province_inputs",
    "province_reconciliation",
    "province_sensitivity",
    "province_tfp",
    "province_tornado",
]

#: Allowed values of the ``<name>_status`` columns.
STATUSES = ("published", "estimate", "derived", "assumed", "missing")

#: Default capital share α: no input–output table was found, so it is an assumption.
DEFAULT_ALPHA = 0.4
#: Default geometric depreciation rate δ of the capital stock.
DEFAULT_DELTA = 0.05
#: Capital shares shown in the sensitivity table (0.3–0.6).
ALPHA_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
#: Depreciation rates shown in the sensitivity table.
DELTA_GRID = (0.03, 0.04, 0.05, 0.06, 0.07, 0.08)
#: Constant employment growth rates compared with the employment series of the file.
EMPLOYMENT_GROWTH_VARIANTS = (0.0, 0.005, 0.01)
#: Label of the file's employment series in the sensitivity.
EMPLOYMENT_DATA = "data"
#: Phases of Plan 203/KH-UBND (the plan file is the authority; this is the default).
PLAN_PHASES = {"2021–2025": (2021, 2025), "2026–2030": (2026, 2030)}


@dataclass(frozen=True)
class ValueColumn:
    """A value column of the province accounts file.

    Parameters
    ----------
    name : str
        Machine name of the column.
    unit : str
        Unit of the values.
    kind : str
        ``"level"`` (> 0), ``"growth"`` (> −1), ``"fraction"`` (in [0, 1]) or ``"share"``
        (in (0, 1)).
    required : bool
        The column must be in the file.
    allow_missing : bool
        A value may be empty (status ``missing``).

    """

    name: str
    unit: str
    kind: str
    required: bool
    allow_missing: bool


#: The value columns of the province accounts file.
VALUE_COLUMNS = (
    ValueColumn("grdp_growth", "fraction per year, 2010 prices", "growth", False, True),
    ValueColumn("grdp_constant_2010", "billion VND, 2010 prices", "level", True, False),
    ValueColumn("grdp_current", "billion VND, current prices", "level", False, True),
    ValueColumn("investment_current", "billion VND, current prices", "level", False, True),
    ValueColumn("investment_deflator", "index, 2010 = 1", "level", False, False),
    ValueColumn("investment_constant_2010", "billion VND, 2010 prices", "level", False, True),
    ValueColumn("employment", "thousand persons", "level", True, False),
    ValueColumn("trained_labour_share", "fraction of employed persons", "fraction", False, True),
    ValueColumn("labour_share_income", "fraction of GRDP", "share", False, False),
)
_COLUMNS = {c.name: c for c in VALUE_COLUMNS}
_EXPECTED = {
    "level": "a number > 0 (dot as decimal separator)",
    "growth": "a fraction > −1, e.g. 0.1028 for 10.28 %",
    "fraction": "a fraction in [0, 1], e.g. 0.85 for 85 %",
    "share": "a fraction strictly between 0 and 1, e.g. 0.6",
}
#: Tolerance between ``grdp_growth`` and the growth of ``grdp_constant_2010`` (rounding).
_GROWTH_TOLERANCE = 5e-4
_QUALIFIERS = ("equal", "approx", "above", "below", "at_least", "at_most")
_KINDS = ("outcome", "target")


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


def _read_text_table(path: Path) -> tuple[pd.DataFrame, str | None]:
    """Read a CSV or the first sheet of a workbook as text; return the frame and sheet name."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        with pd.ExcelFile(path) as book:
            sheet = str(book.sheet_names[0])
            frame = pd.read_excel(book, sheet_name=sheet, dtype=str, keep_default_na=False)
        return frame, sheet
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame, None


def _parse_number(text: str) -> float | None:
    """Return the number written in ``text``, or None when it is not a plain number."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _in_range(kind: str, number: float) -> bool:
    """Whether a number is acceptable for a column of the given kind."""
    if kind == "level":
        return number > 0
    if kind == "growth":
        return number > -1
    if kind == "fraction":
        return 0 <= number <= 1
    return 0 < number < 1


class _Checker:
    """Collect problems located in one file (and sheet)."""

    def __init__(self, file: str, sheet: str | None):
        self.file = file
        self.sheet = sheet
        self.problems: list[InputProblem] = []

    def add(self, message: str, **where: object) -> None:
        """Record a problem; ``where`` holds row, column, value and expected."""
        value = where.get("value")
        self.problems.append(
            InputProblem(
                file=self.file,
                sheet=self.sheet,
                message=message,
                row=where.get("row"),  # type: ignore[arg-type]
                column=where.get("column"),  # type: ignore[arg-type]
                value=None if value is None else str(value),
                expected=where.get("expected"),  # type: ignore[arg-type]
            )
        )


def _check_columns(text: pd.DataFrame, check: _Checker) -> list[ValueColumn]:
    """Check the header; return the value columns present."""
    header = set(text.columns)
    if "year" not in header:
        check.add("the column is missing", column="year", expected="a column 'year'")
    present = [c for c in VALUE_COLUMNS if c.name in header]
    for spec in VALUE_COLUMNS:
        if spec.required and spec.name not in header:
            check.add("the column is missing", column=spec.name, expected=spec.unit)
    investment = {"investment_current", "investment_deflator"}
    if "investment_constant_2010" not in header and not investment <= header:
        check.add(
            "investment columns are missing",
            column="investment_constant_2010",
            expected="investment_constant_2010, or investment_current and investment_deflator",
        )
    for spec in present:
        for suffix in ("_status", "_source"):
            if spec.name + suffix not in header:
                check.add(
                    "the column is missing",
                    column=spec.name + suffix,
                    expected=f"the {suffix[1:]} of each value of {spec.name}",
                )
    return present


def _check_years(text: pd.DataFrame, check: _Checker) -> dict[int, int]:
    """Check the year column; return year → Excel row for the valid years."""
    rows: dict[int, int] = {}
    for position, raw in enumerate(text["year"]):
        row = position + 2
        number = _parse_number(raw.strip())
        if number is None or number != int(number) or not 1900 <= number <= 2100:
            check.add("not a year", row=row, column="year", value=raw, expected="YYYY")
            continue
        year = int(number)
        if year in rows:
            check.add(
                f"year {year} appears twice (also row {rows[year]})",
                row=row,
                column="year",
                value=raw,
                expected="one row per year",
            )
            continue
        rows[year] = row
    if rows:
        first, last = min(rows), max(rows)
        for year in range(first, last + 1):
            if year not in rows:
                check.add(
                    f"year {year} is missing (the years must follow each other)",
                    column="year",
                    value=str(year),
                    expected=f"one row for every year from {first} to {last}",
                )
    if len(rows) < 2:
        check.add(
            "at least two years are needed (growth is undefined in the first year)",
            column="year",
            expected="two or more consecutive years",
        )
    return rows


def _check_cell(
    spec: ValueColumn, raw: str, status: str, source: str, row: int, check: _Checker
) -> float:
    """Check one value with its status and source; return the number (NaN when missing)."""
    if status not in STATUSES:
        check.add(
            "unknown status",
            row=row,
            column=spec.name + "_status",
            value=status,
            expected=" / ".join(STATUSES),
        )
    if raw == "":
        if not spec.allow_missing:
            check.add(
                "the value is empty", row=row, column=spec.name, expected=_EXPECTED[spec.kind]
            )
        elif status in STATUSES and status != "missing":
            check.add(
                f"the value is empty but its status is {status!r}",
                row=row,
                column=spec.name + "_status",
                value=status,
                expected="'missing' for an empty value",
            )
        return math.nan
    number = _parse_number(raw)
    if number is None:
        check.add(
            "not a number", row=row, column=spec.name, value=raw, expected=_EXPECTED[spec.kind]
        )
        return math.nan
    if not _in_range(spec.kind, number):
        hint = " (a percentage? enter a fraction)" if spec.kind in {"fraction", "share"} else ""
        check.add(
            f"the value is out of range{hint}",
            row=row,
            column=spec.name,
            value=raw,
            expected=_EXPECTED[spec.kind],
        )
    if status == "missing":
        check.add(
            "a value is given but its status is 'missing'",
            row=row,
            column=spec.name + "_status",
            value=status,
            expected=" / ".join(s for s in STATUSES if s != "missing"),
        )
    if not source:
        check.add(
            "the source is empty",
            row=row,
            column=spec.name + "_source",
            expected="the address and date of the figure, or how it was derived or assumed",
        )
    return number


def _check_growth_consistency(frame: pd.DataFrame, rows: dict[int, int], check: _Checker) -> None:
    """Check that ``grdp_growth`` agrees with the growth of ``grdp_constant_2010``."""
    if "grdp_growth" not in frame.columns:
        return
    levels = frame.set_index("year")["grdp_constant_2010"]
    for year, stated in frame.set_index("year")["grdp_growth"].items():
        if pd.isna(stated) or year - 1 not in levels.index:
            continue
        implied = levels[year] / levels[year - 1] - 1
        if abs(implied - stated) > _GROWTH_TOLERANCE:
            check.add(
                f"year {year}: grdp_growth disagrees with the growth of grdp_constant_2010 "
                f"({implied:.4%})",
                row=rows.get(year),
                column="grdp_growth",
                value=f"{stated}",
                expected=f"within {_GROWTH_TOLERANCE} of {implied:.6f}",
            )


def load_province_accounts(path: str | Path) -> pd.DataFrame:
    """Load and check the province accounts file (CSV, or the first sheet of an XLSX).

    Parameters
    ----------
    path : str or Path
        The file; see :data:`VALUE_COLUMNS` for its columns. Each value column ``<name>``
        needs ``<name>_status`` and ``<name>_source``.

    Returns
    -------
    DataFrame
        One row per year, sorted, with ``year`` (int), the value columns (float, NaN only for
        a value whose status is ``missing``) and the status and source columns (str).
        ``attrs["source"]`` holds the file name and ``attrs["excel_rows"]`` maps each year to
        its row in the file, so that later problems can be located.

    Raises
    ------
    InputError
        Every problem found, each naming the file, the row as Excel shows it (header on row
        1), the column, the value and what was expected: missing columns, bad or missing
        years, non-numeric or out-of-range values, unknown statuses, empty sources, and
        GRDP growth that disagrees with the GRDP levels.

    Examples
    --------
    >>> from helpers.config import SAMPLE_DATA_DIR
    >>> accounts = load_province_accounts(SAMPLE_DATA_DIR / "province_accounts.csv")
    >>> accounts.loc[accounts["year"] == 2010, ["employment", "employment_status"]]
       employment employment_status
    0       625.7         published

    """
    path = Path(path)
    if not path.is_file():
        raise InputError([InputProblem(file=path.name, message="the file does not exist")])
    try:
        text, sheet = _read_text_table(path)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InputError(
            [InputProblem(file=path.name, message=f"the file cannot be read: {error}")]
        ) from error
    text = text.apply(lambda column: column.str.strip())
    check = _Checker(path.name, sheet)
    present = _check_columns(text, check)
    if check.problems:
        raise InputError(check.problems)
    rows = _check_years(text, check)

    values: dict[str, list[float]] = {spec.name: [] for spec in present}
    for position in range(len(text)):
        record = text.iloc[position]
        for spec in present:
            values[spec.name].append(
                _check_cell(
                    spec,
                    record[spec.name],
                    record[spec.name + "_status"],
                    record[spec.name + "_source"],
                    position + 2,
                    check,
                )
            )
    if check.problems:
        raise InputError(check.problems)

    frame = pd.DataFrame({"year": text["year"].astype(float).astype(int)})
    for spec in present:
        frame[spec.name] = pd.Series(values[spec.name], dtype=float)
    for spec in present:
        frame[spec.name + "_status"] = text[spec.name + "_status"]
        frame[spec.name + "_source"] = text[spec.name + "_source"]
    frame = frame.sort_values("year", ignore_index=True)
    _check_growth_consistency(frame, rows, check)
    if check.problems:
        raise InputError(check.problems)
    frame.attrs = {"source": path.name, "excel_rows": rows}
    return frame


def accounts_long(accounts: pd.DataFrame) -> pd.DataFrame:
    """Return the accounts as one row per year and variable, with unit, status and source.

    Parameters
    ----------
    accounts : DataFrame
        Result of :func:`load_province_accounts`.

    Returns
    -------
    DataFrame
        Columns ``year``, ``variable``, ``value``, ``unit``, ``status``, ``source``: the table
        a report cites, and the list of assumed values it must declare on its first page.

    Examples
    --------
    >>> from helpers.config import SAMPLE_DATA_DIR
    >>> accounts = load_province_accounts(SAMPLE_DATA_DIR / "province_accounts.csv")
    >>> long = accounts_long(accounts)
    >>> sorted(long.loc[long["variable"] == "employment", "status"].unique())
    ['assumed', 'derived', 'published']

    """
    parts = []
    for spec in VALUE_COLUMNS:
        if spec.name not in accounts.columns:
            continue
        parts.append(
            pd.DataFrame(
                {
                    "year": accounts["year"],
                    "variable": spec.name,
                    "value": accounts[spec.name],
                    "unit": spec.unit,
                    "status": accounts[spec.name + "_status"],
                    "source": accounts[spec.name + "_source"],
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def load_published_figures(path: str | Path) -> pd.DataFrame:
    """Load the official figures to compare against (one row per figure).

    Columns: ``area``, ``indicator``, ``start_year``, ``end_year``, ``value`` (as published,
    in ``unit``: TFP shares in percent), ``qualifier`` (``equal``, ``approx``, ``above``,
    ``below``, ``at_least``, ``at_most``: "above 50 %" is value 50 with qualifier ``above``),
    ``unit``, ``kind`` (``outcome`` or ``target``), ``source_url``, ``source_date``, ``note``.

    Parameters
    ----------
    path : str or Path
        The CSV file.

    Returns
    -------
    DataFrame
        The figures, with years as int and values as float.

    Raises
    ------
    InputError
        Missing columns, non-numeric values or years, a start after the end, or an unknown
        qualifier or kind, each located by file, row and column.

    Examples
    --------
    >>> from helpers.config import SAMPLE_DATA_DIR
    >>> figures = load_published_figures(SAMPLE_DATA_DIR / "published_figures.csv")
    >>> row = figures[(figures["area"] == "Quảng Ninh") & (figures["start_year"] == 2024)]
    >>> first = row.iloc[0]
    >>> float(first["value"]), first["qualifier"]
    (50.0, 'above')

    """
    path = Path(path)
    if not path.is_file():
        raise InputError([InputProblem(file=path.name, message="the file does not exist")])
    try:
        text = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError(
            [
                InputProblem(
                    file=path.name,
                    message="not a readable CSV table",
                    value=type(error).__name__,
                    expected="a UTF-8 CSV file with a header row",
                )
            ]
        ) from None
    check = _Checker(path.name, None)
    required = ["area", "indicator", "start_year", "end_year", "value", "qualifier", "unit"]
    required += ["kind", "source_url", "source_date", "note"]
    for column in required:
        if column not in text.columns:
            check.add("the column is missing", column=column)
    if check.problems:
        raise InputError(check.problems)
    for position, record in text.iterrows():
        row = int(position) + 2  # type: ignore[call-overload]
        numbers = {c: _parse_number(record[c]) for c in ("start_year", "end_year", "value")}
        for column, number in numbers.items():
            if number is None:
                check.add("not a number", row=row, column=column, value=record[column])
        start, end = numbers["start_year"], numbers["end_year"]
        if start is not None and end is not None and start > end:
            check.add("the period starts after it ends", row=row, column="end_year", value=end)
        for column, allowed in (("qualifier", _QUALIFIERS), ("kind", _KINDS)):
            if record[column] not in allowed:
                check.add(
                    "unknown value",
                    row=row,
                    column=column,
                    value=record[column],
                    expected=" / ".join(allowed),
                )
        if not record["source_url"]:
            check.add("the source is empty", row=row, column="source_url")
    if check.problems:
        raise InputError(check.problems)
    figures = text.copy()
    for column in ("start_year", "end_year"):
        figures[column] = figures[column].astype(float).astype(int)
    figures["value"] = figures["value"].astype(float)
    figures.attrs = {"source": path.name}
    return figures


# --------------------------------------------------------------------------------------
# Estimation
# --------------------------------------------------------------------------------------


def _gaps_in(
    accounts: pd.DataFrame, column: str, message: str, expected: str
) -> list[InputProblem]:
    """Problems for the empty values of ``column`` (or for the column being absent)."""
    source = str(accounts.attrs.get("source", "province accounts"))
    rows = accounts.attrs.get("excel_rows") or {}
    if column not in accounts.columns:
        return [InputProblem(file=source, message=message, column=column, expected=expected)]
    return [
        InputProblem(
            file=source,
            message=f"year {year}: {message}",
            row=rows.get(int(year)),
            column=column,
            value="",
            expected=expected,
        )
        for year in accounts.loc[accounts[column].isna(), "year"]
    ]


def _investment_constant(accounts: pd.DataFrame) -> pd.Series:
    """Investment at 2010 prices: the column if given, else current prices / deflator."""
    if "investment_constant_2010" in accounts.columns:
        return accounts["investment_constant_2010"]
    return accounts["investment_current"] / accounts["investment_deflator"]


def province_inputs(
    accounts: pd.DataFrame,
    *,
    delta: float = DEFAULT_DELTA,
    quality_adjust: bool = False,
    premium: float = 0.3,
    capital_output: float = DEFAULT_CAPITAL_OUTPUT,
    backcast: str = DEFAULT_BACKCAST,
) -> pd.DataFrame:
    """Return the inputs of the growth accounting, one row per year.

    Parameters
    ----------
    accounts : DataFrame
        Result of :func:`load_province_accounts`.
    delta : float
        Depreciation rate δ of the perpetual inventory.
    quality_adjust : bool
        Use labour adjusted for the trained-labour share
        (:func:`~helpers.tfp.growth_accounting.labour_quality_adjusted`) instead of employment.
    premium : float
        Efficiency premium of a trained worker, when ``quality_adjust``.
    capital_output : float
        K/Y at the end of the first year, which fixes the opening stock
        (:func:`~helpers.tfp.province_capital.capital_accounts`).
    backcast : {"first", "trend", "last"}
        Investment rate before the first published investment figure.

    Returns
    -------
    DataFrame
        Indexed by year: ``output`` (GRDP, 2010 prices), ``investment`` (2010 prices, gaps
        filled by the investment rate), ``investment_rate`` (I / Y), ``investment_origin``,
        ``capital`` (perpetual inventory, 2010 prices), ``capital_output`` (K / Y),
        ``employment``, ``labour`` (employment, or quality-adjusted labour) and
        ``labour_share`` (``labour_share_income`` if present). ``attrs`` keep the file name
        and rows, the opening stock, κ, the back-cast and δ.

    Raises
    ------
    InputError
        Missing trained-labour shares when ``quality_adjust``, or no investment figure.

    """
    if quality_adjust:
        problems = _gaps_in(
            accounts,
            "trained_labour_share",
            "the trained-labour share is needed for the quality adjustment",
            "a fraction in [0, 1] for every year",
        )
        if problems:
            raise InputError(problems)
    years = accounts["year"].astype(int).to_numpy()
    output = pd.Series(accounts["grdp_constant_2010"].to_numpy(), index=years)
    investment = pd.Series(_investment_constant(accounts).to_numpy(), index=years)
    capital = capital_accounts(
        output, investment, delta=delta, capital_output=capital_output, backcast=backcast
    )
    employment = pd.Series(accounts["employment"].to_numpy(), index=years, name="employment")
    employment.attrs = dict(accounts.attrs)
    labour = employment
    if quality_adjust:
        trained = pd.Series(
            accounts["trained_labour_share"].to_numpy(), index=years, name="trained_labour_share"
        )
        trained.attrs = dict(accounts.attrs)
        labour = labour_quality_adjusted(employment, trained, premium=premium)
    inputs = pd.DataFrame(
        {
            "output": output.to_numpy(),
            "investment": capital["investment"].to_numpy(),
            "investment_rate": capital["rate"].to_numpy(),
            "investment_origin": capital["origin"].to_numpy(),
            "capital": capital["capital"].to_numpy(),
            "capital_output": capital["capital_output"].to_numpy(),
            "employment": employment.to_numpy(),
            "labour": labour.to_numpy(),
        },
        index=pd.Index(years, name="year"),
    )
    if "labour_share_income" in accounts.columns:
        inputs["labour_share"] = accounts["labour_share_income"].to_numpy()
    inputs.attrs = {**accounts.attrs, **capital.attrs}
    return inputs


def province_tfp(
    accounts: pd.DataFrame,
    *,
    alpha: float | None = DEFAULT_ALPHA,
    delta: float = DEFAULT_DELTA,
    method: str = "gso",
    quality_adjust: bool = False,
    premium: float = 0.3,
    capital_output: float = DEFAULT_CAPITAL_OUTPUT,
    backcast: str = DEFAULT_BACKCAST,
) -> pd.DataFrame:
    """Decompose the province's GRDP growth into capital, labour and TFP, year by year.

    The capital stock is built from the published investment figures, gaps filled by the
    investment rate, from an opening K/Y ratio (see :func:`province_inputs`).

    Parameters
    ----------
    accounts : DataFrame
        Result of :func:`load_province_accounts`.
    alpha : float or None
        Capital share α. None takes the per-year ``labour_share_income`` column (α = 1 − it).
    delta : float
        Depreciation rate δ.
    method : {"gso", "tornqvist"}
        See :func:`~helpers.tfp.growth_accounting.decompose`.
    quality_adjust : bool
        Adjust labour for the trained-labour share.
    premium : float
        Efficiency premium of a trained worker, when ``quality_adjust``.
    capital_output : float
        K/Y at the end of the first year (the opening stock).
    backcast : {"first", "trend", "last"}
        Investment rate before the first published investment figure.

    Returns
    -------
    DataFrame
        The yearly decomposition of :func:`~helpers.tfp.growth_accounting.decompose` (from the
        second year of the file).

    Raises
    ------
    InputError
        Missing data needed by the chosen options.

    Examples
    --------
    >>> from helpers.config import SAMPLE_DATA_DIR
    >>> from helpers.tfp.growth_accounting import period_aggregate
    >>> accounts = load_province_accounts(SAMPLE_DATA_DIR / "province_accounts.csv")
    >>> yearly = province_tfp(accounts)
    >>> round(float(yearly.loc[2024, "growth_output"]), 4)
    0.0842
    >>> 0 < period_aggregate(yearly, 2021, 2025)["tfp_share"] < 1
    True

    """
    inputs = province_inputs(
        accounts,
        delta=delta,
        quality_adjust=quality_adjust,
        premium=premium,
        capital_output=capital_output,
        backcast=backcast,
    )
    if alpha is None:
        problems = _gaps_in(
            accounts,
            "labour_share_income",
            "the labour share is needed when alpha is None",
            "a fraction in (0, 1) for every year",
        )
        if problems:
            raise InputError(problems)
        shares = {"labour_share": "labour_share"}
    else:
        shares = {"capital_share": alpha}
    return decompose(
        inputs, output="output", capital="capital", labour="labour", method=method, **shares
    )


def _constant_growth_employment(accounts: pd.DataFrame, rate: float) -> pd.Series:
    """Employment rebuilt from the first year's value at a constant growth rate."""
    first = float(accounts["employment"].iloc[0])
    offset = accounts["year"] - accounts["year"].iloc[0]
    return first * (1.0 + rate) ** offset


def _labour_variants(
    accounts: pd.DataFrame, inputs: pd.DataFrame, employment_growths: Sequence[float]
) -> dict[str, np.ndarray]:
    """Labour input under each employment assumption: the file's series and constant rates."""
    quality = (inputs["labour"] / inputs["employment"]).to_numpy()
    variants = {EMPLOYMENT_DATA: inputs["labour"].to_numpy()}
    for rate in employment_growths:
        employment = _constant_growth_employment(accounts, rate).to_numpy()
        variants[employment_label(rate)] = employment * quality
    return variants


def employment_label(rate: float) -> str:
    """Label of a constant employment growth variant, e.g. ``"+0.5 %/yr"``.

    Examples
    --------
    >>> employment_label(0.005), employment_label(0.0)
    ('+0.5 %/yr', '+0.0 %/yr')

    """
    return f"{rate * 100:+.1f} %/yr"


def province_sensitivity(
    accounts: pd.DataFrame,
    *,
    start: int = 2021,
    end: int = 2025,
    alphas: Iterable[float] = ALPHA_GRID,
    deltas: Iterable[float] = DELTA_GRID,
    capital_outputs: Iterable[float] = CAPITAL_OUTPUT_GRID,
    backcasts: Iterable[str] = BACKCASTS,
    employment_growths: Sequence[float] = EMPLOYMENT_GROWTH_VARIANTS,
    quality_adjust: bool = False,
    premium: float = 0.3,
) -> pd.DataFrame:
    """Return the period TFP share (GSO formula) over every combination of the assumptions.

    The assumptions are the opening K/Y ratio, the investment back-cast, the depreciation
    rate δ, the capital share α and employment (the file's series, label ``"data"``, or
    employment rebuilt from the first year at each constant rate of ``employment_growths``).
    Period figures come from summed contributions.

    Parameters
    ----------
    accounts : DataFrame
        Result of :func:`load_province_accounts`.
    start, end : int
        The period (default: phase 1, 2021–2025).
    alphas, deltas, capital_outputs : iterable of float
        Capital shares, depreciation rates and opening K/Y ratios.
    backcasts : iterable of str
        Investment back-casts (:data:`~helpers.tfp.province_capital.BACKCASTS`).
    employment_growths : sequence of float
        Constant employment growth rates to compare with the file's series.
    quality_adjust : bool
        Adjust every labour variant for the trained-labour share.
    premium : float
        Efficiency premium of a trained worker, when ``quality_adjust``.

    Returns
    -------
    DataFrame
        One row per combination: ``capital_output``, ``backcast``, ``delta``, ``alpha``,
        ``labour_input``, and the period's average ``growth_output``, ``growth_capital``,
        ``growth_labour``, ``growth_tfp`` and ``tfp_share``.

    """
    alpha_list = [float(a) for a in alphas]
    rows = []
    for kappa in capital_outputs:
        for backcast in backcasts:
            for delta in deltas:
                inputs = province_inputs(
                    accounts,
                    delta=delta,
                    quality_adjust=quality_adjust,
                    premium=premium,
                    capital_output=kappa,
                    backcast=backcast,
                )
                window = (inputs.index >= start) & (inputs.index <= end)
                previous = np.roll(window, -1)
                n_years = int(window.sum())
                g_y = float((inputs["output"].pct_change()[window]).sum())
                g_k = float((inputs["capital"].pct_change()[window]).sum())
                if n_years == 0 or previous[-1]:
                    raise InputError(
                        [
                            InputProblem(
                                file=str(accounts.attrs.get("source", "province accounts")),
                                message=f"no growth rate in {start}–{end}",
                                column="year",
                            )
                        ]
                    )
                for label, labour in _labour_variants(accounts, inputs, employment_growths).items():
                    series = pd.Series(labour, index=inputs.index)
                    g_l = float(series.pct_change()[window].sum())
                    for alpha in alpha_list:
                        tfp = g_y - alpha * g_k - (1 - alpha) * g_l
                        rows.append(
                            {
                                "capital_output": float(kappa),
                                "backcast": backcast,
                                "delta": float(delta),
                                "alpha": alpha,
                                "labour_input": label,
                                "growth_output": g_y / n_years,
                                "growth_capital": g_k / n_years,
                                "growth_labour": g_l / n_years,
                                "growth_tfp": tfp / n_years,
                                "tfp_share": tfp / g_y if g_y else float("nan"),
                            }
                        )
    return pd.DataFrame(rows)


#: The assumptions of :func:`province_sensitivity`, with their default (central) setting.
ASSUMPTIONS = ("capital_output", "backcast", "alpha", "delta", "labour_input")


def central_settings() -> dict[str, object]:
    """The central setting of each assumption (the defaults of :func:`province_tfp`)."""
    return {
        "capital_output": DEFAULT_CAPITAL_OUTPUT,
        "backcast": DEFAULT_BACKCAST,
        "alpha": DEFAULT_ALPHA,
        "delta": DEFAULT_DELTA,
        "labour_input": EMPLOYMENT_DATA,
    }


def province_tornado(grid: pd.DataFrame) -> pd.DataFrame:
    """How far each assumption alone moves the period share from the central estimate.

    Parameters
    ----------
    grid : DataFrame
        Result of :func:`province_sensitivity` (it must contain the central settings).

    Returns
    -------
    DataFrame
        One row per assumption, largest swing first: ``assumption``, ``central`` (the
        central share), ``low`` and ``high`` (the lowest and highest share when only this
        assumption varies over its grid), ``low_setting`` and ``high_setting`` (the settings
        giving them) and ``swing`` (high − low).

    Raises
    ------
    ValueError
        The grid does not contain the central settings.

    """
    central = central_settings()

    def at_centre(frame: pd.DataFrame, skip: str) -> pd.DataFrame:
        mask = pd.Series(True, index=frame.index)
        for name, value in central.items():
            if name != skip:
                column = frame[name]
                mask &= np.isclose(column, value) if isinstance(value, float) else column == value
        return frame[mask]

    centre = at_centre(grid, "")
    if centre.empty:
        raise ValueError("the sensitivity grid does not contain the central settings")
    share = float(centre["tfp_share"].iloc[0])
    rows = []
    for name in ASSUMPTIONS:
        line = at_centre(grid, name)
        low, high = line.loc[line["tfp_share"].idxmin()], line.loc[line["tfp_share"].idxmax()]
        rows.append(
            {
                "assumption": name,
                "central": share,
                "low": float(low["tfp_share"]),
                "high": float(high["tfp_share"]),
                "low_setting": low[name],
                "high_setting": high[name],
                "swing": float(high["tfp_share"] - low["tfp_share"]),
            }
        )
    return pd.DataFrame(rows).sort_values("swing", ascending=False, ignore_index=True)


def province_reconciliation(
    accounts: pd.DataFrame,
    shares: Sequence[PublishedShare],
    *,
    alpha: float = DEFAULT_ALPHA,
    deltas: Iterable[float] = DELTA_GRID,
    capital_outputs: Iterable[float] = CAPITAL_OUTPUT_GRID,
    backcasts: Iterable[str] = BACKCASTS,
) -> pd.DataFrame:
    """For each published annual share: the capital growth and the α that would reproduce it.

    Parameters
    ----------
    accounts : DataFrame
        Result of :func:`load_province_accounts`.
    shares : sequence of PublishedShare
        The province's published annual shares (:mod:`helpers.programme.tfp_objective`).
    alpha : float
        Capital share at which the required capital growth is computed.
    deltas, capital_outputs, backcasts
        The capital assumptions over which the capital growth the data support is ranged.

    Returns
    -------
    DataFrame
        One row per published year within the accounts: ``year``, ``published``,
        ``qualifier``, ``estimate`` (the central estimate's share), ``growth_output``,
        ``growth_labour``, ``growth_capital`` (central), ``capital_low`` and
        ``capital_high`` (range over the capital assumptions), ``required_capital_growth``
        (at ``alpha``) and ``required_alpha`` (at the central capital growth). For a
        published lower bound both required values are upper bounds (``bound`` is
        ``"at_most"``); for a point they are equalities (``"equal"``).

    """
    central = province_inputs(accounts)
    growth = central[["output", "capital", "labour"]].pct_change()
    capital_growths = []
    for kappa in capital_outputs:
        for backcast in backcasts:
            for delta in deltas:
                inputs = province_inputs(
                    accounts, delta=delta, capital_output=kappa, backcast=backcast
                )
                capital_growths.append(inputs["capital"].pct_change())
    spread = pd.concat(capital_growths, axis=1)
    rows = []
    for share in shares:
        year = share.year
        if year not in growth.index or pd.isna(growth.loc[year, "output"]):
            continue
        g_y, g_k, g_l = (float(growth.loc[year, c]) for c in ("output", "capital", "labour"))
        estimate = (g_y - alpha * g_k - (1 - alpha) * g_l) / g_y
        lower = share.qualifier in ("above", "at_least")
        upper = share.qualifier in ("below", "at_most")
        rows.append(
            {
                "year": year,
                "published": share.value,
                "qualifier": share.qualifier,
                "estimate": estimate,
                "growth_output": g_y,
                "growth_labour": g_l,
                "growth_capital": g_k,
                "capital_low": float(spread.loc[year].min()),
                "capital_high": float(spread.loc[year].max()),
                "required_capital_growth": capital_growth_for_share(share.value, g_y, g_l, alpha),
                "required_alpha": capital_share_for_share(share.value, g_y, g_k, g_l),
                "bound": "at_most" if lower else ("at_least" if upper else "equal"),
            }
        )
    return pd.DataFrame(rows)
