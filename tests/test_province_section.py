"""The province TFP section: its blocks on the sample data, and without province accounts."""

import re
import shutil

import pytest

from helpers import config, progress
from helpers import province_section as section
from helpers.context import load_context
from helpers.growth_accounting import period_aggregate
from helpers.present import rule_text
from helpers.province import province_tfp


@pytest.fixture(scope="module")
def ctx_vi():
    return load_context(
        year=2025, lang="vi", data_dir="data/sample", plan_file="data/plan/quang_ninh_203.yaml"
    )


def test_headline_states_the_phase_share_and_its_range(ctx_vi):
    expected = period_aggregate(province_tfp(ctx_vi.accounts), 2021, 2025)["tfp_share"]
    text = section.headline(ctx_vi).data
    share = f"{expected * 100:.1f}".replace(".", ",") + " %"
    assert share in text
    assert "2021–2025" in text and "α = 0,40" in text


def test_objective_status_uses_the_published_shares_not_the_estimate(ctx_vi):
    row = ctx_vi.assessment.loc["OBJ-TFP"]
    # "trên 50 %" (2024) after 43.48 % (2021): a rise; 2025 has no published figure
    assert row["status"] == progress.ON_TRACK
    assert row["actual"] == pytest.approx(0.50) and row["qualifier"] == "above"
    assert row["year"] == 2024 and row["baseline"] == pytest.approx(0.4348)
    text = rule_text(row, ctx_vi)
    assert "Chưa có số liệu công bố năm 2025" in text and "congnghevadoisong.vn" in text


def test_comparison_lists_published_years_with_qualifier(ctx_vi):
    html = section.comparison_table(ctx_vi).data
    assert "43,48 %" in html and "50,01 %" in html
    assert "trên 50,00 %" in html  # 2024 was published only as "above 50 %"


def test_periods_table_uses_summed_contributions(ctx_vi):
    html = section.periods_table(ctx_vi).data
    agg = period_aggregate(province_tfp(ctx_vi.accounts), 2016, 2020)
    assert f"{agg['tfp_share'] * 100:.1f}".replace(".", ",") + " %" in html


def test_sensitivity_shows_alpha_delta_grid(ctx_vi):
    html = section.sensitivity_block(ctx_vi).data
    assert "data:image/png;base64," in html
    assert len(re.findall(r"<tr>", html)) >= 4  # header + data + three employment variants


def test_assumed_values_are_listed(ctx_vi):
    html = section.assumptions_table(ctx_vi).data
    assert "giả định" in html and "Lao động có việc làm" in html


def test_without_accounts_every_block_says_no_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    (data / "province_accounts.csv").unlink()
    ctx = load_context(
        year=2025, lang="en", data_dir=data, plan_file="data/plan/quang_ninh_203.yaml"
    )
    # the status does not depend on the estimate: without accounts it is the same
    assert ctx.assessment.loc["OBJ-TFP", "status"] == progress.ON_TRACK
    for block in (section.headline, section.decomposition_block, section.sensitivity_block):
        assert "No province accounts" in block(ctx).data
