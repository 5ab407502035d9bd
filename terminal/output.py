"""All terminal output: rich tables and panels for people, one JSON document for programs."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
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
err = Console(stderr=True, highlight=False, soft_wrap=False)  # wrap: a refusal is never cut off

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


def stream_json(head: dict[str, Any], key: str, items: Iterable[Any]) -> None:
    """`{**head, key: [items…]}` written item by item, exactly as `emit_json` would write the
    whole document, without holding the list (a page of 100,000 cases streams)."""

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, indent=2, default=str)

    write = sys.stdout.write
    write("{\n")
    for name, value in head.items():
        write(f"  {dumps(name)}: {dumps(value).replace(chr(10), chr(10) + '  ')},\n")
    write(f"  {dumps(key)}: [")
    first = True
    for item in items:
        write(("\n" if first else ",\n") + "    " + dumps(item).replace("\n", "\n    "))
        first = False
    write("]\n}\n" if first else "\n  ]\n}\n")
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


#: What each kind of error is called, Chinese first (the message follows it).
ERROR_LABELS = {
    "bad_input": "输入有误 bad input",
    "not_found": "未找到 not found",
    "conflict": "并发冲突 conflict (reload and retry)",
    "integrity": "完整性校验失败 integrity",
    "config": "配置错误 config",
    "definition": "流程定义错误 definition",
}


def action_label(action_id: str) -> str:
    """`作出决定 decide`: an action id with its Chinese label, as every list shows it."""
    from states.catalog import PROCEDURES

    for proc in PROCEDURES.values():
        found = proc.action(action_id)
        if found is not None:
            return f"{found.label} {action_id}"
    return action_id


def refusal_panel(exc: RefusedError) -> Panel:
    """Every reason with its source; the text wraps at any width, nothing is cut off."""
    lines = Text()
    for reason in exc.reasons:
        lines.append("✗ ", style="red")
        lines.append(reason.message)
        if reason.source:
            lines.append(f"\n  依据：{reason.source}", style="dim")
        lines.append("\n")
    lines.rstrip()
    title = f"不予办理 refused: {action_label(exc.action)}" + (
        f" — {exc.case_id}" if exc.case_id else ""
    )
    return Panel(lines, title=title, title_align="left", border_style="red", expand=False)


def _headline(exc: BadInputError) -> str:
    """The message without the reasons it lists (they are printed one per line below it)."""
    if not exc.reasons:
        return exc.message
    first = exc.message.find(str(exc.reasons[0]))
    return exc.message[:first].rstrip(" :：;；") if first >= 0 else exc.message


def show_error(exc: WorkflowError, console: Console | None = None) -> None:
    """An error as a person reads it: Chinese first, then English; each reason once."""
    console = console or err
    if isinstance(exc, RefusedError):
        console.print(refusal_panel(exc))
        return
    label = ERROR_LABELS.get(exc.code, "错误 error")
    head = _headline(exc) if isinstance(exc, BadInputError) else exc.message
    if head.startswith(label.split()[0]):  # the message names its kind already
        label, head = head, ""
    console.print(Text.assemble(("✗ ", "red"), (label, "red"), f"：{head}" if head else ""))
    for reason in exc.reasons if isinstance(exc, BadInputError) else []:
        console.print(Text(f"  • {reason}"))


def _draft_line(view: dict[str, Any]) -> str:
    """给予行政处罚（penalty）：警告、罚款 ¥120,000.00 (rev 1, 3f2a…)."""
    from documents.formatting import money
    from states.vocabulary import MONEY_KINDS, OUTCOMES, PENALTY_KINDS

    draft = view["draft"]
    outcome = str(draft.get("outcome") or "")
    line = f"{OUTCOMES.get(outcome, outcome)}（{outcome}）"
    kinds = draft.get("penalty_kinds") or ([draft["penalty_kind"]] if draft.get("penalty_kind") else [])
    parts = []
    for kind in kinds:
        key = MONEY_KINDS.get(kind)
        amount = f" {money(draft[key])}" if key and draft.get(key) else ""
        parts.append(f"{PENALTY_KINDS.get(kind, kind)}{amount}")
    if parts:
        line += "：" + "、".join(parts)
    return line + f" (rev {view['draft_revision']}, {str(view['draft_hash'])[:12]}…)"


def _account_line(account: dict[str, Any]) -> str:
    from documents.formatting import money

    return (f"应缴 {money(account['principal'])}，加处罚款 {money(account['surcharge'])}，"
            f"已缴 {money(account['paid'])}，尚欠 {money(account['outstanding'])}")  # fmt: skip


def show_case(view: dict[str, Any]) -> None:
    from states.vocabulary import PARTY_TYPES, ROLES

    party = view["party"]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("案件 case", f"{view['id']}  {view['title']}")
    grid.add_row("程序 procedure", f"{view['procedure_label']} ({view['procedure']})")
    grid.add_row(
        "状态 state", f"{view['state_label']} ({view['state']})  · 版本 v{view['version']}"
    )
    kind = party.get("type", "")
    grid.add_row("当事人 party",
                 f"{party.get('name', '')}（{PARTY_TYPES.get(kind, kind)}）{party.get('id', '')}")  # fmt: skip
    grid.add_row("立案 opened", view.get("opened_on") or "")
    people = "；".join(f"{ROLES.get(r, r)}：{'、'.join(n)}" for r, n in view["assignments"].items() if n)
    grid.add_row("人员 people", people)
    _limits(grid, view)
    if view.get("account") and view["account"].get("principal") not in (None, "0", "0.00"):
        grid.add_row("罚没款 money", _account_line(view["account"]))
    review = "需要 required" if view["review_required"] else "不需要 not required"
    grid.add_row("法制审核 review", f"{review}; status {view['review'].get('status', '-')}")
    for ground in view["review_grounds"]:
        grid.add_row("", f"· {ground}")
    if view["notices"]:
        grid.add_row(
            "文书 notices",
            "\n".join(f"{n['title']} {n.get('number', '')}".strip() for n in view["notices"]),
        )
    for m in view.get("measures") or ():
        state = "实施中 in force" if m["in_force"] else "已解除或处理 ended"
        grid.add_row("强制措施 measure", f"{m['id']} {m['label']}：{m['state_label']}（{state}）")
    for gap in view.get("av_missing", []):
        grid.add_row(
            Text("⚠ 音像记录", "yellow"),
            Text.assemble((f"#{gap['seq']} {gap['label']} 未附音像记录 ", "yellow"),
                          (f"({gap['source']}; zhifa evidence av {view['id']} FILE --for "
                           f"{gap['seq']})", "dim")),
        )  # fmt: skip
    out.print(Panel(grid, title="案件 case", expand=False))
    if view.get("discretion") or view.get("similar"):
        from terminal.assist import show_case_assist

        show_case_assist(view)
    if view["deadlines"]:
        show_deadlines(view["deadlines"])


def _limits(grid: Table, view: dict[str, Any]) -> None:
    """时效 (Art. 36), shown from 立案 on; the draft; what it must weigh (Art. 30: 14 to 18)."""
    bar = view.get("limitation")
    if bar:
        barred = Text("已过时效 barred", "red") if bar["barred"] else Text("")
        grid.add_row("时效 limit", Text.assemble(
            f"{bar['from']} 起 {bar['years']} 年，至 {bar['until']}；发现 {bar['discovered_on'] or '—'} ",
            barred, (f"（{bar['source']}）", "dim")))  # fmt: skip
    if view.get("draft"):
        grid.add_row("草案 draft", _draft_line(view))
    for flag in view.get("draft_flags") or ():
        grid.add_row(Text("⚠ 从轻 mitigate", "yellow"),
                     Text.assemble((flag["text"], "yellow"), (f"（{flag['source']}）", "dim")))  # fmt: skip


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


def show_cases(views: Iterable[dict[str, Any]], summary: str = "") -> None:
    views = list(views)
    if not views:  # an empty table reads as a fault
        say("没有符合条件的案件 no cases to show")
        return
    table = Table(title="案件 cases")
    for col in ("id", "程序", "状态", "名称 title", "当事人", "v"):
        table.add_column(col, overflow="fold")
    for v in views:
        table.add_row(
            v["id"],
            Text.assemble(v["procedure_label"], "\n", (v["procedure"], "dim")),
            Text.assemble(v["state_label"], "\n", (v["state"], "dim")),
            v["title"],
            v["party"]["name"],
            str(v["version"]),
        )
    out.print(table)
    if summary:
        out.print(summary)


#: Reasons that say an action is not this person's or not this stage's at all.
FAR_REASONS = {"wrong_state", "role_not_permitted"}


def split_verdicts(
    verdicts: Iterable[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """(allowed now, near misses, the rest): a near miss is in the right state and the
    actor's role, held back only by the rules it lists (a deadline, a missing record …)."""
    allowed, near, rest = [], [], []
    for v in verdicts:
        if v["allowed"]:
            allowed.append(v)
        elif FAR_REASONS.isdisjoint(r["code"] for r in v["reasons"]):
            near.append(v)
        else:
            rest.append(v)
    return allowed, near, rest


def show_verdicts(
    case_id: str, verdicts: Iterable[dict[str, Any]], title: str = "", console: Console | None = None
) -> None:
    """✓ or ✗, the action (label, id), and every reason with its source; wraps at any width."""
    table = Table(title=title or f"{case_id} 可办事项 actions", show_lines=True, expand=False)
    table.add_column("", width=1, no_wrap=True)
    table.add_column("操作 action", overflow="fold", min_width=8)
    table.add_column("原因 why not", overflow="fold", ratio=1)
    for v in verdicts:
        mark = Text("✓", "green") if v["allowed"] else Text("✗", "red")
        why = Text()
        for i, r in enumerate(v["reasons"]):
            why.append(("\n" if i else "") + r["message"])
            if r["source"]:
                why.append(f"（{r['source']}）", style="dim")
        table.add_row(mark, Text.assemble(v["label"], "\n", (v["action"], "dim")), why)
    (console or out).print(table)


def near_verdicts(verdicts: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """What `case actions` shows without --all: allowed now, and the near misses."""
    allowed, near, _rest = split_verdicts(verdicts)
    return [*allowed, *near]


def show_actions(case_id: str, verdicts: Sequence[dict[str, Any]], every: bool) -> None:
    """What may be done now and the near misses first; the rest with `--all` (counted else)."""
    allowed, near, rest = split_verdicts(verdicts)
    shown = [*allowed, *near, *(rest if every else [])]
    if shown:
        show_verdicts(case_id, shown)
    else:
        say(f"{case_id}：现在没有可以办理的操作 nothing can be done now")
    if rest and not every:
        say(f"另有 {len(rest)} 项不在本阶段或非本人职责 {len(rest)} more not at this stage or "
            f"not your role — zhifa case actions {case_id} --all")  # fmt: skip


def show_events(events: Sequence[dict[str, Any]], proc: Any) -> None:
    """A case's timeline, each state and action labelled by the case's own procedure (a state
    id such as `decision` is 决定 in one procedure and 当场决定 in another)."""
    from states.vocabulary import ROLES

    table = Table(title="办案记录 history")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("日期 on", no_wrap=True)
    table.add_column("办理人", overflow="fold")
    table.add_column("操作 action", overflow="fold", ratio=1)
    table.add_column("状态", overflow="fold")
    for e in events:
        money_keys = _money_keys(proc, e["action"])
        summary = ", ".join(f"{k}={_money_or_short(v) if k in money_keys else _short(v)}"
                            for k, v in e["data"].items())  # fmt: skip
        docs = "、".join(f"{d['title']} {d.get('number', '')}".strip() for d in e["documents"])
        found = proc.action(e["action"])
        action = Text.assemble(found.label if found else e["action"], " ", (e["action"], "dim"))
        if summary:  # what a clerk typed is text, never markup
            action.append(f"\n{summary}", "dim")
        if docs:
            action.append(f"\n📄 {docs}")
        table.add_row(
            str(e["seq"]),
            e["occurred_on"],
            Text.assemble(e["actor"], "\n", (f"{ROLES.get(e['role'], e['role'])} {e['role']}", "dim")),
            action,
            f"{_state_label(proc, e['from_state'])}→{_state_label(proc, e['to_state'])}",
        )
    out.print(table)


def _state_label(proc: Any, state_id: str) -> str:
    """A state's label in this procedure (未立案 before the opening)."""
    return "未立案" if state_id == "new" else str(proc.state_label(state_id))


def _money_keys(proc: Any, action_id: str) -> set[str]:
    """The keys of an action that hold an amount of money (written ¥120,000.00)."""
    found = proc.action(action_id)
    return {f.name for f in found.fields if f.kind == "money"} if found else set()


def _money_or_short(value: Any) -> str:
    from documents.formatting import money

    try:
        return money(value)
    except ValueError:
        return _short(value)


def _short(value: Any, width: int = 24) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def show_problems(problems: Sequence[dict[str, Any]], scope: str) -> None:
    if not problems:
        out.print(f"[green]✓ 校验通过 verified[/]: {scope} — 记录完整，未被修改、删除或调换顺序")
        return
    table = Table(title=f"[red]校验发现 {len(problems)} 个问题 integrity problems[/]")
    for col in ("案件 case", "#", "问题 problem"):
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


def show_alerts(items: Sequence[dict[str, Any]], total: int | None = None, limit: int = 0) -> None:
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
    if limit and total is not None and total > limit:
        say(f"共 {total} 项案件期限，列出最紧迫的 {limit} 项 showing the {limit} most urgent of "
            f"{total}; --limit 0 lists all")


def shown_value(field: Any, value: Any) -> str:
    """A value as the summary shows it: a choice by its label with the id beside it."""
    from documents.formatting import money, money_capitals
    from rules.review import CHECKLIST
    from states.vocabulary import VOCABULARIES

    table = VOCABULARIES.get(field.vocabulary or "", {}) if field else {}
    if table and isinstance(value, list):
        return "、".join(f"{table.get(v, v)}（{v}）" for v in value)
    if table:
        return f"{table.get(value, value)}（{value}）"
    if field is not None and field.kind == "money":
        return f"{money(value)}（{money_capitals(value)}）"
    if field is not None and field.name == "checklist" and isinstance(value, dict):
        return "\n".join(f"{'✓' if v.get('result') == 'pass' else '✗'} {CHECKLIST.get(k, k)}"
                         + (f"：{v['comment']}" if v.get("comment") else "")
                         for k, v in value.items())  # fmt: skip
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


#: When a key applies (rules/conditions.py), in the office's words.
APPLIES = {
    "outcome_is_penalty": "处理结果为给予行政处罚时",
    "outcome_is_no_penalty": "不予行政处罚时",
    "outcome_is_refer": "移送时",
    "kinds_include_fine": "处罚种类含罚款时",
    "kinds_include_confiscation": "处罚种类含没收违法所得时",
    "kinds_include_property": "处罚种类含没收非法财物时",
    "kinds_include_licence": "处罚种类涉及许可证件、资质时",
    "kinds_include_restriction": "处罚种类为限制、停产停业、关闭时",
    "method_is_electronic": "电子送达时",
    "method_is_left_at_address": "留置送达时",
    "resolve_is_rereview": "协调结果为重新审核时",
    "remedy_concluded": "已有复议决定或裁判时",
    "recusal_granted": "决定回避时",
    "discretion_applies": "事项有裁量基准时",
}


def show_explain(doc: dict[str, Any]) -> None:
    """An action's keys: label first, the id, kind, whether required, when it applies."""
    from states.catalog import PROCEDURES
    from states.vocabulary import ROLES

    proc = PROCEDURES[doc["procedure"]]
    sources = "、".join(_state_label(proc, s) for s in doc["from"])
    target = "原状态" if doc["to"] == "=" else _state_label(proc, doc["to"])
    roles = "、".join(f"{ROLES.get(r, r)} {r}" for r in doc["roles"])
    head = Text.assemble((f"{doc['label']} {doc['action']}", "bold"),
                         f"（{proc.label}）：{sources} → {target} · 角色 roles: {roles}")  # fmt: skip
    if doc.get("notices"):
        from rules.notices import NOTICE_LABELS

        head.append(" · 文书 notices: " + "、".join(NOTICE_LABELS.get(k, k) for k in doc["notices"]))
    out.print(head)
    table = Table(expand=False, show_lines=True)
    table.add_column("key", no_wrap=True)
    table.add_column("含义 meaning", overflow="fold", ratio=1)
    for k in doc["keys"]:
        meaning = Text(k["label"])
        for choice, label in k["labels"].items():
            meaning.append(f"\n · {label} {choice}", "dim")
        if k.get("applies"):
            meaning.append(f"\n仅当 only {APPLIES.get(k['applies'], k['applies'])}", "dim")
        if k["help"]:
            meaning.append(f"\n{k['help']}", "dim")
        kind = Text(f"\n{k['kind']}" + (" 必填" if k["required"] else ""), "dim")
        table.add_row(Text.assemble(k["key"], kind), meaning)
    out.print(table)
    out.print(Text(f"规则 guards: {', '.join(doc['guards'])}", "dim"))


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
    table.add_column("文书 notice", overflow="fold")
    table.add_column("文号 number", overflow="fold")
    for n in notices:
        table.add_row(str(n["seq"]), n["on"], Text.assemble(n["title"], "\n", (n["kind"], "dim")),
                      n.get("number") or "—")  # fmt: skip
    out.print(table)


def show_notice(notice: dict[str, Any]) -> None:
    """The recorded text exactly as kept, then where it was recorded."""
    if "text" not in notice:
        say(f"{notice['title']}：记录于文书生成之前，无正文 recorded before notices were rendered "
            f"(#{notice['seq']})")
        return
    out.print(notice["text"], markup=False, highlight=False, emoji=False, end="")
    out.print(
        f"[dim]— 记录 event #{notice['seq']} ({notice['action']}, {notice['actor']}) · "
        f"SHA-256 {notice['sha256']}[/]"
    )


# -- the case file, files and bundles ---------------------------------------------------------
def show_case_file(case_id: str, entries: Sequence[dict[str, Any]]) -> None:
    table = Table(title=f"卷宗目录 case file — {case_id}")
    table.add_column("序号", justify="right")
    table.add_column("日期 on", no_wrap=True)
    table.add_column("名称 title", overflow="fold")
    table.add_column("文号 number", overflow="fold")
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


def show_seal(seal: Mapping[str, Any]) -> None:
    """What the verifier's seal saved (workflow/verify_seal.py), or why it was not used."""
    if seal["used"]:
        say(f"据 {seal['by']} 上次核验：{seal['by_seal']:,} 件未变，只复核哈希链与人员名录；其余全面核验 "
            f"(unchanged since {seal['by']}'s last verify: {seal['by_seal']:,} cases; the rest in full)")
    else:
        say(f"全面核验 full check: {seal['why']}")
    if seal["kept"]:
        say(f"核验结果已记住 remembered for {seal['by']}'s next verify ({seal['sound']:,} 件 cases)")
    elif seal["why"] and seal["used"]:
        say(seal["why"])


def show_trust_root(root: dict[str, str] | None) -> None:
    """The key every signature rests on, for an auditor to keep (archive verify --trust-key)."""
    if root:
        say(f"信任根 trust root: 人员名录由 {root['admin']} 以公钥 {root['key'][:16]}… 建立")
        say(f"  核验卷宗: zhifa archive verify BUNDLE --trust-key {root['key'][:16]}")


def show_checkpoint_freshness(fresh: dict[str, Any]) -> None:
    """The latest checkpoint's age; a warning when there is none within the office's limit."""
    how = "zhifa --as NAME checkpoint --out FILE"
    if fresh["taken_on"] is None:
        err.print(Text(f"⚠ 尚无检查点 no checkpoint yet: 删除的案件或最后一条记录只有对照检查点才能发现 "
                       f"a deleted case or last event is found only against one — {how}", "yellow"))  # fmt: skip
    elif fresh["stale"]:
        err.print(Text(f"⚠ 最近检查点 {fresh['taken_on']}，已 {fresh['days_ago']} 天（超过 "
                       f"{fresh['limit_days']} 天）latest checkpoint is {fresh['days_ago']} days old: "
                       f"take a new one — {how}", "yellow"))  # fmt: skip
    else:
        say(f"最近检查点 latest checkpoint: {fresh['taken_on']}（{fresh['days_ago']} 天前 days ago）")


def show_bundle_check(
    path: str, manifest: dict[str, Any], problems: Sequence[str], notes: Sequence[str] = (),
    trust_root: dict[str, Any] | None = None,
) -> None:  # fmt: skip
    for note in notes:
        out.print(f"  ⓘ {note}", markup=False)
    if problems:
        out.print(f"[red]✗ {path}：发现 {len(problems)} 个问题 problem(s)[/]")
        for p in problems:
            out.print(f"  · {p}", markup=False)
        return
    out.print(
        f"[green]✓[/] {path}: {manifest.get('case')} — {manifest.get('events')} 条记录 events, "
        f"{len(manifest.get('members', []))} 个文件 files, head "
        f"{str(manifest.get('head_hash'))[:16]}… — 卷宗完整，未被修改 intact"
    )
    if trust_root and trust_root.get("checked"):
        say(f"  ✓ 信任根 trust root: {trust_root['admin']} {trust_root['key'][:16]}…（与所给公钥一致 "
            "matches the trusted key）")
    elif trust_root:
        err.print(Text(f"  ⚠ 信任根未核验 trust root not checked: 签名均源于 {trust_root['admin']} 的公钥 "
                       f"{trust_root['key'][:16]}… — 请与本机关的记录核对（zhifa verify 显示），"
                       "或加 --trust-key KEY；every signature rests on this key: compare it with "
                       "the office's (shown by `zhifa verify`) or pass --trust-key", "yellow"))  # fmt: skip


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
        say(f"✓ {html}  打开 open: {open_hint(html)}")


def show_act(event: Any, proc: Any) -> None:
    """One recorded act: its number, label, the states it moved between, its notices."""
    action = proc.action(event.action)
    label = action.label if action else event.action
    docs = "、".join(d["title"] for d in event.documents)
    out.print(Text(f"✓ {event.case_id} #{event.seq} {label} {event.action}："
                   f"{proc.state_label(event.from_state)} → {proc.state_label(event.to_state)}"
                   + (f"  📄 {docs}" if docs else "")))  # fmt: skip


def show_replay(view: dict[str, Any]) -> None:
    say(f"回放 replay {view['id']} → #{view['version']}")
    show_case(view)


def show_written(paths: Sequence[Any], fonts: Sequence[Any]) -> None:
    for path in paths:
        say(f"✓ {path}")
    show_fonts(list(fonts))
    if paths:  # one file: open it; several: their folder
        say(f"打开 open: {open_hint(paths[0] if len(paths) == 1 else paths[0].parent)}")


def show_stored(event: Any) -> None:
    """The files an act stored, then the act."""
    for f in event.data["files"]:
        out.print(Text(f"✓ {f['name']}  {f['size']:,} 字节  {f['media_type']}  {f['sha256'][:16]}…"))
    out.print(Text(f"✓ {event.case_id} #{event.seq} {action_label(event.action)}"))


# -- usage errors and bugs -------------------------------------------------------------------
#: click's usage errors (typer vendors click), by class, named Chinese first.
USAGE_LABELS = {
    "MissingParameter": "缺少参数",
    "NoSuchOption": "没有此选项",
    "BadParameter": "参数值有误",
    "BadOptionUsage": "选项用法有误",
    "BadArgumentUsage": "参数用法有误",
    "FileError": "无法打开文件",
    "UsageError": "用法有误",
}


def show_usage_error(exc: Exception) -> None:
    """A usage error as click words it, after its Chinese name; the usage line and where help
    is. Printed once, on stderr."""
    if type(exc).__name__ == "NoArgsIsHelpError":  # `zhifa case`: typer printed the help
        return
    label = next((USAGE_LABELS[c.__name__] for c in type(exc).__mro__
                  if c.__name__ in USAGE_LABELS), "错误")  # fmt: skip
    message = getattr(exc, "format_message", lambda: str(exc))()
    err.print(Text.assemble(("✗ ", "red"), (label, "red"), " ", message))
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage().replace("Usage:", "用法 usage:", 1)
        err.print(Text(f"  {usage}"))
        err.print(Text(f"  帮助 help: {ctx.command_path} --help"))


def show_internal_error(exc: BaseException) -> None:
    """What went wrong, in one line; `--debug` shows the traceback (style.md §7)."""
    err.print(Text.assemble(("✗ 内部错误 internal error", "red"),
                            f"：{type(exc).__name__}: {str(exc)[:300]}"))  # fmt: skip
    err.print("  这是 zhifa 的缺陷，请用 --debug 重新运行并报告 — a bug: rerun with --debug and report it")


def show_office_created(config: Any, admin: str, todo: Sequence[str]) -> None:
    """What `zhifa init` made, what is left to fill in, and the next steps."""
    folder = shell_word(str(config.parent))
    say(f"✓ 新建办公室 office created: {config}\n  管理员 admin: {admin}")
    if todo:
        err.print(Text(f"  ⚠ 待填写 to fill in {config}: {', '.join(todo)}"
                       "（未填写前不能制作文书、发布网站 notices and the site refuse until then）",
                       "yellow"))  # fmt: skip
    steps = [
        (f"cd {folder}", "进入办公室目录 the office folder"),
        ("zhifa key init 王明", "每人在本人电脑上生成签名密钥，把公钥交管理员 "
         "each person makes their own signing key and gives the admin its public key"),
        (f"zhifa --as {shell_word(admin)} staff add 王明 --role officer --cert 铁审执01001 "
         "--cert-valid-until 2028-12-31 --key PUBLIC_KEY",
         "登记人员及其公钥：至少两名持证执法人员、负责人、法制审核人员 "
         "register staff with their keys: two certified officers, a head, a legal reviewer"),
        ("zhifa case open --help", "立案：当事人及其地址、证件号码，违法行为及其发生、发现日期 "
         "open a case: the party, the violation and its dates (README: A real case)"),
        ("zhifa --as 王明 case do P-2026-0001", "在终端上逐项办理下一步 be guided through the next act"),
    ]  # fmt: skip
    say("下一步 next steps:")
    for number, (command, meaning) in enumerate(steps, 1):
        out.print(Text.assemble(f"  {number}. ", (command, "bold"), f"\n     {meaning}"))


def shell_word(word: str) -> str:
    """A word as typed in a shell: quoted only when it has to be (CJK names stay readable)."""
    import re
    import shlex

    return word if re.fullmatch(r"[\w\-./:@+]+", word) else shlex.quote(word)


def open_hint(path: Any) -> str:
    """The command that opens a file or folder here: xdg-open on Linux, open on macOS."""
    word = shell_word(str(path))
    if sys.platform == "darwin":
        return f"open {word}"
    if sys.platform == "win32":
        return f'start "" {word}'
    return f"xdg-open {word}"
