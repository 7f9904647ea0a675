"""Executed notebooks kept on disk: a text edit runs no kernel, a code or input change does.

The quick tests run :func:`helpers.report.build.execute_sections` on a three-cell notebook with
papermill replaced by a stand-in that counts its runs; the slow one builds the real report
twice and compares every output byte for byte.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import nbformat
import papermill
import pytest

from helpers import config
from helpers.inputs.params import BOOTSTRAP_REPS_ENV, load_params
from helpers.report import build, result_cache
from helpers.report.build import build_report, execute_sections
from helpers.report.context import load_context

PLAN = load_params().plan_file
NARRATIVE = "## Tóm tắt\n\nMột đoạn văn."


@pytest.fixture
def kernel(monkeypatch, tmp_path):
    """Papermill replaced by a stand-in: every code cell prints its source, a table is saved.

    Returns the list of runs (one entry per call).
    """
    runs: list[str] = []

    prepare = papermill.execute_notebook

    def execute_notebook(source, target, parameters, prepare_only=False, **options):
        book = prepare(source, None, parameters, prepare_only=True, **options)
        if prepare_only:
            return book
        for cell in book.cells:
            if cell.cell_type == "code":
                cell.outputs = [nbformat.v4.new_output("stream", text=f"ran: {cell.source}")]
        tables = Path(parameters["output_dir"]) / "tables"
        tables.mkdir(parents=True, exist_ok=True)
        (tables / "t-vi.csv").write_bytes(f"run,{len(runs)}\n".encode())
        nbformat.write(book, target)
        runs.append(source)
        return book

    monkeypatch.setattr(papermill, "execute_notebook", execute_notebook)
    monkeypatch.setenv(result_cache.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(result_cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setenv(result_cache.CACHE_LOG_ENV, str(tmp_path / "log.jsonl"))
    return runs


def _section(folder: Path, narrative: str = NARRATIVE, code: str = "x = 1\nprint(x)") -> Path:
    book = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell("year = 2025\nlang = 'vi'\noutput_dir = None")
    parameters.metadata["tags"] = ["parameters"]
    text = nbformat.v4.new_markdown_cell(narrative)
    text.metadata["tags"] = ["vi"]
    book.cells = [parameters, text, nbformat.v4.new_code_cell(code)]
    book.metadata["kernelspec"] = {
        "name": config.KERNEL_NAME,
        "language": "python",
        "display_name": "NSCL",
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "01_summary.ipynb"
    nbformat.write(book, path)
    return path


def _run(tmp_path: Path, source: Path, name: str, fingerprint: str = "inputs-a") -> Path:
    """Execute ``source`` into a fresh staging folder; return the executed section."""
    staging = tmp_path / name
    staging.mkdir()
    executed = execute_sections(
        [source],
        staging / "notebooks",
        {"year": 2025, "output_dir": str(staging)},
        tmp_path / "failed",
        ["vi"],
        inputs_fingerprint=fingerprint,
    )
    return executed["vi"][0]


def _sources(log: Path) -> list[str]:
    return [use["source"] for use in result_cache.read_log(log)]


def test_a_text_edit_is_served_from_the_cache_with_the_new_text(kernel, tmp_path):
    source = _section(tmp_path / "nb")
    first = nbformat.read(_run(tmp_path, source, "one"), as_version=4)
    _section(tmp_path / "nb", narrative="## Tóm tắt\n\nĐoạn văn đã sửa.")
    second = nbformat.read(_run(tmp_path, source, "two"), as_version=4)
    assert len(kernel) == 1  # the second build ran no kernel
    assert _sources(tmp_path / "log.jsonl") == ["computed", "cache"]
    texts = [c.source for c in second.cells if c.cell_type == "markdown"]
    assert texts == ["## Tóm tắt\n\nĐoạn văn đã sửa."]
    outputs = [[c.outputs, c.execution_count] for c in first.cells if c.cell_type == "code"]
    assert [[c.outputs, c.execution_count] for c in second.cells if c.cell_type == "code"] == (
        outputs
    )
    # the injected parameters name this build's folder, not the stored one's
    injected = next(c for c in second.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert str(tmp_path / "two") in injected.source
    # the kernel's files are put back, bytes as the kernel wrote them
    assert (tmp_path / "two" / "tables" / "t-vi.csv").read_bytes() == b"run,0\n"


def test_a_code_edit_runs_the_kernel(kernel, tmp_path):
    source = _section(tmp_path / "nb")
    _run(tmp_path, source, "one")
    _section(tmp_path / "nb", code="x = 2\nprint(x)")
    executed = nbformat.read(_run(tmp_path, source, "two"), as_version=4)
    assert len(kernel) == 2
    assert "ran: x = 2" in executed.cells[-1].outputs[0].text
    assert (tmp_path / "two" / "tables" / "t-vi.csv").read_bytes() == b"run,1\n"


def test_other_inputs_or_replications_run_the_kernel(kernel, tmp_path, monkeypatch):
    source = _section(tmp_path / "nb")
    _run(tmp_path, source, "one")
    _run(tmp_path, source, "two", fingerprint="inputs-b")
    monkeypatch.setenv(BOOTSTRAP_REPS_ENV, "19")
    _run(tmp_path, source, "three")
    assert len(kernel) == 3
    _run(tmp_path, source, "four")  # the same again: stored
    assert len(kernel) == 3


def test_a_damaged_entry_is_computed_again(kernel, tmp_path):
    source = _section(tmp_path / "nb")
    _run(tmp_path, source, "one")
    (entry,) = (tmp_path / "cache" / "notebooks").glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:100])  # a build killed while copying, a bad disk
    _run(tmp_path, source, "two")
    assert len(kernel) == 2
    _run(tmp_path, source, "three")  # rewritten whole
    assert len(kernel) == 2


def test_switched_off_every_build_runs_and_nothing_is_stored(kernel, tmp_path, monkeypatch):
    monkeypatch.setenv(result_cache.NO_CACHE_ENV, "1")
    source = _section(tmp_path / "nb")
    _run(tmp_path, source, "one")
    _run(tmp_path, source, "two")
    assert len(kernel) == 2
    assert not (tmp_path / "cache").exists()


def test_an_edited_input_file_changes_the_fingerprint(sample_copy):
    def fingerprint() -> str:
        context = load_context(year=2025, lang="vi", data_dir=sample_copy, plan_file=PLAN)
        return context.inputs_fingerprint()

    before = fingerprint()
    accounts = sample_copy / "province_accounts.csv"
    accounts.write_bytes(accounts.read_bytes() + b"\n")  # one more byte, same table
    assert fingerprint() != before


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.suffix in {".html", ".pdf", ".csv", ".xlsx", ".png"}
    }


@pytest.mark.slow
def test_a_report_from_stored_notebooks_is_byte_identical(built_report, tmp_path, monkeypatch):
    """The session's 2025 report ran the kernel; built again it takes the stored notebooks (no
    kernel) and gives the same bytes; after an edit of the narrative, still no kernel, new text."""
    notebooks = tmp_path / "notebooks"
    shutil.copytree(config.NOTEBOOKS_DIR, notebooks)
    monkeypatch.setattr(config, "NOTEBOOKS_DIR", notebooks)
    runs = []
    monkeypatch.setattr(build, "_run_kernel", lambda *a: runs.append(a))  # must not run
    params = load_params(year=2025, languages=["vi", "en"], formats=["html", "pdf"])
    again = build_report(params, tmp_path / "again")
    assert runs == []
    manifest = (built_report.folder / "manifest.json").read_text(encoding="utf-8")
    assert '"executed section notebooks (vi, en)": "computed"' in manifest
    manifest = (again.folder / "manifest.json").read_text(encoding="utf-8")
    assert '"executed section notebooks (vi, en)": "cache"' in manifest
    assert "notebooks" in again.timings
    assert _digests(again.folder) == _digests(built_report.folder)
    assert any(name.endswith(".pdf") for name in _digests(again.folder))
    assert any(name.startswith("tables/") for name in _digests(again.folder))

    book = nbformat.read(notebooks / "01_summary.ipynb", as_version=4)
    text = next(c for c in book.cells if c.cell_type == "markdown" and "vi" in c.metadata["tags"])
    text.source += "\n\nCâu do người phân tích thêm vào."
    nbformat.write(book, notebooks / "01_summary.ipynb")
    edited = build_report(params.model_copy(update={"formats": ["html"]}), tmp_path / "third")
    assert runs == []
    page = (edited.folder / "nscl-2025-vi.html").read_text(encoding="utf-8")
    assert "Câu do người phân tích thêm vào." in page
