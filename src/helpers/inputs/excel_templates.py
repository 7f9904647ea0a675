"""Excel templates of the registers, generated from the data contracts.

The contracts are in :mod:`helpers.inputs.contracts`.

Each template has a data sheet (Vietnamese headers on row 1, a notes row on row 2 whose column A
starts with :data:`helpers.inputs.contracts.NOTES_MARKER`, so the reader skips it; a comment on each
header; drop-down lists for coded columns), a data-dictionary sheet (machine name, Vietnamese
header, English meaning, type, allowed values) and a hidden sheet holding the drop-down lists.
Headers and machine names come from the contracts, so they cannot drift apart.

Run ``nscl templates --out DIR``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from helpers.inputs.contracts import (
    DATASETS,
    NOTES_MARKER,
    PROGRAMME_YEARS,
    YES_NO,
    Column,
    Dataset,
)

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation
    from openpyxl.worksheet.worksheet import Worksheet

DATA_SHEET = "Dữ liệu"
DICTIONARY_SHEET = "Từ điển dữ liệu"
LISTS_SHEET = "Danh mục"
HEADER_ROW, NOTES_ROW, FIRST_ENTRY_ROW = 1, 2, 3
#: Rows of the data sheet covered by the drop-down lists and checks.
ENTRY_ROWS = 5000
#: Fixed creation date of the workbooks (the plan's date), so the files do not carry a clock.
FIXED_DATE = dt.datetime(2020, 11, 18)

#: The type of each column kind, in Vietnamese and English, for the data dictionary.
KIND_TEXT: dict[str, tuple[str, str]] = {
    "int": ("số nguyên", "whole number"),
    "float": ("số", "number"),
    "date": ("ngày (dd/mm/yyyy)", "date (dd/mm/yyyy)"),
    "bool": ("có / không", "yes / no"),
    "code": ("một mã trong danh mục", "one code from the list"),
    "codes": ("một hoặc nhiều mã, cách nhau bởi dấu ;", "one or more codes separated by ;"),
    "tax_code": ("mã số thuế (dạng văn bản)", "tax code (typed as text)"),
    "str": ("văn bản", "text"),
}
DICTIONARY_HEADERS = (
    "Tên máy (machine name)",
    "Tiêu đề cột (Vietnamese header)",
    "Ý nghĩa (English meaning)",
    "Kiểu (type)",
    "Bắt buộc (required)",
    "Giá trị cho phép (allowed values)",
    "Hướng dẫn",
    "Notes (English)",
)
_HEADER_FILL = "DDEBF7"
_REQUIRED_FONT = "1F3864"
_NOTES_FONT = "595959"
#: Excel's limits on a data-validation prompt.
_PROMPT_LIMIT, _TITLE_LIMIT = 255, 32


def allowed_values(column: Column) -> tuple[str, ...]:
    """The values a drop-down offers for ``column`` (none for free columns).

    Examples
    --------
    >>> from helpers.inputs.contracts import SUPPORTED_ENTERPRISES
    >>> allowed_values(SUPPORTED_ENTERPRISES.column("pilot_model"))
    ('có', 'không')

    """
    if column.kind in ("code", "codes"):
        return column.codes
    if column.kind == "bool":
        return YES_NO
    return ()


def note_text(column: Column, *, first: bool = False) -> str:
    """The notes-row text of a column (column A's starts with the notes marker).

    Examples
    --------
    >>> from helpers.inputs.contracts import ACTIVITIES
    >>> note_text(ACTIVITIES.column("year"), first=True)
    'HƯỚNG DẪN – Năm của hoạt động, 4 chữ số (2015–2030). Bắt buộc.'

    """
    need = "Bắt buộc." if column.required else "Không bắt buộc."
    text = f"{column.help_vi or KIND_TEXT[column.kind][0]}. {need}"
    return f"{NOTES_MARKER} – {text}" if first else text


def _comment_text(column: Column) -> str:
    """The header comment: what the column takes, in Vietnamese and English."""
    lines = [column.help_vi or KIND_TEXT[column.kind][0]]
    if column.help_en:
        lines.append(column.help_en)
    values = allowed_values(column)
    if values:
        lines.append("; ".join(values))
    return "\n".join(lines)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _list_validation(column: Column, list_letter: str, count: int) -> DataValidation:
    """A drop-down list taking its values from the lists sheet."""
    from openpyxl.worksheet.datavalidation import DataValidation

    source = f"='{LISTS_SHEET}'!${list_letter}$2:${list_letter}${count + 1}"
    several = column.kind == "codes"
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    validation.showErrorMessage = not several
    validation.errorTitle = "Giá trị không hợp lệ"[:_TITLE_LIMIT]
    validation.error = "Chọn một giá trị trong danh sách (xem trang Từ điển dữ liệu)."
    validation.promptTitle = column.header_vi[:_TITLE_LIMIT]
    if several:
        validation.prompt = (
            "Chọn một giá trị, hoặc gõ nhiều giá trị cách nhau bởi dấu ; (ví dụ: ISO 9001; 5S)."
        )
    else:
        validation.prompt = "Chọn một giá trị trong danh sách."
    validation.showInputMessage = True
    return validation


def _number_validation(column: Column) -> DataValidation | None:
    """Whole-number or date bounds, or a tax code's length; None for other columns."""
    from openpyxl.worksheet.datavalidation import DataValidation

    from helpers.inputs.registers import EXCEL_EPOCH

    if column.kind == "int" and column.minimum is not None and column.maximum is not None:
        validation = DataValidation(
            type="whole",
            operator="between",
            allow_blank=True,
            formula1=f"{column.minimum:g}",
            formula2=f"{column.maximum:g}",
        )
        validation.error = f"Số nguyên từ {column.minimum:g} đến {column.maximum:g}."
    elif column.kind == "date":
        first = (dt.date(2015, 1, 1) - EXCEL_EPOCH).days
        last = (dt.date(PROGRAMME_YEARS[1], 12, 31) - EXCEL_EPOCH).days
        validation = DataValidation(
            type="date",
            operator="between",
            allow_blank=True,
            formula1=str(first),
            formula2=str(last),
        )
        validation.error = f"Ngày dạng dd/mm/yyyy, từ 2015 đến {PROGRAMME_YEARS[1]}."
    elif column.kind == "tax_code":
        validation = DataValidation(
            type="textLength", operator="between", allow_blank=True, formula1="10", formula2="14"
        )
        validation.error = "10 chữ số, hoặc 10 chữ số-3 chữ số với chi nhánh."
    else:
        return None
    validation.errorTitle = "Giá trị không hợp lệ"
    validation.showErrorMessage = True
    prompt = column.help_vi or KIND_TEXT[column.kind][0]
    if len(prompt) <= _PROMPT_LIMIT:
        validation.promptTitle = column.header_vi[:_TITLE_LIMIT]
        validation.prompt = prompt
        validation.showInputMessage = True
    return validation


def _write_lists(sheet: Worksheet, dataset: Dataset) -> dict[str, tuple[str, int]]:
    """Write one list per coded column; return its column letter and length by machine name."""
    lists: dict[str, tuple[str, int]] = {}
    coded = [c for c in dataset.columns if allowed_values(c)]
    for index, column in enumerate(coded):
        letter = _letter(index)
        values = allowed_values(column)
        sheet.cell(1, index + 1, column.header_vi)
        for offset, value in enumerate(values):
            sheet.cell(offset + 2, index + 1, value)
        lists[column.name] = (letter, len(values))
    sheet.sheet_state = "hidden"
    return lists


def _style_data_sheet(sheet: Worksheet, dataset: Dataset) -> None:
    """Header and notes styles, column widths and frozen panes."""
    from openpyxl.styles import Alignment, Font, PatternFill

    fill = PatternFill("solid", fgColor=_HEADER_FILL)
    for index, column in enumerate(dataset.columns):
        header = sheet.cell(HEADER_ROW, index + 1)
        header.font = Font(bold=True, color=_REQUIRED_FONT if column.required else None)
        header.fill = fill
        header.alignment = Alignment(wrap_text=True, vertical="top")
        notes = sheet.cell(NOTES_ROW, index + 1)
        notes.font = Font(italic=True, size=9, color=_NOTES_FONT)
        notes.alignment = Alignment(wrap_text=True, vertical="top")
        width = 34 if column.kind in ("str", "codes") else 18
        sheet.column_dimensions[_letter(index)].width = width
        if column.kind == "tax_code":
            sheet.column_dimensions[_letter(index)].number_format = "@"
        elif column.kind == "date":
            sheet.column_dimensions[_letter(index)].number_format = "DD/MM/YYYY"
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.row_dimensions[NOTES_ROW].height = 90
    sheet.freeze_panes = sheet.cell(FIRST_ENTRY_ROW, 1)


def _write_data_sheet(
    sheet: Worksheet, dataset: Dataset, lists: dict[str, tuple[str, int]]
) -> None:
    """Headers, notes row, header comments and the drop-downs and checks of each column."""
    from openpyxl.comments import Comment

    last_row = FIRST_ENTRY_ROW + ENTRY_ROWS - 1
    for index, column in enumerate(dataset.columns):
        header = sheet.cell(HEADER_ROW, index + 1, column.header_vi)
        comment = Comment(_comment_text(column), "nscl-reports")
        comment.width, comment.height = 320, 160
        header.comment = comment
        sheet.cell(NOTES_ROW, index + 1, note_text(column, first=index == 0))
        if column.name in lists:
            validation = _list_validation(column, *lists[column.name])
        else:
            validation = _number_validation(column)
        if validation is not None:
            sheet.add_data_validation(validation)
            letter = _letter(index)
            validation.add(f"{letter}{FIRST_ENTRY_ROW}:{letter}{last_row}")
    _style_data_sheet(sheet, dataset)


def _dictionary_row(column: Column) -> tuple[str, ...]:
    """One row of the data dictionary."""
    vi_type, en_type = KIND_TEXT[column.kind]
    bounds = ""
    if column.minimum is not None and column.maximum is not None:
        bounds = f" {column.minimum:g}–{column.maximum:g}"
    return (
        column.name,
        column.header_vi,
        column.label_en,
        f"{vi_type} / {en_type}{bounds}",
        "có (yes)" if column.required else "không (no)",
        "; ".join(allowed_values(column)),
        column.help_vi,
        column.help_en,
    )


def _write_dictionary(sheet: Worksheet, dataset: Dataset) -> None:
    """The data-dictionary sheet: one row per column of the contract."""
    from openpyxl.styles import Alignment, Font

    sheet.append(DICTIONARY_HEADERS)
    for column in dataset.columns:
        sheet.append(_dictionary_row(column))
    for cell in sheet[HEADER_ROW]:
        cell.font = Font(bold=True)
    widths = (18, 30, 30, 30, 14, 40, 50, 50)
    for index, width in enumerate(widths):
        sheet.column_dimensions[_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"


def build_template(dataset: Dataset) -> Workbook:
    """Build the Excel template of one dataset.

    Examples
    --------
    >>> from helpers.inputs.contracts import ACTIVITIES
    >>> build_template(ACTIVITIES).sheetnames
    ['Dữ liệu', 'Từ điển dữ liệu', 'Danh mục']

    """
    from openpyxl import Workbook

    workbook = Workbook()
    data = workbook.active
    data.title = DATA_SHEET
    dictionary = workbook.create_sheet(DICTIONARY_SHEET)
    lists_sheet = workbook.create_sheet(LISTS_SHEET)
    lists = _write_lists(lists_sheet, dataset)
    _write_data_sheet(data, dataset, lists)
    _write_dictionary(dictionary, dataset)
    workbook.properties.title = dataset.title_vi
    workbook.properties.subject = dataset.title_en
    workbook.properties.creator = "nscl-reports"
    workbook.properties.created = FIXED_DATE
    workbook.properties.modified = FIXED_DATE
    return workbook


def workbook_bytes(workbook: Workbook, *, keep_formulas: bool = False) -> bytes:
    """The bytes of a workbook without a clock: fixed dates inside and on the zip entries.

    openpyxl stamps the time into ``docProps/core.xml`` and on every zip entry; both are
    replaced by :data:`FIXED_DATE`, so the same workbook gives the same bytes. Every text cell
    is written as text, never as a formula (:func:`helpers.safe_export.secure_workbook`), unless
    ``keep_formulas`` (only for test files that must hold a formula).
    """
    from helpers.safe_export import secure_workbook

    raw = io.BytesIO()
    (workbook if keep_formulas else secure_workbook(workbook)).save(raw)
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = data.decode("utf-8")
                text = re.sub(r"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rf"\g<1>{stamp}", text)
                data = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, data)
    return out.getvalue()


def template_path(out_dir: Path, dataset: Dataset) -> Path:
    """Where the template of ``dataset`` goes (named as the reader expects the register)."""
    return out_dir / f"{dataset.file_stem}.xlsx"


def write_templates(out_dir: Path, *, overwrite: bool = False) -> list[Path]:
    """Write the template of every dataset into ``out_dir``.

    Raises
    ------
    FileExistsError
        When a template file exists and ``overwrite`` is False (it may hold an analyst's data).

    """
    targets = [(d, template_path(out_dir, d)) for d in DATASETS.values()]
    existing = [p for _, p in targets if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(", ".join(str(p) for p in existing))
    out_dir.mkdir(parents=True, exist_ok=True)
    for dataset, path in targets:
        path.write_bytes(workbook_bytes(build_template(dataset)))
    return [p for _, p in targets]


def templates(
    out: Annotated[Path, typer.Option(help="Folder to write the templates into.")] = Path(
        "templates"
    ),
    force: Annotated[
        bool, typer.Option("--force", help="Replace template files that already exist.")
    ] = False,
) -> None:
    """Write an Excel template per register (Vietnamese headers, notes, drop-downs, dictionary).

    The files are named as the data folder expects them (supported_enterprises.xlsx,
    activities.xlsx, funding.xlsx), with submission.yaml, the Department's words in the
    submission to the Ministry. Existing files are never replaced without --force.
    """
    from helpers.inputs.submission_text import TEXT_FILE, write_example

    try:
        if (out / TEXT_FILE).exists() and not force:
            raise FileExistsError(str(out / TEXT_FILE))
        paths = write_templates(out, overwrite=force)
        paths.append(write_example(out, overwrite=force))
    except FileExistsError as error:
        typer.echo(
            f"Not written: {error}: the file(s) exist and may hold data. "
            "Choose another folder, or use --force to replace them.",
            err=True,
        )
        raise typer.Exit(2) from error
    for path in paths:
        typer.echo(f"  {path}")
