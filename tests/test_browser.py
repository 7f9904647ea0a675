"""The report as a reader sees it: the HTML page in headless Chromium, driven by Playwright.

The page is the one ``tests/test_injection.py`` builds from data holding script and markup. It
must load with no console error, no request but the file itself (reviewers read offline), no
dialog (the injected ``alert`` did not run), and working table-of-contents links. A screenshot
of the first screen is saved under ``test-artifacts/`` (ignored by git).

Chromium is Debian's package (``/usr/bin/chromium``, installed by ``.ci/run``); the test is
skipped, saying why, where it or Playwright is missing.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote

import pytest

from test_injection import injected_report

CHROMIUM = Path(os.environ.get("NSCL_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
EXISTS = "id => document.getElementById(id) !== null"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

sync_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is not installed (pip install playwright)"
)
pytestmark = pytest.mark.skipif(
    not CHROMIUM.is_file(),
    reason=f"Chromium not found at {CHROMIUM} (Debian's package; .ci/run installs it)",
)


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    """The injected report opened in Chromium, with what the page did while loading."""
    path = injected_report(tmp_path_factory)
    seen: dict[str, list[str]] = {"errors": [], "requests": [], "dialogs": []}
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: seen["errors"].append(str(error)))
        page.on("request", lambda request: seen["requests"].append(request.url))

        def on_dialog(dialog) -> None:
            seen["dialogs"].append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(300)
        yield page, path, seen
        browser.close()


def test_loads_offline_without_errors_or_dialogs(browser_page):
    page, path, seen = browser_page
    assert seen["errors"] == []
    assert seen["dialogs"] == []
    assert [u for u in seen["requests"] if not u.startswith("data:")] == [path.as_uri()]
    assert "alert(1)" in page.inner_text("main")  # the injected script shows as text


def test_table_of_contents_links_scroll_to_their_targets(browser_page):
    page, _, _ = browser_page
    links = page.locator("nav.toc a")
    count = links.count()
    assert count >= 5
    for index in range(count):
        page.evaluate("window.scrollTo(0, 0)")
        link = links.nth(index)
        fragment = link.get_attribute("href").removeprefix("#")
        # as browsers do: an id equal to the fragment, else to the fragment percent-decoded
        target = next((t for t in (fragment, unquote(fragment)) if page.evaluate(EXISTS, t)), None)
        assert target is not None, f"no element for #{fragment}"
        link.click()
        page.wait_for_function(
            """id => {
                const top = document.getElementById(id).getBoundingClientRect().top;
                const bottom = window.scrollY + window.innerHeight
                    >= document.documentElement.scrollHeight - 2;
                return Math.abs(top) <= 2 || (bottom && top >= 0 && top < window.innerHeight);
            }""",
            arg=target,
            timeout=3000,
        )
        assert page.evaluate("location.hash") == f"#{fragment}"


def test_screenshot_of_the_first_page(browser_page):
    page, _, _ = browser_page
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    target = ARTIFACTS / "report-first-page.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
