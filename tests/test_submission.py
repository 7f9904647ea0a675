"""The submission to the Ministry, read back as a reader would (python-docx, LibreOffice).

Form: Decree 30/2020/NĐ-CP, Appendix I (sizes in points, margins in millimetres). Numbers: the
document's tables and sentences against the report's own computations on the sample data.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from typer.testing import CliRunner

from helpers import config
from helpers.cli.app import app
from helpers.errors import InputError
from helpers.inputs.submission_text import PARAGRAPHS, load_text, text_warnings
from helpers.report.context import load_context
from helpers.report.sections.funding import funding_by_source
from helpers.report.submission.content import band_range, pilot_models, place_date
from helpers.report.submission.docx import write_report_submission

PLAN = "data/plan/quang_ninh_203.yaml"


def build(folder, kind="annual", data_dir="data/sample"):
    name = "2025" if kind == "annual" else "phase1-review"
    path = write_report_submission(
        folder, name, year=2025, kind=kind, data_dir=str(data_dir), plan_file=PLAN
    )
    return path, Document(str(path))


@pytest.fixture(scope="module")
def annual(tmp_path_factory):
    return build(tmp_path_factory.mktemp("submission"))


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    return build(tmp_path_factory.mktemp("review"), "phase_review")


@pytest.fixture(scope="module")
def ctx():
    return load_context(year=2025, lang="vi", data_dir="data/sample", plan_file=PLAN)


def size(paragraph) -> float:
    """Effective font size of a paragraph's style (walking up to its base styles), in pt."""
    style = paragraph.style
    while style is not None and style.font.size is None:
        style = style.base_style
    return style.font.size.pt


def effective(paragraph, attribute: str) -> bool:
    style = paragraph.style
    while style is not None and getattr(style.font, attribute) is None:
        style = style.base_style
    return bool(style is not None and getattr(style.font, attribute))


def header_cells(document):
    left, right = document.tables[0].rows[0].cells
    return [p for p in left.paragraphs], [p for p in right.paragraphs]


def all_paragraphs(document) -> list:
    """Paragraphs of the body and of every table cell."""
    found = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += cell.paragraphs
    return found


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


# --- form ------------------------------------------------------------------------------------


def test_page_is_a4_portrait_with_the_decree_margins(annual):
    section = annual[1].sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert 20 <= round(section.top_margin.mm) <= 25
    assert 20 <= round(section.bottom_margin.mm) <= 25
    assert 30 <= round(section.left_margin.mm) <= 35
    assert 15 <= round(section.right_margin.mm) <= 20


def test_body_is_times_new_roman_13_to_14(annual):
    document = annual[1]
    normal = document.styles["Normal"]
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "cs", "eastAsia")} == {
        "Times New Roman"
    }
    body = [p for p in document.paragraphs if p.style.name == "NSCL Nội dung"]
    assert len(body) > 20
    assert {size(p) for p in body} <= {13.0, 14.0}


def test_header_block_texts_and_styles(annual):
    left, right = header_cells(annual[1])
    parent, issuing, line, number = left
    assert parent.text == "UBND TỈNH QUẢNG NINH" and 12 <= size(parent) <= 13
    assert not effective(parent, "bold")
    assert issuing.text == "SỞ KHOA HỌC VÀ CÔNG NGHỆ" and 12 <= size(issuing) <= 13
    assert effective(issuing, "bold")
    assert line.style.element.pPr.find(qn("w:pBdr")) is not None  # the line under the body
    assert number.text == "Số: …/BC-SKHCN" and size(number) == 13
    title, motto, motto_line, place = right
    assert title.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and title.text.isupper()
    assert 12 <= size(title) <= 13 and effective(title, "bold")
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and 13 <= size(motto) <= 14
    assert effective(motto, "bold")
    border = motto_line.style.element.pPr.find(qn("w:pBdr")).find(qn("w:top"))
    assert border.get(qn("w:val")) == "single"  # a solid line under the motto
    assert place.text == "Quảng Ninh, ngày … tháng … năm …" and effective(place, "italic")


def test_title_subject_and_addressee(annual):
    paragraphs = annual[1].paragraphs
    texts = [p.text for p in paragraphs]
    at = texts.index("BÁO CÁO")
    doc_type, subject, addressee = paragraphs[at : at + 3]
    assert 13 <= size(doc_type) <= 14 and effective(doc_type, "bold")
    assert subject.text.startswith("Kết quả thực hiện Kế hoạch số 203/KH-UBND")
    assert subject.text.endswith("năm 2025") and effective(subject, "bold")
    assert addressee.text == "Kính gửi: Bộ Khoa học và Công nghệ"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2025, 11, 25), "Quảng Ninh, ngày 25 tháng 11 năm 2025"),
        (dt.date(2026, 1, 5), "Quảng Ninh, ngày 05 tháng 01 năm 2026"),  # day < 10, month 1
        (dt.date(2026, 2, 28), "Quảng Ninh, ngày 28 tháng 02 năm 2026"),  # month 2
        (dt.date(2026, 3, 9), "Quảng Ninh, ngày 09 tháng 3 năm 2026"),  # months from 3: no 0
    ],
)
def test_place_and_date_leading_zeros(day, expected):
    assert place_date("Quảng Ninh", day) == expected


def test_page_number_in_the_header_but_not_on_page_one(annual):
    section = annual[1].sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    instructions = [e.text for e in header._p.iter(qn("w:instrText"))]
    assert [i.strip() for i in instructions] == ["PAGE"]
    assert header.alignment is None or header.style.paragraph_format.alignment == 1  # centred
    first = section.first_page_header._element
    assert not list(first.iter(qn("w:instrText"))) and not list(first.iter(qn("w:fldSimple")))


def test_recipients_block(annual):
    left, right = annual[1].tables[-4].rows[0].cells  # the signature block precedes 3 annexes
    title, *recipients = left.paragraphs
    assert title.text == "Nơi nhận:" and size(title) == 12
    assert effective(title, "bold") and effective(title, "italic")
    assert recipients[0].text == "- Bộ Khoa học và Công nghệ (b/c);"
    assert recipients[-1].text == "- Lưu: VT, TĐC."
    assert {size(p) for p in recipients} == {11.0}
    position, space, name = right.paragraphs
    assert position.text == "GIÁM ĐỐC" and effective(position, "bold")
    assert space.text == "" and space.style.paragraph_format.space_after >= Pt(48)
    assert name.text == "[Sở bổ sung: họ và tên người ký]"


# --- content ------------------------------------------------------------------------------------


def test_sections_one_to_five_and_annexes(annual):
    texts = [p.text for p in annual[1].paragraphs]
    for heading in (
        "I. TÌNH HÌNH CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI",
        "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ",
        "III. ĐÁNH GIÁ CHUNG",
        "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026",
        "V. KIẾN NGHỊ, ĐỀ XUẤT",
        "Phụ lục I",
        "Phụ lục II",
        "Phụ lục III",
    ):
        assert heading in texts


def test_placeholders_only_for_the_departments_words(annual):
    marked = [p for p in all_paragraphs(annual[1]) if "[Sở bổ sung:" in p.text]
    # the five paragraphs of submission.yaml left empty in the sample, and the signer's name
    assert len(marked) == len(PARAGRAPHS) + 1
    for paragraph in marked:
        assert paragraph.runs[0].style.name == "NSCL Chờ bổ sung"
        assert not any(ch.isdigit() for ch in paragraph.text)


def test_shortfall_sentence_from_the_data(annual, ctx):
    """18 experts certified 2021-2025 (0 + 5 + 6 + 4 + 3 in data/sample/activities.csv)."""
    assert ctx.assessment.loc["P1-EXPERTS", "actual"] == 18
    text = all_text(annual[1])
    assert "đạt 18/20 chuyên gia (90,0\u00a0%)" in text
    assert "tình trạng: không đạt." in text  # "Không đạt": a quantified target (chỉ tiêu)


def test_next_year_quantities_follow_the_plans_band(annual, ctx):
    """2025: 185 enterprises; +10 % = 203.5 -> at least 204, +15 % = 212.75 -> at most 212."""
    assert ctx.indicators.loc[2025, "enterprises_supported"] == 185
    assert band_range(185, 0.10, 0.15) == (204, 212)
    text = all_text(annual[1])
    assert "Số doanh nghiệp được hỗ trợ năm 2026: từ 204 đến 212 doanh nghiệp" in text
    # Phase 2: 20 national pilot models over 2026-2030, 4 a year
    assert "20 doanh nghiệp trong giai đoạn, bình quân 4 doanh nghiệp/năm" in text


def vn(value: float) -> str:
    """Vietnamese whole number by hand: thousands with a dot."""
    return f"{value:,.0f}".replace(",", ".")


def test_funding_table_equals_the_reports_table(annual, ctx):
    table = next(t for t in annual[1].tables if t.rows[0].cells[1].text == "Ngân sách trung ương")
    expected = funding_by_source(ctx.registers["funding"], 2021, 2025)
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [r[0] for r in rows] == ["2021", "2022", "2023", "2024", "2025", "Tổng cộng"]
    for row, (year, values) in zip(rows, expected.iterrows(), strict=False):
        assert row[1:] == [vn(v) for v in values], year
    assert rows[-1][-1] == vn(expected["total"].sum()) == "32.590"


def test_annex_tables_equal_the_registers(annual, ctx):
    document = annual[1]
    targets, activities, pilots = document.tables[-3:]
    phase_one = [t for t in ctx.plan.targets if t.phase in (0, 1)]
    assert len(targets.rows) - 1 == len(phase_one)
    year_rows = ctx.registers["activities"].query("year == 2025")
    assert len(activities.rows) - 1 == len(year_rows) == 15
    assert sum(int(r.cells[4].text.replace(".", "")) for r in activities.rows[1:]) == int(
        year_rows["participants"].sum()
    )
    models = pilot_models(ctx)
    assert [r.cells[1].text for r in pilots.rows[1:]] == list(models["name"])
    assert len(models) == ctx.assessment.loc["P1-PILOTS", "actual"] == 31


def test_no_tax_code_or_financial_figure_in_the_annexes(annual, ctx):
    text = all_text(annual[1])
    codes = set(ctx.registers["supported_enterprises"]["tax_code"])
    assert not [c for c in codes if c in text]
    pilots = annual[1].tables[-1]
    assert [c.text for c in pilots.rows[0].cells] == [
        "TT",
        "Tên doanh nghiệp",
        "Ngành",
        "Địa bàn",
        "Cấp",
        "Công cụ áp dụng",
        "Năm",
    ]


def test_phase_summary_has_the_same_form(review):
    document = review[1]
    texts = [p.text for p in document.paragraphs]
    subject = texts[texts.index("BÁO CÁO") + 1]
    assert subject.startswith("Tổng kết giai đoạn 2021–2025 thực hiện Kế hoạch số 203/KH-UBND")
    assert "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN 2026–2030" in texts
    assert review[0].name == "nscl-phase1-review-vi.docx"
    # the phase's activities: rows of 2021-2025 in activities.csv (7 + 11 + 14 + 12 + 15)
    assert len(document.tables[-2].rows) - 1 == 59


# --- the Department's text file ----------------------------------------------------------------


def test_filled_text_leaves_no_placeholder(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    text = (data / "submission.yaml").read_text(encoding="utf-8")
    for key in PARAGRAPHS:
        text = text.replace(f'{key}: ""', f'{key}: "Đoạn văn của Sở."')
    text = text.replace('nguoi_ky: ""', 'nguoi_ky: "Nguyễn Văn A"')
    text = text.replace('ngay_ban_hanh: ""', 'ngay_ban_hanh: "05/02/2026"')
    (data / "submission.yaml").write_text(text, encoding="utf-8")
    assert text_warnings(data) == []
    _, document = build(tmp_path, data_dir=data)
    assert "[Sở bổ sung" not in all_text(document)
    assert header_cells(document)[1][3].text == "Quảng Ninh, ngày 05 tháng 02 năm 2026"


def test_validate_warns_about_each_placeholder_and_exits_0():
    result = CliRunner().invoke(app, ["validate", "--data", str(config.SAMPLE_DATA_DIR)])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "[Sở bổ sung:" in line]
    assert len(warned) == len(PARAGRAPHS) + 1  # five paragraphs and the signer's name


def test_malformed_text_file_is_refused_with_its_key(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(config.SAMPLE_DATA_DIR, data)
    (data / "submission.yaml").write_text(
        'ngay_ban_hanh: "2025-11-25"\nnguoi_ki: "A"\n', encoding="utf-8"
    )
    with pytest.raises(InputError) as caught:
        load_text(data)
    assert {p.column for p in caught.value.problems} == {"ngay_ban_hanh", "nguoi_ki"}
    result = CliRunner().invoke(app, ["validate", "--data", str(data)])
    assert result.exit_code == 2


MALFORMED_TEXT = """\
kinh_gui: [a, b]
noi_nhan: "Bộ Khoa học và Công nghệ"
tong_ket_giai_doan:
  nguoi_ky: 1.5
  ngay_ban_hanh: "31/02/2025"
  tong_ket_giai_doan: {}
"""


@pytest.mark.parametrize(
    ("lang", "described"),
    [
        (
            "vi",
            [
                "submission.yaml, column 'kinh_gui': cần một đoạn văn bản (value: \"['a', 'b']\")",
                "submission.yaml, column 'noi_nhan': cần một danh sách, mỗi dòng một nơi nhận",
                "submission.yaml, column 'tong_ket_giai_doan.nguoi_ky': cần một đoạn văn bản"
                " (value: '1.5')",
                "submission.yaml, column 'tong_ket_giai_doan.ngay_ban_hanh': ngày cần ghi dạng"
                " dd/mm/yyyy (value: '31/02/2025')",
                "submission.yaml, column 'tong_ket_giai_doan.tong_ket_giai_doan': khóa không dùng"
                " đến (xem tệp mẫu của nscl templates) (value: '{}')",
            ],
        ),
        (
            "en",
            [
                "submission.yaml, column 'kinh_gui': a paragraph of text is needed"
                " (value: \"['a', 'b']\")",
                "submission.yaml, column 'noi_nhan': a list is needed, one recipient per line",
                "submission.yaml, column 'tong_ket_giai_doan.nguoi_ky': a paragraph of text is"
                " needed (value: '1.5')",
                "submission.yaml, column 'tong_ket_giai_doan.ngay_ban_hanh': the date must be"
                " written dd/mm/yyyy (value: '31/02/2025')",
                "submission.yaml, column 'tong_ket_giai_doan.tong_ket_giai_doan': key not used"
                " (see the example file written by nscl templates) (value: '{}')",
            ],
        ),
    ],
)
def test_text_file_model_locates_every_problem_by_key_in_file_order(tmp_path, lang, described):
    # 31/02 is no date; a phase summary inside the phase summary is not a key of the file.
    (tmp_path / "submission.yaml").write_text(MALFORMED_TEXT, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_text(tmp_path, lang=lang)
    assert [p.describe() for p in caught.value.problems] == described


def test_placeholder_warnings_follow_the_language(tmp_path):
    (tmp_path / "submission.yaml").write_text('nguoi_ky: ""\n', encoding="utf-8")
    [first, *_] = text_warnings(tmp_path, lang="en")
    assert first.severity == "warning"
    assert first.message == (
        "the report to the Ministry will have the blank '[Sở bổ sung: tên cơ quan chủ quản]'"
    )
    [first, *_] = text_warnings(tmp_path)
    assert first.message == "báo cáo gửi Bộ sẽ có chỗ trống '[Sở bổ sung: tên cơ quan chủ quản]'"


def test_templates_write_the_example_text(tmp_path):
    result = CliRunner().invoke(app, ["templates", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    example = (tmp_path / "submission.yaml").read_text(encoding="utf-8")
    assert example == (config.SAMPLE_DATA_DIR / "submission.yaml").read_text(encoding="utf-8")
    assert len(load_text(tmp_path).missing) == len(PARAGRAPHS) + 1


# --- LibreOffice --------------------------------------------------------------------------------


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
def test_converts_to_pdf_with_libreoffice(annual, tmp_path):
    from pypdf import PdfReader

    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(annual[0]),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    reader = PdfReader(str(tmp_path / annual[0].with_suffix(".pdf").name))
    assert len(reader.pages) >= 5
    width, height = (float(v) * 25.4 / 72 for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (210, 297)
    first = reader.pages[0].extract_text()
    # pypdf splits Vietnamese letters with stacked marks: check fragments without them
    assert "UBND" in first and "/BC-SKHCN" in first and "4258/BKHCN" in first
    assert not first.strip().startswith("1")  # no page number on page one
    assert reader.pages[1].extract_text().strip().startswith("2")  # page two is numbered


# --- against the built report's own tables ------------------------------------------------------


@pytest.mark.slow
def test_numbers_equal_the_built_reports_tables(built_report, tmp_path):
    """The submission and the HTML/PDF report of 2025 state the same numbers."""
    import pandas as pd

    tables = built_report.folder / "tables"
    _, document = build(tmp_path)
    text = all_text(document)
    # funding: the report's table, row by row
    funding = pd.read_csv(tables / "funding-vi.csv")
    docx_funding = next(
        t for t in document.tables if t.rows[0].cells[1].text == "Ngân sách trung ương"
    )
    assert [[c.text for c in r.cells] for r in docx_funding.rows[1:]] == [
        [str(row[0]), *(vn(v) for v in row[1:])] for row in funding.itertuples(index=False)
    ]
    # the year's indicators, each stated in section II
    indicators = pd.read_csv(tables / "indicators-vi.csv", index_col=0)["2025"]
    for label in (
        "Doanh nghiệp được hỗ trợ",
        "Lượt hỗ trợ",
        "Doanh nghiệp áp dụng công cụ, hệ thống",
        "Chuyên gia được cấp chứng chỉ",
        "Lượt lãnh đạo, quản lý được đào tạo",
        "Khóa đào tạo lãnh đạo, quản lý",
        "Hoạt động tuyên truyền, hội thảo",
        "Lượt người dự tuyên truyền, hội thảo",
    ):
        assert vn(indicators[label]) in text, label
    assert f"hỗ trợ {vn(indicators['Doanh nghiệp được hỗ trợ'])} doanh nghiệp" in text
    # tools: the report's 2025 column and table 2 of the submission
    tools = pd.read_csv(tables / "tools-vi.csv").set_index("Công cụ, hệ thống")["2025"]
    docx_tools = next(t for t in document.tables if t.rows[0].cells[1].text == "Công cụ, hệ thống")
    assert {r.cells[1].text: int(r.cells[2].text) for r in docx_tools.rows[1:]} == {
        k: int(v) for k, v in tools.items() if v > 0
    }
    # statuses: annex I against the report's status table (phase 1 and the objective)
    status = {}
    for name in ("target-status-vi.csv", "task-status-vi.csv"):
        table = pd.read_csv(tables / name)
        status.update(zip(table.iloc[:, 0], table["Tình trạng"], strict=True))
    shown = {r.cells[1].text: r.cells[4].text for r in document.tables[-3].rows[1:]}
    assert len(shown) == len(status) == 8  # phase 1's seven items and the objective
    assert shown == status


def test_same_inputs_give_the_same_bytes(annual, tmp_path):
    again, _ = build(tmp_path)
    assert again.read_bytes() == annual[0].read_bytes()


def test_committed_template_is_what_the_script_builds(tmp_path):
    """The styles live in the template; the script that rebuilds it gives the same file."""
    from helpers.report.submission.template import TEMPLATE_PATH, build_template

    rebuilt = build_template(tmp_path / "submission.docx")
    assert rebuilt.read_bytes() == TEMPLATE_PATH.read_bytes()


def test_a_plan_without_some_task_groups_says_so(tmp_path):
    """The example province's plan sets no awareness, certification or TFP-criteria task."""
    data = tmp_path / "data"
    data.mkdir()
    for name in ("supported_enterprises.csv", "activities.csv"):
        shutil.copy(config.SAMPLE_DATA_DIR / name, data / name)
    path = write_report_submission(
        tmp_path,
        "example",
        year=2025,
        kind="annual",
        data_dir=str(data),
        plan_file="data/plan/example_province.yaml",
    )
    text = all_text(Document(str(path)))
    assert "Kế hoạch không đặt chỉ tiêu, nhiệm vụ này trong giai đoạn 2021–2025." in text
    assert "Chưa có danh sách kinh phí thực hiện trong dữ liệu" in text
    assert "Kính gửi: [Sở bổ sung: nơi gửi]" in text  # no submission.yaml in this folder
