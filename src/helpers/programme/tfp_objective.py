"""The status of the plan's TFP objective, judged on the province's PUBLISHED shares.

Plan 203/KH-UBND asks the programme to "góp phần nâng tỷ trọng đóng góp của TFP" (contribute
to raising the share of TFP in growth). The objective has no number, so the rule judges a
*direction*: the latest published annual share up to the report year against the first
published point. The project's own growth-accounting estimate never enters this rule; it
explains the published figures (see :mod:`helpers.report.sections.province`).

A published figure may be a bound: "trên 50 %" (above 50 %) is value 0.50 with qualifier
``above``. A bound decides the direction only when the whole range it allows lies on one side
of the first point (above 50 % after 43.48 % is a rise); otherwise the direction is not known.

Statuses reuse the project's vocabulary (:mod:`helpers.programme.progress`), with these meanings for
this objective:

======================  ==================================================================
``on_track``            the published share rose since the first published point
``limited_progress``    the published share is unchanged since the first published point
``deterioration``       the published share fell since the first published point
``insufficient_data``   no published share, a single point, or a bound that cannot decide
======================  ==================================================================

National figures (about 45 % by 2025, about 50 % by 2030, Decision 36/QĐ-TTg; above 55 %,
Resolution 57-NQ/TW) and the province's own target for 2026–2030 (above 55 %) are
*references*, shown beside the status but never used to set it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import i18n
from helpers.programme import progress

__all__ = [
    "FALLING",
    "NO_DIRECTION",
    "PUBLISHED_INDICATOR",
    "RISING",
    "RULE",
    "UNCHANGED",
    "PublishedShare",
    "assess_tfp_objective",
    "load_published_shares",
    "published_shares",
    "rule_text",
    "share_text",
    "source_text",
]

#: The objective ("góp phần nâng tỷ trọng TFP") is a task of the whole plan: until its last
#: year it is in progress, whatever the direction, which the basis states; at the end it is done
#: when the published share rose and not achieved when it did not.
IN_PROGRESS = progress.IN_PROGRESS
#: Status at the plan's end when the published share rose since the first published point.
RISING = progress.DONE
#: Status at the plan's end when it fell or is unchanged.
FALLING = UNCHANGED = progress.NOT_ACHIEVED
#: Status when no share is published, or at the end when the direction cannot be told.
NO_DIRECTION = progress.INSUFFICIENT_DATA
#: Name of the rule in the assessment table.
RULE = "tfp_published"
#: Indicator of the TFP share of growth in the published-figures file.
PUBLISHED_INDICATOR = "tfp_share_of_growth"

_LOWER = {"above": True, "at_least": False}  # qualifier → strict bound
_UPPER = {"below": True, "at_most": False}


@dataclass(frozen=True)
class PublishedShare:
    """One published annual TFP share of GRDP growth.

    Attributes
    ----------
    year : int
        The year the share refers to (an annual share, not a period average).
    value : float
        The published value as a fraction (0.4348 for 43.48 %); for a bound, the bound.
    qualifier : str
        ``equal``, ``approx``, ``above``, ``at_least``, ``below`` or ``at_most``.
    source_url, source_date : str
        Where and when it was published.

    """

    year: int
    value: float
    qualifier: str = "equal"
    source_url: str = ""
    source_date: str = ""

    @property
    def is_bound(self) -> bool:
        """Whether the figure is only a bound ("trên 50 %")."""
        return self.qualifier in _LOWER or self.qualifier in _UPPER

    def interval(self) -> tuple[float, float, bool, bool]:
        """The values the figure allows: (low, high, low is strict, high is strict)."""
        if self.qualifier in _LOWER:
            return self.value, math.inf, _LOWER[self.qualifier], False
        if self.qualifier in _UPPER:
            return -math.inf, self.value, False, _UPPER[self.qualifier]
        return self.value, self.value, False, False


def published_shares(figures: pd.DataFrame, area: str) -> list[PublishedShare]:
    """The area's published annual TFP shares, by year (period figures are left out).

    Parameters
    ----------
    figures : DataFrame
        Result of :func:`helpers.inputs.province_accounts.load_published_figures` (values in
        percent).
    area : str
        The province, as written in the ``area`` column.

    Returns
    -------
    list of PublishedShare
        One per year (the first row of the file when a year is given twice), sorted.

    Examples
    --------
    >>> figures = pd.DataFrame({
    ...     "area": ["Q", "Q"], "indicator": [PUBLISHED_INDICATOR] * 2, "kind": ["outcome"] * 2,
    ...     "start_year": [2021, 2024], "end_year": [2021, 2024], "value": [43.48, 50.0],
    ...     "qualifier": ["equal", "above"], "source_url": ["a", "b"], "source_date": ["", ""]})
    >>> [(s.year, s.value, s.qualifier) for s in published_shares(figures, "Q")]
    [(2021, 0.4348, 'equal'), (2024, 0.5, 'above')]

    """
    if figures.empty:
        return []
    own = figures[
        (figures["area"] == area)
        & (figures["indicator"] == PUBLISHED_INDICATOR)
        & (figures["kind"] == "outcome")
        & (figures["start_year"] == figures["end_year"])
    ]
    shares: dict[int, PublishedShare] = {}
    for row in own.itertuples():
        year = int(row.start_year)
        if year not in shares:
            shares[year] = PublishedShare(
                year=year,
                value=round(float(row.value) / 100, 10),
                qualifier=str(row.qualifier),
                source_url=str(row.source_url),
                source_date=str(row.source_date),
            )
    return [shares[y] for y in sorted(shares)]


def load_published_shares(data_dir: str | Path, area: str) -> list[PublishedShare]:
    """The published shares of ``data_dir/published_figures.csv`` (none when absent)."""
    from helpers.inputs.province_accounts import load_published_figures

    path = Path(data_dir) / "published_figures.csv"
    if not path.is_file():
        return []
    return published_shares(load_published_figures(path), area)


def _direction(first: PublishedShare, latest: PublishedShare) -> str:
    """``rising``, ``falling``, ``unchanged`` or ``undetermined`` (from latest vs first)."""
    f_low, f_high, f_low_strict, f_high_strict = first.interval()
    l_low, l_high, l_low_strict, l_high_strict = latest.interval()
    if l_low > f_high or (l_low == f_high and (l_low_strict or f_high_strict)):
        return "rising"
    if l_high < f_low or (l_high == f_low and (l_high_strict or f_low_strict)):
        return "falling"
    if not first.is_bound and not latest.is_bound and math.isclose(first.value, latest.value):
        return "unchanged"
    return "undetermined"


_STATUS = {"rising": RISING, "falling": FALLING, "unchanged": UNCHANGED}


def assess_tfp_objective(
    shares: Sequence[PublishedShare] | None, year: int, end_year: int = 2030
) -> dict[str, object]:
    """Judge the TFP objective in ``year`` from the published shares up to that year.

    Parameters
    ----------
    shares : sequence of PublishedShare or None
        The province's published annual shares (any order); figures after ``year`` are
        ignored.
    year : int
        The report year.
    end_year : int
        The objective's last year (the plan's): before it the status is "in progress" and the
        direction is the evidence; from it on, "done" when the share rose, "not achieved"
        when it fell or stayed, "insufficient data" when the direction cannot be told.

    Returns
    -------
    dict
        ``status``, ``rule`` (:data:`RULE`), ``direction`` (``rising``, ``falling``,
        ``unchanged``, ``undetermined``, ``single`` or ``none``), ``actual`` / ``year`` /
        ``qualifier`` / ``source`` / ``source_date`` (the latest published figure), ``baseline`` /
        ``baseline_year`` / ``baseline_qualifier`` (the first published figure),
        ``report_year`` and ``published_in_report_year``.

    Examples
    --------
    43.48 % in 2021 and "above 50 %" in 2024: a rise, although 2025 has no figure.

    >>> shares = [PublishedShare(2021, 0.4348), PublishedShare(2024, 0.50, "above")]
    >>> record = assess_tfp_objective(shares, 2025)
    >>> record["status"], record["direction"], record["year"], record["published_in_report_year"]
    ('in_progress', 'rising', 2024, False)

    """
    known = sorted((s for s in shares or () if s.year <= year), key=lambda s: s.year)
    record: dict[str, object] = {
        "rule": RULE,
        "report_year": year,
        "published_in_report_year": any(s.year == year for s in known),
    }
    if not known:
        record.update(status=NO_DIRECTION, direction="none")
        return record
    first, latest = known[0], known[-1]
    direction = "single" if len(known) == 1 else _direction(first, latest)
    record.update(
        status=_STATUS.get(direction, NO_DIRECTION) if year >= end_year else IN_PROGRESS,
        direction=direction,
        actual=latest.value,
        year=latest.year,
        qualifier=latest.qualifier,
        source=latest.source_url,
        source_date=latest.source_date,
        baseline=first.value,
        baseline_year=first.year,
        baseline_qualifier=first.qualifier,
    )
    return record


def share_text(value: float, qualifier: str, lang: str, decimals: int | None = None) -> str:
    """A published share with its qualifier: ``43,48 %``, ``trên 50 %``, ``khoảng 45 %``.

    ``decimals`` None shows two decimals, or none for a whole percentage (as published).

    Examples
    --------
    >>> share_text(0.5, "above", "vi"), share_text(0.4348, "equal", "en")
    ('trên 50 %', '43.48%')

    """
    if decimals is None:
        decimals = 0 if math.isclose(value * 100, round(value * 100)) else 2
    number = i18n.format_percent(value, lang, decimals)
    if qualifier == "equal":
        return number
    return i18n.t("tfp.qualifier." + qualifier, lang, value=number)


def source_text(url: object, date: object, lang: str) -> str:
    """A source address with its publication date (dd/mm/yyyy in Vietnamese when ISO).

    Examples
    --------
    >>> source_text("https://x.vn/a", "2025-04-14", "vi"), source_text("u", "", "en")
    ('https://x.vn/a, 14/04/2025', 'u')

    """
    text = "" if not _present(url) else str(url)
    if not _present(date) or not str(date):
        return text
    try:
        day = dt.date.fromisoformat(str(date))
    except ValueError:
        return text
    return f"{text}, {i18n.format_date(day, lang)}"


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def rule_text(row: pd.Series | dict, lang: str) -> str:
    """The rule behind the TFP objective's status, in words, with figures and source.

    Parameters
    ----------
    row : Series or dict
        A record of :func:`assess_tfp_objective` (or its row in the assessment table).
    lang : str
        ``vi`` or ``en``.

    Examples
    --------
    >>> record = assess_tfp_objective([PublishedShare(2021, 0.4348, source_url="u")], 2021)
    >>> rule_text(record, "en")  # doctest: +ELLIPSIS
    'Published annual TFP share: 43.48% in 2021 (source: u); a single published point...'

    """
    get = row.get
    report_year = int(get("report_year"))  # type: ignore[arg-type]
    if not _present(get("actual")):
        return i18n.t("tfp.rule_none", lang, year=report_year)
    parts = []
    latest_year = int(get("year"))  # type: ignore[arg-type]
    if not get("published_in_report_year"):
        parts.append(i18n.t("tfp.rule_not_yet", lang, year=report_year, latest=latest_year))
    latest = share_text(float(get("actual")), str(get("qualifier")), lang)  # type: ignore[arg-type]
    source = source_text(get("source"), get("source_date"), lang)
    if get("direction") == "single":
        parts.append(i18n.t("tfp.rule_single", lang, value=latest, year=latest_year, source=source))
    else:
        first = share_text(
            float(get("baseline")),  # type: ignore[arg-type]
            str(get("baseline_qualifier")),
            lang,
        )
        parts.append(
            i18n.t(
                "tfp.rule_direction",
                lang,
                value=latest,
                year=latest_year,
                first=first,
                first_year=int(get("baseline_year")),  # type: ignore[arg-type]
                direction=i18n.t("tfp.direction." + str(get("direction")), lang),
                source=source,
            )
        )
    return " ".join(parts)
