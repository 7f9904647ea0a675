"""Keep the results cache within a size: the entries used longest ago go first.

The cache (:mod:`helpers.report.result_cache`, with its ``notebooks/`` and ``pdf/`` folders)
gains entries whenever an input, a parameter of the computation or the code changes; nothing
ever removes the old ones by itself. Every build therefore ends by pruning it to
``NSCL_CACHE_MAX_MB`` megabytes (default :data:`DEFAULT_LIMIT_MB`): entries are removed in the
order of their last use (a read marks the entry, see :func:`result_cache.mark_used`) until the
rest fits. An entry removed is only computed again when a build needs it.

Removing is safe while other builds run: entries are written to a temporary file and renamed
into place, so a reader sees a whole entry or none (and then computes it); an entry's lock file
goes with it (a build still waiting on the old lock computes the result once more, it never
reads half of one). Temporary files left by a build that was killed mid-write are removed once
they are an hour old.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

from helpers.report import result_cache

#: Environment variable: the cache's size limit in megabytes (a whole number, 0 empties it).
CACHE_LIMIT_ENV = "NSCL_CACHE_MAX_MB"
#: Default limit: a batch of the five annual reports and the phase review, in both languages,
#: keeps some 40 MB.
DEFAULT_LIMIT_MB = 1024
#: Suffixes of the files that hold entries (results and notebooks; PDFs).
ENTRY_SUFFIXES = (".pickle", ".pdf")
#: A temporary file this old is left over from a killed build.
STALE_TEMPORARY_SECONDS = 3600
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class CacheSize:
    """What the cache holds: entries and their bytes (lock files hold none)."""

    entries: int
    bytes: int

    def describe(self) -> str:
        """E.g. ``"42 entries, 37.1 MB"``."""
        return f"{self.entries} entries, {self.bytes / MEGABYTE:.1f} MB"


@dataclass(frozen=True)
class Pruned:
    """What a pruning removed and what it kept."""

    removed: CacheSize
    kept: CacheSize


def limit_bytes() -> int:
    """The limit ``NSCL_CACHE_MAX_MB`` sets, in bytes (:data:`DEFAULT_LIMIT_MB` when unset).

    Raises
    ------
    ValueError
        When the variable holds anything but a whole number of at least 0.

    """
    text = os.environ.get(CACHE_LIMIT_ENV, "").strip()
    if not text:
        return DEFAULT_LIMIT_MB * MEGABYTE
    if not text.isdigit():
        raise ValueError(
            f"{CACHE_LIMIT_ENV}={text!r}: expected a whole number of megabytes (0 or more)"
        )
    return int(text) * MEGABYTE


def size(folder: Path) -> CacheSize:
    """The entries under ``folder`` and their total size."""
    entries = _entries(folder)
    return CacheSize(len(entries), sum(stat.st_size for _, stat in entries))


def prune(folder: Path, limit: int) -> Pruned:
    """Remove the entries used longest ago until those left take at most ``limit`` bytes.

    Parameters
    ----------
    folder : Path
        The cache folder (nothing happens when it does not exist).
    limit : int
        Bytes the entries may take; 0 removes every entry.

    Returns
    -------
    Pruned
        The entries removed and those kept.

    """
    _remove_stale_temporaries(folder)
    entries = sorted(_entries(folder), key=lambda item: (item[1].st_mtime_ns, str(item[0])))
    total = sum(stat.st_size for _, stat in entries)
    removed_count = removed_bytes = 0
    for path, stat in entries:
        if total <= limit:
            break
        with contextlib.suppress(FileNotFoundError):  # another build pruned it meanwhile
            path.unlink()
            removed_count += 1
            removed_bytes += stat.st_size
        path.with_suffix(".lock").unlink(missing_ok=True)
        total -= stat.st_size
    kept = CacheSize(len(entries) - removed_count, total)
    return Pruned(CacheSize(removed_count, removed_bytes), kept)


def prune_to_limit() -> Pruned | None:
    """Prune the cache in use to ``NSCL_CACHE_MAX_MB``; None when the cache is off or absent."""
    folder = result_cache.cache_dir()
    if folder is None or not folder.is_dir():
        return None
    return prune(folder, limit_bytes())


def _entries(folder: Path) -> list[tuple[Path, os.stat_result]]:
    """Every entry file under ``folder`` with its status (removed ones are skipped)."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.rglob("*"):
        if path.suffix not in ENTRY_SUFFIXES or path.name.startswith(result_cache.TEMPORARY_PREFIX):
            continue
        with contextlib.suppress(FileNotFoundError):
            stat = path.stat()
            if path.is_file():
                found.append((path, stat))
    return found


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove temporary files older than :data:`STALE_TEMPORARY_SECONDS` (a killed build's)."""
    if not folder.is_dir():
        return
    oldest = time.time() - STALE_TEMPORARY_SECONDS
    for path in folder.rglob(f"{result_cache.TEMPORARY_PREFIX}*"):
        with contextlib.suppress(FileNotFoundError):
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()
