"""The TFP criteria set (Bộ tiêu chí đánh giá TFP) for enterprises and for the province.

The criteria live in a YAML file that the province can edit
(``data/criteria/tfp_criteria.yaml``; its header documents the format), read and checked by
:mod:`helpers.inputs.criteria_file`. Each criterion
has a code, names in Vietnamese and English, the indicator (column) it reads, a weight, a
scoring rule and the basis of its threshold. Each criterion is scored from 0 to 100; the
total is the weighted sum (weights sum to 1 within a level). An entity with a missing
indicator value gets no total, rather than a total silently computed on fewer criteria.

Scoring rules
-------------
``linear``
    ``100 * (value - floor) / (ceiling - floor)``, clipped to 0..100.
``linear_by_year``
    The same with a ceiling that changes with the year (``ceilings`` maps the first year a
    ceiling applies to its value); the data need a ``year`` column (or year index).
``percentile_rank``
    Per cent of the entities of the same group (``within``) and year with a lower value,
    ties counting half: ``100 * (below + 0.5 * equal) / n`` where ``equal`` includes the
    entity itself, so a group of one scores 50 and the best of ten scores 95.

Examples
--------
>>> criteria = load_criteria()
>>> [c.code for c in criteria.province]
['T1-TFP-DONG-GOP', 'T2-NSLD-TANG', 'T3-DN-AP-DUNG', 'T4-MO-HINH-DIEM', 'T5-CHUYEN-GIA']

"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import config
from helpers.inputs.criteria_file import (
    LEVELS,
    RULE_KINDS,
    STATUSES,
    UNITS,
    WEIGHT_TOLERANCE,
    CriteriaFile,
    CriterionEntry,
    LinearByYearEntry,
    LinearEntry,
    parse_criteria_document,
    read_criteria_file,
)
from helpers.problems import Problems
from helpers.programme.tfp_objective import PublishedShare

__all__ = [
    "DEFAULT_CRITERIA_PATH",
    "LEVELS",
    "RULE_KINDS",
    "STATUSES",
    "UNITS",
    "WEIGHT_TOLERANCE",
    "CriteriaSet",
    "Criterion",
    "LinearByYearRule",
    "LinearRule",
    "PercentileRankRule",
    "Rule",
    "Scorecard",
    "load_criteria",
    "parse_criteria",
    "published_tfp_share_values",
    "score_enterprises",
    "score_level",
    "score_province",
]

#: Default location of the criteria file (editable by the province).
DEFAULT_CRITERIA_PATH = config.DATA_DIR / "criteria" / "tfp_criteria.yaml"

# ----------------------------------------------------------------------------------------
# Rules
# ----------------------------------------------------------------------------------------


def _format_number(value: float, unit: str, lang: str) -> str:
    """Format a threshold for the rule text: shares and rates as percentages."""
    if unit in ("share", "growth_rate"):
        text = f"{round(value * 100, 4):g}"
        percent = " %" if lang == "vi" else "%"  # "12,5 %" in Vietnamese, "12.5%" in English
        suffix = percent + {"share": "", "growth_rate": {"vi": "/năm", "en": "/yr"}[lang]}[unit]
    else:
        text, suffix = f"{value:g}", ""
    if lang == "vi":
        text = text.replace(".", ",")
    return text + suffix


def _linear_score(values: pd.Series, floor: float, ceiling: pd.Series | float) -> pd.Series:
    position = (values - floor) / (ceiling - floor)
    return (position.clip(lower=0.0, upper=1.0) * 100.0).astype(float)


@dataclass(frozen=True)
class LinearRule:
    """Score 0 at ``floor``, 100 at ``ceiling``, linear in between (clipped)."""

    floor: float
    ceiling: float

    kind = "linear"

    def score(self, values: pd.Series, data: pd.DataFrame, years: pd.Series | None) -> pd.Series:
        """Return the 0–100 score of each value."""
        return _linear_score(values.astype(float), self.floor, self.ceiling)

    def describe(self, unit: str, lang: str) -> str:
        """Return the rule as a sentence in ``lang``."""
        low, high = (_format_number(v, unit, lang) for v in (self.floor, self.ceiling))
        if lang == "vi":
            return f"0 điểm khi ≤ {low}; 100 điểm khi ≥ {high}; tuyến tính ở giữa."
        return f"0 points at or below {low}, 100 points at or above {high}, linear in between."


@dataclass(frozen=True)
class LinearByYearRule:
    """Linear rule whose ceiling is a step function of the year."""

    floor: float
    ceilings: tuple[tuple[int, float], ...]

    kind = "linear_by_year"

    def ceiling_for(self, years: pd.Series) -> pd.Series:
        """Return the ceiling applying to each year (the first one before the first key)."""
        starts = np.array([start for start, _ in self.ceilings])
        values = np.array([value for _, value in self.ceilings], dtype=float)
        position = np.searchsorted(starts, years.to_numpy(dtype=float), side="right") - 1
        return pd.Series(values[np.clip(position, 0, None)], index=years.index)

    def score(self, values: pd.Series, data: pd.DataFrame, years: pd.Series | None) -> pd.Series:
        """Return the 0–100 score of each value against its year's ceiling."""
        if years is None:
            found = Problems("criteria data")
            found.add(
                "criteria_needs_year",
                column="year",
                expected=found.expected("criteria_year_column"),
            )
            found.raise_if_errors()
        return _linear_score(values.astype(float), self.floor, self.ceiling_for(years))

    def describe(self, unit: str, lang: str) -> str:
        """Return the rule as a sentence in ``lang``."""
        low = _format_number(self.floor, unit, lang)
        if lang == "vi":
            steps = ", ".join(
                f"{_format_number(v, unit, lang)} (từ năm {start})" for start, v in self.ceilings
            )
            return f"0 điểm khi ≤ {low}; 100 điểm khi đạt mức mục tiêu {steps}; tuyến tính ở giữa."
        steps = ", ".join(
            f"{_format_number(v, unit, lang)} (from {start})" for start, v in self.ceilings
        )
        return (
            f"0 points at or below {low}, 100 points at or above the target {steps}, "
            "linear in between."
        )


@dataclass(frozen=True)
class PercentileRankRule:
    """Percentile rank (ties count half) within the groups of column ``within``."""

    within: str | None = None
    within_vi: str | None = None
    within_en: str | None = None

    kind = "percentile_rank"

    def score(self, values: pd.Series, data: pd.DataFrame, years: pd.Series | None) -> pd.Series:
        """Return the percentile rank (0–100) of each value within its group and year."""
        keys = [] if years is None else [years.rename("_year")]
        if self.within is not None and self.within not in data.columns:
            found = Problems("criteria data")
            found.add("criteria_group_missing", column=self.within)
            found.raise_if_errors()
        if self.within is not None:
            keys.append(data[self.within])
        if not keys:
            return _percentile_rank(values)
        grouped = values.groupby(keys, sort=False, dropna=False)
        return grouped.transform(_percentile_rank)

    def describe(self, unit: str, lang: str) -> str:
        """Return the rule as a sentence in ``lang``."""
        if lang == "vi":
            group = f" trong cùng {self.within_vi or self.within}" if self.within else ""
            return (
                f"Thứ hạng phần trăm{group}: điểm = tỷ lệ % đơn vị có giá trị thấp hơn "
                "(giá trị bằng nhau tính một nửa)."
            )
        group = f" within the same {self.within_en or self.within}" if self.within else ""
        return (
            f"Percentile rank{group}: score = per cent of units with a lower value "
            "(equal values count half)."
        )


Rule = LinearRule | LinearByYearRule | PercentileRankRule


def _percentile_rank(values: pd.Series) -> pd.Series:
    """Mid-rank percentile: 100 * (below + 0.5 * equal) / n over non-missing values."""
    present = values.dropna().to_numpy(dtype=float)
    ranks = pd.Series(np.nan, index=values.index, dtype=float)
    if present.size == 0:
        return ranks
    ordered = np.sort(present)
    observed = values.notna()
    points = values[observed].to_numpy(dtype=float)
    below = np.searchsorted(ordered, points, side="left")
    not_above = np.searchsorted(ordered, points, side="right")
    ranks[observed] = 100.0 * (below + 0.5 * (not_above - below)) / present.size
    return ranks


# ----------------------------------------------------------------------------------------
# Criteria
# ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """One criterion of the set."""

    code: str
    name_vi: str
    name_en: str
    indicator: str
    unit: str
    weight: float
    rule: Rule
    status: str
    basis_vi: str = ""
    basis_en: str = ""

    def rule_text(self, lang: str = "vi") -> str:
        """Return the scoring rule as a sentence in ``lang`` ("vi" or "en")."""
        return self.rule.describe(self.unit, lang)


@dataclass(frozen=True)
class CriteriaSet:
    """The criteria of both levels, as read from the YAML file."""

    name_vi: str
    name_en: str
    enterprise: tuple[Criterion, ...]
    province: tuple[Criterion, ...]
    source: str = ""

    def level(self, name: str) -> tuple[Criterion, ...]:
        """Return the criteria of ``name`` ("enterprise" or "province")."""
        if name not in LEVELS:
            raise ValueError(f"unknown level {name!r}; expected one of {LEVELS}")
        return getattr(self, name)


@dataclass(frozen=True)
class Scorecard:
    """Scores of a level.

    Attributes
    ----------
    scores : DataFrame
        Same index as the data; one column per criterion code (0–100) and ``total``
        (weighted sum, NaN when a criterion has no value).
    rules : DataFrame
        One row per criterion: ``code``, ``name_vi``, ``name_en``, ``indicator``,
        ``weight``, ``rule_vi``, ``rule_en``, ``status``, ``basis_vi``, ``basis_en``.

    """

    scores: pd.DataFrame
    rules: pd.DataFrame

    def long(self) -> pd.DataFrame:
        """Return one row per entity and criterion, with the weighted contribution."""
        codes = self.rules["code"].tolist()
        index_names = [name or "index" for name in (self.scores.index.names or ["index"])]
        stacked = self.scores[codes].rename_axis(index_names).reset_index()
        long = stacked.melt(id_vars=index_names, var_name="code", value_name="score")
        long = long.merge(self.rules[["code", "weight", "name_vi", "name_en"]], on="code")
        long["weighted_score"] = long["score"] * long["weight"]
        return long


# ----------------------------------------------------------------------------------------
# Loading and validation
# ----------------------------------------------------------------------------------------


def _rule(entry: CriterionEntry) -> Rule:
    """The scoring rule of a validated criterion."""
    rule = entry.rule
    if isinstance(rule, LinearEntry):
        return LinearRule(rule.floor, rule.ceiling)
    if isinstance(rule, LinearByYearEntry):
        return LinearByYearRule(rule.floor, tuple(sorted(rule.ceilings.items())))
    return PercentileRankRule(rule.within, rule.within_vi, rule.within_en)


def _criterion(entry: CriterionEntry) -> Criterion:
    """A validated criterion, ready to score (the basis texts on one line)."""
    return Criterion(
        code=entry.code,
        name_vi=entry.name_vi,
        name_en=entry.name_en,
        indicator=entry.indicator,
        unit=entry.unit,
        weight=float(entry.weight),
        rule=_rule(entry),
        status=entry.status,
        basis_vi=" ".join(entry.basis_vi.split()),
        basis_en=" ".join(entry.basis_en.split()),
    )


def _criteria_set(model: CriteriaFile, source: str) -> CriteriaSet:
    levels = {
        name: tuple(_criterion(entry) for entry in getattr(model.levels, name).criteria)
        for name in LEVELS
    }
    return CriteriaSet(
        name_vi=model.name_vi,
        name_en=model.name_en,
        enterprise=levels["enterprise"],
        province=levels["province"],
        source=source,
    )


def parse_criteria(document: object, source: str = "criteria") -> CriteriaSet:
    """Build a :class:`CriteriaSet` from parsed YAML, listing every problem at once.

    Parameters
    ----------
    document : object
        The YAML document (a mapping).
    source : str
        File name used in error messages.

    Returns
    -------
    CriteriaSet

    Raises
    ------
    InputError
        With one :class:`~helpers.errors.InputProblem` per problem, located by key path
        (for example ``levels.province.criteria[2].weight``); see
        :func:`helpers.inputs.criteria_file.parse_criteria_document`.

    """
    return _criteria_set(parse_criteria_document(document, source), source)


def load_criteria(path: str | Path | None = None) -> CriteriaSet:
    """Read and validate the criteria file.

    Parameters
    ----------
    path : str or Path, optional
        YAML file; defaults to ``data/criteria/tfp_criteria.yaml`` of the project.

    Returns
    -------
    CriteriaSet

    Raises
    ------
    InputError
        When the file is missing, is not valid YAML, or breaks the format (unknown rule
        kind, weights not summing to 1, ...), listing every problem.

    Examples
    --------
    >>> criteria = load_criteria()
    >>> round(sum(c.weight for c in criteria.enterprise), 12)
    1.0
    >>> criteria.province[0].rule_text("en")
    '0 points at or below 0%, 100 points at or above the target 45% (from 2021), 50% (from 2026), linear in between.'

    """  # noqa: E501
    path = Path(path) if path is not None else DEFAULT_CRITERIA_PATH
    return _criteria_set(read_criteria_file(path), path.name)


# ----------------------------------------------------------------------------------------
# Scoring
# ----------------------------------------------------------------------------------------


def _years_of(data: pd.DataFrame, year_column: str) -> pd.Series | None:
    if year_column in data.columns:
        return data[year_column]
    if data.index.name == year_column:
        return pd.Series(data.index, index=data.index)
    return None


def _rules_frame(criteria: tuple[Criterion, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "code": c.code,
                "name_vi": c.name_vi,
                "name_en": c.name_en,
                "indicator": c.indicator,
                "weight": c.weight,
                "rule_vi": c.rule_text("vi"),
                "rule_en": c.rule_text("en"),
                "status": c.status,
                "basis_vi": c.basis_vi,
                "basis_en": c.basis_en,
            }
            for c in criteria
        ]
    )


def _check_indicators(data: pd.DataFrame, criteria: tuple[Criterion, ...], source: str) -> None:
    found = Problems(source)
    for c in criteria:
        if c.indicator not in data.columns:
            found.add("criteria_indicator_missing", column=c.indicator, code=c.code)
    for c in criteria:
        if c.indicator in data.columns and not pd.api.types.is_numeric_dtype(data[c.indicator]):
            found.add("criteria_indicator_not_numeric", column=c.indicator, code=c.code)
    found.raise_if_errors()


def score_level(
    data: pd.DataFrame,
    criteria: tuple[Criterion, ...],
    *,
    year_column: str = "year",
    source: str = "criteria data",
) -> Scorecard:
    """Score every row of ``data`` on ``criteria`` (0–100) and total the weighted scores.

    Parameters
    ----------
    data : DataFrame
        One row per entity, with a column per criterion indicator (and the grouping
        columns of percentile rules, and ``year_column`` for year-dependent rules).
    criteria : tuple of Criterion
        The criteria of one level.
    year_column : str
        Year column (or index name) used by ``linear_by_year`` rules; percentile ranks are
        computed within each year when it is present.
    source : str
        Name of the data used in error messages.

    Returns
    -------
    Scorecard

    """
    _check_indicators(data, criteria, source)
    years = _years_of(data, year_column)
    scores = pd.DataFrame(index=data.index)
    for criterion in criteria:
        values = data[criterion.indicator].astype(float)
        scores[criterion.code] = criterion.rule.score(values, data, years)
    weights = pd.Series({c.code: c.weight for c in criteria})
    weighted = scores[weights.index].mul(weights, axis=1)
    scores["total"] = weighted.sum(axis=1, min_count=len(weights)).where(
        scores[weights.index].notna().all(axis=1)
    )
    return Scorecard(scores=scores, rules=_rules_frame(criteria))


def score_enterprises(
    frame: pd.DataFrame, criteria: CriteriaSet, *, year_column: str = "year"
) -> Scorecard:
    """Score enterprises on the enterprise criteria.

    Parameters
    ----------
    frame : DataFrame
        One row per enterprise (for one year, or per enterprise-year with a ``year``
        column): ``sector``, ``log_tfp``, ``tfp_growth``, ``labour_productivity_growth``
        (fractions a year), ``tools_applied``, ``certifications`` - the indicator names of
        the criteria file.
    criteria : CriteriaSet
        From :func:`load_criteria`.
    year_column : str
        Year column used by year-dependent rules; percentile ranks are computed within
        sector and year, so several years can be scored at once.

    Returns
    -------
    Scorecard
        ``scores`` keeps the index of ``frame``.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "year": [2024, 2024], "sector": ["C10", "C10"], "log_tfp": [0.1, 0.3],
    ...     "tfp_growth": [0.01, 0.02], "labour_productivity_growth": [0.07, 0.035],
    ...     "tools_applied": [5, 1], "certifications": [0, 3],
    ... }, index=["A", "B"])
    >>> score_enterprises(frame, load_criteria()).scores.round(1)
       DN1-TFP-MUC  DN2-TFP-TANG  DN3-NSLD-TANG  DN4-CONG-CU  DN5-CHUNG-NHAN  total
    A         25.0          25.0          100.0        100.0             0.0   47.5
    B         75.0          75.0           50.0         20.0           100.0   65.5

    """
    return score_level(frame, criteria.enterprise, year_column=year_column, source="enterprises")


def score_province(
    values_by_year: pd.DataFrame, criteria: CriteriaSet, *, year_column: str = "year"
) -> Scorecard:
    """Score the province on the province criteria, one row per year.

    Parameters
    ----------
    values_by_year : DataFrame
        Index named ``year`` (or a ``year`` column): ``tfp_share`` (fraction of GRDP
        growth), ``labour_productivity_growth`` (fraction a year),
        ``share_enterprises_applying_tools`` (fraction), ``pilot_models`` (cumulative in
        the phase) and ``experts_certified`` (cumulative).
    criteria : CriteriaSet
        From :func:`load_criteria`.
    year_column : str
        Year column or index name.

    Returns
    -------
    Scorecard
        ``scores`` keeps the index of ``values_by_year``.

    Examples
    --------
    >>> values = pd.DataFrame({
    ...     "tfp_share": [0.45, 0.25], "labour_productivity_growth": [0.035, 0.075],
    ...     "share_enterprises_applying_tools": [0.01, 0.05], "pilot_models": [5, 5],
    ...     "experts_certified": [20, 20],
    ... }, index=pd.Index([2024, 2026], name="year"))
    >>> score_province(values, load_criteria()).scores["total"].round(2).tolist()
    [68.0, 71.25]

    """
    return score_level(
        values_by_year, criteria.province, year_column=year_column, source="province values"
    )


# ----------------------------------------------------------------------------------------
# Criterion T1 (TFP share): the province's published figure, or no data
# ----------------------------------------------------------------------------------------

#: Indicator of criterion T1 in the criteria file.
TFP_SHARE_INDICATOR = "tfp_share"


def published_tfp_share_values(
    shares: Sequence[PublishedShare], years: Sequence[int], criteria: CriteriaSet
) -> pd.Series:
    """The value criterion T1 (``tfp_share``) scores in each year: the published figure only.

    The project's own growth-accounting estimate never feeds a criteria score. A year
    without a published annual share has no value (so the province gets no total that
    year). A published bound ("trên 50 %") is used only when every value it allows earns the
    same score: a lower bound at or above the year's ceiling scores 100, an upper bound at or
    below the floor scores 0; otherwise the year has no value.

    Parameters
    ----------
    shares : sequence of PublishedShare
        The province's published annual shares
        (:func:`helpers.programme.tfp_objective.published_shares`).
    years : sequence of int
        The years to score.
    criteria : CriteriaSet
        The criteria set; its province criterion reading ``tfp_share`` gives the rule.

    Returns
    -------
    Series
        Indexed by year (named ``year``), fractions, NaN where there is no usable figure.

    Examples
    --------
    >>> from helpers.programme.tfp_objective import PublishedShare
    >>> shares = [PublishedShare(2021, 0.4348), PublishedShare(2024, 0.50, "above")]
    >>> published_tfp_share_values(shares, [2021, 2022, 2024, 2025], load_criteria()).tolist()
    [0.4348, nan, 0.5, nan]

    """
    index = pd.Index([int(y) for y in years], name="year")
    values = pd.Series(np.nan, index=index, dtype=float)
    criterion = next((c for c in criteria.province if c.indicator == TFP_SHARE_INDICATOR), None)
    by_year = {s.year: s for s in shares}
    for year in index:
        share = by_year.get(int(year))
        if share is None:
            continue
        if not share.is_bound:
            values[year] = share.value
            continue
        if criterion is None:
            continue
        frame = pd.DataFrame({TFP_SHARE_INDICATOR: [share.value]}, index=pd.Index([year]))
        score = float(
            criterion.rule.score(frame[TFP_SHARE_INDICATOR], frame, pd.Series([year], [year]))[year]
        )
        lower = share.qualifier in ("above", "at_least")
        if (lower and score >= 100) or (not lower and score <= 0):
            values[year] = share.value
    return values
