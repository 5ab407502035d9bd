"""The guided `zhifa case do CASE` on a terminal.

Pick the action from a numbered list of what is allowed now (the near misses shown with their
reasons), give the date (today by default), then each key by its Chinese label — keys that do
not apply to the answers so far are skipped (`Field.applies`, rules/conditions.py), choices are
taken by number, label or id, every answer is checked as it is typed — the review checklist
walked point by point. What the rules need is asked as required, what the case already holds
is not asked, a benchmark is offered by number, a date the rules refuse is asked again at
once (terminal/answers.py); then a summary, the rules' verdict on exactly this act, and a
confirmation — after a refusal, only the keys it names are asked again. Nothing is recorded before the confirmation; Ctrl-C records nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from rules.conditions import Situation, holds
from rules.model import Case, Reason
from rules.notices import NOTICE_LABELS, issued
from rules.review import CHECKLIST
from states.definition import Action, Field, Procedure
from states.vocabulary import AUDIT_MEASURES, ROLES, VOCABULARIES
from terminal import prompt
from terminal.answers import Rules, named_keys
from terminal.output import out, refusal_panel, show_verdicts, shown_value, split_verdicts
from workflow.errors import BadInputError, RefusedError
from workflow.inputs import NOTE, coerce, parse_json_text

if TYPE_CHECKING:
    from workflow.service import Office

#: Acts whose input is made by another command, not typed (files stored by hash, the masked
#: public record computed from the case).
OTHER_COMMANDS = {
    "record_av": "zhifa evidence av CASE FILE --for SEQ",
    "publish": "zhifa publish case CASE",
}
#: Keys naming a person of the staff register: offered as a numbered list of active staff.
PERSON_KEYS = {"person", "hearing_officer", "reviewer", "replacement"}
PASS_FAIL = [("pass", "通过"), ("fail", "不通过")]


class Cancelled(Exception):
    """The clerk said no at the confirmation: nothing was recorded."""


class Refused(Exception):
    """The rules refuse the act as answered and the clerk gave up: the reasons were shown."""


def guided_act(
    office: Office, case_id: str, actor: str | None, on: date | None, given: dict[str, Any]
) -> tuple[str, dict[str, Any], date]:
    """Ask for the act, its date and its keys; return them once confirmed.

    Keys already given (`--data`) or held by the case are not asked. Before the confirmation
    the rules judge the act as answered; if they refuse, the reasons are shown and the clerk
    may answer again the keys they name (each earlier answer is the default). Raises Cancelled when the clerk declines, Refused
    when the clerk gives up on a refused act — nothing is recorded either way."""
    prompt.require_terminal("请写明操作，如 name the action, e.g. `zhifa case do CASE add_evidence --data …`")
    case = office.case(case_id)
    proc = office.engine.procedure(case.procedure)
    today = office.clock()
    spec = _pick_action(office, case, proc, actor, on or today)
    day = on or _ask_day(office, case, spec, actor, today)
    fixed = _given(spec, given)
    recorded = _recorded(spec, case, fixed)
    rules = Rules(office, case, spec, actor, day)
    answers: dict[str, Any] = {}
    again: set[str] | None = None  # None: every key; after a refusal, the keys it names
    while True:
        answers = _ask_keys(spec, rules, {**fixed, **recorded}, answers, again)
        data = {**answers, **fixed}
        _summary(office, case, spec, actor, day, data)
        verdict = office.judge(case_id, spec.id, actor, data, day)
        if verdict.allowed:
            break
        out.print(refusal_panel(RefusedError(case_id, spec.id, case.state, verdict.reasons)))
        if not prompt.confirm("修改回答后重新检查？ answer again?", default=True):
            raise Refused()
        asked = [f.name for f in (*spec.fields, NOTE) if f.name not in fixed and f.name not in recorded]
        again = named_keys(verdict.reasons, asked) or None
    if not prompt.confirm("确认办理？记录后不可撤销 record this act? it cannot be undone"):
        raise Cancelled()
    return spec.id, data, day


def _ask_keys(spec: Action, rules: Rules, fixed: Mapping[str, Any], previous: Mapping[str, Any],
              again: set[str] | None = None) -> dict[str, Any]:  # fmt: skip
    """Each key that applies to the answers so far, in the definition's order, then the note;
    a key the rules need is asked as required. Answering again after a refusal (`again`), only
    the keys it named are asked — and a key that now applies and is needed but unanswered."""
    answers: dict[str, Any] = dict(previous) if again is not None else {}
    for field in (*spec.fields, NOTE):
        if field.derived or field.name in fixed:
            continue
        data = {**answers, **fixed}
        if not _applies(field, rules.case, rules.office, data):
            answers.pop(field.name, None)
            continue
        needed = field.required or field.name in rules.needed(data)
        if again is not None and field.name not in again and (field.name in answers or not needed):
            continue
        value = _ask_field(field, rules, data, previous.get(field.name), needed)
        if value is not None:
            answers[field.name] = value
        else:
            answers.pop(field.name, None)
    return answers


def _ask_day(office: Office, case: Case, spec: Action, actor: str | None, today: date) -> date:
    """The act's date, checked as typed: a date the act may not bear (before the case's last
    act, in the future, inside a period still running) is refused at once, with the reasons."""
    from workflow.inputs import parse_date

    def check(text: str) -> date:
        day = parse_date(text)
        verdict = next(v for v in office.actions(case.id, actor, day) if v.action == spec.id)
        if not verdict.allowed:
            raise ValueError("；".join(r.message for r in verdict.reasons))
        return day

    return prompt.ask("办理日期 date of the act", check, default=today.isoformat())  # type: ignore[no-any-return]


def _recorded(spec: Action, case: Case, fixed: Mapping[str, Any]) -> dict[str, Any]:
    """Keys of this act the case already holds (the violation and its dates, recorded at 立案):
    not asked again, and said so; `--data KEY=VALUE` corrects one."""
    held = {f.name: case.details[f.name] for f in spec.fields
            if f.name not in fixed and case.details.get(f.name) not in (None, "")}  # fmt: skip
    if held:
        labels = {f.name: f.label.split("（")[0] for f in spec.fields}
        shown = "；".join(f"{labels[k]} {k}={v}" for k, v in held.items())
        out.print(Text(f"已记录，不再询问 recorded, not asked: {shown}（更正 to correct: --data KEY=VALUE）",
                       style="dim"))  # fmt: skip
    return held


def _given(spec: Action, given: Mapping[str, Any]) -> dict[str, Any]:
    """Keys given with `--data`, as their fields read them (so 罚款 counts as `fine` when
    deciding which keys apply); unknown keys are left for the act to refuse."""
    fields = {f.name: f for f in (*spec.fields, NOTE)}
    try:
        return {k: coerce(fields[k], v) if k in fields else v for k, v in given.items()}
    except ValueError as exc:
        raise BadInputError(f"输入有误 bad input: {exc}") from None


def _pick_action(office: Office, case: Case, proc: Procedure, actor: str | None,
                 day: date) -> Action:  # fmt: skip
    verdicts = [v.as_dict() for v in office.actions(case.id, actor, day)]
    allowed, near, rest = split_verdicts(verdicts)
    typed = [v for v in allowed if v["action"] not in OTHER_COMMANDS]
    elsewhere = [v for v in allowed if v["action"] in OTHER_COMMANDS]
    if near:
        show_verdicts(case.id, near, title=f"{case.id} 暂不能办理 not yet")
    for v in elsewhere:
        out.print(Text(f"  · {v['label']} {v['action']}：请用 use `{OTHER_COMMANDS[v['action']]}`"))
    if not typed:
        raise RefusedError(case.id, "(any)", case.state, [Reason(
            "nothing_allowed", f"{actor or '（未指明办理人）'} 现在不能办理 {case.id} 的任何操作 "
            "nothing to do here now",
            "zhifa case actions --all")])  # fmt: skip
    state = proc.state_label(case.state)
    out.print(Text(f"{case.id} {case.title} · {state} · 可以办理 allowed now "
                   f"（另有 {len(rest)} 项不在本阶段或非本人职责 not now: zhifa case actions --all）"))  # fmt: skip
    chosen = prompt.ask_choice("办理哪一项 which action",
                               [(v["action"], v["label"]) for v in typed])  # fmt: skip
    found = proc.action(chosen)
    assert found is not None
    return found


def _applies(field: Field, case: Case, office: Office, data: Mapping[str, Any]) -> bool:
    """Whether a key is asked at all, given the answers so far (Field.applies)."""
    if field.kind == "files":
        return False  # stored by `zhifa evidence add|av`, never typed
    if field.applies is None:
        return True
    return holds(field.applies, Situation(case, office.policy, data))


def _checker(field: Field) -> prompt.Check:
    return lambda text: coerce(field, text)


def _label(field: Field, required: bool) -> str:
    optional = "" if required else "（可空，回车跳过）"
    return f"{field.label} {field.name}{optional}"


def _typed(value: Any) -> str | None:
    """An earlier answer as it would be typed again (the default when answering again)."""
    if value is None:
        return None
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _ask_field(field: Field, rules: Rules, data: Mapping[str, Any], current: Any = None,
               required: bool = False) -> Any:  # fmt: skip
    """One key, asked as its kind and vocabulary say; `current` is the earlier answer. A date
    that brings a reason of its own (the penalty barred, dates out of order) is asked again."""
    if field.help and current is None:
        out.print(Text(f"  {field.help}", style="dim"))
    special = SPECIAL.get(field.name)
    if special is not None and field.kind == "json":
        return special(field, current)
    choices = _choices(field, rules, data)
    if choices:
        return prompt.ask_choice(_label(field, required), choices, required=required,
                                 many=field.kind == "list", default=_typed(current))  # fmt: skip
    check: prompt.Check = _checker(field)
    if field.kind == "date":
        check = _date_checker(field, rules, data)
    label = _label(field, required)
    if field.kind == "bool":
        check, label = prompt.yes_no, f"{label} [是/否 y/n]"
    elif field.kind == "json":
        check, label = parse_json_text, f"{label} (JSON)"
    if current is not None and field.kind == "json":
        import json

        current = json.dumps(current, ensure_ascii=False)
    value = prompt.ask(label, check, required=required, default=_typed(current))
    if field.kind == "money" and value is not None:
        from documents.formatting import money, money_capitals

        out.print(Text(f"  = {money(value)}（{money_capitals(value)}）", style="dim"))
    return value


def _date_checker(field: Field, rules: Rules, data: Mapping[str, Any]) -> prompt.Check:
    def check(text: str) -> Any:
        value = coerce(field, text)
        problems = rules.new_problems(data, field.name, value)
        if problems:
            raise ValueError("；".join(r.message for r in problems))
        return value

    return check


def _choices(field: Field, rules: Rules, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """A key's choices: its vocabulary, the active staff for a key naming a person, the
    裁量基准 of the case's 权责清单 item for the benchmark."""
    if field.name in PERSON_KEYS:
        return [(p["name"], "、".join(ROLES.get(r, r) for r in p["roles"]))
                for p in rules.office.staff_report()["staff"] if p["active"]]  # fmt: skip
    if field.name == "benchmark":
        return rules.benchmark_choices(data)
    if field.vocabulary:
        return list(VOCABULARIES[field.vocabulary].items())
    return []


def _ask_checklist(field: Field, current: Any) -> dict[str, dict[str, str]]:
    """法制审核要点, point by point: 通过 or 不通过, and the comment (required for 不通过)."""
    out.print(Text(f"{field.label}：逐项审核 {len(CHECKLIST)} 个要点 point by point", style="bold"))
    before = current if isinstance(current, dict) else {}
    answers: dict[str, dict[str, str]] = {}
    for number, (point, label) in enumerate(CHECKLIST.items(), 1):
        was = before.get(point) or {}
        out.print(Text(f"[{number}/{len(CHECKLIST)}] {label}  {point}", style="bold"))
        result = prompt.ask_choice("结论 result", PASS_FAIL, default=was.get("result"))
        required = result == "fail"
        hint = "（不通过须写明理由 required）" if required else "（可空，回车跳过）"
        comment = prompt.ask(f"意见 comment{hint}", _plain, required=required,
                             default=was.get("comment"))  # fmt: skip
        answers[point] = {"result": result, **({"comment": comment} if comment else {})}
    return answers


def _keep(field: Field, current: Any) -> bool:
    """Answering again: keep the list given before?"""
    return bool(current) and prompt.confirm(f"保留已填的{field.label} keep {field.name}?", True)


def _ask_measures(field: Field, current: Any) -> list[dict[str, Any]]:
    """审计法 Art. 49 处理措施, one after another until Enter."""
    from workflow.inputs import MAX_ITEMS

    if _keep(field, current):
        return list(current)
    measures: list[dict[str, Any]] = []
    while len(measures) < MAX_ITEMS:
        out.print(Text(f"处理措施 measure #{len(measures) + 1}（回车结束 Enter to finish）", style="bold"))
        kind = prompt.ask_choice("种类 kind", list(AUDIT_MEASURES.items()), required=False)
        if kind is None:
            break
        item: dict[str, Any] = {"kind": kind}
        amount = prompt.ask("金额（元）amount（可空）", _money, required=False)
        if amount:
            item["amount"] = amount
        item["days"] = prompt.ask("执行期限（日）days", _days)
        text = prompt.ask("说明 text（可空）", _plain, required=False)
        if text:
            item["text"] = text
        measures.append(item)
    if field.required and not measures:
        raise BadInputError(f"未填写{field.label} missing {field.name}")
    return measures


def _ask_schedule(field: Field, current: Any) -> list[dict[str, str]]:
    """延期（分期）缴纳计划: each instalment's due date and amount, until Enter."""
    if _keep(field, current):
        return list(current)
    items: list[dict[str, str]] = []
    while len(items) < 24:
        out.print(Text(f"第 {len(items) + 1} 期 instalment（回车结束 Enter to finish）", style="bold"))
        due = prompt.ask_date("缴纳期限 due", required=not items)
        if due is None:
            break
        items.append({"due": due, "amount": prompt.ask("金额（元）amount", _money)})
    return items


def _plain(text: str) -> str:
    from workflow.inputs import check_text

    return check_text(text)


def _money(text: str) -> str:
    return str(coerce(Field(name="amount", kind="money", label="金额"), text))


def _days(text: str) -> int:
    days = int(coerce(Field(name="days", kind="int", label="日数"), text))
    if days < 1:
        raise ValueError("须为正整数 a positive number of days")
    return days


#: Keys of kind json that are walked item by item instead of typed as JSON.
SPECIAL: dict[str, Callable[[Field, Any], Any]] = {
    "checklist": _ask_checklist,
    "measures": _ask_measures,
    "schedule": _ask_schedule,
}


def _summary(office: Office, case: Case, spec: Action, actor: str | None, day: date,
             data: Mapping[str, Any]) -> None:  # fmt: skip
    fields = {f.name: f for f in (*spec.fields, NOTE)}
    grid = Table.grid(padding=(0, 2))
    # a long label (a ground quoted from the law) wraps in its own column: the value keeps room
    grid.add_column(style="bold", max_width=28, overflow="fold")
    grid.add_column(overflow="fold", min_width=30)
    grid.add_row("案件 case", f"{case.id} {case.title}")
    grid.add_row("操作 action", f"{spec.label} {spec.id}")
    grid.add_row("办理人 actor", actor or "")
    grid.add_row("日期 on", day.isoformat())
    order = list(fields)
    for name, value in sorted(data.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        field = fields.get(name)
        grid.add_row(f"{field.label if field else name} {name}", shown_value(field, value))
    kinds = issued(spec, case, office.policy)
    if kinds:
        grid.add_row("文书 notices", "、".join(NOTICE_LABELS[k] for k in kinds))
    from rich.panel import Panel

    out.print(Panel(grid, title="请核对 please check", title_align="left", expand=False))



def guided(
    office: Office, case_id: str, actor: str | None, on: date | None, given: dict[str, Any]
) -> tuple[str, dict[str, Any], date]:
    """`guided_act`, where Ctrl-C or Ctrl-D (exit 130) and a "no" (exit 1) record nothing."""
    import typer

    from terminal.output import err

    try:
        return guided_act(office, case_id, actor, on, given)
    except (KeyboardInterrupt, EOFError):
        err.print("\n已取消，未记录任何内容 cancelled: nothing recorded")
        raise typer.Exit(130) from None
    except Cancelled:
        err.print("未办理，未记录任何内容 not done: nothing recorded")
        raise typer.Exit(1) from None
    except Refused:
        err.print("不予办理，未记录任何内容 refused: nothing recorded")
        raise typer.Exit(3) from None
