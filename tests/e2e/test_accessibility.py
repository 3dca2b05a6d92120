"""The people's pages in headless Chromium, driven over the DevTools protocol: at 1280 px and
at 390 px (a phone) with screenshots in tests/artifacts/, no horizontal scrolling on the
phone, and an accessibility audit by axe-core (vendored: tests/e2e/vendor/axe-core/) run
inside each page, which must find no serious or critical violation of WCAG 2.1 A/AA.

The pages come from the real server (`avoinkunta serve`, gunicorn) of the session's
`live_server` fixture.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # not imported at run time: ckan's tests package can shadow ours
    from tests.conftest import LiveServer

websocket = pytest.importorskip("websocket", reason="websocket-client (test extra) is needed")

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_SHA256 = "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c"  # 4.14.1
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGES = {
    "home": "?lang=fi",
    "offerings": "offerings?lang=fi",
    "offerings-filtered": "offerings?component=spatial-data&open=yes&pricing=no-licence-fee"
    "&lang=en",
    "offering": "doc/offering/oskari?lang=fi",
    "compare": "compare?o=koha-suomi-service&o=oskari&lang=fi",
    "statistics": "statistics?lang=sv",
    "search": "search?q=paikkatietoa&lang=fi",
    "search-typo": "search?q=oskri&lang=en",
    "catalog": "catalog?lang=fi",
    "downloads": "dumps/?lang=en",
}
WIDTHS = (1280, 390)

pytestmark = [pytest.mark.e2e, pytest.mark.browser]


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("headless Chromium is not installed (Debian package `chromium`)")


class Browser:
    """One headless Chromium and one tab, spoken to over the DevTools protocol."""

    def __init__(self, profile: Path) -> None:
        profile.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [
                chromium(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--hide-scrollbars",
                "--remote-debugging-port=0",
                "--remote-allow-origins=*",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.close()
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as reply:
            targets = json.load(reply)
        page = next(t for t in targets if t.get("type") == "page")
        self.socket = websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )
        self.next_id = 0
        self.events: list[dict[str, Any]] = []
        self.send("Page.enable")
        self.send("Runtime.enable")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        message_id = self.next_id
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(e.get("method") == event for e in self.events):
                self.events = [e for e in self.events if e.get("method") != event]
                return
            message = json.loads(self.socket.recv())
            self.events.append(message)
        raise TimeoutError(event)

    def open(self, url: str, width: int, height: int = 900) -> None:
        self.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"])
        return result["result"].get("value")

    def screenshot(self, path: Path) -> None:
        import base64

        shot = self.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def close(self) -> None:
        try:
            self.socket.close()
        except Exception:
            pass
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Any:
    chromium()
    opened = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield opened
    opened.close()


def axe_source() -> str:
    data = AXE.read_bytes()
    assert hashlib.sha256(data).hexdigest() == AXE_SHA256, "vendored axe-core changed"
    return data.decode("utf-8")


def audit(browser: Browser) -> list[dict[str, Any]]:
    """axe-core's violations in the open page (every impact)."""
    if not browser.evaluate("typeof window.axe === 'object'"):
        browser.evaluate(axe_source() + ";true")
    options = json.dumps(
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    found = browser.evaluate(
        f"axe.run(document, {options}).then(r => r.violations.map(v => ({{id: v.id, "
        "impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))"
        "})))"
    )
    return list(found or [])


@pytest.mark.parametrize("name", list(PAGES))
def test_page_in_chromium_at_two_widths_with_axe(
    live_server: LiveServer, browser: Browser, name: str
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    url = live_server.url + PAGES[name]
    for width in WIDTHS:
        browser.open(url, width)
        assert browser.evaluate("document.documentElement.lang") in {"fi", "sv", "en"}
        title = browser.evaluate("document.title")
        assert title and "Avoin kunta" in title
        shot = ARTIFACTS / f"{name}-{width}.png"
        shot.unlink(missing_ok=True)
        browser.screenshot(shot)
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
        overflow = browser.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert overflow[0] <= overflow[1], f"{name} scrolls sideways at {width} px: {overflow}"
        violations = audit(browser)
        serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
        assert not serious, json.dumps(serious, indent=1, ensure_ascii=False)


def test_the_audit_finds_a_real_violation(live_server: LiveServer, browser: Browser) -> None:
    """The audit is not a test that cannot fail: an image without a text alternative and
    unreadable grey text, added to a real page, are reported as serious or critical."""
    browser.open(live_server.url + "offerings?lang=fi", 1280)
    browser.evaluate(
        "(() => { const i = document.createElement('img'); i.src = 'data:image/gif;base64,"
        "R0lGODlhAQABAAAAACw='; document.querySelector('main').appendChild(i);"
        "const p = document.createElement('p'); p.textContent = 'faint';"
        "p.style.color = '#d0d0d0'; document.querySelector('main').appendChild(p);"
        "return true; })()"
    )
    found = {v["id"] for v in audit(browser) if v["impact"] in {"serious", "critical"}}
    assert {"image-alt", "color-contrast"} <= found
