"""Remake docs/screenshot.png (the demo home page as the demo coordinator sees it) and
docs/scoping-report.png (the top of the Kenya follow-up round's report).

Run from the repository root with the development virtualenv and Debian's Chromium:
    .venv/bin/python docs/screenshot.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

from datacircle.core.demo import DEMO_PASSWORD

PORT = 8765
OUT = Path(__file__).resolve().parent / "screenshot.png"
REPORT = Path(__file__).resolve().parent / "scoping-report.png"


def main() -> None:
    home = tempfile.mkdtemp(prefix="datacircle-screenshot-")
    env = {**os.environ, "DATACIRCLE_HOME": home}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "datacircle.cli", "demo", "--port", str(PORT)]
    server = subprocess.Popen([*command, "--workers", "1"], env=env, stdout=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{PORT}/accounts/login/")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1200, "height": 800}, locale="en-GB")
            page.goto(f"http://127.0.0.1:{PORT}/accounts/login/")
            page.get_by_label("Username").fill("coordinator")
            page.get_by_label("Password").fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url(f"http://127.0.0.1:{PORT}/")
            page.screenshot(path=str(OUT))
            page.get_by_role("navigation", name="Main").get_by_role(
                "link", name="Skills scoping"
            ).click()
            page.get_by_role("table").get_by_role(
                "link", name="Report – Data skills follow-up 2026"
            ).click()
            page.screenshot(path=str(REPORT))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"wrote {OUT} and {REPORT}")


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url):  # noqa: S310 (our own http URL)
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


if __name__ == "__main__":
    main()
