"""The public website (公示平台) as files: a dict of path -> bytes, from published data only.

Pure: the caller gathers what may be published (workflow/site.py); this renders it with the
site templates in Jinja's sandbox with autoescape, deterministically (same data, same bytes).
Plain HTML and CSS; one small script filters the search page and is not needed to read it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
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


@dataclass(frozen=True)
class Page:
    """One file of the site: its path, what it shows (`inputs`, JSON data: the records by
    their digests, the figures, the settings of its part) and how to make its bytes."""

    path: str
    inputs: Any
    render: Callable[[], bytes]


@dataclass(frozen=True)
class Listed:
    """A published result as the site lists it: the digest of its record, the record, and
    its entry in a list of results under results/ (result_item.html.j2)."""

    digest: str
    record: Mapping[str, Any]
    item: str


def template_basis() -> str:
    """A digest of every file of the site's templates, style sheet and script: a change to
    any of them changes every page's fingerprint."""
    digest = hashlib.sha256()
    for path in sorted(SITE_DIR.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def record_digest(record: Mapping[str, Any]) -> str:
    """A result's fingerprint: the digest of its published fields, canonical JSON."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class Lister:
    """Makes the `Listed` of records (one template environment for all)."""

    def __init__(self) -> None:
        self._item = _env().get_template("result_item.html.j2")

    def item(self, record: Mapping[str, Any], root: str = "../") -> str:
        return self._item.render(r=record, root=root)

    def __call__(self, record: Mapping[str, Any]) -> Listed:
        return Listed(record_digest(record), record, self.item(record))


def pager(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The page numbers a list's pager shows: the first, the last, and `around` either side
    of this one; None where numbers are left out (…)."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - (out[-1] or 0) > 1:
            out.append(None)
        out.append(n)
    return out


def site_pages(
    agency: Mapping[str, Any],
    duties: str,
    powers: Sequence[Mapping[str, Any]],
    officers: Sequence[Mapping[str, Any]],
    procedures: Sequence[Mapping[str, Any]],
    results: Sequence[Listed],
    reports: Mapping[int, Mapping[str, Any]],
    page_size: int = PAGE_SIZE,
    site: Mapping[str, str] | None = None,
) -> list[Page]:
    """Every page of the site, not yet rendered. `results` newest first; `procedures` have
    id, label, svg and rows (the flowchart as a table); `site` the footer's identifiers
    (publicity.site). A page's `inputs` name the records it lists by their digests, so a page
    whose records did not change has the same inputs."""
    env = _env()
    info = _site_info(agency, site)
    pages: list[Page] = []

    def page(path: str, template: str, inputs: Any, context: Callable[[], dict[str, Any]]) -> None:
        def render() -> bytes:
            html = env.get_template(template).render(
                agency=agency, site=info, standalone=False, css="", root="../" * path.count("/"),
                **context())  # fmt: skip
            return html.encode()

        pages.append(Page(path, inputs if isinstance(inputs, str) else [template, inputs], render))

    def items(chunk: Sequence[Listed]) -> Markup:
        return Markup("\n".join(x.item for x in chunk))

    def home() -> dict[str, Any]:
        lister = Lister()
        return {"page_title": "行政执法公示", "duties": duties, "powers": powers,
                "officers": officers, "procedures": procedures, "here": "home",
                "items": Markup("\n".join(lister.item(x.record, "") for x in results[:10]))}  # fmt: skip

    flows = [{"id": p["id"], "label": p["label"]} for p in procedures]
    page("index.html", "index.html.j2",
         [duties, powers, officers, flows, [x.digest for x in results[:10]]], home)  # fmt: skip
    total = len(results)
    count = max(1, -(-total // page_size))
    for n in range(1, count + 1):
        chunk = results[(n - 1) * page_size : n * page_size]
        page("results/index.html" if n == 1 else f"results/page-{n}.html", "results.html.j2",
             [n, count, total, [x.digest for x in chunk]],
             partial(lambda n, chunk: {"page_title": f"执法结果公示（第{n}页）", "here": "results",
                                       "items": items(chunk), "page": n, "pages": count,
                                       "pager": pager(n, count), "total": total}, n, chunk))  # fmt: skip
    page("results/search.html", "search.html.j2", [x.digest for x in results],
         lambda: {"page_title": "执法结果查询", "items": items(results), "count": total,
                  "here": "search"})  # fmt: skip
    for x in results:
        page(f"results/{x.record['case']}.html", "result.html.j2", f"result {x.digest}",
             partial(lambda r: {"r": r, "here": "results",
                                "page_title": f"{r['kind']}决定公示 {r['decision_number']}"},
                     x.record))  # fmt: skip
    years = sorted(reports, reverse=True)
    page("reports/index.html", "reports.html.j2", years,
         lambda: {"page_title": "执法统计年报", "years": years, "here": "reports"})
    for year, figures in sorted(reports.items()):
        pages.append(Page(f"reports/{year}.html", ["report.html.j2", figures],
                          partial(_report_bytes, figures, agency, site)))  # fmt: skip
    page("flow/index.html", "flow.html.j2", flows,
         lambda: {"page_title": "执法流程图", "procedures": procedures, "flow": None,
                  "here": "flow"})  # fmt: skip
    for p in procedures:
        svg = str(p["svg"])
        pages.append(Page(f"flow/{p['id']}.svg", svg, partial(str.encode, svg)))
        page(f"flow/{p['id']}.html", "flow.html.j2", [p["id"], p["label"], svg, p["rows"]],
             partial(lambda p, svg: {"page_title": f"{p['label']}流程图", "procedures": [],
                                     "flow": {**p, "svg": Markup(svg)}, "here": "flow"},
                     p, svg))  # fmt: skip
    for asset in ("site.css", "search.js"):
        pages.append(Page(f"assets/{asset}", asset, (SITE_DIR / asset).read_bytes))
    return pages


def _report_bytes(
    figures: Mapping[str, Any], agency: Mapping[str, Any], site: Mapping[str, str] | None
) -> bytes:
    return report_page(figures, agency, False, site).encode()


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
    """Every file of the site, rendered. `results` newest first (see `site_pages`)."""
    lister = Lister()
    pages = site_pages(agency, duties, powers, officers, procedures,
                       [lister(r) for r in results], reports, page_size, site)  # fmt: skip
    return {p.path: p.render() for p in pages}
