"""The province accounts file and the published figures: their contracts, readers and checks.

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

Both files are checked with pandera schemas (:func:`accounts_schema`,
:func:`published_figures_schema`) whose failures become located problems (file, sheet, row
as the spreadsheet numbers it, column, value), told in the message catalogue's words.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.errors import InputError
from helpers.inputs.located_schema import FIRST_DATA_ROW, LocatedCheck, LocatedSchema
from helpers.problems import Problems

__all__ = [
    "FIGURE_COLUMNS",
    "FIGURE_KINDS",
    "GROWTH_TOLERANCE",
    "QUALIFIERS",
    "STATUSES",
    "VALUE_COLUMNS",
    "ValueColumn",
    "accounts_header_schema",
    "accounts_long",
    "accounts_schema",
    "load_province_accounts",
    "load_published_figures",
    "published_figures_schema",
]

#: Allowed values of the ``<name>_status`` columns.
STATUSES = ("published", "estimate", "derived", "assumed", "missing")


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
#: Tolerance between ``grdp_growth`` and the growth of ``grdp_constant_2010`` (rounding).
GROWTH_TOLERANCE = 5e-4
#: Years a ``year`` cell may hold.
YEAR_RANGE = (1900, 2100)
#: Investment at constant prices, or the two columns it is computed from.
INVESTMENT_CONSTANT = "investment_constant_2010"
INVESTMENT_PARTS = ("investment_current", "investment_deflator")

#: Columns of the published figures file.
FIGURE_COLUMNS = (
    "area",
    "indicator",
    "start_year",
    "end_year",
    "value",
    "qualifier",
    "unit",
    "kind",
    "source_url",
    "source_date",
    "note",
)
#: How a published figure relates to its value ("above 50 %": 50 with ``above``).
QUALIFIERS = ("equal", "approx", "above", "below", "at_least", "at_most")
#: What a published figure is.
FIGURE_KINDS = ("outcome", "target")


# --------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------


def _parse_number(text: str) -> float | None:
    """Return the number written in ``text``, or None when it is not a plain number."""
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _is_number(text: str) -> bool:
    return _parse_number(text) is not None


def _parse_year(text: str) -> int | None:
    """Return the year written in ``text``, or None when it is not a year of :data:`YEAR_RANGE`."""
    number = _parse_number(text)
    if number is None or number != int(number) or not YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
        return None
    return int(number)


def _in_range(kind: str, number: float) -> bool:
    """Whether a number is acceptable for a column of the given kind."""
    if kind == "level":
        return number > 0
    if kind == "growth":
        return number > -1
    if kind == "fraction":
        return 0 <= number <= 1
    return 0 < number < 1


def _numbers(column: pd.Series) -> pd.Series:
    """The numbers of a text column (NaN where a cell is empty or not a number)."""
    return column.map(lambda text: _parse_number(text) if text else None).astype(float)


def _year_rows(years: pd.Series) -> dict[int, int]:
    """Year → spreadsheet row of the first row holding each valid year."""
    rows: dict[int, int] = {}
    for position, text in enumerate(years):
        year = _parse_year(text)
        if year is not None and year not in rows:
            rows[year] = position + FIRST_DATA_ROW
    return rows


# --------------------------------------------------------------------------------------
# Schemas
# --------------------------------------------------------------------------------------


def accounts_header_schema(header: list[str]) -> LocatedSchema:
    """The columns the accounts file needs, given the columns it has.

    ``year`` and the required value columns always; for every value column present, its
    status and source columns; investment at constant prices, or at current prices with
    its deflator.
    """
    schema = LocatedSchema("province accounts: columns")
    schema.require("year", LocatedCheck("accounts_column_missing", "year", expected="year_column"))
    for spec in VALUE_COLUMNS:
        if spec.required:
            located = LocatedCheck(
                "accounts_column_missing", spec.name, expected=f"unit_{spec.name}"
            )
            schema.require(spec.name, located)
    for spec in VALUE_COLUMNS:
        if spec.name not in header:
            continue
        for part in ("status", "source"):
            column = f"{spec.name}_{part}"
            located = LocatedCheck(
                "accounts_column_missing", column, expected=f"{part}_of", fixed={"name": spec.name}
            )
            schema.require(column, located)
    schema.whole(
        lambda frame: (
            INVESTMENT_CONSTANT in frame.columns or set(INVESTMENT_PARTS) <= set(frame.columns)
        ),
        LocatedCheck(
            "accounts_investment_missing", INVESTMENT_CONSTANT, expected="investment_columns"
        ),
    )
    return schema


def _first_of_its_year(frame: pd.DataFrame) -> pd.Series:
    """Whether each row is the first to hold its year (rows without a valid year pass)."""
    years = frame["year"].map(_parse_year)
    return ~(years.duplicated() & years.notna())


def _first_row_of_year(frame: pd.DataFrame, position: int) -> dict[str, object]:
    year = _parse_year(frame["year"].iloc[position])
    return {"year": year, "first": _year_rows(frame["year"])[year]}  # type: ignore[index]


def _one_of_check(schema: LocatedSchema, column: str, allowed: tuple[str, ...], kind: str) -> None:
    """Accept in ``column`` only the cells that hold one of ``allowed``; else report ``kind``."""
    schema.element(
        column,
        lambda text: text in allowed,
        LocatedCheck(
            kind, column, quote=column, expected="one_of", fixed={"values": " / ".join(allowed)}
        ),
    )


def _value_checks(schema: LocatedSchema, spec: ValueColumn) -> None:
    """The checks of one value column with its status and source."""
    name, status, source = spec.name, spec.name + "_status", spec.name + "_source"
    _one_of_check(schema, status, STATUSES, "accounts_unknown_status")
    expected = f"accounts_{spec.kind}"
    if not spec.allow_missing:
        schema.element(
            name,
            lambda text: text != "",
            LocatedCheck("accounts_empty_value", name, None, expected),
        )
    schema.element(
        name,
        lambda text: text == "" or _is_number(text),
        LocatedCheck("accounts_not_number", name, quote=name, expected=expected),
    )
    out_of_range = "accounts_out_of_range"
    if spec.kind in {"fraction", "share"}:
        out_of_range = "accounts_out_of_range_percentage"
    schema.element(
        name,
        lambda text: not _is_number(text) or _in_range(spec.kind, float(text)),
        LocatedCheck(out_of_range, name, quote=name, expected=expected),
    )
    if spec.allow_missing:
        schema.rows(
            lambda frame: (
                (frame[name] != "") | ~frame[status].isin(STATUSES) | (frame[status] == "missing")
            ),
            LocatedCheck(
                "accounts_empty_but_status",
                status,
                quote=status,
                expected="accounts_missing_status",
                values=lambda frame, position: {"status": frame[status].iloc[position]},
            ),
        )
    numbers = lambda frame: _numbers(frame[name]).notna()  # noqa: E731
    schema.rows(
        lambda frame: ~numbers(frame) | (frame[status] != "missing"),
        LocatedCheck(
            "accounts_value_but_missing",
            status,
            quote=status,
            expected="one_of",
            fixed={"values": " / ".join(s for s in STATUSES if s != "missing")},
        ),
    )
    schema.rows(
        lambda frame: ~numbers(frame) | (frame[source] != ""),
        LocatedCheck("accounts_source_empty", source, expected="accounts_source"),
    )


def accounts_schema(present: list[ValueColumn]) -> LocatedSchema:
    """The checks of the accounts file's rows, for the value columns ``present``.

    Years: a whole number from 1900 to 2100, each once. Values: a plain number in the
    column's range, or empty where the column allows it; statuses from :data:`STATUSES`,
    ``missing`` exactly for the empty values; a source for every value.
    """
    schema = LocatedSchema("province accounts")
    schema.element(
        "year",
        lambda text: _parse_year(text) is not None,
        LocatedCheck("accounts_not_year", "year", quote="year", expected="accounts_year"),
    )
    schema.rows(
        _first_of_its_year,
        LocatedCheck(
            "accounts_year_twice",
            "year",
            quote="year",
            expected="accounts_one_row_per_year",
            values=_first_row_of_year,
        ),
    )
    for spec in present:
        _value_checks(schema, spec)
    return schema


def published_figures_schema() -> LocatedSchema:
    """The columns and rows of the published figures file.

    Every column of :data:`FIGURE_COLUMNS`; years and values as plain numbers, the start no
    later than the end; a qualifier from :data:`QUALIFIERS`, a kind from
    :data:`FIGURE_KINDS`; a source address for every figure.
    """
    schema = LocatedSchema("published figures")
    for column in FIGURE_COLUMNS:
        schema.require(column, LocatedCheck("accounts_column_missing", column))
    for column in ("start_year", "end_year", "value"):
        schema.element(column, _is_number, LocatedCheck("figures_not_number", column, column))
    schema.rows(
        lambda frame: ~(_numbers(frame["start_year"]) > _numbers(frame["end_year"])),
        LocatedCheck("figures_period_reversed", "end_year", quote="end_year"),
    )
    for column, allowed in (("qualifier", QUALIFIERS), ("kind", FIGURE_KINDS)):
        _one_of_check(schema, column, allowed, "figures_unknown_value")
    schema.element(
        "source_url", lambda text: text != "", LocatedCheck("accounts_source_empty", "source_url")
    )
    return schema


# --------------------------------------------------------------------------------------
# Whole-file checks
# --------------------------------------------------------------------------------------


def _year_sequence(rows: dict[int, int], found: Problems) -> None:
    """The years must follow each other, and there must be at least two."""
    if rows:
        first, last = min(rows), max(rows)
        for year in range(first, last + 1):
            if year not in rows:
                found.add(
                    "accounts_year_gap",
                    column="year",
                    value=str(year),
                    expected=found.expected("accounts_every_year", first=first, last=last),
                    year=year,
                )
    if len(rows) < 2:
        found.add(
            "accounts_too_few_years", column="year", expected=found.expected("accounts_two_years")
        )


def _growth_consistency(frame: pd.DataFrame, rows: dict[int, int], found: Problems) -> None:
    """``grdp_growth`` must agree with the growth of ``grdp_constant_2010``."""
    if "grdp_growth" not in frame.columns:
        return
    levels = frame.set_index("year")["grdp_constant_2010"]
    for year, stated in frame.set_index("year")["grdp_growth"].items():
        if pd.isna(stated) or year - 1 not in levels.index:
            continue
        implied = levels[year] / levels[year - 1] - 1
        if abs(implied - stated) > GROWTH_TOLERANCE:
            found.add(
                "accounts_growth_disagrees",
                row=rows.get(year),
                column="grdp_growth",
                value=f"{stated}",
                expected=found.expected(
                    "accounts_growth_within", tolerance=GROWTH_TOLERANCE, implied=implied
                ),
                year=year,
                implied=implied,
            )


# --------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------


def _read_text_table(path: Path) -> tuple[pd.DataFrame, str | None]:
    """Read a CSV or the first sheet of a workbook as text; return the frame and sheet name."""
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        with pd.ExcelFile(path, engine="openpyxl") as book:
            sheet = str(book.sheet_names[0])
            frame = pd.read_excel(book, sheet_name=sheet, dtype=str, keep_default_na=False)
        return frame, sheet
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame, None


def _existing(path: Path, lang: str) -> None:
    if not path.is_file():
        found = Problems(path.name, lang=lang)
        found.add("accounts_file_missing")
        found.raise_if_errors()


def load_province_accounts(path: str | Path, *, lang: str = "en") -> pd.DataFrame:
    """Load and check the province accounts file (CSV, or the first sheet of an XLSX).

    Parameters
    ----------
    path : str or Path
        The file; see :data:`VALUE_COLUMNS` for its columns. Each value column ``<name>``
        needs ``<name>_status`` and ``<name>_source``.
    lang : {"en", "vi"}
        Language of the problems' messages.

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
    _existing(path, lang)
    try:
        text, sheet = _read_text_table(path)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        found = Problems(path.name, lang=lang)
        found.add("accounts_file_unreadable", error=error)
        raise InputError(found) from error
    text = text.apply(lambda column: column.str.strip())
    found = Problems(path.name, sheet, lang)
    header = [str(column) for column in text.columns]
    accounts_header_schema(header).problems(text, found)
    found.raise_if_errors()
    present = [spec for spec in VALUE_COLUMNS if spec.name in header]
    accounts_schema(present).problems(text, found)
    rows = _year_rows(text["year"])
    _year_sequence(rows, found)
    found.raise_if_errors()

    frame = pd.DataFrame({"year": text["year"].astype(float).astype(int)})
    for spec in present:
        frame[spec.name] = _numbers(text[spec.name])
    for spec in present:
        frame[spec.name + "_status"] = text[spec.name + "_status"]
        frame[spec.name + "_source"] = text[spec.name + "_source"]
    frame = frame.sort_values("year", ignore_index=True)
    _growth_consistency(frame, rows, found)
    found.raise_if_errors()
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


def load_published_figures(path: str | Path, *, lang: str = "en") -> pd.DataFrame:
    """Load the official figures to compare against (one row per figure).

    Columns: ``area``, ``indicator``, ``start_year``, ``end_year``, ``value`` (as published,
    in ``unit``: TFP shares in percent), ``qualifier`` (``equal``, ``approx``, ``above``,
    ``below``, ``at_least``, ``at_most``: "above 50 %" is value 50 with qualifier ``above``),
    ``unit``, ``kind`` (``outcome`` or ``target``), ``source_url``, ``source_date``, ``note``.
    Read once per file content in a process (a notebook kernel asks for it in several
    sections); each call returns its own copy.

    Parameters
    ----------
    path : str or Path
        The CSV file.
    lang : {"en", "vi"}
        Language of the problems' messages.

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
    _existing(path, lang)
    stat = path.stat()
    figures = _read_published_figures(str(path.resolve()), stat.st_size, stat.st_mtime_ns, lang)
    return figures.copy()


def forget_published_figures() -> None:
    """Forget the published figures read so far in this process."""
    _read_published_figures.cache_clear()


@functools.lru_cache(maxsize=8)
def _read_published_figures(path_text: str, size: int, mtime_ns: int, lang: str) -> pd.DataFrame:
    """Read and check the published figures (cached on the file's size and time)."""
    path = Path(path_text)
    found = Problems(path.name, lang=lang)
    try:
        text = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        found.add(
            "figures_unreadable",
            value=type(error).__name__,
            expected=found.expected("figures_csv"),
        )
        raise InputError(found) from None
    published_figures_schema().problems(text, found)
    found.raise_if_errors()
    figures = text.copy()
    for column in ("start_year", "end_year"):
        figures[column] = figures[column].astype(float).astype(int)
    figures["value"] = figures["value"].astype(float)
    figures.attrs = {"source": path.name}
    return figures
