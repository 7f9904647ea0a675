"""A pandera schema whose every check says, in the catalogue's words, what it found wrong.

A :class:`LocatedSchema` is built check by check: each check carries the problem kind of the
message catalogue (``locales/problems_<lang>.yaml``), the column the problem is reported in,
the column whose cell is quoted and what the cell should hold. :meth:`LocatedSchema.problems`
validates a frame lazily (every failure at once) and turns pandera's failure cases into
located problems through a :class:`helpers.problems.Problems` collector: the file, the row as
the spreadsheet numbers it (header on row 1, so data row ``i`` is row ``i + 2``), the column
and the value.

The frame validated is the file's text, one column per header and a default ``RangeIndex``
(the position of each data row), so that a value that is not a number is quoted as written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from helpers.problems import Problems

if TYPE_CHECKING:  # pandera is imported where a schema is built: the command line starts fast
    import pandas as pd
    import pandera.pandas as pa

__all__ = ["FIRST_DATA_ROW", "LocatedCheck", "LocatedSchema"]

#: Spreadsheet row of the first data row (the header is row 1).
FIRST_DATA_ROW = 2

#: Placeholders of a message or an expectation, computed from the frame and a row position.
Values = Callable[["pd.DataFrame", int], Mapping[str, object]]


@dataclass(frozen=True)
class LocatedCheck:
    """What one check of the schema reports when a row fails it.

    Parameters
    ----------
    kind : str
        Problem kind (key of the catalogue's ``messages``).
    column : str or None
        Column the problem is reported in (None for a whole-file problem).
    quote : str or None
        Column whose cell is quoted as the problem's value (None: no value).
    expected : str or None
        Key of the catalogue's ``expected`` (None: nothing to say).
    fixed : mapping
        Placeholders of the message and of the expectation that are the same on every row.
    values : callable, optional
        ``values(frame, position)`` gives the placeholders of the message and of the
        expectation that depend on the row.

    """

    kind: str
    column: str | None
    quote: str | None = None
    expected: str | None = None
    fixed: Mapping[str, object] = field(default_factory=dict)
    values: Values | None = None


class LocatedSchema:
    """A pandera ``DataFrameSchema`` built together with the problem each check reports.

    Examples
    --------
    >>> import pandas as pd
    >>> schema = LocatedSchema("sample")
    >>> schema.require("year", LocatedCheck("missing_column", "year", fixed={"header": "year"}))
    >>> schema.element("year", lambda text: text.isdigit(), LocatedCheck("not_integer", "year",
    ...                quote="year", expected="int"))
    >>> found = Problems("a.csv")
    >>> schema.problems(pd.DataFrame({"year": ["2021", "x"]}), found)
    >>> [p.describe() for p in found]
    ["a.csv, row 3, column 'year': not a whole number (value: 'x'); expected a whole number"]

    """

    def __init__(self, name: str):
        self.name = name
        self._columns: dict[str, list[pa.Check]] = {}
        self._required: dict[str, LocatedCheck] = {}
        self._wide: list[pa.Check] = []
        self._located: dict[str, LocatedCheck] = {}

    def _name(self, located: LocatedCheck) -> str:
        """A unique name for a check (pandera reports failures under it)."""
        name = f"{located.kind}@{located.column}#{len(self._located)}"
        self._located[name] = located
        return name

    def require(self, column: str, missing: LocatedCheck) -> None:
        """Require ``column`` in the header; ``missing`` says what its absence reports."""
        self._columns.setdefault(column, [])
        self._required[column] = missing

    def element(self, column: str, test: Callable[[Any], bool], located: LocatedCheck) -> None:
        """Check every cell of ``column`` with ``test`` (True: the cell is acceptable)."""
        import pandera.pandas as pa

        check = pa.Check(test, element_wise=True, error=self._name(located))
        self._columns.setdefault(column, []).append(check)

    def rows(self, test: Callable[[pd.DataFrame], pd.Series], located: LocatedCheck) -> None:
        """Check every row with ``test`` (a boolean Series over the rows: True is acceptable)."""
        import pandera.pandas as pa

        self._wide.append(pa.Check(test, error=self._name(located)))

    def whole(self, test: Callable[[pd.DataFrame], bool], located: LocatedCheck) -> None:
        """Check the frame as a whole with ``test`` (one problem without a row if False)."""
        import pandera.pandas as pa

        self._wide.append(pa.Check(lambda frame: bool(test(frame)), error=self._name(located)))

    def schema(self) -> pa.DataFrameSchema:
        """The pandera schema (every column as text, no coercion, extra columns allowed)."""
        import pandera.pandas as pa

        columns = {
            name: pa.Column(checks=checks, required=name in self._required, nullable=True)
            for name, checks in self._columns.items()
        }
        return pa.DataFrameSchema(columns, checks=self._wide, name=self.name, coerce=False)

    def problems(self, frame: pd.DataFrame, found: Problems) -> None:
        """Validate ``frame`` lazily and add one located problem per failing row and check.

        When required columns are missing, only they are reported (the other checks may
        read them). Problems are added in the order of the rows (whole-file problems first),
        and within a row in the order the checks were declared.
        """
        import pandera.pandas as pa

        try:
            self.schema().validate(frame, lazy=True)
        except pa.errors.SchemaErrors as errors:
            failures = errors.failure_cases
        else:
            return
        order = {name: number for number, name in enumerate(self._located)}
        missing = failures["check"] == "column_in_dataframe"
        if missing.any():  # the header first: checks of absent columns say nothing useful
            failures = failures[missing]
        keys: set[tuple[str, int | None]] = set()
        for item in failures.itertuples(index=False):
            check = str(item.check)
            if check == "column_in_dataframe":
                keys.add((f"missing:{item.failure_case}", None))
                continue
            if check not in self._located:  # pragma: no cover - a fault of the schema
                raise RuntimeError(f"check {check!r} of schema {self.name!r} has no message")
            position = None if item.index is None else int(item.index)
            keys.add((check, position))
        required = list(self._required)
        ordered = sorted(
            keys,
            key=lambda key: (
                key[1] is not None,
                key[1] if key[1] is not None else -1,
                required.index(key[0][8:]) if key[0].startswith("missing:") else -1,
                order.get(key[0], -1),
            ),
        )
        for name, position in ordered:
            if name.startswith("missing:"):
                located = self._required[name[8:]]
            else:
                located = self._located[name]
            self._add(located, frame, position, found)

    @staticmethod
    def _add(
        located: LocatedCheck, frame: pd.DataFrame, position: int | None, found: Problems
    ) -> None:
        values: dict[str, object] = dict(located.fixed)
        if located.values is not None and position is not None:
            values.update(located.values(frame, position))
        value = None
        if located.quote is not None and position is not None:
            value = str(frame[located.quote].iloc[position])
        expected = None
        if located.expected is not None:
            expected = found.expected(located.expected, **values)
        found.add(
            located.kind,
            row=None if position is None else position + FIRST_DATA_ROW,
            column=located.column,
            value=value,
            expected=expected,
            **values,
        )
