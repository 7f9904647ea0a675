"""Tests of helpers.tfp.disclosure: primary and secondary suppression, publishing, identifiers."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.errors import ArgumentError, InputError, InternalError
from helpers.tfp.disclosure import (
    TOTAL_LABEL,
    DisclosureError,
    assert_no_identifiers,
    cell_statistics,
    find_identifiers,
    publish_table,
    suppress_statistic,
    suppress_table,
    suppression_footnote,
    unprotected_lines,
)


def micro_from(cells: dict[str, list[float]]) -> pd.DataFrame:
    """One row per enterprise; enterprise ids unique across cells."""
    rows = []
    for sector, values in cells.items():
        for number, value in enumerate(values):
            rows.append({"sector": sector, "enterprise": f"{sector}{number}", "output": value})
    return pd.DataFrame(rows)


def suppressed_per_line(table: pd.DataFrame, by: list[str]) -> list[int]:
    """Count suppressed entries in every row and column (with its total), independently."""
    counts = []
    if len(by) == 1:
        return [int(table["suppressed"].sum())]
    for fixed in by:
        counts += table.groupby(fixed)["suppressed"].sum().astype(int).tolist()
    return counts


def row_of(table: pd.DataFrame, **keys: object) -> pd.Series:
    mask = np.ones(len(table), dtype=bool)
    for column, value in keys.items():
        mask &= (table[column] == value).to_numpy()
    assert mask.sum() == 1
    return table[mask].iloc[0]


# ---------------------------------------------------------------------------------------
# Primary suppression
# ---------------------------------------------------------------------------------------


def test_cells_with_one_or_two_enterprises_are_suppressed_for_count():
    micro = micro_from({"A": [5.0], "B": [4.0, 6.0], "C": [1.0, 2.0, 3.0]})
    table = suppress_table(micro, "sector", "output", "enterprise", margins=False)
    assert table["reason"].tolist() == ["count", "count", ""]
    assert table["n_enterprises"].tolist() == [1, 2, 3]


def test_dominant_enterprise_is_suppressed_and_85_percent_exactly_is_published():
    # A: 90 of 100 (90 % > 85 %); B: 85 of 100 (exactly the threshold, allowed).
    micro = micro_from({"A": [90.0, 5.0, 5.0], "B": [85.0, 10.0, 5.0]})
    table = suppress_table(micro, "sector", "output", "enterprise", margins=False)
    assert row_of(table, sector="A")["reason"] == "dominance"
    assert row_of(table, sector="A")["max_share"] == pytest.approx(0.90)
    assert row_of(table, sector="B")["reason"] == ""
    assert row_of(table, sector="B")["max_share"] == pytest.approx(0.85)


def test_parameters_change_the_rule():
    micro = micro_from({"A": [1.0, 1.0, 1.0], "B": [70.0, 20.0, 10.0]})
    table = suppress_table(
        micro, "sector", "output", "enterprise", margins=False, min_count=4, dominance=0.6
    )
    assert table["reason"].tolist() == ["count", "count"]
    table = suppress_table(micro, "sector", "output", "enterprise", margins=False, dominance=0.6)
    assert table["reason"].tolist() == ["", "dominance"]


def test_enterprise_rows_are_summed_before_counting_and_dominance():
    # Three rows but only two enterprises in the cell (e1 has two establishments).
    micro = pd.DataFrame(
        {
            "sector": ["A", "A", "A", "B", "B", "B", "B"],
            "enterprise": ["e1", "e1", "e2", "e3", "e4", "e5", "e5"],
            "output": [3.0, 3.0, 4.0, 1.0, 1.0, 4.0, 4.0],
        }
    )
    stats = cell_statistics(micro, "sector", "enterprise", "output")
    assert stats["n_enterprises"].tolist() == [2, 3]
    # e5 contributes 8 of 10 in B.
    assert stats["max_share"].tolist() == pytest.approx([0.6, 0.8])


def test_dominance_uses_absolute_contributions_when_values_are_negative():
    # Net total is 41, but one enterprise carries 50 of the 61 units of magnitude.
    micro = micro_from({"A": [50.0, -5.0, -5.0, 1.0]})
    stats = cell_statistics(micro, "sector", "enterprise", "output")
    assert stats["max_share"].iloc[0] == pytest.approx(50 / 61)


def test_frequency_table_uses_the_count_rule_only():
    micro = micro_from({"A": [1.0, 1.0], "B": [1.0, 1.0, 1.0]})
    table = suppress_table(micro, "sector", None, "enterprise")
    assert row_of(table, sector="A")["reason"] == "count"
    assert row_of(table, sector=TOTAL_LABEL)["total"] == 5


def test_missing_columns_and_values_are_reported_as_input_errors():
    micro = micro_from({"A": [1.0, 2.0, 3.0]})
    with pytest.raises(InputError, match="column is missing"):
        suppress_table(micro, "province", "output", "enterprise")
    micro.loc[1, "sector"] = None
    with pytest.raises(InputError, match="row 3, column 'sector': missing value"):
        suppress_table(micro, "sector", "output", "enterprise")


# ---------------------------------------------------------------------------------------
# Secondary suppression
# ---------------------------------------------------------------------------------------


def test_one_dimensional_table_with_total_suppresses_the_next_smallest_cell():
    # B has two enterprises; A (31) and C (26): C is the smallest and is suppressed too.
    micro = micro_from({"A": [10.0, 12.0, 9.0], "B": [50.0, 40.0], "C": [5.0, 6.0, 7.0, 8.0]})
    table = suppress_table(micro, "sector", "output", "enterprise")
    assert table["sector"].tolist() == ["A", "B", "C", TOTAL_LABEL]
    assert table["reason"].tolist() == ["", "count", "secondary", ""]
    assert row_of(table, sector=TOTAL_LABEL)["total"] == pytest.approx(147.0)
    assert unprotected_lines(table, "sector") == []


def test_one_dimensional_table_without_total_needs_no_secondary_suppression():
    micro = micro_from({"A": [10.0, 12.0, 9.0], "B": [50.0, 40.0], "C": [5.0, 6.0, 7.0, 8.0]})
    table = suppress_table(micro, "sector", "output", "enterprise", margins=False)
    assert table["reason"].tolist() == ["", "count", ""]


def two_way_micro() -> pd.DataFrame:
    """Sector x commune table; cell (C10, Hạ Long) has one enterprise."""
    layout = {
        ("C10", "Hạ Long"): [7.25],
        ("C10", "Cẩm Phả"): [10.0, 11.0, 12.0],
        ("C10", "Uông Bí"): [20.0, 21.0, 22.0],
        ("F41", "Hạ Long"): [30.0, 31.0, 32.0],
        ("F41", "Cẩm Phả"): [3.0, 4.0, 5.0],
        ("F41", "Uông Bí"): [40.0, 41.0, 42.0],
        ("G46", "Hạ Long"): [50.0, 51.0, 52.0],
        ("G46", "Cẩm Phả"): [60.0, 61.0, 62.0],
        ("G46", "Uông Bí"): [1.0, 2.0, 2.5],
    }
    rows = []
    for (sector, commune), values in layout.items():
        for number, value in enumerate(values):
            enterprise = f"{sector}-{commune}-{number}"
            rows.append(
                {"sector": sector, "commune": commune, "enterprise": enterprise, "output": value}
            )
    return pd.DataFrame(rows)


def test_two_way_table_with_margins_protects_every_row_and_column():
    table = suppress_table(two_way_micro(), ["sector", "commune"], "output", "enterprise")
    # 3 x 3 interior + 3 row totals + 3 column totals + grand total.
    assert len(table) == 16
    assert row_of(table, sector="C10", commune="Hạ Long")["reason"] == "count"
    counts = suppressed_per_line(table, ["sector", "commune"])
    assert all(count == 0 or count >= 2 for count in counts)
    assert unprotected_lines(table, ["sector", "commune"]) == []
    # The smallest cells of the affected row and column are the ones added:
    # row C10 -> Cẩm Phả (33); column Hạ Long -> F41 (93); column Cẩm Phả then holds
    # one suppressed cell -> F41 Cẩm Phả (12), which also completes row F41.
    secondary = table[table["reason"] == "secondary"][["sector", "commune"]]
    assert set(map(tuple, secondary.to_numpy())) == {
        ("C10", "Cẩm Phả"),
        ("F41", "Hạ Long"),
        ("F41", "Cẩm Phả"),
    }
    # Totals stay published.
    assert not table.loc[table["is_margin"], "suppressed"].any()


def test_suppressed_cell_cannot_be_recomputed_from_published_figures():
    table = suppress_table(two_way_micro(), ["sector", "commune"], "output", "enterprise")
    published = table[~table["suppressed"]]
    for fixed, free in (("sector", "commune"), ("commune", "sector")):
        for level, line in table.groupby(fixed):
            unknown = line[line["suppressed"] & (line[free] != TOTAL_LABEL)]
            if len(unknown) == 1:  # would be exactly recoverable if the total is published
                total = line[line[free] == TOTAL_LABEL]
                assert bool(total["suppressed"].iloc[0]), (fixed, level)
    assert len(published) < len(table)


def test_two_way_table_keeps_empty_cells_published():
    micro = two_way_micro()
    micro = micro[~((micro["sector"] == "G46") & (micro["commune"] == "Uông Bí"))]
    table = suppress_table(micro, ["sector", "commune"], "output", "enterprise")
    empty = row_of(table, sector="G46", commune="Uông Bí")
    assert empty["n_enterprises"] == 0
    assert not empty["suppressed"]
    assert unprotected_lines(table, ["sector", "commune"]) == []


def test_three_dimensional_margins_are_refused():
    micro = two_way_micro().assign(year=2024)
    with pytest.raises(InputError, match="one or two dimensions"):
        suppress_table(micro, ["sector", "commune", "year"], "output", "enterprise")


@st.composite
def random_two_way_micro(draw) -> pd.DataFrame:
    n_rows = draw(st.integers(2, 4))
    n_cols = draw(st.integers(2, 4))
    rows = []
    for r in range(n_rows):
        for c in range(n_cols):
            sizes = draw(st.lists(st.integers(1, 60), min_size=0, max_size=5))
            for number, size in enumerate(sizes):
                rows.append(
                    {"r": f"r{r}", "c": f"c{c}", "e": f"{r}-{c}-{number}", "v": float(size)}
                )
    frame = pd.DataFrame(rows, columns=["r", "c", "e", "v"])
    # every row and column level must exist at least once
    for r in range(n_rows):
        frame.loc[len(frame)] = [f"r{r}", "c0", f"{r}-fill", 1.0]
    for c in range(n_cols):
        frame.loc[len(frame)] = ["r0", f"c{c}", f"fill-{c}", 1.0]
    return frame


@settings(max_examples=60, deadline=None)
@given(random_two_way_micro())
def test_property_no_line_has_exactly_one_suppressed_entry(micro):
    table = suppress_table(micro, ["r", "c"], "v", "e")
    counts = suppressed_per_line(table, ["r", "c"])
    assert all(count == 0 or count >= 2 for count in counts)
    published = table[~table["suppressed"] & (table["n_enterprises"] > 0)]
    assert (published["n_enterprises"] >= 3).all()
    assert (published["max_share"] <= 0.85).all()


# ---------------------------------------------------------------------------------------
# Means and percentiles
# ---------------------------------------------------------------------------------------


def tfp_micro() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "sector": ["A"] * 4 + ["B"] * 2 + ["C"] * 3,
            "enterprise": list("abcdefghi"),
            "log_tfp": [0.1, 0.2, 0.3, 0.4, 1.0, 2.0, 0.5, 0.6, 0.7],
            "output": [10.0, 10.0, 10.0, 10.0, 5.0, 5.0, 95.0, 3.0, 2.0],
        }
    )


def test_mean_follows_the_count_rule():
    table = suppress_statistic(tfp_micro(), "sector", "log_tfp", "enterprise")
    assert table["mean"].tolist() == pytest.approx([0.25, 1.5, 0.6])
    assert table["reason"].tolist() == ["", "count", ""]


def test_percentile_follows_the_count_rule():
    table = suppress_statistic(tfp_micro(), "sector", "log_tfp", "enterprise", statistic="p90")
    # A: 0.1..0.4, linear interpolation: 0.1 + 0.9 * 3 * 0.1 = 0.37
    assert row_of(table, sector="A")["p90"] == pytest.approx(0.37)
    assert table["reason"].tolist() == ["", "count", ""]


def test_output_weighted_mean_applies_dominance_on_the_weights():
    table = suppress_statistic(
        tfp_micro(),
        "sector",
        "log_tfp",
        "enterprise",
        weight="output",
        dominance_on="output",
    )
    # C: one enterprise holds 95 % of output; the weighted mean is essentially its TFP.
    assert row_of(table, sector="C")["reason"] == "dominance"
    assert row_of(table, sector="C")["mean"] == pytest.approx((95 * 0.5 + 3 * 0.6 + 2 * 0.7) / 100)
    assert row_of(table, sector="A")["reason"] == ""


def test_mean_with_overall_margin_gets_secondary_suppression():
    table = suppress_statistic(tfp_micro(), "sector", "log_tfp", "enterprise", margins=True)
    assert table["reason"].tolist() == ["", "count", "secondary", ""]
    assert row_of(table, sector=TOTAL_LABEL)["mean"] == pytest.approx(tfp_micro()["log_tfp"].mean())


def test_unknown_statistic_is_an_input_error():
    with pytest.raises(InputError, match="unknown statistic"):
        suppress_statistic(tfp_micro(), "sector", "log_tfp", "enterprise", statistic="mode")


# ---------------------------------------------------------------------------------------
# Publishing and identifiers
# ---------------------------------------------------------------------------------------


def test_published_table_holds_no_suppressed_value():
    table = suppress_table(two_way_micro(), ["sector", "commune"], "output", "enterprise")
    hidden_values = table.loc[table["suppressed"], "total"].tolist()
    published = publish_table(table, ["sector", "commune"], ["total", "n_enterprises"])
    assert list(published.columns) == ["sector", "commune", "total", "n_enterprises"]
    assert (published.loc[table["suppressed"].to_numpy(), "total"] == "x").all()
    assert (published.loc[table["suppressed"].to_numpy(), "n_enterprises"] == "x").all()
    published_totals = published["total"].tolist()
    for value in hidden_values:
        assert value not in published_totals
    tokens = set(re.findall(r"[0-9][0-9.]*", published.to_csv() + published.to_html()))
    for value in hidden_values:
        assert str(value) not in tokens
    # The source table is not modified.
    assert table.loc[table["suppressed"], "total"].tolist() == hidden_values


def test_publish_table_refuses_protection_columns_as_keys():
    table = suppress_table(two_way_micro(), ["sector", "commune"], "output", "enterprise")
    with pytest.raises(ValueError, match="protection columns"):
        publish_table(table, ["sector", "reason"], "total")


def test_footnote_in_both_languages_names_the_thresholds():
    assert "dưới 3 doanh nghiệp" in suppression_footnote("vi")
    assert "85%" in suppression_footnote("en")  # English writes no space before %
    assert suppression_footnote("en", marker="..").startswith("..:")


def test_identifier_guard_finds_tax_codes_and_names_in_texts_and_frames():
    frame = pd.DataFrame({"sector": ["C10"], "note": ["supported"]}, index=["5700100256"])
    names = ["Công ty TNHH Thủy sản Hạ Long"]
    decomposed = unicodedata.normalize("NFD", "công ty tnhh  thủy sản hạ long đạt ISO 9001")
    assert find_identifiers([frame], ["5700100256"]) == ["5700100256"]
    assert find_identifiers(decomposed, names) == names
    assert find_identifiers(pd.Series([5700100256]), [5700100256]) == ["5700100256"]
    with pytest.raises(DisclosureError, match="1 enterprise identifier"):
        assert_no_identifiers(["Báo cáo", frame], ["5700100256-001", "5700100256"])


def test_a_tax_code_counts_as_a_whole_number_not_as_digits_of_a_decimal():
    # the 2024 event-study table held 0.05788197006358573, and 5788197006 is a sample tax code:
    # that public build was refused although no enterprise was named
    table = "event_time,effect\n1,0.05788197006358573\n2,15788197006.5\n"
    assert find_identifiers(table, ["5788197006"]) == []
    assert_no_identifiers([table], ["5788197006"])
    for leaked in (
        "MST 5788197006, đạt ISO 9001",
        "dn_5788197006.csv",
        "5788197006-001",
        "tax_code\n5788197006\n",
        "(5788197006)",
    ):
        assert find_identifiers(leaked, ["5788197006"]) == ["5788197006"], leaked
    assert find_identifiers("chi nhánh 5788197006-001", ["5788197006-001"]) == ["5788197006-001"]
    assert find_identifiers("5788197006-0012", ["5788197006-001"]) == []
    # a code inside a longer number written with dashes: whole groups only
    longer = "mã 12-5788197006-001-7"
    for inside in ("12-5788197006", "5788197006-001", "5788197006-001-7", "001-7", "12"):
        assert find_identifiers(longer, [inside]) == [inside], inside
    for not_inside in ("2-5788197006", "5788197006-00", "788197006-001", "12-001"):
        assert find_identifiers(longer, [not_inside]) == [], not_inside


def test_identifier_guard_passes_clean_outputs_and_ignores_blanks():
    table = suppress_table(two_way_micro(), ["sector", "commune"], "output", "enterprise")
    published = publish_table(table, ["sector", "commune"], "total")
    assert_no_identifiers([published, "Tổng hợp"], ["0100109106", "", None, np.nan])


def test_margins_count_an_enterprise_once_and_sum_its_contributions():
    # Sector x year: the same three enterprises in both years. Each year e1 holds 40 of 50
    # (80 %); over both years e1 still holds 80 of 100, and there are 3 enterprises, not 6.
    micro = pd.DataFrame(
        {
            "sector": ["A"] * 6,
            "year": [2023, 2023, 2023, 2024, 2024, 2024],
            "enterprise": ["e1", "e2", "e3"] * 2,
            "output": [40.0, 5.0, 5.0, 40.0, 5.0, 5.0],
        }
    )
    table = suppress_table(micro, ["sector", "year"], "output", "enterprise")
    margin = row_of(table, sector="A", year=TOTAL_LABEL)
    assert margin["n_enterprises"] == 3
    assert margin["total"] == pytest.approx(100.0)
    assert margin["max_share"] == pytest.approx(0.8)
    frequency = suppress_table(micro, ["sector", "year"], None, "enterprise")
    margin = row_of(frequency, sector="A", year=TOTAL_LABEL)
    assert (margin["n_enterprises"], margin["total"]) == (3, 6.0)


@pytest.mark.parametrize(
    ("thresholds", "named"),
    [
        ({"min_count": 0}, "min_count must be a whole number of at least 1, got 0"),
        ({"min_count": "3"}, "min_count must be a whole number of at least 1, got '3'"),
        ({"min_count": 2.5}, "min_count must be a whole number of at least 1, got 2.5"),
        ({"dominance": 85}, "dominance must be a share between 0 and 1 (0.85 for 85 %), got 85"),
        ({"dominance": 0.0}, "dominance must be a share between 0 and 1 (0.85 for 85 %), got 0.0"),
        ({"dominance": "0.85"}, "got '0.85'"),
    ],
)
def test_thresholds_that_make_no_rule_are_argument_errors(thresholds, named):
    micro = micro_from({"A": [10.0, 12.0, 9.0]})
    calls = [
        lambda: suppress_table(micro, "sector", "output", "enterprise", **thresholds),
        lambda: suppress_statistic(micro, "sector", "output", "enterprise", **thresholds),
        lambda: suppression_footnote("en", **thresholds),
    ]
    for call in calls:
        with pytest.raises(ArgumentError, match=re.escape(named)) as error:
            call()
        assert error.value.exit_code == 2


def test_a_leaked_identifier_is_the_projects_fault_not_an_assertion():
    # The public edition is built by the project from suppressed tables: a leak is a bug
    # (exit code 1), and an AssertionError would vanish under python -O.
    assert issubclass(DisclosureError, InternalError)
    assert not issubclass(DisclosureError, AssertionError)
    with pytest.raises(DisclosureError) as error:
        assert_no_identifiers("MST 5700100256", ["5700100256"])
    assert error.value.exit_code == 1
