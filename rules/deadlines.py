"""Statutory deadlines (期限) of a case, computed from its recorded occurred-on dates.

domain.md §4. Each deadline names its legal source. A *window* (陈述申辩期, 听证申请期 …)
protects the party and is enforced by a guard; an *obligation* (决定期限, 送达期限 …) binds the
agency and is alerted on. Status is judged against `today`, which the caller supplies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rules.calendar import DueDate
from rules.drafts import hearing_eligible
from rules.model import Case
from rules.policy import Policy


@dataclass(frozen=True)
class Deadline:
    id: str
    label: str
    due: date
    status: str  # open, met, overdue
    provisional: bool
    source: str
    kind: str  # window (guards the party's time) or obligation (binds the agency)
    starts_on: date
    done_on: date | None = None
    warning: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "due": self.due.isoformat(),
            "status": self.status,
            "provisional": self.provisional,
            "source": self.source,
            "kind": self.kind,
            "starts_on": self.starts_on.isoformat(),
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "warning": self.warning,
        }


def _d(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _obligation(
    id_: str, label: str, start: date, due: DueDate, done: date | None, today: date, source: str
) -> Deadline:
    if done is not None:
        status = "met" if done <= due.day else "overdue"
    else:
        status = "overdue" if today > due.day else "open"
    return Deadline(id_, label, due.day, status, due.provisional, source, "obligation", start,
                    done, due.warning())  # fmt: skip


def _window(
    id_: str, label: str, start: date, due: DueDate, closed: date | None, today: date, source: str
) -> Deadline:
    status = "met" if closed is not None or today > due.day else "open"
    return Deadline(id_, label, due.day, status, due.provisional, source, "window", start,
                    closed, due.warning())  # fmt: skip


def _after(records: Iterable[dict[str, Any]], seq: int) -> date | None:
    later = [r for r in records if r["seq"] > seq]
    return _d(later[0]["on"]) if later else None


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _opening(case: Case, policy: Policy, now: date) -> list[Deadline]:
    found = []
    cal = policy.calendar
    decided = _d((case.decision or {}).get("on"))
    if case.opened_on and case.procedure == "penalty":
        opened = _day(case.opened_on)
        found.append(_obligation(
            "decision_limit", "作出决定期限", opened, cal.add_calendar_days(opened, 90), decided,
            now, "行政处罚法第六十条"))  # fmt: skip
    if case.audit_notice:
        served = _day(case.audit_notice["on"])
        begun = _d((case.details.get("investigation") or {}).get("on"))
        found.append(_window(
            "audit_notice_lead", "审计通知书提前送达（最早进场日）", served,
            cal.add_working_days(served, 3), begun, now, "审计法第四十二条"))  # fmt: skip
    return found


def _notice(case: Case, policy: Policy, now: date) -> list[Deadline]:
    if not case.notified:
        return []
    cal = policy.calendar
    notified = _day(case.notified["on"])
    spoke = _after(case.statements, case.notified["seq"])
    if case.procedure == "penalty":
        found = [_window(
            "statement_window", "陈述申辩期", notified,
            cal.add_working_days(notified, policy.periods.statement_window_days), spoke, now,
            "行政处罚法第四十四条、第四十五条；本局规定")]  # fmt: skip
    else:
        found = [_window(
            "auditee_opinion", "被审计单位书面意见期", notified,
            cal.add_working_days(notified, 10), spoke, now, "审计法第四十四条")]  # fmt: skip
    if hearing_eligible(case.notified.get("draft"), case.party.get("type", ""), policy.hearing):
        requested = _d((case.hearing or {}).get("requested_on"))
        found.append(_window(
            "hearing_request", "听证申请期", notified, cal.add_working_days(notified, 5),
            requested, now, "行政处罚法第六十四条；审计机关审计听证规定第五条"))  # fmt: skip
    return found


def _review(case: Case, policy: Policy, now: date) -> list[Deadline]:
    found = []
    submitted = case.review.get("submitted")
    if submitted:
        start = _day(submitted["on"])
        answers = [case.review.get(k) for k in ("opinion", "supplement")]
        done = [_day(a["on"]) for a in answers if a and a["seq"] > submitted["seq"]]
        found.append(_obligation(
            "review_limit", "法制审核期限", start,
            policy.calendar.add_working_days(start, policy.periods.review_limit_days),
            min(done, default=None), now, "本局法制审核工作规则（config）"))  # fmt: skip
    supplement = case.review.get("supplement")
    if supplement:
        resubmitted = None
        if submitted and submitted["seq"] > supplement["seq"]:
            resubmitted = _day(submitted["on"])
        found.append(_obligation(
            "supplement_due", "补充材料期限", _day(supplement["on"]),
            DueDate(_day(supplement["due"])), resubmitted, now, "法制审核工作规则"))  # fmt: skip
    return found


def _publicity(case: Case, policy: Policy, now: date) -> list[Deadline]:
    """事后公示: results published within 7 working days (penalty) or 20 (others), 118号 (六).

    A publication is a case event (issue 7); until one is recorded the obligation stays open
    and, once past due, is alerted on.
    """
    if not case.decision:
        return []
    decided = _day(case.decision["on"])
    published = _d((case.details.get("publication") or {}).get("on"))
    penalty = (
        case.procedure == "penalty"
        and (case.decision.get("draft") or {}).get("outcome") == "penalty"
    )
    days, id_ = (7, "publicity_penalty") if penalty else (20, "publicity_other")
    found = [_obligation(
        id_, "执法决定公示期限", decided, policy.calendar.add_working_days(decided, days),
        published, now, "国办发〔2018〕118号（六）")]  # fmt: skip
    revoked = _d((case.decision.get("revoked") or {}).get("on"))
    if revoked and published:
        # 行政处罚法 Art. 48: a revoked or changed decision's publication is withdrawn in 3 wd
        withdrawn = _d(((case.details.get("publication") or {}).get("withdrawn") or {}).get("on"))
        found.append(_obligation(
            "publicity_withdrawal", "撤回公示期限", revoked,
            policy.calendar.add_working_days(revoked, 3), withdrawn if withdrawn and withdrawn >= revoked else None,
            now, "行政处罚法第四十八条"))  # fmt: skip
    return found


def _after_decision(case: Case, policy: Policy, now: date) -> list[Deadline]:
    cal, found = policy.calendar, []
    decision = case.decision or {}
    if decision:
        decided = _day(decision["on"])
        served = _d((case.service or {}).get("on"))
        found.append(_obligation(
            "service_limit", "决定书送达期限", decided, cal.add_working_days(decided, 7), served,
            now, "行政处罚法第六十一条"))  # fmt: skip
        fine = (decision.get("draft") or {}).get("penalty_kind") in ("fine", "confiscation")
        if served and fine and case.procedure == "penalty":
            paid = _d(case.executions[0]["on"]) if case.executions else None
            found.append(_obligation(
                "payment_due", "缴纳罚款期限", served, cal.add_calendar_days(served, 15), paid,
                now, "行政处罚法第六十七条"))  # fmt: skip
    ended = _d((case.closed or case.withdrawn or {}).get("on"))
    if ended:
        archived = _d((case.archived or {}).get("on"))
        found.append(_obligation(
            "archive_limit", "归档期限", ended,
            cal.add_calendar_days(ended, policy.periods.archive_limit_days), archived, now,
            "本局三项制度实施方案"))  # fmt: skip
    return found


#: Every deadline this module computes; a procedure declares which of them it runs.
DEADLINE_IDS = frozenset({
    "decision_limit", "audit_notice_lead", "statement_window", "auditee_opinion",
    "hearing_request", "review_limit", "supplement_due", "service_limit", "payment_due",
    "archive_limit", "publicity_penalty", "publicity_other", "publicity_withdrawal",
})  # fmt: skip


def case_deadlines(
    case: Case, policy: Policy, today: date | None = None, declared: Iterable[str] | None = None
) -> list[Deadline]:
    """Every deadline that has started for this case, in the order they start.

    `declared` limits them to those the case's procedure declares (states/*.py).
    """
    now = today or date.today()
    sections = (_opening, _notice, _review, _after_decision, _publicity)
    found = [d for section in sections for d in section(case, policy, now)]
    if declared is None:
        return found
    allowed = set(declared)
    return [d for d in found if d.id in allowed]


def alerts(
    cases: Iterable[Case], policy: Policy, today: date, within: int
) -> list[tuple[Case, Deadline, int]]:
    """Open obligations overdue or due within `within` working days, most urgent first.

    Returns (case, deadline, working days left; negative when overdue).
    """
    cal = policy.calendar
    limit = cal.add_working_days(today, within).day
    found = []
    for case in cases:
        for d in case_deadlines(case, policy, today):
            if d.kind != "obligation" or d.done_on is not None or d.due > limit:
                continue
            left = (
                cal.working_days_between(today, d.due)
                if d.due >= today
                else -cal.working_days_between(d.due, today)
            )
            found.append((case, d, left))
    return sorted(found, key=lambda item: (item[1].due, item[0].id))
