"""Write the catalogue of malformed register files in this folder, and ``cases.yaml``.

Every case starts from the first rows of the embedded sample registers (``data/sample``) and
breaks one thing. ``cases.yaml`` lists each file, its dataset, and the message fragment, Excel
row and column that ``nscl validate`` must report (``tests/test_bad_inputs.py`` checks them).
Two small valid registers (``valid_*.csv``) are written too: a case is validated next to the
valid register of the other dataset.

Run from the project root: ``.venv/bin/python tests/bad_inputs/make_cases.py``. The output is
the same on every run (workbooks are written with fixed dates), except the password-protected
workbook, whose encryption salt is random: it is written only when missing.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from openpyxl import Workbook

from helpers.inputs.contracts import ACTIVITIES, FUNDING, SUPPORTED_ENTERPRISES, Dataset
from helpers.inputs.excel_templates import FIRST_ENTRY_ROW, build_template, workbook_bytes
from helpers.inputs.registers import OLE_MAGIC

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[1] / "data" / "sample"
#: Data rows taken from each sample register (Excel rows 2 to ROWS + 1).
ROWS = 6

Table = list[list[str]]


@dataclass
class Case:
    """One malformed file and what validating it must report."""

    file: str
    dataset: Dataset
    message: str
    row: int | None
    column: str | None
    description: str
    sheet: str | None = None
    locale: dict[str, str] | None = None

    def entry(self) -> dict[str, object]:
        """The case as a ``cases.yaml`` entry."""
        entry: dict[str, object] = {
            "file": self.file,
            "dataset": self.dataset.name,
            "description": self.description,
            "message": self.message,
            "row": self.row,
            "column": self.column,
        }
        if self.sheet:
            entry["sheet"] = self.sheet
        if self.locale:
            entry["locale"] = self.locale
        return entry


def sample_table(dataset: Dataset, rows: int = ROWS) -> Table:
    """Header and the first ``rows`` data rows of a sample register, as text."""
    with (SAMPLE / f"{dataset.file_stem}.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    return [list(r) for r in table[: rows + 1]]


def csv_text(table: Table, delimiter: str = ",") -> str:
    """A table as CSV text (Excel-style quoting, Windows line ends)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return buffer.getvalue()


def set_cell(table: Table, header: str, excel_row: int, value: str) -> Table:
    """A copy of ``table`` with one cell changed (Excel row numbering: header is row 1)."""
    copy = [list(r) for r in table]
    copy[excel_row - 1][copy[0].index(header)] = value
    return copy


def drop_column(table: Table, header: str) -> Table:
    """A copy of ``table`` without one column."""
    index = table[0].index(header)
    return [r[:index] + r[index + 1 :] for r in table]


def rename_column(table: Table, header: str, new: str) -> Table:
    """A copy of ``table`` with one header changed."""
    copy = [list(r) for r in table]
    copy[0][copy[0].index(header)] = new
    return copy


def to_cp1258(text: str) -> bytes:
    """Encode as Excel does with Windows-1258: tone marks as combining characters."""
    out = []
    for ch in text:
        try:
            ch.encode("cp1258")
            out.append(ch)
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


#: A few letters of the TCVN3 (ABC) font encoding, enough to make a file look like one.
TCVN3 = {
    "ă": 0xA8,
    "â": 0xA9,
    "ê": 0xAA,
    "ô": 0xAB,
    "ơ": 0xAC,
    "ư": 0xAD,
    "đ": 0xAE,
    "à": 0xB5,
    "ả": 0xB6,
    "ã": 0xB7,
    "á": 0xB8,
    "ạ": 0xB9,
    "ố": 0xE8,
    "ế": 0xD5,
    "ệ": 0xD6,
    "ộ": 0xEB,
    "ợ": 0xF7,
    "ủ": 0xF1,
    "ụ": 0xF4,
    "ữ": 0xF9,
    "ị": 0xDE,
}


def to_tcvn3(text: str) -> bytes:
    """Encode like a TCVN3 font file (letters outside :data:`TCVN3` lose their accents)."""
    out = bytearray()
    for ch in text:
        if ch in TCVN3:
            out.append(TCVN3[ch])
        elif ord(ch) < 128:
            out.append(ord(ch))
        else:
            bare = unicodedata.normalize("NFD", ch.replace("đ", "d").replace("Đ", "D"))
            out.extend(bare.encode("ascii", errors="ignore"))
    return bytes(out)


def typed(value: str, header: str) -> object:
    """A sample cell as Excel would hold it (years and counts as numbers)."""
    if header in ("Năm", "Số người tham gia", "Số doanh nghiệp") and value.lstrip("-").isdigit():
        return int(value)
    return value


def table_workbook(
    table: Table, *, title_rows: list[str] = (), sheet: str = "Sheet1", cover: bool = False
) -> Workbook:
    """A workbook holding ``table`` (after optional title rows, on an optional second sheet)."""
    workbook = Workbook()
    target = workbook.active
    if cover:
        target.title = "Bìa"
        target["A1"] = "Báo cáo chương trình năng suất chất lượng"
        target = workbook.create_sheet(sheet)
    else:
        target.title = sheet
    for title in title_rows:
        target.append([title])
    header = table[0]
    for row in table:
        target.append(
            [typed(v, h) if row is not header else v for v, h in zip(row, header, strict=True)]
        )
    return workbook


# --- the cases ---------------------------------------------------------------------------------

SE, AC, FU = SUPPORTED_ENTERPRISES, ACTIVITIES, FUNDING


def _se() -> Table:
    return sample_table(SE)


def _ac() -> Table:
    return sample_table(AC)


def text_cases() -> list[tuple[Case, Callable[[], bytes]]]:
    """Cases written as UTF-8 CSV: one broken cell or header each."""
    h = {c.name: c.header_vi for c in SE.columns}
    a = {c.name: c.header_vi for c in AC.columns}

    def cell(dataset: Dataset, header: str, row: int, value: str) -> Callable[[], bytes]:
        base = _se if dataset is SE else _ac
        return lambda: csv_text(set_cell(base(), header, row, value)).encode("utf-8")

    specs = [
        (
            Case(
                "se_missing_column.csv",
                SE,
                "missing column 'Mã số thuế'",
                1,
                h["tax_code"],
                "the tax-code column was deleted",
            ),
            lambda: csv_text(drop_column(_se(), h["tax_code"])).encode("utf-8"),
        ),
        (
            Case(
                "se_misspelled_column.csv",
                SE,
                "did you mean 'Hình thứ hỗ trợ'?",
                1,
                h["support_type"],
                "a header with a letter missing",
            ),
            lambda: csv_text(rename_column(_se(), h["support_type"], "Hình thứ hỗ trợ")).encode(),
        ),
        (
            Case(
                "se_duplicate_column.csv",
                SE,
                "the column 'Năm' appears twice",
                1,
                "Năm",
                "the year column appears twice",
            ),
            lambda: csv_text([[*r, r[0]] for r in _se()]).encode("utf-8"),
        ),
        (
            Case(
                "se_year_text.csv",
                SE,
                "not a whole number",
                3,
                h["year"],
                "a year typed with the letter O",
            ),
            cell(SE, h["year"], 3, "2O21"),
        ),
        (
            Case(
                "se_year_out_of_range.csv",
                SE,
                "value out of range",
                4,
                h["year"],
                "a year after the programme",
            ),
            cell(SE, h["year"], 4, "2035"),
        ),
        (
            Case(
                "se_year_decimal.csv",
                SE,
                "not a whole number",
                5,
                h["year"],
                "a year with decimals",
            ),
            cell(SE, h["year"], 5, "2021.5"),
        ),
        (
            Case(
                "se_tax_code_short.csv",
                SE,
                "not a valid tax code",
                2,
                h["tax_code"],
                "a tax code with 8 digits",
            ),
            cell(SE, h["tax_code"], 2, "57180622"),
        ),
        (
            Case(
                "se_tax_code_letters.csv",
                SE,
                "not a valid tax code",
                6,
                h["tax_code"],
                "a tax code with a letter",
            ),
            cell(SE, h["tax_code"], 6, "57A8062284"),
        ),
        (
            Case(
                "se_tax_code_branch_000.csv",
                SE,
                "not a valid tax code",
                7,
                h["tax_code"],
                "a branch suffix of 000",
            ),
            cell(SE, h["tax_code"], 7, "5718062284-000"),
        ),
        (
            Case("se_empty_name.csv", SE, "empty cell", 3, h["name"], "a required cell left empty"),
            cell(SE, h["name"], 3, "  "),
        ),
        (
            Case(
                "se_bad_sector.csv",
                SE,
                "not an allowed value",
                4,
                h["vsic_section"],
                "a sector letter outside VSIC",
            ),
            cell(SE, h["vsic_section"], 4, "Z"),
        ),
        (
            Case(
                "se_bad_support_type.csv",
                SE,
                "not an allowed value",
                5,
                h["support_type"],
                "a support type in words, not a code",
            ),
            cell(SE, h["support_type"], 5, "tư vấn"),
        ),
        (
            Case(
                "se_bad_tool.csv",
                SE,
                "'ISO 9999' is not an allowed value",
                6,
                h["tools"],
                "a tool that is not in the list",
            ),
            cell(SE, h["tools"], 6, "ISO 9001; ISO 9999"),
        ),
        (
            Case(
                "se_bad_yes_no.csv", SE, "not yes/no", 2, h["pilot_model"], "a yes/no cell in words"
            ),
            cell(SE, h["pilot_model"], 2, "có lẽ"),
        ),
        (
            Case(
                "se_pilot_without_level.csv",
                SE,
                "a pilot model needs its level",
                3,
                h["pilot_level"],
                "a pilot model without a level",
            ),
            cell(SE, h["pilot_model"], 3, "có"),
        ),
        (
            Case(
                "se_level_without_pilot.csv",
                SE,
                "the row is not a pilot model",
                4,
                h["pilot_level"],
                "a pilot level on a row that is not a pilot model",
            ),
            cell(SE, h["pilot_level"], 4, "provincial"),
        ),
        (
            Case(
                "se_bad_status.csv",
                SE,
                "not an allowed value",
                7,
                h["status"],
                "a status that is not a code",
            ),
            cell(SE, h["status"], 7, "final"),
        ),
        (
            Case(
                "ac_negative_participants.csv",
                AC,
                "a count cannot be negative",
                3,
                a["participants"],
                "a negative count",
            ),
            cell(AC, a["participants"], 3, "-5"),
        ),
        (
            Case(
                "ac_date_us_order.csv",
                AC,
                "not a date",
                4,
                a["date"],
                "a date written mm/dd/yyyy without saying so",
            ),
            cell(AC, a["date"], 4, "06/13/2021"),
        ),
        (
            Case(
                "ac_two_digit_year.csv",
                AC,
                "only 2 digits",
                5,
                a["date"],
                "a date with a 2-digit year",
            ),
            cell(AC, a["date"], 5, "18/06/21"),
        ),
        (
            Case(
                "ac_date_wrong_year.csv",
                AC,
                "the date is not in the row's year",
                2,
                a["date"],
                "a date in another year than the row's",
            ),
            cell(AC, a["date"], 2, "06/01/2022"),
        ),
        (
            Case("ac_impossible_date.csv", AC, "not a date", 6, a["date"], "the 31st of February"),
            cell(AC, a["date"], 6, "31/02/2021"),
        ),
        (
            Case("ac_empty_date.csv", AC, "empty cell", 7, a["date"], "a required date left empty"),
            cell(AC, a["date"], 7, ""),
        ),
        (
            Case(
                "ac_bad_kind.csv",
                AC,
                "not an allowed value",
                3,
                a["kind"],
                "an activity kind in words",
            ),
            cell(AC, a["kind"], 3, "workshop"),
        ),
        (
            Case(
                "ac_participants_words.csv",
                AC,
                "not a whole number",
                4,
                a["participants"],
                "a count in words",
            ),
            cell(AC, a["participants"], 4, "sáu mươi"),
        ),
        (
            Case(
                "ac_thousands_without_locale.csv",
                AC,
                "a number written with separators",
                5,
                a["participants"],
                "1.234 with no locale.yaml saying '.' separates thousands",
            ),
            cell(AC, a["participants"], 5, "1.234"),
        ),
        (
            Case(
                "ac_decimal_comma_without_locale.csv",
                AC,
                "a number written with separators",
                6,
                a["enterprises"],
                "12,5 with no locale.yaml",
            ),
            cell(AC, a["enterprises"], 6, "12,5"),
        ),
        (
            Case(
                "ac_english_number_in_vi_locale.csv",
                AC,
                "not a whole number",
                2,
                a["participants"],
                "1,234.5 in a folder whose locale.yaml says decimal ','",
                locale={"decimal": ","},
            ),
            cell(AC, a["participants"], 2, "1,234.5"),
        ),
        (
            Case(
                "ac_bad_locale.csv",
                AC,
                "setting not accepted",
                None,
                "decimal",
                "a locale.yaml whose decimal separator is ';'",
                locale={"decimal": ";"},
            ),
            lambda: csv_text(_ac()).encode("utf-8"),
        ),
    ]
    return specs


def encoding_cases() -> list[tuple[Case, Callable[[], bytes]]]:
    """Cases about encodings, file formats and garbled headers."""
    h = {c.name: c.header_vi for c in SE.columns}
    return [
        (
            Case(
                "se_tcvn3.csv",
                SE,
                "old Vietnamese font encoding",
                None,
                None,
                "a file in the TCVN3 (ABC) font encoding",
            ),
            lambda: to_tcvn3(csv_text(_se())),
        ),
        (
            Case(
                "se_workbook_renamed.csv",
                SE,
                "the file is not text",
                None,
                None,
                "an Excel workbook renamed to .csv",
            ),
            lambda: workbook_bytes(table_workbook(_se())),
        ),
        (
            Case(
                "se_question_marks.csv",
                SE,
                "'?' in place of letters",
                1,
                "N?m",
                "saved as CSV in a code page without Vietnamese letters",
            ),
            lambda: csv_text(_se()).encode("cp1252", errors="replace"),
        ),
        (
            Case(
                "se_double_encoded.csv",
                SE,
                "the header is garbled",
                1,
                "NÄƒm",
                "UTF-8 read as Windows-1252 and saved as UTF-8 again",
            ),
            lambda: (
                csv_text(_se()).encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
            ),
        ),
        (
            Case(
                "se_cp1258_bad_sector.csv",
                SE,
                "not an allowed value",
                3,
                h["vsic_section"],
                "a Windows-1258 file (read with a warning) with a bad sector",
            ),
            lambda: to_cp1258(csv_text(set_cell(_se(), h["vsic_section"], 3, "Q1"))),
        ),
        (
            Case(
                "se_utf16_tab_bad_year.txt",
                SE,
                "value out of range",
                5,
                h["year"],
                "Excel 'Unicode text' (UTF-16, tab-separated) with a year before 2015",
            ),
            lambda: csv_text(set_cell(_se(), h["year"], 5, "2010"), "\t").encode("utf-16"),
        ),
        (
            Case(
                "se_saved_as_xls.xls",
                SE,
                "saved as .xls (Excel 97–2003), which cannot be read: open it in Excel",
                None,
                None,
                "the register saved in the old .xls format",
            ),
            lambda: b"\xd0\xcf\x11\xe0old xls",
        ),
        (Case("se_empty.csv", SE, "no header row", None, None, "an empty file"), lambda: b""),
        (
            Case(
                "ac_semicolon_vi_locale_bad.csv",
                AC,
                "not a whole number",
                4,
                "Số người tham gia",
                "Vietnamese Excel CSV (';' and decimal ',') with 12,5 participants",
                locale={"decimal": ","},
            ),
            lambda: csv_text(set_cell(_ac(), "Số người tham gia", 4, "12,5"), ";").encode(
                "utf-8-sig"
            ),
        ),
    ]


def workbook_cases() -> list[tuple[Case, Callable[[], bytes]]]:
    """Cases written as workbooks: row numbers must be the ones Excel shows."""
    h = {c.name: c.header_vi for c in SE.columns}
    a = {c.name: c.header_vi for c in AC.columns}

    def numeric_tax_code() -> bytes:
        workbook = table_workbook(_se())
        workbook.active["B4"] = 123456789  # a code starting with 0, typed as a number
        return workbook_bytes(workbook)

    def titled_with_blank_rows() -> bytes:
        table = _se()
        table = [*table[:3], [""] * len(table[0]), *table[3:]]
        table = set_cell(table, h["support_type"], 6, "support")
        workbook = table_workbook(table, title_rows=["DANH SÁCH DOANH NGHIỆP ĐƯỢC HỖ TRỢ", ""])
        return workbook_bytes(workbook)

    def template_filled() -> bytes:
        workbook = build_template(AC)
        sheet = workbook.active
        table = set_cell(_ac(), a["participants"], 4, "-1")
        for offset, row in enumerate(table[1:]):
            for index, value in enumerate(row):
                sheet.cell(FIRST_ENTRY_ROW + offset, index + 1, typed(value, table[0][index]))
        return workbook_bytes(workbook)

    def merged_header() -> bytes:
        workbook = table_workbook([[""] * len(_ac()[0]), *_ac()])
        sheet = workbook.active
        for index, header in enumerate(_ac()[0], start=1):
            sheet.cell(1, index, header)
            sheet.cell(2, index, None)
            sheet.merge_cells(start_row=1, start_column=index, end_row=2, end_column=index)
        sheet.cell(5, 3, "seminar")
        return workbook_bytes(workbook)

    def second_sheet() -> bytes:
        table = set_cell(_ac(), a["year"], 3, "20")
        return workbook_bytes(table_workbook(table, sheet="Năm 2021", cover=True))

    def missing_status() -> bytes:
        return workbook_bytes(table_workbook(drop_column(_ac(), a["status"])))

    def year_too_big() -> bytes:
        workbook = table_workbook(_ac())
        workbook.active["A7"] = 2031
        return workbook_bytes(workbook)

    def error_value(cell: str, error: str, dataset: Dataset = SE) -> Callable[[], bytes]:
        def make() -> bytes:
            workbook = table_workbook(_se() if dataset is SE else _ac())
            workbook.active[cell] = error  # openpyxl stores it as an error cell, as Excel does
            return workbook_bytes(workbook)

        return make

    def formula_without_value() -> bytes:
        workbook = table_workbook(_se())
        workbook.active["C4"] = '=UPPER("Công ty TNHH Hạ Long")'  # no cached value is written
        return workbook_bytes(workbook, keep_formulas=True)

    def template_without_header() -> bytes:
        workbook = build_template(SE)
        sheet = workbook.active
        table = _se()
        for offset, row in enumerate(table[1:]):
            for index, value in enumerate(row):
                sheet.cell(FIRST_ENTRY_ROW + offset, index + 1, typed(value, table[0][index]))
        sheet.delete_rows(1)
        return workbook_bytes(workbook)

    def truncated() -> bytes:
        whole = workbook_bytes(table_workbook(_se()))
        return whole[: len(whole) // 2]

    def old_xls_renamed() -> bytes:
        # The signature and directory entry of an Excel 97-2003 file (OLE compound file).
        return OLE_MAGIC + bytes(504) + "Workbook".encode("utf-16-le") + bytes(48)

    return [
        (
            Case(
                "se_excel_error_ref.xlsx",
                SE,
                "Excel error value #REF!",
                5,
                h["name"],
                "an enterprise name left as #REF! (a formula whose reference was deleted)",
                sheet="Sheet1",
            ),
            error_value("C5", "#REF!"),
        ),
        (
            Case(
                "ac_excel_error_div0.xlsx",
                AC,
                "Excel error value #DIV/0!",
                3,
                a["participants"],
                "a count computed by a formula dividing by zero",
                sheet="Sheet1",
            ),
            error_value("E3", "#DIV/0!", AC),
        ),
        (
            Case(
                "se_excel_error_na.xlsx",
                SE,
                "Excel error value #N/A",
                6,
                h["vsic_section"],
                "a sector looked up with VLOOKUP that found nothing",
                sheet="Sheet1",
            ),
            error_value("D6", "#N/A"),
        ),
        (
            Case(
                "se_formula_without_value.xlsx",
                SE,
                "formula without a stored value: open the file in Excel and save it again",
                4,
                h["name"],
                "a formula written by a program, never computed by Excel",
                sheet="Sheet1",
            ),
            formula_without_value,
        ),
        (
            Case(
                "se_template_without_header.xlsx",
                SE,
                "no header row",
                1,
                None,
                "the template with its header row deleted (dictionary sheet still there)",
                sheet="Dữ liệu",
            ),
            template_without_header,
        ),
        (
            Case(
                "se_truncated.xlsx",
                SE,
                "the workbook is incomplete or damaged",
                None,
                None,
                "a workbook cut in half (interrupted copy)",
            ),
            truncated,
        ),
        (
            Case(
                "se_csv_renamed.xlsx",
                SE,
                "like a CSV file renamed to .xlsx",
                None,
                None,
                "a CSV file renamed to .xlsx",
            ),
            lambda: csv_text(_se()).encode("utf-8"),
        ),
        (
            Case(
                "se_xls_renamed.xlsx",
                SE,
                "an old Excel 97–2003 workbook (.xls) renamed to .xlsx",
                None,
                None,
                "an Excel 97-2003 file renamed to .xlsx",
            ),
            old_xls_renamed,
        ),
        (
            Case(
                "se_password.xlsx",
                SE,
                "protected by a password",
                None,
                None,
                "a workbook encrypted with a password",
            ),
            password_protected,
        ),
        (
            Case(
                "se_tax_code_as_number.xlsx",
                SE,
                "lost its leading 0",
                4,
                h["tax_code"],
                "a tax code typed as a number in Excel",
                sheet="Sheet1",
            ),
            numeric_tax_code,
        ),
        (
            Case(
                "se_title_and_blank_rows.xlsx",
                SE,
                "not an allowed value",
                8,
                h["support_type"],
                "two title rows above the header and a blank row: Excel row numbers kept",
                sheet="Sheet1",
            ),
            titled_with_blank_rows,
        ),
        (
            Case(
                "ac_template_negative.xlsx",
                AC,
                "a count cannot be negative",
                5,
                a["participants"],
                "the project's template (notes row 2) with a negative count on Excel row 5",
                sheet="Dữ liệu",
            ),
            template_filled,
        ),
        (
            Case(
                "ac_merged_header.xlsx",
                AC,
                "not an allowed value",
                5,
                a["kind"],
                "headers merged over rows 1-2, data from row 3",
                sheet="Sheet1",
            ),
            merged_header,
        ),
        (
            Case(
                "ac_second_sheet.xlsx",
                AC,
                "value out of range",
                3,
                a["year"],
                "the data on a second sheet after a cover sheet",
                sheet="Năm 2021",
            ),
            second_sheet,
        ),
        (
            Case(
                "ac_missing_status.xlsx",
                AC,
                "missing column 'Tình trạng số liệu'",
                1,
                a["status"],
                "the status column was deleted",
                sheet="Sheet1",
            ),
            missing_status,
        ),
        (
            Case(
                "ac_year_too_big.xlsx",
                AC,
                "value out of range",
                7,
                a["year"],
                "a year after the programme typed as a number",
                sheet="Sheet1",
            ),
            year_too_big,
        ),
    ]


def funding_cases() -> list[tuple[Case, Callable[[], bytes]]]:
    """Cases of the funding register: a negative amount, an unknown source of funds."""
    f = {c.name: c.header_vi for c in FU.columns}

    def cell(header: str, row: int, value: str) -> Callable[[], bytes]:
        return lambda: csv_text(set_cell(sample_table(FU), header, row, value)).encode("utf-8")

    return [
        (
            Case(
                "fu_negative_amount.csv",
                FU,
                "a count cannot be negative",
                3,
                f["amount"],
                "a negative amount of funding",
            ),
            cell(f["amount"], 3, "-500"),
        ),
        (
            Case(
                "fu_bad_source.csv",
                FU,
                "not an allowed value",
                4,
                f["fund_source"],
                "a source of funds outside the list",
            ),
            cell(f["fund_source"], 4, "ngân sách huyện"),
        ),
    ]


def password_protected() -> bytes:
    """A workbook encrypted with the password ``nscl`` (as Excel's Encrypt with Password does).

    The encryption salt is random, so this file is written only when it is missing.
    """
    import msoffcrypto.format.ooxml

    target = HERE / "se_password.xlsx"
    if target.exists():
        return target.read_bytes()
    plain = io.BytesIO(workbook_bytes(table_workbook(_se())))
    encrypted = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt("nscl", encrypted)
    return encrypted.getvalue()


def write_valid(folder: Path) -> None:
    """The small valid registers a case is validated next to."""
    for dataset in (SE, AC, FU):
        path = folder / f"valid_{dataset.file_stem}.csv"
        path.write_bytes(csv_text(sample_table(dataset, 20)).encode("utf-8"))


def main() -> None:
    """Write every case file, the valid companions and ``cases.yaml``."""
    write_valid(HERE)
    entries = []
    for case, make in text_cases() + encoding_cases() + workbook_cases() + funding_cases():
        (HERE / case.file).write_bytes(make())
        entries.append(case.entry())
    header = (
        "# Malformed register files and what `nscl validate` must report for each.\n"
        "# Generated by make_cases.py from data/sample: edit that script, not this file.\n"
    )
    body = yaml.safe_dump({"cases": entries}, allow_unicode=True, sort_keys=False, width=100)
    (HERE / "cases.yaml").write_text(header + body, encoding="utf-8")
    print(f"{len(entries)} cases written to {HERE.name}/")


if __name__ == "__main__":
    main()
