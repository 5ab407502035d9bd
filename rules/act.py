"""What a guard sees: one proposed act on one case, and the registry of named guards.

A guard is a pure function `Act -> list[Reason]`; an empty list means it holds. Guards are
referenced from procedure definitions by their registered name (style.md §1, §6).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.model import Case, Person, Reason
from rules.policy import Policy
from states.definition import Procedure

GuardFn = Callable[["Act"], list[Reason]]


@dataclass(frozen=True)
class Act:
    """A proposed act: who, in which role, what, with which input, on which date.

    `proc` is the case's procedure definition: what varies by procedure is read from it,
    never from its id.
    """

    proc: Procedure
    action: str
    case: Case
    actor: Person
    role: str | None
    on: date
    today: date
    #: the clerk's input; None when only asking "what may I do now?" (input not yet given)
    data: Mapping[str, Any] | None = None
    staff: Mapping[str, Person] = field(default_factory=dict)
    policy: Policy = field(default_factory=Policy)
    #: how many legal reviews the actor has written before (any case)
    prior_reviews: int = 0
    #: the roles the procedure permits for this action
    permitted: tuple[str, ...] = ()
    #: fines decided on the same party for the same violation in other cases (Art. 29):
    #: (case id, decision number)
    prior_fines: tuple[tuple[str, str], ...] = ()
    #: the case a 行政强制措施 is asked for in: {id, procedure, ended, measure_kinds}
    parent: Mapping[str, Any] | None = None
    #: the cases attached to this one (its 行政强制措施): {id, procedure, label, in_force}
    attached: tuple[Mapping[str, Any], ...] = ()

    @property
    def input(self) -> Mapping[str, Any]:
        return self.data or {}


@dataclass(frozen=True)
class Guard:
    name: str
    fn: GuardFn
    #: judged on the act's input; skipped when listing actions before input is given
    needs_data: bool


GUARDS: dict[str, Guard] = {}


def guard(name: str, *, needs_data: bool = False) -> Callable[[GuardFn], GuardFn]:
    """Register a guard under a stable name."""

    def register(fn: GuardFn) -> GuardFn:
        if name in GUARDS:
            raise ValueError(f"guard {name!r} registered twice")
        GUARDS[name] = Guard(name, fn, needs_data)
        return fn

    return register
