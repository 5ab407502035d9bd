"""Time-window guards: the act's own date against the periods of rules/deadlines.py.

Each guard reads its period from the one registry (`due_of`), so the date a clerk is shown
and the date the guard enforces are one computation. Counting follows rules.calendar (start
day not counted; working days per 行政处罚法 Art. 85, 审计法实施条例 Art. 56, 行政强制法
Art. 69). The act's date is the date the clerk states (`--on`).
"""

from __future__ import annotations

from datetime import date

from rules.act import Act, guard
from rules.deadlines import PERIODS, Start, due_of
from rules.model import Reason


@guard("occurred_on_valid")
def occurred_on_valid(act: Act) -> list[Reason]:
    """The act's date is not in the future and not before the case's previous act."""
    reasons = []
    if act.on > act.today:
        reasons.append(
            Reason("future_date", f"办理日期 {act.on.isoformat()} 晚于今天", "执法全过程记录")
        )
    if act.case.last_on and act.on.isoformat() < act.case.last_on:
        reasons.append(
            Reason(
                "date_before_previous",
                f"办理日期 {act.on.isoformat()} 早于本案上一环节（{act.case.last_on}）",
                "执法全过程记录",
            )
        )
    return reasons


def _statement_after_notice(act: Act) -> bool:
    notified_seq = (act.case.notified or {}).get("seq", 0)
    return any(s["seq"] > notified_seq for s in act.case.statements)


@guard("statement_window_closed")
def statement_window_closed(act: Act) -> list[Reason]:
    """陈述申辩: the period after notice is over, or the party spoke or waived."""
    window = due_of("statement_window", act.case, act.policy)
    if window is None or _statement_after_notice(act) or act.on > window.due:
        return []
    days = act.policy.periods.statement_window_days
    return [
        Reason(
            "statement_window_open",
            f"陈述申辩期（告知送达后{days}个工作日，至 {window.due.isoformat()}）未满，"
            "且未记录陈述申辩或放弃",
            window.source,
        )
    ]


def _hearing_settled(act: Act) -> bool:
    """The party waived the hearing in writing, or a requested hearing has ended."""
    hearing = act.case.hearing or {}
    return bool(hearing.get("waived_on") or hearing.get("concluded_on"))


@guard("hearing_window_closed")
def hearing_window_closed(act: Act) -> list[Reason]:
    """The right to ask for a hearing is never cut off (行政处罚法 Arts. 63, 64(一)): no review
    or decision while the 5 working days run, unless waived in writing or the hearing ended."""
    window = due_of("hearing_request", act.case, act.policy)
    if window is None or _hearing_settled(act) or act.on > window.due:
        return []
    if (act.case.hearing or {}).get("requested_on"):
        return []  # a requested hearing is judged by `hearing_concluded`
    return [
        Reason(
            "hearing_window_open",
            f"听证申请期（告知送达后5个工作日，至 {window.due.isoformat()}）未满，"
            "当事人未书面放弃听证（waive_hearing）",
            "行政处罚法第六十三条、第六十四条第（一）项",
        )
    ]


@guard("hearing_request_window")
def hearing_request_window(act: Act) -> list[Reason]:
    """当事人要求听证的，应当在行政机关告知后五日内提出 (行政处罚法 Art. 64(一))."""
    window = due_of("hearing_request", act.case, act.policy)
    if window is None:
        return [Reason("not_notified", "尚未告知听证权利", "行政处罚法第六十三条、第六十四条")]
    if (act.case.hearing or {}).get("waived_on"):
        return [Reason("hearing_waived", "当事人已书面放弃听证", "行政处罚法第六十四条")]
    if act.on <= window.due:
        return []
    return [
        Reason(
            "hearing_request_late",
            f"听证申请期限已于 {window.due.isoformat()} 届满（告知送达后5个工作日）",
            window.source,
        )
    ]


@guard("hearing_notice_lead", needs_data=True)
def hearing_notice_lead(act: Act) -> list[Reason]:
    """听证通知 served at least 7 days before the hearing (行政处罚法 Art. 64(二))."""
    raw = act.input.get("hearing_date")
    if not raw:
        return [Reason("missing_hearing_date", "未填写听证日期（hearing_date）")]
    period = PERIODS["hearing_notice_lead"]
    earliest = period.due(Start(act.on), act.policy)
    if date.fromisoformat(str(raw)) >= earliest.day:
        return []
    return [
        Reason(
            "hearing_notice_late",
            f"听证日期须在通知送达后7个工作日以后（不早于 {earliest.day.isoformat()}）",
            period.source,
        )
    ]


@guard("audit_notice_lead")
def audit_notice_lead(act: Act) -> list[Reason]:
    """审计通知书 served 3 days before fieldwork, unless specially approved (审计法 Art. 42)."""
    window = due_of("audit_notice_lead", act.case, act.policy)
    if window is None:
        return [Reason("no_audit_notice", "尚未送达审计通知书", "审计法第四十二条")]
    if str(act.input.get("special_approval") or "").strip() or act.on >= window.due:
        return []
    return [
        Reason(
            "audit_notice_lead",
            f"审计通知书须在实施审计3个工作日前送达（最早 {window.due.isoformat()} 进场），"
            "特殊情况须记录负责人批准（special_approval）",
            window.source,
        )
    ]


@guard("auditee_opinion_closed")
def auditee_opinion_closed(act: Act) -> list[Reason]:
    """被审计单位 answers within 10 days of the report; silence is no objection (审计法 Art. 44)."""
    window = due_of("auditee_opinion", act.case, act.policy)
    if window is None:
        return [Reason("not_notified", "审计报告尚未征求被审计单位意见", "审计法第四十四条")]
    if _statement_after_notice(act) or act.on > window.due:
        return []
    return [
        Reason(
            "auditee_opinion_open",
            f"被审计单位书面意见期（10个工作日，至 {window.due.isoformat()}）未满且尚未收到意见",
            window.source,
        )
    ]


@guard("decision_extension")
def decision_extension(act: Act) -> list[Reason]:
    """Decide within 90 days of opening; later only with a recorded extension (Art. 60)."""
    limit = due_of("decision_limit", act.case, act.policy)
    if limit is None or act.on <= limit.due or str(act.input.get("extension") or "").strip():
        return []
    return [
        Reason(
            "decision_late",
            f"自立案之日起90日（至 {limit.due.isoformat()}）内未作出决定，"
            "须记录负责人批准的延期（extension）",
            limit.source,
        )
    ]
