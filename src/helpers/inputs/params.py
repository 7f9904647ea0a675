"""Report parameters: one YAML file per report run, validated before anything runs.

A parameter file may set only the keys of :class:`ReportParams`; an unknown key, a wrong type,
a year outside the plan (2021–2030) or a missing data path is reported with the file and key.
Relative paths are relative to the project root.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from helpers import config
from helpers.errors import InputError
from helpers.problems import Problems, read_yaml_mapping

#: Inputs a report needs besides the two registers (which are always required); a parameter
#: file may declare some of them optional (``optional_inputs``).
InputName = Literal["province_accounts", "published_figures", "enterprise_panel", "funding"]
REQUIRED_INPUTS: tuple[str, ...] = get_args(InputName)
#: How a build passes its ``bootstrap_replications`` to the enterprise section in the kernel.
BOOTSTRAP_REPS_ENV = "NSCL_BOOTSTRAP_REPS"
FIRST_YEAR = 2021
LAST_YEAR = 2030


class ReportParams(BaseModel):
    """Parameters of one report.

    Attributes
    ----------
    year : int
        Report year, 2021–2030.
    kind : {"annual", "phase_review"}
        An annual report, or the review of the phase that ends in ``year``.
    report_id : str or None
        Folder name under the reports folder (default: the year, or ``review-<year>``); the
        internal edition's folder gets ``-internal`` appended.
    languages : list of {"vi", "en"}
        Editions to build; Vietnamese first.
    formats : list of {"html", "pdf", "docx"}
        Output formats; ``docx`` is the submission to the Ministry (Vietnamese, Decree
        30/2020/NĐ-CP form).
    data_dir, plan_file : str
        Inputs (relative to the project root unless absolute).
    edition : {"public", "internal"}
        The internal edition may show enterprise names and says so on every page.
    data_as_of : str or None
        Date of the data (dd/mm/yyyy), shown on the title page.
    optional_inputs : list of {"province_accounts", "published_figures", "enterprise_panel", \
            "funding"}
        Inputs this report may do without (every other one must be in the data folder); the
        report says "no data" where they would be used.
    bootstrap_replications : int or None
        Replications of the bootstrap of the enterprise production functions (at least 19;
        default 199). Fewer make a quicker draft whose standard errors say less.

    """

    model_config = ConfigDict(extra="forbid")

    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR)
    kind: Literal["annual", "phase_review"] = "annual"
    report_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    languages: list[Literal["vi", "en"]] = Field(default=["vi"], min_length=1)
    formats: list[Literal["html", "pdf", "docx"]] = Field(default=["html", "pdf"], min_length=1)
    data_dir: str = "data/sample"
    plan_file: str = "data/plan/quang_ninh_203.yaml"
    edition: Literal["public", "internal"] = "public"
    data_as_of: str | None = Field(default=None, pattern=r"^\d{2}/\d{2}/\d{4}$")
    optional_inputs: list[InputName] = Field(default_factory=list)
    bootstrap_replications: int | None = Field(default=None, ge=19)

    @field_validator("languages", "formats")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(values))

    @property
    def folder_name(self) -> str:
        """Name of the report's folder under the reports folder."""
        if self.report_id:
            name = self.report_id
        else:
            name = str(self.year) if self.kind == "annual" else f"review-{self.year}"
        # The internal edition never shares a folder with the public one: publishing the
        # public folder can then never publish confidential tables by mistake.
        return f"{name}-internal" if self.edition == "internal" else name

    @property
    def required_inputs(self) -> tuple[str, ...]:
        """The inputs besides the registers that must be in the data folder."""
        return tuple(n for n in REQUIRED_INPUTS if n not in self.optional_inputs)

    def resolved(self, key: str) -> Path:
        """Return a path parameter resolved against the project root."""
        return config.resolve(getattr(self, key))


def validate_params(raw: dict[str, Any], label: str) -> ReportParams:
    """Validate a mapping of parameters; check that the data paths exist.

    Raises
    ------
    InputError
        Naming ``label`` (the parameter file) and each offending key.

    """
    found = Problems(label)
    try:
        params = ReportParams.model_validate(raw)
    except ValidationError as exc:
        found.add_validation(exc)
        raise InputError(found) from exc
    if not params.resolved("data_dir").is_dir():
        found.add("data_dir_not_found", column="data_dir", value=params.data_dir)
    if not params.resolved("plan_file").is_file():
        found.add("plan_not_found", column="plan_file", value=params.plan_file)
    found.raise_if_errors()
    return params


def read_params_file(path: Path) -> dict[str, Any]:
    """Read a parameter file with YAML's safe loader; it must hold a mapping."""
    return read_yaml_mapping(path, not_found="params_not_found")


def load_params(path: Path | None = None, **overrides: Any) -> ReportParams:
    """Read the default parameters, then ``path``, then ``overrides`` (command-line options)."""
    merged: dict[str, Any] = read_params_file(config.PARAMS_DIR / "default.yaml")
    label = "default.yaml"
    if path is not None:
        merged.update(read_params_file(path))
        label = path.name
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return validate_params(merged, label)
