"""The reports folder's landing page: every report by year and language, with its status.

Self-contained like the reports (no request to any other host); labels in Vietnamese with the
English beside them, since the page serves both editions.
"""

from __future__ import annotations

import json
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from helpers import config, i18n
from helpers.report.manifest import MANIFEST_NAME, read_manifest, verify_report


def _report_rows(out_root: Path) -> list[dict[str, object]]:
    rows = []
    for manifest_path in sorted(out_root.glob(f"*/{MANIFEST_NAME}")):
        folder = manifest_path.parent
        try:
            manifest = read_manifest(folder)
            status = verify_report(folder).status
        except (json.JSONDecodeError, KeyError, OSError):
            continue
        params = manifest["parameters"]
        editions = []
        for lang in params["languages"]:
            links = []
            for fmt in ("html", "pdf"):
                name = f"nscl-{manifest['report']}-{lang}.{fmt}"
                if name in manifest["outputs"]:
                    links.append({"href": f"{folder.name}/{name}", "label": fmt.upper()})
            editions.append({"lang": lang, "links": links})
        rows.append(
            {
                "report": manifest["report"],
                "year": params["year"],
                "kind": params["kind"],
                "data_as_of": params.get("data_as_of") or i18n.MISSING,
                "status": status,
                "editions": editions,
                "commit": (manifest.get("code", {}).get("git_commit") or "")[:10],
            }
        )
    rows.sort(key=lambda r: (-int(r["year"]), str(r["kind"]), str(r["report"])))
    return rows


def write_index(out_root: Path) -> Path:
    """Write ``out_root/index.html`` listing every report folder that has a manifest."""
    env = Environment(
        loader=FileSystemLoader(config.TEMPLATES_DIR), autoescape=select_autoescape(["j2"])
    )
    page = env.get_template("index.html.j2").render(
        rows=_report_rows(out_root),
        t=lambda key: f"{i18n.t(key, 'vi')} / {i18n.t(key, 'en')}",
        css=(config.TEMPLATES_DIR / "report.css").read_text(encoding="utf-8").split("@page")[0],
    )
    path = out_root / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
