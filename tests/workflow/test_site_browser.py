"""The public website in a real browser: headless Chromium follows every link, reports any
console error or broken link, checks the masked pages and the search, and takes screenshots.

Needs Debian's `chromium` and `chromium-driver`; without them the test is skipped with the
reason, unless ZHIFA_REQUIRE_BROWSER=1 (CI), which makes it fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.workflow.test_publicity import ID_NUMBER, PHONE, _site, decided, individual
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")


@pytest.fixture
def browser() -> Iterator[object]:
    if not (CHROMIUM and DRIVER):
        if os.environ.get("ZHIFA_REQUIRE_BROWSER") == "1":
            pytest.fail("ZHIFA_REQUIRE_BROWSER=1 but chromium or chromedriver is missing")
        pytest.skip(
            "browser test needs chromium and chromedriver (Debian: chromium chromium-driver)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1200,1000", "--allow-file-access-from-files"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _path(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def test_the_site_in_a_browser(lite: Office, tmp_path: Path, browser: object) -> None:
    from selenium.webdriver.common.by import By

    driver = browser  # a selenium WebDriver
    person = decided(lite, individual())
    lite.publish(person, "刘洋", date(2026, 4, 2))
    company = decided(lite, PENALTY_WITH_HEARING)
    lite.publish(company, "刘洋", date(2026, 4, 2))
    lite.publish_report(2026, "刘洋")
    root = tmp_path / "site"
    _site(lite, root, page_size=1)

    start = (root / "index.html").as_uri()
    seen: set[str] = set()
    queue = [start]
    broken, errors = [], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        driver.get(url)  # type: ignore[attr-defined]
        errors += [f"{url}: {e['message']}" for e in driver.get_log("browser")  # type: ignore[attr-defined]
                   if e["level"] == "SEVERE"]  # fmt: skip
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for element in driver.find_elements(By.TAG_NAME, tag):  # type: ignore[attr-defined]
                target = (element.get_attribute(attr) or "").split("#")[0]
                if not target.startswith("file://"):
                    continue
                if not _path(target).is_file():
                    broken.append(f"{url} → {target}")
                elif tag == "a" and _path(target).is_relative_to(root) and target.endswith(".html"):
                    queue.append(target)
    assert not broken, broken
    assert not errors, errors
    # every page of the site is reachable from the home page
    assert {_path(u) for u in seen} == set(root.rglob("*.html"))

    # the individual's page: masked name, nothing personal
    driver.get((root / "results" / f"{person}.html").as_uri())  # type: ignore[attr-defined]
    body = driver.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
    assert "张某某" in body
    assert ID_NUMBER not in body
    assert PHONE not in body

    # search filters by party or number with its small script
    driver.get((root / "results" / "search.html").as_uri())  # type: ignore[attr-defined]
    driver.find_element(By.ID, "q").send_keys("铁锋某建设")  # type: ignore[attr-defined]
    shown = [
        li.text for li in driver.find_elements(By.CSS_SELECTOR, "li.result") if li.is_displayed()
    ]  # type: ignore[attr-defined]
    assert len(shown) == 1
    assert "铁锋某建设有限公司" in shown[0]

    # readable on a phone: no page wider than the screen
    driver.set_window_size(390, 844)  # type: ignore[attr-defined]
    for page in ("index.html", f"results/{person}.html", "reports/2026.html"):
        driver.get((root / page).as_uri())  # type: ignore[attr-defined]
        wide = driver.execute_script(  # type: ignore[attr-defined]
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert wide <= 1, f"{page} overflows a phone screen by {wide}px"
    shot = tmp_path / "phone-report.png"
    assert driver.save_screenshot(str(shot))  # type: ignore[attr-defined]
    assert shot.stat().st_size > 10_000
