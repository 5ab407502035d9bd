"""The staff register (人员名录) as a signed history, managed by admins (domain.md §2), and the
heads' approvals of back-dated acts.

Every change — add, certificate renewal, role added or removed, unit, deactivation and
reactivation, a public key registered or revoked — is an event of the chain `@register`
signed by an active admin (workflow/register.py); the staff table is its projection. Removing,
deactivating or leaving without a key the last active admin is refused.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from rules.model import Person, Reason
from workflow.errors import BadInputError, NotFoundError, RefusedError
from workflow.events import Event, genesis_hash, make_event
from workflow.keys import normal_public
from workflow.office import OfficeCore
from workflow.register import (
    ACTIONS,
    OPEN,
    REGISTER,
    STATE,
    RegisterError,
    RegisterState,
    apply_change,
)
from workflow.signing import (
    APPROVALS,
    APPROVE,
    Recording,
    approval_data,
    no_key,
    signing_key,
)

ADMIN_SOURCE = "人员名录管理；电子签名法第十三条"


def _keys_json(state: RegisterState, name: str) -> str:
    return json.dumps([k.as_dict() for k in state.people[name].keys], ensure_ascii=False)


class StaffDesk(OfficeCore):
    """Opening the register, changing it, reading it; approving back-dated acts."""

    # -- the register -------------------------------------------------------------------------
    def open_register(self, admin: str, on: date | None = None, unit: str | None = None) -> Event:
        """建立人员名录: bind the first admin, with the newest key the caller holds for them."""
        history = self.register_history()
        if history.events:
            raise BadInputError("人员名录已建立 the register is already open")
        held = self.signer.keys(admin) if self.signer else []
        if not held:
            raise RefusedError(None, OPEN, "-", [no_key(admin, on or self.clock())])
        key = self.signer.signing_key(held[0].id) if self.signer else None
        assert key is not None
        data = {"person": admin, "roles": ["admin"], "public_key": held[0].public_key, "unit": unit}
        return self._record(history.current, admin, OPEN, data, on or self.clock(), key)

    def change_register(
        self, actor_name: str | None, action: str, data: dict[str, Any], on: date | None = None
    ) -> Event:
        """One register change, signed by an active admin, effective on `on` (default today)."""
        if action not in ACTIONS or action == OPEN:
            raise BadInputError(f"unknown register change {action!r}")
        state = self.register_history().current
        day = on or self.clock()
        if day > self.clock():
            raise BadInputError(f"变更日期 {day.isoformat()} 晚于今天 is in the future")
        if state.last_on and day.isoformat() < state.last_on:
            raise BadInputError(f"变更日期 {day.isoformat()} 早于名录上一次变更（{state.last_on}）: "
                                "the register's changes never go back in time")  # fmt: skip
        if not actor_name:
            raise RefusedError(None, action, "-", [
                Reason("no_actor", "未指明办理人：使用 --as NAME 或设置 ZHIFA_USER", ADMIN_SOURCE)])  # fmt: skip
        entry = state.people.get(actor_name)
        if entry is None or "admin" not in entry.person.roles or not entry.person.active:
            raise RefusedError(None, action, "-", [
                Reason("not_admin", f"{actor_name} 不是在岗的管理员，不能管理人员名录", ADMIN_SOURCE)])  # fmt: skip
        key = signing_key(self.signer, state, actor_name)
        if key is None:
            raise RefusedError(None, action, "-", [no_key(actor_name, day)])
        return self._record(state, actor_name, action, data, day, key)

    def _record(
        self, state: RegisterState, actor: str, action: str, data: dict[str, Any], day: date,
        key: Any,
    ) -> Event:  # fmt: skip
        data = {k: v for k, v in data.items() if v is not None}
        if "public_key" in data:
            data["public_key"] = normal_public(str(data["public_key"]))
        event = make_event(
            case_id=REGISTER, seq=state.seq + 1, action=action, from_state=STATE, to_state=STATE,
            actor=actor, role="admin", occurred_on=day.isoformat(), data=data, documents=[],
            prev_hash=state.last_hash or genesis_hash(REGISTER),
        ).signed_by(key)
        try:
            after = apply_change(state, event)
        except RegisterError as exc:
            if exc.kind == "refused":
                raise RefusedError(None, action, "-", [
                    Reason("last_admin", str(exc), ADMIN_SOURCE)]) from None  # fmt: skip
            if exc.kind == "not_found":
                raise NotFoundError(str(exc)) from None
            raise BadInputError(str(exc)) from None
        name = str(data["person"])
        return self.store.record_register(event, [after.people[name].person],
                                          {name: _keys_json(after, name)})  # fmt: skip

    def add_staff(
        self, actor_name: str | None, person: Person, public_key: str | None = None,
        on: date | None = None,
    ) -> Person:  # fmt: skip
        """Register a person (an admin's signed act), with their public key if given."""
        if not person.name.strip():
            raise BadInputError("a person needs a name")
        data = {"person": person.name, "roles": list(person.roles), "cert_no": person.cert_no,
                "cert_category": person.cert_category,
                "cert_valid_until": person.cert_valid_until.isoformat() if person.cert_valid_until else None,
                "legal_qualified": person.legal_qualified or None, "unit": person.unit,
                "public_key": public_key}  # fmt: skip
        self.change_register(actor_name, "staff_add", data, on)
        return self.staff()[person.name]

    def set_active(
        self, actor_name: str | None, name: str, active: bool, on: date | None = None
    ) -> None:
        self.change_register(actor_name, "staff_activate" if active else "staff_deactivate",
                             {"person": name}, on)  # fmt: skip

    def trust_root(self) -> dict[str, str] | None:
        """Who opened the staff register, with which key: every signature in the office and in
        its archive bundles rests on it (`archive verify --trust-key`)."""
        first = next(iter(self.store.chain(REGISTER)), None)
        return {"admin": first.actor, "key": first.sig_key} if first is not None else None

    def staff(self) -> dict[str, Person]:
        """The register as it stands (the staff table, its projection)."""
        return self.store.staff()

    def staff_report(self) -> dict[str, Any]:
        """The register with the reviewer share against the 5% floor (118号（十一）)."""
        from rules.review import reviewer_share

        state = self.register_history().current
        staff = state.staff()
        people = [{**p.as_dict(), "keys": [k.as_dict() for k in state.people[n].current_keys()]}
                  for n, p in staff.items()]  # fmt: skip
        return {"staff": people, "reviewer_share": reviewer_share(staff.values())}

    def staff_history(self, name: str | None = None) -> list[dict[str, Any]]:
        """The register's changes (a person's, if named), each with who signed it."""
        history = self.register_history()
        if name is not None and name not in history.current.people:
            raise NotFoundError(f"{name!r} is not in the staff register")
        events = history.person_history(name) if name else history.events
        return [{"seq": e.seq, "on": e.occurred_on, "action": e.action, "label": ACTIONS.get(e.action, e.action),
                 "by": e.actor, "data": e.data, "recorded_at": e.recorded_at,
                 "signature": {"alg": e.sig_alg, "key": e.sig_key}} for e in events]  # fmt: skip

    # -- back-dating approvals ------------------------------------------------------------------
    def approve_backdate(
        self, head: str | None, case_id: str, action: str, on: date, person: str, reason: str
    ) -> Event:
        """负责人批准补录: a head's signed approval of one back-dated act (case, action, date,
        person), recorded in the office chain `@approvals` (workflow/signing.py)."""
        today = self.clock()
        state = self.register_history().as_of(today)
        entry = state.people.get(head or "")
        if entry is None or "head" not in entry.person.roles or not entry.person.active:
            raise RefusedError(case_id or None, APPROVE, "-", [
                Reason("not_head", f"{head} 不是在岗的负责人，不能批准补录", "本局规定")])  # fmt: skip
        if on >= today:
            raise BadInputError(f"--on {on.isoformat()}: 只有早于今天的行为需要批准补录 only a past date")
        if case_id:
            self.store.load_case(case_id)
        if not reason.strip():
            raise BadInputError("批准补录须说明理由 a reason is required")
        key = signing_key(self.signer, state, entry.person.name)
        if key is None:
            raise RefusedError(case_id or None, APPROVE, "-", [no_key(entry.person.name, today)])
        chain = self.store.chain(APPROVALS)
        rec = Recording(person, None, on, today, case_id, action)
        event = make_event(
            case_id=APPROVALS, seq=len(chain) + 1, action=APPROVE, from_state="approvals",
            to_state="approvals", actor=entry.person.name, role="head",
            occurred_on=today.isoformat(), data=dict(approval_data(rec, reason)), documents=[],
            prev_hash=chain[-1].hash if chain else genesis_hash(APPROVALS),
        ).signed_by(key)
        return self.store.append_chain(event)

