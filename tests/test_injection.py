"""Nothing injected, nothing lost: data and parameters cannot run code or escape their places.

A report is built once per edition (public and internal; HTML, Vietnamese) from a copy of the
sample data whose activity titles and enterprise names are script and markup, and whose every
other text field holds one of four spreadsheet formulas: the page must show them as text, and no
CSV or XLSX file of the report (nor the problems list of ``nscl validate``) may hold a live
formula. The build must leave every input byte-identical. Parameters cannot write outside the
reports folder, and YAML is only read with the safe loader. ``tests/test_browser.py`` opens
the same page in Chromium.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from conftest import shared_root
from helpers import config
from helpers.cli.app import app
from helpers.errors import InputError
from helpers.inputs.params import load_params
from helpers.report.blocks import html_table
from helpers.report.result_cache import exclusive_lock

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)> {{ 7*7 }}"
ATTRIBUTE = '"><svg onload=alert(1)>'
#: Enterprise names never appear in the public edition, escaped or not.
NAME = "<script>alert('enterprise')</script>"
#: The formula payloads of issue 16 (OWASP "CSV injection"): a spreadsheet would run each.
FORMULAS = ('=HYPERLINK("http://example.invalid","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)")
#: Text columns of the registers (kind ``str`` in the contracts).
TEXT_COLUMNS = {
    "activities.csv": ("Tên hoạt động", "Ghi chú", "Nguồn"),
    "supported_enterprises.csv": ("Tên doanh nghiệp", "Xã/phường/đặc khu", "Nguồn"),
}


def _rewrite(path: Path, change) -> None:
    """Rewrite a UTF-8 CSV register, changing its rows with ``change(rows)``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [list(r) for r in csv.reader(handle)]
    change(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def formulas(rows: list[list[str]], headers: tuple[str, ...]) -> None:
    """Put the four formula payloads, in turn, into every text column of every data row."""
    for header in headers:
        index = rows[0].index(header)
        for number, row in enumerate(rows[1:]):
            row[index] = FORMULAS[number % len(FORMULAS)]


def make_injected_data(folder: Path) -> None:
    """A copy of the sample data with script, markup and formulas in every text field."""
    shutil.copytree(config.SAMPLE_DATA_DIR, folder)

    def activities(rows: list[list[str]]) -> None:
        formulas(rows, TEXT_COLUMNS["activities.csv"])
        header = rows[0]
        kind, title, notes = (
            header.index(h) for h in ("Loại hoạt động", "Tên hoạt động", "Ghi chú")
        )
        # a draft criteria set (its words) is evidence of the task: its title is listed
        payloads = {"cert_scope_extension": SCRIPT, "tfp_criteria": f"Dự thảo {SCRIPT} {IMAGE}"}
        for number, row in enumerate(rows[1:]):
            if row[kind] in payloads:
                row[title] = payloads[row[kind]]
            if number % 5 == 0:
                row[notes] = ATTRIBUTE

    def enterprises(rows: list[list[str]]) -> None:
        formulas(rows, TEXT_COLUMNS["supported_enterprises.csv"])
        name, commune = rows[0].index("Tên doanh nghiệp"), rows[0].index("Xã/phường/đặc khu")
        for row in rows[1:6]:
            row[name], row[commune] = NAME, ATTRIBUTE

    _rewrite(folder / "activities.csv", activities)
    _rewrite(folder / "supported_enterprises.csv", enterprises)


def tree_hashes(*paths: Path) -> dict[str, str]:
    """SHA-256 of every file under ``paths``."""
    files = []
    for path in paths:
        files.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def injected_report(tmp_path_factory: pytest.TempPathFactory, edition: str = "public") -> Path:
    """Build the injected report of an edition once per test run; return the HTML page.

    Shared by the test processes of a parallel run (the browser tests read it too). The hashes
    of every input before the build are saved beside it (``inputs-before.json``).
    """
    from helpers.report.build import build_report

    shared = shared_root(tmp_path_factory)
    with exclusive_lock(shared / f"injected-report-{edition}.lock"):
        return _build_injected(shared / f"injected-report-{edition}", edition, build_report)


def _build_injected(root: Path, edition: str, build_report) -> Path:
    folder = "2025" if edition == "public" else "2025-internal"
    page = root / "reports" / folder / f"nscl-{folder}-vi.html"
    if page.exists():
        return page
    shutil.rmtree(root, ignore_errors=True)
    data = root / "data"
    make_injected_data(data)
    inputs = (data, config.DATA_DIR / "plan", config.PARAMS_DIR)
    (root / "inputs-before.json").write_text(json.dumps(tree_hashes(*inputs)), encoding="utf-8")
    params = load_params(
        year=2025, languages=["vi"], formats=["html"], data_dir=str(data), edition=edition
    )
    build_report(params, root / "reports")
    return page


@pytest.fixture(scope="module")
def page_path(tmp_path_factory) -> Path:
    return injected_report(tmp_path_factory)


@pytest.fixture(scope="module")
def page(page_path) -> str:
    return page_path.read_text(encoding="utf-8")


def test_payloads_are_shown_as_text(page):
    assert html.escape(SCRIPT) in page
    assert html.escape(IMAGE) in page  # the template does not evaluate {{ }} in data either
    assert "<script" not in page  # the page has no script of its own
    assert "alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "<svg" not in page
    for tag in re.findall(r"<img\b[^>]*>", page):
        assert 'src="data:image/png;base64,' in tag and "onerror" not in tag


def test_enterprise_names_are_not_published(page):
    assert "enterprise')" not in page and "enterprise&#x27;)" not in page


def test_build_leaves_inputs_unchanged(page_path):
    root = page_path.parents[2]
    before = json.loads((root / "inputs-before.json").read_text(encoding="utf-8"))
    after = tree_hashes(root / "data", config.DATA_DIR / "plan", config.PARAMS_DIR)
    assert after == before


def test_html_table_escapes_every_cell_and_caption():
    frame = pd.DataFrame({SCRIPT: [IMAGE, ATTRIBUTE], "n": [1, 2]})
    rendered = html_table(frame, caption=SCRIPT, source=ATTRIBUTE)
    assert "<script" not in rendered and "<img" not in rendered and "<svg" not in rendered
    assert rendered.count(html.escape(SCRIPT)) == 2


@pytest.mark.parametrize(
    "report_id", ["../escape", "..", "/tmp/escape", "a/../../b", "a\\b", ".hidden", "", "x\n/y"]
)
def test_report_id_cannot_leave_the_reports_folder(report_id):
    with pytest.raises(InputError) as caught:
        load_params(year=2025, report_id=report_id)
    assert [p.column for p in caught.value.problems] == ["report_id"]


def test_report_folder_stays_inside_the_output_folder(tmp_path):
    out = tmp_path / "reports"
    for report_id in ("2025", "phase1-review", "a..b", "v1.2_final"):
        params = load_params(year=2025, report_id=report_id)
        assert (out / params.folder_name).resolve().parent == out.resolve()


def test_build_with_an_escaping_report_id_writes_nothing(tmp_path):
    params_file = tmp_path / "evil.yaml"
    params_file.write_text("year: 2025\nreport_id: ../../escaped\n", encoding="utf-8")
    out = tmp_path / "a" / "reports"
    result = CliRunner().invoke(app, ["build", "--params", str(params_file), "--out", str(out)])
    assert result.exit_code == 2
    assert "report_id" in result.output
    allowed = {params_file, out.parent, out}
    outside = [p for p in tmp_path.rglob("*") if p not in allowed and out not in p.parents]
    assert outside == []


UNSAFE_YAML = re.compile(
    r"yaml\.(full_load|unsafe_load|load_all|unsafe_load_all)\s*\(|"
    r"yaml\.load\s*\((?![^)]*Loader=SafeLoader\))|"  # yaml.load only with the safe loader
    r"(Unsafe|Full)?Loader\s*=\s*yaml\.(Loader|UnsafeLoader|FullLoader)"
)


def test_yaml_is_read_with_the_safe_loader():
    sources = [*(ROOT / "src").rglob("*.py"), *(ROOT / "notebooks").glob("*.ipynb")]
    sources += [p for p in (ROOT / "tests").rglob("*.py") if p.name != Path(__file__).name]
    offenders = [
        f"{p.relative_to(ROOT)}:{m.group(0)}"
        for p in sources
        for m in UNSAFE_YAML.finditer(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    from helpers.problems import SafeLoader, load_yaml

    # the project's one loader builds plain data only (libyaml's parser, the safe constructor)
    assert issubclass(SafeLoader, yaml.constructor.SafeConstructor)
    assert not issubclass(SafeLoader, yaml.constructor.FullConstructor)
    assert load_yaml("a: 1") == {"a": 1}
    with pytest.raises(yaml.constructor.ConstructorError):
        load_yaml("!!python/object/apply:os.system ['echo injected']")


# --- no live formula in any file the project writes (issue 16) ----------------------------------

#: First characters that make a spreadsheet run a text cell as a formula (OWASP list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def live_csv_cells(path: Path) -> list[str]:
    """Cells of a CSV file that a spreadsheet would run as formulas."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    return [c for c in cells if c.startswith(FORMULA_STARTS) and not _is_number(c)]


def xlsx_formula_cells(path: Path) -> list[str]:
    """Cells of a workbook stored as formulas (``<f>`` elements in any worksheet)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        xml = "".join(archive.read(n).decode("utf-8") for n in sheets)
    return re.findall(r"<f[ >].*?</f>|<f/>", xml)


def xlsx_text(path: Path) -> list[str]:
    """Every text cell of a workbook, as read back by openpyxl."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    return [
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


@pytest.fixture(scope="module")
def internal_page_path(tmp_path_factory) -> Path:
    return injected_report(tmp_path_factory, "internal")


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_report_files_hold_no_live_formula(edition, page_path, internal_page_path):
    folder = (page_path if edition == "public" else internal_page_path).parent
    csvs = sorted(folder.rglob("*.csv"))
    workbooks = sorted(folder.rglob("*.xlsx"))
    assert csvs and workbooks
    assert {p.name: live_csv_cells(p) for p in csvs} == {p.name: [] for p in csvs}
    assert {p.name: xlsx_formula_cells(p) for p in workbooks} == {p.name: [] for p in workbooks}


def test_internal_tables_keep_the_names_as_text(internal_page_path):
    """The payloads reach the internal tables (the test is not vacuous), quoted; XLSX as text."""
    folder = internal_page_path.parent
    written = "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*internal*.csv"))
    quoted = [f for f in FORMULAS if "'" + f in written or "\"'" + f.replace('"', '""') in written]
    assert len(quoted) >= 2
    texts = set(xlsx_text(next(folder.glob("tables-*.xlsx"))))
    assert {f for f in FORMULAS if f in texts} == set(quoted)  # the original text, unquoted


def test_problems_list_holds_no_live_formula(tmp_path):
    """Rejected values are echoed in the problems list, quoted."""
    data = tmp_path / "data"
    make_injected_data(data)

    def codes(rows: list[list[str]]) -> None:
        header = rows[0]
        for number, row in enumerate(rows[1:5]):
            for column in ("Ngành VSIC (cấp 1)", "Hình thức hỗ trợ", "Mã số thuế"):
                row[header.index(column)] = FORMULAS[number]

    _rewrite(data / "supported_enterprises.csv", codes)
    problems = tmp_path / "problems.csv"
    result = CliRunner().invoke(
        app, ["validate", "--data", str(data), "--problems", str(problems), "--lang", "en"]
    )
    assert result.exit_code == 2, result.output
    assert live_csv_cells(problems) == []
    with problems.open(encoding="utf-8-sig", newline="") as handle:
        values = [row["value"] for row in csv.DictReader(handle)]
    assert {"'" + f for f in FORMULAS} <= set(values)


def test_writer_quotes_formulas_and_keeps_numbers(tmp_path):
    from helpers.safe_export import read_frame_csv, restore_text, write_frame_csv

    texts = [*FORMULAS, "\tTAB", "\nLF", "'=already quoted", "-12.5", "Công ty A-B"]
    frame = pd.DataFrame({"name": texts, "value": [-1.5, -2, 0, 1, 2, 3, 4, 5, 6]})
    path = write_frame_csv(frame, tmp_path / "t.csv")
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    assert [r[0] for r in rows] == [
        "'" + FORMULAS[0],
        "'" + FORMULAS[1],
        "'-2+3",
        "'@SUM(1)",
        "'\tTAB",
        "'\nLF",  # a line feed stands for a carriage return (see below): quoted too
        "''=already quoted",  # one more apostrophe, so reading back is exact
        "-12.5",  # a number written as text is not a formula
        "Công ty A-B",
    ]
    assert [r[1] for r in rows[:2]] == ["-1.5", "-2.0"]  # numbers stay numbers
    assert read_frame_csv(path).equals(frame)
    assert [restore_text(r[0]) for r in rows] == texts
    write_frame_csv(pd.DataFrame({"name": ["\rCR", "a\r\nb"]}), path)
    with path.open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle)) == [["name"], ["'\nCR"], ["a\nb"]]  # one row each


def test_workbook_cells_are_strings_never_formulas(tmp_path):
    from openpyxl import load_workbook

    from helpers.safe_export import write_frames_xlsx

    frame = pd.DataFrame({"name": list(FORMULAS), "value": [-1.5, -2, 3, 4]})
    path = write_frames_xlsx({"t": frame}, tmp_path / "t.xlsx")
    assert xlsx_formula_cells(path) == []
    sheet = load_workbook(path).active
    names = [sheet.cell(row, 1) for row in range(2, 6)]
    assert [(c.value, c.data_type, c.quotePrefix) for c in names] == [
        (f, "s", True) for f in FORMULAS
    ]
    assert [sheet.cell(row, 2).value for row in range(2, 6)] == [-1.5, -2, 3, 4]
    assert sheet.cell(2, 2).data_type == "n"
