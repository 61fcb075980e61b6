"""End to end: the real server in a subprocess, driven by Debian's Chromium through Playwright.

Loads the bundled branch sample on the Data page, opens Compliance, checks that the breach day
of datasets/README.md (Tuesday 25 March 2025, the day after the holiday) is shown, and saves a
screenshot (``out/dashboard_compliance.png``); then, in English, runs the What-if page on the same
day with 10 replications (``out/dashboard_whatif_en.png``). Skipped, with the reason, when no Chromium is
installed (CI installs Debian's ``chromium`` in ``.ci/run``); nothing is downloaded at run time.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import APP, KIOSK, ROOT

#: Debian's Chromium, headless, with nothing that phones home or updates itself. Playwright's
#: ``launch`` gives every run a fresh temporary profile (``--user-data-dir``) and removes it after.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
STARTUP_S = 60.0
STEP_MS = 60_000
SHOTS = ROOT / "out"


def _chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode} before serving:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310 - localhost
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer on {url} within {STARTUP_S:.0f} s:\n{log.read_text()[-3000:]}")


@pytest.fixture
def server(tmp_path):
    """The dashboard served on a free localhost port; always stopped afterwards."""
    port = _free_port()
    log = tmp_path / "streamlit.log"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@contextlib.contextmanager
def _page(server: str, height: int):
    """A fresh headless Chromium page on the app's root (the Data page); skips without Chromium."""
    chromium = _chromium()
    if chromium is None:
        pytest.skip("no Chromium found (install Debian's `chromium`; .ci/run does): browser test skipped")
    if not KIOSK.is_file():
        pytest.skip(f"{KIOSK} is missing")
    from playwright.sync_api import expect, sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": height})
            page.set_default_timeout(STEP_MS)
            page.goto(f"{server}/")  # the Data page is the default page: its address is the root
            expect(page.get_by_role("heading", name="Datos")).to_be_visible()
            yield page
        finally:
            browser.close()


@pytest.mark.browser
@pytest.mark.slow
def test_sample_breach_day_in_a_real_browser(server):
    from playwright.sync_api import expect

    with _page(server, 1800) as page:
        page.get_by_role("button", name="Cargar").click()
        expect(page.get_by_text("Filas leídas")).to_be_visible()
        expect(page.get_by_text("5.330")).to_be_visible()  # rows read, decimal marks of Spanish
        page.get_by_role("link", name="Cumplimiento").click()
        expect(page.get_by_role("heading", name="Cumplimiento normativo")).to_be_visible()
        worst = page.get_by_text("Peor día: 25/03/2025")
        expect(worst).to_be_visible()
        page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
        page.wait_for_timeout(1500)  # let the heatmap finish drawing
        page.screenshot(path=str(SHOTS / "dashboard_compliance.png"), full_page=True)
        # the language switch changes the same page to English
        page.get_by_text("English").click()
        expect(page.get_by_text("Worst day: 2025-03-25")).to_be_visible()
        page.screenshot(path=str(SHOTS / "dashboard_compliance_en.png"), full_page=True)
    assert (SHOTS / "dashboard_compliance.png").stat().st_size > 10_000


@pytest.mark.browser
@pytest.mark.slow
def test_whatif_page_simulates_in_a_real_browser(server):
    from playwright.sync_api import expect

    with _page(server, 2200) as page:
        page.get_by_text("English").click()
        expect(page.get_by_role("heading", name="Data")).to_be_visible()
        page.get_by_role("button", name="Load").click()
        expect(page.get_by_text("Rows read")).to_be_visible()
        page.get_by_role("link", name="What-if").click()
        expect(page.get_by_role("heading", name="What-if")).to_be_visible()
        expect(page.get_by_text("Scenario of 2025-03-25, 10:00 to 15:00")).to_be_visible()  # the busiest day
        expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible()  # the schedule editor
        slider = page.get_by_role("slider").first
        slider.focus()
        slider.press("Home")  # 10 replications: the browser test checks the wiring, not the statistics
        expect(slider).to_have_value("10")
        page.get_by_role("button", name="Simulate", exact=True).click()
        expect(page.get_by_text("Mean wait · real day")).to_be_visible()
        expect(page.get_by_text("10 days simulated with each schedule")).to_be_visible()
        page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "dashboard_whatif_en.png"), full_page=True)
    assert (SHOTS / "dashboard_whatif_en.png").stat().st_size > 10_000
