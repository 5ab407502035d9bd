"""The public website in a real browser (headless Chromium), at a phone's width (390 px) and a
desktop's (1280 px): every link resolves, no console error, the portal's frame (banner, menu,
footer with 主办单位 and the site identifiers) centred and the same on every page, every text
at WCAG AA contrast (computed from the computed styles), no chart label below 12 px, the
flowchart in Chinese only with no label over another, a table beside every chart, search by
any spelling of a decision number, credit code or case id, and screenshots kept in
tmp/artefacts/site/ for people to look at.

Needs Debian's `chromium` and `chromium-driver`; without them the tests are skipped with the
reason, unless ZHIFA_REQUIRE_BROWSER=1 (CI), which makes them fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from tests.conftest import STARTER_POWERS, artefact_dir, make_office
from tests.workflow.test_publicity import ID_NUMBER, PHONE, decided, individual
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.site import build_site, load_powers, write_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
PHONE_W, DESKTOP_W = 390, 1280
SITE_IDS = {"identifier": "2302000001", "icp": "黑ICP备12345678号-1"}
CREDIT_CODE = "91230200MA1B2C3D4E"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
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
                 f"--window-size={DESKTOP_W},1000", "--allow-file-access-from-files",
                 "--hide-scrollbars", "--force-device-scale-factor=1"):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str, str]]:
    """A site with an individual's result (masked) and a company's; a published report."""
    folder = tmp_path_factory.mktemp("site")
    office = make_office(f"sqlite:///{folder}/office.db")
    person = decided(office, individual())
    office.publish(person, "刘洋", date(2026, 4, 2))
    company = decided(office, PENALTY_WITH_HEARING)
    office.publish(company, "刘洋", date(2026, 4, 2))
    office.take_checkpoint("刘洋")  # the report then prints its 64-digit root
    office.publish_report(2026, "刘洋")
    powers = load_powers(STARTER_POWERS)
    root = folder / "site"
    files = build_site(office, "依法审计监督", powers, date(2026, 11, 24), 1, dict(SITE_IDS))
    write_site(files, root)
    yield root, person, company
    office.store.dispose()


def _path(url: str) -> Path:
    return Path(unquote(urlparse(url).path))


def _open(driver: Any, root: Path, page: str, width: int = DESKTOP_W) -> None:
    driver.set_window_size(width, 1000)
    driver.get((root / page).as_uri())


def _pages(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))


def test_every_link_resolves_without_console_errors(
    site: tuple[Path, str, str], browser: Any
) -> None:
    from selenium.webdriver.common.by import By

    root, person, _ = site
    driver = browser
    seen: set[str] = set()
    queue = [(root / "index.html").as_uri()]
    broken, errors = [], []
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        driver.get(url)
        errors += [f"{url}: {e['message']}" for e in driver.get_log("browser")
                   if e["level"] == "SEVERE"]  # fmt: skip
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for element in driver.find_elements(By.TAG_NAME, tag):
                target = (element.get_attribute(attr) or "").split("#")[0].split("?")[0]
                if not target.startswith("file://"):
                    continue
                if not _path(target).is_file():
                    broken.append(f"{url} → {target}")
                elif tag == "a" and _path(target).is_relative_to(root) and target.endswith(".html"):
                    queue.append(target)
    assert not broken, broken
    assert not errors, errors
    assert {_path(u) for u in seen} == set(root.rglob("*.html"))  # all reachable from home
    # the individual's page: masked name, nothing personal
    _open(driver, root, f"results/{person}.html")
    body = driver.find_element(By.TAG_NAME, "body").text
    assert "张某某" in body
    assert ID_NUMBER not in body
    assert PHONE not in body


FRAME = """
const box = s => { const e = document.querySelector(s); if (!e) return null;
  const r = e.getBoundingClientRect(); return [r.left, r.right, r.top, r.bottom]; };
return {width: window.innerWidth, overflow: document.documentElement.scrollWidth - window.innerWidth,
        banner: box('.banner .wrap'), main: box('main'), footer: box('.site-footer .wrap'),
        menu: box('.menu .wrap'), agency: document.querySelector('.banner .agency').textContent,
        footerText: document.querySelector('.site-footer').innerText};
"""


@pytest.mark.parametrize("width", [PHONE_W, DESKTOP_W])
def test_the_portal_frame_is_centred_and_the_same_on_every_page(
    site: tuple[Path, str, str], browser: Any, width: int
) -> None:
    root = site[0]
    shots = artefact_dir(f"site-{width}")
    for page in _pages(root):
        _open(browser, root, page, width)
        frame = browser.execute_script(FRAME)
        assert frame["overflow"] <= 1, f"{page} is wider than {width}px by {frame['overflow']}px"
        assert frame["agency"] == "铁锋区审计局"
        for part in ("main", "banner", "footer"):
            left, right = frame[part][0], width - frame[part][1]
            assert left == pytest.approx(right, abs=1.5), f"{page}: {part} not centred"
            assert frame[part][0] == pytest.approx(frame["main"][0], abs=1.5), f"{page}: {part}"
        if width == DESKTOP_W:
            assert frame["main"][1] - frame["main"][0] == pytest.approx(1100, abs=1)
        footer = frame["footerText"]
        for expected in ("主办单位：铁锋区审计局", "地址：铁锋区政府路1号", "电话：0452-0000000",
                         "网站标识码：2302000001", "黑ICP备12345678号-1"):  # fmt: skip
            assert expected in footer, (page, footer)
        if page in ("index.html", "reports/2026.html", "flow/penalty.html", "results/search.html"):
            _whole_page(browser, width)
            name = page.replace("/", "_").removesuffix(".html")
            assert browser.save_screenshot(str(shots / f"{name}.png"))


def _whole_page(driver: Any, width: int) -> None:
    """Size the window so that its viewport holds the whole page, for a screenshot."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(height, 6000))
    short = height - driver.execute_script("return window.innerHeight")
    if short > 0:
        driver.set_window_size(width, min(height + short, 6000))


ON_A_PHONE = """
const clipped = [...document.querySelectorAll('.scroll')].filter(e => e.querySelector('table.figures'))
  .map(e => e.scrollWidth - e.clientWidth);
const title = document.querySelector('.flow-scroll svg text');
const r = title ? title.getBoundingClientRect() : null;
const top = s => { const e = [...document.querySelectorAll('h2')].find(h => h.textContent === s);
  return e ? e.getBoundingClientRect().top + window.scrollY : null; };
return {clipped, title: r ? [r.left, r.right] : null, results: top('最新执法结果'), powers: top('权责清单')};
"""


def test_on_a_phone_nothing_is_hidden_sideways(site: tuple[Path, str, str], browser: Any) -> None:
    """Trial on a phone: the report's 64-digit checkpoint root widened its table past the screen,
    the flowchart's title sat half off it, and the results came after the whole 权责清单."""
    from selenium.webdriver.common.by import By

    root = site[0]
    _open(browser, root, "reports/2026.html", PHONE_W)
    assert "检查点" in browser.find_element(By.TAG_NAME, "body").text
    assert browser.execute_script(ON_A_PHONE)["clipped"] == [0]
    _open(browser, root, "flow/penalty.html", PHONE_W)
    left, right = browser.execute_script(ON_A_PHONE)["title"]
    assert 0 <= left
    assert right <= PHONE_W
    _open(browser, root, "index.html", PHONE_W)
    shown = browser.execute_script(ON_A_PHONE)
    assert shown["results"] < shown["powers"]
    assert shown["results"] < 1000  # on the first screens, not after the list of powers


CONTRAST = """
function rgba(s) { const m = s.match(/[\\d.]+/g) || [0, 0, 0, 0];
  return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; }
function over(top, bottom) { const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]); }
function lum(c) { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); }
function ratio(a, b) { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); }
function background(el) { const layers = [];
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor); if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break; }
  let bg = [255, 255, 255, 1]; for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
  return bg; }
function svgBackground(el) { const r = el.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
  let found = null; for (const rect of el.ownerSVGElement.querySelectorAll('rect')) {
    const b = rect.getBoundingClientRect();
    if (b.left <= x && x <= b.right && b.top <= y && y <= b.bottom) found = rect; }
  const fill = found ? getComputedStyle(found).fill : 'none';
  return fill.startsWith('rgb') ? over(rgba(fill), background(el.ownerSVGElement)) : background(el.ownerSVGElement); }
const bad = [];
for (const el of document.querySelectorAll('body *')) {
  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !el.getClientRects().length || getComputedStyle(el).visibility !== 'visible') continue;
  const svg = el instanceof SVGElement;
  const fg = rgba(svg ? getComputedStyle(el).fill : getComputedStyle(el).color);
  const bg = svg ? svgBackground(el) : background(el);
  const r = ratio(over(fg, bg), bg);
  if (r < 4.5) bad.push([el.tagName, el.className.baseVal ?? el.className, el.textContent.trim().slice(0, 20), r.toFixed(2)]);
}
return bad;
"""


def test_every_text_meets_wcag_aa_contrast(site: tuple[Path, str, str], browser: Any) -> None:
    root = site[0]
    for page in _pages(root):
        _open(browser, root, page)
        bad = browser.execute_script(CONTRAST)
        assert not bad, f"{page}: text below 4.5:1 — {bad}"


SIZES = """
const small = [];
for (const el of document.querySelectorAll('body *')) {
  const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  if (!own || !el.getClientRects().length) continue;
  let px = parseFloat(getComputedStyle(el).fontSize);
  if (el instanceof SVGElement) px *= el.getScreenCTM().a;
  if (px < 11.95) small.push([el.tagName, el.textContent.trim().slice(0, 12), px.toFixed(1)]);
}
return small;
"""


@pytest.mark.parametrize("width", [PHONE_W, DESKTOP_W])
def test_no_text_or_chart_label_is_below_12px(
    site: tuple[Path, str, str], browser: Any, width: int
) -> None:
    root = site[0]
    for page in ("reports/2026.html", "flow/penalty.html", "flow/audit.html", "index.html",
                 "results/search.html"):  # fmt: skip
        _open(browser, root, page, width)
        assert browser.execute_script(SIZES) == [], page


def test_every_chart_and_flowchart_has_a_table_beside_it(
    site: tuple[Path, str, str], browser: Any
) -> None:
    root = site[0]
    _open(browser, root, "reports/2026.html")
    charts = browser.execute_script("""
      return [...document.querySelectorAll('figure.chart')].map(f => {
        const bars = f.querySelector('.bars').getBoundingClientRect();
        const table = f.querySelector('table').getBoundingClientRect();
        return {rows: f.querySelectorAll('tbody tr').length, bars: f.querySelectorAll('.bar-row').length,
                side: table.left >= bars.right - 1 && Math.abs(table.top - bars.top) < 60};
      });""")
    assert len(charts) == 3
    assert all(c["rows"] == c["bars"] for c in charts), charts
    assert all(c["side"] for c in charts), charts  # beside, on a desktop
    for procedure in ("penalty", "audit"):
        _open(browser, root, f"flow/{procedure}.html")
        layout = browser.execute_script("""
          const svg = document.querySelector('figure.flow-figure').getBoundingClientRect();
          const table = document.querySelector('table.flow-table');
          return {side: table.getBoundingClientRect().left >= svg.right - 1,
                  states: table.querySelectorAll('tbody tr').length,
                  boxes: document.querySelectorAll('svg.flowchart rect').length};""")
        assert layout["side"]
        assert layout["states"] == layout["boxes"]


OVERLAPS = """
const labels = [...document.querySelectorAll('svg.flowchart text')];
const boxes = labels.map(t => t.getBoundingClientRect());
const hits = [];
for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
  const a = boxes[i], b = boxes[j];
  if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 &&
      Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5)
    hits.push([labels[i].textContent, labels[j].textContent]); }
return {hits, texts: labels.map(t => t.textContent), count: labels.length};
"""


@pytest.mark.parametrize("procedure", ["penalty", "audit"])
def test_the_flowchart_labels_are_chinese_and_never_overlap(
    site: tuple[Path, str, str], browser: Any, procedure: str
) -> None:
    import re

    root = site[0]
    for width in (PHONE_W, DESKTOP_W):
        _open(browser, root, f"flow/{procedure}.html", width)
        found = browser.execute_script(OVERLAPS)
        assert found["count"] > 20
        assert found["hits"] == [], found["hits"]
        latin = [t for t in found["texts"] if re.search(r"[A-Za-z]", t)]
        assert latin == []


def _shown(driver: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [
        li.text for li in driver.find_elements(By.CSS_SELECTOR, "li.result") if li.is_displayed()
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("铁审罚〔2026〕2号", "铁锋某建设有限公司"),
        ("铁审罚(2026)2号", "铁锋某建设有限公司"),
        ("铁审罚（2026）2号", "铁锋某建设有限公司"),
        ("铁审罚[2026]2号", "铁锋某建设有限公司"),
        ("铁审罚20262号", "铁锋某建设有限公司"),
        (CREDIT_CODE.lower(), "铁锋某建设有限公司"),
        ("p-2026-0001", "张某某"),
        ("铁锋某建设", "铁锋某建设有限公司"),
    ],
)
def test_search_finds_any_spelling(
    site: tuple[Path, str, str], browser: Any, query: str, expected: str
) -> None:
    from selenium.webdriver.common.by import By

    root = site[0]
    _open(browser, root, "results/search.html", PHONE_W)
    browser.find_element(By.ID, "q").send_keys(query)
    shown = _shown(browser)
    assert len(shown) == 1, (query, shown)
    assert expected in shown[0]
    assert "找到 1 条" in browser.find_element(By.ID, "status").text


def test_search_says_when_nothing_matched(site: tuple[Path, str, str], browser: Any) -> None:
    from selenium.webdriver.common.by import By

    root = site[0]
    _open(browser, root, "results/search.html")
    browser.find_element(By.ID, "q").send_keys("铁审罚〔2026〕99号")
    assert _shown(browser) == []
    assert (
        "未找到与“铁审罚〔2026〕99号”相符的执法结果" in browser.find_element(By.ID, "status").text
    )
    browser.get((root / "results" / "search.html").as_uri() + "?q=铁审罚(2026)1号")
    assert len(_shown(browser)) == 1  # a link can carry the query


def test_the_annual_report_renders_in_its_font(browser: Any, tmp_path: Path) -> None:
    """The standalone report (report annual --html) keeps its style sheet: fonts, banner."""
    from documents.site import report_page
    from workflow.notices import DEFAULT_AGENCY

    figures = {**SAMPLE_FIGURES, "published_at": "2027-01-20T02:00:00Z"}
    page = tmp_path / "2026.html"
    page.write_text(report_page(figures, DEFAULT_AGENCY), encoding="utf-8")
    browser.get(page.as_uri())
    style = browser.execute_script("""
      return {font: getComputedStyle(document.body).fontFamily,
              banner: getComputedStyle(document.querySelector('.banner')).backgroundColor,
              lead: document.querySelector('.lead').innerText};""")
    assert style["font"].startswith('"Noto Sans CJK SC"')
    assert style["banner"] == "rgb(164, 22, 26)"
    assert "统计期间：2026年1月1日至2026年12月31日" in style["lead"]
    assert "公开日期：2027年1月20日" in style["lead"]
    assert browser.execute_script(CONTRAST) == []


SAMPLE_FIGURES: dict[str, Any] = {
    "year": 2026, "opened": {"total": 2, "by_procedure": {"penalty": 2}},
    "decided": {"total": 2, "by_procedure": {"penalty": 2}, "by_outcome": {"penalty": 2}},
    "fines_total": "240000", "reviews": {"cases": 2, "rounds": 2, "first_pass": 2,
                                        "returned": 0, "supplements": 0},
    "hearings": 2, "published": 2, "deadlines": {"met": 6, "missed": 0},
    "average_days": {"opened_to_decided": 30.0, "decided_to_served": None,
                     "served_to_closed": None},
    "source": "国办发〔2018〕118号（六）",
}  # fmt: skip
