"""The TFP objective's status comes from the province's published shares, never the estimate."""

from helpers.programme import progress
from helpers.programme.tfp_objective import (
    PublishedShare,
    assess_tfp_objective,
    load_published_shares,
    rule_text,
    share_text,
)

URL = "https://example.vn/tfp"
# Quảng Ninh's published series (published_figures.csv): 43.48 % (2021), 50.01 % (2023),
# "trên 50 %" (2024).
QN = [
    PublishedShare(2021, 0.4348, "equal", URL, "2025-04-14"),
    PublishedShare(2023, 0.5001, "equal", URL, "2025-04-14"),
    PublishedShare(2024, 0.50, "above", URL, "2025-04-14"),
]


def test_rising_series_is_judged_against_the_first_point():
    record = assess_tfp_objective(QN[:2], 2023)
    assert record["status"] == progress.IN_PROGRESS  # the objective runs to 2030
    assert record["direction"] == "rising"
    assert assess_tfp_objective(QN[:2], 2023, end_year=2023)["status"] == progress.DONE
    assert (record["actual"], record["baseline"], record["baseline_year"]) == (0.5001, 0.4348, 2021)
    assert record["published_in_report_year"] is True


def test_falling_series_deteriorates():
    # 50 % then 43 %: down on the first point even though both are near the 45 % reference
    shares = [PublishedShare(2021, 0.50), PublishedShare(2022, 0.47), PublishedShare(2023, 0.43)]
    record = assess_tfp_objective(shares, 2023)
    assert record["status"] == progress.IN_PROGRESS
    assert record["direction"] == "falling"
    assert "giảm" in rule_text(record, "vi")
    assert assess_tfp_objective(shares, 2023, end_year=2023)["status"] == progress.NOT_ACHIEVED


def test_a_fall_after_a_rise_is_still_judged_against_the_first_point():
    # 40 % → 55 % → 45 %: the latest (45 %) is above the first (40 %): still a rise
    shares = [PublishedShare(2021, 0.40), PublishedShare(2022, 0.55), PublishedShare(2023, 0.45)]
    assert assess_tfp_objective(shares, 2023)["direction"] == "rising"


def test_an_unchanged_share_at_the_end_is_not_achieved():
    shares = [PublishedShare(2021, 0.45), PublishedShare(2023, 0.45)]
    assert assess_tfp_objective(shares, 2023)["direction"] == "unchanged"
    assert assess_tfp_objective(shares, 2023, end_year=2023)["status"] == progress.NOT_ACHIEVED


def test_missing_report_year_uses_the_latest_and_says_so():
    record = assess_tfp_objective(QN, 2025)
    assert record["year"] == 2024 and record["published_in_report_year"] is False
    text = rule_text(record, "vi")
    assert text.startswith("Chưa có số liệu công bố năm 2025; số mới nhất là năm 2024.")
    assert "trên 50 % năm 2024" in text and "43,48 % năm 2021" in text
    assert URL + ", 14/04/2025" in text


def test_a_lower_bound_above_the_first_point_is_a_rise():
    # "trên 50 %" after 43.48 %: every value the bound allows is above 43.48 %
    record = assess_tfp_objective([QN[0], QN[2]], 2024)
    assert record["direction"] == "rising" and record["status"] == progress.IN_PROGRESS
    assert record["qualifier"] == "above"


def test_a_lower_bound_below_the_first_point_decides_nothing():
    # "trên 40 %" after 43.48 %: the share may be 41 % (a fall) or 60 % (a rise)
    shares = [QN[0], PublishedShare(2024, 0.40, "above")]
    record = assess_tfp_objective(shares, 2024)
    assert record["direction"] == "undetermined"
    assert assess_tfp_objective(shares, 2024, end_year=2024)["status"] == (
        progress.INSUFFICIENT_DATA
    )
    assert "ngưỡng" in rule_text(record, "vi")


def test_a_bound_equal_to_the_first_point_is_a_strict_rise():
    # "trên 43,48 %" after 43.48 %: strictly above
    shares = [QN[0], PublishedShare(2024, 0.4348, "above")]
    assert assess_tfp_objective(shares, 2024)["direction"] == "rising"


def test_an_upper_bound_below_the_first_point_is_a_fall():
    shares = [QN[0], PublishedShare(2024, 0.40, "below")]
    assert assess_tfp_objective(shares, 2024)["direction"] == "falling"


def test_one_point_or_none_gives_no_direction():
    single = assess_tfp_objective(QN, 2022)  # only 2021 is published by 2022
    assert single["status"] == progress.IN_PROGRESS and single["direction"] == "single"
    assert "Chưa có số liệu công bố năm 2022" in rule_text(single, "vi")
    none = assess_tfp_objective(QN, 2020)
    assert none["status"] == progress.INSUFFICIENT_DATA and none["direction"] == "none"
    assert assess_tfp_objective(None, 2025)["status"] == progress.INSUFFICIENT_DATA
    assert "2020" in rule_text(none, "en")


def test_figures_after_the_report_year_are_ignored():
    assert assess_tfp_objective(QN, 2023)["year"] == 2023


def test_share_text_keeps_the_published_wording():
    assert share_text(0.50, "above", "vi") == "trên 50 %"
    assert share_text(0.45, "approx", "en") == "about 45%"
    assert share_text(0.4348, "equal", "vi") == "43,48 %"


def test_sample_published_shares_are_annual_and_sourced():
    shares = load_published_shares("data/sample", "Quảng Ninh")
    assert [(s.year, s.value, s.qualifier) for s in shares] == [
        (2021, 0.4348, "equal"),
        (2023, 0.5001, "equal"),
        (2024, 0.50, "above"),
    ]
    assert all(s.source_url.startswith("https://") for s in shares)
    assert load_published_shares("data/sample", "Tỉnh khác") == []
