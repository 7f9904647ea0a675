"""Before/after comparison of built reports: tables byte for byte, visible text word for word.

A change of structure (moving modules, rendering through templates) must not change what a
reader sees. This script builds the 2025 and 2023 reports, Vietnamese and English, public and
internal editions, and records for each:

* the SHA-256 of every CSV and XLSX table;
* the visible words of each HTML page (markup, scripts and styles dropped) and of each PDF.

Usage (from the project folder, with the project's environment)::

    python tests/compare_builds.py capture OUT      # build and record into OUT/
    python tests/compare_builds.py compare OLD NEW  # exit 1 and name each difference

``capture`` runs ``nscl build`` in a subprocess so the same script records any commit.
``--quick`` builds with 19 bootstrap replications (both sides must use the same setting).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

#: (year, edition) pairs compared; each is built in both languages, HTML and PDF.
CONFIGURATIONS: tuple[tuple[int, str], ...] = (
    (2025, "public"),
    (2025, "internal"),
    (2023, "public"),
    (2023, "internal"),
)


def visible_html_words(page: str) -> list[str]:
    """The words a reader sees in an HTML page, in order (markup, scripts and styles dropped)."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(page)
    for element in tree.xpath("//script|//style|//head"):
        element.getparent().remove(element)
    text = unicodedata.normalize("NFC", tree.text_content())
    return text.split()


def visible_pdf_words(path: Path) -> list[str]:
    """The words of a PDF's text layer, in reading order."""
    from pypdf import PdfReader

    pages = [p.extract_text() or "" for p in PdfReader(path).pages]
    return unicodedata.normalize("NFC", "\n".join(pages)).split()


def record_folder(folder: Path) -> dict[str, object]:
    """Digest of one built report folder: table hashes and the visible words of each page."""
    record: dict[str, object] = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.suffix in {".csv", ".xlsx"}:
            record[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif path.suffix == ".html" and path.parent == folder:
            record[relative] = visible_html_words(path.read_text(encoding="utf-8"))
        elif path.suffix == ".pdf":
            record[relative] = visible_pdf_words(path)
    return record


def capture(out: Path, quick: bool) -> None:
    """Build every configuration with ``nscl build`` and write ``out/digest.json``."""
    out.mkdir(parents=True, exist_ok=True)
    digest: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as scratch:
        params_file = None
        if quick:
            params_file = Path(scratch) / "quick.yaml"
            params_file.write_text("bootstrap_replications: 19\n", encoding="utf-8")
        for year, edition in CONFIGURATIONS:
            command = [
                str(Path(sys.executable).parent / "nscl"), "build", "--year", str(year),
                "--lang", "all", "--format", "html,pdf", "--edition", edition,
                "--out", str(Path(scratch) / "reports"),
            ]  # fmt: skip
            if params_file:
                command += ["--params", str(params_file)]
            subprocess.run(command, check=True)
            name = str(year) if edition == "public" else f"{year}-internal"
            digest[name] = record_folder(Path(scratch) / "reports" / name)
    (out / "digest.json").write_text(
        json.dumps(digest, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8"
    )


def differences(old: dict, new: dict) -> list[str]:
    """Each difference between two digests, as a line a reviewer can act on."""
    found = []
    for report in sorted(set(old) | set(new)):
        before, after = old.get(report, {}), new.get(report, {})
        for name in sorted(set(before) | set(after)):
            if name not in after or name not in before:
                found.append(f"{report}/{name}: only in {'before' if name in before else 'after'}")
            elif before[name] != after[name]:
                found.append(f"{report}/{name}: {_first_difference(before[name], after[name])}")
    return found


def _first_difference(before: object, after: object) -> str:
    if isinstance(before, str):
        return "bytes differ"
    spans = changed_spans(before, after)  # type: ignore[arg-type]
    return f"{len(spans)} passage(s) differ; first: {spans[0]}" if spans else "same words"


def changed_spans(before: list[str], after: list[str]) -> list[str]:
    """Every passage that differs between two word lists, as ``'old words' → 'new words'``."""
    import difflib

    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return [
        f"{' '.join(before[i1:i2])!r} → {' '.join(after[j1:j2])!r}"
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    capture_parser = commands.add_parser("capture")
    capture_parser.add_argument("out", type=Path)
    capture_parser.add_argument("--quick", action="store_true")
    compare_parser = commands.add_parser("compare")
    compare_parser.add_argument("old", type=Path)
    compare_parser.add_argument("new", type=Path)
    compare_parser.add_argument(
        "--passages", action="store_true", help="print every differing passage of each page"
    )
    args = parser.parse_args(argv)
    if args.command == "capture":
        capture(args.out, args.quick)
        return 0
    old = json.loads((args.old / "digest.json").read_text(encoding="utf-8"))
    new = json.loads((args.new / "digest.json").read_text(encoding="utf-8"))
    found = differences(old, new)
    for line in found:
        print(line)
        report, _, name = line.partition(": ")[0].partition("/")
        if args.passages and not isinstance(old[report].get(name, ""), str):
            for span in changed_spans(old[report][name], new[report][name]):
                print("    " + span)
    compared = sum(len(v) for v in old.values())
    print(f"{compared} files compared, {len(found)} differ")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
