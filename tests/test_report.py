"""The built report: HTML content and self-containment, PDF text, manifest, failure safety."""

import hashlib
import json
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from helpers import config, i18n
from helpers.inputs.params import load_params
from helpers.report.build import NotebookFailed, build_report, table_of_contents
from helpers.report.context import load_context


def _html(built_report, lang):
    return (built_report.folder / f"nscl-2025-{lang}.html").read_text(encoding="utf-8")


class _Resources(HTMLParser):
    """Collect every resource address (src, href of link, srcset, CSS url())."""

    def __init__(self):
        super().__init__()
        self.addresses = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed"):
            self.addresses.append(attrs.get("src") or "")
        if tag == "link":
            self.addresses.append(attrs.get("href") or "")
        if tag == "object":
            self.addresses.append(attrs.get("data") or "")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_html_is_self_contained(built_report, lang):
    page = _html(built_report, lang)
    parser = _Resources()
    parser.feed(page)
    external = [a for a in parser.addresses if re.match(r"^(https?:)?//", a)]
    assert not external
    assert all(a.startswith("data:") for a in parser.addresses if a)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", page)
    assert "@import" not in page
    assert f'<html lang="{lang}">' in page
    assert '<meta name="viewport"' in page  # readable on a phone


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_item_of_the_phase_with_its_status(built_report, lang):
    page = _html(built_report, lang)
    context = load_context(
        year=2025, lang=lang, data_dir="data/sample", plan_file="data/plan/quang_ninh_203.yaml"
    )
    table = page[page.index("status-table") :]
    names = {t.code: t.name(lang) for t in context.plan.targets}
    for code, row in context.assessment.iterrows():
        if row["status"] == "not_started":  # the next phase's items are not in the summary
            continue
        label = i18n.t("status." + row["status"], lang)
        name = re.escape(names[code].replace("&", "&amp;"))
        pattern = rf"<td>{name}</td>.*?badge[^>]*>{re.escape(label)}</span>"
        assert re.search(pattern, table, re.S), (code, label)


def test_numbers_follow_the_language(built_report):
    # enterprises supported 120 -> 134 in 2022: +11.7 %
    assert "11,7 %" in _html(built_report, "vi")
    assert "11.7%" in _html(built_report, "en")


def test_illustrative_data_is_said_on_the_first_page(built_report):
    reader = PdfReader(built_report.folder / "nscl-2025-vi.pdf")
    first = unicodedata.normalize("NFC", reader.pages[0].extract_text())
    assert "minh họa" in first
    assert "Báo cáo thực hiện Chương trình năng suất chất lượng năm 2025" in first.replace(
        "\n", " "
    )


def test_pdf_text_has_vietnamese_headings_and_page_numbers(built_report):
    reader = PdfReader(built_report.folder / "nscl-2025-vi.pdf")
    text = unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in reader.pages))
    for heading in (
        "Mục lục",
        "Tóm tắt",
        "Kết quả thực hiện các chỉ tiêu, nhiệm vụ của Kế hoạch",
        "Phương pháp và nguồn số liệu",
        "Doanh nghiệp được hỗ trợ",
    ):
        assert heading in text, heading
    assert f"Trang 1 / {len(reader.pages)}" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def test_pdf_fonts_cover_vietnamese(built_report):
    reader = PdfReader(built_report.folder / "nscl-2025-vi.pdf")
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all(("Noto" in f or "DejaVu" in f) for f in fonts), fonts


def test_table_of_contents_links_resolve(built_report):
    page = _html(built_report, "vi")
    toc = table_of_contents(page[page.index("<main>") :])
    assert len(toc) >= 3
    for item in toc:
        assert f'href="#{item["id"]}"' in page
        assert f'id="{item["id"]}"' in page


def test_manifest_records_inputs_and_outputs(built_report):
    manifest = json.loads((built_report.folder / "manifest.json").read_text())
    for name, digest in manifest["inputs"].items():
        assert hashlib.sha256((config.PROJECT_ROOT / name).read_bytes()).hexdigest() == digest
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((built_report.folder / name).read_bytes()).hexdigest() == digest
    assert manifest["parameters"]["year"] == 2025
    assert {"pandas", "papermill", "nbconvert"} <= set(manifest["versions"])
    assert manifest["timings_seconds"]["total"] > 0
    assert not any(name.startswith("/") for name in manifest["outputs"])  # no machine paths
    assert "tables/target-status-vi.csv" in manifest["outputs"]


def test_tables_as_csv_and_xlsx(built_report):
    assert (built_report.folder / "tables" / "target-status-vi.csv").is_file()
    from openpyxl import load_workbook

    book = load_workbook(built_report.folder / "tables-2025-vi.xlsx")
    assert "target-status" in book.sheetnames


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_failing_notebook_leaves_previous_report_byte_identical(
    built_report, tmp_path, monkeypatch
):
    out = tmp_path / "reports"
    shutil.copytree(built_report.folder, out / "2025")
    before = _tree_digest(out / "2025")
    notebooks = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks)
    bad = nbformat.read(notebooks / "01_summary.ipynb", as_version=4)
    bad.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('deliberate failure')"))
    nbformat.write(bad, notebooks / "05_broken.ipynb")
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", notebooks)
    params = load_params(year=2025, languages=["en"], formats=["html"])
    with pytest.raises(NotebookFailed, match=r"05_broken\.ipynb failed in cell \d+.*deliberate"):
        build_report(params, out)
    assert _tree_digest(out / "2025") == before
    kept = nbformat.read(out / "_failed" / "2025" / "en" / "05_broken.ipynb", as_version=4)
    errors = [o for c in kept.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert [e.ename for e in errors] == ["RuntimeError"]  # the failed cell, with its traceback
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging left behind


def test_province_tfp_section_in_both_languages(built_report):
    vi, en = _html(built_report, "vi"), _html(built_report, "en")
    assert "Năng suất các nhân tố tổng hợp (TFP) của tỉnh" in vi
    assert "Total factor productivity (TFP) of the province" in en
    for page in (vi, en):
        assert "43,48 %" in page or "43.48%" in page  # the province's published 2021 share
        assert "province-sensitivity" not in page or "data:image/png" in page


def test_abandoned_folders_of_killed_builds_are_cleaned(tmp_path):
    from helpers.report.build import remove_abandoned_staging

    dead = 2**22 + 12345  # above the kernel's default pid_max: no such process
    (tmp_path / f".2024.building-{dead}").mkdir()
    (tmp_path / f".2025.old-{dead}").mkdir()
    (tmp_path / f".2025.old-{dead}" / "nscl-2025-vi.html").write_text("last good report")
    (tmp_path / "2023").mkdir()
    (tmp_path / f".2023.old-{dead}").mkdir()
    remove_abandoned_staging(tmp_path)
    assert not (tmp_path / f".2024.building-{dead}").exists()
    assert (tmp_path / "2025" / "nscl-2025-vi.html").read_text() == "last good report"
    assert not (tmp_path / f".2023.old-{dead}").exists() and (tmp_path / "2023").is_dir()
