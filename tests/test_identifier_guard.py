"""The identifier guard of public builds (issue 11): no tax code or name leaves in a report."""

from __future__ import annotations

import base64

import pytest

from helpers import config
from helpers.inputs.params import load_params
from helpers.report import build
from helpers.report.context import load_context
from helpers.report.identifier_guard import check_public_folder, report_identifiers
from helpers.tfp.disclosure import DisclosureError


@pytest.fixture(scope="module")
def context():
    return load_context(
        year=2025,
        lang="vi",
        data_dir=config.SAMPLE_DATA_DIR,
        plan_file=config.PROJECT_ROOT / "data" / "plan" / "quang_ninh_203.yaml",
    )


@pytest.fixture(scope="module")
def identifiers(context):
    return report_identifiers(context)


def test_identifiers_are_the_panels_and_registers_codes_and_names(context, identifiers):
    register = context.registers["supported_enterprises"]
    assert str(context.panel["tax_code"].iloc[0]) in identifiers
    assert str(register["tax_code"].iloc[0]) in identifiers
    assert str(register["name"].iloc[0]) in identifiers
    assert "" not in identifiers


def test_guard_finds_a_code_in_a_table_and_a_name_in_a_page(tmp_path, context, identifiers):
    register = context.registers["supported_enterprises"]
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "clean-vi.csv").write_text("Ngành,Số doanh nghiệp\nC,576\n")
    check_public_folder(tmp_path, identifiers)  # nothing to find yet
    code = str(context.panel["tax_code"].iloc[5])
    (tmp_path / "tables" / "leak-vi.csv").write_text(f"Ngành,Ghi chú\nC,MST {code}\n")
    with pytest.raises(DisclosureError, match=code):
        check_public_folder(tmp_path, identifiers)
    (tmp_path / "tables" / "leak-vi.csv").unlink()
    name = str(register["name"].iloc[3])
    (tmp_path / "page.html").write_text(f"<p>{name.upper()} được hỗ trợ</p>", encoding="utf-8")
    with pytest.raises(DisclosureError, match="1 enterprise identifier"):
        check_public_folder(tmp_path, identifiers)


def test_guard_ignores_embedded_images(tmp_path, context, identifiers):
    code = str(context.panel["tax_code"].iloc[0])
    # base64 text that spells a tax code: an image's bytes, not something a reader sees
    image = base64.b64encode(b"\x89PNG" + bytes(60)).decode() + code
    page = f'<img src="data:image/png;base64,{image}" alt="Biểu đồ">'
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    check_public_folder(tmp_path, identifiers)


def _fake_build(monkeypatch, page_text: str) -> None:
    """Replace the notebook run and the rendering by writing ``page_text`` as the page."""

    def execute(sources, folder, parameters, failed_dir, languages, **_):
        return {lang: [] for lang in languages}

    def render(params, staging, executed, contexts, pdf_writer):
        page = staging / f"nscl-{params.folder_name}-vi.html"
        page.write_text(page_text, encoding="utf-8")
        return build._Editions({"vi": page}, {}, {"vi": None}, {})

    monkeypatch.setattr(build, "execute_sections", execute)
    monkeypatch.setattr(build, "_render_languages", render)


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_a_public_build_with_a_leaked_code_fails_and_keeps_the_last_report(
    tmp_path, monkeypatch, context, edition
):
    params = load_params(None, year=2025, languages=["vi"], formats=["html"], edition=edition)
    final = tmp_path / params.folder_name
    final.mkdir()
    (final / "last-good.txt").write_text("the previous report")
    code = str(context.panel["tax_code"].iloc[7])
    _fake_build(monkeypatch, f"<p>Doanh nghiệp có mã số thuế {code}</p>")
    if edition == "public":
        with pytest.raises(DisclosureError, match=code):
            build.build_report(params, tmp_path)
        assert (final / "last-good.txt").read_text() == "the previous report"
        assert not list(tmp_path.glob(".*building*"))  # the staging folder is gone
    else:  # the internal edition may name enterprises: it is built and swapped in
        result = build.build_report(params, tmp_path)
        assert not (result.folder / "last-good.txt").exists()
        assert code in (result.folder / f"nscl-{params.folder_name}-vi.html").read_text()


def test_a_clean_public_build_is_swapped_in(tmp_path, monkeypatch):
    params = load_params(None, year=2025, languages=["vi"], formats=["html"])
    (tmp_path / params.folder_name).mkdir()
    _fake_build(monkeypatch, "<p>Không có mã số thuế nào</p>")
    result = build.build_report(params, tmp_path)
    assert "identifier_guard" in result.timings
    assert (result.folder / f"nscl-{params.folder_name}-vi.html").is_file()
