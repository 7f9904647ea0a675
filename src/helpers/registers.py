"""Read and validate the programme's registers (CSV or Excel) into typed frames.

Every problem is collected, located (file, sheet, Excel row, column, value, expectation) and
raised at once as :class:`helpers.errors.InputError`. Input files are only ever opened for
reading.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers.errors import InputError, InputProblem, raise_if_errors
from helpers.schemas import ACTIVITIES, DATASETS, SUPPORTED_ENTERPRISES, Column, Dataset

#: Row number Excel shows for the first data row (the header is row 1).
FIRST_DATA_ROW = 2
TAX_CODE_PATTERN = re.compile(r"^\d{10}(-\d{3})?$")
_TRUE = {"có", "co", "yes", "y", "x", "1", "true", "đúng"}
_FALSE = {"không", "khong", "no", "n", "0", "false", "sai", ""}


def normalise_text(value: object) -> str:
    """Return ``value`` as NFC text with ordinary spaces, trimmed.

    Examples
    --------
    >>> normalise_text("  Ha\u0323 Long\u00a0 ")
    'Hạ Long'
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def find_dataset_file(data_dir: Path, dataset: Dataset) -> Path | None:
    """Return the dataset's file in ``data_dir`` (``.xlsx`` preferred over ``.csv``), if any."""
    for suffix in (".xlsx", ".csv"):
        candidate = data_dir / f"{dataset.file_stem}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def _read_raw(path: Path, label: str) -> tuple[pd.DataFrame, str | None]:
    """Read a file as text cells; return the frame and the sheet name (Excel only)."""
    if path.suffix.lower() == ".xlsx":
        try:
            sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise InputError([InputProblem(label, f"cannot read the workbook: {exc}")]) from exc
        sheet_name = next(iter(sheets))
        return sheets[sheet_name], sheet_name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            [
                InputProblem(
                    label,
                    f"the file is not UTF-8 text (byte {exc.start} cannot be read)",
                    expected="CSV saved as 'CSV UTF-8' or an .xlsx workbook",
                )
            ]
        ) from exc
    from io import StringIO

    frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    return frame, None


def _map_headers(
    frame: pd.DataFrame, dataset: Dataset, label: str, sheet: str | None
) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Rename Vietnamese headers (or machine names) to machine names; report missing ones."""
    problems: list[InputProblem] = []
    known = {normalise_text(c.header_vi).casefold(): c.name for c in dataset.columns}
    known.update({c.name.casefold(): c.name for c in dataset.columns})
    renames: dict[str, str] = {}
    for header in frame.columns:
        key = normalise_text(header).casefold()
        if key in known:
            renames[header] = known[key]
    frame = frame.rename(columns=renames)
    present = set(renames.values())
    unknown = [h for h in frame.columns if h not in present]
    for column in dataset.columns:
        if column.name in present:
            continue
        suggestion = difflib.get_close_matches(
            normalise_text(column.header_vi), [normalise_text(h) for h in unknown], n=1
        )
        hint = f"; did you mean {suggestion[0]!r}?" if suggestion else ""
        problems.append(
            InputProblem(
                label,
                f"missing column {column.header_vi!r}{hint}",
                row=1,
                column=column.header_vi,
                sheet=sheet,
                severity="error" if column.required else "warning",
            )
        )
        if not column.required:
            frame[column.name] = ""
    return frame, problems


def _parse_int(text: str) -> int:
    number = float(text.replace(" ", ""))
    if not number.is_integer():
        raise ValueError("not a whole number")
    return int(number)


def _parse_float(text: str) -> float:
    return float(text.replace(" ", ""))


def _parse_date(text: str) -> dt.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a date")


def _parse_bool(text: str) -> bool:
    key = text.casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError("not yes/no")


def _parser_for(column: Column) -> tuple[Callable[[str], object], str]:
    """Return the parser of a column and the description of what it expects."""
    if column.kind == "int":
        return _parse_int, "a whole number"
    if column.kind == "float":
        return _parse_float, "a number"
    if column.kind == "date":
        return _parse_date, "a date written dd/mm/yyyy"
    if column.kind == "bool":
        return _parse_bool, "có / không (yes / no)"
    if column.kind == "tax_code":

        def parse_tax_code(text: str) -> str:
            if not TAX_CODE_PATTERN.match(text):
                raise ValueError("bad tax code")
            return text

        return parse_tax_code, "10 digits, or 10 digits-3 digits for a branch"
    if column.kind in ("code", "codes"):
        lookup = {code.casefold(): code for code in column.codes}

        def parse_codes(text: str) -> object:
            parts = [normalise_text(p) for p in text.split(";")] if column.kind == "codes" else [text]
            parts = [p for p in parts if p]
            parsed = []
            for part in parts:
                if part.casefold() not in lookup:
                    raise ValueError(part)
                parsed.append(lookup[part.casefold()])
            return tuple(parsed) if column.kind == "codes" else parsed[0]

        return parse_codes, "one of: " + ", ".join(column.codes)
    return (lambda text: text), "text"


def _parse_column(
    values: pd.Series, column: Column, label: str, sheet: str | None
) -> tuple[list[object], list[InputProblem]]:
    """Parse one column's text cells; collect a problem for each cell that does not parse."""
    parser, expected = _parser_for(column)
    parsed: list[object] = []
    problems: list[InputProblem] = []
    for index, raw in values.items():
        text = normalise_text(raw)
        row = int(index) + FIRST_DATA_ROW
        if not text:
            if column.required:
                problems.append(
                    InputProblem(label, "empty cell", row, column.header_vi, "", expected, sheet)
                )
            parsed.append(() if column.kind == "codes" else None)
            continue
        try:
            value = parser(text)
        except ValueError:
            problems.append(
                InputProblem(label, "value not accepted", row, column.header_vi, text, expected, sheet)
            )
            parsed.append(None)
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            low, high = column.minimum, column.maximum
            if (low is not None and value < low) or (high is not None and value > high):
                problems.append(
                    InputProblem(
                        label,
                        "value out of range",
                        row,
                        column.header_vi,
                        text,
                        f"between {low:g} and {high:g}",
                        sheet,
                    )
                )
        parsed.append(value)
    return parsed, problems


def read_dataset(path: Path, dataset: Dataset, *, label: str | None = None) -> pd.DataFrame:
    """Read and type one register file, raising :class:`InputError` listing every problem.

    Parameters
    ----------
    path : Path
        A ``.csv`` (UTF-8) or ``.xlsx`` file with the dataset's Vietnamese headers (machine names
        are accepted too).
    dataset : Dataset
        The contract, from :mod:`helpers.schemas`.
    label : str, optional
        How to name the file in messages (defaults to its name).

    Returns
    -------
    DataFrame
        Machine-named, typed columns; the index is the Excel row number of each row.
    """
    label = label or path.name
    raw, sheet = _read_raw(path, label)
    frame, problems = _map_headers(raw, dataset, label, sheet)
    if any(p.severity == "error" for p in problems):
        raise InputError(problems)
    frame = frame[[c.name for c in dataset.columns]]
    blank = frame.apply(lambda col: col.map(normalise_text) == "").all(axis=1)
    frame = frame.loc[~blank]
    typed: dict[str, list[object]] = {}
    for column in dataset.columns:
        typed[column.name], column_problems = _parse_column(frame[column.name], column, label, sheet)
        problems.extend(column_problems)
    result = pd.DataFrame(typed, index=frame.index + FIRST_DATA_ROW)
    result.index.name = "excel_row"
    problems.extend(_cross_checks(result, dataset, label, sheet))
    raise_if_errors(problems)
    result.attrs["warnings"] = problems
    return result


def _cross_checks(
    frame: pd.DataFrame, dataset: Dataset, label: str, sheet: str | None
) -> list[InputProblem]:
    """Checks that involve several columns or rows."""
    problems: list[InputProblem] = []
    if dataset is ACTIVITIES:
        for row, year, date in frame[["year", "date"]].itertuples():
            if year is not None and date is not None and date.year != year:
                problems.append(
                    InputProblem(
                        label,
                        "the date is not in the row's year",
                        row,
                        dataset.column("date").header_vi,
                        date.strftime("%d/%m/%Y"),
                        f"a date in {year}",
                        sheet,
                    )
                )
    if dataset is SUPPORTED_ENTERPRISES:
        header = dataset.column("pilot_level").header_vi
        for row, is_pilot, level in frame[["pilot_model", "pilot_level"]].itertuples():
            if is_pilot and not level:
                problems.append(
                    InputProblem(
                        label,
                        "a pilot model needs its level",
                        row,
                        header,
                        "",
                        "provincial or national",
                        sheet,
                    )
                )
        duplicated = frame.drop(columns=["source", "status"]).astype(str).duplicated(keep="first")
        for row in frame.index[duplicated]:
            problems.append(
                InputProblem(
                    label,
                    "this row repeats an earlier row exactly; it is counted once",
                    int(row),
                    None,
                    sheet=sheet,
                    severity="warning",
                )
            )
    return problems


def load_registers(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Read both registers from ``data_dir``, listing the problems of all files at once.

    Raises
    ------
    InputError
        When a file is missing or any cell is invalid.
    """
    frames: dict[str, pd.DataFrame] = {}
    problems: list[InputProblem] = []
    for dataset in DATASETS.values():
        path = find_dataset_file(data_dir, dataset)
        if path is None:
            problems.append(
                InputProblem(
                    f"{dataset.file_stem}.xlsx",
                    f"file not found in the data folder ({dataset.title_en})",
                    expected=f"{dataset.file_stem}.xlsx or {dataset.file_stem}.csv",
                )
            )
            continue
        try:
            frames[dataset.name] = read_dataset(path, dataset)
        except InputError as error:
            problems.extend(error.problems)
    raise_if_errors(problems)
    return frames
