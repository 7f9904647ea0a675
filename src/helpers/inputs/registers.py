"""Read and validate the programme's registers (CSV or Excel) into typed frames.

Every problem is collected, located (file, sheet, Excel row, column, value, expectation) and
raised at once as :class:`helpers.errors.InputError`. Input files are only ever opened for
reading.

Reading is forgiving where the meaning is certain and says so where it is not:

* text files in UTF-8 (with or without BOM) and UTF-16 (Excel's "Unicode text", tab-separated)
  are read as they are; a file in another encoding is read as Windows-1258 (Vietnamese) or
  Windows-1252 only when it decodes cleanly into Vietnamese letters, with a warning; anything
  else is refused with a clear message;
* the delimiter (``,``, ``;`` or tab) is the one that makes the header row match the template;
* numbers with thousands or decimal separators (``1.234,5``) and dates written ``mm/dd/yyyy``
  are read only when the data folder's ``locale.yaml`` says how they are written;
* headers are matched after trimming, NFC normalisation and case folding (and, with a warning,
  without their accents); rows above the header, blank rows, the templates' notes row (column A
  starts with :data:`NOTES_MARKER`) and merged cells are handled, and numbers typed as text are
  read as numbers;
* the typed frame is then checked by a pandera schema built from the contract (ranges, years,
  cross-column rules), and duplicate rows are reported.

Messages come from the catalogue ``locales/problems_<lang>.yaml``, keyed by problem kind.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import functools
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from helpers.errors import EXIT_BAD_INPUT, InputError, InputProblem, NsclError, raise_if_errors
from helpers.inputs.contracts import (
    DATASETS,
    NOTES_MARKER,
    PROGRAMME_YEARS,
    Column,
    Dataset,
)
from helpers.problems import Problems, load_yaml, problem_text

if TYPE_CHECKING:
    import pandera.pandas as pa

#: Row number Excel shows for the first data row when the header is row 1 (kept for callers).
FIRST_DATA_ROW = 2
TAX_CODE_PATTERN = re.compile(r"^\d{10}(-\d{3})?$")
_TAX_CODE_NOISE = re.compile(r"[\s.]")
_THIRTEEN_DIGITS = re.compile(r"\d{13}")
#: Optional file in a data folder saying how its text cells write numbers and dates.
LOCALE_FILE = "locale.yaml"
#: File suffixes read, in order of preference when several exist.
DATA_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")
#: Spreadsheet formats recognised but not read (the analyst is asked to save as .xlsx).
UNREADABLE_SUFFIXES = (".xls", ".xlsb", ".ods", ".numbers")
#: How many rows from the top may hold titles above the header row.
HEADER_SEARCH_ROWS = 10
#: Error values Excel shows in a cell whose formula failed (or that were typed or pasted).
EXCEL_ERRORS = frozenset(
    {"#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!", "#SPILL!", "#CALC!"}
)
#: First bytes of a zip archive (an .xlsx workbook) and of an OLE compound file (an .xls
#: workbook, or an .xlsx workbook encrypted with a password).
ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: Name of the stream that holds an encrypted workbook inside its OLE container (UTF-16).
ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
#: Weights of the first nine digits in the check digit of a Vietnamese tax code (MST).
TAX_CODE_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)

_TRUE = {"có", "co", "yes", "y", "x", "1", "true", "đúng", "dung"}
_FALSE = {"không", "khong", "no", "n", "0", "false", "sai"}
# --- how the folder writes numbers, dates and text ------------------------------------------


@dataclass(frozen=True)
class ReadLocale:
    """How the text cells of a data folder write numbers and dates, and its text encoding.

    Parameters
    ----------
    decimal : {None, ",", "."}
        ``None`` (default): plain numbers only (``1234.5``); ``","``: Vietnamese style
        ``1.234,5``; ``"."``: ``1,234.5``.
    date_order : {"dmy", "mdy"}
        ``dmy`` reads ``dd/mm/yyyy`` (default), ``mdy`` reads ``mm/dd/yyyy``; ``yyyy-mm-dd`` is
        always read.
    encoding : str
        ``auto`` (default) or a Python codec name for the CSV files (``utf-8``, ``cp1258``, …).

    """

    decimal: str | None = None
    date_order: str = "dmy"
    encoding: str = "auto"

    @property
    def date_format(self) -> str:
        """The date pattern text cells follow."""
        return "dd/mm/yyyy" if self.date_order == "dmy" else "mm/dd/yyyy"

    @property
    def number_example(self) -> str:
        """How 1234.5 is written under this locale."""
        return {None: "1234.5", ",": "1.234,5", ".": "1,234.5"}[self.decimal]


_LOCALE_VALUES = {"decimal": (",", "."), "date_order": ("dmy", "mdy")}


def _locale_setting(key: str, value: object, where: Problems) -> tuple[object, InputProblem | None]:
    """Check one ``locale.yaml`` setting; return its value or a problem."""
    if key == "encoding":
        try:
            codecs.lookup(str(value))
        except LookupError:
            if str(value) != "auto":
                return None, where.problem(
                    "locale_bad_value",
                    column=key,
                    value=str(value),
                    expected=where.expected("one_of", values="auto, utf-8, utf-16, cp1258, cp1252"),
                )
        return str(value), None
    allowed = _LOCALE_VALUES[key]
    if value not in allowed:
        return None, where.problem(
            "locale_bad_value",
            column=key,
            value=str(value),
            expected=where.expected("one_of", values=", ".join(allowed)),
        )
    return value, None


def load_locale(data_dir: Path, lang: str = "en") -> ReadLocale:
    """Read the optional ``locale.yaml`` of a data folder (safe loader).

    Raises
    ------
    InputError
        When the file is not valid YAML, or holds an unknown key or value.

    """
    path = data_dir / LOCALE_FILE
    if not path.is_file():
        return ReadLocale()
    where = Problems(LOCALE_FILE, lang=lang)
    try:
        raw = load_yaml(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError([where.problem("locale_unreadable", detail=exc)]) from exc
    raw = raw or {}
    if not isinstance(raw, dict):
        raise InputError([where.problem("locale_unreadable", detail="key: value pairs expected")])
    settings: dict[str, Any] = {}
    problems = []
    for key, value in raw.items():
        if key not in ("decimal", "date_order", "encoding"):
            problems.append(
                where.problem(
                    "locale_unknown_key",
                    column=str(key),
                    expected=where.expected("one_of", values="decimal, date_order, encoding"),
                )
            )
            continue
        settings[key], problem = _locale_setting(key, value, where)
        if problem:
            problems.append(problem)
    raise_if_errors(problems)
    return ReadLocale(**settings)


# --- text ---------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def normalise_text(value: object) -> str:
    """Return ``value`` as NFC text with ordinary spaces, trimmed.

    Non-breaking and other Unicode spaces become one ordinary space; zero-width characters and
    soft hyphens are removed.

    Examples
    --------
    >>> normalise_text("  Ha\u0323 Long\u00a0 ")
    'Hạ Long'

    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = value if isinstance(value, str) else str(value)
    if not text.isascii():
        text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    joined = " ".join(text.split())  # str.split and re's \s agree on what is a space
    return text if joined == text else joined


def loose_key(text: str) -> str:
    """Return ``text`` without accents, case, spaces and punctuation (for forgiving matches).

    Examples
    --------
    >>> loose_key("Mã số thuế")
    'masothue'
    >>> loose_key("ISO-9001")
    'iso9001'

    """
    decomposed = unicodedata.normalize(
        "NFD", normalise_text(text).replace("đ", "d").replace("Đ", "D")
    )
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return re.sub(r"[\W_]+", "", bare.casefold())


@dataclass(frozen=True)
class UncomputedFormula:
    """A formula cell saved without its computed value (written by a program, not by Excel).

    Parameters
    ----------
    formula : str
        The formula as written (``=A2*2``).
    cell : str
        Its Excel reference (``C5``).

    """

    formula: str
    cell: str


def cell_text(value: object) -> str:
    """The text of a cell as the analyst sees it (numbers without a trailing ``.0``).

    Examples
    --------
    >>> cell_text(2021.0), cell_text(dt.datetime(2021, 1, 6)), cell_text(" a ")
    ('2021', '06/01/2021', 'a')

    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if pd.isna(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, UncomputedFormula):
        return value.formula
    return normalise_text(value)


# --- decoding text files --------------------------------------------------------------------

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + tone)
    for vowel in _VOWELS
    for base in (vowel, vowel.upper())
    for tone in _TONES
) | {"đ", "Đ"}
_NON_ASCII_LETTERS = frozenset(ch for ch in _VIETNAMESE_LETTERS if ord(ch) > 127)
_ALLOWED_SYMBOLS = frozenset("–—‘’“”…•°€₫«»©®™\u00a0")
#: Characters that an old Vietnamese font encoding (TCVN3, VNI) shows when read as Windows-1252.
_LEGACY_FONT_SIGNS = frozenset("¸µ¶·¹¨¬¤¥¦§¼½¾×ØÞþ")
#: Legacy encodings tried, in order, when a file is not UTF-8 or UTF-16.
LEGACY_ENCODINGS = ("cp1258", "cp1252")
ENCODING_NAMES = {"cp1258": "Windows-1258 (Vietnamese)", "cp1252": "Windows-1252 (Western)"}


class _DecodeError(NsclError):
    """A text file that cannot be decoded; carries the problem kind and its values.

    Private control flow: the reader turns it into a located problem of the file.
    """

    exit_code = EXIT_BAD_INPUT

    def __init__(self, kind: str, **values: object):
        super().__init__(kind)
        self.kind = kind
        self.values: dict[str, Any] = values


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``utf-16-be`` when the NUL bytes say so, else None."""
    sample = data[:4096]
    half = max(len(sample) // 2, 1)
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def looks_vietnamese(text: str) -> bool:
    """Whether ``text`` holds Vietnamese letters and nothing a clean decoding would not give.

    Examples
    --------
    >>> looks_vietnamese("Năm,Mã số thuế"), looks_vietnamese("N¨m"), looks_vietnamese("Name")
    (True, False, False)

    """
    has_vietnamese = False
    for ch in set(text):
        if ch < "\x80":
            if not (ch.isprintable() or ch in "\t\r\n"):
                return False
        elif ch in _NON_ASCII_LETTERS:
            has_vietnamese = True
        elif ch not in _ALLOWED_SYMBOLS:
            return False
    return has_vietnamese


def _legacy_decoding(data: bytes) -> tuple[str, str] | None:
    """The first legacy encoding giving clean Vietnamese text, with the text (NFC)."""
    for encoding in LEGACY_ENCODINGS:
        try:
            text = unicodedata.normalize("NFC", data.decode(encoding))
        except UnicodeDecodeError:
            continue
        if looks_vietnamese(text):
            return text, encoding
    return None


def decode_text(data: bytes, encoding: str = "auto") -> tuple[str, str | None]:
    """Decode a text file; return the text and the encoding when it was recognised, not certain.

    Parameters
    ----------
    data : bytes
        The file's bytes.
    encoding : str
        ``auto``, or the codec that ``locale.yaml`` declares.

    Returns
    -------
    tuple of (str, str or None)
        The text (NFC), and the legacy encoding used when the file was not Unicode.

    Raises
    ------
    _DecodeError
        The file is binary, or in an encoding that is not recognised reliably.

    Examples
    --------
    >>> decode_text("Năm".encode("utf-16"))
    ('Năm', None)
    >>> decode_text("Năm".encode("cp1258"))
    ('Năm', 'cp1258')

    """
    if encoding != "auto":
        try:
            return unicodedata.normalize("NFC", data.decode(encoding)), None
        except UnicodeDecodeError as exc:
            raise _DecodeError(
                "encoding_declared_failed", encoding=encoding, position=exc.start
            ) from exc
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return unicodedata.normalize("NFC", data.decode(codec, errors="strict")), None
    if b"\x00" in data[:4096]:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise _DecodeError("not_text")
        return unicodedata.normalize("NFC", data.decode(utf16)), None
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8")), None
    except UnicodeDecodeError as exc:
        position = exc.start
    legacy = _legacy_decoding(data)
    if legacy is not None:
        return legacy
    as_western = data.decode("cp1252", errors="replace")
    if sum(ch in _LEGACY_FONT_SIGNS for ch in as_western) >= 2:
        raise _DecodeError("encoding_legacy_font")
    raise _DecodeError("encoding_unknown", position=position)


# --- raw grids of cells -----------------------------------------------------------------------


@dataclass
class _Grid:
    """Cells of one sheet or text file: ``rows[i]`` is the row Excel numbers ``i + 1``."""

    rows: list[list[Any]]
    sheet: str | None = None
    #: Merged ranges as (first row, first column, last row, last column), 1-based, inclusive.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    notes: list[InputProblem] = field(default_factory=list)


def _header_lookup(dataset: Dataset) -> dict[str, str]:
    """Normalised header or machine name → machine name."""
    lookup = {normalise_text(c.header_vi).casefold(): c.name for c in dataset.columns}
    lookup.update({c.name.casefold(): c.name for c in dataset.columns})
    return lookup


def _loose_lookup(dataset: Dataset) -> dict[str, str]:
    """Header without accents → machine name (only keys that name one column)."""
    lookup: dict[str, str] = {}
    for column in dataset.columns:
        for key in (loose_key(column.header_vi), loose_key(column.name)):
            lookup[key] = column.name
    return lookup


def _row_score(row: Sequence[object], lookup: dict[str, str]) -> int:
    """How many distinct columns of the contract a row's cells name."""
    return len({lookup[k] for k in (cell_text(v).casefold() for v in row) if k in lookup})


def _find_header(rows: Sequence[Sequence[object]], dataset: Dataset) -> tuple[int, int]:
    """Index of the header row among the first rows (most known headers, earliest wins)."""
    lookup = _header_lookup(dataset)
    loose = _loose_lookup(dataset)
    best, best_score = None, 0
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = _row_score(row, lookup) or len(
            {loose[k] for k in (loose_key(cell_text(v)) for v in row) if k in loose}
        )
        if score > best_score:
            best, best_score = index, score
    if best is None:
        best = next((i for i, row in enumerate(rows) if any(cell_text(v) for v in row)), 0)
    return best, best_score


#: One line of a text file, with its end (``\r\n``, ``\r`` or ``\n``), as ``newline=""`` reads.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` one at a time (no copy of the whole text, unlike ``StringIO``)."""
    return (match.group(0) for match in _LINE.finditer(text))


def _choose_delimiter(text: str, dataset: Dataset) -> str:
    """The delimiter (``,``, ``;`` or tab) that makes the header row match the contract."""
    first = "".join(itertools.islice(_lines(text), HEADER_SEARCH_ROWS))
    head = "\n".join(first.splitlines()[:HEADER_SEARCH_ROWS])
    best, best_key = ",", (-1, -1)
    for delimiter in (",", ";", "\t"):
        try:
            rows = list(csv.reader(io.StringIO(head), delimiter=delimiter))
        except csv.Error:
            continue
        rows = [list(r) for r in rows]
        _, score = _find_header(rows, dataset) if rows else (0, 0)
        width = max((len(r) for r in rows), default=0)
        if (score, width) > best_key:
            best, best_key = delimiter, (score, width)
    return best


def _read_text_grid(path: Path, dataset: Dataset, where: Problems, locale: ReadLocale) -> _Grid:
    """Read a CSV or tab-separated text file into a grid of text cells."""
    try:
        text, guessed = decode_text(path.read_bytes(), locale.encoding)
    except _DecodeError as exc:
        expected = where.expected("utf8")
        raise InputError([where.problem(exc.kind, expected=expected, **exc.values)]) from exc
    notes = []
    if guessed:
        name = ENCODING_NAMES.get(guessed, guessed)
        notes.append(
            where.problem("encoding_guessed", encoding=name, expected=where.expected("utf8"))
        )
    delimiter = _choose_delimiter(text, dataset)
    try:
        # Equal cells share one string: a register repeats its codes, years and sources.
        shared: dict[str, str] = {}
        share = shared.setdefault
        reader = csv.reader(_lines(text), delimiter=delimiter)
        rows = [[share(cell, cell) for cell in row] for row in reader]
    except csv.Error as exc:
        raise InputError([where.problem("workbook_unreadable", detail=exc)]) from exc
    return _Grid(rows, None, [], notes)


def _sheet_grid(workbook: Any, name: str) -> _Grid:
    """Cells of a worksheet read by calamine; a merged range's value is put in each of its rows.

    Rows are numbered as in Excel (the first list is row 1, even when the sheet starts lower
    down), and equal text cells share one string (a register repeats its codes and sources).
    """
    sheet = workbook.get_sheet_by_name(name)
    top, left = sheet.start or (0, 0)
    shared: dict[str, str] = {}
    share = shared.setdefault
    rows: list[list[object]] = [[] for _ in range(top)]
    for row in sheet.iter_rows():
        cells = [share(v, v) if v.__class__ is str else v for v in row]
        rows.append([""] * left + cells if left else cells)
    merges = []
    for (first_row, first_col), (last_row, last_col) in sheet.merged_cell_ranges or []:
        merges.append((first_row + 1, first_col + 1, last_row + 1, last_col + 1))
        if first_row >= len(rows) or first_col >= len(rows[first_row]):
            continue
        value = rows[first_row][first_col]
        for row in range(first_row, min(last_row + 1, len(rows))):
            if first_col < len(rows[row]):
                rows[row][first_col] = value
    return _Grid(rows, name, merges)


def _workbook_file_problem(path: Path, where: Problems) -> InputProblem | None:
    """Why a file named ``.xlsx`` cannot be a readable workbook, told from its first bytes.

    Encrypted (password) and old ``.xls`` workbooks are OLE compound files; a workbook cut
    short is a zip archive without its directory; anything else is not a workbook at all
    (often a CSV renamed ``.xlsx``).
    """
    import zipfile

    data = path.read_bytes()
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_STREAM in data:
            return where.problem("workbook_encrypted", expected=where.expected("no_password"))
        return where.problem("workbook_old_xls", expected=where.expected("save_as_xlsx"))
    if data.startswith(ZIP_MAGIC) or not data:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                damaged = archive.testzip()
        except (zipfile.BadZipFile, EOFError):
            damaged = path.name
        if damaged is None:
            return None
        return where.problem("workbook_truncated", expected=where.expected("complete_copy"))
    try:
        decode_text(data)
    except _DecodeError:
        looks = "unknown"
    else:
        looks = "text"
    return where.problem(f"not_a_workbook_{looks}", expected=where.expected("save_as_xlsx_or_csv"))


def _is_reference_sheet(grid: _Grid) -> bool:
    """Whether a sheet is a template's data dictionary or lists of codes, never data."""
    from helpers.inputs.excel_templates import DICTIONARY_HEADERS, DICTIONARY_SHEET, LISTS_SHEET

    if grid.sheet in (DICTIONARY_SHEET, LISTS_SHEET):
        return True
    first = [cell_text(v) for v in grid.rows[0]] if grid.rows else []
    return first[: len(DICTIONARY_HEADERS)] == list(DICTIONARY_HEADERS)


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
#: An error cell (``t="e"``) of a sheet's XML: its column, row and error value.
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]+)(\d+)"[^>]*\bt="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?<v>([^<]*)</v>'
)
#: A formula cell without a value, or with an empty one that is not text (``t="str"``):
#: never computed by a spreadsheet program.
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<c r="([A-Z]+)(\d+)"([^>]*)>(?:<f[^>]*/>|<f[^>]*>([^<]*)</f>)(?:<v></v>|<v/>)?</c>'
)


def _sheet_part(archive: Any, sheet: str) -> str | None:
    """Path of a sheet's XML part inside the workbook archive, from its name."""
    import xml.etree.ElementTree as ElementTree

    try:
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError):
        return None
    targets = {r.get("Id"): r.get("Target", "") for r in relations}
    for entry in book.iter(_MAIN_NS + "sheet"):
        if entry.get("name") == sheet:
            target = targets.get(entry.get(_REL_NS + "id"), "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


#: Bytes of a sheet's XML searched at a time (the XML of a big register is hundreds of MB).
XML_CHUNK = 8 * 2**20


def _whole_cells(stream: Any) -> Iterator[bytes]:
    """A sheet's XML in pieces that end after a cell (``</c>``), so no cell is cut in two."""
    rest = b""
    while chunk := stream.read(XML_CHUNK):
        buffer = rest + chunk
        end = buffer.rfind(b"</c>")
        if end < 0:
            rest = buffer
            continue
        yield buffer[: end + 4]
        rest = buffer[end + 4 :]
    if rest:
        yield rest


def _marked_cells(path: Path, sheet: str) -> dict[tuple[int, int], object]:
    """Error values and formulas without a value of ``sheet``, by (row, column), 1-based.

    The cell reader gives neither (an error cell, or a formula never computed, reads as
    empty), so the sheet's XML is searched for them, a piece at a time (little memory); the
    search runs only on pieces that hold an error cell or a formula at all.
    """
    import html
    import zipfile

    from openpyxl.utils import column_index_from_string

    marked: dict[tuple[int, int], object] = {}
    with zipfile.ZipFile(path) as archive:
        part = _sheet_part(archive, sheet)
        if part is None or part not in archive.namelist():
            return {}
        with archive.open(part) as stream:
            for cells in _whole_cells(stream):
                if b't="e"' in cells:
                    for letters, row, value in _ERROR_CELL.findall(cells):
                        key = (int(row), column_index_from_string(letters.decode()))
                        marked[key] = value.decode("utf-8")
                if b"<f" not in cells:
                    continue
                for letters, row, attributes, formula in _FORMULA_WITHOUT_VALUE.findall(cells):
                    if b't="str"' in attributes:
                        continue  # a formula whose computed value is empty text
                    cell = letters.decode() + row.decode()
                    text = "=" + html.unescape(formula.decode("utf-8")) if formula else "=…"
                    key = (int(row), column_index_from_string(letters.decode()))
                    marked[key] = UncomputedFormula(text, cell)
    return marked


def _read_workbook_grid(path: Path, dataset: Dataset, where: Problems) -> _Grid:
    """Read the sheet of a workbook that holds the dataset.

    The sheet is the one whose header row best matches the contract; among equals, a sheet
    named as the templates' data sheet, then the first visible one. A template's dictionary
    and code-list sheets are never read as data. Cells are read with calamine (fast, little
    memory); an error value, or a formula cell saved without its value (a program wrote it;
    Excel never computed it), is marked from the sheet's XML so that it is reported, not read
    as empty.
    """
    from python_calamine import CalamineWorkbook, SheetVisibleEnum

    from helpers.inputs.excel_templates import DATA_SHEET

    problem = _workbook_file_problem(path, where)
    if problem is not None:
        raise InputError([problem])
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own errors for damaged parts
        raise InputError([where.problem("workbook_unreadable", detail=exc)]) from exc
    try:
        shown = SheetVisibleEnum.Visible
        visible = [m.name for m in workbook.sheets_metadata if m.visible == shown]
        grids = [_sheet_grid(workbook, name) for name in visible or workbook.sheet_names]
    except Exception as exc:
        raise InputError([where.problem("workbook_unreadable", detail=exc)]) from exc
    finally:
        workbook.close()
    grids = [g for g in grids if not _is_reference_sheet(g)] or grids
    scores = [_find_header(g.rows, dataset)[1] if g.rows else 0 for g in grids]
    chosen = max(range(len(grids)), key=lambda i: (scores[i], grids[i].sheet == DATA_SHEET, -i))
    grid = grids[chosen]
    assert grid.sheet is not None  # a workbook's grid always names its sheet
    for (row, column), mark in _marked_cells(path, grid.sheet).items():
        while len(grid.rows) < row:
            grid.rows.append([])
        cells = grid.rows[row - 1]
        cells.extend([""] * (column - len(cells)))
        if cells[column - 1] in (None, ""):
            cells[column - 1] = mark
    threshold = max(2, len(dataset.columns) // 2)
    others = [
        g.sheet for g, s in zip(grids, scores, strict=True) if g is not grid and s >= threshold
    ]
    if others:
        grid.notes.append(
            where.problem(
                "other_sheets",
                sheets=", ".join(repr(s) for s in others),
                expected=where.expected("one_file"),
                severity="warning",
            )
        )
    return grid


# --- from a grid to a frame of raw cells ------------------------------------------------------


@dataclass
class _Table:
    """Raw cells of the dataset's columns, indexed by Excel row, with reading problems."""

    cells: pd.DataFrame
    header_row: int
    problems: list[InputProblem]
    #: The cells' text as the analyst sees it (:func:`cell_text`), same shape as ``cells``.
    text: pd.DataFrame | None = None


def _column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _mapped_header(
    text: str, dataset: Dataset, lookup: dict[str, str], loose: dict[str, str]
) -> tuple[str | None, bool]:
    """Machine name a header cell names, and whether it matched only without accents."""
    name = lookup.get(text.casefold())
    if name is not None:
        return name, False
    name = loose.get(loose_key(text))
    return name, name is not None


def _garbled_header_problems(
    headers: list[str], dataset: Dataset, where: Problems, row: int
) -> list[InputProblem]:
    """Headers that show lost letters (``N?m``) or double-encoded text (``NÄƒm``)."""
    problems = []
    known = [c.header_vi for c in dataset.columns]
    for header in headers:
        if "?" in header:
            pattern = re.compile("^" + re.escape(header).replace(r"\?", ".") + "$")
            if any(pattern.match(k) for k in known):
                problems.append(
                    where.problem(
                        "replaced_letters", row=row, column=header, expected=where.expected("utf8")
                    )
                )
                continue
        try:
            fixed = header.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != header and fixed in known:
            problems.append(
                where.problem(
                    "mojibake",
                    row=row,
                    column=header,
                    found=header,
                    fixed=fixed,
                    expected=where.expected("utf8"),
                )
            )
    return problems


def _map_columns(
    header: list[object], dataset: Dataset, where: Problems, row: int
) -> tuple[dict[str, int], list[InputProblem], list[int]]:
    """Map header cells to machine names; report duplicates, unknown and missing columns.

    Returns the column index of each machine name found, the problems, and the indexes of the
    columns that have no header.
    """
    lookup, loose = _header_lookup(dataset), _loose_lookup(dataset)
    found: dict[str, int] = {}
    problems: list[InputProblem] = []
    unknown: dict[str, int] = {}
    unnamed: list[int] = []
    for index, value in enumerate(header):
        text = cell_text(value)
        if not text:
            unnamed.append(index)
            continue
        name, without_marks = _mapped_header(text, dataset, lookup, loose)
        if name is None:
            unknown[text] = index
            continue
        column = dataset.column(name)
        if name in found:
            other = _column_letter(found[name])
            problems.append(
                where.problem(
                    "duplicate_column", row=row, column=text, header=column.header_vi, other=other
                )
            )
            continue
        found[name] = index
        if without_marks:
            problems.append(
                where.problem("header_without_marks", row=row, column=text, header=column.header_vi)
            )
    problems.extend(_garbled_header_problems(list(unknown), dataset, where, row))
    suggested: set[str] = set()
    for column in dataset.columns:
        if column.name in found:
            continue
        matches = difflib.get_close_matches(column.header_vi, list(unknown), n=1, cutoff=0.6)
        severity = "error" if column.required else "warning"
        suggested.update(matches)
        problems.append(
            where.problem(
                "missing_column_hint" if matches else "missing_column",
                row=row,
                column=column.header_vi,
                header=column.header_vi,
                expected=where.expected("template_header"),
                severity=severity,
                suggestion=matches[0] if matches else "",  # only the hint's message says it
            )
        )
    for text in unknown:
        if text not in suggested:
            problems.append(where.problem("unknown_column", row=row, column=text))
    return found, problems, unnamed


def _data_start(grid: _Grid, header_index: int) -> int:
    """Index of the first row under the header (after rows merged into the header)."""
    header_row = header_index + 1
    bottom = max(
        (last for first, _, last, _ in grid.merges if first <= header_row <= last),
        default=header_row,
    )
    return bottom


def _merge_warnings(
    grid: _Grid, start: int, columns: dict[str, int], dataset: Dataset, where: Problems
) -> list[InputProblem]:
    """One warning per range of merged data cells spanning several rows of a known column."""
    by_index = {index: name for name, index in columns.items()}
    problems = []
    for first_row, first_col, last_row, last_col in grid.merges:
        if first_row <= start or last_row == first_row or (first_col - 1) not in by_index:
            continue
        column = dataset.column(by_index[first_col - 1])
        cells = (
            f"{_column_letter(first_col - 1)}{first_row}:{_column_letter(last_col - 1)}{last_row}"
        )
        value = cell_text(grid.rows[first_row - 1][first_col - 1])
        problems.append(
            where.problem(
                "merged_cells", row=first_row, column=column.header_vi, value=value, cells=cells
            )
        )
    return problems


def _table_from_grid(grid: _Grid, dataset: Dataset, where: Problems) -> _Table:
    """Locate the header, map the columns and collect the data rows of a grid.

    Each column's cells are turned into text once per distinct value; the grid's rows are
    emptied once split into columns (a big register's rows are most of the memory).
    """
    if not any(cell_text(v) for row in grid.rows for v in row):
        empty = where.problem("empty_file", expected=where.expected("template_header"))
        raise InputError([*grid.notes, empty])
    header_index, _ = _find_header(grid.rows, dataset)
    header_row = header_index + 1
    columns, problems, unnamed = _map_columns(grid.rows[header_index], dataset, where, header_row)
    written = [t for t in (cell_text(v) for v in grid.rows[header_index]) if t]
    if not columns and not _garbled_header_problems(written, dataset, where, header_row):
        missing = where.problem(
            "header_row_missing",
            row=header_row,
            rows=HEADER_SEARCH_ROWS,
            expected=where.expected("template_header"),
        )
        raise InputError([*grid.notes, missing])
    problems = grid.notes + problems
    start = _data_start(grid, header_index)
    problems.extend(_merge_warnings(grid, start, columns, dataset, where))
    body = grid.rows[start:]
    width = max([len(row) for row in body], default=0)
    raw = dict(enumerate(_column_values(body, width)))
    count = len(body)
    del body
    grid.rows.clear()  # the cells now live in the column arrays; the row lists can go
    text = {i: distinct_text(raw[i]) for i in {0, *columns.values(), *unnamed} if i < width}
    no_text = np.full(count, "", dtype=object)
    notes = _notes_rows(text.get(0, no_text))
    blank = np.ones(count, dtype=bool)
    for index in columns.values():
        blank &= text.get(index, no_text) == ""
    keep = ~notes & ~blank
    excel_rows = np.arange(start + 1, start + 1 + count)[keep]
    for index in unnamed:
        if index in text:
            filled = np.flatnonzero((text[index] != "") & keep)
            if len(filled):
                problems.append(
                    where.problem(
                        "data_without_header",
                        row=int(start + 1 + filled[0]),
                        column=_column_letter(index),
                    )
                )
    index = pd.Index(excel_rows, name="excel_row")
    cells = pd.DataFrame(
        {name: _kept(raw, i, keep, None) for name, i in columns.items()}, index=index
    )
    texts = pd.DataFrame(
        {name: _kept(text, i, keep, "") for name, i in columns.items()}, index=index
    )
    return _Table(cells, header_row, problems, texts)


def _column_values(rows: list[list[object]], width: int) -> list[np.ndarray]:
    """The cells of ragged rows, column by column (object arrays; a missing cell is None)."""
    if not rows or not width:
        return [np.full(len(rows), None, dtype=object) for _ in range(width)]
    matrix = np.empty((len(rows), width), dtype=object)
    for index in range(width):  # a column at a time: no second copy of the rows
        matrix[:, index] = [row[index] if index < len(row) else None for row in rows]
    return [matrix[:, index] for index in range(width)]


def _kept(arrays: dict[int, np.ndarray], index: int, keep: np.ndarray, fill: object) -> np.ndarray:
    """The kept rows of one column, or ``fill`` when the column is absent."""
    if index in arrays:
        return arrays[index][keep]
    return np.full(int(keep.sum()), fill, dtype=object)


def _notes_rows(first: np.ndarray) -> np.ndarray:
    """Rows whose column A starts with the templates' notes marker."""
    marker = NOTES_MARKER.casefold()
    codes, uniques = _distinct(first)
    is_notes = np.array([str(u).casefold().startswith(marker) for u in uniques], dtype=bool)
    return is_notes[codes] if len(first) else np.zeros(0, dtype=bool)


def _distinct(values: np.ndarray) -> tuple[np.ndarray, list[object]]:
    """Codes and distinct values, so that each distinct cell is read once.

    Values are told apart by type too (``True`` and ``1`` are different cells).
    """
    from pandas.api.types import infer_dtype

    if len(values) and infer_dtype(values, skipna=True) in ("string", "empty"):
        string_codes, string_uniques = pd.factorize(values, use_na_sentinel=False)
        return string_codes, [None if u is None or u != u else u for u in string_uniques]
    seen: dict[tuple[type, object], int] = {}
    uniques: list[object] = []
    codes = np.empty(len(values), dtype=np.intp)
    for position, value in enumerate(values):
        key = (value.__class__, value)
        code = seen.get(key)
        if code is None:
            code = seen[key] = len(uniques)
            uniques.append(value)
        codes[position] = code
    return codes, uniques


def distinct_text(values: np.ndarray) -> np.ndarray:
    """:func:`cell_text` of every cell, computed once per distinct value."""
    codes, uniques = _distinct(values)
    texts = np.empty(len(uniques), dtype=object)
    for position, value in enumerate(uniques):
        texts[position] = cell_text(value)
    return texts[codes]


# --- parsing cells ----------------------------------------------------------------------------


class CellError(NsclError):
    """A cell that does not hold what its column takes.

    Control flow of the cell parsers: the reader turns it into a located problem (file, row,
    column), so it never reaches the command line on its own.

    Parameters
    ----------
    kind : str
        Problem kind (a key of the message catalogue).
    expected : str, optional
        Key of the catalogue's ``expected`` text, when it differs from the column's.

    """

    exit_code = EXIT_BAD_INPUT

    def __init__(self, kind: str, expected: str | None = None, **values: object):
        super().__init__(kind)
        self.kind = kind
        self.expected = expected
        self.values: dict[str, Any] = values


_PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_SEPARATED_NUMBER = re.compile(r"^[+-]?(\d{1,3}([.,]\d{3})+([.,]\d+)?|\d+,\d+)$")


def number_from_text(text: str, locale: ReadLocale) -> Decimal:
    """Read a number written as text, following the folder's locale.

    Examples
    --------
    >>> number_from_text("1.234,5", ReadLocale(decimal=","))
    Decimal('1234.5')
    >>> number_from_text("1 234", ReadLocale())
    Decimal('1234')

    """
    from babel.numbers import NumberFormatError, parse_decimal

    compact = re.sub(r"\s", "", text).replace("\u2212", "-")
    if locale.decimal is None:
        if _PLAIN_NUMBER.match(compact):
            return Decimal(compact)
        if _SEPARATED_NUMBER.match(compact):
            raise CellError("number_separators")
        raise CellError("not_number")
    try:
        return parse_decimal(compact, locale="vi" if locale.decimal == "," else "en", strict=True)
    except NumberFormatError as exc:
        raise CellError(
            "not_number", expected="number_locale", example=locale.number_example
        ) from exc


def _number(value: object, locale: ReadLocale) -> Decimal | float:
    """A number from a numeric cell or from text."""
    if isinstance(value, bool | dt.date):
        raise CellError("not_number")
    if isinstance(value, int | float):
        return value
    return number_from_text(cell_text(value), locale)


def _parse_int(value: object, locale: ReadLocale) -> int:
    try:
        number = _number(value, locale)
    except CellError as exc:
        if exc.kind == "not_number":
            exc.kind = "not_integer"
        raise
    if number != int(number):
        separated = isinstance(value, str) and _SEPARATED_NUMBER.match(re.sub(r"\s", "", value))
        if locale.decimal is None and separated:
            raise CellError("number_separators")
        raise CellError("not_integer")
    return int(number)


def _parse_float(value: object, locale: ReadLocale) -> float:
    return float(_number(value, locale))


_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_LOCAL_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d+)$")
#: Excel's day zero for serial dates (1900 date system).
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _parse_date(value: object, locale: ReadLocale) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 100_000:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise CellError("not_date")
    text = cell_text(value)
    try:
        if match := _ISO_DATE.match(text):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := _LOCAL_DATE.match(text):
            first, second, year_text = match.groups()
            if len(year_text) != 4:
                raise CellError("two_digit_year", expected="four_digit_year")
            day_text, month_text = (
                (first, second) if locale.date_order == "dmy" else (second, first)
            )
            return dt.date(int(year_text), int(month_text), int(day_text))
    except ValueError as exc:  # an impossible day or month (31/02/2024)
        raise CellError("not_date") from exc
    raise CellError("not_date")


def _parse_bool(value: object, locale: ReadLocale) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = cell_text(value).casefold()
    if key in _TRUE or loose_key(key) in _TRUE:
        return True
    if key in _FALSE or loose_key(key) in _FALSE:
        return False
    raise CellError("not_yes_no")


def tax_code_check_digit(code: str) -> int | None:
    """The check digit (10th digit) that the first nine digits of a tax code call for.

    The rule: the weighted sum of the first nine digits (weights 31, 29, 23, 19, 17, 13, 7, 5,
    3) modulo 11, subtracted from 10. None when the rule gives no single digit.

    Examples
    --------
    >>> tax_code_check_digit("0100233488")
    8

    """
    total = sum(w * int(d) for w, d in zip(TAX_CODE_WEIGHTS, code[:9], strict=True))
    digit = 10 - total % 11
    return digit if digit < 10 else None


def _parse_tax_code(value: object, locale: ReadLocale) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = cell_text(value)
        if len(text) == 9 and text.isdigit():
            raise CellError("tax_code_lost_zero", expected="tax_code_text")
    else:
        text = cell_text(value)
    compact = text if TAX_CODE_PATTERN.match(text) else _TAX_CODE_NOISE.sub("", text)
    if _THIRTEEN_DIGITS.fullmatch(compact):
        compact = f"{compact[:10]}-{compact[10:]}"
    if not TAX_CODE_PATTERN.match(compact) or compact[2:9] == "0000000" or compact.endswith("-000"):
        raise CellError("bad_tax_code")
    return compact


def _code_lookup(column: Column) -> dict[str, str]:
    lookup = {loose_key(code): code for code in column.codes}
    lookup.update({code.casefold(): code for code in column.codes})
    return lookup


def _parse_code(value: object, column: Column) -> str:
    text = cell_text(value)
    lookup = _code_lookup(column)
    code = lookup.get(text.casefold()) or lookup.get(loose_key(text))
    if code is None:
        raise CellError("not_code")
    return code


def _parse_codes(value: object, column: Column) -> tuple[str, ...]:
    parts = [p for p in (normalise_text(p) for p in re.split(r"[;,\n|]", cell_text(value))) if p]
    lookup = _code_lookup(column)
    parsed: list[str] = []
    for part in parts:
        code = lookup.get(part.casefold()) or lookup.get(loose_key(part))
        if code is None:
            raise CellError("not_codes", part=part)
        if code not in parsed:
            parsed.append(code)
    return tuple(parsed)


def _parser_for(column: Column) -> Callable[[object, ReadLocale], object]:
    """The parser of a column's cells."""
    parsers: dict[str, Callable[[object, ReadLocale], object]] = {
        "int": _parse_int,
        "float": _parse_float,
        "date": _parse_date,
        "bool": _parse_bool,
        "tax_code": _parse_tax_code,
        "code": lambda value, _locale: _parse_code(value, column),
        "codes": lambda value, _locale: _parse_codes(value, column),
    }
    return parsers.get(column.kind, lambda value, _locale: cell_text(value))


def column_expected(column: Column, where: Problems, locale: ReadLocale) -> str:
    """What a column's cells take, in the messages' language."""
    if column.kind in ("code", "codes"):
        return where.expected(column.kind, codes=", ".join(column.codes))
    if column.kind == "date":
        return where.expected("date", date_format=locale.date_format)
    if column.kind in ("int", "float", "bool", "tax_code"):
        return where.expected(column.kind)
    return where.expected("text")


def _plain_tax_codes(uniques: list[object], texts: np.ndarray) -> np.ndarray:
    """Which distinct cells are text already written as a valid tax code (read as they are)."""
    is_text = np.fromiter((isinstance(v, str) for v in uniques), bool, len(uniques))
    written = pd.Series(texts, dtype=object)
    valid = written.str.fullmatch(TAX_CODE_PATTERN.pattern.strip("^$")).fillna(False)
    valid &= written.str[2:9] != "0000000"
    valid &= ~written.str.endswith("-000").fillna(False)
    return is_text & valid.to_numpy(dtype=bool)


def _parse_column(
    values: pd.Series, column: Column, where: Problems, locale: ReadLocale, text: pd.Series
) -> tuple[list[object], list[InputProblem]]:
    """Parse one column's cells; collect a problem for each cell that does not parse.

    Each distinct cell is parsed once; the problems are then located on every row holding it.
    """
    parser = _parser_for(column)
    expected = column_expected(column, where, locale)
    missing: object = () if column.kind == "codes" else None
    codes, uniques = _distinct(values.to_numpy(dtype=object))
    texts = text.to_numpy(dtype=object)
    first = np.unique(codes, return_index=True)[1] if len(codes) else codes
    parsed = np.empty(len(uniques), dtype=object)
    errors: dict[int, CellError] = {}
    serial = np.zeros(len(uniques), dtype=bool)
    plain = _plain_tax_codes(uniques, texts[first]) if column.kind == "tax_code" else None
    for position, (raw, text) in enumerate(zip(uniques, texts[first], strict=True)):
        parsed[position] = missing
        if not text:
            continue
        if plain is not None and plain[position]:
            parsed[position] = text
            continue
        if isinstance(raw, UncomputedFormula):
            errors[position] = CellError("formula_without_value", "recalculated", cell=raw.cell)
            continue
        if text.upper() in EXCEL_ERRORS:
            errors[position] = CellError("excel_error", "excel_value", error=text.upper())
            continue
        if column.kind == "str":
            parsed[position] = text
            continue
        try:
            parsed[position] = parser(raw, locale)
        except CellError as exc:
            errors[position] = exc
            continue
        serial[position] = (
            column.kind == "date" and isinstance(raw, int | float) and not isinstance(raw, bool)
        )
    rows = values.index.to_numpy()
    problems: list[InputProblem] = []
    if column.required:
        for at in np.flatnonzero(texts == ""):
            problems.append(
                where.problem(
                    "empty_cell",
                    row=int(rows[at]),
                    column=column.header_vi,
                    value="",
                    expected=expected,
                )
            )
    if errors:
        failed = np.zeros(len(uniques), dtype=bool)
        failed[list(errors)] = True
        for at in np.flatnonzero(failed[codes]):
            failure = errors[int(codes[at])]
            wanted = expected
            if failure.expected:
                wanted = where.expected(
                    failure.expected, date_format=locale.date_format, example=locale.number_example
                )
            problems.append(
                where.problem(
                    failure.kind,
                    row=int(rows[at]),
                    column=column.header_vi,
                    value=texts[at],
                    expected=wanted,
                    **failure.values,
                )
            )
    for at in np.flatnonzero(serial[codes]):
        problems.append(
            where.problem(
                "date_serial",
                row=int(rows[at]),
                column=column.header_vi,
                value=texts[at],
                date=parsed[codes[at]].strftime("%d/%m/%Y"),
            )
        )
    return parsed[codes].tolist(), problems


# --- validating the typed frame (pandera) -----------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    """A rule over several columns: ``test`` is True where a row passes."""

    kind: str
    column: str
    test: Callable[[pd.DataFrame], pd.Series]
    expected: Callable[[pd.Series, Problems], str]


def _present(series: pd.Series) -> pd.Series:
    """True where a cell holds a value (not None, NaN or empty)."""
    return series.notna() & ~series.isin(_EMPTY_VALUES)


#: Cells that hold no value although they are not missing: empty text, no codes.
_EMPTY_VALUES = pd.Index(["", ()], dtype=object, tupleize_cols=False)


def _date_in_year(frame: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [
            d is None or y != y or y is None or d.year == y
            for d, y in zip(frame["date"], frame["year"], strict=True)
        ],
        index=frame.index,
    )


def _enterprises_within_participants(frame: pd.DataFrame) -> pd.Series:
    participants = frame["participants"].astype(float)
    both = _present(frame["enterprises"]) & _present(frame["participants"]) & (participants >= 0)
    return ~both | (frame["enterprises"].astype(float) <= participants)


def _pilot_has_level(frame: pd.DataFrame) -> pd.Series:
    return ~(frame["pilot_model"] == True) | _present(frame["pilot_level"])  # noqa: E712


def _level_needs_pilot(frame: pd.DataFrame) -> pd.Series:
    return ~((frame["pilot_model"] == False) & _present(frame["pilot_level"]))  # noqa: E712


def _tax_code_digit_ok(frame: pd.DataFrame) -> pd.Series:
    """Check digits of real rows (illustrative rows carry made-up codes)."""
    codes = frame["tax_code"].to_numpy(dtype=object)
    status = frame["status"].to_numpy(dtype=object)
    checked = np.fromiter((isinstance(c, str) for c in codes), bool, len(codes))
    checked &= status != "illustrative"
    ok = np.ones(len(codes), dtype=bool)
    heads = "".join(c[:10] for c in codes[checked])
    if heads.isascii() and heads:
        digits = np.frombuffer(heads.encode("ascii"), dtype=np.uint8).reshape(-1, 10) - 48
        wanted = 10 - (digits[:, :9].astype(np.int64) @ np.array(TAX_CODE_WEIGHTS)) % 11
        ok[checked] = (wanted < 10) & (wanted == digits[:, 9])
    elif heads:  # digits of another script: one code at a time
        ok[checked] = [tax_code_check_digit(c) == int(c[9]) for c in codes[checked]]
    return pd.Series(ok, index=frame.index)


_RULES: dict[str, tuple[_Rule, ...]] = {
    "supported_enterprises": (
        _Rule(
            "pilot_needs_level",
            "pilot_level",
            _pilot_has_level,
            lambda row, where: where.expected("pilot_level"),
        ),
        _Rule(
            "level_without_pilot",
            "pilot_level",
            _level_needs_pilot,
            lambda row, where: where.expected("no_level"),
        ),
        _Rule(
            "tax_code_check_digit",
            "tax_code",
            _tax_code_digit_ok,
            lambda row, where: where.expected("tax_code"),
        ),
    ),
    "activities": (
        _Rule(
            "date_not_in_year",
            "date",
            _date_in_year,
            lambda row, where: where.expected("year_of_row", year=int(row["year"])),
        ),
        _Rule(
            "enterprises_over_participants",
            "enterprises",
            _enterprises_within_participants,
            lambda row, where: where.expected(
                "at_most_participants", limit=cell_text(row["participants"])
            ),
        ),
    ),
}


def _column_checks(column: Column) -> list[pa.Check]:
    """Range checks of a numeric column, and the programme years for ``year``."""
    import pandera.pandas as pa

    checks = []
    if column.kind in ("int", "float"):
        if column.minimum is not None:
            kind = "negative" if column.minimum == 0 else "out_of_range"
            checks.append(pa.Check.ge(column.minimum, error=kind))
        if column.maximum is not None:
            checks.append(pa.Check.le(column.maximum, error="out_of_range"))
    if column.name == "year":
        start = PROGRAMME_YEARS[0]
        low = column.minimum if column.minimum is not None else start
        checks.append(pa.Check(lambda s: (s >= start) | (s < low), error="before_programme"))
    return checks


@functools.cache
def dataset_schema(name: str) -> pa.DataFrameSchema:
    """The pandera schema of a dataset's typed frame, built from its contract.

    Each check's ``error`` is a problem kind of the message catalogue.
    """
    import pandera.pandas as pa

    dataset = DATASETS[name]
    columns = {
        c.name: pa.Column(checks=_column_checks(c), nullable=True, required=True)
        for c in dataset.columns
    }
    checks = [pa.Check(rule.test, error=rule.kind) for rule in _RULES.get(name, ())]
    return pa.DataFrameSchema(columns, checks=checks, coerce=False, name=name)


def _range_expected(kind: str, column: Column, where: Problems) -> str:
    if kind == "negative":
        return where.expected("at_least", low=0)
    if kind == "before_programme":
        return where.expected("programme_years", start=PROGRAMME_YEARS[0], end=PROGRAMME_YEARS[1])
    return where.expected("range", low=f"{column.minimum:g}", high=f"{column.maximum:g}")


def validate_frame(
    frame: pd.DataFrame, text: pd.DataFrame, dataset: Dataset, where: Problems
) -> list[InputProblem]:
    """Validate a typed frame with the dataset's pandera schema (lazily: every failure).

    Parameters
    ----------
    frame : DataFrame
        Typed columns indexed by Excel row (unparsable cells are None).
    text : DataFrame
        The cells' text as written, same shape, for the messages.
    dataset : Dataset
        The contract.
    where : Problems
        File, sheet and language of the messages.

    """
    import pandera.pandas as pa

    try:
        dataset_schema(dataset.name).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        failures = errors.failure_cases
    else:
        return []
    rules = {rule.kind: rule for rule in _RULES.get(dataset.name, ())}
    problems = []
    seen: set[tuple[str, int, str]] = set()
    for item in failures.itertuples(index=False):
        kind, row = str(item.check), int(item.index)
        rule = rules.get(kind)
        name = rule.column if rule else str(item.column)
        if (kind, row, name) in seen:
            continue
        seen.add((kind, row, name))
        column = dataset.column(name)
        values: dict[str, Any]
        if rule:
            values = (
                {"digit": tax_code_check_digit(frame.at[row, name])}
                if kind == "tax_code_check_digit"
                else {}
            )
            expected = rule.expected(frame.loc[row], where)
        else:
            values, expected = {}, _range_expected(kind, column, where)
        if kind == "before_programme":
            values = {"start": PROGRAMME_YEARS[0], "end": PROGRAMME_YEARS[1]}
        problems.append(
            where.problem(
                kind,
                row=row,
                column=column.header_vi,
                value=str(text.at[row, name]),
                expected=expected,
                **values,
            )
        )
    return problems


#: Columns that identify one support action, and one activity, beyond exact repetition.
DUPLICATE_KEYS = {
    "supported_enterprises": (("tax_code", "year", "support_type"), "duplicate_support"),
    "activities": (("date", "kind", "title"), "duplicate_activity"),
}


def _first_rows(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    """For each row, the Excel row of the first row with the same values in ``columns``."""
    firsts = frame.index.to_numpy().copy()
    repeated = frame[columns].duplicated(keep=False).to_numpy()
    if repeated.any():  # group the candidate rows only (compared as text, as written)
        keys = frame.loc[repeated, columns].astype(str).reset_index()
        groups = keys.groupby(columns, sort=False, dropna=False)["excel_row"]
        firsts[repeated] = groups.transform("min").to_numpy()
    return pd.Series(firsts, index=frame.index)


def duplicate_problems(
    frame: pd.DataFrame, text: pd.DataFrame, dataset: Dataset, where: Problems
) -> list[InputProblem]:
    """Warnings for exact duplicate rows and for rows repeating another's key columns."""
    problems = []
    exact = _first_rows(text, list(text.columns))
    for row, first in exact.items():
        if first != row:
            problems.append(where.problem("duplicate_row", row=int(row), first=int(first)))
    if dataset.name in DUPLICATE_KEYS:
        columns, kind = DUPLICATE_KEYS[dataset.name]
        complete = frame[list(columns)].apply(_present).all(axis=1)
        keyed = _first_rows(frame.loc[complete], list(columns))
        header = dataset.column(columns[0]).header_vi
        for row, first in keyed.items():
            if first != row and exact[row] == row:
                problems.append(
                    where.problem(
                        kind,
                        row=int(row),
                        column=header,
                        value=str(text.at[row, columns[0]]),
                        first=int(first),
                    )
                )
    return problems


# --- reading one file, and a data folder -------------------------------------------------------


def _sort_problems(problems: Iterable[InputProblem], dataset: Dataset) -> list[InputProblem]:
    """Whole-file problems first, then by row and by the column's place in the contract."""
    order = {c.header_vi: i for i, c in enumerate(dataset.columns)}
    return sorted(
        problems, key=lambda p: (p.row is not None, p.row or 0, order.get(p.column or "", -1))
    )


def read_dataset(
    path: Path,
    dataset: Dataset,
    *,
    label: str | None = None,
    locale: ReadLocale | None = None,
    lang: str = "en",
) -> pd.DataFrame:
    """Read and type one register file, raising :class:`InputError` listing every problem.

    Parameters
    ----------
    path : Path
        A ``.csv``/``.txt`` (UTF-8, UTF-16 or, with a warning, Windows-1258/1252) or
        ``.xlsx`` file with the dataset's Vietnamese headers (machine names are accepted too).
    dataset : Dataset
        The contract, from :mod:`helpers.inputs.contracts`.
    label : str, optional
        How to name the file in messages (defaults to its name).
    locale : ReadLocale, optional
        How text cells write numbers and dates (default: plain numbers, dd/mm/yyyy).
    lang : {"en", "vi"}
        Language of the messages.

    Returns
    -------
    DataFrame
        Machine-named, typed columns; the index is the Excel row number of each row. The
        warnings found are in ``attrs["warnings"]``.

    """
    locale = locale or ReadLocale()
    where = Problems(label or path.name, lang=lang)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        grid = _read_workbook_grid(path, dataset, where)
    else:
        grid = _read_text_grid(path, dataset, where, locale)
    where = Problems(where.file, grid.sheet, lang)
    table = _table_from_grid(grid, dataset, where)
    problems = list(table.problems)
    if any(p.severity == "error" for p in problems):
        raise InputError(_sort_problems(problems, dataset))
    names = [c.name for c in dataset.columns]
    cells = table.cells.reindex(columns=names)
    assert table.text is not None  # the reader always keeps the cells' text
    text = table.text.reindex(columns=names, fill_value="")
    typed: dict[str, list[object]] = {}
    for column in dataset.columns:
        typed[column.name], column_problems = _parse_column(
            cells[column.name], column, where, locale, text[column.name]
        )
        problems.extend(column_problems)
    result = pd.DataFrame(typed, index=cells.index)
    result.index.name = "excel_row"
    if len(result):
        problems.extend(validate_frame(result, text, dataset, where))
        problems.extend(duplicate_problems(result, text, dataset, where))
    problems = _sort_problems(problems, dataset)
    raise_if_errors(problems)
    result.attrs["warnings"] = problems
    return result


def dataset_files(data_dir: Path, dataset: Dataset) -> list[Path]:
    """The dataset's readable files in ``data_dir``, best first (names compared case-blind)."""
    rank = {suffix: i for i, suffix in enumerate(DATA_SUFFIXES)}
    found = [
        p
        for p in data_dir.iterdir()
        if p.is_file() and p.stem.casefold() == dataset.file_stem and p.suffix.lower() in rank
    ]
    return sorted(found, key=lambda p: (rank[p.suffix.lower()], p.name))


def find_dataset_file(data_dir: Path, dataset: Dataset) -> Path | None:
    """Return the dataset's file in ``data_dir`` (``.xlsx`` preferred over ``.csv``), if any."""
    files = dataset_files(data_dir, dataset)
    return files[0] if files else None


def _missing_file_problem(data_dir: Path, dataset: Dataset, where: Problems) -> InputProblem:
    """Say that a register is missing, or saved in a format that is not read."""
    expected = where.expected("file_formats", stem=dataset.file_stem)
    for path in sorted(data_dir.iterdir()):
        if path.stem.casefold() == dataset.file_stem and path.suffix.lower() in UNREADABLE_SUFFIXES:
            kind = "file_old_xls" if path.suffix.lower() == ".xls" else "file_wrong_format"
            return InputProblem(
                path.name, problem_text(kind, where.lang, suffix=path.suffix), expected=expected
            )
    return where.problem("file_not_found", title=dataset.title_en, expected=expected)


def load_registers(
    data_dir: Path, *, lang: str = "en", locale: ReadLocale | None = None
) -> dict[str, pd.DataFrame]:
    """Read the registers from ``data_dir``, listing the problems of all files at once.

    An optional register (funding) that is absent is simply left out of the result.

    Parameters
    ----------
    data_dir : Path
        The data folder (with an optional ``locale.yaml``).
    lang : {"en", "vi"}
        Language of the messages.
    locale : ReadLocale, optional
        Overrides the folder's ``locale.yaml``.

    Raises
    ------
    InputError
        When a file is missing or any cell is invalid.

    """
    frames: dict[str, pd.DataFrame] = {}
    problems: list[InputProblem] = []
    if locale is None:
        try:
            locale = load_locale(data_dir, lang)
        except InputError as error:
            problems.extend(error.problems)
            locale = ReadLocale()
    for dataset in DATASETS.values():
        files = dataset_files(data_dir, dataset)
        where = Problems(f"{dataset.file_stem}.xlsx", lang=lang)
        if not files:
            problem = _missing_file_problem(data_dir, dataset, where)
            if not dataset.optional or problem.file != where.file:  # saved as .xls, .ods, …
                problems.append(problem)
            continue
        notes = []
        if len(files) > 1:
            notes.append(
                Problems(files[0].name, lang=lang).problem(
                    "several_files",
                    files=", ".join(p.name for p in files),
                    used=files[0].name,
                    expected=where.expected("one_file"),
                )
            )
        try:
            frame = read_dataset(files[0], dataset, locale=locale, lang=lang)
        except InputError as error:
            problems.extend(notes + error.problems)
            continue
        frame.attrs["warnings"] = notes + frame.attrs["warnings"]
        frames[dataset.name] = frame
    raise_if_errors(problems)
    return frames
