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
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from helpers import config
from helpers.errors import MAX_LISTED_ROWS, InputError, InputProblem, raise_if_errors

if TYPE_CHECKING:  # imported where used: reading a register needs neither
    import numpy as np
    import pandas as pd
    from pydantic import ValidationError

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
        "submission_placeholder",
    }
)

#: YAML's safe loader with libyaml's C parser where PyYAML has it (the same documents, read
#: several times faster: the message catalogues are read by every build), else the Python one.
SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> object:
    """Parse YAML ``text`` with :data:`SafeLoader` (plain data only; no object is built)."""
    return yaml.load(text, Loader=SafeLoader)


def read_yaml_mapping(
    path: Path,
    *,
    not_found: str | None,
    unreadable: str = "yaml_invalid",
    lang: str = "en",
    encoding: str = "utf-8",
) -> dict[str, Any]:
    """Read a YAML file of ``key: value`` pairs with YAML's safe loader; empty reads as {}.

    Parameters
    ----------
    path : Path
        The file.
    not_found : str or None
        Problem kind when the file is absent (``params_not_found``, ``plan_not_found``);
        None when an absent file reads as empty.
    unreadable : str
        Problem kind when the file is not valid YAML or not text in ``encoding``; its
        message has a ``{detail}`` placeholder.
    lang : {"en", "vi"}
        Language of the messages.
    encoding : str
        Text encoding (``utf-8-sig`` also accepts a byte-order mark).

    Raises
    ------
    InputError
        Naming the file: absent, not valid YAML, or not a mapping.

    """
    found = Problems(path.name, lang=lang)
    try:
        raw = load_yaml(path.read_text(encoding=encoding))
    except FileNotFoundError as exc:
        if not_found is None:
            return {}
        found.add(not_found)
        raise InputError(found) from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        found.add(unreadable, detail=exc)
        raise InputError(found) from exc
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        found.add("yaml_not_mapping")
        raise InputError(found)
    return raw


# --- message catalogue --------------------------------------------------------------------


@functools.cache
def _catalogue(lang: str) -> dict[str, dict[str, str]]:
    """The problem catalogue of ``lang`` (read with YAML's safe loader)."""
    if lang not in MESSAGE_LANGUAGES:
        raise ValueError(f"no problem catalogue for language {lang!r}")
    path = config.LOCALES_DIR / f"problems_{lang}.yaml"
    return load_yaml(path.read_text(encoding="utf-8"))  # type: ignore[return-value]


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

    def add_rows(
        self,
        kind: str,
        flagged: np.ndarray,
        *,
        column: str,
        values: pd.Series | None = None,
        expected: str | None = None,
        **placeholders: object,
    ) -> None:
        """Record the problem of ``kind`` on each flagged row, then a count of the rest.

        Rows are numbered as in a spreadsheet (header on row 1, first data row on row 2); at
        most :data:`helpers.errors.MAX_LISTED_ROWS` are listed, the others are counted in one
        more problem (``more_rows``).

        Parameters
        ----------
        kind : str
            Problem kind (a key of the catalogue).
        flagged : ndarray of bool
            One entry per data row, in file order.
        column : str
            Column of the problem.
        values : Series, optional
            The column's values, quoted in each problem.
        expected : str, optional
            What the column accepts (already in the messages' language).
        **placeholders
            Values of the message's placeholders.

        Examples
        --------
        >>> import numpy as np
        >>> found = Problems("a.csv")
        >>> found.add_rows("missing_value", np.array([False, True]), column="year")
        >>> [p.describe() for p in found]
        ["a.csv, row 3, column 'year': missing value"]

        """
        import numpy as np

        positions = np.flatnonzero(flagged)
        for position in positions[:MAX_LISTED_ROWS]:
            value = None if values is None else str(values.iloc[position])
            self.add(
                kind,
                row=int(position) + 2,
                column=column,
                value=value,
                expected=expected,
                **placeholders,
            )
        if len(positions) > MAX_LISTED_ROWS:
            message = problem_text(kind, self.lang, **placeholders)
            more = len(positions) - MAX_LISTED_ROWS
            self.add(
                "more_rows",
                column=column,
                expected=expected,
                severity=severity_of(kind),
                message=message,
                more=more,
            )

    def add_validation(self, error: ValidationError, value_width: int | None = None) -> None:
        """Record each error of a pydantic model, located by its key (``a.b`` when nested).

        A key the model does not know is ``unknown_key``; any other error is
        ``invalid_value`` with pydantic's explanation (in English) as its detail.

        Parameters
        ----------
        error : pydantic.ValidationError
            What :meth:`pydantic.BaseModel.model_validate` raised.
        value_width : int, optional
            Quote at most this many characters of an offending value.

        """
        for item in error.errors():
            key = ".".join(str(part) for part in item["loc"]) or None
            value = item.get("input")
            text = None if value is None else str(value)[:value_width]
            if item["type"] == "extra_forbidden":
                self.add("unknown_key", column=key, value=text)
            else:
                self.add("invalid_value", column=key, value=text, detail=item["msg"])

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
        return raise_if_errors(self.found)
