"""Estimation warnings keep their kind and values, so the Vietnamese report can say them."""

from __future__ import annotations

import pickle
import warnings
from types import SimpleNamespace

from helpers import i18n
from helpers.report.sections.enterprises import describe_warning
from helpers.tfp.enterprise_estimates import recording_warnings
from helpers.tfp.estimation_messages import EstimationMessage
from helpers.tfp.production import EstimationWarning

ROOTS = EstimationMessage(
    "roots_chosen",
    "ACF: 2 distinct roots fit the moments exactly: ... Chose [0.6123, 0.3511]: ...",
    method="acf",
    n=2,
    coef=[0.6123, 0.3511],
    persistence=0.714,
)


def context(lang: str) -> SimpleNamespace:
    return SimpleNamespace(lang=lang, t=lambda key, **values: i18n.t(key, lang, **values))


def test_a_message_is_its_english_text_and_survives_pickling_and_warnings():
    assert ROOTS.split(" (")[0] + ROOTS[len(ROOTS.split(" (")[0]) :] == ROOTS  # plain text
    restored = pickle.loads(pickle.dumps(ROOTS))  # the results cache pickles the estimates
    assert (restored.kind, restored.values["coef"]) == ("roots_chosen", [0.6123, 0.3511])

    def warns() -> int:
        warnings.warn(ROOTS, EstimationWarning, stacklevel=1)
        return 1

    result, recorded, error = recording_warnings(warns)
    assert (result, error) == (1, None)
    assert [getattr(m, "kind", None) for m in recorded] == ["roots_chosen"]


def test_the_vietnamese_edition_says_the_warning_from_the_catalogue():
    text = describe_warning(ROOTS, context("vi"))
    assert "Ackerberg–Caves–Frazer (ACF): 2 nghiệm phân biệt" in text
    assert "(0,6123; 0,3511)" in text and "(0,71)" in text
    assert "distinct" not in text and "Chose" not in text
    # the English edition quotes the estimator's own words
    assert describe_warning(ROOTS, context("en")) == str(ROOTS)


def test_a_warning_of_no_known_kind_is_named_not_quoted_in_vietnamese():
    plain = "statsmodels: ConvergenceWarning: something in English"
    assert describe_warning(plain, context("vi")) == i18n.t("ent.warning.other", "vi")
    failed = EstimationMessage("bootstrap_failed", "bootstrap: 3 of 199 ...", failed=3, reps=199)
    assert describe_warning(failed, context("vi")).startswith("3/199 lần lấy mẫu lặp lại")


def test_every_kind_the_estimators_issue_has_a_message_in_both_languages():
    import re
    from pathlib import Path

    source = "".join(
        p.read_text(encoding="utf-8")
        for p in (Path(i18n.__file__).parent / "tfp").glob("production*.py")
    )
    kinds = set(re.findall(r'EstimationMessage\(\s*"(\w+)"', source))
    assert len(kinds) >= 8  # the reader of the sources finds them
    for lang in i18n.LANGUAGES:
        assert {k for k in kinds if f"ent.warning.{k}" not in i18n.catalogue(lang)} == set()
