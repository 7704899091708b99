"""Every page of a full build, opened in a real browser (headless Chromium via Playwright):
no console errors, every image decoded, every link on the index resolves. A screenshot of
one page is kept as a test artefact in build/test-artefacts/."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest

from lerenwerkt import config

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM:
        pytest.skip("Chromium is not installed on this machine (Debian: apt-get install chromium); the browser test needs it")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(full_build):
    out, _ = full_build
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(out))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.RequestHandlerClass.log_message = lambda *a, **k: None
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    response = page.goto(url, wait_until="load")
    return page, response, errors, failed


def test_every_page_loads_cleanly_in_chromium(browser, server, full_build):
    out, result = full_build
    index, response, errors, _ = _open(browser, f"{server}/2024-2025/index.html")
    assert response.ok and not errors
    links = index.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    index.close()
    assert len(links) >= len(result.drafts) + 1  # every draft and the data-quality page
    for href in links:
        page, response, errors, failed = _open(browser, f"{server}/2024-2025/{href}")
        assert response is not None and response.ok, f"{href}: HTTP {response.status if response else '-'}"
        assert not errors, f"{href}: console errors {errors[:3]}"
        assert not [u for u in failed if u.startswith(server)], f"{href}: failed requests {failed[:3]}"
        broken = page.evaluate("() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length")
        assert broken == 0, f"{href}: {broken} images not decoded"
        assert page.title(), f"{href}: no title"
        page.close()


def test_screenshot_artefact(browser, server):
    page, response, errors, _ = _open(browser, f"{server}/2024-2025/aalten/verzuim.html")
    assert response.ok and not errors
    target = config.BUILD_DIR / "test-artefacts" / "aalten-verzuim.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target), full_page=True)
    page.close()
    assert target.stat().st_size > 50_000
    assert Path(target).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
