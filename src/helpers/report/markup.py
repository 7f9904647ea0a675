"""The report's HTML building blocks, rendered by Jinja2 macros with autoescape.

Section modules never write HTML by hand: they call these functions, which render the macros
of ``templates/blocks.html.j2`` (notice, lead, source note, figure with caption and alt text,
table with caption and source). Every text is escaped by Jinja2; a value that is already
markup (a :class:`markupsafe.Markup`, e.g. a status badge) is kept as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from helpers import config

#: The template file holding the macros.
BLOCKS_TEMPLATE = "blocks.html.j2"


@cache
def _macros():
    env = Environment(
        loader=FileSystemLoader(config.TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=False,
    )
    return env.get_template(BLOCKS_TEMPLATE).module


@dataclass(frozen=True)
class Cell:
    """One table cell: its text (plain, or :class:`Markup` to keep) and whether it is a number."""

    text: str
    numeric: bool = False


def notice(text: str) -> Markup:
    """A notice: something the reader must know before reading on (no data, simulated data)."""
    return Markup(_macros().notice(text))


def lead(text: str) -> Markup:
    """A lead paragraph: the section's finding in one or two sentences."""
    return Markup(_macros().lead(text))


def source_note(text: str) -> Markup:
    """A source or method note under a block."""
    return Markup(_macros().source(text))


def figure(name: str, png_base64: str, *, alt: str, source: str) -> Markup:
    """A chart: the PNG, its caption and alt text (the same words), and its source.

    ``name`` gives the anchor ``fig-<name>`` that cross-references point to.
    """
    return Markup(_macros().figure(name, png_base64, alt, source))


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[Cell]],
    *,
    caption: str,
    source: str,
    ref: str | None = None,
    css_class: str = "data",
    long: bool = False,
) -> Markup:
    """A table with caption and source; ``long`` lets it run over a page break in print."""
    return Markup(_macros().table(caption, source, header, rows, ref, css_class, long))


# Blocks of the programme, province, review and funding sections.


def paragraph(text: str) -> Markup:
    """A plain paragraph of running text."""
    return Markup(_macros().paragraph(text))


def badge(css: str, label: str) -> Markup:
    """A status badge: its colour class (``ok``, ``warn``, ``bad``, ``none``) and its word."""
    return Markup(_macros().badge(css, label))


def status_line(badge_markup: Markup, text: str) -> Markup:
    """A status line: the badge, then the rule behind the status in words."""
    return Markup(_macros().status_line(badge_markup, text))


def item_heading(anchor: str, name: str, badge_markup: Markup, text: str) -> Markup:
    """A plan item's heading (anchored ``anchor``) followed by its status line."""
    return Markup(_macros().item_heading(anchor, name, badge_markup, text))


def status_lead(text: str, badge_markup: Markup, rule: str) -> Markup:
    """A lead paragraph that states a status: the words, the badge, the rule behind it."""
    return Markup(_macros().status_lead(text, badge_markup, rule))


def lead_with_notices(text: str, notices: Sequence[str]) -> Markup:
    """A lead paragraph followed by one notice per text of ``notices``."""
    return Markup(_macros().lead_with_notices(text, list(notices)))


def bullets(items: Sequence[str], css_class: str) -> Markup:
    """A bulleted list of texts, the list carrying ``css_class``."""
    return Markup(_macros().bullets(list(items), css_class))


def heading(
    level: int,
    text: str,
    *,
    id: str | None = None,
    css_class: str | None = None,
    data: dict[str, str] | None = None,
) -> Markup:
    """A heading ``<h2>``…``<h6>``; ``data`` gives ``data-*`` attributes (name without prefix)."""
    if level not in range(2, 7):
        raise ValueError(f"heading level {level}: sections use levels 2 to 6")
    return Markup(_macros().heading(level, text, id, css_class, data or {}))
