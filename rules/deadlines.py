"""Statutory deadlines (期限): one registry, read by the deadlines shown and by the window guards.

domain.md §4. Each period is declared once (`PERIODS`): its id, label, whether it is a
*window* that protects the party's time (陈述申辩期, 听证申请期 …: enforced by a guard) or an
*obligation* that binds the agency (决定期限, 送达期限 …: alerted on), its length and unit, its
legal source, and when it runs (`starts`: from the recorded dates of the case). A procedure
declares which periods it runs (states/); `case_deadlines`, `alerts`, the statistics and every
window guard compute the same due date from the same declaration. Status is judged against
`today`, which the caller supplies (never the clock).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from rules.calendar import DueDate, WorkingCalendar
from rules.drafts import hearing_eligible, imposes_penalty
from rules.model import Case
from rules.payment import (
    PAYMENT_DAYS,
    enforcement_window_start,
    paid_in_full_on,
    payment_due_date,
    service_effective,
)
from rules.policy import Policy

Unit = Literal["working", "calendar", "months", "fixed"]


@dataclass(frozen=True)
class Start:
    """One run of a period: from `on`, ended by `done` (None while it runs)."""

    on: date
    done: date | None = None
    #: for a `fixed` period: the due date itself (a reviewer's due date, an instalment)
    due: date | None = None
    #: tells several runs of one period apart (第2期), shown after the label
    suffix: str = ""
    extra_days: int = 0


@dataclass(frozen=True, kw_only=True)
class Period:
    id: str
    label: str
    kind: Literal["window", "obligation", "bar"]
    unit: Unit
    #: days (or months), or the name of a `Periods` setting in config.yaml
    length: int | str
    source: str
    starts: Callable[[Case, Policy], Iterable[Start]]

    def days(self, policy: Policy) -> int:
        if isinstance(self.length, str):
            return int(getattr(policy.periods, self.length))
        return self.length

    def due(self, start: Start, policy: Policy) -> DueDate:
        cal: WorkingCalendar = policy.calendar
        if self.unit == "fixed":
            assert start.due is not None
            return DueDate(start.due)
        length = self.days(policy) + start.extra_days
        if self.unit == "working":
            return cal.add_working_days(start.on, length)
        if self.unit == "months":
            return cal.add_months(start.on, length)
        return cal.add_calendar_days(start.on, length)


@dataclass(frozen=True)
class Deadline:
    id: str
    label: str
    due: date
    status: str  # open, met, overdue
    provisional: bool
    source: str
    kind: str  # window, obligation or bar
    starts_on: date
    done_on: date | None = None
    warning: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

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


def _d(text: Any) -> date | None:
    return date.fromisoformat(str(text)) if text else None


def _first_after(records: Iterable[dict[str, Any]], seq: int) -> date | None:
    later = [r for r in records if r["seq"] > seq]
    return _d(later[0]["on"]) if later else None


# -- when each period runs ------------------------------------------------------------------
def _opened(case: Case, _p: Policy) -> Iterator[Start]:
    if case.opened_on:
        yield Start(date.fromisoformat(case.opened_on), _d((case.decision or {}).get("on")))


def _audit_notice(case: Case, _p: Policy) -> Iterator[Start]:
    if case.audit_notice:
        begun = _d((case.details.get("investigation") or {}).get("on"))
        yield Start(service_effective(case.audit_notice), begun)


def _notified(case: Case, _p: Policy) -> Iterator[Start]:
    """From the day the party received the notice (公告送达: 30 days after posting)."""
    if case.notified:
        spoke = _first_after(case.statements, case.notified["seq"])
        yield Start(service_effective(case.notified), spoke)


def _hearing_request(case: Case, policy: Policy) -> Iterator[Start]:
    notified = case.notified
    if notified and hearing_eligible(notified.get("draft"), case.party.get("type", ""), policy.hearing):
        hearing = case.hearing or {}  # asked for, or waived in writing: the window has ended
        ended = _d(hearing.get("requested_on")) or _d(hearing.get("waived_on"))
        yield Start(service_effective(notified), ended)


def _hearing_notice(case: Case, _p: Policy) -> Iterator[Start]:
    hearing = case.hearing or {}
    if hearing.get("scheduled_on"):
        yield Start(date.fromisoformat(hearing["scheduled_on"]), _d(hearing.get("hearing_date")))


def _review(case: Case, _p: Policy) -> Iterator[Start]:
    submitted = case.review.get("submitted")
    if submitted:
        answers = [case.review.get(k) for k in ("opinion", "supplement")]
        done = [_d(a["on"]) for a in answers if a and a["seq"] > submitted["seq"]]
        extension = case.review.get("extension")
        extra = int(extension["days"]) if extension and extension["seq"] > submitted["seq"] else 0
        yield Start(date.fromisoformat(submitted["on"]), min((d for d in done if d), default=None),
                    extra_days=extra)  # fmt: skip


def _supplement(case: Case, _p: Policy) -> Iterator[Start]:
    supplement = case.review.get("supplement")
    if supplement:
        submitted = case.review.get("submitted")
        resubmitted = _d(submitted["on"]) if submitted and submitted["seq"] > supplement["seq"] else None
        yield Start(date.fromisoformat(supplement["on"]), resubmitted, due=_d(supplement["due"]))


def _decided(case: Case, _p: Policy) -> Iterator[Start]:
    if case.decision:
        yield Start(date.fromisoformat(case.decision["on"]), _d((case.service or {}).get("on")))


def _payment(case: Case, policy: Policy) -> Iterator[Start]:
    """缴纳罚没款: 15 days from service (行政处罚法 Art. 67), unless 延期/分期 was approved."""
    due_from = payment_due_date(case)
    if due_from is not None and not case.deferral:
        yield Start(due_from, paid_in_full_on(case, policy))


def _instalments(case: Case, policy: Policy) -> Iterator[Start]:
    """Each instalment of an approved 延期/分期 schedule is due on its date (Art. 66 ¶2)."""
    deferral = case.deferral
    if not deferral:
        return
    granted = date.fromisoformat(deferral["on"])
    total = 0.0
    for number, item in enumerate(deferral["schedule"], 1):
        total += float(item["amount"])
        met = _paid_up_to(case, total)
        yield Start(granted, met, due=date.fromisoformat(item["due"]), suffix=f"第{number}期")


def _paid_up_to(case: Case, amount: float) -> date | None:
    paid = 0.0
    for p in case.payments:
        paid += float(p["amount"])
        if paid + 1e-9 >= amount:
            return date.fromisoformat(p["on"])
    return None


def _urged(case: Case, _p: Policy) -> Iterator[Start]:
    for urge in case.urges[-1:]:
        applied = _d(((case.enforcement or {}).get("applied") or {}).get("on"))
        yield Start(service_effective(urge), applied)


def _enforcement(case: Case, policy: Policy) -> Iterator[Start]:
    """行政强制法 Art. 53: apply to the court within 3 months after the remedy periods ran out."""
    start = enforcement_window_start(case, policy)
    if start is not None:
        applied = _d(((case.enforcement or {}).get("applied") or {}).get("on"))
        done = applied or paid_in_full_on(case, policy)
        yield Start(start, done)


def _measures(case: Case, _p: Policy) -> Iterator[Start]:
    """审计法 Art. 49: each 处理措施 is carried out within its days from service."""
    decision = case.decision or {}
    measures = (decision.get("draft") or {}).get("measures") or []
    if not case.service:
        return
    served = service_effective(case.service)
    for number, measure in enumerate(measures, 1):
        done = next((_d(c["on"]) for c in case.compliance if c.get("item") == number), None)
        yield Start(served, done, extra_days=int(measure.get("days") or 0) - 0,
                    suffix=f"第{number}项")  # fmt: skip


def _publicity(penalty: bool) -> Callable[[Case, Policy], Iterator[Start]]:
    """事后公示: 7 working days after a penalty decision, 20 after others (118号（六）)."""

    def starts(case: Case, _p: Policy) -> Iterator[Start]:
        decision = case.decision
        if decision and imposes_penalty(decision.get("draft")) == penalty:
            published = _d((case.details.get("publication") or {}).get("on"))
            yield Start(date.fromisoformat(decision["on"]), published)

    return starts


def _publicity_withdrawal(case: Case, _p: Policy) -> Iterator[Start]:
    """行政处罚法 Art. 48 ¶2: a published decision revoked, changed or annulled: withdraw in 3."""
    revoked = _d(((case.decision or {}).get("revoked") or {}).get("on"))
    publication = case.details.get("publication") or {}
    if revoked and publication:
        withdrawn = _d((publication.get("withdrawn") or {}).get("on"))
        yield Start(revoked, withdrawn if withdrawn and withdrawn >= revoked else None)


def _ended(case: Case, _p: Policy) -> Iterator[Start]:
    ended = _d((case.closed or case.withdrawn or {}).get("on"))
    if ended:
        yield Start(ended, _d((case.archived or {}).get("on")))


def _summary_decided(case: Case, _p: Policy) -> Iterator[Start]:
    """简易程序: the on-the-spot decision, filed with the bureau (Art. 52 ¶3)."""
    if case.decision:
        filed = _d((case.details.get("filed") or {}).get("on"))
        yield Start(date.fromisoformat(case.decision["on"]), filed)


def _cash_step(step: str, follows: str) -> Callable[[Case, Policy], Iterator[Start]]:
    """行政处罚法 Art. 71: money taken on the spot to the bureau in 2 days, to the bank in 2."""

    def starts(case: Case, _p: Policy) -> Iterator[Start]:
        cash = case.details.get("cash") or {}
        begun = cash.get(follows)
        if begun:
            yield Start(date.fromisoformat(begun["on"]), _d((cash.get(step) or {}).get("on")))

    return starts


def _measure_executed(case: Case, _p: Policy) -> Iterator[Start]:
    executed = case.details.get("executed")
    if executed:
        extension = case.details.get("extension") or {}
        yield Start(date.fromisoformat(executed["on"]), _d((case.details.get("released") or {}).get("on")),
                    extra_days=int(extension.get("days") or 0))  # fmt: skip


def _kind_only(kind: str) -> Callable[[Case, Policy], Iterator[Start]]:
    def starts(case: Case, policy: Policy) -> Iterator[Start]:
        if case.details.get("kind") == kind:
            yield from _measure_executed(case, policy)

    return starts


def _limitation(case: Case, policy: Policy) -> Iterator[Start]:
    """时效 (行政处罚法 Art. 36): shown from the violation (or its end) to the bar."""
    details = case.details
    began = _d(details.get("violation_ended_on")) or _d(details.get("violation_on"))
    if began:  # found on the day the case was opened at the latest
        yield Start(began, _d(details.get("discovered_on")) or _d(case.opened_on))


def _limitation_years(case: Case, policy: Policy) -> int:
    power = policy.powers.get(str(case.details.get("power") or ""))
    return power.limitation_years if power else 2


PERIODS: dict[str, Period] = {p.id: p for p in (
    Period(id="decision_limit", label="作出决定期限", kind="obligation", unit="calendar",
           length=90, source="行政处罚法第六十条", starts=_opened),
    Period(id="audit_notice_lead", label="审计通知书提前送达（最早进场日）", kind="window",
           unit="working", length=3, source="审计法第四十二条", starts=_audit_notice),
    Period(id="statement_window", label="陈述申辩期", kind="window", unit="working",
           length="statement_window_days",
           source="行政处罚法第四十四条、第四十五条；本局规定（config: periods.statement_window_days）",
           starts=_notified),
    Period(id="auditee_opinion", label="被审计单位书面意见期", kind="window", unit="working",
           length=10, source="审计法第四十四条；审计法实施条例第三十九条、第五十六条",
           starts=_notified),
    Period(id="hearing_request", label="听证申请期", kind="window", unit="working", length=5,
           source="行政处罚法第六十四条第（一）项、第八十五条", starts=_hearing_request),
    Period(id="hearing_notice_lead", label="听证通知提前期（最早听证日）", kind="window",
           unit="working", length=7, source="行政处罚法第六十四条第（二）项、第八十五条",
           starts=_hearing_notice),
    Period(id="review_limit", label="法制审核期限", kind="obligation", unit="working",
           length="review_limit_days", source="本局法制审核工作规则（config: periods.review_limit_days）",
           starts=_review),
    Period(id="supplement_due", label="补充材料期限", kind="obligation", unit="fixed", length=0,
           source="法制审核工作规则", starts=_supplement),
    Period(id="service_limit", label="决定书送达期限", kind="obligation", unit="working",
           length=7, source="行政处罚法第六十一条", starts=_decided),
    Period(id="payment_due", label="缴纳罚没款期限", kind="obligation", unit="calendar",
           length=PAYMENT_DAYS, source="行政处罚法第六十七条第三款", starts=_payment),
    Period(id="instalment_due", label="延期（分期）缴纳期限", kind="obligation", unit="fixed",
           length=0, source="行政处罚法第六十六条第二款", starts=_instalments),
    Period(id="urge_period", label="催告履行期", kind="window", unit="working", length=10,
           source="行政强制法第五十四条、第六十九条", starts=_urged),
    Period(id="enforcement_window", label="申请人民法院强制执行期限", kind="obligation",
           unit="months", length=3, source="行政强制法第五十三条；行政处罚法第七十二条第二款",
           starts=_enforcement),
    Period(id="measure_due", label="处理措施执行期限", kind="obligation", unit="calendar",
           length=0, source="审计法第四十九条、第五十二条", starts=_measures),
    Period(id="publicity_penalty", label="执法决定公示期限", kind="obligation", unit="working",
           length=7, source="国办发〔2018〕118号（六）", starts=_publicity(True)),
    Period(id="publicity_other", label="执法决定公示期限", kind="obligation", unit="working",
           length=20, source="国办发〔2018〕118号（六）", starts=_publicity(False)),
    Period(id="publicity_withdrawal", label="撤回公示期限", kind="obligation", unit="working",
           length=3, source="行政处罚法第四十八条第二款", starts=_publicity_withdrawal),
    Period(id="archive_limit", label="归档期限", kind="obligation", unit="calendar",
           length="archive_limit_days", source="本局三项制度实施方案", starts=_ended),
    Period(id="summary_filing", label="当场处罚决定备案期限", kind="obligation", unit="working",
           length="summary_filing_days",
           source="行政处罚法第五十二条第三款；本局规定（config: periods.summary_filing_days）",
           starts=_summary_decided),
    Period(id="spot_cash_to_agency", label="当场收缴罚款交至机关期限", kind="obligation",
           unit="working", length=2, source="行政处罚法第七十一条、第八十五条",
           starts=_cash_step("handed", "collected")),
    Period(id="spot_cash_to_bank", label="罚款缴付银行期限", kind="obligation", unit="working",
           length=2, source="行政处罚法第七十一条、第八十五条",
           starts=_cash_step("deposited", "handed")),
    Period(id="registration_decision", label="先行登记保存处理期限", kind="obligation",
           unit="working", length=7, source="行政处罚法第五十六条、第八十五条",
           starts=_kind_only("registration")),
    Period(id="seal_term", label="封存期限", kind="obligation", unit="working", length=7,
           source="审计法实施条例第三十二条、第五十六条", starts=_kind_only("seal")),
)}  # fmt: skip

def register(period: Period) -> Period:
    """Add a period (a procedure defined elsewhere declares it by id)."""
    if period.id in PERIODS:
        raise ValueError(f"period {period.id!r} registered twice")
    PERIODS[period.id] = period
    return period


def _status(period: Period, due: date, done: date | None, today: date) -> str:
    if period.kind == "window":
        return "met" if done is not None or today > due else "open"
    if done is not None:
        return "met" if done <= due else "overdue"
    return "overdue" if today > due else "open"


def deadlines_of(period_id: str, case: Case, policy: Policy, today: date) -> list[Deadline]:
    """Every run of one period for this case, with its due date and status."""
    period = PERIODS[period_id]
    found = []
    for start in period.starts(case, policy):
        due = period.due(start, policy)
        label = f"{period.label}（{start.suffix}）" if start.suffix else period.label
        found.append(Deadline(period.id, label, due.day, _status(period, due.day, start.done, today),
                              due.provisional, period.source, period.kind, start.on, start.done,
                              due.warning()))  # fmt: skip
    return found


def due_of(period_id: str, case: Case, policy: Policy) -> Deadline | None:
    """The latest run of a period, for a window guard (None when it has not started)."""
    runs = deadlines_of(period_id, case, policy, date.min)
    return runs[-1] if runs else None


def case_deadlines(
    case: Case, policy: Policy, declared: Iterable[str], today: date
) -> list[Deadline]:
    """Every deadline that has started for this case among those its procedure declares."""
    found = [d for pid in declared if pid in PERIODS for d in deadlines_of(pid, case, policy, today)]
    return sorted(found, key=lambda d: (d.starts_on, d.due))


def limitation(case: Case, policy: Policy) -> dict[str, Any] | None:
    """时效 (行政处罚法 Art. 36): the last day a violation may be discovered and still punished."""
    runs = list(_limitation(case, policy))
    if not runs:
        return None
    years = _limitation_years(case, policy)
    start = runs[0]
    bar = policy.calendar.add_months(start.on, 12 * years).day
    return {
        "from": start.on.isoformat(),
        "years": years,
        "until": bar.isoformat(),
        "discovered_on": start.done.isoformat() if start.done else None,
        "barred": bool(start.done and start.done > bar),
        "source": "行政处罚法第三十六条",
    }


def case_runs(case: Case, policy: Policy, declared: Iterable[str]) -> list[Deadline]:
    """Every run of the case's periods with its due date, judged as of no day in particular
    (`date.min`): computed once per write, then judged as of a day by `judged` (only the status
    depends on the day)."""
    return case_deadlines(case, policy, declared, date.min)


def judged(runs: Iterable[Deadline], today: date) -> list[Deadline]:
    """The runs with their status as of `today` (as `case_deadlines` on that day gives them)."""
    out = []
    for d in runs:
        status = _status(PERIODS[d.id], d.due, d.done_on, today)
        out.append(d if status == d.status else replace(d, status=status))
    return out


def open_obligations(case: Case, policy: Policy, declared: Iterable[str],
                     runs: list[Deadline] | None = None) -> list[Deadline]:  # fmt: skip
    """The runs of obligations not yet done: what `alerts` looks at. They depend on the case
    and the policy only (never on today), so the store keeps them as rows with each write.
    `runs`: the case's runs (`case_runs`) when already computed."""
    runs = case_runs(case, policy, declared) if runs is None else runs
    return [d for d in runs if d.kind == "obligation" and d.done_on is None]


def basis(policy: Policy) -> str:
    """What a stored due date was computed from (the settings the periods name, the hearing
    thresholds, the working-day calendar): rows computed on another basis are computed again."""
    import hashlib

    cal = policy.calendar
    named = sorted({p.length for p in PERIODS.values() if isinstance(p.length, str)})
    text = repr(([(n, getattr(policy.periods, n)) for n in named], policy.hearing,
                 sorted(cal.extra_holidays), sorted(cal.extra_workdays), sorted(cal.known_years)))  # fmt: skip
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def alert_horizon(policy: Policy, today: date, within: int) -> date:
    """The last due date an alert looks at: `within` working days after today."""
    return policy.calendar.add_working_days(today, within).day


def days_left(policy: Policy, today: date, due: date) -> int:
    """Working days from today to a due date; negative when overdue."""
    cal = policy.calendar
    if due >= today:
        return cal.working_days_between(today, due)
    return -cal.working_days_between(due, today)


def alerted(deadline: Deadline, today: date) -> Deadline:
    """An open obligation as an alert shows it: overdue once today is past its due date."""
    period = PERIODS[deadline.id]
    return replace(deadline, status=_status(period, deadline.due, None, today))


def alerts(
    cases: Iterable[tuple[Case, Iterable[str]]], policy: Policy, today: date, within: int
) -> list[tuple[Case, Deadline, int]]:
    """Open obligations overdue or due within `within` working days, most urgent first.

    `cases` pairs each case with the deadlines its procedure declares (the same filter as
    `case show`). Returns (case, deadline, working days left; negative when overdue). The
    office answers the same question from the stored rows (workflow/deadline_rows.py).
    """
    limit = alert_horizon(policy, today, within)
    found = []
    for case, declared in cases:
        for d in open_obligations(case, policy, declared):
            if d.due <= limit:
                found.append((case, alerted(d, today), days_left(policy, today, d.due)))
    return sorted(found, key=lambda item: (item[1].due, item[0].id))
