"""Message catalogues and locale-aware formatting (Vietnamese first, English second).

Every label in a report comes from ``locales/<lang>.yaml`` (and its parts
``locales/<lang>.<part>.yaml``), read through a pydantic model; numbers and dates are formatted
with Babel: ``1.234,5`` and ``dd/mm/yyyy`` in Vietnamese, ``1,234.5`` in English.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import cast

import yaml
from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal
from pydantic import ConfigDict, RootModel, StrictStr, ValidationError

from helpers import config
from helpers.errors import InternalError
from helpers.problems import SafeLoader

LANGUAGES: tuple[str, ...] = ("vi", "en")
BABEL_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
MISSING = "–"


def check_language(lang: str) -> str:
    """Return ``lang`` if it is a report language, else raise ``ValueError``."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    return lang


class CataloguePart(RootModel[dict[StrictStr, StrictStr]]):
    """One file of a message catalogue: message keys (text) to messages (text)."""

    model_config = ConfigDict(frozen=True)


class _UniqueKeyLoader(SafeLoader):  # type: ignore[misc,valid-type]
    """YAML's safe loader, refusing a key written twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is written twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _catalogue_files(lang: str, directory: Path) -> list[Path]:
    """``<lang>.yaml`` and every ``<lang>.<part>.yaml`` of ``directory``, in a fixed order."""
    return [directory / f"{lang}.yaml", *sorted(directory.glob(f"{lang}.*.yaml"))]


def _load_unique_keys(text: str) -> object:
    """Parse YAML with :class:`_UniqueKeyLoader` (a safe loader: no object is ever built)."""
    loader = _UniqueKeyLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _read_part(path: Path) -> dict[str, str]:
    """One catalogue file, validated; a broken file is an :class:`InternalError` naming it."""
    try:
        document = _load_unique_keys(path.read_text(encoding="utf-8"))
        return CataloguePart.model_validate(document or {}).root
    except OSError as error:
        raise InternalError(f"message catalogue {path.name} cannot be read: {error}") from error
    except yaml.YAMLError as error:
        raise InternalError(f"message catalogue {path.name} is not valid YAML: {error}") from error
    except ValidationError as error:
        details = "; ".join(
            f"{'.'.join(str(part) for part in item['loc']) or '(file)'}: {item['msg']}"
            for item in error.errors()
        )
        raise InternalError(f"message catalogue {path.name} is broken: {details}") from error


def load_catalogue(lang: str, directory: Path | None = None) -> dict[str, str]:
    """Read the message catalogue of ``lang`` from ``directory`` (default: the package's).

    The catalogue is ``<lang>.yaml`` merged with every ``<lang>.<part>.yaml`` (one file per
    report section). Each file is a :class:`CataloguePart`; a key written twice, in one file
    or in two parts, is an :class:`~helpers.errors.InternalError` naming the file.
    """
    check_language(lang)
    directory = config.LOCALES_DIR if directory is None else directory
    messages: dict[str, str] = {}
    for path in _catalogue_files(lang, directory):
        part = _read_part(path)
        repeated = set(part) & set(messages)
        if repeated:
            raise InternalError(
                f"message catalogue {path.name} repeats messages: {', '.join(sorted(repeated))}"
            )
        messages.update(part)
    return messages


def load_catalogues(directory: Path | None = None) -> dict[str, dict[str, str]]:
    """Read the catalogue of every language and check that they hold the same keys.

    Raises
    ------
    InternalError
        A broken file (named), or a key present in one language only (the files of the
        language lacking it are named).

    """
    catalogues = {lang: load_catalogue(lang, directory) for lang in LANGUAGES}
    first, *others = LANGUAGES
    for lang in others:
        for missing_in, reference in ((lang, first), (first, lang)):
            missing = sorted(set(catalogues[reference]) - set(catalogues[missing_in]))
            if missing:
                files = ", ".join(
                    path.name
                    for path in _catalogue_files(missing_in, directory or config.LOCALES_DIR)
                )
                raise InternalError(
                    f"message catalogue {files} lacks messages of the {reference} catalogue: "
                    f"{', '.join(missing)}"
                )
    return catalogues


@cache
def _catalogues() -> dict[str, dict[str, str]]:
    return load_catalogues()


def catalogue(lang: str) -> dict[str, str]:
    """Return the message catalogue of ``lang`` (read once, checked against the other language).

    See :func:`load_catalogue` and :func:`load_catalogues`.
    """
    return _catalogues()[check_language(lang)]


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


def format_number(value: float | int | Decimal | None, lang: str, decimals: int = 0) -> str:
    """Format a number for ``lang`` with ``decimals`` digits after the decimal mark.

    A half is rounded away from zero on the number as written (:func:`rounded`).

    Examples
    --------
    >>> format_number(1234.5, "vi", 1), format_number(1234.5, "en", 1)
    ('1.234,5', '1,234.5')
    >>> format_number(None, "vi")
    '–'
    >>> format_number(2.5, "vi"), format_number(10.25, "vi", 1)
    ('3', '10,3')

    """
    if _is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    number = rounded(cast(float, value), decimals)  # not missing: a number
    return format_decimal(number, format=pattern, locale=BABEL_LOCALES[check_language(lang)])


def rounded(value: float | int | Decimal, decimals: int) -> Decimal | float:
    """``value`` to ``decimals`` places, a half rounded away from zero, as a spreadsheet does.

    The number is taken as written (its shortest decimal form), not as its binary value:
    the published growth 0,1025 shows as 10,3 %, like the 0,102500... computed from the GRDP
    levels, where binary rounding would show 10,2 % for one and 10,3 % for the other.
    A negative number that rounds to zero is zero. Infinite values are returned as they are.

    Examples
    --------
    >>> rounded(0.125, 2), rounded(-2.5, 0), rounded(Decimal("10.25"), 1), rounded(-0.04, 1)
    (Decimal('0.13'), Decimal('-3'), Decimal('10.3'), Decimal('0.0'))

    """
    exact = _as_written(value)
    if not exact.is_finite():
        return float(value)
    result = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(result) if result.is_zero() else result  # never "-0,0"


def _as_written(value: float | int | Decimal) -> Decimal:
    """``value`` as a decimal, from its shortest written form (0.1025, not 0.10249999...)."""
    return value if isinstance(value, Decimal) else Decimal(repr(float(value)))


def _hundredfold(fraction: float | int | Decimal) -> Decimal | float:
    """``fraction`` × 100 exactly (0,1025 → 10,25, not 10,249999...)."""
    exact = _as_written(fraction)
    return exact * 100 if exact.is_finite() else float(fraction) * 100


def format_percent(fraction: float | None, lang: str, decimals: int = 1) -> str:
    """Format a fraction as a percentage (``0.1234`` → ``12,3 %`` in Vietnamese).

    Examples
    --------
    >>> format_percent(0.1234, "vi"), format_percent(0.1234, "en")
    ('12,3 %', '12.3%')

    """
    if _is_missing(fraction):
        return MISSING
    number = format_number(_hundredfold(fraction), lang, decimals)  # type: ignore[arg-type]
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


def format_signed_number(value: float | int | None, lang: str, decimals: int = 0) -> str:
    """Format a number with its sign always shown (``+1,5``, ``-0,5`` in Vietnamese).

    Examples
    --------
    >>> format_signed_number(1.5, "vi", 1), format_signed_number(-0.5, "en", 1)
    ('+1,5', '-0.5')
    >>> format_signed_number(0, "vi", 1)
    '+0,0'

    """
    if _is_missing(value):
        return MISSING
    sign = "+" if float(value) >= 0 else ""  # type: ignore[arg-type]
    return sign + format_number(value, lang, decimals)


def format_points(difference: float | None, lang: str, decimals: int = 1) -> str:
    """Format a difference of two fractions in percentage points.

    ``0.0213`` is ``2,1 điểm phần trăm`` in Vietnamese.

    Examples
    --------
    >>> format_points(0.0213, "en")
    '2.1 percentage points'

    """
    if _is_missing(difference):
        return MISSING
    number = format_number(_hundredfold(difference), lang, decimals)  # type: ignore[arg-type]
    return f"{number} {t('unit.percentage_points', lang)}"


def format_years(start: int, end: int) -> str:
    """A year, or a span of years with an en dash (``2021–2025``), the same in every language.

    Examples
    --------
    >>> format_years(2021, 2025), format_years(2030, 2030)
    ('2021–2025', '2030')

    """
    return str(start) if start == end else f"{start}–{end}"


def format_signed_percent(fraction: float | None, lang: str, decimals: int = 1) -> str:
    """Format a change as a percentage with its sign (``+8,3 %``, ``-2,0 %``).

    Examples
    --------
    >>> format_signed_percent(0.083, "vi"), format_signed_percent(-0.02, "en")
    ('+8,3 %', '-2.0%')

    """
    text = format_percent(fraction, lang, decimals)
    return f"+{text}" if fraction is not None and fraction > 0 and text[0].isdigit() else text


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def format_scientific(value: float | None, lang: str, decimals: int = 1) -> str:
    """Format a number as a power of ten, with the language's decimal mark: ``4,4 × 10⁻³²``.

    Examples
    --------
    >>> format_scientific(1.234e-9, "vi"), format_scientific(1.234e-9, "en")
    ('1,2 × 10⁻⁹', '1.2 × 10⁻⁹')
    >>> format_scientific(0.0, "vi"), format_scientific(-2.5e12, "en")
    ('0', '-2.5 × 10¹²')

    """
    if _is_missing(value):
        return MISSING
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{decimals}e}".split("e")
    if lang == "vi":
        mantissa = mantissa.replace(".", ",")
    power = str(int(exponent)).translate(_SUPERSCRIPTS)
    return f"{mantissa} × 10{power}"
