"""A persistent on-disk cache of language-neutral results (estimates, event study, sensitivity).

A result is stored under a key made of the SHA-256 of the input files' contents, the report
year, the result's own key (method, constants) and the SHA-256 of the ``helpers`` package's
code, so it is shared by languages, editions and rebuilds, and recomputed exactly when one of
those changes. Files are written atomically (a build killed mid-write leaves no half file) and
an unreadable file is recomputed.

Environment:

``NSCL_CACHE_DIR``
    Where the results live (default: ``.cache/results`` in the project).
``NSCL_NO_CACHE``
    Set to 1 to compute everything again (``nscl build --no-cache``); nothing is read or written.
``NSCL_CACHE_LOG``
    A file to which every use is appended as one JSON line (the build reads it into the
    manifest: which results came from the cache).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import sys
import sysconfig
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from helpers import config

CACHE_DIR_ENV = "NSCL_CACHE_DIR"
NO_CACHE_ENV = "NSCL_NO_CACHE"
CACHE_LOG_ENV = "NSCL_CACHE_LOG"
#: Bump when the layout of the stored files changes.
CACHE_FORMAT = 1
#: Names of files being written (renamed into place when whole).
TEMPORARY_PREFIX = ".tmp-"
T = TypeVar("T")


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is switched off."""
    if os.environ.get(NO_CACHE_ENV, "") not in ("", "0"):
        return None
    return Path(os.environ.get(CACHE_DIR_ENV, config.PROJECT_ROOT / ".cache" / "results"))


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the Python files of the ``helpers`` package (names and contents)."""
    return _package_digest("*.py")


def _package_digest(pattern: str) -> str:
    """SHA-256 over the names and contents of the package's files matching ``pattern``."""
    digest = hashlib.sha256()
    for path in sorted(config.PACKAGE_DIR.rglob(pattern)):
        if "__pycache__" in path.parts or not path.is_file():
            continue
        digest.update(path.relative_to(config.PACKAGE_DIR).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.lru_cache(maxsize=256)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def files_fingerprint(files: Iterable[Path]) -> str:
    """SHA-256 over the contents of ``files`` (in the given order; absent files count too)."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        if path.is_file():
            stat = path.stat()
            digest.update(_file_digest(str(path), stat.st_size, stat.st_mtime_ns).encode())
        else:
            digest.update(b"absent")
    return digest.hexdigest()


def result_key(parts: tuple) -> str:
    """The file name of a result: a hash of the format, the code and ``parts``."""
    text = repr((CACHE_FORMAT, code_fingerprint(), parts))
    return hashlib.sha256(text.encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def installed_fingerprint() -> str:
    """SHA-256 of the Python version and the installed distributions' names and versions.

    Read from the ``*.dist-info`` folder names of the environment (no distribution is
    imported): upgrading a library such as pyfixest gives another key. Read once per process;
    the executed-notebook and PDF caches key on it.
    """
    digest = hashlib.sha256(sys.version.encode())
    folders = {sysconfig.get_paths()[name] for name in ("purelib", "platlib")}
    for folder in sorted(folders):
        with contextlib.suppress(OSError):
            digest.update(
                "\n".join(
                    sorted(n for n in os.listdir(folder) if n.endswith(".dist-info"))
                ).encode()
            )
    return digest.hexdigest()


@functools.lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """SHA-256 over every file of the ``helpers`` package: code, messages, templates."""
    return _package_digest("*")


def log_use(label: str, source: str) -> None:
    """Record that ``label`` came from ``source`` ("cache", "computed") in the cache log."""
    _log(label, source)


def _log(label: str, source: str) -> None:
    target = os.environ.get(CACHE_LOG_ENV)
    if not target:
        return
    with open(target, "a", encoding="utf-8") as log:
        log.write(json.dumps({"result": label, "source": source}) + "\n")


def mark_used(path: Path) -> None:
    """Record that a stored entry was just used, in its time stamp.

    The cache's size limit removes the entries used longest ago first
    (:mod:`helpers.report.cache_size`).
    """
    with contextlib.suppress(OSError):
        os.utime(path)


def _read(path: Path) -> tuple[bool, object]:
    try:
        with path.open("rb") as stored:
            value = pickle.load(stored)
        mark_used(path)
        return True, value
    except FileNotFoundError:
        return False, None
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        TypeError,
        ValueError,
        IndexError,
    ):
        return False, None  # damaged or from other code: computed again and overwritten


def read_stored(path: Path) -> tuple[bool, object]:
    """``(True, value)`` for a readable stored file, ``(False, None)`` when absent or damaged."""
    return _read(path)


def write_atomically(path: Path, value: object) -> None:
    """Store ``value`` at ``path``: a reader sees the old file or the whole new one."""
    _write(path, value)


def _write(path: Path, value: object) -> None:
    with replaced_atomically(path, ".pickle") as temporary, temporary.open("wb") as stored:
        pickle.dump(value, stored, protocol=pickle.HIGHEST_PROTOCOL)


@contextlib.contextmanager
def replaced_atomically(path: Path, suffix: str = "") -> Iterator[Path]:
    """Yield a new temporary file beside ``path``; when the block ends it replaces ``path``.

    A reader sees the old file or the whole new one; if the block fails, the temporary file
    is removed and ``path`` is left as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=TEMPORARY_PREFIX, suffix=suffix)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def cached_on_disk(parts: tuple, label: str, compute: Callable[[], T]) -> T:
    """Return the stored result for ``parts``, or ``compute()`` it and store it.

    Parameters
    ----------
    parts
        Everything the result depends on besides the code: an input fingerprint, the year,
        the method and its constants. Must have a stable ``repr`` (strings, numbers, tuples).
    label
        A readable name for the manifest (e.g. ``"enterprise estimates 2025"``).
    compute
        Computes the result when it is not stored; it must not depend on the language.

    """
    folder = cache_dir()
    if folder is None:
        _log(label, "computed (cache off)")
        return compute()
    path = folder / f"{result_key(parts)}.pickle"
    found, value = _read(path)
    if not found:
        # one process computes a result at a time; the others wait for it and read it
        with exclusive_lock(path.with_suffix(".lock")):
            found, value = _read(path)
            if not found:
                value = compute()
                _write(path, value)
                _log(label, "computed")
                return value
    _log(label, "cache")
    return value  # type: ignore[return-value]


@contextlib.contextmanager
def exclusive_lock(lock: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``lock`` (POSIX ``flock``; no lock where it is missing)."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        try:
            import fcntl
        except ImportError:  # Windows: results may be computed twice, never half-read
            yield
            return
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_log(path: Path) -> list[dict[str, str]]:
    """The uses recorded in a cache log (empty when there is none)."""
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
