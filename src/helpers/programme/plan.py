"""Read a province's plan file (YAML) into validated targets.

The plan file, not the code, holds the targets: another province brings its own file with the
same keys (see ``data/plan/quang_ninh_203.yaml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from helpers.errors import InputError
from helpers.problems import Problems, read_yaml_mapping

TargetKind = Literal["cumulative_count", "growth_band", "task", "trend"]
#: Kinds that are quantified targets (chỉ tiêu); the others are tasks (nhiệm vụ).
QUANTIFIED_KINDS = ("cumulative_count", "growth_band")


class EvidenceKind(BaseModel):
    """A kind of evidence an activity row can give, recognised by its activity kind and words.

    A row is evidence of this kind when its activity kind is listed and, if ``words`` are given,
    its title contains one of them (case-insensitive). A row can be of several kinds (an event
    on "VietGAP and OCOP" is both a product-certification scope extension and an OCOP ranking);
    a task counts only the kinds it names, so an OCOP ranking never counts as certification.
    """

    model_config = ConfigDict(extra="forbid")
    code: str
    activity_kinds: list[str]
    words: list[str] = Field(default_factory=list)
    name_vi: str
    name_en: str

    def name(self, lang: str) -> str:
        """The kind's name in ``lang``."""
        return self.name_vi if lang == "vi" else self.name_en

    def matches(self, activity_kind: str, title: str) -> bool:
        """Whether an activity row of ``activity_kind`` titled ``title`` is of this kind."""
        if activity_kind not in self.activity_kinds:
            return False
        lowered = title.casefold()
        return not self.words or any(w.casefold() in lowered for w in self.words)


class TaskSpec(BaseModel):
    """How a task (nhiệm vụ) is judged from evidence.

    ``continuing`` ("Tiếp tục …", "Nâng cao …"): in progress while its phase runs, whatever the
    evidence; done only after the phase ended with evidence in it. ``deliverable`` ("Xây dựng,
    hoàn thiện …"): done only when evidence of a ``completes`` kind (an issuing decision) is
    recorded; in progress on evidence of a ``counts`` kind (a draft).
    """

    model_config = ConfigDict(extra="forbid")
    type: Literal["continuing", "deliverable"]
    counts: list[str]
    completes: list[str] = Field(default_factory=list)


class Reference(BaseModel):
    """A reference value for a trend target (for example a national target share).

    ``year`` is the year the level is for, or the last year of ``start_year``–``year``;
    ``qualifier`` is how the source words it (``approx``: "khoảng 45 %", ``above``: "trên 55 %");
    ``area`` says whose level it is (the country's, or the province's own).
    """

    model_config = ConfigDict(extra="forbid")
    year: int
    value: float
    source: str
    start_year: int | None = None
    qualifier: Literal["equal", "approx", "above", "at_least", "below", "at_most"] = "equal"
    area: Literal["national", "province"] = "national"
    source_url: str | None = None
    source_date: str | None = None

    @property
    def first_year(self) -> int:
        """The first year the level is for (``year`` itself for a single year)."""
        return self.year if self.start_year is None else self.start_year


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
    #: The plan's own words for this item, verbatim from the published text.
    source_text: str
    target: float | None = None
    comparison: Literal["at_least", "more_than", "at_most", "less_than"] = "at_least"
    rule: Literal["linear", "cagr"] | None = None
    band_low: float | None = None
    band_high: float | None = None
    references: list[Reference] = Field(default_factory=list)
    task: TaskSpec | None = None

    @property
    def quantified(self) -> bool:
        """True for a quantified target (chỉ tiêu), False for a task (nhiệm vụ)."""
        return self.kind in QUANTIFIED_KINDS

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Target:
        if self.kind == "task" and self.task is None:
            raise ValueError("a task needs 'task' (type and the evidence kinds it counts)")
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
    source_text_status: Literal["verbatim", "illustrative"] = "verbatim"
    #: Where the targets' verbatim text was published (cited under the annex that quotes it).
    source_text_origin_vi: str = ""
    source_text_origin_en: str = ""
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
    evidence_kinds: list[EvidenceKind] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Plan:
        kinds = {k.code for k in self.evidence_kinds}
        for target in self.targets:
            named = set(target.task.counts + target.task.completes) if target.task else set()
            if named - kinds:
                unknown = ", ".join(sorted(named - kinds))
                raise ValueError(f"target {target.code} names unknown evidence kinds: {unknown}")
        numbers = {p.number for p in self.phases}
        for target in self.targets:
            if target.phase and target.phase not in numbers:
                raise ValueError(f"target {target.code} names phase {target.phase}, not defined")
        codes = [t.code for t in self.targets]
        if len(codes) != len(set(codes)):
            raise ValueError("target codes must be unique")
        return self

    def evidence_kind(self, code: str) -> EvidenceKind:
        """Return the evidence kind ``code``."""
        return next(k for k in self.evidence_kinds if k.code == code)

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
    raw = read_yaml_mapping(path, not_found="plan_not_found")
    try:
        return Plan.model_validate(raw)
    except ValidationError as exc:
        found = Problems(path.name)
        found.add_validation(exc, value_width=80)
        raise InputError(found) from exc
