"""Reading and validating the registers: encodings, locales, headers, rows and rules."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook
from typer.testing import CliRunner

from bad_inputs.make_cases import to_cp1258
from helpers import config
from helpers.cli.app import app
from helpers.errors import InputError
from helpers.inputs.contracts import ACTIVITIES, SUPPORTED_ENTERPRISES
from helpers.inputs.registers import (
    ReadLocale,
    decode_text,
    load_locale,
    load_registers,
    looks_vietnamese,
    normalise_text,
    number_from_text,
    read_dataset,
    tax_code_check_digit,
)
from helpers.problems import problem_text

SAMPLE = config.SAMPLE_DATA_DIR
LOCALES = Path(__file__).resolve().parents[1] / "src" / "helpers" / "locales"


def sample_rows(dataset, rows=6) -> list[list[str]]:
    with (SAMPLE / f"{dataset.file_stem}.csv").open(encoding="utf-8", newline="") as handle:
        return [list(r) for r in csv.reader(handle)][: rows + 1]


def csv_text(table, delimiter=",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(table)
    return buffer.getvalue()


def with_cell(table, header, excel_row, value):
    copy = [list(r) for r in table]
    copy[excel_row - 1][copy[0].index(header)] = value
    return copy


def errors_of(path, dataset, **kwargs):
    with pytest.raises(InputError) as caught:
        read_dataset(path, dataset, **kwargs)
    return [p for p in caught.value.problems if p.severity == "error"]


def warnings_of(frame, kind_text):
    return [w for w in frame.attrs["warnings"] if kind_text in w.message]


def write(tmp_path, data: bytes | str, name="f.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read_text(tmp_path, dataset, data: bytes, name="f.csv", **kwargs):
    return read_dataset(write(tmp_path, data, name), dataset, **kwargs)


# --- the sample ------------------------------------------------------------------------------


def test_sample_registers_are_valid_and_indexed_by_excel_row(sample_registers):
    enterprises = sample_registers["supported_enterprises"]
    activities = sample_registers["activities"]
    assert len(enterprises) == 1887  # data lines of supported_enterprises.csv
    assert len(activities) == 70
    assert enterprises.index[0] == 2 and enterprises.index[-1] == 1888
    first = enterprises.loc[2]
    assert (first["year"], first["tax_code"], first["tools"]) == (2021, "5718062284", ("ISO 9001",))
    assert activities.loc[2, "date"] == dt.date(2021, 1, 6)


def test_sample_has_no_warning(sample_registers):
    """The embedded sample is clean: no problem at all, not even a warning."""
    warnings = [w for f in sample_registers.values() for w in f.attrs["warnings"]]
    assert [(w.file, w.row, w.column, w.message) for w in warnings] == []


def test_validate_and_reading_leave_inputs_unchanged(sample_copy):
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sample_copy.iterdir()}
    result = CliRunner().invoke(app, ["validate", "--data", str(sample_copy)])
    assert result.exit_code == 0, result.output
    load_registers(sample_copy)
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sample_copy.iterdir()}
    assert after == before


def test_validate_writes_problems_csv_and_exits_2(sample_copy, tmp_path):
    path = sample_copy / "activities.csv"
    table = sample_rows(ACTIVITIES, 70)
    table = with_cell(table, "Số người tham gia", 10, "-3")
    table = with_cell(table, "Loại hoạt động", 20, "party")
    path.write_text(csv_text(table), encoding="utf-8")
    problems = tmp_path / "out" / "problems.csv"
    result = CliRunner().invoke(
        app, ["validate", "--data", str(sample_copy), "--problems", str(problems)]
    )
    assert result.exit_code == 2
    rows = list(csv.DictReader(problems.open(encoding="utf-8-sig")))
    errors = [(r["row"], r["column"], r["value"]) for r in rows if r["severity"] == "error"]
    assert errors == [("10", "Số người tham gia", "-3"), ("20", "Loại hoạt động", "party")]


# --- encodings ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "delimiter", "name"),
    [
        ("utf-8", ",", "f.csv"),
        ("utf-8-sig", ",", "f.csv"),
        ("utf-16", "\t", "f.txt"),
        ("utf-16-le", "\t", "f.csv"),  # no BOM: recognised by its NUL bytes
        ("utf-8-sig", ";", "f.csv"),  # Excel's CSV where ',' is the decimal separator
    ],
)
def test_unicode_files_read_the_same(tmp_path, encoding, delimiter, name):
    table = sample_rows(ACTIVITIES, 20)
    expected = read_text(tmp_path, ACTIVITIES, csv_text(table).encode("utf-8"), "ref.csv")
    frame = read_text(tmp_path, ACTIVITIES, csv_text(table, delimiter).encode(encoding), name)
    pd.testing.assert_frame_equal(frame, expected)
    assert frame.attrs["warnings"] == expected.attrs["warnings"]


def test_windows_1258_is_read_with_a_warning(tmp_path):
    table = sample_rows(SUPPORTED_ENTERPRISES, 20)
    expected = read_text(tmp_path, SUPPORTED_ENTERPRISES, csv_text(table).encode(), "ref.csv")
    frame = read_text(tmp_path, SUPPORTED_ENTERPRISES, to_cp1258(csv_text(table)))
    pd.testing.assert_frame_equal(frame, expected)
    assert "Công ty TNHH Than Tuần Châu 011" in set(frame["name"])
    [warning] = warnings_of(frame, "Windows-1258")
    assert warning.row is None and warning.severity == "warning"


def test_declared_encoding_is_used(tmp_path):
    table = sample_rows(ACTIVITIES)
    locale = ReadLocale(encoding="cp1258")
    frame = read_text(tmp_path, ACTIVITIES, to_cp1258(csv_text(table)), locale=locale)
    assert frame.attrs["warnings"] == []
    [problem] = errors_of(tmp_path / "f.csv", ACTIVITIES, locale=ReadLocale(encoding="utf-16"))
    assert "cannot be read as utf-16" in problem.message


def test_decode_text_choices():
    assert decode_text("Ghi chú thì".encode("cp1252")) == ("Ghi chú thì", "cp1252")
    assert decode_text("Năm".encode("utf-8-sig")) == ("Năm", None)
    assert looks_vietnamese("Hạ Long – “Vịnh”")
    assert not looks_vietnamese("Müller")  # ü is not a Vietnamese letter


def test_undecodable_file_is_refused(tmp_path):
    data = b"\x81\x8d" + "Năm,Tên\n2021,Müller\n".encode("latin-1", errors="replace")
    [problem] = errors_of(write(tmp_path, data), ACTIVITIES)
    assert "encoding is not recognised" in problem.message
    assert problem.row is None


# --- locale: numbers and dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "decimal", "value"),
    [
        ("1234", None, "1234"),
        ("1 234", None, "1234"),
        ("-3", None, "-3"),
        ("1.234,5", ",", "1234.5"),
        ("1.234", ",", "1234"),
        ("12,5", ",", "12.5"),
        ("1,234.5", ".", "1234.5"),
    ],
)
def test_number_from_text(text, decimal, value):
    assert str(number_from_text(text, ReadLocale(decimal=decimal))) == value


def test_vietnamese_numbers_need_locale_yaml(tmp_path):
    table = with_cell(sample_rows(ACTIVITIES), "Số người tham gia", 3, "1.234")
    data = csv_text(table, ";").encode("utf-8")
    [problem] = errors_of(write(tmp_path, data), ACTIVITIES)
    assert "written with separators" in problem.message and problem.row == 3
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "locale.yaml").write_text('decimal: ","\n', encoding="utf-8")
    locale = load_locale(folder)
    assert locale == ReadLocale(decimal=",")
    frame = read_text(tmp_path, ACTIVITIES, data, locale=locale)
    assert frame.loc[3, "participants"] == 1234


def test_locale_yaml_problems(tmp_path):
    (tmp_path / "locale.yaml").write_text("decimal: ';'\ncolour: red\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_locale(tmp_path)
    assert [(p.file, p.column) for p in caught.value.problems] == [
        ("locale.yaml", "decimal"),
        ("locale.yaml", "colour"),
    ]


def test_locale_yaml_is_read_safely(tmp_path):
    (tmp_path / "locale.yaml").write_text("decimal: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(InputError, match="cannot be read"):
        load_locale(tmp_path)


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("06/01/2021", "dmy", dt.date(2021, 1, 6)),
        ("6.1.2021", "dmy", dt.date(2021, 1, 6)),
        ("2021-01-06", "dmy", dt.date(2021, 1, 6)),
        ("01/06/2021", "mdy", dt.date(2021, 1, 6)),
    ],
)
def test_dates(tmp_path, text, order, expected):
    table = with_cell(sample_rows(ACTIVITIES, 1), "Ngày", 2, text)
    frame = read_text(
        tmp_path, ACTIVITIES, csv_text(table).encode(), locale=ReadLocale(date_order=order)
    )
    assert frame.loc[2, "date"] == expected


# --- text, headers and rows ----------------------------------------------------------------------


def test_text_is_normalised(tmp_path):
    decomposed = unicodedata.normalize("NFD", "Công ty Hạ Long")
    table = with_cell(
        sample_rows(SUPPORTED_ENTERPRISES, 1), "Tên doanh nghiệp", 2, f"\u00a0 {decomposed}\u200b "
    )
    table = with_cell(table, "Hình thức hỗ trợ", 2, " Consulting ")
    table = with_cell(table, "Công cụ, hệ thống quản lý áp dụng", 2, "iso9001, 5s; ISO 9001")
    table[0] = [f" {h.upper()} " for h in table[0]]
    frame = read_text(tmp_path, SUPPORTED_ENTERPRISES, csv_text(table).encode())
    row = frame.loc[2]
    assert row["name"] == "Công ty Hạ Long" and unicodedata.is_normalized("NFC", row["name"])
    assert row["support_type"] == "consulting"
    assert row["tools"] == ("ISO 9001", "5S")
    assert normalise_text("a\u202fb") == "a b"


def test_headers_without_accents_and_machine_names(tmp_path):
    table = sample_rows(ACTIVITIES)
    table[0][0] = "Nam"  # no accent
    table[0][1] = "date"  # machine name
    table[0][2] = "Loai hoat dong"
    frame = read_text(tmp_path, ACTIVITIES, csv_text(table).encode())
    assert len(frame) == 6
    assert {w.column for w in warnings_of(frame, "accents are missing")} == {
        "Nam",
        "Loai hoat dong",
    }


def test_unknown_column_and_header_wrong_accent_are_warnings(tmp_path):
    table = sample_rows(SUPPORTED_ENTERPRISES)
    table[0][5] = "Hình thức hổ trợ"
    table = [[*r, "x"] for r in table]
    table[0][-1] = "Ghi chú riêng"
    frame = read_text(tmp_path, SUPPORTED_ENTERPRISES, csv_text(table).encode())
    assert [w.column for w in warnings_of(frame, "not in the template")] == ["Ghi chú riêng"]
    assert [w.column for w in warnings_of(frame, "accents are missing")] == ["Hình thức hổ trợ"]


def test_missing_optional_column_is_a_warning(tmp_path):
    table = [r[:6] + r[7:] for r in sample_rows(ACTIVITIES)]  # no "Ghi chú"
    frame = read_text(tmp_path, ACTIVITIES, csv_text(table).encode())
    assert [w.column for w in warnings_of(frame, "missing column")] == ["Ghi chú"]
    assert frame["notes"].isna().all()


def test_blank_rows_and_notes_row_keep_excel_rows(tmp_path):
    table = sample_rows(ACTIVITIES)
    notes = ["HƯỚNG DẪN – ghi chú"] + [""] * (len(table[0]) - 1)
    blank = [""] * len(table[0])
    table = [table[0], notes, table[1], blank, blank, *table[2:]]
    table = with_cell(table, "Số người tham gia", 6, "-1")
    [problem] = errors_of(write(tmp_path, csv_text(table)), ACTIVITIES)
    assert problem.row == 6
    table = with_cell(table, "Số người tham gia", 6, "100")
    frame = read_text(tmp_path, ACTIVITIES, csv_text(table).encode())
    assert list(frame.index) == [3, 6, 7, 8, 9, 10]


def workbook_from(table, *, numbers=True) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    for row in table:
        sheet.append(
            [int(v) if numbers and v.isdigit() and row is not table[0] else v for v in row]
        )
    return workbook


def test_workbook_cells_numbers_as_text_and_dates(tmp_path):
    table = sample_rows(ACTIVITIES)
    workbook = workbook_from(table, numbers=False)  # every cell typed as text
    sheet = workbook.active
    sheet["B3"] = dt.datetime(2021, 1, 26)
    sheet["B4"] = 44240  # 13/02/2021 as an Excel serial number
    sheet["E5"] = 38.0
    sheet["E6"] = " 1 234 "
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    frame = read_dataset(path, ACTIVITIES)
    assert frame.loc[2, "participants"] == 60 and frame.loc[6, "participants"] == 1234
    assert frame.loc[3, "date"] == dt.date(2021, 1, 26)
    assert frame.loc[4, "date"] == dt.date(2021, 2, 13)
    [serial] = warnings_of(frame, "Excel serial")
    assert (serial.row, serial.sheet, serial.value) == (4, "Sheet", "44240")


def test_merged_data_cells_fill_their_rows(tmp_path):
    table = sample_rows(ACTIVITIES)
    workbook = workbook_from(table)
    sheet = workbook.active
    sheet.merge_cells("A2:A5")  # one year cell for four rows
    path = tmp_path / "a.xlsx"
    workbook.save(path)
    frame = read_dataset(path, ACTIVITIES)
    assert list(frame["year"]) == [2021] * 6
    [warning] = warnings_of(frame, "merged cells")
    assert (warning.row, warning.column) == (2, "Năm") and "A2:A5" in warning.message


def test_numeric_tax_codes(tmp_path):
    table = sample_rows(SUPPORTED_ENTERPRISES)
    workbook = workbook_from(table, numbers=False)
    workbook.active["B2"] = 5718062284
    path = tmp_path / "s.xlsx"
    workbook.save(path)
    assert read_dataset(path, SUPPORTED_ENTERPRISES).loc[2, "tax_code"] == "5718062284"


# --- rules -------------------------------------------------------------------------------------


def test_tax_code_check_digit_rule():
    # Published tax codes: 0100233488 and 0314409058 (examples of python-stdnum's vn.mst),
    # 0100109106 (Viettel), 0300588569 (Vinamilk).
    for code in ("0100233488", "0314409058", "0100109106", "0300588569"):
        assert tax_code_check_digit(code) == int(code[9])
    assert tax_code_check_digit("0100233480") == 8


def test_check_digit_is_a_warning_on_real_rows_only(tmp_path):
    table = sample_rows(SUPPORTED_ENTERPRISES)
    table = with_cell(table, "Mã số thuế", 2, "0100233480")  # typo in the check digit
    table = with_cell(table, "Tình trạng số liệu", 2, "published")
    frame = read_text(tmp_path, SUPPORTED_ENTERPRISES, csv_text(table).encode())
    [warning] = warnings_of(frame, "check digit")
    assert (warning.row, warning.column, warning.value) == (2, "Mã số thuế", "0100233480")
    assert "should be 8" in warning.message


def test_branch_codes_without_dash_are_normalised(tmp_path):
    table = with_cell(sample_rows(SUPPORTED_ENTERPRISES), "Mã số thuế", 3, "5710038784 001")
    frame = read_text(tmp_path, SUPPORTED_ENTERPRISES, csv_text(table).encode())
    assert frame.loc[3, "tax_code"] == "5710038784-001"


def test_cross_column_rules_and_years(tmp_path):
    table = sample_rows(ACTIVITIES)
    over_table = with_cell(table, "Số doanh nghiệp", 2, "61")  # participants: 60
    [over] = errors_of(write(tmp_path, csv_text(over_table)), ACTIVITIES)
    assert (over.row, over.value, over.expected) == (2, "61", "at most the participants (60)")
    assert over.message == "more enterprises than participants"
    table = with_cell(table, "Năm", 3, "2019")
    table = with_cell(table, "Ngày", 3, "26/01/2019")
    frame = read_text(tmp_path, ACTIVITIES, csv_text(table).encode())
    [baseline] = warnings_of(frame, "before the programme")
    assert (baseline.row, baseline.column) == (3, "Năm")


def test_duplicates_are_warnings(tmp_path):
    table = sample_rows(SUPPORTED_ENTERPRISES)
    repeated = [*table, table[1], with_cell(table, "Nguồn", 2, "another source")[1]]
    frame = read_text(tmp_path, SUPPORTED_ENTERPRISES, csv_text(repeated).encode())
    [exact] = warnings_of(frame, "repeats row")
    assert (exact.row, exact.message) == (8, "this row repeats row 2 exactly; it is counted once")
    [same_key] = warnings_of(frame, "same tax code, year and support type")
    assert (same_key.row, same_key.column) == (9, "Mã số thuế")


def test_every_problem_of_a_file_at_once(tmp_path):
    table = sample_rows(ACTIVITIES)
    table = with_cell(table, "Năm", 2, "x")
    table = with_cell(table, "Ngày", 4, "32/01/2021")
    table = with_cell(table, "Số người tham gia", 7, "-2")
    problems = errors_of(write(tmp_path, csv_text(table)), ACTIVITIES)
    assert [(p.row, p.column) for p in problems] == [
        (2, "Năm"),
        (4, "Ngày"),
        (7, "Số người tham gia"),
    ]


# --- messages ----------------------------------------------------------------------------------


def test_catalogues_have_the_same_keys_and_placeholders():
    english = yaml.safe_load((LOCALES / "problems_en.yaml").read_text(encoding="utf-8"))
    vietnamese = yaml.safe_load((LOCALES / "problems_vi.yaml").read_text(encoding="utf-8"))
    for section in ("messages", "expected"):
        assert english[section].keys() == vietnamese[section].keys()
        for key, text in english[section].items():
            fields = set(re.findall(r"\{(\w+)", text))
            assert fields == set(re.findall(r"\{(\w+)", vietnamese[section][key])), key


def test_messages_in_vietnamese(tmp_path):
    table = with_cell(sample_rows(ACTIVITIES), "Số người tham gia", 3, "-5")
    [problem] = errors_of(write(tmp_path, csv_text(table)), ACTIVITIES, lang="vi")
    assert problem.message == "số đếm không thể âm"
    assert problem.expected == "từ 0 trở lên"
    assert problem_text("duplicate_row", "vi", first=2).startswith("dòng này lặp lại")


def test_register_saved_in_two_formats_is_a_warning(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder)
    shutil.copyfile(folder / "activities.csv", folder / "Activities.txt")
    frames = load_registers(folder)
    [warning] = warnings_of(frames["activities"], "several files")
    assert "only activities.csv is read" in warning.message


# --- Excel mistakes named precisely (issue 16) --------------------------------------------------

BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"
#: The error values of issue 16, each put in a column of another kind.
ERROR_CELLS = [
    ("#REF!", "Tên doanh nghiệp", 3),
    ("#N/A", "Ngành VSIC (cấp 1)", 4),
    ("#VALUE!", "Năm", 5),
    ("#DIV/0!", "Mô hình điểm", 6),
    ("#NAME?", "Mã số thuế", 7),
]


def se_workbook(tmp_path, change=None) -> Path:
    """The first sample rows as a workbook (years as numbers), after ``change(sheet)``."""
    table = sample_rows(SUPPORTED_ENTERPRISES)
    workbook = Workbook()
    sheet = workbook.active
    for number, row in enumerate(table):
        sheet.append([int(v) if number and v.isdigit() and len(v) == 4 else v for v in row])
    if change:
        change(sheet)
    path = tmp_path / "supported_enterprises.xlsx"
    workbook.save(path)
    return path


@pytest.mark.parametrize(("error", "header", "row"), ERROR_CELLS)
def test_excel_error_values_are_located_errors(tmp_path, error, header, row):
    def put(sheet) -> None:
        column = [c.value for c in sheet[1]].index(header) + 1
        sheet.cell(row, column, error)  # stored as an error cell, as Excel does

    errors = errors_of(se_workbook(tmp_path, put), SUPPORTED_ENTERPRISES)
    assert [(p.row, p.column, p.value, p.sheet) for p in errors] == [(row, header, error, "Sheet")]
    assert errors[0].message.startswith(f"Excel error value {error}")


def test_excel_error_value_in_a_csv_is_an_error(tmp_path):
    table = with_cell(sample_rows(SUPPORTED_ENTERPRISES), "Tên doanh nghiệp", 2, "#REF!")
    errors = errors_of(write(tmp_path, csv_text(table)), SUPPORTED_ENTERPRISES, lang="vi")
    assert [(p.row, p.column) for p in errors] == [(2, "Tên doanh nghiệp")]
    assert "giá trị lỗi của Excel #REF!" in errors[0].message


def test_formula_without_value_is_named_with_its_cell_in_vietnamese(tmp_path):
    path = tmp_path / "supported_enterprises.xlsx"
    shutil.copyfile(BAD_INPUTS / "se_formula_without_value.xlsx", path)
    errors = errors_of(path, SUPPORTED_ENTERPRISES, lang="vi")
    assert [(p.row, p.column, p.value) for p in errors] == [
        (4, "Tên doanh nghiệp", '=UPPER("Công ty TNHH Hạ Long")')
    ]
    assert errors[0].message.startswith("công thức chưa có giá trị: mở tệp bằng Excel và lưu lại")
    assert "(ô C4)" in errors[0].message
    assert "ô trống" not in errors[0].message


def test_formula_with_a_stored_value_is_read(tmp_path):
    """A formula Excel computed and saved is read by its value (no problem)."""
    import zipfile

    path = se_workbook(tmp_path, lambda sheet: sheet.__setitem__("C3", "Công ty A"))
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    sheet = files["xl/worksheets/sheet1.xml"].decode("utf-8")
    cell = re.search(r'<c r="C3"[^>]*>.*?</c>', sheet).group(0)
    computed = '<c r="C3" t="str"><f>UPPER("Công ty a")</f><v>Công ty A</v></c>'
    files["xl/worksheets/sheet1.xml"] = sheet.replace(cell, computed).encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    frame = read_dataset(path, SUPPORTED_ENTERPRISES)
    assert frame.loc[3, "name"] == "Công ty A"


def test_deleted_header_row_is_reported_on_the_data_sheet(tmp_path):
    path = tmp_path / "supported_enterprises.xlsx"
    shutil.copyfile(BAD_INPUTS / "se_template_without_header.xlsx", path)
    problems = errors_of(path, SUPPORTED_ENTERPRISES, lang="vi")
    assert [(p.sheet, p.row) for p in problems] == [("Dữ liệu", 1)]
    assert problems[0].message.startswith("không có dòng tiêu đề")


@pytest.mark.parametrize(
    ("case", "kind"),
    [
        ("se_password.xlsx", "workbook_encrypted"),
        ("se_truncated.xlsx", "workbook_truncated"),
        ("se_csv_renamed.xlsx", "not_a_workbook_text"),
        ("se_xls_renamed.xlsx", "workbook_old_xls"),
    ],
)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_unreadable_workbooks_get_their_own_message(tmp_path, case, kind, lang):
    path = tmp_path / "supported_enterprises.xlsx"
    shutil.copyfile(BAD_INPUTS / case, path)
    problems = errors_of(path, SUPPORTED_ENTERPRISES, lang=lang)
    assert [p.message for p in problems] == [problem_text(kind, lang)]
    assert problems[0].row is None and problems[0].expected


def test_old_xls_file_is_told_how_to_save_it(tmp_path):
    shutil.copyfile(BAD_INPUTS / "valid_activities.csv", tmp_path / "activities.csv")
    (tmp_path / "supported_enterprises.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(InputError) as caught:
        load_registers(tmp_path, lang="vi")
    (problem,) = caught.value.problems
    assert problem.file == "supported_enterprises.xls"
    assert "mở tệp bằng Excel và lưu lại dạng Excel Workbook (.xlsx)" in problem.message


def test_problems_file_is_written_when_there_are_only_warnings(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE, data)
    table = sample_rows(SUPPORTED_ENTERPRISES, rows=3)
    table.append(table[-1])  # an exact duplicate: a warning
    (data / "supported_enterprises.csv").write_text(csv_text(table), encoding="utf-8")
    problems = tmp_path / "problems.csv"
    result = CliRunner().invoke(
        app, ["validate", "--data", str(data), "--problems", str(problems), "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    with problems.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["file"].startswith("supported_enterprises")]
    assert [(r["row"], r["severity"]) for r in rows] == [("5", "warning")]
    assert "repeats row 4" in rows[0]["message"]


def test_distinct_cells_are_told_apart_by_type():
    """Each distinct cell is parsed once: True and 1 (equal in Python) stay different cells."""
    import numpy as np

    from helpers.inputs.registers import distinct_text

    values = np.array([True, 1, 1.0, "1", None, True], dtype=object)
    assert distinct_text(values).tolist() == ["TRUE", "1", "1", "1", "", "TRUE"]
