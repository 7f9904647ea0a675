"""The enterprise panel: an illustrative sample with a known truth, and its checked loader.

The enterprise panel is confidential in real use (one row per enterprise and year: tax code,
sector, output, inputs). The project ships an *illustrative* panel instead, simulated with
:func:`helpers.samples.simulate.simulate_panel` (the Ackerberg–Caves–Frazer "DGP1" design), so that
the report's enterprise section can be built and checked against a known truth.

The simulated truth
-------------------
* About 2,000 enterprises, 2015–2025, in Quảng Ninh's sector mix. Every enterprise of
  :func:`helpers.samples.registers.enterprise_pool` (the illustrative register's pool, 700
  enterprises with their tax codes and VSIC sections, including the G and H sections of the
  register) is in the panel; the others get new ``57xxxxxxxx`` tax codes and a section drawn
  from B, D, F, C, I and A with the register's weights (:data:`NEW_SECTION_WEIGHTS`).
* Value added is Cobb–Douglas in labour and capital with constant returns and
  sector-specific elasticities (:data:`SECTOR_TRUTH`: labour 0.30 in energy to 0.70 in
  tourism and services). Log productivity is the simulator's AR(1) process plus a
  sector-wide path (a yearly trend and, for tourism and transport, the 2020–2022 slump) plus
  the effect of support.
* **Effect of support**: log productivity rises by :data:`SUPPORT_EFFECT` (+0.08 log
  points, about +8.3 %) from the enterprise's first support year in the
  supported-enterprises register on, and stays there. Support is assigned at random in the
  illustrative register, so supported and not-yet-supported enterprises are comparable.
* Materials are Leontief in output (they carry productivity, as in DGP1), gross output is
  value added plus materials, investment comes from the simulator's investment rule and the
  wage bill is the labour elasticity times value added (with a small noise).
* Entry and exit make the panel unbalanced: 30 % of the enterprises enter after 2015 and 15 %
  leave before 2025; an enterprise of the register is active in all its support years
  (up to 2025).
* Levels are scaled per sector (employees, million VND) and rounded to 4 significant digits.

:func:`truth` returns these facts as a dictionary (also in ``DataFrame.attrs["truth"]`` of
the sample panel, and recognised by :func:`load_enterprise_panel` from the sample's source
text). Run ``python -m helpers.inputs.enterprise_panel`` to write ``data/sample/
enterprise_panel.csv.gz`` again; the file is byte-identical for the same seed.
"""

from __future__ import annotations

import functools
import gzip
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import config
from helpers.errors import InputError
from helpers.inputs.contracts import SUPPORTED_ENTERPRISES
from helpers.problems import Problems
from helpers.samples.registers import SECTORS, build_sample_registers, enterprise_pool
from helpers.samples.simulate import simulate_panel

#: Seed of the sample panel.
SEED = 1
#: Years of the sample panel.
FIRST_YEAR, LAST_YEAR = 2015, 2025
#: Enterprises in the sample panel.
N_ENTERPRISES = 2000
#: True effect of support on log productivity (log points), from the first support year on.
SUPPORT_EFFECT = 0.08
#: Share of enterprises entering after the first year, and leaving before the last year.
LATE_ENTRY_SHARE, EARLY_EXIT_SHARE = 0.30, 0.15
#: Significant digits kept in the file.
SIGNIFICANT_DIGITS = 4
#: File names the loader looks for, in order.
PANEL_FILES = ("enterprise_panel.csv.gz", "enterprise_panel.csv")
SAMPLE_FILE = PANEL_FILES[0]
#: Status and source of every row of the sample.
SAMPLE_STATUS = "illustrative"
SAMPLE_SOURCE = (
    "Dữ liệu mô phỏng minh họa (helpers.enterprise_panel), không phải số liệu thực "
    "(simulated, illustrative, not real data)"
)

#: Columns of the panel (the data contract of DESIGN.md), then the optional ones.
KEY_COLUMNS = ("tax_code", "year", "vsic_section")
LEVEL_COLUMNS = (
    "value_added",
    "gross_output",
    "capital",
    "labour",
    "materials",
    "investment",
    "wage_bill",
)
OPTIONAL_COLUMNS = ("status", "source")
#: Levels whose logarithm the estimators take: they must be strictly positive.
LOG_COLUMNS = ("value_added", "capital", "labour", "materials")
TAX_CODE_PATTERN = re.compile(r"^\d{10}(-\d{3})?$")
SECTION_PATTERN = re.compile(r"^[A-U]$")


@dataclass(frozen=True)
class SectorTruth:
    """True technology and scale of one VSIC section in the sample panel.

    Parameters
    ----------
    alpha_l : float
        Labour elasticity of value added (capital's is ``1 - alpha_l``).
    trend : float
        Sector-wide growth of log productivity per year.
    shocks : dict of int to float
        Further sector-wide shifts of log productivity in given years.
    employees : float
        Scale of labour (employees, full-time equivalent).
    value_added_per_worker : float
        Scale of value added per employee (million VND).
    capital_per_worker : float
        Scale of capital per employee (million VND).
    materials_ratio : float
        Scale of materials relative to value added.

    """

    alpha_l: float
    trend: float
    shocks: dict[int, float]
    employees: float
    value_added_per_worker: float
    capital_per_worker: float
    materials_ratio: float

    @property
    def alpha_k(self) -> float:
        """Capital elasticity (constant returns to scale)."""
        return 1.0 - self.alpha_l

    def path(self, years: np.ndarray) -> np.ndarray:
        """Sector-wide log productivity shift in each of ``years``."""
        shifts = np.array([self.shocks.get(int(y), 0.0) for y in years])
        return self.trend * (years - FIRST_YEAR) + shifts


#: The sample's sectors: the register's sections (:data:`helpers.samples.registers.SECTORS`).
SECTOR_TRUTH: dict[str, SectorTruth] = {
    "B": SectorTruth(0.45, 0.010, {}, 150.0, 250.0, 600.0, 1.0),  # mining (coal)
    "D": SectorTruth(0.30, 0.010, {}, 60.0, 900.0, 4000.0, 1.5),  # energy
    "F": SectorTruth(0.65, 0.010, {}, 40.0, 120.0, 150.0, 2.0),  # construction
    "C": SectorTruth(0.60, 0.025, {}, 50.0, 150.0, 250.0, 2.5),  # manufacturing
    "I": SectorTruth(  # tourism and services: the 2020–2022 slump
        0.70, 0.020, {2020: -0.20, 2021: -0.25, 2022: -0.05}, 20.0, 100.0, 300.0, 0.8
    ),
    "G": SectorTruth(0.65, 0.020, {}, 12.0, 120.0, 120.0, 3.0),  # trade (register only)
    "H": SectorTruth(  # transport (register only)
        0.50, 0.010, {2020: -0.08, 2021: -0.08}, 25.0, 150.0, 400.0, 1.2
    ),
    "A": SectorTruth(0.55, 0.015, {}, 15.0, 60.0, 150.0, 1.0),  # agriculture and fisheries
}
#: Sections drawn for enterprises outside the register's pool, with the register's weights.
NEW_SECTION_WEIGHTS: dict[str, float] = {s: SECTORS[s][0] for s in ("B", "D", "F", "C", "I", "A")}


def truth() -> dict[str, object]:
    """Return the simulated truth of the sample panel (JSON-ready).

    Examples
    --------
    >>> truth()["support_effect"]
    0.08
    >>> truth()["sectors"]["C"]["alpha_l"]
    0.6

    """
    return {
        "support_effect": SUPPORT_EFFECT,
        "support_effect_starts": "first support year in the supported-enterprises register",
        "production_function": "value added, Cobb-Douglas, constant returns to scale",
        "years": [FIRST_YEAR, LAST_YEAR],
        "n_enterprises": N_ENTERPRISES,
        "seed": SEED,
        "sectors": {
            section: {
                "alpha_l": spec.alpha_l,
                "alpha_k": round(spec.alpha_k, 10),
                "trend": spec.trend,
                "shocks": {str(year): value for year, value in spec.shocks.items()},
            }
            for section, spec in SECTOR_TRUTH.items()
        },
        "simulator": "helpers.samples.simulate.simulate_panel (ACF 2015 DGP1: rho 0.7, sd 0.3)",
    }


# ----------------------------------------------------------------------------------------
# Generator
# ----------------------------------------------------------------------------------------


def _register_years(register: pd.DataFrame) -> pd.DataFrame:
    """First and last support year of every enterprise of the register."""
    grouped = register.groupby("tax_code")["year"]
    return pd.DataFrame({"first_support": grouped.min(), "last_support": grouped.max()})


@functools.cache
def _register_frame() -> pd.DataFrame:
    frame = build_sample_registers()[SUPPORTED_ENTERPRISES.name]
    return frame.rename(columns={c.header_vi: c.name for c in SUPPORTED_ENTERPRISES.columns})


def _sample_register() -> pd.DataFrame:
    """The illustrative supported-enterprises register, with machine column names."""
    return _register_frame().copy()


def _enterprises(rng: np.random.Generator, n_enterprises: int) -> pd.DataFrame:
    """Tax codes and sections: the register's pool first, then new enterprises."""
    pool = enterprise_pool()[["tax_code", "vsic_section"]]
    n_new = n_enterprises - len(pool)
    if n_new < 0:
        raise ValueError(f"the panel needs at least the {len(pool)} enterprises of the register")
    sections = list(NEW_SECTION_WEIGHTS)
    weights = np.array(list(NEW_SECTION_WEIGHTS.values()))
    new_sections = rng.choice(sections, size=n_new, p=weights / weights.sum())
    taken = {int(code[2:10]) for code in pool["tax_code"]}
    draws = rng.choice(np.arange(1_000_000, 99_999_999), size=n_new + len(taken), replace=False)
    numbers = [n for n in draws.tolist() if n not in taken][:n_new]
    new = pd.DataFrame({"tax_code": [f"57{n:08d}" for n in numbers], "vsic_section": new_sections})
    return pd.concat([pool, new], ignore_index=True)


def _active_years(enterprises: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """First and last active year of each enterprise (register enterprises active when served)."""
    n = len(enterprises)
    entry = np.where(
        rng.random(n) < LATE_ENTRY_SHARE, rng.integers(FIRST_YEAR + 1, LAST_YEAR, n), FIRST_YEAR
    )
    options = LAST_YEAR - 1 - entry  # early exit years: entry + 1 .. LAST_YEAR - 1
    early = entry + 1 + np.floor(rng.random(n) * options).astype(int)
    leaves = (rng.random(n) < EARLY_EXIT_SHARE) & (options > 0)
    exit_year = np.where(leaves, early, LAST_YEAR)
    served = enterprises["first_support"].notna().to_numpy()
    first = enterprises["first_support"].fillna(LAST_YEAR).to_numpy(dtype=int)
    last = enterprises["last_support"].fillna(FIRST_YEAR).to_numpy(dtype=int).clip(max=LAST_YEAR)
    entry = np.where(served, np.minimum(entry, first), entry)
    exit_year = np.where(served, np.maximum(exit_year, last), exit_year)
    return pd.DataFrame({"entry": entry, "exit": exit_year}, index=enterprises.index)


def _round_significant(values: np.ndarray, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """Round positive values to ``digits`` significant digits.

    Powers of ten are applied so that the result is the double nearest to the decimal
    (dividing or multiplying a whole number by an exact power of ten).

    Examples
    --------
    >>> _round_significant(np.array([0.123456, 2861234.0])).tolist()
    [0.1235, 2861000.0]

    """
    decimals = digits - 1 - np.floor(np.log10(values)).astype(int)
    fine = 10.0 ** np.clip(decimals, 0, None)
    coarse = 10.0 ** np.clip(-decimals, 0, None)
    return np.where(
        decimals >= 0, np.round(values * fine) / fine, np.round(values / coarse) * coarse
    )


def _simulate_section(
    section: str, members: pd.DataFrame, stream: np.random.SeedSequence
) -> pd.DataFrame:
    """Simulate the enterprises of one section over all years, in levels."""
    spec = SECTOR_TRUTH[section]
    logs = simulate_panel(
        n_firms=len(members),
        n_periods=LAST_YEAR - FIRST_YEAR + 1,
        first_year=FIRST_YEAR,
        seed=stream,
        alpha_l=spec.alpha_l,
        alpha_k=spec.alpha_k,
    )
    rows = np.repeat(np.arange(len(members)), LAST_YEAR - FIRST_YEAR + 1)
    year = logs["year"].to_numpy()
    first = members["first_support"].to_numpy()[rows]
    supported = ~np.isnan(first) & (year >= np.nan_to_num(first, nan=np.inf))
    shift = spec.path(year) + SUPPORT_EFFECT * supported
    value_scale = spec.employees * spec.value_added_per_worker
    value_added = value_scale * np.exp(logs["y"].to_numpy() + shift)
    materials = value_scale * spec.materials_ratio * np.exp(logs["m"].to_numpy() + shift)
    noise = np.random.default_rng(stream.spawn(1)[0]).normal(0.0, 0.05, len(logs))
    capital_scale = spec.employees * spec.capital_per_worker
    frame = pd.DataFrame(
        {
            "tax_code": members["tax_code"].to_numpy()[rows],
            "year": year,
            "vsic_section": section,
            "value_added": value_added,
            "gross_output": value_added + materials,
            "capital": capital_scale * np.exp(logs["k"].to_numpy()),
            "labour": spec.employees * np.exp(logs["l"].to_numpy()),
            "materials": materials,
            "investment": capital_scale * np.exp(logs["i"].to_numpy()),
            "wage_bill": spec.alpha_l * value_added * np.exp(noise),
        }
    )
    active = (year >= members["entry"].to_numpy()[rows]) & (
        year <= members["exit"].to_numpy()[rows]
    )
    return frame[active]


def build_sample_panel(seed: int = SEED, n_enterprises: int = N_ENTERPRISES) -> pd.DataFrame:
    """Return the illustrative enterprise panel with its known truth.

    Parameters
    ----------
    seed : int
        Seed of every random draw; the same seed gives the same panel.
    n_enterprises : int
        Number of enterprises (at least the register pool's 700).

    Returns
    -------
    DataFrame
        One row per enterprise and year, sorted by tax code and year: ``tax_code``,
        ``year``, ``vsic_section``, the levels of :data:`LEVEL_COLUMNS` (rounded to 4
        significant digits), ``status`` and ``source``. ``attrs["truth"]`` holds
        :func:`truth`.

    Examples
    --------
    >>> panel = build_sample_panel(n_enterprises=720)
    >>> panel["tax_code"].nunique(), int(panel["year"].min()), int(panel["year"].max())
    (720, 2015, 2025)

    """
    root = np.random.SeedSequence(seed)
    draws, *streams = root.spawn(1 + len(SECTOR_TRUTH))
    rng = np.random.default_rng(draws)
    enterprises = _enterprises(rng, n_enterprises)
    support = _register_years(_sample_register())
    enterprises = enterprises.join(support, on="tax_code")
    enterprises = enterprises.join(_active_years(enterprises, rng))
    pieces = []
    for section, stream in zip(SECTOR_TRUTH, streams, strict=True):
        members = enterprises[enterprises["vsic_section"] == section]
        if len(members):
            pieces.append(_simulate_section(section, members, stream))
    panel = pd.concat(pieces, ignore_index=True)
    for column in LEVEL_COLUMNS:
        panel[column] = _round_significant(panel[column].to_numpy())
    panel["status"] = SAMPLE_STATUS
    panel["source"] = SAMPLE_SOURCE
    panel = panel.sort_values(["tax_code", "year"], ignore_index=True)
    panel.attrs["truth"] = truth()
    return panel


def panel_csv_bytes(panel: pd.DataFrame) -> bytes:
    """Return the panel as gzip-compressed UTF-8 CSV, without a time stamp (reproducible)."""
    text = panel.to_csv(index=False, lineterminator="\n")
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as zipped:
        zipped.write(text.encode("utf-8"))
    return buffer.getvalue()


def write_sample_panel(path: Path = config.SAMPLE_DATA_DIR / SAMPLE_FILE, seed: int = SEED) -> Path:
    """Write the sample panel as gzip CSV (byte-identical for the same seed); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(panel_csv_bytes(build_sample_panel(seed)))
    return path


# ----------------------------------------------------------------------------------------
# Loader
# ----------------------------------------------------------------------------------------


def _text_problems(frame: pd.DataFrame, found: Problems) -> None:
    for column in ("tax_code", "vsic_section"):
        found.add_rows("missing_value", frame[column].isna().to_numpy(), column=column)
    codes = frame["tax_code"].fillna("").astype(str).str.strip()
    bad = frame["tax_code"].notna().to_numpy() & ~codes.str.match(TAX_CODE_PATTERN).to_numpy()
    found.add_rows(
        "not_a_tax_code",
        bad,
        column="tax_code",
        values=frame["tax_code"],
        expected=found.expected("tax_code_or_branch"),
    )
    sections = frame["vsic_section"].fillna("").astype(str).str.strip()
    bad = frame["vsic_section"].notna().to_numpy() & ~sections.str.match(SECTION_PATTERN)
    found.add_rows(
        "not_a_vsic_section",
        bad.to_numpy(),
        column="vsic_section",
        values=frame["vsic_section"],
        expected=found.expected("vsic_section"),
    )


#: Years an enterprise panel may hold.
PANEL_YEARS = (1990, 2100)


def _numeric_problems(frame: pd.DataFrame, found: Problems) -> pd.DataFrame:
    numbers = pd.DataFrame(index=frame.index)
    for column in ("year", *LEVEL_COLUMNS):
        values = pd.to_numeric(frame[column], errors="coerce")
        found.add_rows("missing_value", frame[column].isna().to_numpy(), column=column)
        not_numeric = (values.isna() & frame[column].notna()).to_numpy()
        found.add_rows("not_number", not_numeric, column=column, values=frame[column])
        numbers[column] = values
    year = numbers["year"]
    low, high = PANEL_YEARS
    bad_year = (year.notna() & ((year != year.round()) | (year < low) | (year > high))).to_numpy()
    found.add_rows(
        "not_a_year",
        bad_year,
        column="year",
        values=frame["year"],
        expected=found.expected("year_between", low=low, high=high),
    )
    for column in LEVEL_COLUMNS:
        values = numbers[column]
        if column in LOG_COLUMNS:
            bad = (values <= 0).to_numpy()
            kind, expected = "not_positive_log", found.expected("above_zero")
        else:
            bad = (values < 0).to_numpy()
            kind, expected = "not_non_negative", found.expected("zero_or_more")
        found.add_rows(kind, bad, column=column, values=frame[column], expected=expected)
    return numbers


def validate_enterprise_panel(frame: pd.DataFrame, source: str = SAMPLE_FILE) -> pd.DataFrame:
    """Check an enterprise panel read from a file and return it with clean types.

    Parameters
    ----------
    frame : DataFrame
        The file's rows, every cell as read (text or numbers).
    source : str
        File name used in the problems.

    Returns
    -------
    DataFrame
        ``tax_code`` and ``vsic_section`` as text, ``year`` as int, levels as float;
        ``status`` and ``source`` filled with "" when absent.

    Raises
    ------
    InputError
        Every problem at once: missing columns, missing or non-numeric values, bad tax codes
        or sections, levels that are not positive where logarithms are taken, and an
        enterprise with two rows in one year. Rows are numbered as in a spreadsheet.

    Examples
    --------
    >>> bad = pd.DataFrame({"tax_code": ["57123"], "year": [2024]})
    >>> try:
    ...     validate_enterprise_panel(bad)
    ... except InputError as error:
    ...     print(error.problems[0].describe())
    enterprise_panel.csv.gz, column 'vsic_section': column is missing

    """
    found = Problems(source)
    for column in (*KEY_COLUMNS, *LEVEL_COLUMNS):
        if column not in frame.columns:
            found.add("column_missing", column=column)
    found.raise_if_errors()
    _text_problems(frame, found)
    numbers = _numeric_problems(frame, found)
    codes = frame["tax_code"].astype(str).str.strip()
    duplicated = (
        pd.DataFrame({"tax_code": codes, "year": numbers["year"]})
        .duplicated(keep="first")
        .to_numpy()
    )
    found.add_rows(
        "enterprise_year_repeated",
        duplicated,
        column="year",
        values=frame["year"],
        expected=found.expected("one_row_per_year"),
    )
    found.raise_if_errors()
    clean = pd.DataFrame(
        {
            "tax_code": codes.astype(str),
            "year": numbers["year"].astype(int),
            "vsic_section": frame["vsic_section"].astype(str).str.strip(),
        }
    )
    for column in LEVEL_COLUMNS:
        clean[column] = numbers[column].astype(float)
    for column in OPTIONAL_COLUMNS:
        clean[column] = frame[column].fillna("").astype(str) if column in frame else ""
    return clean.reset_index(drop=True)


def is_sample(panel: pd.DataFrame) -> bool:
    """True when every row of ``panel`` is this module's illustrative sample."""
    return bool(
        len(panel)
        and "source" in panel
        and (panel["source"] == SAMPLE_SOURCE).all()
        and (panel["status"] == SAMPLE_STATUS).all()
    )


def load_enterprise_panel(data_dir: Path | str) -> pd.DataFrame | None:
    """Read and check the enterprise panel of a data folder; None when there is none.

    The folder may hold ``enterprise_panel.csv.gz`` or ``enterprise_panel.csv`` (UTF-8,
    comma-separated, one row per enterprise and year). When the rows are this module's
    illustrative sample, ``attrs["truth"]`` holds :func:`truth`.

    Parameters
    ----------
    data_dir : Path or str
        The data folder.

    Returns
    -------
    DataFrame or None
        As :func:`validate_enterprise_panel`, sorted by tax code and year.

    Raises
    ------
    InputError
        When the file cannot be read or breaks the contract (see
        :func:`validate_enterprise_panel`).

    """
    folder = Path(data_dir)
    path = next((folder / name for name in PANEL_FILES if (folder / name).is_file()), None)
    if path is None:
        return None
    try:
        raw = pd.read_csv(path, dtype={"tax_code": str, "vsic_section": str}, encoding="utf-8")
    except (
        OSError,
        UnicodeDecodeError,
        pd.errors.ParserError,
        pd.errors.EmptyDataError,
        EOFError,
    ) as error:
        unreadable = Problems(path.name)
        unreadable.add("panel_unreadable", detail=error)
        raise InputError(unreadable) from error
    panel = validate_enterprise_panel(raw, source=path.name)
    panel = panel.sort_values(["tax_code", "year"], ignore_index=True)
    if is_sample(panel):
        panel.attrs["truth"] = truth()
    return panel


if __name__ == "__main__":
    print(write_sample_panel().name)
