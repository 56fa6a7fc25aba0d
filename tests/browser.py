"""Look at a page as a person would: headless Chromium through Selenium, offline.

`open_page` loads a local file (or a local server's URL) in Debian's chromium with
chromedriver, records every network request the page makes, and hands back a `Page`
with the DOM text, the images and whether each loaded, the requests that left the
machine, and a screenshot kept under build/screenshots/ (CI keeps that folder as an
artifact). Tests skip cleanly where no chromium is installed (`make test`'s set-up
installs it).
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[1] / "build" / "screenshots"
_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1", "[::1]"}


@dataclass
class Page:
    text: str
    images: list[dict]  # src (shortened), loaded, width
    requests: list[str]  # every URL the page asked for
    screenshot: Path
    blank: bool  # the screenshot is one colour
    console_errors: list[str] = field(default_factory=list)

    @property
    def outside_requests(self) -> list[str]:
        """Requests that would leave the machine (anything not file:, data:, blob: or localhost)."""
        outside = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("file", "data", "blob", "about", "chrome", "devtools"):
                continue
            if parsed.hostname not in _LOCAL_HOSTS:
                outside.append(url)
        return outside


def chromium_driver():
    """A headless chromium WebDriver with performance logging, or a pytest skip saying what is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("chromium and chromedriver are not installed (scripts/setup.sh installs them as root)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,2000",
        "--allow-file-access-from-files",
        "--lang=ko-KR",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_path), options=options)


def _requests(driver) -> list[str]:
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _is_blank(png: Path) -> bool:
    from PIL import Image

    with Image.open(png) as image:
        extrema = image.convert("L").getextrema()
    return extrema[0] == extrema[1]


def wait_for(condition, what: str, timeout: float):
    """Poll `condition` until it is truthy (and return it), or fail saying what never happened within `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.25)
    pytest.fail(f"{what} within {timeout:.0f} s")


def look_at(driver, url: str, name: str) -> Page:
    """Load `url` in an open driver, wait for it, and describe what a person would see."""
    driver.get(url)
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")
    images = driver.execute_script(
        "return Array.from(document.images).map(i => ({src: i.src.slice(0, 80), loaded: i.complete && i.naturalWidth > 0,"
        " width: i.naturalWidth}));"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"{name}.png"
    body = driver.find_element("tag name", "body")
    height = driver.execute_script("return Math.min(document.body.scrollHeight, 12000);")
    driver.set_window_size(1280, max(800, int(height)))
    body.screenshot(str(shot)) if height else driver.save_screenshot(str(shot))
    errors = [entry["message"] for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]
    return Page(
        text=body.text,
        images=images,
        requests=_requests(driver),
        screenshot=shot,
        blank=_is_blank(shot),
        console_errors=errors,
    )


def open_page(path_or_url: str | Path, name: str) -> Page:
    """Open one local page in a fresh headless chromium and describe it (see `look_at`)."""
    url = path_or_url if isinstance(path_or_url, str) and "://" in path_or_url else Path(path_or_url).resolve().as_uri()
    driver = chromium_driver()
    try:
        return look_at(driver, url, name)
    finally:
        driver.quit()
