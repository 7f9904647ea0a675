"""The results cache kept within a size limit: the entries used longest ago go first."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from helpers.report import cache_size, result_cache
from test_cli import run  # the command as a user runs it

KB = 1024


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(result_cache.CACHE_DIR_ENV, str(folder))
    monkeypatch.delenv(result_cache.NO_CACHE_ENV, raising=False)
    monkeypatch.delenv(cache_size.CACHE_LIMIT_ENV, raising=False)
    return folder


def _entry(path: Path, kilobytes: int, age_seconds: float) -> Path:
    """An entry of ``kilobytes``, last used ``age_seconds`` ago, with its lock file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * kilobytes * KB)
    path.with_suffix(".lock").touch()
    used = time.time() - age_seconds
    os.utime(path, (used, used))
    return path


def test_the_entries_used_longest_ago_go_first_with_their_locks(cache):
    oldest = _entry(cache / "a.pickle", 40, 300)
    notebook = _entry(cache / "notebooks" / "b.pickle", 30, 200)
    pdf = _entry(cache / "pdf" / "c.pdf", 20, 100)
    newest = _entry(cache / "d.pickle", 10, 0)
    pruned = cache_size.prune(cache, 35 * KB)
    assert not oldest.exists() and not oldest.with_suffix(".lock").exists()
    assert not notebook.exists()
    assert pdf.exists() and newest.exists() and newest.with_suffix(".lock").exists()
    assert pruned.removed == cache_size.CacheSize(2, 70 * KB)
    assert pruned.kept == cache_size.CacheSize(2, 30 * KB) == cache_size.size(cache)


def test_a_cache_within_its_limit_is_left_alone_and_zero_empties_it(cache):
    entries = [_entry(cache / f"{name}.pickle", 5, age) for name, age in (("a", 9), ("b", 1))]
    assert cache_size.prune(cache, 10 * KB).removed.entries == 0
    assert all(path.exists() for path in entries)
    assert cache_size.prune(cache, 0).kept == cache_size.CacheSize(0, 0)
    assert cache_size.size(cache).entries == 0


def test_reading_a_result_marks_it_used_so_it_outlives_newer_unused_ones(cache):
    read_again = ("inputs", 2025, "read again")
    result_cache.cached_on_disk(read_again, "old", lambda: "x" * 50_000)
    written_first = cache / f"{result_cache.result_key(read_again)}.pickle"
    long_ago = time.time() - 600
    os.utime(written_first, (long_ago, long_ago))
    never_read = ("inputs", 2025, "never read")
    result_cache.cached_on_disk(never_read, "new", lambda: "y" * 50_000)
    written_later = cache / f"{result_cache.result_key(never_read)}.pickle"
    later = time.time() - 300
    os.utime(written_later, (later, later))  # (the clock of file times is coarse)
    assert result_cache.cached_on_disk(read_again, "old", lambda: "computed again") == "x" * 50_000
    cache_size.prune(cache, 60 * KB)  # room for one of the two
    assert written_first.exists() and not written_later.exists()


def test_a_killed_builds_temporary_files_are_removed_once_stale(cache):
    stale = _entry(cache / f"{result_cache.TEMPORARY_PREFIX}old.pickle", 1, 2 * 3600)
    fresh = _entry(cache / f"{result_cache.TEMPORARY_PREFIX}new.pickle", 1, 0)
    cache_size.prune(cache, 10 * KB)
    assert not stale.exists() and fresh.exists()  # another build may still be writing it
    assert cache_size.size(cache).entries == 0  # temporary files are not entries


@pytest.mark.parametrize(
    ("setting", "expected"), [(None, 1024 * 1024 * 1024), ("0", 0), (" 200 ", 200 * 1024 * 1024)]
)
def test_the_limit_comes_from_the_environment(monkeypatch, setting, expected):
    if setting is None:
        monkeypatch.delenv(cache_size.CACHE_LIMIT_ENV, raising=False)
    else:
        monkeypatch.setenv(cache_size.CACHE_LIMIT_ENV, setting)
    assert cache_size.limit_bytes() == expected


@pytest.mark.parametrize("setting", ["-1", "1.5", "a lot"])
def test_a_wrong_limit_is_named(monkeypatch, setting):
    monkeypatch.setenv(cache_size.CACHE_LIMIT_ENV, setting)
    with pytest.raises(ValueError, match=cache_size.CACHE_LIMIT_ENV):
        cache_size.limit_bytes()


def _nscl(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return run(*args, env={**os.environ, **environment})


def test_the_cache_command_shows_prunes_and_clears(cache):
    _entry(cache / "a.pickle", 600, 100)
    _entry(cache / "pdf" / "b.pdf", 600, 0)
    environment = {result_cache.CACHE_DIR_ENV: str(cache)}
    shown = _nscl("cache", **environment)
    assert shown.returncode == 0 and "2 entries, 1.2 MB" in shown.stdout
    pruned = _nscl("cache", "--max-mb", "1", **environment)
    assert pruned.returncode == 0, pruned.stderr
    assert "removed 1 entries" in pruned.stdout and (cache / "pdf" / "b.pdf").exists()
    cleared = _nscl("cache", "--clear", **environment)
    assert cleared.returncode == 0 and cache_size.size(cache).entries == 0


@pytest.mark.parametrize(
    ("args", "environment", "message"),
    [
        (("cache", "--max-mb", "-1"), {}, "--max-mb must be 0 or more"),
        (("cache", "--clear", "--max-mb", "5"), {}, "choose one"),
        (("build", "--year", "2025"), {cache_size.CACHE_LIMIT_ENV: "big"}, "NSCL_CACHE_MAX_MB"),
    ],
)
def test_wrong_cache_options_are_usage_errors(cache, args, environment, message):
    result = _nscl(*args, **{result_cache.CACHE_DIR_ENV: str(cache), **environment})
    assert result.returncode == 2
    assert message in result.stderr
