"""Executed section notebooks kept on disk: a rebuild after a text edit runs no kernel.

The code cells' outputs, and the tables and figures they write, depend only on the code
cells, the parameters, the input files, the package's code and messages, the installed
libraries and the kernel's environment, never on the narrative (markdown cells). An entry
stores the executed combined notebook with the files the kernel wrote into the report folder,
under a key made of the SHA-256 of all of those; a build with the same key takes the
outputs from the entry and the markdown cells from the current notebooks (rendered afterwards
as always), so the report is byte-identical to one whose notebooks ran.

Entries live in the results cache folder (:func:`helpers.report.result_cache.cache_dir`, so
``NSCL_CACHE_DIR``, ``NSCL_NO_CACHE`` and ``nscl build --no-cache`` apply), are written
atomically, and an unreadable or inconsistent entry is computed again.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
import papermill

from helpers import config
from helpers.report import result_cache

#: Bump when the layout of an entry or the key's parts change.
ENTRY_FORMAT = 1
#: The tag papermill gives the cell that sets the parameters.
INJECTED_TAG = "injected-parameters"
#: Cell metadata papermill and the kernel write while executing (copied from an entry).
EXECUTION_METADATA = ("papermill", "execution")


@dataclass(frozen=True)
class Entry:
    """Where the executed notebooks of one key are stored."""

    path: Path
    label: str


def _tags(cell: nbformat.NotebookNode) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def notebook_key(
    combined: nbformat.NotebookNode,
    parameters: dict[str, object],
    inputs_fingerprint: str,
    kernel_environment: dict[str, str],
) -> str:
    """The key of a combined notebook's outputs (hex SHA-256).

    Parameters
    ----------
    combined
        The combined section notebook before execution
        (:func:`helpers.report.build.combine_sections`).
    parameters
        What papermill passes to the kernel, ``output_dir`` excepted (the build's own staging
        folder: where the kernel writes, not what it computes).
    inputs_fingerprint
        SHA-256 of the input files' contents (data folder, plan file, criteria file).
    kernel_environment
        The environment variables that steer the kernel (bootstrap replications, threads).

    """
    code_cells = [
        (
            cell.cell_type,
            cell.source,
            _tags(cell),
            cell.get("metadata", {}).get("nscl_section", {}).get("notebook"),
            cell.get("metadata", {}).get("nscl_section", {}).get("lang"),
        )
        for cell in combined.cells
        if cell.cell_type == "code"
    ]
    kernelspec = combined.get("metadata", {}).get("kernelspec", {}).get("name")
    parts = {
        "format": ENTRY_FORMAT,
        "code": result_cache.package_fingerprint(),
        "installed": result_cache.installed_fingerprint(),
        "project_root": str(config.PROJECT_ROOT),
        "kernel": [config.KERNEL_NAME, kernelspec],
        "kernel_environment": sorted(kernel_environment.items()),
        "parameters": sorted((k, repr(v)) for k, v in parameters.items() if k != "output_dir"),
        "inputs": inputs_fingerprint,
        "cells": code_cells,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def entry_for(key: str, languages: Sequence[str]) -> Entry | None:
    """Where the entry of ``key`` lives, or None when the cache is switched off."""
    folder = result_cache.cache_dir()
    if folder is None:
        return None
    return Entry(
        folder / "notebooks" / f"{key}.pickle",
        f"executed section notebooks ({', '.join(languages)})",
    )


def _kernel_files(output_dir: Path, skip: Path) -> dict[str, bytes]:
    """The files the kernel wrote into the report folder (tables, figures)."""
    files = {}
    for path in sorted(output_dir.rglob("*")):
        relative = path.relative_to(output_dir)
        if (
            not path.is_file()
            or path.is_relative_to(skip)
            or any(part.startswith(".") for part in relative.parts)
        ):
            continue
        files[relative.as_posix()] = path.read_bytes()
    return files


def store(entry: Entry, executed: nbformat.NotebookNode, output_dir: Path, skip: Path) -> None:
    """Keep an executed combined notebook and the files its kernel wrote (atomically).

    ``skip`` is the folder of the build's own notebooks inside ``output_dir``.
    """
    result_cache.write_atomically(
        entry.path,
        {
            "format": ENTRY_FORMAT,
            "notebook": nbformat.writes(executed),
            "files": _kernel_files(output_dir, skip),
        },
    )


def _with_outputs(
    current: nbformat.NotebookNode, executed: nbformat.NotebookNode
) -> nbformat.NotebookNode | None:
    """``current`` (parameterised, not run) with the outputs of ``executed``, cell by cell.

    Markdown and raw cells stay as they are now; code cells take the outputs, execution
    counts and execution metadata of the stored ones. None when the code cells do not
    correspond one to one (the entry is then computed again).
    """
    now_code = [cell for cell in current.cells if cell.cell_type == "code"]
    then_code = [cell for cell in executed.cells if cell.cell_type == "code"]
    if len(now_code) != len(then_code):
        return None
    for now, then in zip(now_code, then_code, strict=True):
        injected = INJECTED_TAG in _tags(now)
        if injected != (INJECTED_TAG in _tags(then)):
            return None
        if not injected and now.source != then.source:
            return None
        now.outputs = copy.deepcopy(then.get("outputs", []))
        now.execution_count = then.get("execution_count")
        for name in EXECUTION_METADATA:
            if name in then.get("metadata", {}):
                now.metadata[name] = copy.deepcopy(then.metadata[name])
    metadata = copy.deepcopy(executed.metadata)
    metadata.setdefault("papermill", {})["parameters"] = current.metadata.papermill.parameters
    current.metadata = metadata
    return current


def load(
    entry: Entry,
    combined: nbformat.NotebookNode,
    parameters: dict[str, Any],
    output_dir: Path,
) -> nbformat.NotebookNode | None:
    """The executed notebook for ``combined`` from ``entry``, its files restored; or None.

    ``combined`` is prepared as papermill would (``parameters``, the injected cell) and
    given the stored outputs; the kernel's files are written back into ``output_dir``. A
    missing, damaged or inconsistent entry gives None.
    """
    found, stored = result_cache.read_stored(entry.path)
    if not found or not isinstance(stored, dict) or stored.get("format") != ENTRY_FORMAT:
        return None
    try:
        executed = nbformat.reads(stored["notebook"], as_version=4)
        files = dict(stored["files"])
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    if any(
        not isinstance(name, str)
        or not isinstance(content, bytes)
        or Path(name).is_absolute()
        or ".." in Path(name).parts
        for name, content in files.items()
    ):
        return None
    current = papermill.execute_notebook(  # what papermill would run: nothing is run
        copy.deepcopy(combined),
        None,
        parameters=parameters,
        kernel_name=config.KERNEL_NAME,
        prepare_only=True,
        progress_bar=False,
    )
    merged = _with_outputs(current, executed)
    if merged is None:
        return None
    for name, content in files.items():
        target = output_dir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return merged


@contextlib.contextmanager
def computing(entry: Entry | None) -> Iterator[None]:
    """Hold the entry's lock while its notebooks run (parallel builds compute it once)."""
    if entry is None:
        yield
        return
    with result_cache.exclusive_lock(entry.path.with_suffix(".lock")):
        yield
