"""Read a province's plan file (YAML) into validated targets.

The plan file, not the code, holds the targets: another province brings its own file with the
same keys (see ``data/plan/quang_ninh_203.yaml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from helpers.errors import InputError, InputProblem

TargetKind = Literal["cumulative_count", "growth_band", "milestone", "activity_count", "trend"]


class Reference(BaseModel):
    """A reference value for a trend target (for example a national target share)."""

    model_config = ConfigDict(extra="forbid")
    year: int
    value: float
    source: str


class Target(BaseModel):
    """One target of the plan."""

    model_config = ConfigDict(extra="forbid")
    code: str
    phase: int = Field(ge=0, description="0 for the whole plan period")
    kind: TargetKind
    indicator: str
    unit: str
    name_vi: str
    name_en: str
    source_text: str
    target: float | None = None
    comparison: Literal["at_least", "more_than", "at_most", "less_than"] = "at_least"
    rule: Literal["linear", "cagr"] | None = None
    band_low: float | None = None
    band_high: float | None = None
    references: list[Reference] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Target:
        if self.kind == "cumulative_count" and (self.target is None or self.rule is None):
            raise ValueError("a cumulative_count target needs 'target' and 'rule'")
        bad_band = self.band_low is None or self.band_high is None or self.band_low > self.band_high
        if self.kind == "growth_band" and bad_band:
            raise ValueError("a growth_band target needs band_low <= band_high")
        return self

    def name(self, lang: str) -> str:
        """Return the target's name in ``lang`` (``vi`` or ``en``)."""
        return self.name_vi if lang == "vi" else self.name_en


class Phase(BaseModel):
    """A phase of the plan."""

    model_config = ConfigDict(extra="forbid")
    number: int
    start: int
    end: int


class PlanInfo(BaseModel):
    """The plan's identity."""

    model_config = ConfigDict(extra="forbid")
    id: str
    province: str
    province_en: str
    document_vi: str
    document_en: str
    national_programme_vi: str
    national_programme_en: str
    short_vi: str
    short_en: str
    source_text_status: str = "verbatim"
    #: The province's TFP criteria set (relative to the project root); None: the default set.
    criteria_file: str | None = None

    def short(self, lang: str) -> str:
        """Short name of the plan, used as the source of targets."""
        return self.short_vi if lang == "vi" else self.short_en


class Plan(BaseModel):
    """A province's plan: identity, phases and targets."""

    model_config = ConfigDict(extra="forbid")
    plan: PlanInfo
    phases: list[Phase]
    targets: list[Target]

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        numbers = {p.number for p in self.phases}
        for target in self.targets:
            if target.phase and target.phase not in numbers:
                raise ValueError(f"target {target.code} names phase {target.phase}, not defined")
        codes = [t.code for t in self.targets]
        if len(codes) != len(set(codes)):
            raise ValueError("target codes must be unique")
        return self

    def phase(self, number: int) -> Phase:
        """Return phase ``number``."""
        for phase in self.phases:
            if phase.number == number:
                return phase
        raise KeyError(number)

    def phase_of_year(self, year: int) -> Phase:
        """Return the phase that contains ``year`` (the last phase for later years)."""
        for phase in self.phases:
            if phase.start <= year <= phase.end:
                return phase
        return self.phases[-1] if year > self.phases[-1].end else self.phases[0]

    @property
    def first_year(self) -> int:
        """First year of the plan."""
        return min(p.start for p in self.phases)

    @property
    def last_year(self) -> int:
        """Last year of the plan."""
        return max(p.end for p in self.phases)


def load_plan(path: Path) -> Plan:
    """Read and validate a plan file.

    Raises
    ------
    InputError
        Naming the file and the key for each problem.

    """
    label = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InputError([InputProblem(label, "plan file not found")]) from exc
    except yaml.YAMLError as exc:
        raise InputError([InputProblem(label, f"not valid YAML: {exc}")]) from exc
    try:
        return Plan.model_validate(raw)
    except ValidationError as exc:
        problems = [
            InputProblem(
                label,
                error["msg"],
                column=".".join(str(part) for part in error["loc"]) or None,
                value=None if error.get("input") is None else str(error.get("input"))[:80],
            )
            for error in exc.errors()
        ]
        raise InputError(problems) from exc
