"""Facts in one place: the notebooks' prose quotes the plan file and the constants.

The placeholders (``{{ facts.NAME }}``) of the markdown cells are rendered per language when
the report is assembled (:mod:`helpers.report.facts`); changing a constant or the plan file
changes the sentences, in both languages.
"""

from __future__ import annotations

import dataclasses
import doctest
import re
from pathlib import Path

import nbformat
import pytest

from helpers import config
from helpers.errors import InputError
from helpers.inputs.params import load_params
from helpers.report import facts as facts_module
from helpers.report.build import assemble, render_html, section_notebooks
from helpers.report.context import load_context
from helpers.report.facts import FACTS, Facts, check_notebooks, placeholders, render_text

NOTEBOOKS = sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
PLAN = config.PROJECT_ROOT / "data" / "plan" / "quang_ninh_203.yaml"


def _context(lang: str, plan_file: Path = PLAN, kind: str = "phase_review"):
    return load_context(
        year=2025, lang=lang, data_dir=config.SAMPLE_DATA_DIR, plan_file=plan_file, kind=kind
    )


@pytest.fixture(scope="module")
def contexts():
    """The 2025 phase review (every section notebook) in both languages."""
    return {lang: _context(lang) for lang in ("vi", "en")}


def _markdown(lang: str, ctx) -> str:
    """The assembled markdown of every section notebook of a phase review, for ``lang``."""
    book = assemble(section_notebooks("phase_review"), lang, Facts(ctx))
    return "\n".join(c.source for c in book.cells if c.cell_type == "markdown")


def _markdown_cells():
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        for position, cell in enumerate(book.cells, start=1):
            if cell.cell_type == "markdown":
                yield path.name, position, cell


def test_every_placeholder_in_the_notebooks_is_a_known_fact_with_its_source():
    used = set()
    for name, position, cell in _markdown_cells():
        found = placeholders(cell.source)
        assert found <= set(FACTS), (name, position, found - set(FACTS))
        used |= found
    assert used == set(FACTS)  # every fact is quoted by the prose
    for fact in FACTS.values():  # each names where its value comes from
        assert re.match(r"(Plan file|Constant ``helpers\.[a-z_.]+\.[A-Z_]+``)", fact.source)


# Literals that quoted a fact before the placeholders, per language; none may come back.
BARE_FACTS = {
    "vi": [
        r"10–15",
        r"(tăng|tăng từ|tăng trên|thấp hơn) 1[05] %",
        r"ít nhất \d+ doanh nghiệp",
        r"dưới \d+ doanh nghiệp",
        r"trên \d+ % tổng",
        r"R [≥<] 0,\d",
        r"Ackerberg",
        r"năm 20\d\d\.",
    ],
    "en": [
        r"10–15",
        r"(by|above|below) 1[05] ?%",
        r"at least \d+ enterprises",
        r"fewer than \d+ enterprises",
        r"more than \d+ % of",
        r"R [≥<] 0\.\d",
        r"Ackerberg",
        r"by 20\d\d\.",
    ],
}


def test_no_bare_fact_is_left_in_the_notebooks_text():
    for name, position, cell in _markdown_cells():
        for lang, patterns in BARE_FACTS.items():
            if lang not in cell.metadata.get("tags", []):
                continue
            for pattern in patterns:
                assert not re.search(pattern, cell.source), (name, position, pattern)


def test_rendered_sentences_are_those_the_report_had(contexts):
    vi, en = _markdown("vi", contexts["vi"]), _markdown("en", contexts["en"])
    # Plan 203: 10-15 % a year in both phases, the second ending in 2030; disclosure 3 and 85 %
    assert "hàng năm tăng 10–15 %; mỗi năm" in vi
    assert "grows by 10–15% every year" in en
    assert "giữ tăng trưởng 10–15 %/năm và để đạt các chỉ tiêu lũy kế vào năm 2030." in vi
    assert "to keep 10–15% a year and to meet the cumulative targets by 2030." in en
    assert "ít nhất 3 doanh nghiệp và không doanh nghiệp nào chiếm trên 85 % tổng" in vi
    assert "at least 3 enterprises and no single enterprise holds more than 85% of" in en
    assert "(R ≥ 0,95) hoặc *Cần đẩy nhanh* (R < 0,95)" in vi
    assert "(R ≥ 0.95) or *Acceleration needed* (R < 0.95)" in en
    assert "Phương pháp Ackerberg–Caves–Frazer (ACF) khắc phục" in vi
    assert "estimated for each VSIC section by Ackerberg, Caves and Frazer (2015) with" in en
    # sections under 100 enterprises (or with an unreliable own function) take the pooled
    # function; from 30 enterprises their own is still estimated and shown
    assert "Ngành có dưới 100 doanh nghiệp, hoặc có hàm sản xuất riêng không tin cậy" in vi
    assert "hàm riêng của ngành có từ 30 doanh nghiệp trở lên vẫn được nêu" in vi
    assert "Sections with fewer than 100 enterprises, or whose own function" in en
    assert "Percentiles need at least 10 enterprises" in en
    assert "{{" not in vi + en


def test_changed_constants_reach_the_rendered_page_in_both_languages(contexts, monkeypatch):
    from helpers.programme import progress
    from helpers.tfp import disclosure, enterprise_estimates

    monkeypatch.setattr(disclosure, "MIN_COUNT", 5)
    monkeypatch.setattr(disclosure, "DOMINANCE_THRESHOLD", 0.8)
    monkeypatch.setattr(enterprise_estimates, "MIN_SECTOR_FIRMS", 40)
    monkeypatch.setattr(enterprise_estimates, "FEW_FIRMS", 120)
    monkeypatch.setattr(enterprise_estimates, "DEFAULT_METHOD", "lp")
    monkeypatch.setattr(progress, "ON_TRACK_RATIO", 0.9)
    params = load_params(year=2025, kind="phase_review")
    pages = {}
    for lang, ctx in contexts.items():
        book = assemble(section_notebooks("phase_review"), lang, Facts(ctx))
        pages[lang] = render_html(book, params, lang, 0)
    vi, en = pages["vi"], pages["en"]
    assert "ít nhất 5 doanh nghiệp và không doanh nghiệp nào chiếm trên 80 % tổng" in vi
    assert "at least 5 enterprises and no single enterprise holds more than 80% of" in en
    assert "Mỗi ô cần ít nhất 5 doanh nghiệp." in vi and "needs at least 5 enterprises." in en
    assert "Ngành có dưới 120 doanh nghiệp" in vi and "fewer than 120 enterprises" in en
    assert "ngành có từ 40 doanh nghiệp trở lên" in vi and "at least 40 enterprises" in en
    assert "Phương pháp Levinsohn–Petrin khắc phục" in vi
    assert "theo Levinsohn và Petrin (2003)," in vi
    assert "The Levinsohn–Petrin method corrects" in en
    assert "by Levinsohn and Petrin (2003) with" in en
    assert "(R ≥ 0,90)" in vi and "(R ≥ 0.90)" in en
    assert "Ackerberg" not in vi + en
    # the title of a phase review: from the first year of the reviewed phase to the report year
    assert "Báo cáo tổng kết giai đoạn 2021–2025" in vi
    assert "review of phase 2021–2025" in en


def test_another_plan_file_changes_the_growth_bands_of_the_text(tmp_path):
    text = PLAN.read_text(encoding="utf-8")
    old = "band_low: 0.10\n    band_high: 0.15"
    assert text.count(old) == 2  # phase 1, then phase 2
    text = text.replace(old, "band_low: 0.08\n    band_high: 0.125", 1)
    text = text.replace(old, "band_low: 0.12\n    band_high: 0.18", 1)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text.replace("end: 2030}", "end: 2031}"), encoding="utf-8")
    vi, en = _markdown("vi", _context("vi", plan)), _markdown("en", _context("en", plan))
    # phase 1 (2021-2025): 8-12.5 %, Vietnamese decimal comma
    assert "hàng năm tăng 8–12,5 %; mỗi năm" in vi
    assert "tăng từ 8 % trở lên" in vi and "tăng trên 12,5 % là vượt mức" in vi
    assert "grows by 8–12.5% every year" in en and "(above 12.5% is more" in en
    assert '**"+8–12.5% every year"**' in en
    # phase 2 (2026-2031): the path to prepare for in the review
    assert "giữ tăng trưởng 12–18 %/năm và để đạt các chỉ tiêu lũy kế vào năm 2031." in vi
    assert "to keep 12–18% a year and to meet the cumulative targets by 2031." in en
    assert "10–15" not in vi + en


def test_the_title_of_a_phase_review_starts_with_the_phase_of_the_plan_file(tmp_path):
    plan = tmp_path / "plan.yaml"
    text = PLAN.read_text(encoding="utf-8")
    plan.write_text(text.replace("start: 2021, end: 2025", "start: 2022, end: 2025"), "utf-8")
    empty = nbformat.v4.new_notebook()
    for plan_file, first in ((PLAN, 2021), (plan, 2022)):
        params = load_params(year=2025, kind="phase_review", plan_file=str(plan_file))
        assert f"Báo cáo tổng kết giai đoạn {first}–2025" in render_html(empty, params, "vi", 0)
        assert f"review of phase {first}–2025" in render_html(empty, params, "en", 0)


def _notebook_with(tmp_path: Path, text: str) -> Path:
    """A copy of 05_enterprises.ipynb whose 4th cell (Vietnamese markdown) ends with ``text``."""
    book = nbformat.read(config.NOTEBOOKS_DIR / "05_enterprises.ipynb", as_version=4)
    assert book.cells[3].cell_type == "markdown" and book.cells[3].metadata.tags == ["vi"]
    book.cells[3].source += text
    path = tmp_path / "05_enterprises.ipynb"
    nbformat.write(book, path)
    return path


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (" {{ facts.min_enterprises }}", ["unknown fact {{ facts.min_enterprises }}"]),
        (" {{ year }}", ["'year' is undefined", "may quote only facts.NAME"]),
        (" {{ facts.disclosure_min_count", ["malformed placeholder"]),
    ],
)
def test_a_wrong_placeholder_names_the_notebook_and_the_cell(contexts, tmp_path, text, words):
    path = _notebook_with(tmp_path, text)
    with pytest.raises(InputError) as raised:
        check_notebooks([path], contexts["vi"])
    message = str(raised.value)
    assert "05_enterprises.ipynb, cell 4 (vi)" in message
    assert raised.value.problems[0].file == "notebooks/05_enterprises.ipynb"
    for word in words:
        assert word in message
    if "unknown" in words[0]:  # the message lists the facts there are
        assert "disclosure_min_count" in (raised.value.problems[0].expected or "")
    check_notebooks([path], contexts["en"])  # the English edition does not read that cell


def test_the_assembler_names_the_section_cell_of_an_executed_notebook(contexts, tmp_path):
    path = _notebook_with(tmp_path, " {{ facts.no_such_fact }}")
    book = nbformat.read(path, as_version=4)
    book.cells[3].metadata["nscl_section"] = {"notebook": "05_enterprises.ipynb", "cell": 4}
    nbformat.write(book, path)
    with pytest.raises(InputError, match=r"05_enterprises\.ipynb, cell 4 \(vi\): unknown fact"):
        assemble([path], "vi", Facts(contexts["vi"]))


def test_a_fact_the_plan_cannot_give_is_a_clear_error(contexts):
    # reviewing 2026-2030, the last phase of Plan 203: there is no next phase to quote
    last = dataclasses.replace(contexts["en"], year=2030)
    with pytest.raises(InputError, match="no phase after the one that ends by 2030"):
        render_text("by {{ facts.next_phase_end }}.", Facts(last), "04_phase_review.ipynb, cell 10")
    assert render_text("at least {{ facts.disclosure_min_count }}", Facts(last), "x") == (
        "at least 3"
    )


def test_text_without_placeholders_is_returned_unchanged(contexts):
    text = "Tỷ số 2 nghĩa là … [[tab:plan-words]] {x}\n"
    assert render_text(text, Facts(contexts["vi"]), "unused") is text


def test_facts_module_examples():
    result = doctest.testmod(facts_module)
    assert result.attempted >= 4 and result.failed == 0


def test_the_committed_notebooks_stay_without_outputs_after_the_edit():
    for path in NOTEBOOKS:
        book = nbformat.read(path, as_version=4)
        nbformat.validate(book)
        code = [cell for cell in book.cells if cell.cell_type == "code"]
        assert all(not cell.outputs and cell.execution_count is None for cell in code)
