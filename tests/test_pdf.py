"""The PDF prints like an official document: tagged, language set, working internal links,
numbered figures and tables, charts whose labels do not collide."""

from __future__ import annotations

import re

import pandas as pd
from matplotlib.text import Text
from pypdf import PdfReader

from helpers.programme import progress
from helpers.report import charts
from helpers.report.build import normalise_anchors, number_figures
from helpers.report.pdf import write_pdf


def test_pdf_is_tagged_with_its_language(built_report):
    for lang in ("vi", "en"):
        root = PdfReader(built_report.folder / f"nscl-2025-{lang}.pdf").trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"])  # `pdfinfo` reports "Tagged: yes"
        assert "/StructTreeRoot" in root
        assert str(root["/Lang"]) == lang


def test_contents_links_resolve_in_the_pdf_written_again_byte_for_byte(built_report, tmp_path):
    """The whole report page written again by WeasyPrint: links resolve, the bytes are those
    of the build's PDF (what lets a build copy the PDF of an unchanged page from the cache)."""
    page = (built_report.folder / "nscl-2025-vi.html").read_text(encoding="utf-8")
    messages = write_pdf(page, tmp_path / "again.pdf")
    assert (tmp_path / "again.pdf").read_bytes() == (
        built_report.folder / "nscl-2025-vi.pdf"
    ).read_bytes()
    assert not [m for m in messages if "anchor" in m.lower()]
    assert "%" not in "".join(re.findall(r'href="#([^"]*)"', page))  # plain ids, no escapes
    reader = PdfReader(tmp_path / "again.pdf")
    links = [
        a.get_object()
        for p in reader.pages[:3]
        for a in p.get("/Annots", [])
        if a.get_object().get("/Subtype") == "/Link"
    ]
    assert len(links) >= 10  # the contents page links to every chapter and section


def test_no_line_of_the_pdf_starts_with_a_per_cent_sign(built_report):
    # "khoảng tin cậy 95 %", "trên 55 %": the number and its sign stay on one line
    page = (built_report.folder / "nscl-2025-vi.html").read_text(encoding="utf-8")
    assert re.search(r"\d %", page)  # the page writes them with a plain space
    for lang in ("vi", "en"):
        reader = PdfReader(built_report.folder / f"nscl-2025-{lang}.pdf")
        starts = [
            (number, line)
            for number, pdf_page in enumerate(reader.pages, 1)
            for line in pdf_page.extract_text().splitlines()
            if line.lstrip().startswith("%")
        ]
        assert starts == [], lang


def test_the_footer_line_is_printed_once_per_page_not_again_in_the_body(built_report):
    # the page's closing <footer> repeats the running footer of every printed page: print hides it
    for lang in ("vi", "en"):
        page = (built_report.folder / f"nscl-2025-{lang}.html").read_text(encoding="utf-8")
        footer = re.search(r"<footer><p>(.*?)</p></footer>", page).group(1)
        reader = PdfReader(built_report.folder / f"nscl-2025-{lang}.pdf")
        counts = [p.extract_text().count(footer[:40]) for p in reader.pages[1:]]
        assert counts == [1] * len(counts), lang


def test_heading_ids_and_links_agree():
    body = (
        '<h2 id="T%C3%B3m-t%E1%BA%AFt">Tóm tắt<a class="anchor-link" '
        'href="#T%C3%B3m-t%E1%BA%AFt">¶</a></h2><h2 id="Tóm-tắt">x</h2><a href="#Tóm-tắt">y</a>'
    )
    fixed = normalise_anchors(body)
    assert 'id="tom-tat"' in fixed and 'href="#tom-tat"' in fixed
    assert 'id="tom-tat-2"' in fixed and 'href="#tom-tat-2"' in fixed  # duplicates kept apart


def test_figures_and_tables_are_numbered_and_referenced():
    body = (
        "<p>See [[fig:growth]] and [[tab:yearly]].</p>"
        '<figure class="chart" id="fig-growth"><img alt="a">'
        "<figcaption>Growth</figcaption></figure>"
        '<figure class="table-figure" id="tab-yearly"><figcaption>Yearly</figcaption></figure>'
        '<figure class="table-figure long" id="tab-long"><figcaption>Long</figcaption></figure>'
        '<figure class="chart" id="fig-other"><img alt="b">'
        "<figcaption>Other</figcaption></figure>"
    )
    numbered = number_figures(body, "vi")
    assert '<a class="ref" href="#fig-growth">Hình 1</a>' in numbered
    assert '<a class="ref" href="#tab-yearly">Bảng 1</a>' in numbered
    assert '<span class="label">Hình 2.</span> Other' in numbered
    assert (
        '<figure class="table-figure long" id="tab-long"><figcaption><span class="label">Bảng 2.'
        in numbered
    )
    assert "[[" not in number_figures("<p>[[fig:absent]]</p>", "en")


def _boxes(fig):
    """Texts the chart places itself (titles, annotations, legend, axis titles), with boxes.

    Tick labels are laid out by matplotlib and left out (it also keeps unused ones around).
    """
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    ticks = {
        id(label)
        for ax in fig.axes
        for axis in (ax.xaxis, ax.yaxis)
        for label in axis.get_ticklabels(which="both")
    }
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in ticks
    ]


def _overlaps(fig):
    boxes = _boxes(fig)
    return [
        (a, b)
        for i, (a, box_a) in enumerate(boxes)
        for b, box_b in boxes[i + 1 :]
        if box_a.overlaps(box_b)
    ]


def test_enterprises_chart_labels_do_not_collide():
    # the sample's enterprises: 2024 grew 8.7 %, below the band, where the legend used to sit
    levels = pd.Series({2021: 120.0, 2022: 134.0, 2023: 150.0, 2024: 163.0, 2025: 185.0})
    _, yearly = progress.assess_growth_band(
        levels, low=0.10, high=0.15, start=2021, end=2025, year=2025
    )
    fig = charts.enterprises_chart(yearly, low=0.10, high=0.15, title="Doanh nghiệp", lang="vi")
    assert _overlaps(fig) == []
    legend_labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Tốc độ tăng thực tế" in legend_labels  # the line's marker is in the legend


def test_cumulative_chart_target_label_is_not_crossed_and_nothing_collides():
    cumulative = pd.Series({2021: 150.0, 2022: 360.0, 2023: 605.0, 2024: 835.0, 2025: 1070.0})
    required = progress.required_linear_path(1000, 2021, 2025)
    fig = charts.cumulative_chart(
        cumulative, required, None, target=1000, title="Lượt đào tạo", lang="vi"
    )
    assert _overlaps(fig) == []
    fig.canvas.draw()
    axes_box = fig.axes[0].get_window_extent()
    label = next(t for t in fig.axes[0].texts if t.get_text() == "1.000")
    assert label.get_window_extent().x0 >= axes_box.x1  # outside the plot: no line crosses it


def test_simulated_enterprise_analysis_is_a_marked_annex_at_the_end(built_report):
    import unicodedata

    pages = [
        " ".join(unicodedata.normalize("NFC", p.extract_text() or "").split())
        for p in PdfReader(built_report.folder / "nscl-2025-vi.pdf").pages
    ]
    title = "Phụ lục: Năng suất của doanh nghiệp — phân tích trên số liệu mô phỏng"
    start = next(i for i, text in enumerate(pages) if i > 1 and title in text)
    assert all("Phương pháp và nguồn số liệu" not in text for text in pages[start:])  # last
    mark = "Phụ lục — số liệu mô phỏng, không phải số liệu thực của doanh nghiệp"
    assert all(mark in text for text in pages[start:])  # every page of the annex says so
    assert not any(mark in text for text in pages[:start])
