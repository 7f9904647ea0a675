"""The TFP criteria file: its pydantic models and its reader.

The file (``data/criteria/tfp_criteria.yaml``; its header documents the format) holds the
criteria of two levels, ``enterprise`` and ``province``. Each criterion has a code, names in
Vietnamese and English, the indicator it reads, a unit, a weight, a scoring rule, a status
and the basis of its threshold. :func:`read_criteria_file` validates the file with the models
below and lists every problem at once, each located by its key path (for example
``levels.province.criteria[2].weight``) and told in the words of the problem catalogue.
The scoring lives in :mod:`helpers.tfp.criteria`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from helpers.errors import InputError
from helpers.problems import Problems, load_yaml

__all__ = [
    "LEVELS",
    "RULE_KINDS",
    "STATUSES",
    "UNITS",
    "WEIGHT_TOLERANCE",
    "CriteriaFile",
    "CriterionEntry",
    "LevelEntry",
    "LinearByYearEntry",
    "LinearEntry",
    "PercentileRankEntry",
    "parse_criteria_document",
    "read_criteria_file",
]

#: The levels of the criteria set.
LEVELS = ("enterprise", "province")
#: The scoring rules.
RULE_KINDS = ("linear", "linear_by_year", "percentile_rank")
#: Units of the indicators.
UNITS = ("share", "growth_rate", "count", "log")
#: What a criterion's threshold rests on.
STATUSES = ("target", "method", "provisional")
#: How far the weights of a level may sum from 1.
WEIGHT_TOLERANCE = 1e-9


def _non_empty(text: str) -> str:
    if not text.strip():
        raise PydanticCustomError("criteria_text", "must be a non-empty text")
    return text


#: Text that is not only blanks (kept as written).
Text = Annotated[StrictStr, AfterValidator(_non_empty)]
#: A finite number (an integer is accepted; text and booleans are not).
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LinearEntry(_Entry):
    """``linear``: 0 points at ``floor``, 100 at ``ceiling``, linear in between."""

    kind: Literal["linear"]
    floor: Number
    ceiling: Number

    @model_validator(mode="after")
    def _ceiling_differs(self) -> LinearEntry:
        if self.ceiling == self.floor:
            raise PydanticCustomError("criteria_ceiling_equals_floor", "ceiling equals floor")
        return self


class LinearByYearEntry(_Entry):
    """``linear_by_year``: a linear rule whose ceiling changes in the years of ``ceilings``."""

    kind: Literal["linear_by_year"]
    floor: Number
    ceilings: Annotated[dict[StrictInt, Number], Field(min_length=1)]

    @model_validator(mode="after")
    def _ceilings_differ(self) -> LinearByYearEntry:
        years = [year for year, value in self.ceilings.items() if value == self.floor]
        if years:
            raise PydanticCustomError(
                "criteria_ceilings_equal_floor", "a ceiling equals floor", {"years": years}
            )
        return self


class PercentileRankEntry(_Entry):
    """``percentile_rank``: rank within the groups of the column ``within``."""

    kind: Literal["percentile_rank"]
    within: Text | None = None
    within_vi: Text | None = None
    within_en: Text | None = None


class CriterionEntry(_Entry):
    """One criterion as written in the file."""

    code: Text
    name_vi: Text
    name_en: Text
    indicator: Text
    unit: Literal["share", "growth_rate", "count", "log"]
    weight: Annotated[float, Field(strict=True, gt=0, le=1)]
    rule: Annotated[
        LinearEntry | LinearByYearEntry | PercentileRankEntry, Field(discriminator="kind")
    ]
    status: Literal["target", "method", "provisional"]
    basis_vi: StrictStr = ""
    basis_en: StrictStr = ""


class LevelEntry(BaseModel):
    """The criteria of one level (other keys, such as the level's names, are ignored)."""

    model_config = ConfigDict(frozen=True)

    criteria: Annotated[list[CriterionEntry], Field(min_length=1)]


class _Levels(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    enterprise: LevelEntry
    province: LevelEntry


class CriteriaFile(BaseModel):
    """The whole criteria file (other top-level keys, such as ``version``, are ignored)."""

    model_config = ConfigDict(frozen=True)

    name_vi: str = ""
    name_en: str = ""
    levels: _Levels


# --------------------------------------------------------------------------------------
# Validation errors → located problems
# --------------------------------------------------------------------------------------

_CRITERION_KEYS = ", ".join(sorted(CriterionEntry.model_fields))
#: Problem kinds of a field whose value is not accepted, by the field's name.
_FIELD_KINDS = {
    "weight": "criteria_weight",
    "floor": "criteria_floor",
    "ceiling": "criteria_ceiling",
    "ceilings": "criteria_ceilings",
    "unit": "criteria_unit",
    "status": "criteria_status",
    "basis_vi": "criteria_text",
    "basis_en": "criteria_text",
}
_EXPECTED_CODES = {"unit": UNITS, "status": STATUSES}


def key_path(loc: Iterable[str | int]) -> str:
    """The key path of a pydantic location: ``levels.province.criteria[2].weight``.

    The tag of the rule's kind, which pydantic inserts after ``rule``, is left out.

    Examples
    --------
    >>> key_path(("levels", "province", "criteria", 2, "rule", "linear", "ceiling"))
    'levels.province.criteria[2].rule.ceiling'

    """
    path = ""
    previous: str | int | None = None
    for part in loc:
        if previous == "rule" and part in RULE_KINDS:
            previous = part
            continue
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
        previous = part
    return path


def _rule_kind(loc: tuple) -> str | None:
    for before, part in itertools.pairwise(loc):
        if before == "rule" and part in RULE_KINDS:
            return str(part)
    return None


def _level_list(loc: tuple, kind: str) -> bool:
    """A level absent, not a mapping, or whose ``criteria`` is not a list."""
    if (
        len(loc) == 2
        and loc[0] == "levels"
        and kind in {"missing", "model_type", "model_attributes_type"}
    ):
        return True
    return len(loc) == 3 and loc[0] == "levels" and loc[2] == "criteria" and kind != "too_short"


def _add_error(error: Mapping[str, Any], found: Problems) -> None:
    """Add the problem a pydantic error stands for (one or more for a grouped error)."""
    loc, kind = tuple(error["loc"]), str(error["type"])
    value: Any = error.get("input")
    where = key_path(loc)
    last = loc[-1] if loc else None
    rule = _rule_kind(loc)
    if loc == ("levels",):
        found.add(
            "criteria_levels",
            column="levels",
            expected=found.expected("criteria_levels"),
        )
    elif loc and loc[0] == "levels" and _level_list(loc, kind):
        found.add("criteria_level_list", column=f"levels.{loc[1]}.criteria")
    elif len(loc) == 3 and loc[2] == "criteria":
        found.add("criteria_level_empty", column=where)
    elif kind == "extra_forbidden" and loc[:-1] == ("levels",):
        found.add(
            "criteria_unknown_level",
            column=where,
            value=str(last),
            expected=found.expected("criteria_one_of", values=", ".join(LEVELS)),
        )
    elif kind == "extra_forbidden" and rule is not None:
        found.add("criteria_rule_unknown_key", column=where, value=str(last), rule=rule)
    elif kind == "extra_forbidden":
        found.add(
            "criteria_unknown_key",
            column=where,
            value=str(last),
            expected=found.expected("criteria_list", values=_CRITERION_KEYS),
        )
    elif kind == "missing" and rule is not None:
        found.add("criteria_rule_missing_key", column=where, rule=rule)
    elif kind == "missing":
        found.add("criteria_missing_key", column=where)
    elif kind == "union_tag_invalid":
        found.add(
            "criteria_rule_kind",
            column=f"{where}.kind",
            value=str(value.get("kind")) if isinstance(value, Mapping) else None,
            expected=found.expected("criteria_one_of", values=", ".join(RULE_KINDS)),
        )
    elif last == "rule" or kind == "union_tag_not_found":
        found.add("criteria_rule_mapping", column=where, value=str(value))
    elif kind == "criteria_ceilings_equal_floor":
        for year in error["ctx"]["years"]:
            found.add(
                "criteria_ceilings_value",
                column=f"{where}.ceilings.{year}",
                value=str(value["ceilings"][year]),
            )
    elif kind == "criteria_ceiling_equals_floor":
        found.add(
            "criteria_ceiling_equals_floor", column=f"{where}.ceiling", value=str(value["ceiling"])
        )
    elif last == "[key]":
        found.add("criteria_ceilings_year", column=key_path(loc[:-2]), value=str(loc[-2]))
    elif len(loc) >= 2 and loc[-2] == "ceilings":
        found.add("criteria_ceilings_value", column=where, value=str(value))
    elif isinstance(last, int):
        found.add("criteria_not_mapping", column=where, value=str(value))
    elif kind == "criteria_text" or kind.startswith("string"):
        found.add("criteria_text", column=where, value=str(value))
    elif last in _FIELD_KINDS:
        codes = _EXPECTED_CODES.get(str(last))
        found.add(
            _FIELD_KINDS[str(last)],
            column=where,
            value=str(value),
            expected=None
            if codes is None
            else found.expected("criteria_list", values=", ".join(codes)),
        )
    else:  # pragma: no cover - every error of the models is mapped above
        found.add("criteria_not_accepted", column=where, value=str(value), detail=error["msg"])


# --------------------------------------------------------------------------------------
# Checks across criteria (every problem is listed, whatever else is wrong in the level)
# --------------------------------------------------------------------------------------


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _across_criteria(document: Mapping, found: Problems) -> None:
    """Each code once within a level; the weights of a level sum to 1."""
    levels = document.get("levels")
    if not isinstance(levels, Mapping):
        return
    for level in LEVELS:
        raw = levels.get(level)
        items = raw.get("criteria") if isinstance(raw, Mapping) else None
        if not isinstance(items, list) or not items:
            continue
        where = f"levels.{level}.criteria"
        codes = [str(item.get("code")) for item in items if isinstance(item, Mapping)]
        for code in sorted({code for code in codes if codes.count(code) > 1}):
            found.add("criteria_code_twice", column=where, value=code)
        weights = [item.get("weight") for item in items if isinstance(item, Mapping)]
        if all(_is_number(weight) for weight in weights):
            total = math.fsum(float(weight) for weight in weights)  # type: ignore[arg-type]
            if abs(total - 1.0) > WEIGHT_TOLERANCE:
                found.add(
                    "criteria_weights_sum",
                    column=f"{where}[*].weight",
                    value=str(total),
                    expected=found.expected("criteria_weights_sum"),
                    total=total,
                )


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


def parse_criteria_document(
    document: object, source: str = "criteria", *, lang: str = "en"
) -> CriteriaFile:
    """Validate a parsed YAML document as a :class:`CriteriaFile`, listing every problem.

    Parameters
    ----------
    document : object
        The YAML document (a mapping with ``levels``).
    source : str
        File name used in the problems.
    lang : {"en", "vi"}
        Language of the problems' messages.

    Raises
    ------
    InputError
        One problem per error, located by key path.

    """
    found = Problems(source, lang=lang)
    if not isinstance(document, Mapping):
        found.add("criteria_not_a_mapping", column="(file)")
        found.raise_if_errors()
    try:
        model = CriteriaFile.model_validate(document)
    except ValidationError as error:
        for item in error.errors():
            _add_error(item, found)
        model = None
    _across_criteria(document, found)  # type: ignore[arg-type]
    found.raise_if_errors()
    return model  # type: ignore[return-value]


def read_criteria_file(path: Path, *, lang: str = "en") -> CriteriaFile:
    """Read and validate the criteria file.

    Raises
    ------
    InputError
        The file is missing, is not valid YAML (with the line), or breaks the format.

    """
    found = Problems(path.name, lang=lang)
    if not path.is_file():
        found.add("criteria_file_missing", value=str(path))
        found.raise_if_errors()
    try:
        document = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        found.add("criteria_yaml", row=None if mark is None else mark.line + 1, error=error)
        raise InputError(found) from error
    return parse_criteria_document(document, path.name, lang=lang)
