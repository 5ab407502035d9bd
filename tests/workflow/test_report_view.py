"""The annual report reads the same wherever it is shown: the website's page, the standalone
HTML report and the terminal print the same rows, word for word, with the period covered and
the publication date (118号（六）)."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from rich.console import Console

from documents.report import period, published_on, report_rows
from documents.site import report_page
from terminal import output
from tests.conftest import run_steps
from tests.documents.cases import NO_PENALTY
from tests.workflow.test_publicity import decided, individual
from workflow.scenarios import AUDIT_WITH_SUPPLEMENT, PENALTY_WITH_HEARING
from workflow.service import Office
from workflow.site import build_site


def _html_rows(page: str) -> dict[str, str]:
    table = page.split('<table class="figures">', 1)[1].split("</table>", 1)[0]
    return {
        html.unescape(k): html.unescape(v)
        for k, v in re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td>', table)
    }


def _terminal_rows(figures: dict[str, object], monkeypatch: object) -> tuple[dict[str, str], str]:
    console = Console(record=True, width=240, highlight=False)
    monkeypatch.setattr(output, "out", console)  # type: ignore[attr-defined]
    output.show_report(figures, published=True, html=None)
    text = console.export_text()
    rows = {}
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip("│┃ ").split("│")]
        if len(cells) == 2 and cells[0]:
            rows[cells[0].split(" ")[0]] = cells[1]
    return rows, text


def test_site_html_report_and_terminal_read_the_same(
    lite: Office, tmp_path: Path, monkeypatch: object
) -> None:
    company = decided(lite, PENALTY_WITH_HEARING)
    lite.publish(company, "刘洋", date(2026, 4, 2))
    decided(lite, individual())
    run_steps(lite, NO_PENALTY)
    run_steps(lite, AUDIT_WITH_SUPPLEMENT)
    published = lite.publish_report(2026, "刘洋")
    stored = lite.reports()[2026]
    assert published_on(published) == published_on(stored)  # the terminal's and the site's date

    site = build_site(lite, "依法审计监督", [], date(2026, 11, 24))["reports/2026.html"].decode()
    standalone = report_page(published, lite.desk.agency)
    terminal, text = _terminal_rows(published, monkeypatch)

    expected = {label: value for label, _, value in report_rows(stored)}
    assert _html_rows(site) == expected
    assert _html_rows(standalone) == expected
    assert terminal == expected
    # the rows carry the figures themselves
    assert expected["立案"] == "4 件（审计决定 1 件、行政处罚 3 件）"
    assert published["fines_total"] == "240000"
    assert expected["罚没款"] == "决定 ¥240,000.00；已缴 ¥0.00；未缴（含加处罚款）¥240,000.00"
    assert expected["统计期间"] == period(2026) == "2026年1月1日至2026年12月31日"
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", expected["公开日期"])
    for page in (site, standalone):
        assert f"统计期间：{expected['统计期间']}" in page
        assert f"公开日期：{expected['公开日期']}" in page
    assert "✓ 已公开 published" in text


def test_a_draft_report_says_it_is_not_published(lite: Office) -> None:
    figures = lite.annual_report(2026)
    page = report_page(figures, lite.desk.agency)
    assert "公开日期：尚未公开（草稿）" in page
    assert "<style>" in page
    assert "&#34;" not in page.split("</style>")[0]
