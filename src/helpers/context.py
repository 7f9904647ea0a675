"""Everything a report notebook needs, loaded and validated once per notebook.

Notebooks call :func:`load_context` with their papermill parameters and then only present.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import config, i18n
from helpers.errors import InputError, InputProblem
from helpers.indicators import assess_plan, tools_applied, yearly_indicators
from helpers.plan import Plan, load_plan
from helpers.registers import load_registers

NON_PUBLISHED = ("illustrative", "assumed")


def resolve(path: str | Path) -> Path:
    """Resolve a path from parameters: relative paths are relative to the project root."""
    path = Path(path)
    return path if path.is_absolute() else (config.PROJECT_ROOT / path)


@dataclass
class ReportContext:
    """Inputs and computed indicators of one report edition."""

    year: int
    lang: str
    plan: Plan
    registers: dict[str, pd.DataFrame]
    indicators: pd.DataFrame
    assessment: pd.DataFrame
    data_dir: Path
    output_dir: Path | None = None
    edition: str = "public"
    kind: str = "annual"
    notices: list[str] = field(default_factory=list)

    @property
    def phase(self):  # noqa: ANN201 - a plan Phase
        """The phase the report year falls in."""
        return self.plan.phase_of_year(self.year)

    @property
    def tools(self) -> pd.DataFrame:
        """Distinct enterprises applying each tool, by year."""
        return tools_applied(self.registers["supported_enterprises"])

    def t(self, key: str, **values: object) -> str:
        """Translate ``key`` into the report's language."""
        return i18n.t(key, self.lang, **values)


def count_non_published(registers: dict[str, pd.DataFrame]) -> int:
    """Rows whose status is illustrative or assumed, over all registers."""
    return int(sum(frame["status"].isin(NON_PUBLISHED).sum() for frame in registers.values()))


def load_context(
    *,
    year: int,
    lang: str,
    data_dir: str | Path,
    plan_file: str | Path,
    output_dir: str | Path | None = None,
    edition: str = "public",
    kind: str = "annual",
    tfp_share: pd.Series | None = None,
) -> ReportContext:
    """Load the plan and registers, compute indicators and the status of every target.

    Raises
    ------
    InputError
        Listing every problem in the plan file and registers.
    """
    i18n.check_language(lang)
    data_path = resolve(data_dir)
    if not data_path.is_dir():
        raise InputError([InputProblem(str(data_dir), "data folder not found")])
    plan = load_plan(resolve(plan_file))
    registers = load_registers(data_path)
    indicators = yearly_indicators(registers)
    assessment = assess_plan(plan, registers, year, tfp_share=tfp_share)
    notices = []
    latest = int(indicators.index.max())
    if year > latest:
        notices.append(i18n.t("notice.no_data_year", lang, year=year, latest=latest))
    return ReportContext(
        year=year,
        lang=lang,
        plan=plan,
        registers=registers,
        indicators=indicators,
        assessment=assessment,
        data_dir=data_path,
        output_dir=resolve(output_dir) if output_dir else None,
        edition=edition,
        kind=kind,
        notices=notices,
    )
