"""Every page of a full build, opened in a real browser (headless Chromium via Playwright),
reached from the landing page: no console errors, every image decoded, every index link
resolves, the intern banner on every intern page (also in print) and on no openbare page. A screenshot of
one page is kept as a test artefact in build/test-artefacts/."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest
from docx import Document

from lerenwerkt import boek, codes, config

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
    """Start at the landing page and follow every link (indexes of both editions, drafts,
    the data-quality page): each loads cleanly; intern pages show the banner, on screen and
    in print; openbare pages never do."""
    out, result = full_build
    seen, todo, files = set(), [f"{server}/index.html"], set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        page, response, errors, failed = _open(browser, url)
        href = url.removeprefix(server)
        assert response is not None and response.ok, f"{href}: HTTP {response.status if response else '-'}"
        assert not errors, f"{href}: console errors {errors[:3]}"
        assert not [u for u in failed if u.startswith(server)], f"{href}: failed requests {failed[:3]}"
        broken = page.evaluate("() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length")
        assert broken == 0, f"{href}: {broken} images not decoded"
        assert page.title(), f"{href}: no title"
        banner = page.locator("div.lw-intern")
        if href.startswith("/openbaar/"):
            assert banner.count() == 0, f"{href}: an openbare page with the intern banner"
        else:
            assert banner.count() == 1 and banner.is_visible() and banner.inner_text() == "INTERN — niet verspreiden", href
            page.emulate_media(media="print")
            assert banner.is_visible(), f"{href}: banner hidden in print"
            assert page.evaluate("() => getComputedStyle(document.querySelector('div.lw-intern')).position") == "fixed", href  # on every page
        if href.endswith("index.html"):
            links = [u.split("#")[0] for u in page.eval_on_selector_all("a", "els => els.map(e => e.href)") if u.startswith(server)]
            todo.extend(u for u in links if u.endswith(".html"))
            files.update(u for u in links if not u.endswith(".html"))  # package files: downloads, not pages
        page.close()
    pages = {u.removeprefix(server) for u in seen}
    assert len(pages) >= len(result.drafts) + 5  # every draft, the data-quality page, four indexes
    assert "/2024-2025/datakwaliteit.html" in pages and not [p for p in pages if p.startswith("/openbaar/") and "datakwaliteit" in p]
    # the package index links every gemeente's katern page and its files, all served
    assert {f"/openbaar/2024-2025/{codes.slug(g)}/lokaal-katern-{codes.slug(g)}.html" for g in codes.GEMEENTEN} <= pages
    for url in files:
        with urllib.request.urlopen(url) as r:
            assert r.status == 200 and len(r.read()) > 0, url


def test_package_index_and_every_gemeentes_package(browser, server, full_build):
    """The public index shows a package per gemeente: its zip, Word memo (reopened with
    python-docx), Excel, cells and katern; the zip holds the folder; no intern banner."""
    out, _ = full_build
    page, response, errors, _ = _open(browser, f"{server}/openbaar/2024-2025/index.html")
    assert response.ok and not errors
    assert page.locator("h2", has_text="Pakket per gemeente (openbaar)").count() == 1
    assert page.locator("div.lw-intern").count() == 0
    rows = page.locator("h2:has-text('Pakket per gemeente') + p + table tbody tr")
    assert rows.count() == len(codes.GEMEENTEN)
    page.close()
    for g in codes.GEMEENTEN:
        slug = codes.slug(g)
        folder = out / "openbaar/2024-2025" / slug
        doc = Document(str(folder / f"raadsmededeling-{slug}.docx"))
        assert any(g in p.text for p in doc.paragraphs) and len(doc.tables) >= 4, g
        with zipfile.ZipFile(out / "openbaar/2024-2025" / f"{slug}.zip") as z:
            assert sorted(z.namelist()) == sorted(f"{slug}/{p.name}" for p in folder.iterdir())
        if boek.chromium_pad():
            assert (folder / f"lokaal-katern-{slug}.pdf").read_bytes()[:5] == b"%PDF-", g


def test_book_in_chromium(browser, server, full_build, shipped):
    """The regional book (intern edition) in the browser: loads cleanly, every image decoded,
    every contents link lands on its section, the intern banner on the cover; in print the
    wide bijlage gets its landscape page."""
    out, _ = full_build
    boek.bouw(shipped, schooljaar="2024-2025", gemeenten=[None], out=out / "2024-2025/boek", pdf=False, melding=lambda _m: None)
    page, response, errors, failed = _open(browser, f"{server}/2024-2025/boek/jaarverslag.html")
    assert response.ok and not errors and not failed
    assert page.evaluate("() => Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).length") == 0
    assert page.evaluate("() => document.images.length") >= 5
    banner = page.locator("div.lw-intern")
    assert banner.count() == 1 and banner.is_visible() and "INTERN — niet verspreiden" in banner.inner_text()
    missing = page.evaluate(
        "() => Array.from(document.querySelectorAll('a[href^=\"#\"]')).map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))"
    )
    assert not missing, missing[:5]
    page.emulate_media(media="print")
    assert banner.is_visible(), "the banner prints"
    assert page.evaluate("() => getComputedStyle(document.querySelector('.lw-breed')).page") == "breed"
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
