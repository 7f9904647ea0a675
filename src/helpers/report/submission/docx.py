"""Write the submission to the Ministry into its Word template (python-docx).

The content is a :class:`helpers.report.submission.content.Submission`.

The template (``templates/submission/submission.docx``, built by
:mod:`helpers.report.submission.template`) carries the page set-up, the page-number header and every
style; this module only places text and tables and picks styles by name. The header block and
the signature block are two-column tables without borders, as in the model of Appendix I of
Decree 30/2020/NĐ-CP.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from helpers.inputs.submission_text import is_placeholder
from helpers.report.manifest import normalise_zip
from helpers.report.submission.content import Annex, Paragraph, Submission, Table, p
from helpers.report.submission.template import (
    HEADER_COLUMNS_MM,
    HEADER_INDENT_MM,
    PLACEHOLDER_CHAR_STYLE,
    STYLES,
    TABLE_STYLE,
    TEMPLATE_PATH,
)

#: Width of the signature block's columns (mm): recipients on the left, signer on the right.
SIGNATURE_COLUMNS_MM = (80, 85)


#: Style ids of the template by role, looked up once per document: python-docx's lookup by
#: name scans every style of the template for each paragraph (4 s for one submission).
_STYLE_IDS: dict[str, str] = {}


def _load_style_ids(document: Any) -> None:
    """Fill :data:`_STYLE_IDS` from the template's styles."""
    by_name = {s.name: s.style_id for s in document.styles}
    _STYLE_IDS.update({role: by_name[spec.name] for role, spec in STYLES.items()})


def _write(paragraph: Any, text: str, role: str) -> Any:
    """Give a paragraph its role's style and ``text``; a placeholder gets the marker style."""
    paragraph._p.style = _STYLE_IDS[role]
    run = paragraph.add_run(text)
    if is_placeholder(text):
        run.style = PLACEHOLDER_CHAR_STYLE
    return paragraph


def _add(container: Any, text: str, role: str) -> Any:
    """Append a paragraph of ``role`` to a document or a cell."""
    return _write(container.add_paragraph(), text, role)


def _cell_paragraph(cell: Any, text: str, role: str) -> Any:
    """Write the first paragraph of a new cell (a new cell holds one empty paragraph)."""
    return _write(cell.paragraphs[0], text, role)


def _fixed_widths(table: Any, widths_mm: list[float] | tuple[float, ...]) -> None:
    table.autofit = False
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width)


def _layout_table(document: Any, columns: tuple[float, ...], indent_mm: float = 0) -> Any:
    """A borderless two-column table of the given widths (header and signature blocks)."""
    table = document.add_table(rows=1, cols=len(columns))
    _fixed_widths(table, columns)
    if indent_mm:
        indent = OxmlElement("w:tblInd")
        indent.set(qn("w:w"), str(int(Mm(indent_mm).twips)))
        indent.set(qn("w:type"), "dxa")
        table._tbl.tblPr.append(indent)
    else:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _header_block(document: Any, submission: Submission) -> None:
    left, right = _layout_table(document, HEADER_COLUMNS_MM, HEADER_INDENT_MM).rows[0].cells
    _cell_paragraph(left, submission.parent_body, "parent_body")
    _add(left, submission.issuing_body, "issuing_body")
    _add(left, "", "issuing_line")
    _add(left, submission.number, "number")
    _cell_paragraph(right, p("national_title"), "national_title")
    _add(right, p("motto"), "motto")
    _add(right, "", "motto_line")
    _add(right, submission.place_date, "place_date")
    _add(document, p("doc_type"), "doc_type")
    _add(document, submission.subject, "subject")
    _add(document, submission.addressee, "addressee")


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _data_table(document: Any, table: Table) -> None:
    if table.caption:
        _add(document, table.caption, "table_caption")
    grid = document.add_table(rows=1, cols=len(table.header))
    grid.style = document.styles[TABLE_STYLE]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(grid.rows[0].cells, table.header, strict=True):
        _cell_paragraph(cell, text, "table_head")
    _repeat_header(grid.rows[0])
    for values in table.rows:
        cells = grid.add_row().cells
        for cell, text, numeric in zip(cells, values, table.numeric, strict=True):
            _cell_paragraph(cell, text, "table_number" if numeric else "table_text")
    if table.widths_mm:
        _fixed_widths(grid, table.widths_mm)
    if table.note:
        _add(document, table.note, "table_note")
    else:
        _add(document, "", "table_note")


def _blocks(document: Any, blocks: list[Paragraph | Table]) -> None:
    for block in blocks:
        if isinstance(block, Table):
            _data_table(document, block)
        else:
            _add(document, block.text, block.role)


def _signature_block(document: Any, submission: Submission) -> None:
    left, right = _layout_table(document, SIGNATURE_COLUMNS_MM).rows[0].cells
    _cell_paragraph(left, p("to_ministry"), "recipients_title")
    for recipient in submission.recipients or ["[Sở bổ sung: nơi nhận]"]:
        _add(left, f"- {recipient};" if not is_placeholder(recipient) else recipient, "recipient")
    _add(left, submission.keep, "recipient")
    if submission.signer_authority:
        _cell_paragraph(right, submission.signer_authority, "signer_authority")
        _add(right, submission.signer_position, "signer_position")
    else:
        _cell_paragraph(right, submission.signer_position, "signer_authority")
    _add(right, "", "signature_space")
    _add(right, submission.signer_name, "signer_name")


def _annex(document: Any, annex: Annex) -> None:
    paragraph = _add(document, annex.label, "annex_title")
    paragraph.paragraph_format.page_break_before = True
    _add(document, annex.subject, "annex_subject")
    _add(document, annex.note, "annex_note")
    _blocks(document, annex.blocks)


def _clear_body(document: Any) -> None:
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)


def write_submission(
    submission: Submission, target: Path, *, template: Path = TEMPLATE_PATH
) -> Path:
    """Write ``submission`` as a Word document at ``target`` (same bytes for the same content)."""
    document = Document(str(template))
    _load_style_ids(document)
    _clear_body(document)
    _header_block(document, submission)
    _blocks(document, submission.body)
    _signature_block(document, submission)
    for annex in submission.annexes:
        _annex(document, annex)
    core = document.core_properties
    core.title = submission.subject
    core.subject = submission.subject
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    normalise_zip(target)
    return target


__all__ = ["write_submission"]


def submission_path(folder: Path, folder_name: str) -> Path:
    """Where a report folder keeps its submission (named like the other outputs)."""
    return folder / f"nscl-{folder_name}-vi.docx"


def write_report_submission(
    folder: Path, folder_name: str, *, year: int, kind: str, data_dir: str, plan_file: str
) -> Path:
    """Build the submission of a report (always Vietnamese) into ``folder``.

    Raises
    ------
    helpers.errors.InputError
        When ``submission.yaml`` is malformed (checked before any notebook runs by
        :func:`helpers.inputs.submission_text.load_text`).

    """
    from helpers.inputs.submission_text import load_text
    from helpers.report.context import load_context
    from helpers.report.submission.content import build_submission

    context = load_context(year=year, lang="vi", data_dir=data_dir, plan_file=plan_file, kind=kind)
    submission = build_submission(context, load_text(context.data_dir, kind))
    return write_submission(submission, submission_path(folder, folder_name))
