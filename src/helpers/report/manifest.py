"""The manifest of a report folder, and checking a report against its inputs and code.

``manifest.json`` records the parameters, the SHA-256 of every input, of the code (section
notebooks and the ``helpers`` package) and of every output, package versions, the git commit
and timings. :func:`verify_report` recomputes the hashes and says whether a report is
*current*, *stale* (an input or the code changed; which one) or *tampered with* (an output no
longer matches its recorded hash).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
import subprocess
import zipfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from helpers import config
from helpers.inputs.params import ReportParams

MANIFEST_NAME = "manifest.json"
#: The lock files whose hashes go into the manifest (the environment the report was built in).
LOCK_FILES = ("requirements.txt", "requirements-dev.txt")
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: Fixed time stamp of the files a build writes (the date of Plan 203, 18/11/2020, midnight UTC):
#: the same inputs give the same bytes whenever the report is built.
FIXED_STAMP = dt.datetime(2020, 11, 18, tzinfo=dt.UTC)
CURRENT, STALE, TAMPERED = "current", "stale", "tampered"


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def display_path(path: Path) -> str:
    """Path relative to the project root when inside it, else the absolute path.

    Reports built from the project's own data carry no machine paths; data kept elsewhere are
    recorded where they are, so that the report can be checked against them later.
    """
    try:
        return path.resolve().relative_to(config.PROJECT_ROOT).as_posix()
    except ValueError:
        return path.resolve().as_posix()


def input_files(params: ReportParams, params_file: Path | None) -> list[Path]:
    """Every input file of a build: data files, the plan file and the parameter files."""
    data_dir = params.resolved("data_dir")
    files = sorted(p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith("."))
    files.append(params.resolved("plan_file"))
    files.append(config.PARAMS_DIR / "default.yaml")
    if params_file is not None:
        files.append(params_file)
    return files


def code_files() -> list[Path]:
    """The code a report depends on: section notebooks and the helpers package's files."""
    notebooks = sorted(config.NOTEBOOKS_DIR.rglob("*.ipynb"))
    package = sorted(
        p
        for p in config.PACKAGE_DIR.rglob("*")
        if p.is_file()
        and p.suffix in {".py", ".yaml", ".j2", ".css"}
        and "__pycache__" not in p.parts
    )
    return [p for p in notebooks if ".ipynb_checkpoints" not in p.parts] + package


def code_digest() -> dict[str, str]:
    """SHA-256 of every code file, keyed by its path in the project."""
    return {display_path(p): sha256_file(p) for p in code_files()}


def _git_commit() -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=config.PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def installed_versions() -> dict[str, str]:
    """Every distribution installed in this Python environment, by normalised name.

    Read once per process (the environment does not change while it runs).
    """
    return dict(_installed_versions())


@functools.cache
def _installed_versions() -> dict[str, str]:
    versions = {}
    for distribution in metadata.distributions():
        name = distribution.metadata["Name"]
        if name:
            versions[re.sub(r"[-_.]+", "-", name).lower()] = distribution.version
    return dict(sorted(versions.items()))


def lock_digest() -> dict[str, str]:
    """SHA-256 of the project's lock files (absent ones are left out)."""
    return {
        name: sha256_file(config.PROJECT_ROOT / name)
        for name in LOCK_FILES
        if (config.PROJECT_ROOT / name).is_file()
    }


def normalise_zip(path: Path) -> None:
    """Rewrite a zip container (XLSX) with fixed times, so equal content gives equal bytes.

    Entry times become 1980-01-01 and the document's recorded creation and modification
    times (``docProps/core.xml``) become the plan's date.
    """
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    entries = [
        (name, _fixed_core_times(data) if name == "docProps/core.xml" else data)
        for name, data in entries
    ]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)


def _fixed_core_times(xml: bytes) -> bytes:
    return re.sub(
        rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:)",
        rb"\g<1>" + FIXED_STAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<3>",
        xml,
    )


def write_manifest(
    folder: Path,
    params: ReportParams,
    params_file: Path | None,
    timings: dict[str, float],
    cache_uses: list[dict[str, str]] | None = None,
) -> Path:
    """Write ``manifest.json`` into a finished report folder (every file in it is an output).

    ``cache_uses`` lists the language-neutral results and where each came from ("cache" or
    "computed"), as logged by :mod:`helpers.report.result_cache`.
    """
    manifest = {
        "report": params.folder_name,
        "parameters": params.model_dump(mode="json"),
        "params_file": display_path(params_file) if params_file else None,
        "inputs": {display_path(p): sha256_file(p) for p in input_files(params, params_file)},
        "code": {"git_commit": _git_commit(), "files": code_digest()},
        "versions": installed_versions(),
        "locks": lock_digest(),
        "outputs": {
            p.relative_to(folder).as_posix(): sha256_file(p)
            for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != MANIFEST_NAME
        },
        "results": result_sources(cache_uses or []),
        "timings_seconds": {k: round(v, 3) for k, v in sorted(timings.items())},
    }
    path = folder / MANIFEST_NAME
    path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    return path


def result_sources(cache_uses: list[dict[str, str]]) -> dict[str, str]:
    """Where each result of a build came from, one entry per result.

    A result computed during the build (in the background, see :mod:`helpers.report.ahead`)
    and then read from the cache by the kernel counts as computed.
    """
    sources: dict[str, str] = {}
    for use in cache_uses:
        if sources.get(use["result"], "").startswith("computed"):
            continue
        sources[use["result"]] = use["source"]
    return sources


def read_manifest(folder: Path) -> dict:
    """Read a report folder's manifest (``FileNotFoundError`` when there is none)."""
    return json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))


@dataclass
class Verification:
    """The result of checking a report folder against its manifest."""

    status: str
    changed_inputs: list[str] = field(default_factory=list)
    changed_code: list[str] = field(default_factory=list)
    changed_outputs: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """Say in words what was found."""
        if self.status == CURRENT:
            return "current: inputs, code and outputs match the manifest"
        parts = []
        if self.changed_outputs:
            parts.append("outputs changed since the build: " + ", ".join(self.changed_outputs))
        if self.changed_inputs:
            parts.append("inputs changed: " + ", ".join(self.changed_inputs))
        if self.changed_code:
            shown = self.changed_code[:5] + (["..."] if len(self.changed_code) > 5 else [])
            parts.append("code changed: " + ", ".join(shown))
        return f"{self.status}: " + "; ".join(parts)


def _changed(recorded: dict[str, str], root: Path) -> list[str]:
    changed = []
    for name, digest in sorted(recorded.items()):
        path = root / name
        if not path.is_file() or sha256_file(path) != digest:
            changed.append(name)
    return changed


def verify_report(folder: Path, *, check_code: bool = True) -> Verification:
    """Check a report folder: tampered (an output changed), stale (input or code), or current."""
    manifest = read_manifest(folder)
    changed_outputs = _changed(manifest["outputs"], folder)
    changed_inputs = _changed(manifest["inputs"], config.PROJECT_ROOT)
    changed_code: list[str] = []
    if check_code:
        recorded = manifest.get("code", {}).get("files", {})
        current = code_digest()
        changed_code = sorted(
            name for name in set(recorded) | set(current) if recorded.get(name) != current.get(name)
        )
    if changed_outputs:
        status = TAMPERED
    elif changed_inputs or changed_code:
        status = STALE
    else:
        status = CURRENT
    return Verification(status, changed_inputs, changed_code, changed_outputs)


def is_up_to_date(folder: Path, params: ReportParams, params_file: Path | None) -> bool:
    """Whether a report exists whose parameters, inputs, code and outputs are all unchanged."""
    try:
        manifest = read_manifest(folder)
    except (FileNotFoundError, json.JSONDecodeError):
        return False
    if manifest.get("parameters") != params.model_dump(mode="json"):
        return False
    wanted = {display_path(p) for p in input_files(params, params_file)}
    if wanted != set(manifest["inputs"]):
        return False
    return verify_report(folder).status == CURRENT
