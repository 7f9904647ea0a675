"""The enterprise section's pure computations: estimates, warnings kept, criteria values.

These run without a report context: data in, frames and dataclasses out.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from helpers import config, i18n
from helpers.errors import InputError, InputProblem
from helpers.programme.plan import load_plan
from helpers.report import markup
from helpers.tfp import criteria_values
from helpers.tfp import enterprise_estimates as estimates

PLAN = config.resolve("data/plan/quang_ninh_203.yaml")


def _panel(firms_per_section: dict[str, int], years=(2021, 2022, 2023)) -> pd.DataFrame:
    """A small panel: ``firms_per_section`` enterprises per VSIC section, every year."""
    rows = []
    for section, count in firms_per_section.items():
        for firm in range(count):
            for year in years:
                rows.append(
                    {
                        "tax_code": f"{section}{firm:04d}",
                        "year": year,
                        "vsic_section": section,
                        "value_added": 100.0 + firm + year % 10,
                        "labour": 10.0 + firm,
                        "capital": 50.0 + 2 * firm,
                    }
                )
    return pd.DataFrame(rows)


def test_recording_warnings_keeps_each_message_once_in_order():
    def compute():
        warnings.warn("second root nearly tied", stacklevel=1)
        warnings.warn("bootstrap: 3 of 199 draws failed", RuntimeWarning, stacklevel=1)
        warnings.warn("second root nearly tied", stacklevel=1)
        return 42

    value, messages, error = estimates.recording_warnings(compute)
    assert value == 42 and error is None
    assert messages == ("second root nearly tied", "bootstrap: 3 of 199 draws failed")


def test_recording_warnings_returns_the_input_error_with_what_was_said_before():
    problem = InputProblem(file="panel.csv", message="labour does not vary")

    def compute():
        warnings.warn("few enterprises", stacklevel=1)
        raise InputError([problem])

    value, messages, error = estimates.recording_warnings(compute)
    assert value is None and messages == ("few enterprises",)
    assert error is not None and error.problems[0].message == "labour does not vary"


def test_library_notices_go_back_to_the_usual_channel_not_into_the_report():
    def compute():
        warnings.warn("keyword inplace is deprecated", DeprecationWarning, stacklevel=1)
        return 1

    with pytest.warns(DeprecationWarning, match="inplace"):
        _, messages, _ = estimates.recording_warnings(compute)
    assert messages == ()


def test_every_warning_of_every_fit_reaches_the_estimates(monkeypatch, reliable_result):
    """A (12 enterprises) is pooled; C's fit warns; B's fit warns and is unreliable."""
    said = {"B": "B: no exact root", "C": "C: second root nearly tied"}

    def fake_estimate(frame, **options):
        sections = sorted(frame["vsic_section"].unique())
        pooled = len(sections) > 1
        if not pooled:
            warnings.warn(said[sections[0]], UserWarning, stacklevel=1)
        converged = sections != ["B"]
        assert options["group_effects"] == ("vsic_section" if pooled else None)
        return reliable_result(
            n_obs=len(frame),
            n_firms=frame["tax_code"].nunique(),
            n_lagged=0,
            converged=converged,
            tfp=pd.Series(0.1, index=frame.index),
        )

    monkeypatch.setattr(estimates, "estimate", fake_estimate)
    settings = estimates.EstimationSettings(reps=19, min_sector_firms=20, few_firms=30)
    result = estimates.estimate_enterprise_tfp(_panel({"A": 12, "B": 40, "C": 40}), settings)
    fits = {fit.group: fit for fit in result.fits}
    assert list(fits) == ["B", "C", estimates.POOLED]
    assert fits["B"].fallback == ("no_root",) and fits["C"].fallback == ()
    assert fits[estimates.POOLED].sections == ("A", "B")  # too small, and unreliable
    assert result.warnings == (("B", said["B"]), ("C", said["C"]))
    assert result.firms["log_tfp"].notna().all()
    # 0.1 everywhere: every enterprise sits at its sector's mean
    assert np.allclose(result.firms["tfp_sector_year"], 0.0)


def test_too_few_replications_are_refused():
    assert estimates.check_bootstrap_reps(estimates.MIN_BOOTSTRAP_REPS) == 19
    with pytest.raises(ValueError, match="at least 19 replications"):
        estimates.check_bootstrap_reps(18)


def test_panel_up_to_keeps_the_attributes_and_drops_later_years():
    panel = _panel({"C": 2})
    panel.attrs["truth"] = {"support_effect": 0.08}
    shown = estimates.panel_up_to(panel, 2022)
    assert sorted(shown["year"].unique()) == [2021, 2022]
    assert shown.attrs["truth"] == {"support_effect": 0.08}
    assert estimates.panel_up_to(panel, 2020) is None
    assert estimates.panel_up_to(None, 2025) is None


def test_operating_enterprises_are_the_areas_single_year_figures():
    figures = pd.DataFrame(
        {
            "area": ["Quảng Ninh", "Quảng Ninh", "Quảng Ninh", "Hải Phòng"],
            "indicator": ["operating_enterprises"] * 3 + ["operating_enterprises"],
            "start_year": [2025, 2021, 2024, 2025],
            "end_year": [2025, 2025, 2024, 2025],
            "value": [12021.0, 99999.0, 11500.0, 20000.0],
        }
    )
    series = criteria_values.operating_enterprises(figures, "Quảng Ninh")
    assert series.to_dict() == {2025: 12021.0, 2024: 11500.0}  # 2021-2025 is a span: left out
    assert criteria_values.operating_enterprises(None, "Quảng Ninh").empty


def test_labour_productivity_growth_runs_from_the_year_before_the_phase():
    plan = load_plan(PLAN)
    accounts = pd.DataFrame(
        {
            "year": [2020, 2021, 2022],
            "grdp_constant_2010": [100.0, 110.0, 121.0],
            "employment": [10.0, 10.0, 10.0],
        }
    )
    growth = criteria_values.labour_productivity_growth(accounts, plan)
    # phase 1 starts in 2021: 2021 grows 10 % over 2020; 2022 is 21 % over two years, 10 % a year
    assert growth.to_dict() == pytest.approx({2021: 0.10, 2022: 0.10})
    assert criteria_values.labour_productivity_growth(None, plan).empty


def test_signed_percent_and_scientific_formats():
    assert i18n.format_signed_percent(0.083, "vi") == "+8,3 %"
    assert i18n.format_signed_percent(-0.02, "en") == "-2.0%"
    assert i18n.format_signed_percent(float("nan"), "en") == i18n.MISSING
    assert i18n.format_scientific(1.234e-9, "vi") == "1,2 × 10⁻⁹"  # not "1,2e-09"
    assert i18n.format_scientific(float("nan"), "vi") == i18n.MISSING


def test_heading_escapes_text_and_attributes():
    html = markup.heading(2, "A & B", id="x", css_class="simulated", data={"mark": 'say "hi"'})
    assert html == '<h2 id="x" class="simulated" data-mark="say &#34;hi&#34;">A &amp; B</h2>'
    assert markup.paragraph("<b>") == "<p>&lt;b&gt;</p>"
    with pytest.raises(ValueError, match="levels 2 to 6"):
        markup.heading(1, "title")
