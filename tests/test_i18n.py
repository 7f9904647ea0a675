"""Message catalogues and number/date formats."""

import datetime as dt
import re
import unicodedata
from pathlib import Path

import pytest

from helpers import i18n
from helpers.errors import InternalError

SRC = Path(__file__).resolve().parents[1] / "src" / "helpers"


def test_catalogues_have_the_same_keys():
    assert set(i18n.catalogue("vi")) == set(i18n.catalogue("en"))


def test_catalogues_have_the_same_placeholders():
    for key, text in i18n.catalogue("vi").items():
        other = i18n.catalogue("en")[key]
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", other)), key


def test_vietnamese_messages_are_nfc_with_diacritics():
    vi = i18n.catalogue("vi")
    for text in vi.values():
        assert unicodedata.normalize("NFC", text) == text
    programme = "Kết quả thực hiện các chỉ tiêu, nhiệm vụ của Kế hoạch"
    assert i18n.t("section.programme", "vi") == programme


def test_every_key_used_in_code_exists():
    used = set()
    for path in SRC.rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_]+)["']""", path.read_text()))
    missing = used - set(i18n.catalogue("vi"))
    assert not missing


@pytest.mark.parametrize(
    ("value", "decimals", "vi", "en"),
    [
        (1234.5, 1, "1.234,5", "1,234.5"),
        (1234567, 0, "1.234.567", "1,234,567"),
        (0.5, 2, "0,50", "0.50"),
    ],
)
def test_numbers(value, decimals, vi, en):
    assert i18n.format_number(value, "vi", decimals) == vi
    assert i18n.format_number(value, "en", decimals) == en


def test_percent_and_missing():
    assert i18n.format_percent(0.4348, "vi", 2) == "43,48 %"
    assert i18n.format_percent(float("nan"), "en") == i18n.MISSING


def test_dates():
    assert i18n.format_date(dt.date(2026, 11, 30), "vi") == "30/11/2026"


def test_unknown_language_and_key():
    with pytest.raises(ValueError, match="unknown language"):
        i18n.t("report.toc", "fr")
    with pytest.raises(KeyError, match="missing"):
        i18n.t("no.such.key", "vi")


# --- the catalogue files ---------------------------------------------------------------------


def write_catalogues(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


GOOD = {"vi.yaml": 'a.b: "Một"\n', "en.yaml": 'a.b: "One"\n'}


def test_catalogue_parts_are_merged(tmp_path):
    folder = write_catalogues(
        tmp_path, {**GOOD, "vi.extra.yaml": 'c.d: "Hai"\n', "en.extra.yaml": 'c.d: "Two"\n'}
    )
    assert i18n.load_catalogues(folder)["vi"] == {"a.b": "Một", "c.d": "Hai"}


def test_a_key_repeated_across_parts_names_the_file(tmp_path):
    folder = write_catalogues(tmp_path, {**GOOD, "vi.extra.yaml": 'a.b: "Lại"\n'})
    with pytest.raises(InternalError, match=r"vi\.extra\.yaml repeats messages: a\.b"):
        i18n.load_catalogue("vi", folder)


def test_a_key_repeated_in_one_file_names_the_file(tmp_path):
    folder = write_catalogues(tmp_path, {**GOOD, "en.yaml": 'a.b: "One"\na.b: "Again"\n'})
    with pytest.raises(InternalError, match=r"en\.yaml is not valid YAML.*'a\.b' is written twice"):
        i18n.load_catalogue("en", folder)


def test_a_message_that_is_not_text_names_the_file_and_key(tmp_path):
    folder = write_catalogues(tmp_path, {**GOOD, "en.yaml": "a.b:\n  - One\n"})
    with pytest.raises(InternalError, match=r"en\.yaml is broken: a\.b: Input should be a valid"):
        i18n.load_catalogue("en", folder)
    folder = write_catalogues(tmp_path, {**GOOD, "en.yaml": "- One\n"})
    with pytest.raises(InternalError, match=r"en\.yaml is broken: \(file\)"):
        i18n.load_catalogue("en", folder)


def test_languages_must_hold_the_same_keys(tmp_path):
    folder = write_catalogues(tmp_path, {**GOOD, "vi.extra.yaml": 'c.d: "Hai"\n'})
    with pytest.raises(InternalError, match=r"en\.yaml lacks messages of the vi catalogue: c\.d"):
        i18n.load_catalogues(folder)


def test_a_broken_catalogue_is_an_internal_error_with_exit_code_1(tmp_path):
    folder = write_catalogues(tmp_path, {**GOOD, "vi.yaml": 'a.b: "Một\n'})
    with pytest.raises(InternalError) as caught:
        i18n.load_catalogue("vi", folder)
    assert caught.value.exit_code == 1 and "vi.yaml" in str(caught.value)


def test_signed_numbers_points_and_year_spans():
    # the tornado's employment setting: "+0,5 / năm" in Vietnamese; a fall keeps its minus
    assert i18n.format_signed_number(0.5, "vi", 1) == "+0,5"
    # a half goes away from zero, as in a spreadsheet (Babel alone rounds half to even)
    assert i18n.format_signed_number(-1.25, "en", 1) == "-1.3"
    assert i18n.format_signed_number(-0.04, "vi", 1) == "0,0"  # never "-0,0"
    assert i18n.format_signed_number(None, "vi") == i18n.MISSING
    # an estimate of 45.00 % against a published 43.48 %: 1.52 points, shown to one decimal
    assert i18n.format_points(0.45 - 0.4348, "vi") == "1,5 điểm phần trăm"
    assert i18n.format_points(-0.021, "en") == "-2.1 percentage points"
    assert i18n.format_years(2016, 2020) == "2016–2020" and i18n.format_years(2030, 2030) == "2030"


def test_a_value_rounds_as_written_so_two_tables_agree():
    # 2014's GRDP growth: published 0.1025 (Table 14), 0.10250011... from the GRDP levels
    # (Table 12); binary rounding showed 10,2 % in one table and 10,3 % in the other
    published, from_levels = 0.1025, 88756.0 / 80504.3 - 1
    assert i18n.format_percent(published, "vi") == i18n.format_percent(from_levels, "vi")
    assert i18n.format_percent(published, "vi") == "10,3 %"
    assert i18n.format_number(1234.5, "vi") == "1.235"
    assert i18n.format_number(0.125, "en", 2) == "0.13"
    assert i18n.format_percent(float("inf"), "en") == "∞%"
