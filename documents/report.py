"""执法统计年报 as it reads: the rows every output shows — the website, the HTML report and the
terminal print these same strings, so one figure never reads two ways (118号（六）).

Pure: figures in (workflow/report.py), text out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from documents.formatting import date_cn, money
from states.vocabulary import OUTCOMES

#: Beijing time: a publication recorded at 01:00 UTC on 1 February was made on 1 February.
CHINA = timezone(timedelta(hours=8), "CST")


def _days(value: float | None) -> str:
    return "—" if value is None else f"{value:g} 日"


def _breakdown(counts: Mapping[str, int], labels: Mapping[str, str]) -> str:
    """Counts in the labels' own order, whatever order the figures were kept in (a published
    report comes back from JSON with its keys sorted)."""
    order = [k for k in labels if k in counts] + sorted(k for k in counts if k not in labels)
    return "、".join(f"{labels.get(k, k)} {counts[k]} 件" for k in order)


def period(year: int) -> str:
    """统计期间: the calendar year the figures cover."""
    return f"{date_cn(date(year, 1, 1))}至{date_cn(date(year, 12, 31))}"


def published_on(figures: Mapping[str, Any]) -> str:
    """公开日期 in Beijing time, or that the report is not published yet."""
    stamp = figures.get("published_at")
    if not stamp:
        return "尚未公开（草稿）"
    when = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return date_cn(when.astimezone(CHINA).date())


def report_rows(f: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(Chinese label, English label, value) for every line of the report, in order."""
    opened, decided = f["opened"], f["decided"]
    r, d, days = f["reviews"], f["deadlines"], f["average_days"]
    labels = f.get("procedure_labels", {})  # from the definitions (workflow/service.py)
    fines = f.get("fines") or {"imposed": f["fines_total"], "collected": "0", "outstanding": "0"}

    def with_parts(total: int, parts: str) -> str:
        return f"{total} 件（{parts}）" if parts else f"{total} 件"

    return [
        ("统计期间", "period", period(int(f["year"]))),
        ("公开日期", "published", published_on(f)),
        ("立案", "opened", with_parts(opened["total"], _breakdown(opened["by_procedure"], labels))),
        ("作出决定", "decided", with_parts(decided["total"], _breakdown(decided["by_procedure"], labels))),
        ("决定按处理结果", "by outcome", _breakdown(decided["by_outcome"], OUTCOMES) or "—"),
        ("罚没款", "fines", f"决定 {money(fines['imposed'])}；已缴 {money(fines['collected'])}；"
                         f"未缴（含加处罚款）{money(fines['outstanding'])}"),
        ("法制审核", "reviews", f"{r['cases']} 件，审核 {r['rounds']} 次；一次通过 {r['first_pass']} 件，"
                              f"退回 {r['returned']} 次，补充材料 {r['supplements']} 次"),
        ("听证", "hearings", f"{f['hearings']} 件"),
        ("结果公示", "published results", f"{f['published']} 件"),
        ("期限", "deadlines", f"按期 {d['met']} 项，逾期 {d['missed']} 项"),
        ("平均用时", "average days", f"立案至决定 {_days(days['opened_to_decided'])}；"
                                   f"决定至送达 {_days(days['decided_to_served'])}；"
                                   f"送达至结案 {_days(days['served_to_closed'])}"),
        ("依据", "source", str(f["source"])),
    ] + _checkpoint_row(f)  # fmt: skip


def _checkpoint_row(f: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """The root of the office's latest signed checkpoint (workflow/checkpoint.py), if any."""
    cp = f.get("checkpoint")
    if not cp:
        return []
    return [("检查点", "checkpoint", f"{cp['root']}（{cp['taken_on']}，{cp['size']} 条记录链，"
                                     f"{cp['taken_by']} 签署）")]
