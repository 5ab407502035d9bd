"""The staff register (人员名录) as a signed history: who held which roles, certificate, unit
and keys on any day.

Each change is an event in the chain `@register` of the events table, signed by an admin
(the first, `register_open`, by the first admin with the key it registers). Its date is the
day the change takes effect; dates never go back, so "the register as of day D" is the
prefix of changes dated on or before D. Guards judge an act by the register as of the act's
date, and `verify` checks each act's signature against the key registered for its actor then.
Pure: no database, no terminal.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.model import ROLES, Person
from workflow.events import Event

REGISTER = "@register"
STATE = "register"
OPEN = "register_open"
#: action -> what it does (Chinese first), for the history and the terminal
ACTIONS = {
    OPEN: "建立人员名录 register opened (first admin)",
    "staff_add": "登记人员 person added",
    "staff_renew": "执法证换发 certificate renewed",
    "staff_role_add": "增加岗位 role added",
    "staff_role_remove": "撤销岗位 role removed",
    "staff_unit": "调整单位 unit changed",
    "staff_deactivate": "停用 deactivated",
    "staff_activate": "恢复 reactivated",
    "staff_key": "登记签名公钥 public key registered",
    "staff_key_revoke": "吊销签名公钥 public key revoked",
}
SOURCE = "电子签名法第十三条；人员名录管理"


class RegisterError(ValueError):
    """A register change that cannot apply; `kind`: bad (input), not_found, refused (the law
    or the register's own rule, e.g. the last admin)."""

    def __init__(self, message: str, kind: str = "bad") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class KeyRecord:
    """A public key registered for a person: valid from its change's date until replaced."""

    id: str
    public_key: str
    since: str
    until: str | None = None
    revoked: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Entry:
    person: Person
    keys: tuple[KeyRecord, ...] = ()
    since: str = ""

    def current_keys(self) -> tuple[KeyRecord, ...]:
        return tuple(k for k in self.keys if k.until is None)


@dataclass(frozen=True)
class RegisterState:
    """The register after some prefix of its changes."""

    people: Mapping[str, Entry] = field(default_factory=dict)
    seq: int = 0
    last_hash: str = ""
    last_on: str = ""

    def staff(self) -> dict[str, Person]:
        return {name: e.person for name, e in self.people.items()}

    def admins(self) -> list[str]:
        return [n for n, e in self.people.items()
                if "admin" in e.person.roles and e.person.active and e.current_keys()]  # fmt: skip


def _person(data: Mapping[str, Any]) -> Person:
    until = data.get("cert_valid_until")
    return Person(
        name=str(data["person"]),
        roles=tuple(data.get("roles") or ()),
        cert_no=data.get("cert_no"),
        cert_category=data.get("cert_category"),
        cert_valid_until=date.fromisoformat(until) if until else None,
        legal_qualified=bool(data.get("legal_qualified")),
        unit=data.get("unit"),
    )


def _check_roles(roles: Iterable[str]) -> None:
    unknown = [r for r in roles if r not in ROLES]
    if unknown or not roles:
        raise RegisterError(f"未知岗位 unknown role(s) {', '.join(unknown) or '(none given)'}; "
                            f"known: {', '.join(ROLES)}")  # fmt: skip


def _with_key(entry: Entry, public_key: str, on: str) -> Entry:
    from workflow.keys import key_id

    kid = key_id(public_key)
    if any(k.id == kid for k in entry.keys):
        raise RegisterError(f"{entry.person.name} 的此公钥已登记过 this key was registered before "
                            "(a key is never registered twice)")  # fmt: skip
    ended = tuple(k if k.until else dataclasses.replace(k, until=on) for k in entry.keys)
    return dataclasses.replace(entry, keys=(*ended, KeyRecord(kid, public_key, on)))


def _renew(entry: Entry, data: Mapping[str, Any], on: str) -> Entry:
    p = entry.person
    until = date.fromisoformat(data["cert_valid_until"])
    category = data.get("cert_category") or p.cert_category
    return dataclasses.replace(entry, person=dataclasses.replace(
        p, cert_no=data["cert_no"], cert_category=category, cert_valid_until=until))  # fmt: skip


def _role_add(entry: Entry, data: Mapping[str, Any], on: str) -> Entry:
    p = entry.person
    _check_roles([data["role"]])
    if data["role"] in p.roles:
        raise RegisterError(f"{p.name} 已有岗位 already holds the role {data['role']}")
    return dataclasses.replace(entry, person=dataclasses.replace(p, roles=(*p.roles, data["role"])))


def _role_remove(entry: Entry, data: Mapping[str, Any], on: str) -> Entry:
    p = entry.person
    if data["role"] not in p.roles:
        raise RegisterError(f"{p.name} 没有岗位 does not hold the role {data['role']}")
    if len(p.roles) == 1:
        raise RegisterError(f"{p.name} 至少保留一个岗位 keeps at least one role (deactivate instead)")
    roles = tuple(r for r in p.roles if r != data["role"])
    return dataclasses.replace(entry, person=dataclasses.replace(p, roles=roles))


def _unit(entry: Entry, data: Mapping[str, Any], on: str) -> Entry:
    return dataclasses.replace(entry, person=dataclasses.replace(entry.person, unit=data.get("unit") or None))


def _activity(active: bool) -> Any:
    def change(entry: Entry, data: Mapping[str, Any], on: str) -> Entry:
        p = entry.person
        if p.active == active:
            raise RegisterError(f"{p.name} 已是{'在岗' if active else '停用'} is already "
                                f"{'active' if active else 'inactive'}")  # fmt: skip
        return dataclasses.replace(entry, person=dataclasses.replace(p, active=active))

    return change


def _key(entry: Entry, data: Mapping[str, Any], on: str) -> Entry:
    return _with_key(entry, data["public_key"], on)


def _revoke(entry: Entry, data: Mapping[str, Any], on: str) -> Entry:
    keys = tuple(k if k.until else dataclasses.replace(k, until=on, revoked=True)
                 for k in entry.keys)  # fmt: skip
    return dataclasses.replace(entry, keys=keys)


#: each change to an existing person: (entry, data, date) -> the entry after it
CHANGES = {
    "staff_renew": _renew, "staff_role_add": _role_add, "staff_role_remove": _role_remove,
    "staff_unit": _unit, "staff_deactivate": _activity(False), "staff_activate": _activity(True),
    "staff_key": _key, "staff_key_revoke": _revoke,
}  # fmt: skip


def _changed(entry: Entry, action: str, data: Mapping[str, Any], on: str) -> Entry:
    """The entry after one change to an existing person."""
    change = CHANGES.get(action)
    if change is None:
        raise RegisterError(f"未知的名录变更 unknown register change {action!r}")
    result: Entry = change(entry, data, on)
    return result


def apply_change(state: RegisterState, e: Event) -> RegisterState:
    """The register after event `e`; RegisterError if it cannot apply."""
    data = e.data
    name = data.get("person")
    if not isinstance(name, str) or not name.strip():
        raise RegisterError("名录变更缺少人员 a register change names no person")
    people = dict(state.people)
    if e.action in (OPEN, "staff_add"):
        if state.seq and e.action == OPEN:
            raise RegisterError("人员名录已建立 the register is already open")
        if name in people:
            raise RegisterError(f"{name} 已在人员名录中 is already in the register")
        person = _person(data)
        _check_roles(person.roles)
        entry = Entry(person, since=e.occurred_on)
        if data.get("public_key"):
            entry = _with_key(entry, data["public_key"], e.occurred_on)
        people[name] = entry
    elif name not in people:
        raise RegisterError(f"人员名录中没有 {name} is not in the register", "not_found")
    else:
        people[name] = _changed(people[name], e.action, data, e.occurred_on)
    after = RegisterState(people, e.seq, e.hash, e.occurred_on)
    if state.admins() and not after.admins():
        raise RegisterError("不能移除最后一名在岗管理员 the last active admin (with a key) cannot be "
                            "removed, deactivated or left without a key", "refused")  # fmt: skip
    return after


def _admin_may_sign(state: RegisterState, e: Event) -> str | None:
    """Why `e`'s actor may not change the register as it stood before `e`, or None."""
    if e.action == OPEN:
        return None if e.actor == e.data.get("person") else "the register is opened by its first admin"
    entry = state.people.get(e.actor)
    if entry is None or "admin" not in entry.person.roles or not entry.person.active:
        return f"{e.actor} 不是在岗的管理员 is not an active admin"
    return None


class RegisterHistory:
    """Every change of the register, and its state after each: as of a day, or before a change."""

    def __init__(self, events: Iterable[Event]) -> None:
        self.events: list[Event] = []
        self.states: list[RegisterState] = [RegisterState()]
        #: (seq, problem) for changes that cannot apply or were made by a non-admin
        self.problems: list[tuple[int, str]] = []
        self._dates: list[str] = []
        for e in events:
            self.add(e)

    def add(self, e: Event) -> RegisterState:
        state = self.states[-1]
        why = _admin_may_sign(state, e)
        if e.occurred_on < state.last_on:
            why = f"dated {e.occurred_on}, before the previous change ({state.last_on})"
        try:
            after = apply_change(state, e)
        except (RegisterError, KeyError, TypeError, ValueError) as exc:
            why, after = str(exc), dataclasses.replace(state, seq=e.seq, last_hash=e.hash)
        if why:
            self.problems.append((e.seq, why))
        self.events.append(e)
        self.states.append(after)
        self._dates.append(max(e.occurred_on, state.last_on))
        return after

    @property
    def current(self) -> RegisterState:
        return self.states[-1]

    def as_of(self, day: date | str) -> RegisterState:
        """The register as it stood on `day` (its changes dated that day included)."""
        text = day if isinstance(day, str) else day.isoformat()
        return self.states[bisect.bisect_right(self._dates, text)]

    def before(self, index: int) -> RegisterState:
        """The register before its `index`-th change (0-based)."""
        return self.states[index]

    def signer_key(self, index: int) -> tuple[str | None, set[str]]:
        """Who signed change `index` and the key ids they could sign it with."""
        e = self.events[index]
        if e.action == OPEN:
            after = self.states[index + 1].people.get(e.actor)
            return e.actor, {k.id for k in after.current_keys()} if after else set()
        entry = self.states[index].people.get(e.actor)
        return e.actor, {k.id for k in entry.current_keys()} if entry else set()

    def person_history(self, name: str) -> list[Event]:
        return [e for e in self.events if e.data.get("person") == name or e.actor == name]
