"""The content of the submission to the Ministry: every number from the data, in Vietnamese.

:func:`build_submission` turns a report context (the same inputs, indicators and statuses as the
HTML/PDF report) and the Department's words (:mod:`helpers.inputs.submission_text`) into a
:class:`Submission`: the header block, sections I–V as paragraphs and tables, and the annexes.
Sentences come from ``templates/submission/phrases.vi.yaml``; numbers are formatted the
Vietnamese way (1.234,5). :mod:`helpers.report.submission.docx` writes it into the Word template.

Statuses are read through :func:`target_status` only, so that the status vocabulary can change
in one place.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from dataclasses import dataclass, field

import pandas as pd

from helpers import config, i18n
from helpers.inputs.contracts import FUNDING_SOURCES
from helpers.inputs.submission_text import DepartmentText, is_placeholder
from helpers.problems import load_yaml
from helpers.programme import progress
from helpers.programme.evidence import assess_task_in_year
from helpers.programme.indicators import cumulative_in_phase, indicator_series
from helpers.programme.plan import Target
from helpers.report.context import NON_PUBLISHED, ReportContext, count_non_published
from helpers.report.sections.funding import TOTAL, funding_by_source, with_total_row

PHRASES_PATH = config.TEMPLATES_DIR / "submission" / "phrases.vi.yaml"
LANG = "vi"
#: Communes listed by name in the locality table; the others are grouped in one row.
TOP_COMMUNES = 10
#: Annex numbers in Roman numerals.
ROMAN = ("I", "II", "III", "IV", "V")


@functools.cache
def phrases() -> dict[str, str]:
    """The submission's sentences (Vietnamese only), read with YAML's safe loader."""
    return load_yaml(PHRASES_PATH.read_text(encoding="utf-8"))  # type: ignore[return-value]


def p(key: str, **values: object) -> str:
    """The sentence ``key`` with ``values`` filled in."""
    return phrases()[key].format(**values)


def num(value: float | int | None, decimals: int = 0) -> str:
    """A number the Vietnamese way (``1.234,5``)."""
    return i18n.format_number(value, LANG, decimals)


def pct(fraction: float | None, decimals: int = 1) -> str:
    """A fraction as a Vietnamese percentage (``0.9`` → ``90,0 %``, the space unbreakable)."""
    return i18n.format_percent(fraction, LANG, decimals).replace(" %", "\u00a0%")


def target_status(ctx: ReportContext, code: str) -> tuple[str, str]:
    """The status of target ``code`` as computed by the report: its key and its label.

    The one place the submission reads statuses (another vocabulary can be switched in here).
    """
    key = str(ctx.assessment.loc[code, "status"])
    return key, i18n.t("status." + key, LANG)


def _in_sentence(label: str) -> str:
    """A status label inside a sentence (its first letter in lower case)."""
    return label[:1].lower() + label[1:]


# --- the document model --------------------------------------------------------------------


@dataclass
class Paragraph:
    """A paragraph with the role of its style (see ``submission_template.STYLES``)."""

    text: str
    role: str = "body"


@dataclass
class Table:
    """A data table: caption, header, rows of text, which columns are numbers."""

    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    widths_mm: list[float] | None = None
    note: str | None = None


Block = Paragraph | Table


@dataclass
class Annex:
    """An annex: its label, subject, a note and its blocks."""

    label: str
    subject: str
    note: str
    blocks: list[Block]


@dataclass
class Submission:
    """Everything the Word document shows, in order."""

    parent_body: str
    issuing_body: str
    number: str
    place_date: str
    subject: str
    addressee: str
    body: list[Block]
    signer_authority: str
    signer_position: str
    signer_name: str
    recipients: list[str]
    keep: str
    annexes: list[Annex] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)


# --- helpers over the context ---------------------------------------------------------------


def place_date(place: str, day: dt.date | None) -> str:
    """``Quảng Ninh, ngày 05 tháng 02 năm 2025``: day below 10 and months 1–2 with a zero.

    Examples
    --------
    >>> place_date("Quảng Ninh", dt.date(2025, 2, 5))
    'Quảng Ninh, ngày 05 tháng 02 năm 2025'
    >>> place_date("Quảng Ninh", dt.date(2025, 11, 25))
    'Quảng Ninh, ngày 25 tháng 11 năm 2025'

    """
    if day is None:
        return f"{place}, {phrases()['date_blank']}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return p("place_date", place=place, day=f"{day.day:02d}", month=month, year=day.year)


@dataclass(frozen=True)
class Period:
    """The years a submission reports on: one year, or a whole phase up to the year."""

    first: int
    year: int
    review: bool

    @property
    def label(self) -> str:
        """``Năm 2025`` or ``Giai đoạn 2021–2025``."""
        if self.review:
            return p("period_review", start=self.first, end=self.year)
        return p("period_annual", year=self.year)

    def rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows of a register in the period."""
        return frame[(frame["year"] >= self.first) & (frame["year"] <= self.year)]


def _period(ctx: ReportContext) -> Period:
    review = ctx.kind == "phase_review"
    return Period(ctx.phase.start if review else ctx.year, ctx.year, review)


def _value(ctx: ReportContext, name: str, period: Period) -> float:
    """An indicator summed over the period (0 when the registers have no row for it)."""
    series = indicator_series(ctx.indicators, name)
    window = series[(series.index >= period.first) & (series.index <= period.year)]
    return float(window.sum())


def _targets(ctx: ReportContext, indicator: str, phase: int | None = None) -> list[Target]:
    number = ctx.phase.number if phase is None else phase
    return [t for t in ctx.plan.targets if t.indicator == indicator and t.phase == number]


def _unit(target: Target) -> str:
    return phrases().get(f"unit_{target.unit}", "")


def _cumulative(ctx: ReportContext, target: Target) -> float:
    phase = ctx.plan.phase(target.phase)
    flows = indicator_series(ctx.indicators, target.indicator)
    cumulative = cumulative_in_phase(flows, phase.start, min(ctx.year, phase.end)).dropna()
    return float(cumulative.iloc[-1]) if len(cumulative) else 0.0


def count_values(ctx: ReportContext, target: Target) -> dict[str, str]:
    """The numbers of a cumulative-count sentence: actual, target, share, status."""
    actual = _cumulative(ctx, target)
    goal = float(target.target or 0)
    return {
        "actual": num(actual),
        "target": num(goal),
        "share": pct(actual / goal if goal else None),
        "status": _in_sentence(target_status(ctx, target.code)[1]),
    }


def _result_text(ctx: ReportContext, target: Target) -> str:
    """What a target reached, in words with its numbers (the annex and section III)."""
    row = ctx.assessment.loc[target.code]
    if target.kind == "cumulative_count":
        values = count_values(ctx, target)
        return p("result_count", unit=_unit(target), **values)
    if target.kind == "growth_band":
        return p(
            "result_band",
            met=num(row.get("years_met")),
            assessed=num(row.get("years_assessed")),
            cagr=pct(row.get("actual")),
            low=pct(target.band_low, 0),
            high=pct(target.band_high, 0),
        )
    if target.kind == "task":
        if isinstance(row.get("evidence"), str):
            return p("result_milestone_done", year=int(row["year"]))
        return p("result_milestone_open")
    if pd.isna(row.get("actual")):
        return i18n.MISSING
    return p("result_trend", actual=pct(row["actual"]), year=int(row["year"]))


def _plan_text(target: Target) -> str:
    if target.kind == "cumulative_count":
        return f"{num(target.target)} {_unit(target)}".strip()
    if target.kind == "growth_band":
        return f"{pct(target.band_low, 0)}–{pct(target.band_high, 0)}/năm"
    return i18n.MISSING


class _Numbering:
    """Running numbers of the body's tables."""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> int:
        self.value += 1
        return self.value


# --- section I and II -------------------------------------------------------------------------


def funding_table(ctx: ReportContext, numbering: _Numbering) -> Table | None:
    """Funding by year (phase start to report year) and source, with totals, or None."""
    frame = ctx.registers.get("funding")
    if frame is None:
        return None
    table = with_total_row(funding_by_source(frame, ctx.phase.start, ctx.year))
    labels = [i18n.t(f"funding.source_{s}", LANG) for s in FUNDING_SOURCES]
    rows = [
        [p("col_total") if year == TOTAL else str(year)] + [num(v) for v in values]
        for year, values in zip(table.index, table.to_numpy().tolist(), strict=True)
    ]
    return Table(
        p("funding_caption", n=numbering.next()),
        [p("col_year"), *labels, p("col_total")],
        rows,
        [False, True, True, True, True],
        [25, 35, 35, 35, 35],
    )


def funding_sentence(ctx: ReportContext, period: Period) -> str:
    """Total funding of the period and its split by source."""
    frame = ctx.registers.get("funding")
    if frame is None:
        return p("funding_missing")
    sums = funding_by_source(frame, period.first, period.year).sum(axis=0)
    return p(
        "funding_sentence",
        period=period.label,
        total=num(sums.get(TOTAL, 0.0)),
        central=num(sums.get("central_budget", 0.0)),
        provincial=num(sums.get("provincial_budget", 0.0)),
        enterprise=num(sums.get("enterprise", 0.0)),
    )


def _awareness(ctx: ReportContext, period: Period) -> list[Block]:
    activities = ctx.registers["activities"]
    awareness = activities[activities["kind"] == "awareness_event"]
    events = period.rows(awareness)
    phase_events = Period(ctx.phase.start, ctx.year, True).rows(awareness)
    judged = "".join(
        p("awareness_status", status=_in_sentence(target_status(ctx, t.code)[1]))
        for t in _targets(ctx, "awareness_events")
    )
    cumulative = ""
    if not period.review:
        cumulative = p(
            "awareness_phase",
            start=ctx.phase.start,
            year=ctx.year,
            events=num(len(phase_events)),
            participants=num(phase_events["participants"].sum()),
        )
    sentence = p(
        "awareness",
        period=period.label,
        events=num(len(events)),
        participants=num(events["participants"].sum()),
        enterprises=num(events["enterprises"].fillna(0).sum()),
        cumulative=cumulative,
        judged=judged,
    )
    return [Paragraph(p("h_awareness"), "heading2"), Paragraph(sentence)]


def _training(ctx: ReportContext, period: Period) -> list[Block]:
    blocks: list[Block] = [Paragraph(p("h_training"), "heading2")]
    for target in _targets(ctx, "experts_certified"):
        blocks.append(
            Paragraph(
                p(
                    "experts",
                    period=period.label,
                    count=num(_value(ctx, "experts_certified", period)),
                    start=ctx.phase.start,
                    year=ctx.year,
                    **count_values(ctx, target),
                )
            )
        )
    for target in _targets(ctx, "manager_training_turns"):
        blocks.append(
            Paragraph(
                p(
                    "managers",
                    period=period.label,
                    courses=num(_value(ctx, "manager_courses", period)),
                    count=num(_value(ctx, "manager_training_turns", period)),
                    start=ctx.phase.start,
                    year=ctx.year,
                    **count_values(ctx, target),
                )
            )
        )
    return blocks


def _count_table(
    caption: str, label: str, counts: pd.Series, labels: dict[str, str] | None = None
) -> Table:
    rows = [
        [str(i), (labels or {}).get(str(k), str(k)), num(v)]
        for i, (k, v) in enumerate(counts.items(), start=1)
    ]
    return Table(
        caption, [p("col_no"), label, p("col_count")], rows, [False, False, True], [12, 113, 40]
    )


def enterprise_breakdowns(enterprises: pd.DataFrame) -> dict[str, pd.Series]:
    """Distinct supported enterprises by support form, tool, sector and commune.

    Each series counts distinct tax codes; an enterprise counts once per category.
    """
    distinct = functools.partial(_distinct_by, enterprises)
    communes = distinct("commune").sort_values(ascending=False, kind="stable")
    return {
        "support_type": distinct("support_type"),
        "tools": distinct("tools", explode=True).sort_values(ascending=False, kind="stable"),
        "vsic_section": distinct("vsic_section"),
        "commune": communes,
    }


def _distinct_by(frame: pd.DataFrame, column: str, explode: bool = False) -> pd.Series:
    data = frame[["tax_code", column]]
    if explode:
        data = data.explode(column)
    data = data.fillna({column: ""}) if not explode else data.dropna(subset=[column])
    counts = data.groupby(column)["tax_code"].nunique()
    return counts.sort_index()


def _enterprises(ctx: ReportContext, period: Period, numbering: _Numbering) -> list[Block]:
    register = period.rows(ctx.registers["supported_enterprises"])
    blocks: list[Block] = [Paragraph(p("h_enterprises"), "heading2")]
    blocks.append(
        Paragraph(
            p(
                "enterprises",
                period=period.label,
                count=num(register["tax_code"].nunique()),
                actions=num(len(register)),
                with_tools=num(register.loc[register["tools"].map(len) > 0, "tax_code"].nunique()),
            )
        )
    )
    for target in _targets(ctx, "enterprises_supported"):
        series = indicator_series(ctx.indicators, "enterprises_supported")
        if ctx.year - 1 in series.index and ctx.year in series.index:
            count, previous = series[ctx.year], series[ctx.year - 1]
            blocks.append(
                Paragraph(
                    p(
                        "enterprises_growth",
                        year=ctx.year,
                        growth=pct(count / previous - 1),
                        previous=ctx.year - 1,
                        previous_count=num(previous),
                        low=pct(target.band_low, 0),
                        high=pct(target.band_high, 0),
                        start=ctx.phase.start,
                        cagr=pct(ctx.assessment.loc[target.code, "actual"]),
                        status=_in_sentence(target_status(ctx, target.code)[1]),
                    )
                )
            )
    blocks.append(Paragraph(p("enterprises_by")))
    parts = enterprise_breakdowns(register)
    support = {s: p(f"support_{s}") for s in parts["support_type"].index}
    sectors = {s: f"{s} – {i18n.t('ent.vsic.' + s, LANG)}" for s in parts["vsic_section"].index}
    communes = parts["commune"]
    shown = communes.head(TOP_COMMUNES)
    if len(communes) > TOP_COMMUNES:
        rest = communes.iloc[TOP_COMMUNES:]
        shown = pd.concat([shown, pd.Series({p("commune_other", count=len(rest)): rest.sum()})])
    shown = shown.rename(index={"": p("commune_missing")})
    blocks += [
        _count_table(
            p("support_caption", n=numbering.next()), p("col_form"), parts["support_type"], support
        ),
        _count_table(p("tools_caption", n=numbering.next()), p("col_tool"), parts["tools"]),
        _count_table(
            p("sector_caption", n=numbering.next()), p("col_sector"), parts["vsic_section"], sectors
        ),
        _count_table(p("commune_caption", n=numbering.next()), p("col_commune"), shown),
    ]
    return blocks


def pilot_models(ctx: ReportContext) -> pd.DataFrame:
    """Pilot-model enterprises of the phase up to the report year: programme records only.

    Columns: ``name``, ``vsic_section``, ``commune``, ``level``, ``tools`` (every tool the
    enterprise applied in the phase), ``year`` (first year as a pilot model). No financial or
    productivity figure is ever taken here.
    """
    register = ctx.registers["supported_enterprises"]
    phase = register[(register["year"] >= ctx.phase.start) & (register["year"] <= ctx.year)]
    pilots = phase[phase["pilot_model"].astype(bool)]
    rows = []
    for tax_code, group in pilots.groupby("tax_code", sort=False):
        first = group.sort_values("year").iloc[0]
        applied = phase.loc[phase["tax_code"] == tax_code, "tools"]
        tools = sorted({tool for codes in applied for tool in codes})
        national = (group["pilot_level"] == "national").any()
        rows.append(
            {
                "name": first["name"],
                "vsic_section": first["vsic_section"],
                "commune": first["commune"] or "",
                "level": "national" if national else "provincial",
                "tools": "; ".join(tools),
                "year": int(first["year"]),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["name", "vsic_section", "commune", "level", "tools", "year"]
    )
    return frame.sort_values(["year", "name"], kind="stable").reset_index(drop=True)


def _pilots(ctx: ReportContext, period: Period) -> list[Block]:
    blocks: list[Block] = [Paragraph(p("h_pilots"), "heading2")]
    models = pilot_models(ctx)
    new = models[(models["year"] >= period.first) & (models["year"] <= period.year)]
    for target in _targets(ctx, "pilot_models"):
        blocks.append(
            Paragraph(
                p(
                    "pilots",
                    period=period.label,
                    count=num(len(new)),
                    national=num(int((new["level"] == "national").sum())),
                    start=ctx.phase.start,
                    year=ctx.year,
                    **count_values(ctx, target),
                )
            )
        )
    if len(new) and not period.review:
        blocks.append(Paragraph(p("pilots_names", names="; ".join(new["name"]))))
    return blocks


def _milestone(ctx: ReportContext, target: Target) -> Paragraph:
    """A task's sentence: its status and the evidence counted for it (coded activities)."""
    status = _in_sentence(target_status(ctx, target.code)[1])
    task = assess_task_in_year(target, ctx.plan, ctx.registers["activities"], ctx.year)
    if task.counted.empty:
        return Paragraph(p("milestone_open", target=target.name_vi, year=ctx.year, status=status))
    listed = "; ".join(
        f"{r.title} ({i18n.format_date(r.date, LANG)})" for r in task.counted.itertuples()
    )
    return Paragraph(
        p(
            "milestone_done",
            target=target.name_vi,
            year=task.year,
            evidence=listed,
            status=status,
        )
    )


def _certification(ctx: ReportContext) -> list[Block]:
    blocks: list[Block] = [Paragraph(p("h_certification"), "heading2")]
    blocks += [_milestone(ctx, t) for t in _targets(ctx, "cert_scope_extension")]
    return blocks


def _criteria_sentence(ctx: ReportContext) -> str | None:
    if not ctx.plan.plan.criteria_file:
        return None
    from helpers.tfp.criteria import load_criteria

    criteria = load_criteria(config.resolve(ctx.plan.plan.criteria_file))
    return p(
        "criteria_set",
        name=criteria.name_vi,
        enterprise=num(len(criteria.enterprise)),
        province=num(len(criteria.province)),
    )


def published_tfp_shares(ctx: ReportContext) -> list[str]:
    """The province's published TFP shares up to the report year, as ``43,48 % (2021)``."""
    path = ctx.data_dir / "published_figures.csv"
    if not path.is_file():
        return []
    from helpers.inputs.province_accounts import load_published_figures

    figures = load_published_figures(path)
    rows = figures[
        (figures["indicator"] == "tfp_share_of_growth") & (figures["end_year"] <= ctx.year)
    ]
    texts = []
    for row in rows.itertuples():
        value = pct(float(row.value) / 100, 2 if float(row.value) % 1 else 0)
        prefix = "trên " if row.qualifier == "above" else ""
        texts.append(f"{prefix}{value} ({int(row.end_year)})")
    return texts


def _tfp(ctx: ReportContext) -> list[Block]:
    blocks: list[Block] = [Paragraph(p("h_tfp"), "heading2")]
    blocks += [_milestone(ctx, t) for t in _targets(ctx, "tfp_criteria")]
    sentence = _criteria_sentence(ctx)
    if sentence:
        blocks.append(Paragraph(sentence))
    published = published_tfp_shares(ctx)
    if published:
        blocks.append(Paragraph(p("tfp_published", values="; ".join(published))))
    for target in [t for t in ctx.plan.targets if t.kind == "trend"]:
        row = ctx.assessment.loc[target.code]
        status = _in_sentence(target_status(ctx, target.code)[1])
        if pd.isna(row.get("actual")):
            blocks.append(Paragraph(p("tfp_missing", status=status)))
        else:
            blocks.append(
                Paragraph(
                    p(
                        "tfp_estimate",
                        year=int(row["year"]),
                        actual=pct(row["actual"]),
                        reference=pct(row["required"], 0),
                        status=status,
                    )
                )
            )
    return blocks


# --- sections III and IV ---------------------------------------------------------------------

#: Statuses counted as results achieved (the rest of a started phase are shortcomings).
GOOD_STATUSES = frozenset({"achieved", "on_track"})


def _assessment(ctx: ReportContext, text: DepartmentText) -> list[Block]:
    achieved: list[Paragraph] = []
    short: list[Paragraph] = []
    for target in ctx.plan.targets:
        if target.phase not in (0, ctx.phase.number):
            continue
        key, label = target_status(ctx, target.code)
        label = _in_sentence(label)
        if key in ("not_started", "insufficient_data"):
            continue
        line = p(
            "achieved_item" if key in GOOD_STATUSES else "shortcoming_item",
            target=target.name_vi,
            result=_result_text(ctx, target),
            status=label,
        )
        (achieved if key in GOOD_STATUSES else short).append(Paragraph(line))
    blocks: list[Block] = [Paragraph(p("h_assessment"), "heading1")]
    blocks += [Paragraph(p("h_achieved"), "heading2"), *achieved]
    blocks.append(Paragraph(p("h_shortcomings"), "heading2"))
    blocks += short or [Paragraph(p("no_shortcoming", year=ctx.year))]
    blocks.append(Paragraph(p("h_causes"), "heading2"))
    blocks += _department(text, "nguyen_nhan")
    return blocks


def _department(text: DepartmentText, key: str) -> list[Block]:
    return [
        Paragraph(t, "placeholder" if is_placeholder(t) else "body") for t in text.paragraphs(key)
    ]


def band_range(level: float, low: float, high: float, years: int = 1) -> tuple[int, int]:
    """Whole numbers of enterprises inside a growth band after ``years`` years.

    The lower bound rounds up and the upper bound rounds down, so both ends are inside the band.

    Examples
    --------
    >>> band_range(185, 0.10, 0.15)
    (204, 212)

    """
    return math.ceil(round(level * (1 + low) ** years, 6)), math.floor(
        round(level * (1 + high) ** years, 6)
    )


def _band_words(level: float, target: Target, years: int = 1) -> dict[str, str]:
    """The numbers a sentence about a growth band quotes: its ends in enterprises and in %.

    ``count`` is the level the band grows from, ``low_count`` and ``high_count`` the whole
    numbers of enterprises inside the band after ``years`` years (:func:`band_range`).
    """
    low, high = band_range(level, target.band_low or 0, target.band_high or 0, years)
    return {
        "low_count": num(low),
        "high_count": num(high),
        "low": pct(target.band_low, 0),
        "high": pct(target.band_high, 0),
        "count": num(level),
    }


def _next_year(ctx: ReportContext) -> list[str]:
    """Quantities of next year implied by the plan's path, one sentence each."""
    year, following = ctx.year, ctx.year + 1
    next_phase = ctx.plan.phase_of_year(following) if following <= ctx.plan.last_year else None
    sentences: list[str] = []
    if next_phase is None:
        return sentences
    same = next_phase.number == ctx.phase.number
    level = indicator_series(ctx.indicators, "enterprises_supported").get(year)
    for target in [t for t in ctx.plan.targets if t.phase == next_phase.number]:
        if target.kind == "growth_band" and level is not None and not pd.isna(level):
            band = _band_words(float(level), target)
            sentences.append(p("next_band", next=following, year=year, **band))
        elif target.kind == "cumulative_count":
            goal = float(target.target or 0)
            actual = _cumulative(ctx, target) if same else 0.0
            needed = goal - actual + (1 if target.comparison == "more_than" else 0)
            years_left = next_phase.end - year
            if needed <= 0:
                sentences.append(
                    p(
                        "next_met",
                        target=target.name_vi,
                        actual=num(actual),
                        target_value=num(goal),
                        unit=_unit(target),
                    )
                )
            else:
                sentences.append(
                    p(
                        "next_remaining",
                        target=target.name_vi,
                        remaining=num(needed),
                        unit=_unit(target),
                        target_value=num(goal),
                        per_year=num(math.ceil(needed / years_left)),
                        years=num(years_left),
                    )
                )
        elif target.kind == "task" and target.indicator == "awareness_events":
            sentences.append(
                p(
                    "next_awareness",
                    events=num(_value(ctx, target.indicator, Period(year, year, False))),
                    year=year,
                )
            )
        elif target.kind == "task" and (
            not same or target_status(ctx, target.code)[0] != progress.DONE
        ):
            sentences.append(p("next_milestone", target=target.name_vi))
    return sentences


def _next_phase(ctx: ReportContext) -> list[str]:
    """The next phase's targets as quantities from the report year's level (end of a phase)."""
    if ctx.year != ctx.phase.end or ctx.year >= ctx.plan.last_year:
        return []
    phase = ctx.plan.phase_of_year(ctx.year + 1)
    level = indicator_series(ctx.indicators, "enterprises_supported").get(ctx.year)
    sentences = []
    for target in [t for t in ctx.plan.targets if t.phase == phase.number]:
        if target.kind == "growth_band" and level is not None and not pd.isna(level):
            band = _band_words(float(level), target, phase.end - ctx.year)
            sentences.append(
                p("phase_band", target=target.name_vi, end=phase.end, year=ctx.year, **band)
            )
        elif target.kind == "cumulative_count":
            goal = float(target.target or 0)
            per_year = math.ceil(goal / (phase.end - phase.start + 1))
            sentences.append(
                p(
                    "phase_count",
                    target=target.name_vi,
                    target_value=num(goal),
                    unit=_unit(target),
                    per_year=num(per_year),
                )
            )
        else:
            sentences.append(p("phase_other", target=target.name_vi))
    return sentences


def _directions(ctx: ReportContext, text: DepartmentText) -> list[Block]:
    following = ctx.year + 1
    review = ctx.kind == "phase_review"
    phase_sentences = _next_phase(ctx)
    blocks: list[Block] = []
    number = 1
    if review and phase_sentences:
        nxt = ctx.plan.phase_of_year(following)
        blocks.append(Paragraph(p("h_directions_review", start=nxt.start, end=nxt.end), "heading1"))
        blocks.append(Paragraph(p("h_next_phase_only", start=nxt.start, end=nxt.end), "heading2"))
        blocks += [Paragraph(s) for s in phase_sentences]
    else:
        blocks.append(Paragraph(p("h_directions_annual", next=following), "heading1"))
        blocks.append(Paragraph(p("h_next_year", next=following), "heading2"))
        blocks += [Paragraph(s) for s in _next_year(ctx)]
        if phase_sentences:
            nxt = ctx.plan.phase_of_year(following)
            number += 1
            blocks.append(Paragraph(p("h_next_phase", start=nxt.start, end=nxt.end), "heading2"))
            blocks += [Paragraph(s) for s in phase_sentences]
    blocks.append(Paragraph(p("h_department_directions", number=number + 1), "heading2"))
    blocks += _department(text, "phuong_huong")
    return blocks


# --- annexes -----------------------------------------------------------------------------------


def targets_table(ctx: ReportContext) -> Table:
    """Annex I: every target of the report year's phase (and the objective) with its result."""
    rows: list[list[str]] = []
    for target in ctx.plan.targets:
        if target.phase not in (0, ctx.phase.number):
            continue
        rows.append(
            [
                str(len(rows) + 1),
                target.name_vi,
                _plan_text(target),
                _result_text(ctx, target),
                target_status(ctx, target.code)[1],
            ]
        )
    return Table(
        "",
        [
            p("col_no"),
            p("col_target"),
            p("col_plan"),
            p("col_result", year=ctx.year),
            p("col_status"),
        ],
        rows,
        [False, False, False, False, False],
        [10, 62, 25, 40, 28],
    )


def activities_table(ctx: ReportContext, period: Period) -> Table:
    """Annex II: the activities of the period, by date."""
    rows: list[list[str]] = []
    activities = period.rows(ctx.registers["activities"]).sort_values(["date", "title"])
    for r in activities.itertuples():
        rows.append(
            [
                str(len(rows) + 1),
                i18n.format_date(r.date, LANG),
                p(f"kind_{r.kind}"),
                str(r.title),
                num(r.participants),
                num(r.enterprises),
            ]
        )
    return Table(
        "",
        [
            p("col_no"),
            p("col_date"),
            p("col_kind"),
            p("col_title"),
            p("col_participants"),
            p("col_enterprises"),
        ],
        rows,
        [False, False, False, False, True, True],
        [10, 23, 30, 62, 20, 20],
    )


def pilots_table(ctx: ReportContext) -> Table:
    """Annex III: pilot-model enterprises by name, with the tools applied."""
    rows = [
        [
            str(i),
            r.name,
            r.vsic_section,
            r.commune,
            p(f"level_{r.level}"),
            r.tools,
            str(r.year),
        ]
        for i, r in enumerate(pilot_models(ctx).itertuples(), start=1)
    ]
    return Table(
        "",
        [
            p("col_no"),
            p("col_name"),
            p("col_sector"),
            p("col_commune"),
            p("col_level"),
            p("col_tools"),
            p("col_year_started"),
        ],
        rows,
        [False] * 7,
        [9, 46, 16, 30, 16, 33, 15],
        note=p("annex_pilots_note"),
    )


# --- the whole submission ------------------------------------------------------------------------


def _upper(text: str) -> str:
    """Upper case for the header block and the signer's position; placeholders stay as they are."""
    return text if is_placeholder(text) else text.upper()


def build_submission(ctx: ReportContext, text: DepartmentText) -> Submission:
    """Assemble the submission of a report context (annual report or phase summary)."""
    period = _period(ctx)
    numbering = _Numbering()
    document = ctx.plan.plan.document_vi
    issuing = text.get("co_quan_ban_hanh")
    if period.review:
        subject = p("subject_review", start=period.first, end=period.year, document=document)
        opening = p(
            "opening_review", document=document, body=issuing, start=period.first, end=period.year
        )
    else:
        subject = p("subject_annual", document=document, year=ctx.year)
        opening = p("opening_annual", document=document, body=issuing, year=ctx.year)
    body: list[Block] = [Paragraph(opening)]
    # sample or assumed data are said at the top, before any number is read as a finding
    non_published = count_non_published(ctx.registers, ctx.accounts, ctx.panel)
    if non_published:
        body.append(Paragraph(p("illustrative_note", count=num(non_published)), "table_note"))
    body.append(Paragraph(p("h_direction"), "heading1"))
    body += _department(text, "chi_dao_dieu_hanh")
    body.append(Paragraph(funding_sentence(ctx, period)))
    body.append(Paragraph(p("h_results"), "heading1"))
    for group in (
        _awareness(ctx, period),
        _training(ctx, period),
        _enterprises(ctx, period, numbering),
        _pilots(ctx, period),
        _certification(ctx),
        _tfp(ctx),
    ):
        body += group
        if len(group) == 1:  # only the heading: the plan has no target for this group
            body.append(Paragraph(p("no_target", start=ctx.phase.start, end=ctx.phase.end)))
    body.append(Paragraph(p("h_funding"), "heading2"))
    body.append(Paragraph(funding_sentence(ctx, period)))
    table = funding_table(ctx, numbering)
    if table is not None:
        body.append(table)
    body += _assessment(ctx, text)
    body += _directions(ctx, text)
    body.append(Paragraph(p("h_proposals"), "heading1"))
    body.append(Paragraph(p("h_to_ministry"), "heading2"))
    body += _department(text, "kien_nghi_bo")
    body.append(Paragraph(p("h_to_province"), "heading2"))
    body += _department(text, "kien_nghi_tinh")
    number = text.get("so_van_ban") or "…"
    abbreviation = text.get("ky_hieu")
    date = i18n.format_date(text.issued, LANG) if text.issued else "…/…/…"
    note = p("annex_note", number=number, abbreviation=abbreviation, date=date, body=issuing)
    annexes = [
        Annex(p("annex_label", number=ROMAN[0]), p("annex_targets"), note, [targets_table(ctx)]),
        Annex(
            p("annex_label", number=ROMAN[1]),
            p("annex_activities"),
            note,
            [activities_table(ctx, period)],
        ),
        Annex(p("annex_label", number=ROMAN[2]), p("annex_pilots"), note, [pilots_table(ctx)]),
    ]
    return Submission(
        parent_body=_upper(text.get("co_quan_chu_quan")),
        issuing_body=_upper(issuing),
        number=p("number", number=number, abbreviation=abbreviation),
        place_date=place_date(text.get("dia_danh"), text.issued),
        subject=subject,
        addressee=p("addressee", addressee=text.get("kinh_gui")),
        body=body,
        signer_authority=_upper(text.get("quyen_han")),
        signer_position=_upper(text.get("chuc_vu")),
        signer_name=text.get("nguoi_ky"),
        recipients=text.recipients,
        keep=p("keep", keep=text.get("luu")),
        annexes=annexes,
        placeholders=list(text.missing),
    )


__all__ = [
    "NON_PUBLISHED",
    "Submission",
    "build_submission",
    "funding_table",
    "pilot_models",
    "target_status",
]
