"""Nothing injected, nothing lost: data and parameters cannot run code or escape their places.

A report is built once (HTML, Vietnamese) from a copy of the sample data whose activity titles
and enterprise names are script and markup: the page must show them as text. The build must
leave every input byte-identical. Parameters cannot write outside the reports folder, and YAML
is only read with the safe loader. ``tests/test_browser.py`` opens the same page in Chromium.
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

from helpers import config
from helpers.cli import app
from helpers.errors import InputError
from helpers.params import load_params
from helpers.present import html_table

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)> {{ 7*7 }}"
ATTRIBUTE = '"><svg onload=alert(1)>'
#: Enterprise names never appear in the public edition, escaped or not.
NAME = "<script>alert('enterprise')</script>"


def _rewrite(path: Path, change) -> None:
    """Rewrite a UTF-8 CSV register, changing its rows with ``change(rows)``."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [list(r) for r in csv.reader(handle)]
    change(rows)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def make_injected_data(folder: Path) -> None:
    """A copy of the sample data with script and markup in titles, notes and names."""
    shutil.copytree(config.SAMPLE_DATA_DIR, folder)

    def activities(rows: list[list[str]]) -> None:
        header = rows[0]
        kind, title, notes = (
            header.index(h) for h in ("Loại hoạt động", "Tên hoạt động", "Ghi chú")
        )
        payloads = {"cert_scope_extension": SCRIPT, "tfp_criteria": IMAGE}
        for row in rows[1:]:
            if row[kind] in payloads:
                row[title] = payloads[row[kind]]
            row[notes] = ATTRIBUTE

    def enterprises(rows: list[list[str]]) -> None:
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


def injected_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the injected report once per test session; return the HTML page.

    The hashes of every input before the build are saved beside it (``inputs-before.json``).
    """
    from helpers.report import build_report

    root = tmp_path_factory.getbasetemp() / "injected-report"
    page = root / "reports" / "2025" / "nscl-2025-vi.html"
    if page.exists():
        return page
    shutil.rmtree(root, ignore_errors=True)
    data = root / "data"
    make_injected_data(data)
    inputs = (data, config.DATA_DIR / "plan", config.PARAMS_DIR)
    (root / "inputs-before.json").write_text(json.dumps(tree_hashes(*inputs)), encoding="utf-8")
    params = load_params(year=2025, languages=["vi"], formats=["html"], data_dir=str(data))
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
    r"yaml\.(load|full_load|unsafe_load|load_all|unsafe_load_all)\s*\(|"
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
    assert yaml.safe_load("a: 1") == {"a": 1}
