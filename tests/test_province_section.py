"""The province TFP section: its blocks on the sample data, and without province accounts."""

import re
import shutil
from pathlib import Path

import pytest

from helpers import config
from helpers.programme import progress
from helpers.report.blocks import rule_text
from helpers.report.context import load_context
from helpers.report.sections import province as section
from helpers.tfp.growth_accounting import period_aggregate
from helpers.tfp.province_tfp import province_sensitivity, province_tfp, province_tornado


@pytest.fixture(scope="module")
def ctx_vi():
    return load_context(
        year=2025, lang="vi", data_dir="data/sample", plan_file="data/plan/quang_ninh_203.yaml"
    )


def test_headline_states_the_period_share_with_its_range_first(ctx_vi):
    expected = period_aggregate(province_tfp(ctx_vi.accounts), 2021, 2025)["tfp_share"]
    grid = province_sensitivity(ctx_vi.accounts)
    text = section.headline(ctx_vi).data
    first = text.split(". ")[0]
    for value in (expected, grid["tfp_share"].min(), grid["tfp_share"].max()):
        assert f"{value * 100:.1f}".replace(".", ",") + " %" in first
    assert "2021–2025" in first and "tỷ trọng giai đoạn" in first
    # the assumption that moves the share most, from the tornado
    top = province_tornado(grid).iloc[0]["assumption"]
    assert ctx_vi.t(f"tfp.assumption.{top}") in text


def test_objective_status_uses_the_published_shares_not_the_estimate(ctx_vi):
    row = ctx_vi.assessment.loc["OBJ-TFP"]
    # "trên 50 %" (2024) after 43.48 % (2021): a rise; 2025 has no published figure
    assert row["status"] == progress.IN_PROGRESS and row["direction"] == "rising"
    assert row["actual"] == pytest.approx(0.50) and row["qualifier"] == "above"
    assert row["year"] == 2024 and row["baseline"] == pytest.approx(0.4348)
    text = rule_text(row, ctx_vi)
    assert "Chưa có số liệu công bố năm 2025" in text and "congnghevadoisong.vn" in text


def test_published_block_leads_with_the_figures_and_the_references(ctx_vi):
    html = section.published_block(ctx_vi).data
    assert "43,48 %" in html and "50,01 %" in html and "trên 50 %" in html
    assert "Tỷ trọng của năm" in html  # annual figures, labelled as such
    assert "congnghevadoisong.vn" in html and "14/04/2025" in html
    # references shown as references: national 45 % / 50 %, the province's 55 % for 2026-2030
    assert "khoảng 45 %" in html and "khoảng 50 %" in html and "2026–2030" in html
    assert "không phải chỉ tiêu của Kế hoạch" in html


def test_comparison_states_a_bound_without_a_gap(ctx_vi):
    html = section.comparison_table(ctx_vi).data
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    bound = next(r for r in rows if "trên 50 %" in r)
    assert "đ.p." not in bound and "ngưỡng" in bound
    point = next(r for r in rows if "43,48 %" in r)
    assert "điểm phần trăm" in point


def test_reconciliation_in_both_languages(ctx_vi):
    html = section.reconciliation_table(ctx_vi).data
    assert "không quá" in html  # the 2024 bound gives upper limits
    assert "43,48 %" in html
    ctx_en = load_context(
        year=2025, lang="en", data_dir="data/sample", plan_file="data/plan/quang_ninh_203.yaml"
    )
    english = section.reconciliation_table(ctx_en).data
    assert "at most" in english and "Reconciliation" in english


def test_periods_table_uses_summed_contributions(ctx_vi):
    html = section.periods_table(ctx_vi).data
    agg = period_aggregate(province_tfp(ctx_vi.accounts), 2016, 2020)
    assert f"{agg['tfp_share'] * 100:.1f}".replace(".", ",") + " %" in html


def test_sensitivity_has_the_tornado_and_every_assumption(ctx_vi):
    html = section.sensitivity_block(ctx_vi).data
    assert "data:image/png;base64," in html
    assert len(re.findall(r"<tr>", html)) == 6  # header + five assumptions
    for key in ("capital_output", "backcast", "alpha", "delta", "labour_input"):
        assert ctx_vi.t(f"tfp.assumption.{key}") in html


def test_assumptions_table_lists_every_year_in_vietnamese(ctx_vi):
    html = section.assumptions_table(ctx_vi).data
    values, notes = re.findall(r"<table.*?</table>", html, flags=re.S)
    for table in (values, notes):
        body = re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)[1:]
        assert [re.search(r">(\d{4})<", row).group(1) for row in body] == [
            str(y) for y in range(2010, 2026)
        ]
    assert "nội suy tỷ lệ vốn đầu tư/GRDP giữa năm 2015 và 2017" in html
    assert "giả định" in html
    # 2018's published figures come from a text without an address: the row says so
    row_2018 = re.search(r"<tr>\s*<td[^>]*>2018</td>.*?</tr>", notes, flags=re.S).group(0)
    assert (
        "tăng trưởng GRDP, vốn đầu tư: nguồn không có địa chỉ để tra cứu, cần đối chiếu với "
        "niên giám thống kê" in row_2018
    )
    # the investment column holds published and estimated values (2015: "ước tính"): its
    # heading says so and points to the notes, it does not call them all published
    assert "Vốn đầu tư theo nguồn (công bố hoặc ước tính, xem bảng dưới)" in html
    assert "Vốn đầu tư công bố" not in html
    text = re.sub(r"https?://\S+", "", re.sub(r"<[^>]+>", " ", html))
    for english in ("assumed", "published", "interpolated", "investment", "secondary"):
        assert english not in text


def test_without_accounts_every_block_says_no_data(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    (data / "province_accounts.csv").unlink()
    ctx = load_context(
        year=2025, lang="en", data_dir=data, plan_file="data/plan/quang_ninh_203.yaml"
    )
    # the status does not depend on the estimate: without accounts it is the same
    assert ctx.assessment.loc["OBJ-TFP", "status"] == progress.IN_PROGRESS
    assert ctx.assessment.loc["OBJ-TFP", "direction"] == "rising"
    for block in (section.headline, section.decomposition_block, section.sensitivity_block):
        assert "No province accounts" in block(ctx).data


def test_reference_levels_come_from_the_plan_file(tmp_path):
    # a copy of the plan file with the 2025 national reference at 47 % instead of 45 %
    plan = tmp_path / "plan.yaml"
    text = Path("data/plan/quang_ninh_203.yaml").read_text(encoding="utf-8")
    assert text.count("{year: 2025, value: 0.45,") == 1
    plan.write_text(text.replace("{year: 2025, value: 0.45,", "{year: 2025, value: 0.47,"))
    ctx = load_context(year=2025, lang="vi", data_dir="data/sample", plan_file=plan)
    assert [r.value for r in section.references(ctx)] == [0.55, 0.47, 0.50, 0.55]
    html = section.published_block(ctx).data
    assert "khoảng 47 %" in html and "khoảng 45 %" not in html


def test_periods_come_from_the_plan_phases(ctx_vi):
    # five years before the plan's first phase, then the plan file's two phases
    assert section.periods(ctx_vi) == [(2016, 2020), (2021, 2025), (2026, 2030)]
