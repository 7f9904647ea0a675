"""Reliability of the enterprise section's production functions (issue 12).

A section whose own estimate is unreliable takes the pooled function and says why; on the
sample panel every section's own coefficients are within two bootstrap standard errors of
the simulator's truth, or the section is flagged with the reason.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pytest

from helpers.report.context import load_context
from helpers.report.sections import enterprises as section

PLAN = "data/plan/quang_ninh_203.yaml"


def test_unreliable_reasons_name_each_problem(reliable_result) -> None:
    assert section.unreliable_reasons(reliable_result()) == ()
    assert section.unreliable_reasons(None) == ("failed",)
    assert section.unreliable_reasons(reliable_result(n_firms=section.FEW_FIRMS - 1)) == ("few",)
    assert section.unreliable_reasons(reliable_result(n_firms=section.FEW_FIRMS)) == ()
    assert section.unreliable_reasons(reliable_result(indistinct_roots=True)) == ("indistinct",)
    assert section.unreliable_reasons(reliable_result(converged=False)) == ("no_root",)
    # Transport's former estimate (labour 0.970, capital 0.019): capital is plausible, but
    # labour 1.02 is not.
    implausible = reliable_result(elasticities={"labour": 1.02, "capital": 0.01})
    assert section.unreliable_reasons(implausible) == ("implausible",)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


@pytest.mark.slow
def test_sample_sectors_are_near_the_truth_or_flagged_with_the_reason() -> None:
    contexts = {
        lang: load_context(year=2025, lang=lang, data_dir="data/sample", plan_file=PLAN)
        for lang in ("vi", "en")
    }
    ctx = contexts["vi"]
    result = section.estimates(ctx)
    truth = result.truth["sectors"]
    frame = section.diagnostics_frame(ctx)
    own = frame[frame["group"] != section.POOLED]
    pooled = frame[frame["group"] == section.POOLED].iloc[0]
    for row in own.itertuples():
        if row.fallback:
            # Not used: no coefficient printed, the enterprises take the pooled function.
            assert np.isnan(row.labour) and row.group in pooled.sections
            continue
        assert row.reps_used >= 0.9 * section.bootstrap_reps()
        assert abs(row.labour - truth[row.group]["alpha_l"]) <= 2 * row.labour_se, row.group
        assert abs(row.capital - truth[row.group]["alpha_k"]) <= 2 * row.capital_se, row.group
    # D, G and H have fewer than 100 enterprises (the sample's design): flagged, in words.
    assert {row.group for row in own.itertuples() if "few" in row.fallback} == {"D", "G", "H"}
    assert set(own["group"]) - {"D", "G", "H"} == {"A", "B", "C", "F", "I"}
    firms = result.firms
    assert firms["log_tfp"].notna().all()
    vi = _text(section.diagnostics_table(ctx).data)
    en = _text(section.diagnostics_table(contexts["en"]).data)
    assert "ước lượng riêng không tin cậy (dưới 100 doanh nghiệp)" in vi
    assert "own estimate unreliable (fewer than 100 enterprises)" in en
    assert "used instead of the unreliable own estimates of sectors: D, G, H" in en
    assert "dùng thay cho ước lượng riêng không tin cậy của ngành: D, G, H" in vi
    assert "199" in en  # the caption names the replications
