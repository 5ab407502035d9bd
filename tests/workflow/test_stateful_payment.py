"""The stage after the decision under fuzzing: payments, 延期/分期, 复议/诉讼, 催告, the court, 回避
before it, closing — random acts, lawful or not, on a served penalty (¥120,000 fine, served
Thu 2 Apr 2026, due 17 Apr), on both stores.

Invariants, each re-checked from the recorded history alone, never through the engine:
* 结案 never with money owed, unless the court was asked (行政处罚法 Arts. 66, 72);
* the 加处罚款 never exceeds the fine, never negative (Art. 72 ¶1(一));
* a 催告 only after the due date; the court only after a 催告 served 10 working days before,
  after the 6-month period to sue ran out, with no remedy pending, within 3 months
  (行政强制法 Arts. 53, 54, 69);
* the stored case equals its replay, and the chain verifies.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from rules.calendar import WorkingCalendar
from rules.model import Case
from rules.payment import account
from tests.conftest import TODAY, PgSchema, make_office, run_steps
from workflow.errors import BadInputError, RefusedError
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office

CAL = WorkingCalendar()
FINE = Decimal("120000")
SERVED, DUE = date(2026, 4, 2), date(2026, 4, 17)
SUE_UNTIL = date(2026, 10, 8)  # 6 months after service (2 Oct), 国庆 → the next working day
SERVE = {"method": "direct", "recipient": "张经理"}
#: the days that matter: the due date and the day after, 劳动节, the end of the time to sue
#: (8 Oct), the 催告's 10 working days, today — acts land on them in any order
WHEN = st.sampled_from([date(2026, 4, 10), date(2026, 4, 17), date(2026, 4, 18), date(2026, 4, 27),
                        date(2026, 5, 13), date(2026, 5, 14), date(2026, 6, 30), date(2026, 9, 30),
                        date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 23), TODAY])  # fmt: skip


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _remedy_open(case: Case, on: date) -> bool:
    open_: dict[str, bool] = {}
    for r in case.remedies:
        if _day(r["on"]) <= on:
            open_[r["kind"]] = r["stage"] == "filed"
    return any(open_.values())


def court_violations(case: Case) -> list[str]:
    """The court application checked against 行政强制法 Arts. 53, 54, 69 from recorded dates."""
    applied = (case.enforcement or {}).get("applied")
    if not applied:
        return []
    on, bad = _day(applied["on"]), []
    urged = [_day(u["on"]) for u in case.urges if _day(u["on"]) <= on]
    if not urged or on <= CAL.add_working_days(max(urged), 10).day:
        bad.append("court before the 催告 had run 10 working days")
    if _remedy_open(case, on):
        bad.append("court while a remedy was pending")
    if not case.remedies and not case.deferral and not SUE_UNTIL < on:
        bad.append("court before the time to sue ran out")
    return bad


class AfterTheDecision(RuleBasedStateMachine):
    url_kind = "sqlite"

    def __init__(self) -> None:
        super().__init__()
        self.files = Path(tempfile.mkdtemp())
        self.office: Office = make_office(self.make_url(), files=self.files / "store")
        self.case_id = ""

    def make_url(self) -> str:
        self.folder = tempfile.mkdtemp()
        return f"sqlite:///{Path(self.folder) / 'fuzz.db'}"

    def teardown(self) -> None:
        self.office.store.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)
        shutil.rmtree(self.files, ignore_errors=True)

    @initialize()
    def a_served_decision(self) -> None:
        self.case_id = run_steps(self.office, PENALTY_WITH_HEARING, until="record_payment").id

    def _act(self, action: str, actor: str, on: date, data: dict[str, Any]) -> None:
        case = self.office.case(self.case_id)
        before = (case.to_dict(), len(self.office.history(self.case_id)))
        try:
            self.office.do(self.case_id, action, actor, data, on)
        except (RefusedError, BadInputError):
            after = self.office.case(self.case_id)
            assert (after.to_dict(), len(self.office.history(self.case_id))) == before

    @rule(amount=st.sampled_from(["1000", "50000", "70000", "120000", "130000", "244000"]),
          channel=st.sampled_from(["bank", "electronic", "on_the_spot"]),
          on=WHEN)  # fmt: skip
    def pay(self, amount: str, channel: str, on: date) -> None:
        self._act("record_payment", "王明", on, {"amount": amount, "channel": channel,
                                                 "receipt": "No.1"})  # fmt: skip

    @rule(on=WHEN, split=st.sampled_from([1, 2, 3]), first=st.integers(5, 200),
          rare=st.integers(0, 9))  # fmt: skip
    def defer(self, on: date, split: int, first: int, rare: int) -> None:
        if rare > 1:
            return
        case = self.office.case(self.case_id)
        owed = account(case, self.office.policy, on).outstanding
        part = (owed / split).quantize(Decimal("0.01"))
        schedule = [{"due": (on + timedelta(days=first + 30 * i)).isoformat(),
                     "amount": str(part if i < split - 1 else owed - part * (split - 1))}
                    for i in range(split)]  # fmt: skip
        self._act("grant_deferral", "赵刚", on, {"application": "经济困难", "approval": "同意",
                                                 "schedule": schedule})  # fmt: skip

    @rule(kind=st.sampled_from(["reconsideration", "litigation"]),
          stage=st.sampled_from(["filed", "concluded"]),
          result=st.sampled_from(["upheld", "dismissed", "revoked"]), on=WHEN,
          rare=st.integers(0, 9))  # fmt: skip
    def remedy(self, kind: str, stage: str, result: str, on: date, rare: int) -> None:
        if rare > 2:
            return
        data = {"kind": kind, "stage": stage, "organ": "铁锋区人民政府"}
        if stage == "concluded":
            data["result"] = result
        self._act("record_remedy", "王明", on, data)

    @rule(on=WHEN)
    def urge(self, on: date) -> None:
        self._act("urge", "王明", on, SERVE)

    @rule(on=WHEN)
    def apply_to_the_court(self, on: date) -> None:
        self._act("apply_enforcement", "赵刚", on, {"court": "铁锋区人民法院"})

    @rule(ruling=st.sampled_from(["granted", "refused"]), on=WHEN)
    def court_ruling(self, ruling: str, on: date) -> None:
        self._act("record_court_ruling", "王明", on, {"ruling": ruling, "reference": "（2026）1号"})

    @rule(on=WHEN)
    def close(self, on: date) -> None:
        self._act("close", "赵刚", on, {})

    @rule(kind=st.sampled_from(["revoked", "changed"]), on=WHEN,
          rare=st.integers(0, 9))  # fmt: skip
    def revoke(self, kind: str, on: date, rare: int) -> None:
        if rare == 0:  # rare: a revoked decision ends the money story
            self._act("revoke_decision", "赵刚", on, {"kind": kind, "reason": "复议决定"})

    @invariant()
    def never_closed_with_money_owed_unless_the_court_was_asked(self) -> None:
        if not self.case_id:
            return
        case = self.office.case(self.case_id)
        if case.closed and not case.enforcement:
            revoked = ((case.decision or {}).get("revoked") or {}).get("kind") == "revoked"
            paid = sum((Decimal(p["amount"]) for p in case.payments), Decimal(0))
            assert revoked or paid >= FINE

    @invariant()
    def the_surcharge_never_exceeds_the_fine(self) -> None:
        if not self.case_id:
            return
        case = self.office.case(self.case_id)
        for day in (DUE, date(2026, 6, 1), TODAY):
            owed = account(case, self.office.policy, day)
            assert Decimal(0) <= owed.surcharge <= FINE

    @invariant()
    def urge_and_court_keep_their_windows(self) -> None:
        if not self.case_id:
            return
        case = self.office.case(self.case_id)
        assert all(_day(u["on"]) > DUE or case.deferral for u in case.urges)
        assert court_violations(case) == []

    @invariant()
    def replay_equals_store_and_chain_verifies(self) -> None:
        if not self.case_id:
            return
        assert self.office.replay(self.case_id).to_dict() == self.office.case(self.case_id).to_dict()
        assert self.office.verify(self.case_id) == []


class AfterTheDecisionOnPostgres(AfterTheDecision):
    pg_base = ""

    def make_url(self) -> str:
        self.schema = PgSchema(self.pg_base)
        return self.schema.url

    def teardown(self) -> None:
        self.office.store.dispose()
        self.schema.drop()
        shutil.rmtree(self.files, ignore_errors=True)


FUZZ = settings(stateful_step_count=30, max_examples=min(settings.default.max_examples, 60))


def test_after_the_decision_on_sqlite() -> None:
    run_state_machine_as_test(AfterTheDecision, settings=FUZZ)


def test_after_the_decision_on_postgres(pg_base: str) -> None:
    AfterTheDecisionOnPostgres.pg_base = pg_base
    run_state_machine_as_test(AfterTheDecisionOnPostgres, settings=FUZZ)
