"""The phase review's pure numbers: phases reviewed, baselines and growth-band paths."""

import pytest

from helpers import config
from helpers.programme import phase_review
from helpers.programme.cumulative import cumulative_progress
from helpers.programme.plan import load_plan
from helpers.report.context import load_context


@pytest.fixture(scope="module")
def plan():
    return load_plan(config.DATA_DIR / "plan" / "quang_ninh_203.yaml")


def test_reviewed_and_next_phase(plan):
    first, second = plan.phase(1), plan.phase(2)
    assert phase_review.reviewed_phase(plan, 2025, first) == first  # phase 1 ends in 2025
    assert phase_review.reviewed_phase(plan, 2023, first) == first  # none ended: the current
    assert phase_review.reviewed_phase(plan, 2030, second) == second
    assert phase_review.next_phase(plan, first) == second
    assert phase_review.next_phase(plan, second) is None


def test_band_path_compounds_from_the_base_year():
    # 185 enterprises in 2025 growing 10 % a year: 203.5 in 2026, 185 * 1.1^5 = 297.95 in 2030
    path = phase_review.band_path(185, 0.10, 2025, [2026, 2030])
    assert path == pytest.approx([203.5, 185 * 1.1**5])
    assert phase_review.share_of_target(18, 20) == pytest.approx(0.9)


def test_baseline_and_cumulative_path_from_the_sample_registers():
    ctx = load_context(
        year=2025, lang="vi", data_dir="data/sample", plan_file="data/plan/quang_ninh_203.yaml"
    )
    # 185 enterprises supported in 2025 (the review's baseline table quotes it)
    assert phase_review.baseline_value(ctx.indicators, "enterprises_supported", 2025) == 185
    target = next(t for t in ctx.plan.targets if t.code == "P1-EXPERTS")
    cumulative, required, projection = cumulative_progress(
        target, ctx.plan.phase(1), ctx.indicators, 2025
    )
    assert cumulative.iloc[-1] == 18  # 18 experts certified of the 20 asked for
    assert required.loc[2025] == 20 and required.loc[2021] == 4  # an even pace: 4 a year
    assert projection is None  # the phase has ended: nothing to project
