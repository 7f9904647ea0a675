"""The one writer of every CSV and XLSX file the project produces: no cell can become a formula.

A spreadsheet runs a text cell beginning with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or a carriage return) as a formula when the file is opened: OWASP calls this
"CSV injection" (formula injection). Names and titles typed by analysts, or by anyone who sends
them a register, reach the report's tables and the problems list, so every export goes through
this module:

* CSV: such a text cell gets a leading apostrophe (``'=HYPERLINK(...)``), which spreadsheets show
  as text; a text cell already beginning with apostrophes before one of those characters gets one
  more, so that :func:`restore_text` gives the original back exactly (line breaks inside a cell
  are written as line feeds);
* XLSX: every text cell is stored as a string (never a formula), and a neutralised one carries
  Excel's "quote prefix" so that editing it keeps it text.

Numbers stay numbers: numeric cells are never touched, and a text cell that is a plain number
(``-12.5``, ``-1.234,5``, ``-3 %``) is not a formula in any spreadsheet and is written as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from openpyxl import Workbook

#: First characters that make a spreadsheet read a text cell as a formula (OWASP list); a line
#: feed too, since a carriage return is written as one in CSV (see :func:`neutralise_value`).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_LINE_BREAKS = re.compile(r"\r\n?")
#: Text that is a plain number (signed, with separators or a percent sign): never a formula.
_NUMBER_TEXT = re.compile(r"^[+-]?\d[\d.,\u00a0 ]*%?$")


def is_dangerous(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula.

    Examples
    --------
    >>> is_dangerous("=1+1"), is_dangerous("-2+3"), is_dangerous("-2.5"), is_dangerous("a-b")
    (True, True, False, False)

    """
    return text.startswith(FORMULA_STARTS) and not _NUMBER_TEXT.match(text)


def neutralise_text(text: str) -> str:
    """Return ``text`` safe for a CSV cell: a leading apostrophe where it could be a formula.

    Text made of apostrophes followed by a dangerous start gets one more apostrophe, so that
    :func:`restore_text` is exact.

    Examples
    --------
    >>> neutralise_text("=SUM(A1)")
    "'=SUM(A1)"
    >>> neutralise_text("-12.5"), neutralise_text("Công ty A")
    ('-12.5', 'Công ty A')

    """
    if is_dangerous(text.lstrip("'")):
        return "'" + text
    return text


def restore_text(text: str) -> str:
    """Undo :func:`neutralise_text` (for reading back a CSV this module wrote).

    Examples
    --------
    >>> restore_text(neutralise_text("@SUM(1)")), restore_text("'quoted' word")
    ('@SUM(1)', "'quoted' word")

    """
    if text.startswith("'") and is_dangerous(text.lstrip("'")):
        return text[1:]
    return text


def neutralise_value(value: object) -> object:
    """A cell value for CSV: text neutralised, anything else (numbers, dates, None) unchanged.

    A carriage return inside text becomes a line feed: the CSV writer quotes a cell holding a
    line feed, but not one holding a bare carriage return, which readers take as a row's end.
    """
    if not isinstance(value, str):
        return value
    return neutralise_text(_LINE_BREAKS.sub("\n", value) if "\r" in value else value)


def _is_text(series: pd.Series) -> bool:
    """Whether a column may hold text (object or string dtype)."""
    return series.dtype == object or pd.api.types.is_string_dtype(series.dtype)


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and headers are neutralised; numbers untouched."""
    safe = frame.copy()
    for column in safe.columns:
        if _is_text(safe[column]):
            safe[column] = safe[column].map(neutralise_value)
    safe.columns = [neutralise_value(c) for c in safe.columns]
    return safe


def write_frame_csv(frame: pd.DataFrame, path: Path, *, encoding: str = "utf-8") -> Path:
    """Write a table as CSV (no index, Unix line ends) with every text cell neutralised."""
    neutralise_frame(frame).to_csv(path, index=False, lineterminator="\n", encoding=encoding)
    return path


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV text of a header and rows, every text cell neutralised (``None`` is an empty cell)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralise_value(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else neutralise_value(v) for v in row])
    return buffer.getvalue()


def _restore_value(value: object) -> object:
    return restore_text(value) if isinstance(value, str) else value


def read_frame_csv(path: Path) -> pd.DataFrame:
    """Read back a CSV written by :func:`write_frame_csv`, text cells restored."""
    frame = pd.read_csv(path)
    for column in frame.columns:
        if _is_text(frame[column]):
            frame[column] = frame[column].map(_restore_value)
    frame.columns = [restore_text(str(c)) for c in frame.columns]
    return frame


def secure_workbook(workbook: Workbook) -> Workbook:
    """Make every text cell of an openpyxl workbook a string cell: none is left a formula.

    openpyxl turns text beginning with ``=`` into a formula; here it becomes a string again.
    A text cell that could read as a formula also gets Excel's quote prefix (as when ``'`` is
    typed before it), so that editing the cell in Excel keeps it text.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                if cell.data_type == "f":
                    cell.data_type = "s"
                if is_dangerous(value):
                    cell.quotePrefix = True
    return workbook


def write_frames_xlsx(
    frames: dict[str, pd.DataFrame], target: Path, *, stamp: dt.datetime | None = None
) -> Path:
    """Write one sheet per frame (names cut to Excel's 31 characters); no cell is a formula.

    ``stamp``, when given, is written as the workbook's creation and modification time (a
    fixed date makes the file reproducible).
    """
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for sheet, frame in frames.items():
            frame.to_excel(writer, sheet_name=sheet[:31], index=False)
        secure_workbook(writer.book)
        if stamp is not None:
            writer.book.properties.created = stamp
            writer.book.properties.modified = stamp
    return target
