"""How the assistance reads at the terminal: search hits, like cases, the benchmark applied,
a proposed draft (the JSON forms are the same dicts, printed by terminal.output.emit_json)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from states.definition import Field
from terminal.output import out

POSITION = {"within": "[green]在建议幅度内[/]", "below": "[yellow]低于建议幅度[/]",
            "above": "[yellow]高于建议幅度[/]"}  # fmt: skip


def _yuan(value: Any) -> str:
    if value in (None, ""):
        return "—"
    from documents.formatting import money

    return str(money(value))


def _span(fine: Mapping[str, Any] | None) -> str:
    return f"{_yuan(fine['min'])} 至 {_yuan(fine['max'])}" if fine else "不予罚款 no fine"


def show_hits(query: str, hits: Sequence[Mapping[str, Any]]) -> None:
    if not hits:
        out.print(f"没有找到 no case matches “{query}”")
        return
    table = Table(title=f"检索 “{query}” — {len(hits)} 件", show_lines=True)
    for col in ("案件 case", "名称 / 当事人 title / party", "事项 · 阶次 power · tier",
                "罚款 · 文号 fine · number", "摘录 snippet"):
        table.add_column(col, overflow="fold")
    for h in hits:
        mark = " [magenta]典型案例[/]" if h.get("origin") == "typical" else ""
        table.add_row(
            f"{h['id']}{mark}\n[dim]{h.get('state') or ''}[/]",
            f"{h.get('title', '')}\n[dim]{h.get('party', '')}[/]",
            f"{h.get('power') or '—'}\n{h.get('tier_label') or ''}",
            f"{_yuan(h.get('amount'))}\n[dim]{h.get('decision_number') or ''}[/]",
            ("" if h.get("exact") else "[dim]≈[/] ") + (h.get("snippet") or ""),
        )
    out.print(table)


def show_discretion(point: Mapping[str, Any]) -> None:
    """The reviewer's checklist point: the benchmark's ranges beside the draft."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    grid.add_row("裁量基准 benchmark", f"{point['benchmark']} {point.get('violation', '')}\n[dim]{point.get('document', '')}[/]")
    conflict = " [red]⚑ 从重与从轻情节并存，须经法制审核[/]" if point.get("conflict") else ""
    grid.add_row("阶次 tier", f"{point.get('tier_label')} ({point.get('tier')}){conflict}")
    legal = point.get("legal") or {}
    grid.add_row("法定幅度 legal range", f"{legal.get('text', '')}\n本案 this case：{_span(legal.get('fine'))}")
    grid.add_row("建议幅度 suggested", _span((point.get("suggested") or {}).get("fine")))
    amount = point.get("amount")
    grid.add_row("草案 draft", f"{_yuan(amount)} {POSITION.get(point.get('position') or '', '')}"
                 if amount else "未处罚款 no fine")  # fmt: skip
    if point.get("reason"):
        grid.add_row("理由 reason", str(point["reason"]))
    for ground in point.get("grounds") or []:
        grid.add_row("", f"· {ground['text']} [dim]（{ground['source']}）[/]")
    if point.get("version_note"):
        grid.add_row("", f"[dim]{point['version_note']}[/]")
    out.print(Panel(grid, title="裁量基准运用 law_discretion", expand=False))


def show_similar(similar: Mapping[str, Any]) -> None:
    """类案推送: the nearest decided cases and where the draft falls among like cases."""
    cases = similar.get("cases") or []
    table = Table(title="类案推送 similar decided cases", show_lines=True)
    for col in ("案件 case", "名称 title", "事项 · 阶次 power · tier", "罚款 fine",
                "决定书文号 number"):
        table.add_column(col, overflow="fold")
    for c in cases:
        mark = " [magenta]典型案例[/]" if c.get("origin") == "typical" else ""
        same = "[green]同事项同阶次[/]" if c.get("same_tier") else "同事项" if c.get("same_power") else "相似事实"
        table.add_row(f"{c['id']}{mark}\n[dim]{same}[/]", f"{c.get('title', '')}\n[dim]{c.get('source') or c.get('party', '')}[/]",
                      f"{c.get('power') or '—'} {c.get('tier_label') or ''}", _yuan(c.get("amount")),
                      f"{c.get('decision_number') or ''}\n[dim]{c.get('decided_on') or ''}[/]")  # fmt: skip
    if cases:
        out.print(table)
    else:
        out.print("[dim]没有已决定的类案 no decided like cases yet[/]")
    spread = similar.get("distribution")
    if not spread:
        return
    what = "罚款占法定基数比例 rate" if spread["scale"] == "rate" else "罚款金额 amount"
    line = f"同事项同阶次类案 {spread['count']} 件（{spread['power']} {spread['tier_label']}，按{what}）"
    if spread.get("median") is not None:
        line += f"：中位数 {spread['median']}，最低 {spread['min']}，最高 {spread['max']}"
    if spread.get("percentile") is not None:
        line += f"；本案 {spread['draft']}，位于第 {spread['percentile']} 百分位，偏离中位数 {float(spread['deviation']):+.0%}"
    out.print(line)
    if spread.get("flagged"):
        out.print("[red]⚑ 罚款偏离类案中位数超过50%，建议提交法制审核 flagged for review[/]")


def show_case_assist(view: Mapping[str, Any]) -> None:
    if view.get("discretion"):
        show_discretion(view["discretion"])
    if view.get("similar"):
        show_similar(view["similar"])


def show_proposal(proposal: Mapping[str, Any], case_id: str, fields: Sequence[Field] = ()) -> None:
    """The proposed draft_decision data, each key by its Chinese label (the id beside it) and
    each value as the clerk would read it, and how to record it."""
    from terminal.output import shown_value

    by_name = {f.name: f for f in fields}
    table = Table(title=f"{case_id} 建议的决定草案 proposed draft（未记录 not recorded）")
    table.add_column("项目 key", overflow="fold", max_width=24)
    table.add_column("建议 proposed", overflow="fold")
    for key, value in proposal["data"].items():
        field = by_name.get(key)
        label = Text.assemble(field.label if field else key, "\n", (key, "dim"))
        table.add_row(label, Text(shown_value(field, value)))
    out.print(table)
    for text in proposal.get("missing") or []:
        out.print(f"[yellow]⚠ {text}[/]")
    if proposal.get("benchmark"):
        record = proposal["benchmark"]
        out.print(f"适用裁量基准 benchmark {record['benchmark']}「{record['tier_label']}」"
                  f"，建议幅度 suggested {_span((record.get('suggested') or {}).get('fine'))}")
    out.print(f"[dim]修改后记录 edit, then record: zhifa assist {case_id} --draft --out 草案.json; "
              f"zhifa case do {case_id} draft_decision --data-file 草案.json[/]")
