"""Who may record an act, and with which key: the signer, the register as of the act's date
and of today, and the bound on back-dating.

* The actor is the holder of the key that signs (电子签名法 Arts. 13–14): a name chooses which
  of the caller's keys to use, and the act is refused when the caller holds no key registered
  for that person (a typed name is never enough).
* An act is recorded only by someone in post today; an officer's act only with a 执法证 valid
  on the act's date (the guards) and today (行政处罚法 Art. 42): an expired officer cannot
  back-date into the certificate's validity.
* An act dated more than `periods.backdate_working_days` working days before today (本局规定,
  default 5) needs a head's approval, recorded and signed by the head in the office chain
  `@approvals` (`zhifa backdate approve`); the act records which approval it relies on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rules.calendar import WorkingCalendar
from rules.model import Reason
from workflow.errors import RefusedError
from workflow.events import Event
from workflow.keys import Signer, SigningKey
from workflow.register import RegisterState

APPROVALS = "@approvals"
APPROVE = "approve_backdate"
SIGN_SOURCE = "电子签名法第十三条"
BACKDATE_SOURCE = "本局规定（config: periods.backdate_working_days）；国办发〔2018〕118号（八）"


def refuse(action: str, reasons: list[Reason], case_id: str | None = None) -> RefusedError:
    return RefusedError(case_id, action, "-", reasons)


def signing_key(signer: Signer | None, state: RegisterState, name: str) -> SigningKey | None:
    """The caller's private key registered for `name` in `state` (not revoked), if held."""
    entry = state.people.get(name)
    if entry is None or signer is None:
        return None
    for record in entry.current_keys():
        key = signer.signing_key(record.id)
        if key is not None:
            return key
    return None


def no_key(name: str, on: date) -> Reason:
    return Reason("no_key", f"本机没有 {name} 在 {on.isoformat()} 已登记的签名密钥，不能以其名义办理"
                  f"（no key registered for {name} is held here: the actor is the holder of the "
                  "key that signs; `zhifa key init`, then an admin registers it）", SIGN_SOURCE)  # fmt: skip


def working_days_back(calendar: WorkingCalendar, day: date, today: date, limit: int) -> int:
    """Working days from `day` to `today` (day not counted), counted up to limit + 1 only."""
    count, current = 0, day
    while current < today and count <= limit:
        current += timedelta(days=1)
        if calendar.is_working_day(current):
            count += 1
    return count


@dataclass(frozen=True)
class Recording:
    """An act about to be recorded: who, as whom, on which day, and today."""

    name: str
    role: str | None
    on: date
    today: date
    case_id: str
    action: str


def today_reasons(now: RegisterState, act: Recording) -> list[Reason]:
    """In post today, and an officer's certificate valid today (行政处罚法 Art. 42)."""
    entry = now.people.get(act.name)
    if entry is None or not entry.person.active:
        return [Reason("not_in_post_today", f"{act.name} 今天不是在岗人员，不能办理或补录",
                       "人员名录管理")]  # fmt: skip
    if act.role == "officer" and not entry.person.certificate_valid_on(act.today):
        return [Reason("certificate_invalid_today",
                       f"{act.name} 今天（{act.today.isoformat()}）没有有效的行政执法证件，不能办理，"
                       "也不能把行为补录到证件有效期内", "行政处罚法第四十二条")]  # fmt: skip
    return []


def approval_for(approvals: list[Event], act: Recording) -> Event | None:
    """The head's approval recorded for exactly this act (case, action, date, person)."""
    wanted = {"case": act.case_id, "action": act.action, "on": act.on.isoformat(),
              "person": act.name}  # fmt: skip
    for e in reversed(approvals):
        if e.action == APPROVE and all(e.data.get(k) == v for k, v in wanted.items()):
            return e
    return None


def backdating(
    calendar: WorkingCalendar, limit: int, approvals: Callable[[], list[Event]], act: Recording
) -> tuple[list[Reason], dict[str, Any]]:
    """(reasons, what to attach to the act): the approval an act dated too far back needs
    (the approvals are read only then)."""
    # no more working days than calendar days: within the bound without counting them
    if (act.today - act.on).days <= limit:
        return [], {}
    if working_days_back(calendar, act.on, act.today, limit) <= limit:
        return [], {}
    found = approval_for(approvals(), act)
    if found is not None:
        return [], {"backdate_approval": {"seq": found.seq, "hash": found.hash, "by": found.actor}}
    return [Reason("backdate_needs_approval",
                   f"办理日期 {act.on.isoformat()} 早于今天超过 {limit} 个工作日，须负责人批准补录"
                   f"（a head approves with `zhifa backdate approve {act.case_id or 'new'} "
                   f"{act.action} --on {act.on.isoformat()} --for {act.name}`）", BACKDATE_SOURCE)], {}  # fmt: skip


def approval_data(act: Recording, reason: str) -> Mapping[str, Any]:
    return {"case": act.case_id, "action": act.action, "on": act.on.isoformat(),
            "person": act.name, "reason": reason}  # fmt: skip
