"""Named conditions a definition may refer to: when a notice is issued (`Issue.when`) and when
an input key applies at all (`Field.applies`). Registered by name, like guards (style.md §6).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rules.model import Case
from rules.policy import Policy
from states.vocabulary import Outcome


@dataclass(frozen=True)
class Situation:
    """The case as the act finds it, the office's policy, and the input given so far."""

    case: Case
    policy: Policy
    data: Mapping[str, Any] = field(default_factory=dict)


Condition = Callable[[Situation], bool]
CONDITIONS: dict[str, Condition] = {}


def condition(name: str) -> Callable[[Condition], Condition]:
    def register(fn: Condition) -> Condition:
        if name in CONDITIONS:
            raise ValueError(f"condition {name!r} registered twice")
        CONDITIONS[name] = fn
        return fn

    return register


def holds(name: str, situation: Situation) -> bool:
    return CONDITIONS[name](situation)


@condition("hearing_eligible")
def _hearing_eligible(s: Situation) -> bool:
    """The draft the party is told of gives the right to a hearing (行政处罚法 Art. 63)."""
    from rules.drafts import hearing_eligible

    return hearing_eligible(s.case.draft, s.case.party.get("type", ""), s.policy.hearing)


def _kinds(s: Situation) -> set[str]:
    raw = s.data.get("penalty_kinds") or []
    return set(raw if isinstance(raw, list) else [raw])


@condition("outcome_is_penalty")
def _outcome_penalty(s: Situation) -> bool:
    return s.data.get("outcome") == Outcome.PENALTY


@condition("outcome_is_no_penalty")
def _outcome_no_penalty(s: Situation) -> bool:
    return s.data.get("outcome") == Outcome.NO_PENALTY


@condition("outcome_is_refer")
def _outcome_refer(s: Situation) -> bool:
    return s.data.get("outcome") == Outcome.REFER


def _kinds_include(*wanted: str) -> Condition:
    def check(s: Situation) -> bool:
        return _outcome_penalty(s) and bool(_kinds(s) & set(wanted))

    return check


for _name, _wanted in {
    "kinds_include_fine": ("fine",),
    "kinds_include_confiscation": ("confiscation",),
    "kinds_include_property": ("confiscation_property",),
    "kinds_include_licence": ("licence_suspension", "licence_revocation",
                              "qualification_downgrade"),
    "kinds_include_restriction": ("business_restriction", "suspension", "closure",
                                  "practice_restriction"),
}.items():  # fmt: skip
    condition(_name)(_kinds_include(*_wanted))


@condition("method_is_electronic")
def _electronic(s: Situation) -> bool:
    return s.data.get("method") == "electronic"


@condition("method_is_left_at_address")
def _left(s: Situation) -> bool:
    return s.data.get("method") == "left_at_address"


@condition("resolve_is_rereview")
def _rereview(s: Situation) -> bool:
    return s.data.get("outcome") == "rereview"


@condition("remedy_concluded")
def _remedy_concluded(s: Situation) -> bool:
    return s.data.get("stage") == "concluded"


@condition("recusal_granted")
def _recusal_granted(s: Situation) -> bool:
    return s.data.get("result") == "granted"


def _measure_is(*kinds: str) -> Condition:
    def check(s: Situation) -> bool:
        return s.case.details.get("kind") in kinds

    return check


for _measure, _which in {
    "measure_is_registration": ("registration",),
    "measure_is_seal": ("seal",),
    "measure_is_suspension": ("suspend_payment",),
    "measure_is_not_seal": ("registration", "suspend_payment"),
}.items():  # fmt: skip
    condition(_measure)(_measure_is(*_which))
