"""Report blocks rendered by the Jinja2 macros: every text escaped, markup kept as markup."""

import re

import pytest
from markupsafe import Markup

from helpers.report import markup
from helpers.report.blocks import status_badge
from helpers.report.context import load_context
from helpers.report.sections import programme, province, review


@pytest.fixture(scope="module")
def ctx_vi():
    return load_context(
        year=2025, lang="vi", data_dir="data/sample", plan_file="data/plan/quang_ninh_203.yaml"
    )


def test_text_is_escaped_and_markup_is_kept():
    badge = markup.badge("ok", "<b>Đạt</b>")
    assert badge == '<span class="badge badge-ok">&lt;b&gt;Đạt&lt;/b&gt;</span>'
    line = markup.status_line(badge, "a < b & c")
    assert line == f'<p class="status-line">{badge} a &lt; b &amp; c</p>'
    assert markup.bullets(["<i>x</i>", "y"], "lessons") == (
        '<ul class="lessons"><li>&lt;i&gt;x&lt;/i&gt;</li><li>y</li></ul>'
    )
    assert markup.lead_with_notices("a", ["b", "<c>"]) == (
        '<p class="lead">a</p><p class="notice">b</p><p class="notice">&lt;c&gt;</p>'
    )


def test_status_badge_is_markup_with_the_status_word():
    badge = status_badge("not_achieved", "vi")
    assert isinstance(badge, Markup)
    assert badge == '<span class="badge badge-bad">Không đạt</span>'


def test_blocks_joined_with_tables_and_figures_stay_markup(ctx_vi):
    # a heading or a status lead joined to a table must not be escaped into visible tags
    target = next(t for t in ctx_vi.plan.targets if t.code == "P1-EXPERTS")
    html = programme.cumulative_block(ctx_vi, target).data
    assert html.startswith('<h4 id="p1-experts">')
    assert '<p class="status-line"><span class="badge badge-bad">Không đạt</span>' in html
    published = province.published_block(ctx_vi).data
    assert published.startswith('<p class="lead">')
    for block in (html, published, review.lessons(ctx_vi).data):
        assert "&lt;" not in re.sub(r'src="[^"]*"', "", block)


def test_a_cumulative_chart_says_its_count_is_summed_since_the_phase_began(ctx_vi, monkeypatch):
    # the figure of pilot models plots 10, 21, 25, 28, 31: the running total, not the new ones
    from helpers.report import charts

    titles = []
    draw = charts.cumulative_chart

    def recording(*args, **kwargs):
        titles.append(kwargs["title"])
        return draw(*args, **kwargs)

    monkeypatch.setattr(charts, "cumulative_chart", recording)
    target = next(t for t in ctx_vi.plan.targets if t.code == "P1-PILOTS")
    programme.cumulative_block(ctx_vi, target)
    assert titles == ["Mô hình điểm mới: lũy kế từ năm 2021"]
