"""The TFP criteria set (Bộ tiêu chí đánh giá TFP) for enterprises and for the province.

The criteria live in a YAML file that the province can edit
(``data/criteria/tfp_criteria.yaml``; its header documents the format). Each criterion
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

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from helpers import config
from helpers.errors import InputError, InputProblem
from helpers.programme.tfp_objective import PublishedShare

#: Default location of the criteria file (editable by the province).
DEFAULT_CRITERIA_PATH = config.DATA_DIR / "criteria" / "tfp_criteria.yaml"

LEVELS = ("enterprise", "province")
RULE_KINDS = ("linear", "linear_by_year", "percentile_rank")
UNITS = ("share", "growth_rate", "count", "log")
STATUSES = ("target", "method", "provisional")
WEIGHT_TOLERANCE = 1e-9

_CRITERION_KEYS = {
    "code",
    "name_vi",
    "name_en",
    "indicator",
    "unit",
    "weight",
    "rule",
    "status",
    "basis_vi",
    "basis_en",
}
_REQUIRED_CRITERION_KEYS = _CRITERION_KEYS - {"basis_vi", "basis_en"}
_RULE_KEYS = {
    "linear": {"kind", "floor", "ceiling"},
    "linear_by_year": {"kind", "floor", "ceilings"},
    "percentile_rank": {"kind", "within", "within_vi", "within_en"},
}
_REQUIRED_RULE_KEYS = {
    "linear": {"floor", "ceiling"},
    "linear_by_year": {"floor", "ceilings"},
    "percentile_rank": set(),
}


# ----------------------------------------------------------------------------------------
# Rules
# ----------------------------------------------------------------------------------------


def _format_number(value: float, unit: str, lang: str) -> str:
    """Format a threshold for the rule text: shares and rates as percentages."""
    if unit in ("share", "growth_rate"):
        text = f"{round(value * 100, 4):g}"
        suffix = {"share": " %", "growth_rate": {"vi": " %/năm", "en": " %/yr"}[lang]}[unit]
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
            raise InputError(
                [
                    InputProblem(
                        "criteria data",
                        "a year-dependent criterion needs the year",
                        column="year",
                        expected="a 'year' column or a year index",
                    )
                ]
            )
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
            raise InputError(
                [
                    InputProblem(
                        "criteria data",
                        "column needed to rank within groups is missing",
                        column=self.within,
                    )
                ]
            )
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


class _Problems:
    """Collect the problems found in the criteria file, each with its key path."""

    def __init__(self, source: str):
        self.source = source
        self.items: list[InputProblem] = []

    def add(self, where: str, message: str, value: object = None, expected: str | None = None):
        self.items.append(
            InputProblem(
                self.source,
                message,
                column=where,
                value=None if value is None else str(value),
                expected=expected,
            )
        )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _parse_rule(raw: object, where: str, problems: _Problems) -> Rule | None:
    if not isinstance(raw, Mapping):
        problems.add(where, "rule must be a mapping with a 'kind'", raw)
        return None
    kind = raw.get("kind")
    if kind not in RULE_KINDS:
        problems.add(f"{where}.kind", "unknown rule kind", kind, f"one of {', '.join(RULE_KINDS)}")
        return None
    for key in sorted(set(raw) - _RULE_KEYS[kind]):
        problems.add(f"{where}.{key}", f"unknown key for a {kind} rule", key)
    for key in sorted(_REQUIRED_RULE_KEYS[kind] - set(raw)):
        problems.add(f"{where}.{key}", f"missing key for a {kind} rule")
    if kind == "percentile_rank":
        labels = {key: raw.get(key) for key in ("within", "within_vi", "within_en")}
        for key, label in labels.items():
            if label is not None and (not isinstance(label, str) or not label.strip()):
                problems.add(f"{where}.{key}", "must be a column name or label (text)", label)
        return PercentileRankRule(**labels)
    floor = raw.get("floor")
    if "floor" in raw and not _is_number(floor):
        problems.add(f"{where}.floor", "floor must be a number", floor)
        return None
    if kind == "linear":
        return _parse_linear(raw, floor, where, problems)
    return _parse_linear_by_year(raw, floor, where, problems)


def _parse_linear(raw: Mapping, floor: Any, where: str, problems: _Problems) -> Rule | None:
    ceiling = raw.get("ceiling")
    if "ceiling" not in raw or "floor" not in raw:
        return None
    if not _is_number(ceiling):
        problems.add(f"{where}.ceiling", "ceiling must be a number", ceiling)
        return None
    if ceiling == floor:
        problems.add(f"{where}.ceiling", "ceiling must differ from floor", ceiling)
        return None
    return LinearRule(float(floor), float(ceiling))


def _parse_linear_by_year(raw: Mapping, floor: Any, where: str, problems: _Problems) -> Rule | None:
    ceilings = raw.get("ceilings")
    if "ceilings" not in raw or "floor" not in raw:
        return None
    if not isinstance(ceilings, Mapping) or not ceilings:
        problems.add(f"{where}.ceilings", "ceilings must map years to values", ceilings)
        return None
    steps = []
    for year, value in ceilings.items():
        if not isinstance(year, int) or isinstance(year, bool):
            problems.add(f"{where}.ceilings", "ceiling key must be a year", year)
        elif not _is_number(value) or value == floor:
            problems.add(
                f"{where}.ceilings.{year}", "ceiling must be a number other than floor", value
            )
        else:
            steps.append((year, float(value)))
    if len(steps) != len(ceilings):
        return None
    return LinearByYearRule(float(floor), tuple(sorted(steps)))


def _parse_criterion(raw: object, where: str, problems: _Problems) -> Criterion | None:
    if not isinstance(raw, Mapping):
        problems.add(where, "criterion must be a mapping", raw)
        return None
    for key in sorted(set(raw) - _CRITERION_KEYS):
        problems.add(f"{where}.{key}", "unknown key", key, ", ".join(sorted(_CRITERION_KEYS)))
    missing = sorted(_REQUIRED_CRITERION_KEYS - set(raw))
    for key in missing:
        problems.add(f"{where}.{key}", "missing key")
    for key in ("code", "name_vi", "name_en", "indicator"):
        if key in raw and (not isinstance(raw[key], str) or not raw[key].strip()):
            problems.add(f"{where}.{key}", "must be a non-empty text", raw[key])
    weight = raw.get("weight")
    if "weight" in raw and (not _is_number(weight) or not 0 < weight <= 1):
        problems.add(f"{where}.weight", "weight must be a number in (0, 1]", weight)
    if "unit" in raw and raw["unit"] not in UNITS:
        problems.add(f"{where}.unit", "unknown unit", raw["unit"], ", ".join(UNITS))
    if "status" in raw and raw["status"] not in STATUSES:
        problems.add(f"{where}.status", "unknown status", raw["status"], ", ".join(STATUSES))
    rule = _parse_rule(raw.get("rule"), f"{where}.rule", problems) if "rule" in raw else None
    if missing or rule is None:
        return None
    return Criterion(
        code=str(raw["code"]),
        name_vi=str(raw["name_vi"]),
        name_en=str(raw["name_en"]),
        indicator=str(raw["indicator"]),
        unit=str(raw["unit"]),
        weight=float(weight) if _is_number(weight) else math.nan,
        rule=rule,
        status=str(raw["status"]),
        basis_vi=" ".join(str(raw.get("basis_vi", "")).split()),
        basis_en=" ".join(str(raw.get("basis_en", "")).split()),
    )


def _parse_level(raw: object, level: str, problems: _Problems) -> tuple[Criterion, ...]:
    where = f"levels.{level}"
    if not isinstance(raw, Mapping) or not isinstance(raw.get("criteria"), list):
        problems.add(f"{where}.criteria", "level must hold a list of criteria")
        return ()
    if not raw["criteria"]:
        problems.add(f"{where}.criteria", "level has no criteria")
        return ()
    parsed = [
        _parse_criterion(item, f"{where}.criteria[{number}]", problems)
        for number, item in enumerate(raw["criteria"])
    ]
    codes = [str(item.get("code")) for item in raw["criteria"] if isinstance(item, Mapping)]
    for code in sorted({code for code in codes if codes.count(code) > 1}):
        problems.add(f"{where}.criteria", "criterion code used twice", code)
    weights = [item.get("weight") for item in raw["criteria"] if isinstance(item, Mapping)]
    if all(_is_number(weight) for weight in weights):
        total = math.fsum(weights)
        if abs(total - 1.0) > WEIGHT_TOLERANCE:
            problems.add(
                f"{where}.criteria[*].weight",
                f"weights sum to {total:g}, not 1",
                total,
                "weights summing to 1 within the level",
            )
    return tuple(criterion for criterion in parsed if criterion is not None)


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
        (for example ``levels.province.criteria[2].weight``).

    """
    problems = _Problems(source)
    if not isinstance(document, Mapping):
        problems.add("(file)", "the file must hold a mapping with 'levels'")
        raise InputError(problems.items)
    levels = document.get("levels")
    if not isinstance(levels, Mapping):
        problems.add("levels", "missing or not a mapping", expected="enterprise and province")
        raise InputError(problems.items)
    for name in sorted(set(levels) - set(LEVELS)):
        problems.add(f"levels.{name}", "unknown level", name, ", ".join(LEVELS))
    parsed = {name: _parse_level(levels.get(name), name, problems) for name in LEVELS}
    if problems.items:
        raise InputError(problems.items)
    return CriteriaSet(
        name_vi=str(document.get("name_vi", "")),
        name_en=str(document.get("name_en", "")),
        enterprise=parsed["enterprise"],
        province=parsed["province"],
        source=source,
    )


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
    '0 points at or below 0 %, 100 points at or above the target 45 % (from 2021), 50 % (from 2026), linear in between.'

    """  # noqa: E501
    path = Path(path) if path is not None else DEFAULT_CRITERIA_PATH
    if not path.is_file():
        raise InputError([InputProblem(path.name, "criteria file not found", value=str(path))])
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError([InputProblem(path.name, f"not valid YAML: {error}", row=row)]) from error
    return parse_criteria(document, source=path.name)


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
    problems = [
        InputProblem(source, f"indicator of criterion {c.code} is missing", column=c.indicator)
        for c in criteria
        if c.indicator not in data.columns
    ]
    problems += [
        InputProblem(source, f"indicator of criterion {c.code} is not numeric", column=c.indicator)
        for c in criteria
        if c.indicator in data.columns and not pd.api.types.is_numeric_dtype(data[c.indicator])
    ]
    if problems:
        raise InputError(problems)


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
