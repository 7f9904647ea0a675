"""Everything a report notebook needs, loaded and validated once per notebook.

Notebooks call :func:`load_context` with their papermill parameters and then only present.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import pandas as pd

from helpers import config, i18n
from helpers.errors import InputError, InputProblem
from helpers.inputs.enterprise_panel import load_enterprise_panel
from helpers.inputs.province_accounts import (
    accounts_long,
    forget_published_figures,
    load_province_accounts,
    load_published_figures,
)
from helpers.inputs.registers import load_registers
from helpers.programme.indicators import assess_plan, tools_applied, yearly_indicators
from helpers.programme.plan import Plan, load_plan
from helpers.programme.tfp_objective import PublishedShare, published_shares
from helpers.report import result_cache
from helpers.tfp.criteria import CriteriaSet, load_criteria

NON_PUBLISHED = ("illustrative", "assumed")
#: Results shared by the contexts of one process (see :meth:`ReportContext.cached`).
_SHARED_RESULTS: dict[object, object] = {}
#: Inputs already read in this process, by :func:`inputs_key`.
_LOADED_INPUTS: dict[tuple, tuple] = {}
T = TypeVar("T")


resolve = config.resolve  # kept here too: notebooks and sections import it from the context


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
    accounts: pd.DataFrame | None = None
    panel: pd.DataFrame | None = None
    published: pd.DataFrame | None = None
    criteria: CriteriaSet | None = None
    inputs_key: tuple = field(default=(), repr=False)

    def cached(
        self,
        key: object,
        compute: Callable[[], T],
        *,
        persist: bool = False,
        label: str = "",
        inputs: tuple[str, ...] | None = None,
    ) -> T:
        """Return ``compute()``, computed once per process for these inputs and ``key``.

        Blocks share results, and so do the sections and the languages of a report run in one
        kernel. ``key`` must name everything the result depends on besides the input files and
        the report year, and the result must not depend on the language. The input files'
        sizes and modification times are part of the key, so edited data are never served
        from the cache. With ``persist`` the result is also kept on disk
        (:mod:`helpers.report.result_cache`), keyed on the inputs' contents and the code, and shared
        by later builds; ``label`` names it in the manifest; ``inputs`` (beginnings of file
        names, e.g. ``("enterprise_panel",)``) narrows the input files the stored result depends
        on, so that a change to another file does not recompute it.
        """
        full_key = (self.inputs_key, self.year, key)
        if full_key not in _SHARED_RESULTS:
            if persist:
                parts = (self.inputs_fingerprint(inputs), self.year, key)
                name = f"{label or key} ({self.year})"
                _SHARED_RESULTS[full_key] = result_cache.cached_on_disk(parts, name, compute)
            else:
                _SHARED_RESULTS[full_key] = compute()
        return _SHARED_RESULTS[full_key]  # type: ignore[return-value]

    def inputs_fingerprint(self, inputs: tuple[str, ...] | None = None) -> str:
        """SHA-256 of the contents of input files.

        All of them (the plan's criteria file included), or those whose names begin with one
        of ``inputs``.
        """
        files = [Path(entry[0]) for entry in self.inputs_key]
        criteria = criteria_file_of(self.plan)
        if criteria:
            files.append(criteria)
        if inputs is not None:
            files = [f for f in files if f.name.startswith(inputs)]
        return result_cache.files_fingerprint(files)

    @property
    def phase(self):
        """The phase the report year falls in."""
        return self.plan.phase_of_year(self.year)

    @property
    def tools(self) -> pd.DataFrame:
        """Distinct enterprises applying each tool, by year."""
        return tools_applied(self.registers["supported_enterprises"])

    @property
    def plan_source(self) -> str:
        """The plan's short name, cited as the source of the targets."""
        return self.plan.plan.short(self.lang)

    def t(self, key: str, **values: object) -> str:
        """Translate ``key`` into the report's language."""
        return i18n.t(key, self.lang, **values)


def count_non_published(
    registers: dict[str, pd.DataFrame],
    accounts: pd.DataFrame | None = None,
    panel: pd.DataFrame | None = None,
) -> int:
    """Rows and values whose status is illustrative or assumed, over every input."""
    count = sum(int(frame["status"].isin(NON_PUBLISHED).sum()) for frame in registers.values())
    if accounts is not None:
        count += int(accounts_long(accounts)["status"].isin(NON_PUBLISHED).sum())
    if panel is not None and "status" in panel:
        count += int(panel["status"].isin(NON_PUBLISHED).sum())
    return count


def inputs_key(data_path: Path, plan_path: Path) -> tuple:
    """Identify the input files by name, size and modification time (for the caches)."""
    files = [*sorted(p for p in data_path.rglob("*") if p.is_file()), plan_path]
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files if p.exists())


#: The file names each input may have in the data folder.
INPUT_FILES = {
    "province_accounts": ("province_accounts.csv", "province_accounts.xlsx"),
    "published_figures": ("published_figures.csv",),
    "enterprise_panel": ("enterprise_panel.csv.gz", "enterprise_panel.csv"),
    "funding": ("funding.csv", "funding.xlsx"),
}


def missing_inputs(data_path: Path, required: Iterable[str]) -> list[InputProblem]:
    """A problem for every required input that has no file in the data folder."""
    problems = []
    for name in required:
        names = INPUT_FILES[name]
        if not any((data_path / candidate).is_file() for candidate in names):
            problems.append(
                InputProblem(
                    names[0],
                    "required file not found in the data folder",
                    expected=" or ".join(names),
                )
            )
    return problems


def criteria_file_of(plan: Plan) -> Path | None:
    """The TFP criteria file the plan names, resolved (None when it names none)."""
    name = plan.plan.criteria_file
    return resolve(name) if name else None


def _read_plan(plan_path: Path) -> tuple[Plan | None, list[InputProblem]]:
    try:
        return load_plan(plan_path), []
    except InputError as error:
        return None, list(error.problems)


def _read_data(data_path: Path, criteria_path: Path | None, lang: str) -> tuple:
    """Read every data file of the folder and the criteria file, listing every problem."""
    problems: list[InputProblem] = []
    loaded: dict[str, object] = {}
    readers: dict[str, Callable[[], object]] = {
        "registers": lambda: load_registers(data_path, lang=lang),
        "accounts": lambda: load_accounts(data_path),
        "panel": lambda: load_enterprise_panel(data_path),
        "published": lambda: load_published(data_path),
        "criteria": lambda: load_criteria(criteria_path) if criteria_path else None,
    }
    for name, read in readers.items():
        try:
            loaded[name] = read()
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems)
    return tuple(loaded[name] for name in readers)


def _read_inputs(data_path: Path, plan_path: Path, lang: str, key: tuple) -> tuple:
    """Read and validate the plan and every data file, listing every problem at once.

    The data are read once per content and code: the build's own check and the notebook
    kernel share the result through the on-disk cache (:mod:`helpers.report.result_cache`).
    """
    plan, problems = _read_plan(plan_path)
    criteria_path = criteria_file_of(plan) if plan is not None else None
    files = [Path(entry[0]) for entry in key] + ([criteria_path] if criteria_path else [])
    try:
        data = result_cache.cached_on_disk(
            ("inputs", result_cache.files_fingerprint(files), lang),
            "inputs read and validated",
            lambda: _read_data(data_path, criteria_path, lang),
        )
    except InputError as error:
        raise InputError(problems + list(error.problems)) from None
    if problems:
        raise InputError(problems)
    return (plan, *data)


def forget_in_memory() -> None:
    """Forget the inputs and results this process holds in memory (not those on disk).

    A kernel forked from a build (:mod:`helpers.report.warm_kernel`) starts as empty as a new
    one: it reads what it uses, and records in the cache log where each result came from.
    """
    _SHARED_RESULTS.clear()
    _LOADED_INPUTS.clear()
    forget_published_figures()


def load_published(data_path: Path) -> pd.DataFrame | None:
    """The published figures of the data folder, or None when the file is absent."""
    path = data_path / "published_figures.csv"
    return load_published_figures(path) if path.is_file() else None


def load_accounts(data_path: Path) -> pd.DataFrame | None:
    """The province accounts of the data folder (CSV or XLSX), or None when absent."""
    for suffix in (".xlsx", ".csv"):
        path = data_path / f"province_accounts{suffix}"
        if path.is_file():
            return load_province_accounts(path)
    return None


def _assessed(
    key: tuple,
    plan: Plan,
    registers: dict[str, pd.DataFrame],
    year: int,
    tfp_share: tuple[PublishedShare, ...],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The yearly indicators and the status of every target, once per process for these inputs.

    Each section's notebook, in each language, loads the same context: the two frames are
    computed once for these inputs, year and published shares; each call gets its own copies.
    """
    full_key = ("assessed", key, year, tfp_share)
    if full_key not in _SHARED_RESULTS:
        _SHARED_RESULTS[full_key] = (
            yearly_indicators(registers),
            assess_plan(plan, registers, year, tfp_share=list(tfp_share)),
        )
    stored: tuple[pd.DataFrame, pd.DataFrame] = _SHARED_RESULTS[full_key]  # type: ignore[assignment]
    return stored[0].copy(), stored[1].copy()


def load_context(
    *,
    year: int,
    lang: str,
    data_dir: str | Path,
    plan_file: str | Path,
    output_dir: str | Path | None = None,
    edition: str = "public",
    kind: str = "annual",
    tfp_share: Sequence[PublishedShare] | None = None,
    required_inputs: Iterable[str] = (),
) -> ReportContext:
    """Load the plan and registers, compute indicators and the status of every target.

    Raises
    ------
    InputError
        Listing every problem in the plan file, the criteria file and every data file, and
        every input of ``required_inputs`` (see :data:`helpers.inputs.params.REQUIRED_INPUTS`) that
        is absent.

    """
    i18n.check_language(lang)
    data_path = resolve(data_dir)
    if not data_path.is_dir():
        raise InputError([InputProblem(str(data_dir), "data folder not found")])
    plan_path = resolve(plan_file)
    key = inputs_key(data_path, plan_path)
    if key not in _LOADED_INPUTS:
        _LOADED_INPUTS[key] = _read_inputs(data_path, plan_path, lang, key)
    plan, registers, accounts, panel, published, criteria = _LOADED_INPUTS[key]
    absent = missing_inputs(data_path, required_inputs)
    if absent:
        raise InputError(absent)
    assert plan is not None and registers is not None
    if tfp_share is None:  # the published shares decide the TFP objective, never the estimate
        tfp_share = published_shares(published, plan.plan.province) if published is not None else []
    indicators, assessment = _assessed(key, plan, registers, year, tuple(tfp_share))
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
        accounts=accounts,
        panel=panel,
        published=published,
        criteria=criteria,
        inputs_key=key,
    )
