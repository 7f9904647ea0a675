"""Build one report: execute the section notebooks, assemble, render HTML and PDF, swap in.

With the ``docx`` format the submission to the Ministry (:mod:`helpers.report.submission.docx`) is
written next to them, from the same inputs.

Flow: validated parameters → inputs validated (every problem at once) → papermill executes
each section notebook with the project's kernel, per language → cells of the sections are
assembled into one document → nbconvert renders the HTML body (code hidden) → the page
template adds the title page, the data notice and the table of contents → WeasyPrint writes the
A4 PDF (:mod:`helpers.report.pdf`: in worker processes, or copied from the cache when the page
is unchanged) → tables as CSV and XLSX → a public
edition is checked for enterprise identifiers (:mod:`helpers.report.identifier_guard`) →
``manifest.json`` → the finished folder replaces the previous one. Any failure, a found
identifier included, leaves the previous report untouched.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html as html_lib
import logging
import os
import re
import shutil
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import nbformat
import papermill
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from nbconvert import HTMLExporter

from helpers import config, i18n
from helpers.errors import EXIT_BAD_INPUT, EXIT_INTERNAL, InputError, NsclError
from helpers.inputs.params import BOOTSTRAP_REPS_ENV, ReportParams
from helpers.processes import scoped_environment, settle_heap
from helpers.programme.plan import load_plan
from helpers.report import ahead, notebook_cache, result_cache, warm_kernel
from helpers.report.context import ReportContext, count_non_published, load_context
from helpers.report.facts import Facts, cell_place, check_notebooks, render_text
from helpers.report.identifier_guard import check_public_folder, report_identifiers
from helpers.report.manifest import (
    FIXED_STAMP,
    display_path,
    installed_versions,
    normalise_zip,
    write_manifest,
)
from helpers.report.pdf import PdfWriter, PendingPdf

LANGUAGE_TAGS = set(i18n.LANGUAGES)
HIDDEN_TAGS = {"parameters", "injected-parameters", "remove"}


class NotebookFailed(NsclError):  # noqa: N818 - reads as a sentence: "notebook failed"
    """A section notebook raised an error; the executed notebook is kept for debugging.

    Parameters
    ----------
    message : str
        Which notebook, cell and edition failed, and where the executed notebook is kept.
    error_name : str, optional
        Name of the exception raised in the notebook's kernel. An
        :class:`~helpers.errors.InputError` there is bad input (exit code 2); anything else is
        a fault of the project's notebooks or code (exit code 1).

    """

    def __init__(self, message: str, error_name: str | None = None):
        super().__init__(message)
        self.error_name = error_name
        self.exit_code = EXIT_BAD_INPUT if error_name == InputError.__name__ else EXIT_INTERNAL


@dataclass
class BuildResult:
    """What a build produced."""

    folder: Path
    outputs: list[Path]
    timings: dict[str, float] = field(default_factory=dict)


def section_notebooks(kind: str = "annual") -> list[Path]:
    """The section notebooks of a report kind, in report order (``NN_name.ipynb``).

    A notebook whose metadata lists ``nscl.kinds`` is used only for those kinds of report
    (the phase review's own section); others are used by every kind.
    """
    notebooks = []
    for path in sorted(config.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb")):
        kinds = nbformat.read(path, as_version=4).metadata.get("nscl", {}).get("kinds")
        if kinds is None or kind in kinds:
            notebooks.append(path)
    if not notebooks:
        raise FileNotFoundError(f"no section notebooks in {config.NOTEBOOKS_DIR.name}/")
    return notebooks


SECTION_KEY = "nscl_section"


LANGUAGE_SWITCH = "nscl-language"
#: Thread settings of the numerical libraries in the kernel. One thread each makes sums run in
#: the same order every time, so results are bit-identical whatever the load, the machine's
#: cores or the scheduler (a Dask worker sets its own); reports are built in parallel instead.
KERNEL_THREAD_SETTINGS = {
    name: "1"
    for name in (
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "VECLIB_MAXIMUM_THREADS",
        "NUMEXPR_NUM_THREADS",
        "NUMBA_NUM_THREADS",
    )
}


def combine_sections(sources: list[Path], languages: Sequence[str]) -> nbformat.NotebookNode:
    """Join the section notebooks, once per language, into one notebook for one kernel.

    The first pass runs with the parameters cell (whose ``lang`` papermill sets to the first
    language); before each further pass a cell sets ``lang`` to the next language. Every cell
    remembers its language, section notebook and position there (``metadata.nscl_section``),
    so errors and outputs map back to the sections. Running all languages in one kernel pays
    the kernel start and imports once, and lets language-neutral results be computed once.
    """
    combined = nbformat.v4.new_notebook()
    for number, lang in enumerate(languages):
        if number:
            switch = nbformat.v4.new_code_cell(f"lang = {lang!r}")
            switch.metadata["tags"] = [LANGUAGE_SWITCH, "remove"]
            switch.id = f"{LANGUAGE_SWITCH}-{lang}"
            combined.cells.append(switch)
        for source in sources:
            notebook = nbformat.read(source, as_version=4)
            if not combined.metadata:
                combined.metadata = notebook.metadata
            for position, cell in enumerate(notebook.cells, start=1):
                if "parameters" in cell.get("metadata", {}).get("tags", []) and (
                    number or len(combined.cells) > 0
                ):
                    continue
                cell.metadata[SECTION_KEY] = {
                    "notebook": source.name,
                    "cell": position,
                    "lang": lang,
                }
                cell.id = f"{lang}-{source.stem}-{position}"[:64]  # unique, same every build
                combined.cells.append(cell)
    return combined


def split_sections(executed: nbformat.NotebookNode, folder: Path) -> dict[str, list[Path]]:
    """Write the executed combined notebook back as ``folder/<lang>/<section>.ipynb``."""
    sections: dict[tuple[str, str], list] = {}
    pending = []  # cells papermill added (injected parameters) join the next section
    for cell in executed.cells:
        where = cell.get("metadata", {}).get(SECTION_KEY)
        if where is None or LANGUAGE_SWITCH in cell.get("metadata", {}).get("tags", []):
            pending.append(cell)
            continue
        key = (where["lang"], where["notebook"])
        sections.setdefault(key, []).extend(pending)
        pending = []
        sections[key].append(cell)
    paths: dict[str, list[Path]] = {}
    for (lang, name), cells in sections.items():
        notebook = nbformat.v4.new_notebook(cells=cells, metadata=executed.metadata)
        path = folder / lang / name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, path)
        paths.setdefault(lang, []).append(path)
    return paths


def execute_sections(
    sources: list[Path],
    folder: Path,
    parameters: dict[str, object],
    failed_dir: Path,
    languages: Sequence[str],
    inputs_fingerprint: str | None = None,
    ahead_context: ReportContext | None = None,
) -> dict[str, list[Path]]:
    """Execute the sections for every language in one kernel; return them per language.

    With ``inputs_fingerprint`` (SHA-256 of the input files' contents) the executed notebooks
    are kept on disk (:mod:`helpers.report.notebook_cache`): when nothing that can change a
    code cell's output has changed since (only the narrative was edited), no kernel runs; the
    stored outputs and the kernel's files are used with the current markdown cells. The use
    is recorded in the cache log (the manifest's ``results``). When the kernel runs, the
    language-neutral results of ``ahead_context`` are computed in the background meanwhile
    (:mod:`helpers.report.ahead`).

    Raises
    ------
    NotebookFailed
        Naming the section notebook, its cell and the language; the executed sections are
        kept in ``failed_dir`` for debugging.

    """
    folder.mkdir(parents=True, exist_ok=True)
    combined = combine_sections(sources, languages)
    run_parameters = {**parameters, "lang": languages[0]}
    output_dir = Path(str(parameters["output_dir"]))
    os.environ.update(KERNEL_THREAD_SETTINGS)  # the kernel inherits them
    entry = None
    if inputs_fingerprint is not None:
        kernel_environment = {
            name: os.environ.get(name, "")
            for name in (BOOTSTRAP_REPS_ENV, *sorted(KERNEL_THREAD_SETTINGS))
        }
        key = notebook_cache.notebook_key(
            combined, run_parameters, inputs_fingerprint, kernel_environment
        )
        entry = notebook_cache.entry_for(key, languages)
    executed = None
    if entry is not None:
        executed = notebook_cache.load(entry, combined, run_parameters, output_dir)
    if executed is not None:
        warm_kernel.discard_unused()  # no kernel runs: its seed stops importing
    source = "cache"
    if executed is None:
        with notebook_cache.computing(entry):
            if entry is not None:  # another build may have stored it meanwhile
                executed = notebook_cache.load(entry, combined, run_parameters, output_dir)
            if executed is None:
                with ahead.computed_ahead(ahead_context, sources):
                    executed = _run_kernel(combined, folder, run_parameters, failed_dir)
                source = "computed"
                if entry is not None:
                    notebook_cache.store(entry, executed, output_dir, folder)
    if entry is not None:
        result_cache.log_use(entry.label, source)
    return split_sections(executed, folder)


def _run_kernel(
    combined: nbformat.NotebookNode,
    folder: Path,
    parameters: dict[str, object],
    failed_dir: Path,
) -> nbformat.NotebookNode:
    """Run the combined notebook with papermill; return the executed notebook."""
    combined_in = folder / ".combined-input.ipynb"
    combined_out = folder / ".combined-executed.ipynb"
    nbformat.write(combined, combined_in)
    try:
        papermill.execute_notebook(
            str(combined_in),
            str(combined_out),
            parameters=parameters,
            kernel_name=config.KERNEL_NAME,
            # written when the run ends (a failed cell included), not after every cell: each
            # save serialises the whole notebook, figures included (2,4 s of a report)
            request_save_on_cell_execute=False,
            kernel_manager_class=warm_kernel.WarmKernelManager,
            # no input history: nobody reads it back, and its thread wakes after every cell
            extra_arguments=["--HistoryManager.enabled=False"],
            progress_bar=False,
            log_output=False,
            cwd=str(config.NOTEBOOKS_DIR),
        )
    except papermill.PapermillExecutionError as error:
        executed = nbformat.read(combined_out, as_version=4)
        where = executed.cells[error.cell_index].metadata.get(SECTION_KEY, {})
        kept = split_sections(executed, failed_dir)
        lang = where.get("lang", "?")
        failed = next(
            (p for p in kept.get(lang, []) if p.name == where.get("notebook")), failed_dir
        )
        raise NotebookFailed(
            f"notebook {where.get('notebook', '?')} failed in cell {where.get('cell', '?')} "
            f"({lang} edition): {error.ename}: {error.evalue}\n"
            f"The executed notebook is kept for debugging: {display_path(failed)}",
            error_name=error.ename,
        ) from error
    finally:
        combined_in.unlink(missing_ok=True)
    executed = nbformat.read(combined_out, as_version=4)
    combined_out.unlink()
    return executed


def assemble(executed: list[Path], lang: str, facts: Facts | None = None) -> nbformat.NotebookNode:
    """Join the executed sections into one notebook for ``lang``.

    Drops parameter cells, cells tagged for the other language and stderr output. With
    ``facts`` (of the ``lang`` edition), the placeholders of the markdown cells
    (``{{ facts.NAME }}``, :mod:`helpers.report.facts`) are replaced by the facts' values.

    Raises
    ------
    helpers.errors.InputError
        A placeholder names no fact, or the plan file cannot give it; names notebook and cell.

    """
    combined = nbformat.v4.new_notebook()
    other = LANGUAGE_TAGS - {lang}
    for path in executed:
        notebook = nbformat.read(path, as_version=4)
        for position, cell in enumerate(notebook.cells, start=1):
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & HIDDEN_TAGS or tags & other:
                continue
            if cell.cell_type == "markdown" and facts is not None:
                where = cell.get("metadata", {}).get(SECTION_KEY, {})
                place = cell_place(
                    where.get("notebook", path.name), where.get("cell", position), lang
                )
                cell.source = render_text(cell.source, facts, place)
            if cell.cell_type == "code":
                cell.outputs = [
                    o
                    for o in cell.outputs
                    if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                ]
            combined.cells.append(cell)
    return combined


_HEADING_ID = re.compile(r'(<h[1-6][^>]*?\sid=")([^"]+)(")')
_HREF = re.compile(r'(href="#)([^"]+)(")')
_REF = re.compile(r"\[\[(fig|tab):([A-Za-z0-9_.-]+)\]\]")
_FIGURE = re.compile(
    r'<figure class="(chart|table-figure)((?: long)?)"(?: id="([^"]*)")?>(.*?)<figcaption>', re.S
)
LOGGER = logging.getLogger(__name__)


def plain_anchor(text: str) -> str:
    """An ASCII id for a heading id that nbconvert wrote percent-encoded.

    WeasyPrint does not decode percent-escapes in ``href="#…"``, so the contents links of the
    PDF pointed nowhere; ids and hrefs are rewritten to the same plain form.

    Examples
    --------
    >>> plain_anchor("T%C3%B3m-t%E1%BA%AFt")
    'tom-tat'
    >>> plain_anchor("Đào-tạo")
    'dao-tao'

    """
    decoded = unquote(text).replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", decoded).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "section"


def normalise_anchors(body: str) -> str:
    """Give every heading a plain ASCII id and point every internal link at it."""
    renamed: dict[str, str] = {}
    used: set[str] = set()

    def rename_id(match: re.Match[str]) -> str:
        old = match.group(2)
        new = base = plain_anchor(old)
        number = 2
        while new in used:
            new, number = f"{base}-{number}", number + 1
        used.add(new)
        renamed.setdefault(old, new)
        return f"{match.group(1)}{new}{match.group(3)}"

    body = _HEADING_ID.sub(rename_id, body)
    return _HREF.sub(
        lambda m: f"{m.group(1)}{renamed.get(m.group(2), m.group(2))}{m.group(3)}", body
    )


def number_figures(body: str, lang: str) -> str:
    """Number charts ("Hình 1") and tables ("Bảng 1") in order; resolve ``[[fig:…]]`` references.

    A reference to a figure or table that the report does not contain is dropped with a warning
    (a section may leave out an empty table).
    """
    numbers: dict[str, str] = {}
    counters = {"chart": 0, "table-figure": 0}

    def number(match: re.Match[str]) -> str:
        kind, extra, anchor, between = match.groups()
        counters[kind] += 1
        label = i18n.t(
            "report.figure" if kind == "chart" else "report.table", lang, n=counters[kind]
        )
        anchor = anchor or f"{'fig' if kind == 'chart' else 'tab'}-{counters[kind]}"
        numbers[anchor] = label
        return (
            f'<figure class="{kind}{extra}" id="{anchor}">{between}'
            f'<figcaption><span class="label">{label}.</span> '
        )

    body = _FIGURE.sub(number, body)

    def reference(match: re.Match[str]) -> str:
        anchor = f"{match.group(1)}-{match.group(2)}"
        if anchor not in numbers:
            LOGGER.warning("reference to %s, which this report does not contain", anchor)
            return ""
        return f'<a class="ref" href="#{anchor}">{numbers[anchor]}</a>'

    return _REF.sub(reference, body)


_HEADING = re.compile(
    r'<h([23])\b[^>]*?\sid="([^"]+)"[^>]*>(.*?)(?:<a class="anchor-link".*?</a>)?</h\1>', re.S
)
#: A section whose output carries this attribute is an annex on simulated data: it goes last.
ANNEX_MARKER = 'data-annex="simulated"'


def _is_annex(path: Path) -> bool:
    notebook = nbformat.read(path, as_version=4)
    return any(
        ANNEX_MARKER in str(output.get("data", {}).get("text/html", ""))
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def annexes_last(executed: list[Path]) -> list[Path]:
    """Section notebooks in report order, with annexes on simulated data moved to the end."""
    annex = [p for p in executed if _is_annex(p)]
    return [p for p in executed if p not in annex] + annex


def table_of_contents(body: str) -> list[dict[str, Any]]:
    """Headings h2 (and h3 under them) of the body, in order, with their ids."""
    toc: list[dict[str, Any]] = []
    for level, anchor, inner in _HEADING.findall(body):
        text = html_lib.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        item = {"id": anchor, "text": text, "children": []}
        if level == "2" or not toc:
            toc.append(item)
        else:
            toc[-1]["children"].append(item)
    return toc


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@functools.lru_cache(maxsize=1)
def html_exporter() -> HTMLExporter:
    """The HTML exporter (nbconvert) of the report body, code hidden, made once per process.

    Its templates are compiled on first use; every language and, in a batch, every build
    forked from the warm server (:mod:`helpers.report.warm_start`) uses them again.
    """
    return HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )


@functools.lru_cache(maxsize=1)
def page_templates() -> Environment:
    """The templates of the report page (title page, contents, styles), loaded once per process.

    Jinja checks a template's file on each use and compiles it again when it changed.
    """
    return Environment(
        loader=FileSystemLoader(config.TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


def warm_up() -> None:
    """Compile the page's templates by rendering a small notebook.

    For the warm server of a batch: the builds forked from it start with them compiled.
    """
    output = nbformat.v4.new_output("display_data", data={"text/html": "<p>1</p>"})
    cells = [nbformat.v4.new_markdown_cell("# 1"), nbformat.v4.new_code_cell(outputs=[output])]
    html_exporter().from_notebook_node(nbformat.v4.new_notebook(cells=cells))
    page_templates().get_template("report.html.j2")


def render_html(
    notebook: nbformat.NotebookNode, params: ReportParams, lang: str, non_published: int
) -> str:
    """Render the assembled notebook as one self-contained HTML page.

    The title of a phase review runs from the first year of the report year's phase, as the
    plan file gives it, to the report year.
    """
    body, _ = html_exporter().from_notebook_node(notebook)
    body = number_figures(normalise_anchors(body), lang)
    internal = params.edition == "internal"
    edition_label = i18n.t("report.edition_internal" if internal else "report.edition_public", lang)
    loaded = load_plan(params.resolved("plan_file"))
    plan = loaded.plan
    document = plan.document_vi if lang == "vi" else plan.document_en
    programme = plan.national_programme_vi if lang == "vi" else plan.national_programme_en
    if params.kind == "phase_review":
        title = i18n.t(
            "report.title_review",
            lang,
            start=loaded.phase_of_year(params.year).start,
            end=params.year,
        )
    else:
        title = i18n.t("report.title", lang, year=params.year)
    footer = f"{title} — {edition_label}"
    css = (config.TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    css = (
        css.replace("{{ page_label }}", _css_string(i18n.t("report.page", lang)))
        .replace("{{ running_footer }}", _css_string(footer))
        .replace("{{ footer_colour }}", "#a61b1b" if internal else "#5b6670")
        .replace("{{ running_header }}", _css_string(edition_label) if internal else "")
    )
    date_of_data = None
    if params.data_as_of:
        day = dt.datetime.strptime(params.data_as_of, "%d/%m/%Y").date()
        date_of_data = i18n.t("report.date_of_data", lang, date=i18n.format_date(day, lang))
    return (
        page_templates()
        .get_template("report.html.j2")
        .render(
            lang=lang,
            title=title,
            subtitle=i18n.t("report.subtitle", lang, document=document, programme=programme),
            prepared_by=i18n.t("report.prepared_by", lang),
            built_on=i18n.t("report.built_on", lang),
            date_of_data=date_of_data,
            edition_label=edition_label,
            internal=internal,
            notice_title=i18n.t("notice.illustrative_title", lang),
            notice=i18n.t(
                "notice.illustrative", lang, count=i18n.format_number(non_published, lang)
            )
            if non_published
            else "",
            toc_title=i18n.t("report.toc", lang),
            toc=table_of_contents(body),
            body=Markup(body),
            css=Markup(css),
            running_footer=footer,
        )
    )


def _cache_environment(
    log: Path, use_cache: bool, bootstrap_replications: int | None = None
) -> contextlib.AbstractContextManager[None]:
    """Tell the notebook kernel how to use the cache and how many replications to run.

    The kernel inherits the environment: where to log cache uses, whether to use the cache,
    the number of bootstrap replications.
    """
    return scoped_environment(
        **{
            result_cache.CACHE_LOG_ENV: str(log),
            result_cache.NO_CACHE_ENV: None if use_cache else "1",
            BOOTSTRAP_REPS_ENV: None
            if bootstrap_replications is None
            else str(bootstrap_replications),
        }
    )


def write_workbook(tables_dir: Path, lang: str, target: Path) -> None:
    """Collect a language's CSV tables into one XLSX workbook, one sheet per table (no formula)."""
    from helpers.safe_export import read_frame_csv, write_frames_xlsx

    csvs = sorted(tables_dir.glob(f"*-{lang}.csv"))
    if not csvs:
        return
    frames = {
        path.stem.removesuffix(f"-{lang}")[:31]: read_frame_csv(path)
        for path in csvs
        if path.stat().st_size > 0
    }
    if not frames:
        return
    write_frames_xlsx(frames, target, stamp=FIXED_STAMP.replace(tzinfo=None))
    normalise_zip(target)


def _replace_folder(staging: Path, final: Path) -> None:
    """Move the finished ``staging`` folder to ``final``, replacing it by renames only."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        os.rename(final, old)
    try:
        os.rename(staging, final)
    except OSError:
        if old.exists():
            os.rename(old, final)
        raise
    if old.exists():
        shutil.rmtree(old)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned_staging(out_root: Path) -> list[Path]:
    """Clean up after builds whose process no longer runs (killed outright: SIGKILL, power).

    Their half-written staging folders never replaced a report and are removed. A build
    killed between the two renames of the swap left the previous report as ``.<id>.old-<pid>``
    with nothing at ``<id>``: it is put back.
    """
    removed = []
    for folder in out_root.glob(".*.building-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _process_alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    for folder in out_root.glob(".*.old-*"):
        pid = folder.name.rsplit("-", 1)[-1]
        if not pid.isdigit() or _process_alive(int(pid)):
            continue
        final = out_root / folder.name[1:].rsplit(".old-", 1)[0]
        if final.exists():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        else:  # killed between the two renames: put the last good report back
            os.rename(folder, final)
    return removed


def build_report(
    params: ReportParams,
    out_root: Path,
    *,
    params_file: Path | None = None,
    use_cache: bool = True,
) -> BuildResult:
    """Build every language and format of one report into ``out_root/<folder>``.

    Language-neutral results (estimates, event study, sensitivity) come from the on-disk
    cache (:mod:`helpers.report.result_cache`) when their inputs and code are unchanged; with
    ``use_cache=False`` everything is computed again and nothing is stored. The manifest
    lists which results came from the cache.

    Raises
    ------
    helpers.errors.InputError
        Bad input (checked before any notebook runs); nothing is written.
    NotebookFailed
        A notebook failed; the previous report is untouched.
    helpers.tfp.disclosure.DisclosureError
        A public edition shows an enterprise's tax code or name; the previous report is
        untouched.

    """
    # the kernel's process is forked now, while there is one thread, and imports its modules
    # while the inputs are checked (helpers.report.warm_kernel)
    with warm_kernel.seed_for_this_build():
        return _build_report(params, out_root, params_file=params_file, use_cache=use_cache)


def _build_report(
    params: ReportParams,
    out_root: Path,
    *,
    params_file: Path | None,
    use_cache: bool,
) -> BuildResult:
    started = time.perf_counter()
    timings: dict[str, float] = {}
    contexts: dict[str, ReportContext] = {}
    for lang in params.languages:  # validates every input before anything runs
        contexts[lang] = load_context(
            year=params.year,
            lang=lang,
            data_dir=params.data_dir,
            plan_file=params.plan_file,
            edition=params.edition,
            kind=params.kind,
            required_inputs=params.required_inputs,
        )
    if "docx" in params.formats:  # the Department's words are checked before anything runs
        from helpers.inputs.submission_text import load_text

        load_text(params.resolved("data_dir"), params.kind)
    for lang in params.languages:  # a wrong placeholder in the notebooks' text costs no build
        check_notebooks(section_notebooks(params.kind), contexts[lang])
    timings["validate"] = time.perf_counter() - started
    out_root.mkdir(parents=True, exist_ok=True)
    final = out_root / params.folder_name
    staging = out_root / f".{params.folder_name}.building-{os.getpid()}"
    failed_dir = out_root / "_failed" / params.folder_name
    remove_abandoned_staging(out_root)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    pdf_count = len(params.languages) if "pdf" in params.formats else 0
    settle_heap()  # the imports are done: the workers forked from here on inherit it
    try:
        # opened now: the PDF workers load WeasyPrint while the notebooks run
        with PdfWriter(pdf_count, use_cache=use_cache) as pdf_writer:
            lap = time.perf_counter()
            parameters = {
                "year": params.year,
                "data_dir": params.data_dir,
                "plan_file": params.plan_file,
                "output_dir": str(staging),
                "edition": params.edition,
                "kind": params.kind,
            }
            cache_log = staging / ".cache-log.jsonl"
            with _cache_environment(cache_log, use_cache, params.bootstrap_replications):
                executed = execute_sections(
                    section_notebooks(params.kind),
                    staging / "notebooks",
                    parameters,
                    failed_dir,
                    params.languages,
                    inputs_fingerprint=contexts[params.languages[0]].inputs_fingerprint(),
                    ahead_context=contexts[params.languages[0]],
                )
            cache_uses = result_cache.read_log(cache_log)
            cache_log.unlink(missing_ok=True)
            timings["notebooks"] = time.perf_counter() - lap
            editions = _render_languages(params, staging, executed, contexts, pdf_writer)
            # while the PDFs are written: the identifier check and the submission
            if params.edition == "public":  # nothing identifies an enterprise, or nothing moves in
                lap = time.perf_counter()
                identifiers = report_identifiers(contexts[params.languages[0]])
                check_public_folder(staging, identifiers)
                timings["identifier_guard"] = time.perf_counter() - lap
            submission = None
            if "docx" in params.formats:
                from helpers.report.submission.docx import write_report_submission

                lap = time.perf_counter()
                submission = write_report_submission(
                    staging,
                    params.folder_name,
                    year=params.year,
                    kind=params.kind,
                    data_dir=params.data_dir,
                    plan_file=params.plan_file,
                )
                timings["docx"] = time.perf_counter() - lap
            installed_versions()  # read for the manifest while the PDFs are written
            outputs = editions.finish(cache_uses)
            timings.update(editions.timings)
        if submission is not None:
            outputs.append(submission)
        timings["total"] = time.perf_counter() - started
        write_manifest(staging, params, params_file, timings, cache_uses)
        _replace_folder(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if failed_dir.exists():
        shutil.rmtree(failed_dir, ignore_errors=True)
    return BuildResult(final, [final / p.name for p in outputs], timings)


@dataclass
class _Editions:
    """The language editions of a build: pages and workbooks written, PDFs being written."""

    pages: dict[str, Path | None]
    pdfs: dict[str, tuple[Path, PendingPdf]]
    workbooks: dict[str, Path | None]
    timings: dict[str, float]

    def finish(self, cache_uses: list[dict[str, str]]) -> list[Path]:
        """Wait for the PDFs; list the files of every language.

        Each PDF's seconds go to :attr:`timings`, its source (cache or computed) to
        ``cache_uses``. Per language: the page, the PDF, the workbook (those the build writes).
        """
        produced: list[Path] = []
        for lang, page in self.pages.items():
            pdf = None
            if lang in self.pdfs:
                pdf, pending = self.pdfs[lang]
                self.timings[f"pdf_{lang}"], source = pending.wait()
                cache_uses.append({"result": f"PDF ({lang})", "source": source})
            produced += [path for path in (page, pdf, self.workbooks[lang]) if path is not None]
        return produced


def _render_languages(
    params: ReportParams,
    staging: Path,
    executed: dict[str, list[Path]],
    contexts: dict[str, ReportContext],
    pdf_writer: PdfWriter,
) -> _Editions:
    """Render every language edition (HTML, PDF, XLSX) into ``staging``.

    The pages are rendered here, one language after the other, and each is handed to the
    PDF writer as soon as it exists (its workers write the PDFs, most of the rendering time);
    this process meanwhile renders the next language and writes the workbooks.
    """
    timings: dict[str, float] = {}
    pages: dict[str, Path | None] = dict.fromkeys(params.languages)
    workbooks: dict[str, Path | None] = dict.fromkeys(params.languages)
    pdfs: dict[str, tuple[Path, PendingPdf]] = {}
    for lang in params.languages:
        lap = time.perf_counter()
        context = contexts[lang]
        non_published = count_non_published(context.registers, context.accounts, context.panel)
        notebook = assemble(annexes_last(executed[lang]), lang, Facts(context))
        page = render_html(notebook, params, lang, non_published)
        if "html" in params.formats:
            path = staging / f"{_stem(params, lang)}.html"
            path.write_text(page, encoding="utf-8")
            pages[lang] = path
        timings[f"html_{lang}"] = time.perf_counter() - lap
        if "pdf" in params.formats:
            target = staging / f"{_stem(params, lang)}.pdf"
            pdfs[lang] = (target, pdf_writer.submit(page, target))
    for lang in params.languages:
        workbook = staging / f"tables-{params.folder_name}-{lang}.xlsx"
        write_workbook(staging / "tables", lang, workbook)
        workbooks[lang] = workbook if workbook.exists() else None
    return _Editions(pages, pdfs, workbooks, timings)


def _stem(params: ReportParams, lang: str) -> str:
    return f"nscl-{params.folder_name}-{lang}"
