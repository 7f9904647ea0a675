"""Located problems of the inputs: one catalogue of messages (vi and en), one collector.

Every reader of an input file reports what is wrong through a :class:`Problems` collector:
the problem's *kind* is a key of the catalogue ``locales/problems_<lang>.yaml`` (the same keys
in both languages, a test checks it), its place is the file, sheet, row (as the spreadsheet
numbers it: header on row 1) and column. The collector raises every error together as one
:class:`helpers.errors.InputError`, so the analyst fixes everything in one pass.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import yaml

from helpers import config
from helpers.errors import InputError, InputProblem

#: Languages the problem catalogue is written in.
MESSAGE_LANGUAGES = ("en", "vi")

#: Problem kinds that do not block a report.
WARNING_KINDS = frozenset(
    {
        "several_files",
        "encoding_guessed",
        "other_sheets",
        "unknown_column",
        "header_without_marks",
        "data_without_header",
        "merged_cells",
        "date_serial",
        "tax_code_check_digit",
        "before_programme",
        "duplicate_row",
        "duplicate_support",
        "duplicate_activity",
    }
)


# --- message catalogue --------------------------------------------------------------------


@functools.cache
def _catalogue(lang: str) -> dict[str, dict[str, str]]:
    """The problem catalogue of ``lang`` (read with YAML's safe loader)."""
    if lang not in MESSAGE_LANGUAGES:
        raise ValueError(f"no problem catalogue for language {lang!r}")
    path = config.LOCALES_DIR / f"problems_{lang}.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def problem_text(kind: str, lang: str = "en", **values: object) -> str:
    """Return the message of a problem kind in ``lang``, with its placeholders filled.

    Examples
    --------
    >>> problem_text("duplicate_row", "en", first=4)
    'this row repeats row 4 exactly; it is counted once'
    >>> problem_text("empty_cell", "vi")
    'ô trống'

    """
    return _catalogue(lang)["messages"][kind].format(**values)


def expected_text(kind: str, lang: str = "en", **values: object) -> str:
    """Return the description of what a cell should hold, in ``lang``.

    Examples
    --------
    >>> expected_text("range", "en", low=0, high=10)
    'between 0 and 10'

    """
    return _catalogue(lang)["expected"][kind].format(**values)


def severity_of(kind: str) -> str:
    """``"warning"`` for the kinds in :data:`WARNING_KINDS`, ``"error"`` otherwise."""
    return "warning" if kind in WARNING_KINDS else "error"


@dataclass
class Problems:
    """The problems found in one input file, told in one language.

    Parameters
    ----------
    file : str
        File name as the analyst knows it (relative to the data folder where possible).
    sheet : str, optional
        Excel sheet name, when the file is a workbook.
    lang : {"en", "vi"}
        Language of the messages.

    Examples
    --------
    >>> found = Problems("a.csv")
    >>> found.add("empty_cell", row=3, column="năm")
    >>> [p.describe() for p in found]
    ["a.csv, row 3, column 'năm': empty cell"]
    >>> found.raise_if_errors()
    Traceback (most recent call last):
    ...
    helpers.errors.InputError: 1 problem(s) in the input
      - a.csv, row 3, column 'năm': empty cell

    """

    file: str
    sheet: str | None = None
    lang: str = "en"
    found: list[InputProblem] = field(default_factory=list, repr=False)

    def problem(
        self,
        kind: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: str | None = None,
        expected: str | None = None,
        severity: str | None = None,
        **values: object,
    ) -> InputProblem:
        """Build (without recording) the located problem of ``kind``."""
        return InputProblem(
            self.file,
            problem_text(kind, self.lang, **values),
            row,
            column,
            value,
            expected,
            self.sheet,
            severity or severity_of(kind),
        )

    def add(self, kind: str, **where_and_values: object) -> None:
        """Record the problem of ``kind`` (same arguments as :meth:`problem`)."""
        self.found.append(self.problem(kind, **where_and_values))  # type: ignore[arg-type]

    def extend(self, problems: Iterable[InputProblem]) -> None:
        """Record problems found elsewhere (for example by a schema check)."""
        self.found.extend(problems)

    def expected(self, kind: str, **values: object) -> str:
        """What a cell should hold, in the messages' language."""
        return expected_text(kind, self.lang, **values)

    def __iter__(self) -> Iterator[InputProblem]:
        return iter(self.found)

    def __len__(self) -> int:
        return len(self.found)

    def raise_if_errors(self) -> list[InputProblem]:
        """Raise :class:`InputError` with every problem if one is an error; else the warnings."""
        if any(p.severity == "error" for p in self.found):
            raise InputError(self.found)
        return list(self.found)
