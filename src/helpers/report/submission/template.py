"""Build the Word template of the submission (styles and page set-up of Decree 30/2020/NĐ-CP).

The template ``templates/submission/submission.docx`` holds everything about the form: A4
portrait, margins, fonts and sizes of every part of the document as named styles, and the page
number centred in the top margin on every page but the first. The code that writes a
submission (:mod:`helpers.report.submission.docx`) only picks styles by name, so the Department can
restyle the template in Word. This module rebuilds the template from these settings:

    python -m helpers.report.submission.template

Sizes follow Appendix I of Decree 30/2020/NĐ-CP (national title 12–13 pt bold upper case,
motto 13–14 pt bold, issuing body 12–13 pt bold, document type 13–14 pt bold, body 13–14 pt,
"Nơi nhận" 12 pt bold italic, recipients 11 pt; margins top/bottom 20–25 mm, left 30–35 mm,
right 15–20 mm).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from helpers import config
from helpers.report.manifest import normalise_zip

TEMPLATE_PATH = config.TEMPLATES_DIR / "submission" / "submission.docx"
FONT = "Times New Roman"
#: Page: A4 portrait and the margins (mm) of Appendix I.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
#: Width of the two columns of the header block (mm) and how far it reaches into the left
#: margin, so that the issuing body and the national title each fit on one line.
HEADER_COLUMNS_MM = (80, 95)
HEADER_INDENT_MM = -10
#: Fixed document dates, so that the template does not carry a clock.
FIXED_DATE = dt.datetime(2020, 11, 18)


@dataclass(frozen=True)
class ParagraphStyle:
    """One paragraph style of the template."""

    name: str
    size: float
    bold: bool = False
    italic: bool = False
    align: str = "center"
    before: float = 0
    after: float = 0
    first_line_mm: float = 0
    line_spacing: float = 1.0
    keep_with_next: bool = False
    border: str | None = None  # "top" draws a solid line (the lines under motto and body)
    indent_mm: tuple[float, float] = (0, 0)


#: Every paragraph style of the submission, by role.
STYLES: dict[str, ParagraphStyle] = {
    "parent_body": ParagraphStyle("NSCL Cơ quan chủ quản", 12),
    "issuing_body": ParagraphStyle("NSCL Cơ quan ban hành", 12, bold=True),
    "issuing_line": ParagraphStyle(
        "NSCL Kẻ dưới cơ quan", 1, border="top", indent_mm=(25, 25), before=2
    ),
    "number": ParagraphStyle("NSCL Số ký hiệu", 13, before=6),
    "national_title": ParagraphStyle("NSCL Quốc hiệu", 12, bold=True),
    "motto": ParagraphStyle("NSCL Tiêu ngữ", 13, bold=True),
    "motto_line": ParagraphStyle(
        "NSCL Kẻ dưới tiêu ngữ", 1, border="top", indent_mm=(17, 17), before=2
    ),
    "place_date": ParagraphStyle("NSCL Địa danh ngày", 14, italic=True, before=6),
    "doc_type": ParagraphStyle("NSCL Tên loại", 14, bold=True, before=18),
    "subject": ParagraphStyle("NSCL Trích yếu", 14, bold=True, after=6),
    "addressee": ParagraphStyle("NSCL Kính gửi", 14, before=6, after=12),
    "body": ParagraphStyle(
        "NSCL Nội dung", 14, align="justify", after=6, first_line_mm=10, line_spacing=1.15
    ),
    "heading1": ParagraphStyle(
        "NSCL Mục",
        14,
        bold=True,
        align="justify",
        before=6,
        after=6,
        keep_with_next=True,
        first_line_mm=10,
    ),
    "heading2": ParagraphStyle(
        "NSCL Tiểu mục",
        14,
        bold=True,
        align="justify",
        after=6,
        keep_with_next=True,
        first_line_mm=10,
    ),
    "placeholder": ParagraphStyle(
        "NSCL Sở bổ sung", 14, italic=True, align="justify", after=6, first_line_mm=10
    ),
    "table_caption": ParagraphStyle(
        "NSCL Tên bảng", 13, bold=True, before=6, after=6, keep_with_next=True
    ),
    "table_text": ParagraphStyle("NSCL Bảng", 12, align="left"),
    "table_number": ParagraphStyle("NSCL Bảng số", 12, align="right"),
    "table_head": ParagraphStyle("NSCL Bảng tiêu đề", 12, bold=True),
    "table_note": ParagraphStyle("NSCL Ghi chú bảng", 12, italic=True, align="left", after=6),
    "recipients_title": ParagraphStyle(
        "NSCL Nơi nhận", 12, bold=True, italic=True, align="left", before=12
    ),
    "recipient": ParagraphStyle("NSCL Nơi nhận dòng", 11, align="left"),
    "signer_authority": ParagraphStyle("NSCL Quyền hạn ký", 14, bold=True, before=12),
    "signer_position": ParagraphStyle("NSCL Chức vụ ký", 14, bold=True),
    "signature_space": ParagraphStyle("NSCL Chỗ ký", 14, after=60),
    "signer_name": ParagraphStyle("NSCL Họ tên người ký", 14, bold=True),
    "annex_title": ParagraphStyle("NSCL Phụ lục", 14, bold=True, before=0, keep_with_next=True),
    "annex_subject": ParagraphStyle(
        "NSCL Tên phụ lục", 14, bold=True, after=2, keep_with_next=True
    ),
    "annex_note": ParagraphStyle("NSCL Ghi chú phụ lục", 13, italic=True, after=12),
    "page_number": ParagraphStyle("NSCL Số trang", 13),
}
#: Character style that marks the Department's missing words.
PLACEHOLDER_CHAR_STYLE = "NSCL Chờ bổ sung"
#: Table style of the data tables (a grid); the header block uses the borderless default.
TABLE_STYLE = "Table Grid"

_ALIGN = {
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def set_font_name(element: object, name: str = FONT) -> None:
    """Name the font of a style or run for every script, dropping theme fonts.

    ``element`` is a python-docx style or run (anything with ``element.get_or_add_rPr``).
    """
    rpr = element.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]
    for script in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{script}"), name)


def _add_border(style: object, side: str) -> None:
    """A solid 0.75 pt line on ``side`` of the paragraphs of ``style``."""
    ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
    borders = OxmlElement("w:pBdr")
    line = OxmlElement(f"w:{side}")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        line.set(qn(f"w:{key}"), value)
    borders.append(line)
    ppr.append(borders)


def _paragraph_style(document: DocxDocument, spec: ParagraphStyle) -> None:
    style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    set_font_name(style)
    style.font.size = Pt(spec.size)
    style.font.bold = spec.bold
    style.font.italic = spec.italic
    fmt = style.paragraph_format
    fmt.alignment = _ALIGN[spec.align]
    fmt.space_before = Pt(spec.before)
    fmt.space_after = Pt(spec.after)
    fmt.first_line_indent = Mm(spec.first_line_mm)
    fmt.left_indent = Mm(spec.indent_mm[0])
    fmt.right_indent = Mm(spec.indent_mm[1])
    fmt.line_spacing = spec.line_spacing
    fmt.keep_with_next = spec.keep_with_next
    fmt.widow_control = True
    if spec.border:
        _add_border(style, spec.border)


def _page_number_field(paragraph: object) -> None:
    """Append a PAGE field (Word computes the number) to a header paragraph."""
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("end", None)):
        run = paragraph.add_run()  # type: ignore[attr-defined]
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        if kind == "separate":
            paragraph.add_run("2")  # type: ignore[attr-defined]


def build_template(target: Path = TEMPLATE_PATH) -> Path:
    """Write the submission template to ``target`` (byte-identical on every run)."""
    document = Document()
    normal = document.styles["Normal"]
    set_font_name(normal)
    normal.font.size = Pt(14)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for spec in STYLES.values():
        _paragraph_style(document, spec)
    marker = document.styles.add_style(PLACEHOLDER_CHAR_STYLE, WD_STYLE_TYPE.CHARACTER)
    marker.font.italic = True
    marker.font.highlight_color = 7  # yellow: the Department sees at once what to write
    table_style = document.styles[TABLE_STYLE]
    set_font_name(table_style)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.style = document.styles[STYLES["page_number"].name]
    _page_number_field(header)
    section.first_page_header.paragraphs[0].text = ""
    core = document.core_properties
    core.author = core.last_modified_by = "NSCL reports"
    core.title = "Báo cáo gửi Bộ Khoa học và Công nghệ"
    core.created = core.modified = FIXED_DATE
    core.revision = 1
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    normalise_zip(target)
    return target


if __name__ == "__main__":
    print(build_template())
