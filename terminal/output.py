"""All terminal output: rich tables and panels for people, one JSON document for programs."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from workflow.errors import (
    BadInputError,
    ConfigError,
    ConflictError,
    NotFoundError,
    RefusedError,
    WorkflowError,
)

#: Exit codes (the contract of issue 3): 0 done, 2 bad input, 3 refused, 4 conflict; 5 is what
#: `verify` and `archive verify` exit with when they find a problem (after listing every one).
EXIT = {
    BadInputError: 2, NotFoundError: 2, ConfigError: 2,
    RefusedError: 3, ConflictError: 4,
}  # fmt: skip

out = Console(highlight=False, soft_wrap=False)
err = Console(stderr=True, highlight=False, soft_wrap=True)

STATUS = {"open": "[yellow]进行中[/]", "met": "[green]已满足[/]", "overdue": "[red]已逾期[/]"}


def exit_code(exc: WorkflowError) -> int:
    for kind, code in EXIT.items():
        if isinstance(exc, kind):
            return code
    return 2


def result(document: Any, json_out: bool, show: Callable[[], None]) -> None:
    """A command's result: the JSON document for programs, or `show` it for people."""
    if json_out:
        emit_json(document)
    else:
        show()


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def error_document(exc: WorkflowError) -> dict[str, Any]:
    reasons: list[Any] = []
    if isinstance(exc, RefusedError):
        reasons = [r.as_dict() for r in exc.reasons]
    elif isinstance(exc, BadInputError):
        reasons = list(exc.reasons)
    body: dict[str, Any] = {"code": exc.code, "message": exc.message, "reasons": reasons}
    if isinstance(exc, ConfigError) and exc.location:
        body["location"] = exc.location
    return {"error": body}


def show_error(exc: WorkflowError) -> None:
    if isinstance(exc, RefusedError):
        lines = Text()
        for reason in exc.reasons:
            lines.append("✗ ", style="red")
            lines.append(reason.message)
            if reason.source:
                lines.append(f"\n  依据：{reason.source}", style="dim")
            lines.append("\n")
        title = f"不予办理 refused: {exc.action}" + (f" — {exc.case_id}" if exc.case_id else "")
        err.print(Panel(lines, title=title, border_style="red", expand=False))
        return
    label = {
        "conflict": "并发冲突 conflict (reload and retry)",
        "integrity": "完整性校验失败 integrity",
        "config": "配置错误 config",
    }.get(exc.code, "错误 error")
    err.print(f"[red]{label}:[/] {exc.message}", markup=True)
    for reason in getattr(exc, "reasons", []) if isinstance(exc, BadInputError) else []:
        err.print(f"  • {reason}")


def show_case(view: dict[str, Any]) -> None:
    party = view["party"]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column(overflow="fold")
    grid.add_row("案件 case", f"{view['id']}  {view['title']}")
    grid.add_row("程序 procedure", f"{view['procedure_label']} ({view['procedure']})")
    grid.add_row(
        "状态 state", f"{view['state_label']} ({view['state']})  · 版本 v{view['version']}"
    )
    grid.add_row(
        "当事人 party", f"{party.get('name', '')} ({party.get('type', '')}) {party.get('id', '')}"
    )
    grid.add_row("立案 opened", view.get("opened_on") or "")
    people = "; ".join(f"{r}: {'、'.join(n)}" for r, n in view["assignments"].items() if n)
    grid.add_row("人员 people", people)
    draft = view.get("draft")
    if draft:
        amount = f" ¥{draft['amount']}" if draft.get("amount") else ""
        grid.add_row(
            "草案 draft",
            f"{draft['outcome']} {draft.get('penalty_kind') or ''}{amount}"
            f" (rev {view['draft_revision']}, {str(view['draft_hash'])[:12]}…)",
        )
    review = "需要 required" if view["review_required"] else "不需要 not required"
    grid.add_row("法制审核 review", f"{review}; status {view['review'].get('status', '-')}")
    for ground in view["review_grounds"]:
        grid.add_row("", f"· {ground}")
    if view["notices"]:
        grid.add_row(
            "文书 notices",
            "\n".join(f"{n['title']} {n.get('number', '')}".strip() for n in view["notices"]),
        )
    for gap in view.get("av_missing", []):
        grid.add_row(
            "[yellow]⚠ 音像记录[/]",
            f"[yellow]#{gap['seq']} {gap['label']} 未附音像记录[/] [dim]({gap['source']}; "
            f"zhifa evidence av {view['id']} FILE --for {gap['seq']})[/]",
        )
    out.print(Panel(grid, title="案件 case", expand=False))
    if view.get("discretion") or view.get("similar"):
        from terminal.assist import show_case_assist

        show_case_assist(view)
    if view["deadlines"]:
        show_deadlines(view["deadlines"])


def show_deadlines(deadlines: Sequence[dict[str, Any]]) -> None:
    table = Table(title="期限 deadlines", show_lines=False)
    for col in ("期限 id", "到期 due", "状态", "依据 source"):
        table.add_column(col, overflow="fold")
    for d in deadlines:
        due = d["due"] + (" [magenta]暂定[/]" if d["provisional"] else "")
        table.add_row(
            f"{d['label']}\n[dim]{d['id']}[/]",
            due,
            STATUS.get(d["status"], d["status"]),
            d["source"],
        )
    out.print(table)
    for d in deadlines:
        if d.get("warning"):
            err.print(f"[magenta]注意[/] {d['id']}: {d['warning']}")


def show_cases(views: Iterable[dict[str, Any]]) -> None:
    table = Table(title="案件 cases")
    for col in ("id", "程序", "状态", "名称 title", "当事人", "v"):
        table.add_column(col, overflow="fold")
    for v in views:
        table.add_row(
            v["id"],
            v["procedure"],
            f"{v['state_label']}",
            v["title"],
            v["party"]["name"],
            str(v["version"]),
        )
    out.print(table)


def show_verdicts(case_id: str, verdicts: Iterable[dict[str, Any]]) -> None:
    table = Table(title=f"{case_id} 可办事项 actions", show_lines=True)
    table.add_column("", width=1)
    table.add_column("操作 action", overflow="fold")
    table.add_column("原因 why not", overflow="fold")
    for v in verdicts:
        mark = "[green]✓[/]" if v["allowed"] else "[red]✗[/]"
        why = "\n".join(
            r["message"] + (f" [dim]（{r['source']}）[/]" if r["source"] else "")
            for r in v["reasons"]
        )
        table.add_row(mark, f"{v['label']}\n[dim]{v['action']}[/]", why)
    out.print(table)


def show_events(events: Sequence[dict[str, Any]], labels: dict[str, str]) -> None:
    table = Table(title="办案记录 history")
    table.add_column("#", justify="right")
    table.add_column("日期 on")
    table.add_column("办理人")
    table.add_column("操作 action", overflow="fold")
    table.add_column("状态", overflow="fold")
    for e in events:
        summary = ", ".join(f"{k}={_short(v)}" for k, v in e["data"].items())
        docs = "、".join(f"{d['title']} {d.get('number', '')}".strip() for d in e["documents"])
        action = f"{labels.get(e['action'], e['action'])} [dim]{e['action']}[/]"
        if summary:
            action += f"\n[dim]{summary}[/]"
        if docs:
            action += f"\n📄 {docs}"
        table.add_row(
            str(e["seq"]),
            e["occurred_on"],
            f"{e['actor']}\n[dim]{e['role']}[/]",
            action,
            f"{e['from_state']}→{e['to_state']}",
        )
    out.print(table)


def _short(value: Any, width: int = 24) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def show_problems(problems: Sequence[dict[str, Any]], scope: str) -> None:
    if not problems:
        out.print(f"[green]✓ 校验通过 verified[/]: {scope} — 记录完整，未被修改、删除或调换顺序")
        return
    table = Table(title=f"[red]校验发现 {len(problems)} 个问题 integrity problems[/]")
    for col in ("case", "seq", "problem"):
        table.add_column(col, overflow="fold")
    for p in problems:
        table.add_row(p["case"], str(p["seq"] or "-"), p["problem"])
    out.print(table)


def show_staff(people: Sequence[dict[str, Any]], share: dict[str, Any]) -> None:
    table = Table(title="人员名录 staff")
    for col in ("姓名", "角色 roles", "执法证 cert", "有效期至", "法律职业资格", "状态"):
        table.add_column(col, overflow="fold")
    for p in people:
        table.add_row(
            p["name"],
            ", ".join(p["roles"]),
            p["cert_no"] or "-",
            p["cert_valid_until"] or "-",
            "✓" if p["legal_qualified"] else "",
            "在岗" if p["active"] else "[dim]停用[/]",
        )
    out.print(table)
    style = "green" if share["meets_floor"] else "red"
    out.print(
        f"法制审核人员占执法人员比例 reviewer share: [{style}]{share['reviewers']}/"
        f"{share['enforcement_staff']} = {share['percent']:.1f}%[/] "
        f"(不少于5%，国办发〔2018〕118号（十一）)"
    )


def say(text: str) -> None:
    out.print(text)


def show_fonts(choices: Sequence[Any]) -> None:
    """The fonts a PDF was printed in; a warning where one stands in for the office's font."""
    for c in choices:
        if c.fell_back:
            err.print(f"[yellow]⚠ 字体 font[/] {c.describe()} — documents.fonts in config.yaml")
        else:
            out.print(f"字体 font {c.describe()}")


def show_alerts(items: Sequence[dict[str, Any]]) -> None:
    if not items:
        out.print("[green]✓ 没有逾期或临近到期的期限 no alerts[/]")
        return
    table = Table(title="期限预警 alerts")
    for col in ("case", "期限", "到期 due", "剩余工作日", "依据 source"):
        table.add_column(col, overflow="fold")
    for a in items:
        left = a["days_left"]
        shown = f"[red]逾期 {-left}[/]" if left < 0 else f"{left}"
        due = a["due"] + (" [magenta]暂定[/]" if a["provisional"] else "")
        table.add_row(a["case"], f"{a['label']}\n[dim]{a['id']}[/]", due, shown, a["source"])
    out.print(table)


def show_explain(doc: dict[str, Any]) -> None:
    out.print(
        f"[bold]{doc['label']}[/] ({doc['action']}): {', '.join(doc['from'])} → {doc['to']}"
        f"  · 角色 {', '.join(doc['roles'])}"
        + (f"  · 文书 {doc['notice']}" if doc["notice"] else "")
    )
    table = Table()
    for col in ("key", "含义 meaning", "kind", "必填"):
        table.add_column(col, overflow="fold")
    for k in doc["keys"]:
        meaning = k["label"] + (f"\n[dim]{', '.join(k['choices'])}[/]" if k["choices"] else "")
        meaning += f"\n[dim]{k['help']}[/]" if k["help"] else ""
        table.add_row(k["key"], meaning, k["kind"], "✓" if k["required"] else "")
    out.print(table)
    out.print(f"[dim]guards: {', '.join(doc['guards'])}[/]")


def show_calendar(years: Sequence[int], missing: Sequence[int]) -> None:
    for year in years:
        if year in missing:
            out.print(
                f"[magenta]✗ {year}[/] 无官方节假日数据：期限按周末推算并标记为暂定；"
                "请在 config.yaml calendar.extra_holidays / extra_workdays 补录，"
                "并将年份加入 calendar.official_years"
            )
        else:
            out.print(f"[green]✓ {year}[/] 节假日数据完整")


# -- notices ---------------------------------------------------------------------------------
NOTICE_SUMMARY_KEYS = ("seq", "on", "action", "actor", "kind", "title", "number", "sha256",
                       "template", "template_sha256")  # fmt: skip


def notice_summary(notice: dict[str, Any]) -> dict[str, Any]:
    """A notice without its text and inputs (for lists)."""
    return {k: notice.get(k) for k in NOTICE_SUMMARY_KEYS}


def show_notices(case_id: str, notices: Sequence[dict[str, Any]]) -> None:
    if not notices:
        say(f"{case_id}：尚无执法文书 no notices yet")
        return
    table = Table(title=f"执法文书 notices — {case_id}")
    table.add_column("#", justify="right")
    table.add_column("日期 on", no_wrap=True)
    table.add_column("文书 notice", no_wrap=True)
    table.add_column("文号 number", no_wrap=True)
    for n in notices:
        table.add_row(str(n["seq"]), n["on"], f"{n['title']}\n[dim]{n['kind']}[/]",
                      n.get("number") or "—")  # fmt: skip
    out.print(table)


def show_notice(notice: dict[str, Any]) -> None:
    """The recorded text exactly as kept, then where it was recorded."""
    if "text" not in notice:
        say(f"{notice['title']}：recorded before notices were rendered (event #{notice['seq']})")
        return
    out.print(notice["text"], markup=False, highlight=False, emoji=False, end="")
    out.print(
        f"[dim]— event #{notice['seq']} ({notice['action']}, {notice['actor']}) · "
        f"SHA-256 {notice['sha256']}[/]"
    )


# -- the case file, files and bundles ---------------------------------------------------------
def show_case_file(case_id: str, entries: Sequence[dict[str, Any]]) -> None:
    table = Table(title=f"卷宗目录 case file — {case_id}")
    table.add_column("序号", justify="right")
    table.add_column("日期 on", no_wrap=True)
    table.add_column("名称 title", overflow="fold")
    table.add_column("文号 number", no_wrap=True)
    table.add_column("页码/文件 reference", overflow="fold")
    table.add_column("#", justify="right", style="dim")
    for e in entries:
        table.add_row(str(e["no"]), e["on"], e["title"], e["number"] or "", e["reference"],
                      str(e["seq"]))  # fmt: skip
    out.print(table)


@contextmanager
def file_progress(total: int, label: str, show: bool) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar over bytes copied, on a terminal only."""
    if not show or not out.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn(), TimeRemainingColumn())  # fmt: skip
    with Progress(*columns, console=out, transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


def show_bundle_check(
    path: str, manifest: dict[str, Any], problems: Sequence[str], notes: Sequence[str] = ()
) -> None:
    for note in notes:
        out.print(f"  ⓘ {note}", markup=False)
    if problems:
        out.print(f"[red]✗ {path}: {len(problems)} problem(s)[/]")
        for p in problems:
            out.print(f"  · {p}", markup=False)
        return
    out.print(
        f"[green]✓[/] {path}: {manifest.get('case')} — {manifest.get('events')} events, "
        f"{len(manifest.get('members', []))} files, head {str(manifest.get('head_hash'))[:16]}… "
        "— 卷宗完整，未被修改"
    )


def show_report(figures: dict[str, Any], published: bool, html: str | None) -> None:
    """执法统计年报 as a table: the same rows, word for word, as the website and HTML report."""
    from documents.report import report_rows

    f = figures
    table = Table(title=f"{f['year']}年度执法统计年报 annual report")
    table.add_column("项目 item")
    table.add_column("数值 figure", overflow="fold")
    for label, english, value in report_rows(f):
        table.add_row(f"{label} {english}", value)
    out.print(table)
    if published:
        say("✓ 已公开 published")
    if html:
        say(f"✓ {html}")


def show_act(event: Any, proc: Any) -> None:
    """One recorded act: its number, label, the states it moved between, its notices."""
    action = proc.action(event.action)
    label = action.label if action else event.action
    docs = "、".join(d["title"] for d in event.documents)
    say(f"✓ {event.case_id} #{event.seq} {label} ({event.action}): "
        f"{proc.state_label(event.from_state)} → {proc.state_label(event.to_state)}"
        + (f"  📄 {docs}" if docs else ""))  # fmt: skip


def show_replay(view: dict[str, Any]) -> None:
    say(f"回放 replay {view['id']} → #{view['version']}")
    show_case(view)


def show_written(paths: Sequence[Any], fonts: Sequence[Any]) -> None:
    for path in paths:
        say(f"✓ {path}")
    show_fonts(list(fonts))


def show_stored(event: Any) -> None:
    """The files an act stored, then the act."""
    for f in event.data["files"]:
        say(f"✓ {f['name']}  {f['size']:,} 字节  {f['media_type']}  {f['sha256'][:16]}…")
    say(f"✓ {event.case_id} #{event.seq} {event.action}")
