"""The phase review section, and reports for another province's plan file."""

import pytest

from helpers import config
from helpers.inputs.params import load_params
from helpers.report.build import build_report, section_notebooks
from helpers.report.context import load_context
from helpers.report.sections import review

EXAMPLE_PLAN = "data/plan/example_province.yaml"


@pytest.fixture(scope="module")
def review_ctx():
    return load_context(
        year=2025,
        lang="vi",
        data_dir="data/sample",
        plan_file="data/plan/quang_ninh_203.yaml",
        kind="phase_review",
    )


def test_review_section_only_in_phase_reviews():
    annual = [p.name for p in section_notebooks("annual")]
    reviews = [p.name for p in section_notebooks("phase_review")]
    assert "04_phase_review.ipynb" not in annual
    assert "04_phase_review.ipynb" in reviews
    assert set(annual) < set(reviews)


def test_final_status_covers_phase_one_targets_only(review_ctx):
    html = review.final_status_table(review_ctx).data
    plan = review_ctx.plan
    names = {t.code: t.name("vi") for t in plan.targets}
    for code in ("P1-EXPERTS", "P1-MANAGERS", "P1-ENTERPRISES", "P1-PILOTS", "OBJ-TFP"):
        assert names[code] in html
        assert code not in html  # internal codes stay out of the report
    assert names["P2-PILOTS"] not in html
    assert "Không đạt" in html  # experts: 18 of 20


def test_lessons_quote_the_numbers(review_ctx):
    html = review.lessons(review_ctx).data
    names = {t.code: t.name("vi") for t in review_ctx.plan.targets}
    assert f"{names['P1-EXPERTS']}: đạt 18 so với chỉ tiêu 20 (90 %)" in html
    assert f"{names['P1-MANAGERS']}: đạt 1.070 so với chỉ tiêu 1.000" in html
    assert "3/4 năm đạt" in html  # enterprises: 2024 grew 8.7 %
    # a continuing task is still in progress when the 2025 review is written
    assert f"{names['P1-CERT-SCOPE']}: đang thực hiện khi giai đoạn kết thúc" in html


def test_phase_two_baseline_paths(review_ctx):
    html = review.baseline_table(review_ctx).data
    # 185 enterprises in 2025; +10 % a year gives 203.5 in 2026 and 298 in 2030 (185 * 1.1^5)
    assert ">185<" in html and ">204<" in html and ">298<" in html
    # 20 pilot models by 2030 at an even pace: 4 a year
    assert ">4<" in html and ">20<" in html


def test_another_province_report_comes_from_its_plan(tmp_path):
    ctx = load_context(year=2025, lang="vi", data_dir="data/sample", plan_file=EXAMPLE_PLAN)
    assert list(ctx.assessment.index) == ["EX1-EXPERTS", "EX1-ENTERPRISES", "EX2-PILOTS"]
    assert ctx.assessment.loc["EX1-EXPERTS", "status"] == "exceeded"  # 18 certified >= 12
    params = load_params(
        config.PARAMS_DIR / "other_provinces" / "example_2025.yaml", formats=["html"]
    )
    result = build_report(params, tmp_path)
    page = (result.folder / "nscl-example-province-2025-vi.html").read_text(encoding="utf-8")
    plan_names = [t.name_vi for t in ctx.plan.targets]
    assert "Tỉnh Minh Họa" in page and plan_names[1] in page
    assert "Quảng Ninh" not in page and "203/KH-UBND" not in page
