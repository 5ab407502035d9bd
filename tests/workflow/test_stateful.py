"""The law under fuzzing: random clerks' acts, legal or not, on both procedures and both stores.

Invariants checked after every step (style.md §8):
* a refused act changed nothing and appended nothing;
* no case reaches a decision without a passed review of the exact decided draft where review
  is required;
* no act got through outside its time window (re-checked from the recorded dates);
* the stored case equals its replay, and the chain verifies.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import event as event_note
from hypothesis import settings, target
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from rules.calendar import WorkingCalendar
from rules.drafts import hearing_eligible
from rules.model import Case
from rules.payment import account, fine
from rules.policy import Policy
from rules.review import review_grounds
from states.audit import AUDIT
from states.measure import MEASURE
from states.penalty import PENALTY
from states.summary import SUMMARY
from tests.conftest import TODAY, PgSchema, make_office
from workflow.errors import BadInputError, NotFoundError, RefusedError
from workflow.events import Event
from workflow.projection import apply
from workflow.scenarios import (
    ALL_PASS,
    AUDIT_WITH_SUPPLEMENT,
    PENALTY_WITH_HEARING,
    SEAL_ON_THE_AUDIT,
    STAFF,
    SUMMARY_ON_THE_SPOT,
)
from workflow.service import Office

CAL = WorkingCalendar()
POLICY = Policy()


def progress(case: Case) -> int:
    """How far along the backbone a case got: guides the search deeper (hypothesis.target)."""
    return sum(map(bool, (
        case.state != "initiation", case.evidence, case.draft, case.notified,
        case.review.get("submitted"), case.review.get("approved_hash"), case.decision,
        case.service, case.closed, case.archived and case.closed,
    )))  # fmt: skip


NAMES = [p.name for p in STAFF] + ["陌生人"]
TEXT = st.sampled_from(["记录", "当事人陈述", "", "  "])
EVIDENCE = ["documentary", "physical", "witness", "electronic", "rumour"]
FAIL_ONE = {**ALL_PASS, "facts_evidence": {"result": "fail", "comment": "证据不足"}}


def _draft(audit: bool) -> st.SearchStrategy[dict[str, Any]]:
    outcomes = ["penalty", "penalty", "measures_only", "refer"] if audit else [
        "penalty", "penalty", "no_penalty_minor", "refer"]  # fmt: skip
    base: dict[str, st.SearchStrategy[Any]] = {
        "outcome": st.sampled_from(outcomes),
        "penalty_kinds": st.sampled_from([["fine"], ["warning"], ["warning", "fine"],
                                          ["licence_revocation"]]),  # fmt: skip
        "amount": st.sampled_from(["5000", "20000", "150000"]),
        "facts": st.just("事实"),
        "basis": st.just("依据"),
        "triggers": st.sampled_from([[], [], ["complex"]]),
        "power": st.sampled_from(["SJ-CF-001", "SJ-CF-003"]),
    }
    if audit:
        base["audit_subject"] = st.sampled_from(["fiscal", "financial"])
        base["measures"] = st.sampled_from([[], [{"kind": "pay_in", "amount": "1000", "days": 10}]])
    return st.fixed_dictionaries(base, optional={
        "refer_to": st.just("铁锋区公安分局"), "ground": st.just("art33_minor"),
        "education": st.just("已教育"), "licence": st.just("许可证"),
    })  # fmt: skip


def _lawful(scenario: Any) -> dict[str, dict[str, Any]]:
    """The data a careful clerk gives each action (the demo's own), by action."""
    found: dict[str, dict[str, Any]] = {}
    for step in scenario.steps:
        if step.action in ("schedule_hearing", "request_supplement"):
            continue  # their dates are relative to the act: drawn fresh
        found[step.action] = dict(step.data)
    return found


LAWFUL_DATA = {PENALTY.id: _lawful(PENALTY_WITH_HEARING), AUDIT.id: _lawful(AUDIT_WITH_SUPPLEMENT),
               SUMMARY.id: _lawful(SUMMARY_ON_THE_SPOT), MEASURE.id: _lawful(SEAL_ON_THE_AUDIT)}

#: acts allowed almost everywhere that would crowd out the path to a decision
RARELY = frozenset({"request_recusal", "decide_recusal", "record_av", "assign", "extend_review"})

AFTER_DECISION: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "record_payment": st.fixed_dictionaries({
        "amount": st.sampled_from(["1000", "5000", "20000", "150000", "999999"]),
        "channel": st.sampled_from(["bank", "electronic", "on_the_spot"]),
        "receipt": st.just("No.1")}),
    "grant_deferral": st.fixed_dictionaries({
        "application": st.just("经济困难"), "approval": st.just("同意"),
        "schedule": st.sampled_from([[{"due": "2026-12-31", "amount": "5000"}],
                                     [{"due": "2026-10-31", "amount": "10000"},
                                      {"due": "2026-11-20", "amount": "10000"}]])}),
    "record_remedy": st.fixed_dictionaries({
        "kind": st.sampled_from(["reconsideration", "litigation", "ruling"]),
        "stage": st.sampled_from(["filed", "concluded"]), "organ": st.just("铁锋区人民政府")},
        optional={"result": st.sampled_from(["upheld", "revoked", "withdrawn"])}),
    "apply_enforcement": st.just({"court": "铁锋区人民法院"}),
    "record_court_ruling": st.fixed_dictionaries({
        "ruling": st.sampled_from(["granted", "refused"]), "reference": st.just("（2026）行审1号")}),
    "record_compliance": st.fixed_dictionaries({
        "item": st.integers(0, 2), "text": st.just("已执行")}, optional={"reported": st.booleans()}),
    "request_recusal": st.fixed_dictionaries({
        "person": st.sampled_from(["王明", "李华", "陈静", "周平"]),
        "by": st.sampled_from(["party", "self"]), "grounds": st.just("亲属关系")}),
    "decide_recusal": st.fixed_dictionaries({
        "person": st.sampled_from(["王明", "李华", "陈静", "周平"]),
        "result": st.sampled_from(["granted", "refused"]), "reason": st.just("经审查")},
        optional={"replacement": st.sampled_from(["王明", "李华", "孙丽"])}),
    "extend_review": st.fixed_dictionaries({"days": st.integers(0, 7), "reason": st.just("复杂")}),
    "audit_report": st.just({"text": "审计报告"}),
    "decide_on_spot": st.fixed_dictionaries({
        "penalty_kinds": st.sampled_from([["fine"], ["warning"], ["licence_suspension"]]),
        "amount": st.sampled_from(["50", "100", "200", "3000", "5000"]),
        "facts": st.just("事实"), "basis": st.just("依据"), "rights_told": st.booleans(),
        "statement": st.sampled_from(["无异议", ""]), "time": st.just("上午10时")}),
    "collect_on_spot": st.fixed_dictionaries({
        "amount": st.sampled_from(["50", "100", "200"]),
        "ground": st.sampled_from(["small", "hard_to_enforce", "remote"]), "receipt": st.just("No.1")}),
    "hand_to_agency": st.fixed_dictionaries({"amount": st.sampled_from(["50", "100", "200"])}),
    "deposit_to_bank": st.fixed_dictionaries({"amount": st.sampled_from(["50", "100", "200"])}),
    "file_with_agency": st.just({}),
    "approve_measure": st.just({"text": "同意"}),
    "execute_measure": st.fixed_dictionaries({
        "present": st.booleans(), "rights_told": st.booleans(), "statement": st.just("无异议"),
        "record": st.just("笔录")},
        optional={"witness": st.just("刘某"), "recipient": st.just("财政局")}),
    "extend_measure": st.fixed_dictionaries({"days": st.integers(0, 9), "reason": st.just("未完")}),
    "release_measure": st.fixed_dictionaries({
        "disposal": st.sampled_from(["return", "confiscate", "release"]), "reason": st.just("已取证")}),
    "close": st.sampled_from([{}, {"text": "结案"}]),
}  # fmt: skip


def action_data(action: str, on: date, audit: bool = False) -> st.SearchStrategy[dict[str, Any]]:
    """Plausible input for an action, sometimes wrong in the ways clerks get it wrong."""
    person = st.sampled_from(NAMES)
    method = st.sampled_from(["direct", "post", "electronic", "left_at_address", "public_notice"])
    table: dict[str, st.SearchStrategy[dict[str, Any]]] = {
        "assign": st.one_of(
            st.just({"person": "李华", "role": "officer"}),
            st.fixed_dictionaries(
                {
                    "person": person,
                    "role": st.sampled_from(["officer", "reviewer", "hearing_officer"]),
                }
            ),
        ),
        "investigate": st.sampled_from([{}, {"special_approval": "负责人批准即时进场"}]),
        "add_evidence": st.fixed_dictionaries(
            {"type": st.sampled_from(EVIDENCE), "title": st.just("证据")}
        ),
        "draft_decision": _draft(audit),
        "schedule_hearing": st.fixed_dictionaries(
            {
                "hearing_officer": person,
                "place": st.just("会议室"),
                "clerk": st.just("孙丽"),
                "hearing_date": st.integers(0, 20).map(
                    lambda d: (on + timedelta(days=d)).isoformat()
                ),
            }
        ),
        "conclude_hearing": st.fixed_dictionaries(
            {"ending": st.sampled_from(["held", "held", "absent", "left"]), "transcript": TEXT}
        ),
        "submit_review": st.just({"materials": ["报告"]}),
        "request_supplement": st.just(
            {"items": ["明细"], "due": (on + timedelta(days=5)).isoformat()}
        ),
        "approve_review": st.fixed_dictionaries(
            {"checklist": st.sampled_from([ALL_PASS, FAIL_ONE]), "opinion": st.just("意见")}
        ),
        "reject_review": st.fixed_dictionaries(
            {"checklist": st.sampled_from([ALL_PASS, FAIL_ONE]), "opinion": st.just("意见")}
        ),
        "escalate": st.just({"reason": "不同意审核意见"}),
        "resolve": st.fixed_dictionaries(
            {
                "outcome": st.sampled_from(["rereview", "return"]),
                "reason": st.just("协调"),
                "reviewer": st.sampled_from(["陈静", "孙丽"]),
            }
        ),
        "decide": st.sampled_from(
            [
                {},
                {"collective_discussion": "集体讨论"},
                {"collective_discussion": "集体讨论", "statement_response": "不予采纳，理由如下"},
            ]
        ),
        "withdraw": st.just({"reason": "违法事实不能成立"}),
        "archive": st.just({}),
        "record_av": st.fixed_dictionaries({"for_seq": st.integers(1, 15)}),
        "publish": st.just({}),
        "withdraw_publication": st.just({"reason": "决定被撤销"}),
        "revoke_decision": st.fixed_dictionaries(
            {"kind": st.sampled_from(["revoked", "changed"]), "reason": st.just("行政复议决定")}
        ),
    }
    if action in AFTER_DECISION:
        return AFTER_DECISION[action]
    if action in ("notify", "solicit_opinion", "serve", "serve_audit_notice", "urge"):
        return st.fixed_dictionaries(
            {"method": method, "recipient": st.just("当事人")},
            optional={"witness": st.just("社区工作人员刘某")},
        )
    if action in ("record_statement", "waive", "request_hearing", "record_execution",
                  "waive_hearing"):  # fmt: skip
        return st.fixed_dictionaries({"text": TEXT})
    return table.get(action, st.just({}))


def _wd(start: date, n: int) -> date:
    return CAL.add_working_days(start, n).day


def _received(record: dict[str, Any]) -> date:
    """民事诉讼法 Art. 95: a notice posted publicly counts as served 30 days later."""
    posted = date.fromisoformat(record["on"])
    return posted + timedelta(days=30) if record.get("method") == "public_notice" else posted


def _spoke(case: Case) -> bool:
    return bool(case.notified) and any(s["seq"] > case.notified["seq"] for s in case.statements)  # type: ignore[index]


def _hearing_request_late(case: Case, e: Event) -> bool:
    return bool(case.notified) and e.occurred_on > _wd(_received(case.notified), 5).isoformat()  # type: ignore[arg-type]


def _hearing_too_soon(case: Case, e: Event) -> bool:
    return bool(e.data["hearing_date"] < _wd(date.fromisoformat(e.occurred_on), 7).isoformat())


def _fieldwork_too_early(case: Case, e: Event) -> bool:
    if case.procedure != AUDIT.id or e.data.get("special_approval"):
        return False
    notice = case.audit_notice
    return notice is None or e.occurred_on < _wd(_received(notice), 3).isoformat()


def _statement_cut_off(case: Case, e: Event) -> bool:
    if case.procedure == AUDIT.id and case.notified is None:
        return True
    if not case.notified or _spoke(case):
        return False
    window = 10 if case.procedure == AUDIT.id else 3
    return e.occurred_on <= _wd(_received(case.notified), window).isoformat()


def _hearing_cut_off(case: Case, e: Event) -> bool:
    """行政处罚法 Art. 64(一): while the 5 working days run, no review or decision unless the
    party waived the hearing in writing or the hearing it asked for has ended."""
    notified = case.notified
    if not notified or not hearing_eligible(notified["draft"], "unit", POLICY.hearing):
        return False
    hearing = case.hearing or {}
    if hearing.get("waived_on") or hearing.get("concluded_on"):
        return False
    if hearing.get("requested_on"):
        return True  # requested and not ended
    return e.occurred_on <= _wd(_received(notified), 5).isoformat()


def _reviewed_too_early(case: Case, e: Event) -> bool:
    return _statement_cut_off(case, e) or _hearing_cut_off(case, e)


def _decided_too_early(case: Case, e: Event) -> bool:
    return (case.procedure == PENALTY.id and _statement_cut_off(case, e)) or _hearing_cut_off(case, e)


WINDOW_CHECKS = {
    "request_hearing": _hearing_request_late,
    "schedule_hearing": _hearing_too_soon,
    "investigate": _fieldwork_too_early,
    "submit_review": _reviewed_too_early,
    "decide": _decided_too_early,
}


def window_violations(case_id: str, procedure: str, events: list[Event]) -> list[str]:
    """Re-check every recorded act against its time window, from the recorded dates alone."""
    bad: list[str] = []
    case = Case(id=case_id, procedure=procedure)
    for e in events:
        if (case.last_on and e.occurred_on < case.last_on) or e.occurred_on > TODAY.isoformat():
            bad.append(f"{e.seq} date out of order")
        check = WINDOW_CHECKS.get(e.action)
        if check and check(case, e):
            bad.append(f"{e.seq} {e.action} outside its window")
        apply(case, e)
    return bad


def _owed_at_close(case: Case) -> Decimal:
    """罚没款 the decision ordered less what was paid, counted independently of the engine."""
    draft = (case.decision or {}).get("draft") or {}
    if (case.decision or {}).get("revoked", {}).get("kind") in ("revoked", "confirmed_void"):
        return Decimal(0)
    kinds = draft.get("penalty_kinds") or []
    owed = sum((Decimal(str(draft.get(key) or 0)) for kind, key in
                (("fine", "amount"), ("confiscation", "confiscation")) if kind in kinds), Decimal(0))  # fmt: skip
    return owed - sum((Decimal(p["amount"]) for p in case.payments), Decimal(0))


class ClerksAtWork(RuleBasedStateMachine):
    url_kind = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.files = Path(tempfile.mkdtemp())
        self.office: Office = make_office(self.make_url(), files=self.files / "store")
        self.video = self.files / "video.mp4"
        self.video.write_bytes(b"video" * 100)
        self.cases: list[str] = []
        self.depth = 0

    def make_url(self) -> str:
        self.folder = tempfile.mkdtemp()
        return f"sqlite:///{Path(self.folder) / 'fuzz.db'}"

    def teardown(self) -> None:
        target(float(self.depth), label="deepest state reached")
        self.office.store.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.files, ignore_errors=True)

    def _snapshot(self) -> dict[str, Any]:
        return {
            cid: (self.office.case(cid).to_dict(), len(self.office.history(cid)))
            for cid in self.cases
        }

    @precondition(lambda self: len(self.cases) < 3)
    @rule(
        procedure=st.sampled_from([PENALTY.id, AUDIT.id, PENALTY.id, AUDIT.id, SUMMARY.id,
                                   MEASURE.id]),
        actor=st.one_of(st.sampled_from(["王明", "李华"]), st.sampled_from(NAMES)),
        start=st.integers(0, 200),
        good=st.booleans(),
        kind=st.sampled_from(["seal", "registration", "suspend_payment"]),
    )  # fmt: skip
    def open_case(self, procedure: str, actor: str, start: int, good: bool, kind: str) -> None:
        data = {"title": "案", "party": "某公司", "party_type": "unit", "source": "线索",
                "party_id": "91230200MA1B2C3D4E", "party_address": "铁锋区工业路88号",
                "violation": "违规使用资金", "violation_on": f"2025-{len(self.cases) + 9:02d}-01",
                "discovered_on": "2026-01-04"}  # fmt: skip
        data["power"] = "SJ-CF-001" if procedure == AUDIT.id else "SJ-CF-003"
        if procedure == AUDIT.id:
            data.update(scope="财政收支", period="2025年度")
        if procedure in (SUMMARY.id, MEASURE.id):
            scenario = SUMMARY_ON_THE_SPOT if procedure == SUMMARY.id else SEAL_ON_THE_AUDIT
            data = dict(scenario.steps[0].data)
            if procedure == MEASURE.id:  # in a case of this office, or in none
                data.update(kind=kind, parent=self.cases[0] if self.cases else "A-2026-0001",
                            stop_order="责令停止，仍继续")  # fmt: skip
        if not good:
            data["party_type"] = "robot"
        try:
            _, case = self.office.open_case(
                procedure, actor, data, date(2026, 1, 5) + timedelta(days=start)
            )
        except (RefusedError, BadInputError):
            return
        self.cases.append(case.id)

    @precondition(lambda self: bool(self.cases))
    @rule(data=st.data())
    def act(self, data: st.DataObject) -> None:
        case_id = data.draw(st.sampled_from(self.cases))
        case = self.office.case(case_id)
        proc = self.office.engine.procedure(case.procedure)
        from_here = [a.id for a in proc.actions if case.state in a.sources]
        if "withdraw" in from_here and data.draw(st.integers(0, 9)) < 8:
            from_here.remove("withdraw")  # keep most runs going deeper than a withdrawal
        if data.draw(st.integers(0, 9)) < 8:  # and most past the acts allowed almost anywhere
            from_here = [a for a in from_here if a not in RARELY] or from_here
        pool = (
            from_here
            if from_here and data.draw(st.integers(0, 9)) < 9
            else [a.id for a in proc.actions]
        )
        action = data.draw(st.sampled_from(pool))
        spec = proc.action(action)
        assert spec is not None
        staff = self.office.staff()
        fitting = [n for n in NAMES[:-1] if set(staff[n].roles) & set(spec.roles)]
        if "officer" in spec.roles:
            fitting = case.assigned("officer") or fitting
        if action == "conclude_hearing" and case.hearing:
            fitting = [case.hearing.get("hearing_officer") or "周平"]
        likely = fitting and data.draw(st.integers(0, 9)) < 8
        actor = data.draw(st.sampled_from(fitting if likely else NAMES))
        last = date.fromisoformat(case.last_on)
        on = last + timedelta(days=data.draw(st.sampled_from([-1, 0, 1, 2, 3, 5, 8, 12])))
        audit = case.procedure == AUDIT.id
        payload = data.draw(action_data(action, on, audit)) if action != "open" else {}
        self._fire(case, action, actor, on, payload)

    @precondition(lambda self: bool(self.cases))
    @rule(data=st.data())
    def act_as_allowed(self, data: st.DataObject) -> None:
        """Pick an action the engine lists as allowed (before input), to get deep into cases."""
        case_id = data.draw(st.sampled_from(self.cases))
        case = self.office.case(case_id)
        on = date.fromisoformat(case.last_on) + timedelta(
            days=data.draw(st.sampled_from([0, 1, 3, 6, 11]))
        )
        on = min(on, TODAY)
        done = Counter(e.action for e in self.office.history(case_id))
        options = [
            (name, v.action)
            for name in NAMES[:-1]
            for v in self.office.actions(case_id, name, on)
            if v.allowed and v.action not in ("withdraw", "escalate") and done[v.action] < 2
            and not (v.action in RARELY and done[v.action])
        ]
        if not options:
            return
        actor, action = data.draw(st.sampled_from(sorted(options)))
        audit = case.procedure == AUDIT.id
        lawful = LAWFUL_DATA[case.procedure].get(action)
        if lawful is not None and data.draw(st.integers(0, 9)) < 7:  # mostly as a clerk would
            payload = dict(lawful)
        else:
            payload = data.draw(action_data(action, on, audit))
        self._fire(case, action, actor, on, payload)

    def _fire(self, case: Case, action: str, actor: str, on: date, payload: dict[str, Any]) -> None:
        before = self._snapshot()
        try:
            if action == "record_av":  # a video, stored and attached to the act it records
                paths = [str(self.video)]
                event, after = self.office.act_with_files(
                    case.id, action, actor, paths, payload, on
                )
            elif action == "publish":  # the content is the masked record the office computes
                event, after = self.office.publish(case.id, actor, on)
            else:
                event, after = self.office.do(case.id, action, actor, payload, on)
        except (RefusedError, BadInputError, NotFoundError) as exc:
            assert self._snapshot() == before, "a refused act changed something"
            # an act the law allows always yields its notice: the guards ask for every field
            codes = {getattr(r, "code", None) for r in getattr(exc, "reasons", [])}
            assert "notice_incomplete" not in codes, str(getattr(exc, "reasons", exc))  # noqa: PT017
            return
        assert event.seq == case.version + 1
        assert after.version == event.seq
        event_note(f"recorded {action}")  # `pytest --hypothesis-show-statistics` counts them
        self.depth = max(self.depth, progress(after))

    @invariant()
    def no_decision_without_review_of_the_decided_draft(self) -> None:
        for cid in self.cases:
            case = self.office.case(cid)
            proc = self.office.engine.procedure(case.procedure)
            if case.decision and review_grounds(case, self.office.policy, proc):
                assert case.decision["reviewed_hash"] == case.decision["draft_hash"], cid

    @invariant()
    def never_closed_with_money_owed_unless_the_court_was_asked(self) -> None:
        """行政处罚法 Arts. 66, 72; 行政强制法 Art. 53: 结案 when paid in full or enforced."""
        for cid in self.cases:
            case = self.office.case(cid)
            if case.closed and not (case.enforcement or {}).get("applied"):
                assert _owed_at_close(case) <= 0, cid

    @invariant()
    def the_surcharge_never_exceeds_the_fine(self) -> None:
        """行政处罚法 Art. 72 ¶1(一): 加处罚款的数额不得超出罚款的数额."""
        for cid in self.cases:
            case = self.office.case(cid)
            if case.decision:
                owed = account(case, self.office.policy, TODAY)
                assert owed.surcharge <= fine(case.decision.get("draft") or {}), cid
                assert owed.surcharge >= 0

    @invariant()
    def no_act_outside_its_window(self) -> None:
        for cid in self.cases:
            case = self.office.case(cid)
            assert window_violations(cid, case.procedure, self.office.history(cid)) == []

    @invariant()
    def replay_equals_store_and_chain_verifies(self) -> None:
        for cid in self.cases:
            assert self.office.replay(cid).to_dict() == self.office.case(cid).to_dict()
        assert self.office.verify() == []


class ClerksAtWorkOnPostgres(ClerksAtWork):
    """The same rules against the PostgreSQL store: a fresh schema per example."""

    pg_base = ""

    def make_url(self) -> str:
        self.schema = PgSchema(self.pg_base)
        return self.schema.url

    def teardown(self) -> None:
        target(float(self.depth), label="deepest state reached")
        self.office.store.dispose()
        self.schema.drop()
        shutil.rmtree(self.files, ignore_errors=True)


# Each example is a fresh office; CI's profile gives 100 of 60 steps per store (dev: 25).
FUZZ = settings(stateful_step_count=60, max_examples=min(settings.default.max_examples, 100))


def test_clerks_on_sqlite() -> None:
    run_state_machine_as_test(ClerksAtWork, settings=FUZZ)


def test_clerks_on_postgres(pg_base: str) -> None:
    ClerksAtWorkOnPostgres.pg_base = pg_base
    run_state_machine_as_test(ClerksAtWorkOnPostgres, settings=FUZZ)
