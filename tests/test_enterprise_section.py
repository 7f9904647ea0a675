"""The enterprise section on the sample panel: blocks, numbers against the truth, disclosure."""

import html
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from helpers import config, i18n
from helpers.inputs.enterprise_panel import load_enterprise_panel
from helpers.inputs.params import load_params
from helpers.inputs.registers import load_registers
from helpers.report.build import build_report
from helpers.report.context import load_context
from helpers.report.sections import enterprises as section
from helpers.samples.enterprise_panel import SUPPORT_EFFECT
from helpers.tfp import disclosure
from helpers.tfp.criteria import load_criteria, score_province

PLAN = "data/plan/quang_ninh_203.yaml"
BLOCKS = (
    "headline",
    "diagnostics_table",
    "dispersion_block",
    "aggregate_block",
    "growth_table",
    "support_block",
    "pilots_table",
    "criteria_block",
)


def _context(lang="vi", data_dir="data/sample", edition="public"):
    return load_context(year=2025, lang=lang, data_dir=data_dir, plan_file=PLAN, edition=edition)


@pytest.fixture(scope="module")
def contexts():
    return {lang: _context(lang) for lang in ("vi", "en")}


@pytest.fixture(scope="module")
def ctx(contexts):
    return contexts["vi"]


@pytest.fixture(scope="module")
def identifiers():
    """Every tax code and enterprise name of the panel and the register."""
    panel = load_enterprise_panel(config.SAMPLE_DATA_DIR)
    register = load_registers(config.SAMPLE_DATA_DIR)["supported_enterprises"]
    codes = set(panel["tax_code"]) | set(register["tax_code"])
    return sorted(codes) + sorted(set(register["name"]))


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded)."""
    return html.unescape(
        re.sub(r"<[^>]+>", " ", re.sub(r"data:image/png;base64,[^\"]+", "", fragment))
    )


# --- every block, both languages ---------------------------------------------------------


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("block", BLOCKS)
def test_every_block_renders_in_both_languages(contexts, block, lang):
    ctx = contexts[lang]
    text = _text(getattr(section, block)(ctx).data)
    assert text.strip()
    assert ctx.t("ent.no_panel") not in text
    if lang == "en":
        assert "Nguồn" not in text and "doanh nghiệp" not in text
    if block != "headline":
        assert ctx.t("chart.source", source="")[:5] in text  # every table and chart has a source


def test_headline_counts_the_panel(contexts):
    assert "2.000 doanh nghiệp" in _text(section.headline(contexts["vi"]).data)
    assert "2,000 enterprises and 18,002 enterprise-years" in _text(
        section.headline(contexts["en"]).data
    )


def test_large_sectors_recover_the_true_coefficients(ctx):
    truth = section.estimates(ctx).truth["sectors"]
    diagnostics = section.diagnostics_frame(ctx)
    own = diagnostics[diagnostics["group"] != section.POOLED]  # D, G, H use the pooled row
    large = own[own["n_firms"] >= 200]
    assert set(large["group"]) == {"A", "B", "C", "F", "I"}
    for row in large.itertuples():
        assert row.converged and row.reps_used == section.bootstrap_reps()
        assert abs(row.labour - truth[row.group]["alpha_l"]) < 3 * row.labour_se
        assert abs(row.capital - truth[row.group]["alpha_k"]) < 3 * row.capital_se
    text = _text(section.diagnostics_table(ctx).data)
    assert "0,60 / 0,40" in text  # manufacturing's true coefficients shown next to the estimate
    assert "dưới 100 doanh nghiệp" in text  # D, G and H are flagged


def test_estimation_warnings_are_listed_under_the_table(contexts):
    ctx = contexts["en"]
    result = section.estimates(ctx)
    # the sample's ACF fits find two exact roots; the warning says which one was chosen
    assert any("distinct roots" in message for _, message in result.warnings)
    text = _text(section.diagnostics_table(ctx).data)
    assert "Warnings issued by the estimation:" in text
    for group, message in result.warnings:
        assert f"{section.sector_label(group, ctx)}: {message}" in text
    # the event study's warnings go under its own block, escaped like every text
    assert section.support_study(ctx).warnings == ()
    note = section._warnings_note(ctx, ["pyfixest: <singleton> dropped"])
    assert "pyfixest: &lt;singleton&gt; dropped" in note


def test_every_enterprise_year_gets_a_tfp(ctx):
    firms = section.estimates(ctx).firms
    assert firms["log_tfp"].notna().all()
    means = firms.groupby(["vsic_section", "year"])["tfp_sector_year"].mean()
    assert np.allclose(means, 0.0, atol=1e-12)


def test_small_sectors_use_the_pooled_function(monkeypatch):
    monkeypatch.setattr(
        section.enterprise_estimates, "MIN_SECTOR_FIRMS", 50
    )  # H has 46 enterprises
    monkeypatch.setenv(section.BOOTSTRAP_REPS_ENV, "19")  # which sectors fall back, not the SEs
    ctx = _context()
    fits = {fit.group: fit for fit in section.estimates(ctx).fits}
    # H is too small to try; D and G (fewer than 100 enterprises) fall back to the pooled function.
    assert fits[section.POOLED].sections == ("D", "G", "H")
    assert "H" not in fits and fits["D"].fallback == ("few",)
    assert section.estimates(ctx).firms["log_tfp"].notna().all()
    text = _text(section.diagnostics_table(ctx).data)
    assert ctx.t("ent.pooled") in text and "dùng cho ngành có quá ít doanh nghiệp: H" in text


def test_the_method_can_be_chosen():
    ctx = _context()
    section.set_method(ctx, "OLS")
    assert section.estimates(ctx).method == "ols"
    assert "bình phương nhỏ nhất" in _text(section.diagnostics_table(ctx).data)
    with pytest.raises(ValueError, match="unknown method"):
        section.set_method(ctx, "magic")


# --- effect of support -------------------------------------------------------------------


def test_event_study_recovers_the_simulated_effect(ctx):
    effect = section.support_study(ctx).effect
    att = effect.att.iloc[0]
    assert att["ci_lower"] < SUPPORT_EFFECT < att["ci_upper"]
    assert att["estimate"] == pytest.approx(SUPPORT_EFFECT, abs=0.02)
    leads = effect.event_study[effect.event_study["event_time"] < -1]
    assert ((leads["ci_lower"] < 0) & (leads["ci_upper"] > 0)).all()  # no effect before support
    lags = effect.event_study[effect.event_study["event_time"] >= 0]
    assert (lags["ci_lower"] > 0).all()


def test_support_reading_is_generated_from_the_numbers(contexts):
    ctx = contexts["vi"]
    att = section.support_study(ctx).effect.att.iloc[0]
    text = section.support_reading(ctx)
    assert i18n.format_percent(float(np.expm1(att["estimate"])), "vi") in text
    # simulated data: the planted effect is a check of the method, never a programme result
    assert "Kiểm tra phương pháp (không phải kết quả của Chương trình)" in text
    assert "+0,08 log (khoảng 8,3 %)" in text and "cao hơn khoảng" not in text
    assert i18n.format_number(float(att["estimate"]), "vi", 3) in text
    assert "chứa giá trị đã cài" in text
    english = section.support_reading(contexts["en"])
    assert "the simulation planted a support effect of +0.08" in english
    assert "recovers the effect" in english


def test_olley_pakes_reading_follows_the_direction_of_the_numbers(contexts):
    ctx = contexts["vi"]
    frame = section.olley_pakes_frame(ctx)
    shown = frame[~frame["suppressed"]].sort_values("year")
    first, last = shown.iloc[0]["covariance"], shown.iloc[-1]["covariance"]
    text = section.aggregate_reading(ctx)
    word = "giảm" if last < first - 0.005 else "tăng" if last > first + 0.005 else "gần như"
    assert f"Hiệp phương sai {word}" in text
    assert i18n.format_number(last, "vi", 3) in text


def test_support_panel_leaves_out_enterprises_with_one_year_before_support(ctx):
    frame, single, missing = section.support_panel(ctx)
    assert missing == 0  # every register enterprise is in the panel
    supported = frame["first_support_year"].notna() & (frame["year"] >= frame["first_support_year"])
    untreated = (~supported).groupby(frame["tax_code"]).sum()
    assert (untreated != 1).all() and single > 0
    assert frame["enterprise_id"].nunique() == frame["tax_code"].nunique()


# --- aggregate productivity --------------------------------------------------------------


def test_olley_pakes_adds_up(ctx):
    frame = section.olley_pakes_frame(ctx)
    assert np.allclose(frame["aggregate"], frame["unweighted_mean"] + frame["covariance"])
    firms = section.estimates(ctx).firms
    last = firms[firms["year"] == 2025]
    shares = last["value_added"] / last["value_added"].sum()
    by_hand = float((shares * last["tfp_over_time"]).sum())
    row = frame.set_index("year").loc[2025]
    assert row["aggregate"] == pytest.approx(by_hand)
    assert row["unweighted_mean"] == pytest.approx(last["tfp_over_time"].mean())
    assert i18n.format_number(row["aggregate"], "vi", 3) in _text(section.aggregate_block(ctx).data)


def test_growth_over_the_phase_runs_from_the_base_year(ctx):
    assert section.phase_years(ctx) == (2020, 2025)
    frame = section.growth_frame(ctx).set_index("vsic_section")
    total = section.olley_pakes_frame(ctx).set_index("year")["aggregate"]
    expected = np.expm1((total[2025] - total[2020]) / 5)
    assert frame.loc[disclosure.TOTAL_LABEL, "aggregate"] == pytest.approx(expected)


# --- criteria ----------------------------------------------------------------------------


def test_criteria_table_matches_score_province(contexts):
    ctx = contexts["vi"]
    values = section.province_values(ctx)
    card = section.province_scorecard(ctx)
    expected = score_province(values, load_criteria())
    pd.testing.assert_frame_equal(card.scores, expected.scores)
    # experts certified: 0, 5, 6, 4, 3 a year -> 0, 5, 11, 15, 18 cumulative, 100 points at 20
    assert values["experts_certified"].tolist() == [0, 5, 11, 15, 18]
    assert card.scores["T5-CHUYEN-GIA"].tolist() == pytest.approx([0.0, 25.0, 55.0, 75.0, 90.0])
    for lang, context in contexts.items():
        text = _text(section.criteria_block(context).data)
        for year, total in card.scores["total"].items():
            assert str(year) in text
            if pd.notna(total):
                assert i18n.format_number(total, lang, 1) in text
        missing = [str(y) for y, t in card.scores["total"].items() if pd.isna(t)]
        if lang == "vi" and missing:  # years without a total are named, with the reason
            assert f"Các năm {', '.join(missing)} chưa có tổng điểm" in text
        for rule in card.rules[f"rule_{lang}"]:
            assert rule in text


# --- disclosure control ------------------------------------------------------------------


def test_pilot_cells_follow_the_count_rule_with_secondary_suppression(ctx):
    frame = section.pilot_frame(ctx, 2025)
    shown = frame[~frame["suppressed"]]
    assert (shown["n_enterprises"] >= disclosure.MIN_COUNT).all()
    assert frame["suppressed"].sum() >= 2
    assert disclosure.unprotected_lines(frame, "vsic_section") == []
    text = _text(section.pilots_table(ctx).data)
    assert f"| {disclosure.SUPPRESSED_MARKER} |" in text.replace("  ", " ") or re.search(
        rf"\s{disclosure.SUPPRESSED_MARKER}\s", text
    )
    assert disclosure.suppression_footnote("vi") in text


def test_output_weighted_cells_pass_the_dominance_rule(ctx):
    firms = section.estimates(ctx).firms
    cells = disclosure.cell_statistics(firms, "year", "tax_code", "value_added")
    published = section.olley_pakes_frame(ctx).merge(cells, on="year")
    shown = published[~published["suppressed"]]
    assert (shown["n_enterprises"] >= 3).all()
    assert (shown["max_share"] <= disclosure.DOMINANCE_THRESHOLD).all()


def test_percentiles_need_ten_enterprises(ctx):
    frame = section.dispersion_frame(ctx)
    shown = frame[~frame["suppressed"] & (frame["n_enterprises"] > 0)]
    assert (shown["n_enterprises"] >= section.statistics.MIN_PERCENTILE_COUNT).all()
    assert frame.loc[frame["suppressed"], "n_enterprises"].between(1, 9).all()


def test_without_a_panel_every_block_says_so(sample_copy):
    (sample_copy / "enterprise_panel.csv.gz").unlink()
    ctx = _context(data_dir=sample_copy, edition="internal")
    for block in BLOCKS:
        assert ctx.t("ent.no_panel") in _text(getattr(section, block)(ctx).data)
    assert section.internal_block(ctx).data == ""


def test_a_bad_panel_is_reported_with_its_row(sample_copy):
    (sample_copy / "enterprise_panel.csv.gz").unlink()
    (sample_copy / "enterprise_panel.csv").write_text(
        "tax_code,year,vsic_section,value_added,gross_output,capital,labour,materials,"
        "investment,wage_bill\n5700000001,2024,C,10,30,50,0,20,5,6\n",
        encoding="utf-8",
    )
    from helpers.errors import InputError

    with pytest.raises(InputError, match="row 2, column 'labour'"):
        section.headline(_context(data_dir=sample_copy))


# --- editions ----------------------------------------------------------------------------


def test_internal_table_only_in_the_internal_edition(ctx, identifiers):
    assert section.internal_block(ctx).data == ""
    internal = _context(edition="internal")
    text = _text(section.internal_block(internal).data)
    assert len(disclosure.find_identifiers(text, identifiers)) > 20
    frame = section.internal_frame(internal)
    top = frame[frame["group"] == "top"]["tfp_sector_year"]
    assert len(top) == section.INTERNAL_TOP and top.is_monotonic_decreasing
    assert frame.loc[frame["group"] == "pilot", "tax_code"].isin(section.pilot_codes(ctx)).all()


def _without_images(text: str) -> str:
    text = re.sub(r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=]+", "", text)
    return re.sub(r'"image/png": "[^"]*"', "", text)


def _report_texts(folder):
    """Everything a reader of the report folder can read: pages, PDF, tables, notebooks."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".html", ".csv", ".json", ".ipynb"):
            texts.append(_without_images(path.read_text(encoding="utf-8")))
        elif path.suffix == ".pdf":
            texts.append("\n".join(page.extract_text() for page in PdfReader(path).pages))
        elif path.suffix == ".xlsx":
            book = load_workbook(path, read_only=True)
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    texts.extend(str(value) for value in row if value is not None)
    return texts


@pytest.mark.slow
def test_public_report_shows_no_tax_code_or_name(built_report, identifiers):
    folder = built_report.folder
    page = (folder / "nscl-2025-vi.html").read_text(encoding="utf-8")
    assert i18n.t("ent.support.title", "vi") in page  # the enterprise section is in the report
    assert (folder / "tables" / "enterprise-support-event-study-vi.csv").is_file()
    assert not list(folder.rglob("enterprise-internal-*"))
    kinds = {p.suffix for p in folder.rglob("*")}
    assert {".html", ".pdf", ".csv", ".xlsx"} <= kinds
    disclosure.assert_no_identifiers(_report_texts(folder), identifiers)


def test_a_change_in_per_cent_is_exp_minus_one_of_the_log_points_markers_kept():
    logs = pd.Series([0.0787, np.log(0.5), "x", np.nan], dtype=object)
    changes = section.as_change(logs)
    assert changes[0] == pytest.approx(np.exp(0.0787) - 1) and changes[1] == pytest.approx(-0.5)
    assert changes[2] == "x" and pd.isna(changes[3])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_saved_event_study_holds_the_change_the_page_shows(built_report, lang):
    # the column "Change in TFP (%)" is exp(estimate) - 1 in the CSV too, not the log points
    folder = built_report.folder
    table = pd.read_csv(folder / "tables" / f"enterprise-support-event-study-{lang}.csv")
    logs = pd.to_numeric(table[i18n.t("ent.support.col_estimate", lang)], errors="coerce")
    changes = pd.to_numeric(table[i18n.t("ent.support.col_change", lang)], errors="coerce")
    shown = logs.notna()
    assert shown.sum() >= 5
    assert np.allclose(changes[shown], np.expm1(logs[shown]), rtol=0, atol=1e-15)
    assert (changes[shown & (logs > 0.01)] > logs[shown & (logs > 0.01)]).all()  # not a copy
    events = table[i18n.t("ent.support.col_event", lang)].tolist()
    assert events[:-1] == ["−3", "−2", "−1", "0", "1", "2", "≥ 3"]  # as the figure's ticks
    page = html.unescape((folder / f"nscl-2025-{lang}.html").read_text(encoding="utf-8"))
    largest = float(changes[shown].max())
    assert i18n.format_signed_percent(largest, lang) in page


@pytest.mark.slow
def test_internal_report_shows_tax_codes_and_says_so(tmp_path, identifiers):
    params = load_params(year=2025, languages=["vi"], formats=["html"], edition="internal")
    folder = build_report(params, tmp_path).folder
    assert folder.name == "2025-internal"  # never the public edition's folder
    page = (folder / "nscl-2025-internal-vi.html").read_text(encoding="utf-8")
    assert "Lưu hành nội bộ" in page
    assert len(disclosure.find_identifiers(_without_images(page), identifiers)) > 20
    assert (folder / "tables" / "enterprise-internal-top-vi.csv").is_file()


def test_notebook_is_committed_clean_with_the_common_parameters():
    import nbformat

    book = nbformat.read(config.NOTEBOOKS_DIR / "05_enterprises.ipynb", as_version=4)
    model = nbformat.read(config.NOTEBOOKS_DIR / "03_province_tfp.ipynb", as_version=4)
    nbformat.validate(book)
    ids = [cell.id for cell in book.cells]
    assert len(ids) == len(set(ids))
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    assert code[0].source == model.cells[0].source and code[0].metadata.tags == ["parameters"]
    assert code[1].metadata.tags == ["remove"] and "sections import enterprises" in code[1].source
    tags = [cell.metadata.get("tags", []) for cell in book.cells if cell.cell_type == "markdown"]
    assert sum(t == ["vi"] for t in tags) == sum(t == ["en"] for t in tags) > 5


def test_criteria_use_published_operating_enterprises_and_the_phase_pilot_target(ctx):
    values = section.province_values(ctx)
    tools = float(ctx.indicators.loc[2025, "enterprises_applying_tools"])
    # 12,021 operating enterprises published for 2025 (published_figures.csv), not the panel
    assert values.loc[2025, "share_enterprises_applying_tools"] == pytest.approx(tools / 12021)
    assert values.loc[:2024, "share_enterprises_applying_tools"].isna().all()  # not published
    # 2021-2025 counts every pilot model; 2026-2030 counts national-level ones (the plan's words)
    assert section._pilot_column(ctx, 1) == "new_pilot_models"
    assert section._pilot_column(ctx, 2) == "new_pilot_models_national"
    scores = section.province_scorecard(ctx).scores
    # T3: 141 / 12,021 = 1.2 % against a 5 % benchmark scores 23.5 (it was about 100 on the panel)
    assert scores.loc[2025, "T3-DN-AP-DUNG"] == pytest.approx(23.5, abs=0.1)
    # T1 scores only published shares (2021, 2023, 2024): none for 2022 and 2025
    assert scores["T1-TFP-DONG-GOP"].isna().tolist() == [False, True, False, False, True]
    # no total on fewer criteria: every year lacks T1 or T3 with the published data
    assert scores["total"].isna().all()
