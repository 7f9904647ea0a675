"""Message catalogues and locale-aware formatting (Vietnamese first, English second).

Every label in a report comes from ``locales/<lang>.yaml``; numbers and dates are formatted
with Babel: ``1.234,5`` and ``dd/mm/yyyy`` in Vietnamese, ``1,234.5`` in English.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache

import yaml
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal

from helpers import config

LANGUAGES: tuple[str, ...] = ("vi", "en")
BABEL_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
MISSING = "–"


def check_language(lang: str) -> str:
    """Return ``lang`` if it is a report language, else raise ``ValueError``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return lang


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Return the message catalogue of ``lang``.

    The catalogue is ``locales/<lang>.yaml`` merged with every ``locales/<lang>.<part>.yaml``
    (one file per report section); a key defined twice is an error.
    """
    check_language(lang)
    paths = [config.LOCALES_DIR / f"{lang}.yaml"]
    paths += sorted(config.LOCALES_DIR.glob(f"{lang}.*.yaml"))
    messages: dict[str, str] = {}
    for path in paths:
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        repeated = set(part) & set(messages)
        if repeated:
            raise ValueError(f"{path.name} repeats messages: {', '.join(sorted(repeated))}")
        messages.update(part)
    return messages


def t(key: str, lang: str, **values: object) -> str:
    """Return the message ``key`` in ``lang``, with ``values`` substituted.

    Examples
    --------
    >>> t("status.on_track", "vi")
    'Đúng tiến độ'
    >>> t("phase.label", "en", number=1, start=2021, end=2025)
    'Phase 1 (2021–2025)'

    """
    messages = catalogue(lang)
    if key not in messages:
        raise KeyError(f"message {key!r} is missing from the {lang} catalogue")
    text = messages[key]
    return text.format(**values) if values else text


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """Format a number for ``lang`` with ``decimals`` digits after the decimal mark.

    Examples
    --------
    >>> format_number(1234.5, "vi", 1), format_number(1234.5, "en", 1)
    ('1.234,5', '1,234.5')
    >>> format_number(None, "vi")
    '–'

    """
    if _is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALES[check_language(lang)])


def format_percent(fraction: float | None, lang: str, decimals: int = 1) -> str:
    """Format a fraction as a percentage (``0.1234`` → ``12,3 %`` in Vietnamese).

    Examples
    --------
    >>> format_percent(0.1234, "vi"), format_percent(0.1234, "en")
    ('12,3 %', '12.3%')

    """
    if _is_missing(fraction):
        return MISSING
    number = format_number(float(fraction) * 100, lang, decimals)  # type: ignore[arg-type]
    return f"{number} %" if lang == "vi" else f"{number}%"


def format_date(value: dt.date | None, lang: str) -> str:
    """Format a date: ``dd/mm/yyyy`` in Vietnamese, ``d Month yyyy`` in English.

    Examples
    --------
    >>> format_date(dt.date(2025, 11, 3), "vi"), format_date(dt.date(2025, 11, 3), "en")
    ('03/11/2025', '3 November 2025')

    """
    if value is None:
        return MISSING
    pattern = "dd/MM/yyyy" if lang == "vi" else "d MMMM yyyy"
    return babel_format_date(value, format=pattern, locale=BABEL_LOCALES[check_language(lang)])


def format_signed_percent(fraction: float | None, lang: str, decimals: int = 1) -> str:
    """Format a change as a percentage with its sign (``+8,3 %``, ``-2,0 %``).

    Examples
    --------
    >>> format_signed_percent(0.083, "vi"), format_signed_percent(-0.02, "en")
    ('+8,3 %', '-2.0%')

    """
    text = format_percent(fraction, lang, decimals)
    return f"+{text}" if fraction is not None and fraction > 0 and text[0].isdigit() else text


def format_scientific(value: float | None, lang: str, decimals: int = 1) -> str:
    """Format a number in scientific notation with the language's decimal mark.

    Examples
    --------
    >>> format_scientific(1.234e-9, "vi"), format_scientific(1.234e-9, "en")
    ('1,2e-09', '1.2e-09')

    """
    if _is_missing(value):
        return MISSING
    text = f"{value:.{decimals}e}"
    return text.replace(".", ",") if lang == "vi" else text
