"""Time-window guards: the act's own date against the recorded dates it is counted from.

Counting follows rules.calendar (start day not counted; working days per 行政处罚法 Art. 85
and 审计法实施条例 Art. 56). The act's date is the date the clerk states (`--on`).
"""

from __future__ import annotations

from datetime import date

from rules.act import Act, guard
from rules.model import Reason


def _d(text: str) -> date:
    return date.fromisoformat(text)


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
    notified = act.case.notified
    if act.procedure != "penalty" or not notified or _statement_after_notice(act):
        return []
    days = act.policy.periods.statement_window_days
    due = act.policy.calendar.add_working_days(_d(notified["on"]), days)
    if act.on > due.day:
        return []
    return [
        Reason(
            "statement_window_open",
            f"陈述申辩期（告知送达后{days}个工作日，至 {due.day.isoformat()}）未满，"
            "且未记录陈述申辩或放弃",
            "行政处罚法第四十四条、第四十五条；本局规定（config: periods.statement_window_days）",
        )
    ]


@guard("hearing_request_window")
def hearing_request_window(act: Act) -> list[Reason]:
    """当事人要求听证的，应当在告知后五日内提出 (行政处罚法 Art. 64(1); 审计听证规定 Art. 5)."""
    notified = act.case.notified
    if not notified:
        return [Reason("not_notified", "尚未告知听证权利", "行政处罚法第六十四条")]
    due = act.policy.calendar.add_working_days(_d(notified["on"]), 5)
    if act.on <= due.day:
        return []
    return [
        Reason(
            "hearing_request_late",
            f"听证申请期限已于 {due.day.isoformat()} 届满（告知送达后5个工作日）",
            "行政处罚法第六十四条第（一）项",
        )
    ]


@guard("hearing_notice_lead", needs_data=True)
def hearing_notice_lead(act: Act) -> list[Reason]:
    """听证通知 served at least 7 days before the hearing (行政处罚法 Art. 64(2))."""
    raw = act.input.get("hearing_date")
    if not raw:
        return [Reason("missing_hearing_date", "未填写听证日期（hearing_date）")]
    earliest = act.policy.calendar.add_working_days(act.on, 7)
    if _d(str(raw)) >= earliest.day:
        return []
    return [
        Reason(
            "hearing_notice_late",
            f"听证日期须在通知送达后7个工作日以后（不早于 {earliest.day.isoformat()}）",
            "行政处罚法第六十四条第（二）项；审计机关审计听证规定第六条",
        )
    ]


@guard("audit_notice_lead")
def audit_notice_lead(act: Act) -> list[Reason]:
    """审计通知书 served 3 days before fieldwork, unless specially approved (审计法 Art. 42)."""
    served = act.case.audit_notice
    if not served:
        return [Reason("no_audit_notice", "尚未送达审计通知书", "审计法第四十二条")]
    if str(act.input.get("special_approval") or "").strip():
        return []
    earliest = act.policy.calendar.add_working_days(_d(served["on"]), 3)
    if act.on >= earliest.day:
        return []
    return [
        Reason(
            "audit_notice_lead",
            f"审计通知书须在实施审计3个工作日前送达（最早 {earliest.day.isoformat()} 进场），"
            "特殊情况须记录负责人批准（special_approval）",
            "审计法第四十二条",
        )
    ]


@guard("auditee_opinion_closed")
def auditee_opinion_closed(act: Act) -> list[Reason]:
    """被审计单位 answers within 10 days of the report; silence is no objection (审计法 Art. 44)."""
    notified = act.case.notified
    if not notified:
        return [Reason("not_notified", "审计报告尚未征求被审计单位意见", "审计法第四十四条")]
    if _statement_after_notice(act):
        return []
    due = act.policy.calendar.add_working_days(_d(notified["on"]), 10)
    if act.on > due.day:
        return []
    return [
        Reason(
            "auditee_opinion_open",
            f"被审计单位书面意见期（10个工作日，至 {due.day.isoformat()}）未满且尚未收到意见",
            "审计法第四十四条；审计法实施条例第五十六条",
        )
    ]


@guard("decision_extension")
def decision_extension(act: Act) -> list[Reason]:
    """Decide within 90 days of opening; later only with a recorded extension (Art. 60)."""
    if act.procedure != "penalty" or not act.case.opened_on:
        return []
    due = act.policy.calendar.add_calendar_days(_d(act.case.opened_on), 90)
    if act.on <= due.day or str(act.input.get("extension") or "").strip():
        return []
    return [
        Reason(
            "decision_late",
            f"自立案之日起90日（至 {due.day.isoformat()}）内未作出决定，"
            "须记录负责人批准的延期（extension）",
            "行政处罚法第六十条",
        )
    ]
