"""Facts the notebooks' prose quotes: each from one place (plan file, parameters, a constant).

A markdown cell of a section notebook quotes a fact with a Jinja2 placeholder,
``{{ facts.disclosure_min_count }}``, instead of writing "3". When the report is assembled
(:func:`helpers.report.build.assemble`) every placeholder is replaced by the fact's value,
formatted for the cell's language through :mod:`helpers.i18n` (``0,95`` in Vietnamese,
``0.95`` in English). Changing the plan file, a parameter or a constant therefore changes the
sentences; the text cannot silently contradict the computation.

Each fact below is a function of the report's context, registered with :func:`fact`; the first
line of its docstring names its source. A placeholder that names no fact, or a fact the plan
file cannot give (no growth band in the phase), is an :class:`~helpers.errors.InputError`
naming the notebook and the cell, raised before any notebook runs (:func:`check_notebooks`).

Examples
--------
>>> sorted(FACTS)[:2]
['disclosure_dominance', 'disclosure_min_count']
>>> placeholders("at least {{ facts.disclosure_min_count }} enterprises")
{'disclosure_min_count'}

"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import nbformat
from jinja2 import StrictUndefined, TemplateError, UndefinedError, nodes
from jinja2.sandbox import SandboxedEnvironment

from helpers import i18n
from helpers.errors import EXIT_BAD_INPUT, InputError, InputProblem, NsclError

if TYPE_CHECKING:
    from helpers.programme.plan import Phase
    from helpers.report.context import ReportContext

#: How a fact's value is written: a count (``1.000``), a year (``2030``, never ``2.030``), a
#: fraction written as a percentage number without the sign (``0.85`` → ``85``; the sign and its
#: spacing stay in the prose), a ratio with two decimals (``0,95``) or text.
Form = Literal["count", "year", "percent", "ratio", "text"]

#: Where facts sit in a cell: ``{{ facts.NAME }}``.
NAMESPACE = "facts"
_DELIMITER = re.compile(r"\{[{%#]")


class UnknownFact(NsclError):  # noqa: N818 - reads as what it is: an unknown fact
    """A placeholder names no fact of :data:`FACTS` (the notebook's text must change)."""

    exit_code = EXIT_BAD_INPUT


class FactUnavailable(NsclError):  # noqa: N818 - reads as a sentence: "fact unavailable"
    """The source of a fact cannot give it for this report (for example no next phase)."""

    exit_code = EXIT_BAD_INPUT


@dataclass(frozen=True)
class Fact:
    """One fact: its name in placeholders, how to compute it and how to write it."""

    name: str
    compute: Callable[[ReportContext], object]
    form: Form

    @property
    def source(self) -> str:
        """Where the fact comes from: the first line of its function's docstring."""
        return (self.compute.__doc__ or "").strip().splitlines()[0]

    def render(self, ctx: ReportContext) -> str:
        """The fact's value written for ``ctx.lang``."""
        return write(self.compute(ctx), self.form, ctx.lang)


#: Every fact the prose may quote, by placeholder name.
FACTS: dict[str, Fact] = {}


def fact(form: Form) -> Callable[[Callable[[ReportContext], object]], Callable]:
    """Register a function of the report context as the fact named like the function."""

    def register(function: Callable[[ReportContext], object]) -> Callable:
        FACTS[function.__name__] = Fact(function.__name__, function, form)
        return function

    return register


def write(value: object, form: Form, lang: str) -> str:
    """Write a fact's value for ``lang``.

    Examples
    --------
    >>> write(0.85, "percent", "vi"), write(0.085, "percent", "vi"), write(0.95, "ratio", "en")
    ('85', '8,5', '0.95')
    >>> write(2030, "year", "vi"), write(1000, "count", "vi")
    ('2030', '1.000')

    """
    if form == "year":
        return str(int(value))  # type: ignore[call-overload]
    if form == "count":
        return i18n.format_number(int(value), lang)  # type: ignore[call-overload]
    if form == "percent":
        number = round(float(value) * 100, 6)  # type: ignore[arg-type]
        decimals = 0 if number == int(number) else len(f"{number:g}".split(".")[1])
        return i18n.format_number(number, lang, min(decimals, 2))
    if form == "ratio":
        return i18n.format_number(float(value), lang, 2)  # type: ignore[arg-type]
    return str(value)


# ------------------------------------------------------------------------------------------
# The facts


def _growth_band(ctx: ReportContext, phase: Phase) -> tuple[float, float]:
    bands = {
        (t.band_low, t.band_high)
        for t in ctx.plan.targets
        if t.phase == phase.number and t.kind == "growth_band"
    }
    if len(bands) != 1:
        many = "several growth bands" if bands else "no growth_band target"
        raise FactUnavailable(f"the plan file has {many} in phase {phase.start}–{phase.end}")
    low, high = bands.pop()
    return float(low), float(high)  # type: ignore[arg-type]


def _next_phase(ctx: ReportContext) -> Phase:
    from helpers.report.sections.review import next_phase

    upcoming = next_phase(ctx)
    if upcoming is None:
        raise FactUnavailable(f"the plan file has no phase after the one that ends by {ctx.year}")
    return upcoming


@fact("percent")
def growth_band_low(ctx: ReportContext) -> float:
    """Plan file: ``band_low`` of the growth-band target (enterprises supported) of the phase."""
    return _growth_band(ctx, ctx.phase)[0]


@fact("percent")
def growth_band_high(ctx: ReportContext) -> float:
    """Plan file: ``band_high`` of the growth-band target (enterprises supported) of the phase."""
    return _growth_band(ctx, ctx.phase)[1]


@fact("year")
def next_phase_end(ctx: ReportContext) -> int:
    """Plan file: last year of the phase after the one under review (phase review)."""
    return _next_phase(ctx).end


@fact("percent")
def next_phase_growth_band_low(ctx: ReportContext) -> float:
    """Plan file: ``band_low`` of the growth-band target of the phase after the one reviewed."""
    return _growth_band(ctx, _next_phase(ctx))[0]


@fact("percent")
def next_phase_growth_band_high(ctx: ReportContext) -> float:
    """Plan file: ``band_high`` of the growth-band target of the phase after the one reviewed."""
    return _growth_band(ctx, _next_phase(ctx))[1]


@fact("ratio")
def on_track_ratio(ctx: ReportContext) -> float:
    """Constant ``helpers.programme.progress.ON_TRACK_RATIO``: R at or above it is on track."""
    from helpers.programme import progress

    return progress.ON_TRACK_RATIO


@fact("count")
def disclosure_min_count(ctx: ReportContext) -> int:
    """Constant ``helpers.tfp.disclosure.MIN_COUNT``: enterprises a published cell needs."""
    from helpers.tfp import disclosure

    return disclosure.MIN_COUNT


@fact("percent")
def disclosure_dominance(ctx: ReportContext) -> float:
    """Constant ``helpers.tfp.disclosure.DOMINANCE_THRESHOLD``: largest share of one enterprise."""
    from helpers.tfp import disclosure

    return disclosure.DOMINANCE_THRESHOLD


@fact("count")
def percentile_min_count(ctx: ReportContext) -> int:
    """Constant ``helpers.tfp.enterprise_statistics.MIN_PERCENTILE_COUNT``: for percentiles."""
    from helpers.tfp import enterprise_statistics

    return enterprise_statistics.MIN_PERCENTILE_COUNT


@fact("count")
def sector_min_enterprises(ctx: ReportContext) -> int:
    """Constant ``helpers.tfp.enterprise_estimates.MIN_SECTOR_FIRMS``: else pooled."""
    from helpers.tfp import enterprise_estimates

    return enterprise_estimates.MIN_SECTOR_FIRMS


@fact("count")
def sector_reliable_enterprises(ctx: ReportContext) -> int:
    """Constant ``helpers.tfp.enterprise_estimates.FEW_FIRMS``: below it, the pooled function."""
    from helpers.tfp import enterprise_estimates

    return enterprise_estimates.FEW_FIRMS


@fact("text")
def enterprise_method(ctx: ReportContext) -> str:
    """Constant ``helpers.tfp.enterprise_estimates.DEFAULT_METHOD``, named by the catalogue."""
    from helpers.tfp import enterprise_estimates

    return ctx.t("ent.method." + enterprise_estimates.DEFAULT_METHOD)


@fact("text")
def enterprise_method_citation(ctx: ReportContext) -> str:
    """Constant ``helpers.tfp.enterprise_estimates.DEFAULT_METHOD``, cited by the catalogue."""
    from helpers.tfp import enterprise_estimates

    return ctx.t("ent.method_citation." + enterprise_estimates.DEFAULT_METHOD)


# ------------------------------------------------------------------------------------------
# Rendering and checking notebook text


class Facts:
    """The facts of one report edition, as the placeholders see them (``facts.NAME``).

    Values are computed when a placeholder asks for them, so a fact that a report does not
    quote is never required of its plan file.
    """

    def __init__(self, ctx: ReportContext):
        self._ctx = ctx

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in FACTS:
            raise UnknownFact(name)
        return FACTS[name].render(self._ctx)

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)


_ENVIRONMENT = SandboxedEnvironment(
    autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
)


def has_placeholders(text: str) -> bool:
    """Whether ``text`` holds any Jinja2 delimiter (``{{``, ``{%`` or ``{#``)."""
    return bool(_DELIMITER.search(text))


def placeholders(text: str) -> set[str]:
    """Names of the facts ``text`` quotes (``{{ facts.NAME }}``).

    Raises
    ------
    jinja2.TemplateSyntaxError
        When the text is not a valid template (an unclosed ``{{``).

    """
    tree = _ENVIRONMENT.parse(text)
    return {
        node.attr
        for node in tree.find_all(nodes.Getattr)
        if isinstance(node.node, nodes.Name) and node.node.name == NAMESPACE
    }


def render_text(text: str, facts: Facts, where: str) -> str:
    """Replace the placeholders of one markdown cell by the facts' values.

    Parameters
    ----------
    text : str
        The cell's source.
    facts : Facts
        The facts of the edition (its language formats the values).
    where : str
        The notebook and cell, for error messages (``05_enterprises.ipynb, cell 26 (vi)``).

    Raises
    ------
    InputError
        Naming the notebook and cell: an unknown fact, a fact the plan file cannot give, a
        name other than ``facts`` or a malformed placeholder.

    """
    if not has_placeholders(text):
        return text
    try:
        return _ENVIRONMENT.from_string(text).render({NAMESPACE: facts})
    except UnknownFact as error:
        message = f"{where}: unknown fact {{{{ {NAMESPACE}.{error.args[0]} }}}}"
        expected = "one of " + ", ".join(sorted(FACTS)) + " (helpers.report.facts)"
        problem = InputProblem(_file(where), message, expected=expected)
    except FactUnavailable as error:
        problem = InputProblem(_file(where), f"{where}: {error.args[0]}")
    except UndefinedError as error:
        message = f"{where}: {error.message}; notebook text may quote only {NAMESPACE}.NAME"
        problem = InputProblem(_file(where), message)
    except TemplateError as error:
        problem = InputProblem(_file(where), f"{where}: malformed placeholder: {error.message}")
    raise InputError([problem])


def _file(where: str) -> str:
    return "notebooks/" + where.split(",")[0]


def cell_place(notebook: str, position: int, lang: str | None = None) -> str:
    """How errors name a cell: ``05_enterprises.ipynb, cell 26 (vi)``."""
    return f"{notebook}, cell {position}" + (f" ({lang})" if lang else "")


def markdown_cells(path: Path) -> Iterable[tuple[int, nbformat.NotebookNode]]:
    """The markdown cells of a notebook with their positions (from 1)."""
    notebook = nbformat.read(path, as_version=4)
    for position, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "markdown":
            yield position, cell


def check_notebooks(paths: Iterable[Path], ctx: ReportContext) -> None:
    """Render the markdown of ``ctx.lang`` in every notebook; raise on the first bad cell.

    Run before the notebooks execute, so that a wrong placeholder costs no build.
    """
    other = set(i18n.LANGUAGES) - {ctx.lang}
    facts = Facts(ctx)
    for path in paths:
        for position, cell in markdown_cells(path):
            if other & set(cell.get("metadata", {}).get("tags", [])):
                continue
            render_text(cell.source, facts, cell_place(path.name, position, ctx.lang))
