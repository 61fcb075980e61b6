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
import re
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
    with _serving(tmp_path) as url:
        yield url


@contextlib.contextmanager
def _serving(tmp_path: Path):
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
        expect(page.get_by_text("Filas leídas", exact=True)).to_be_visible()
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
        # a fresh clone compiles the fast engine on first use (in the background since the server
        # started, up to a minute on a small machine); later runs answer in a fraction of a second
        expect(page.get_by_text("Mean wait · real day")).to_be_visible(timeout=240_000)
        expect(page.get_by_text("10 days simulated with each schedule")).to_be_visible()
        page.wait_for_selector("[data-testid='stVegaLiteChart'] canvas, [data-testid='stVegaLiteChart'] svg")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(SHOTS / "dashboard_whatif_en.png"), full_page=True)
    assert (SHOTS / "dashboard_whatif_en.png").stat().st_size > 10_000


# ---------------------------------------------------------------- every page, both languages, four kinds of log

#: Where the SEELab month may be: beside the repository (CI's copy of shared/) or the shared folder here.
SEELAB_CANDIDATES = (ROOT.parent / "shared" / "datasets" / "anonymous_bank" / "february.txt",
                     Path("/work/shared/datasets/anonymous_bank/february.txt"))
SEELAB = next((p for p in SEELAB_CANDIDATES if p.is_file()), None)
ASTERISK = ROOT / "datasets" / "asterisk_queue_log.txt"
#: (nav.* key, heading key) of every page, in menu order.
PAGES = [("data", "data.title"), ("overview", "ov.title"), ("compliance", "cmp.title"),
         ("staffing", "stf.title"), ("forecast", "fc.title"), ("network", "net.title"), ("whatif", "wif.title"), ("validation", "backtest.title"),
         ("export", "exp.title")]


@pytest.fixture(scope="module")
def module_server(tmp_path_factory):
    """One dashboard server for the tour below (each case opens its own browser session)."""
    with _serving(tmp_path_factory.mktemp("tour")) as url:
        yield url


def _upload_file(case: str, tmp: Path) -> Path | None:
    """The file the case uploads, under the name a user would have (None: the bundled sample is loaded)."""
    if case == "kiosk":
        return None
    if case == "seelab":
        if SEELAB is None:
            pytest.skip("SEELab month (shared/datasets/anonymous_bank/february.txt) not present")
        return SEELAB
    if case == "asterisk":  # Asterisk's own name: queue_log, no extension
        path = tmp / "queue_log"
        path.write_bytes(ASTERISK.read_bytes())
        return path
    # a log whose rows are all agent events: read fine, 0 contacts
    path = tmp / "agents_only_queue_log"
    lines = ASTERISK.read_text(encoding="utf-8").splitlines()
    keep = [x for x in lines if x.split("|")[4] in {"QUEUESTART", "ADDMEMBER", "REMOVEMEMBER", "PAUSE", "UNPAUSE"}]
    path.write_text("\n".join(keep) + "\n", encoding="utf-8")
    return path


def _settled(page) -> None:
    """Wait until the script run is over (the app says so on its root element)."""
    page.wait_for_selector("[data-test-script-state='notRunning']", state="attached")
    page.wait_for_timeout(400)  # charts draw after the run
    page.wait_for_selector("[data-test-script-state='notRunning']", state="attached")


def _check_clean(page, where: str) -> None:
    """No exception box, no traceback text, no catalogue key shown instead of its text."""
    from waitlab.i18n import strings

    assert page.locator("[data-testid='stException']").count() == 0, f"{where}: exception shown"
    text = page.locator("[data-testid='stApp']").inner_text()
    for bad in ("Traceback", "StreamlitInvalidParameterTypeError", "Page not found", "Error:"):
        assert bad not in text, f"{where}: {bad!r} shown"
    shown = set(re.findall(r"\b[a-z_]+\.[a-z_0-9]+\b", text))
    keys = shown & set(strings())
    assert not keys, f"{where}: untranslated catalogue keys shown: {sorted(keys)}"


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("case", ["kiosk", "seelab", "asterisk", "empty"])
def test_every_page_in_both_languages(module_server, tmp_path, case):
    from playwright.sync_api import expect

    from waitlab.i18n import t

    upload = _upload_file(case, tmp_path)
    chromium = _chromium()
    if chromium is None:
        pytest.skip("no Chromium found (install Debian's `chromium`; .ci/run does): browser test skipped")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2400})  # the app scrolls inside: a tall window
            page.set_default_timeout(STEP_MS)
            page.goto(f"{module_server}/staffing")  # a deep link: the page itself, asking for data
            expect(page.get_by_role("heading", name=t("stf.title", "es"))).to_be_visible()
            _settled(page)
            _check_clean(page, f"{case} /staffing before loading")
            page.goto(f"{module_server}/data")
            expect(page.get_by_role("heading", name="Datos")).to_be_visible()
            if upload is None:
                page.get_by_role("button", name="Cargar").click()
            else:
                page.get_by_text(t("data.source_upload", "es")).click()
                page.locator("input[type='file']").set_input_files(str(upload))
                page.get_by_role("button", name=t("data.read", "es")).click()
            expect(page.get_by_text(t("data.rows_read", "es"), exact=True)).to_be_visible()
            _settled(page)
            for lang in ("es", "en"):
                if lang == "en":
                    page.get_by_test_id("stSidebarUserContent").get_by_text("English").click()
                    _settled(page)
                for nav, heading in PAGES:
                    page.get_by_role("link", name=t(f"nav.{nav}", lang), exact=True).click()
                    expect(page.get_by_role("heading", name=t(heading, lang)).first).to_be_visible()
                    _settled(page)
                    where = f"{case} {nav} ({lang})"
                    _check_clean(page, where)
                    if case == "empty" and nav != "data":
                        expect(page.get_by_text(t("dash.no_contacts", lang, name="agents_only_queue_log")
                                                [:40])).to_be_visible()
                    page.screenshot(path=str(SHOTS / f"tour_{case}_{nav}_{lang}.png"), full_page=True)
        finally:
            browser.close()
