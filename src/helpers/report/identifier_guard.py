"""The last check of a public build: no enterprise identifier in anything a reader can open.

Every public build runs :func:`check_public_folder` after rendering and before the finished
folder replaces the previous report (:func:`helpers.report.build.build_report`): the tax codes
of the enterprise panel and of the register of supported enterprises, and the register's
enterprise names, must not occur in the pages, the tables, the executed notebooks or the
figures' text. A hit raises :class:`helpers.tfp.disclosure.DisclosureError` and the previous
report stays in place. The PDF and XLSX files are made from the same pages and tables, so
their text is checked through them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from helpers.report.context import ReportContext
from helpers.tfp.disclosure import assert_no_identifiers

#: Files of a report folder whose text a reader can see (PDF and XLSX repeat pages and tables).
TEXT_SUFFIXES = (".html", ".csv", ".ipynb", ".svg", ".json")
#: Embedded images: base64 data can spell any run of digits, and they hold no text.
_EMBEDDED_IMAGE = re.compile(
    r"data:image/[a-z+]+;base64,[A-Za-z0-9+/=\\n]+" r'|"image/png": "[^"]*"'
)


def report_identifiers(context: ReportContext) -> list[str]:
    """Tax codes of the enterprise panel and the register, and the register's names."""
    identifiers: set[str] = set()
    if context.panel is not None and "tax_code" in context.panel.columns:
        identifiers |= _texts(context.panel["tax_code"])
    register = context.registers.get("supported_enterprises")
    if register is not None:
        for column in ("tax_code", "name"):
            if column in register.columns:
                identifiers |= _texts(register[column])
    return sorted(identifiers)


def _texts(values: pd.Series) -> set[str]:
    return {str(value).strip() for value in values.dropna() if str(value).strip()}


def folder_texts(folder: Path) -> Iterable[str]:
    """The text of every readable file under ``folder`` (embedded images left out)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            yield _EMBEDDED_IMAGE.sub("", path.read_text(encoding="utf-8", errors="replace"))


def check_public_folder(folder: Path, identifiers: Iterable[str]) -> None:
    """Raise :class:`~helpers.tfp.disclosure.DisclosureError` if an identifier is in ``folder``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = (Path(tmp) / "table.csv").write_text("sector,value,note C,5700100256,")
    ...     check_public_folder(Path(tmp), ["5700100256"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    helpers.tfp.disclosure.DisclosureError: 1 enterprise identifier(s) found in the outputs: ...

    """
    assert_no_identifiers(list(folder_texts(folder)), identifiers)
