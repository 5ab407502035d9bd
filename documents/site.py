"""The public website (公示平台) as files: a dict of path -> bytes, from published data only.

Pure: the caller gathers what may be published (workflow/site.py); this renders it with the
site templates in Jinja's sandbox with autoescape, deterministically (same data, same bytes).
Plain HTML and CSS; one small script filters the search page and is not needed to read it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from documents.charts import bar_chart
from documents.render import TEMPLATE_DIR
from documents.report import period, published_on, report_rows
from states.vocabulary import OUTCOMES

SITE_DIR = TEMPLATE_DIR / "site"
PAGE_SIZE = 20


def _env() -> jinja2.Environment:
    return ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader(SITE_DIR), autoescape=True,
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )  # fmt: skip


def report_charts(f: Mapping[str, Any]) -> dict[str, Markup]:
    """Bar charts of a year's figures (SVG built from escaped labels)."""
    outcomes = [(OUTCOMES.get(k, k), float(v)) for k, v in f["decided"]["by_outcome"].items()]
    procedures = [
        (f.get("procedure_labels", {}).get(k, k), float(v))
        for k, v in f["decided"]["by_procedure"].items()
    ]
    days = [(label, float(v)) for label, v in (
        ("立案至决定", f["average_days"]["opened_to_decided"]),
        ("决定至送达", f["average_days"]["decided_to_served"]),
        ("送达至结案", f["average_days"]["served_to_closed"])) if v is not None]  # fmt: skip
    return {
        "by_outcome": Markup(bar_chart("决定按处理结果", outcomes, " 件")),
        "by_procedure": Markup(bar_chart("决定按程序", procedures, " 件")),
        "days": Markup(bar_chart("各阶段平均用时", days, " 日")),
    }


def _css() -> Markup:
    """The site's own style sheet, inlined as is (it is ours, not data: never escaped)."""
    return Markup((SITE_DIR / "site.css").read_text("utf-8"))


def report_page(
    f: Mapping[str, Any],
    agency: Mapping[str, Any],
    standalone: bool = True,
    site: Mapping[str, str] | None = None,
) -> str:
    """One year's 执法统计年报 as an HTML page (standalone: CSS inline, no site links); its
    table reads exactly as the terminal's (documents/report.py)."""
    return _env().get_template("report.html.j2").render(
        agency=agency, site=_site_info(agency, site), standalone=standalone, css=_css(),
        root="../", f=f, rows=report_rows(f), period=period(int(f["year"])),
        published=published_on(f), charts=report_charts(f),
        page_title=f"{f['year']}年度执法统计年报", here="reports",
    )  # fmt: skip


def _site_info(agency: Mapping[str, Any], site: Mapping[str, str] | None) -> dict[str, str]:
    """The footer's identifiers (publicity.site): 主办单位 defaults to the agency."""
    info = {k: v for k, v in (site or {}).items() if v}
    info.setdefault("organizer", str(agency.get("name", "")))
    return info


def render_site(
    agency: Mapping[str, Any],
    duties: str,
    powers: Sequence[Mapping[str, Any]],
    officers: Sequence[Mapping[str, Any]],
    procedures: Sequence[Mapping[str, Any]],
    results: Sequence[Mapping[str, Any]],
    reports: Mapping[int, Mapping[str, Any]],
    page_size: int = PAGE_SIZE,
    site: Mapping[str, str] | None = None,
) -> dict[str, bytes]:
    """Every file of the site. `results` newest first; `procedures` have id, label, svg and
    rows (the flowchart as a table); `site` the footer's identifiers (publicity.site)."""
    env = _env()
    files: dict[str, bytes] = {}
    info = _site_info(agency, site)

    def page(path: str, template: str, **context: Any) -> None:
        root = "../" * path.count("/")
        html = env.get_template(template).render(agency=agency, site=info, standalone=False,
                                                 css="", root=root, **context)  # fmt: skip
        files[path] = html.encode()

    listed = [dict(r) for r in results]
    page("index.html", "index.html.j2", page_title="行政执法公示", duties=duties, powers=powers,
         officers=officers, procedures=procedures, listed=listed[:10], here="home")  # fmt: skip
    pages = max(1, -(-len(listed) // page_size))
    for n in range(1, pages + 1):
        name = "results/index.html" if n == 1 else f"results/page-{n}.html"
        chunk = listed[(n - 1) * page_size : n * page_size]
        page(name, "results.html.j2", page_title=f"执法结果公示（第{n}页）", listed=chunk, page=n,
             pages=pages, total=len(listed), here="results")  # fmt: skip
    page("results/search.html", "search.html.j2", page_title="执法结果查询", listed=listed,
         here="search")  # fmt: skip
    for r in listed:
        page(f"results/{r['case']}.html", "result.html.j2", r=r, here="results",
             page_title=f"{r['kind']}决定公示 {r['decision_number']}")  # fmt: skip
    page("reports/index.html", "reports.html.j2", page_title="执法统计年报",
         years=sorted(reports, reverse=True), here="reports")  # fmt: skip
    for year, figures in sorted(reports.items()):
        files[f"reports/{year}.html"] = report_page(figures, agency, False, site).encode()
    page("flow/index.html", "flow.html.j2", page_title="执法流程图", procedures=procedures,
         flow=None, here="flow")  # fmt: skip
    for p in procedures:
        files[f"flow/{p['id']}.svg"] = str(p["svg"]).encode()
        page(f"flow/{p['id']}.html", "flow.html.j2", page_title=f"{p['label']}流程图",
             procedures=[], flow={**p, "svg": Markup(p["svg"])}, here="flow")  # fmt: skip
    files["assets/site.css"] = (SITE_DIR / "site.css").read_bytes()
    files["assets/search.js"] = (SITE_DIR / "search.js").read_bytes()
    return files
