"""The shape of a procedure definition (style.md §1): everything that varies by procedure.

A procedure is data. It names its states, actions, guards, roles, notices, deadlines and input
keys; everything the rest of the product needs to know about a procedure is a field here or of
its `ProcedureRules`, so nothing outside states/ names a procedure id. `states.validation`
checks a definition when it loads and reports every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

#: The pseudo-state a case is in before `open`.
NEW = "new"
#: Target meaning "stay in the state the action was fired from".
SAME = "="


@dataclass(frozen=True, kw_only=True)
class Field:
    """One key of an action's input (domain.md §3.3).

    `vocabulary` names the choices of an enum or list key (states/vocabulary.py), so a clerk
    may type the Chinese label or the id. `applies` names a condition on the other keys of
    the same input (rules/conditions.py) under which the key is asked at all: a prompt skips
    it otherwise, and a guard refuses it where the law forbids it. A `derived` key is filled
    by zhifa from the others (e.g. the discretion record): it is shown, never asked.
    """

    name: str
    kind: str  # text, enum, money, date, list, bool, json, int, files
    label: str
    help: str = ""
    required: bool = False
    vocabulary: str | None = None
    applies: str | None = None
    derived: bool = False


@dataclass(frozen=True, kw_only=True)
class State:
    id: str
    label: str
    en: str
    final: bool = False


@dataclass(frozen=True, kw_only=True)
class Issue:
    """A notice an act issues: its kind (rules/notices.py), and when.

    `outcomes`: only when the case's draft has one of these outcomes; `when`: only when the
    named condition (rules/conditions.py) holds for the case as the act finds it.
    """

    kind: str
    outcomes: tuple[str, ...] = ()
    when: str | None = None


@dataclass(frozen=True, kw_only=True)
class Action:
    id: str
    label: str
    en: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    guards: tuple[str, ...] = ()
    notices: tuple[Issue, ...] = ()
    fields: tuple[Field, ...] = ()
    #: (input key, {value: target}) when the target depends on the input, e.g. `resolve`
    branch: tuple[str, Mapping[str, str]] | None = None
    #: done on the spot before the party (当场处罚, 当场收缴, 实施强制措施): it calls for
    #: 音像记录 (118号（八）); on-site evidence, the hearing and service by leaving or by public
    #: notice call for one by their own rules (rules/record.py)
    on_site: bool = False

    def targets(self) -> set[str]:
        if self.branch:
            return set(self.branch[1].values())
        return {self.target}


@dataclass(frozen=True, kw_only=True)
class ProcedureRules:
    """What the shared rules need to know of one procedure, instead of branching on its id."""

    #: outcomes a draft of this procedure may take (states/vocabulary.py Outcome)
    outcomes: tuple[str, ...]
    #: when set, legal review is always required, for this reason (else the triggers decide)
    review_always: str = ""
    #: the act that tells the party the proposed decision, and what a refusal says without it
    notice_action: str = "notify"
    notice_missing: str = "尚未向当事人事先告知拟作出的行政处罚"
    notice_source: str = "行政处罚法第四十四条"
    #: a party need not be told first of a draft that imposes no penalty (Art. 44)
    notice_only_for_penalty: bool = True
    #: 立案审批表: what the opening finds, in the office's words
    filing_finding: str = ""
    #: the kind of decision this procedure makes, as published (公示) and counted (年报)
    public_kind: str = ""
    #: whether a decision is published (事后公示, 118号（六）)
    published: bool = True
    #: the parent procedures a case of this procedure attaches to (行政强制措施 on a case)
    parents: tuple[str, ...] = ()
    #: the 行政强制措施 a case of this procedure may take (states/vocabulary.py MEASURE_KINDS)
    measure_kinds: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Procedure:
    id: str
    #: the letter of its case ids: P-2026-0001
    prefix: str
    label: str
    initial: str
    states: tuple[State, ...]
    actions: tuple[Action, ...]
    rules: ProcedureRules
    #: the deadlines (期限) this procedure runs, by id (rules/deadlines.py declares them)
    deadlines: tuple[str, ...] = ()
    _by_id: dict[str, Action] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id.update({a.id: a for a in self.actions})

    def action(self, action_id: str) -> Action | None:
        return self._by_id.get(action_id)

    def state(self, state_id: str) -> State | None:
        return next((s for s in self.states if s.id == state_id), None)

    def state_label(self, state_id: str) -> str:
        found = self.state(state_id)
        return found.label if found else state_id

    @property
    def finals(self) -> set[str]:
        return {s.id for s in self.states if s.final}

    def public(self) -> dict[str, str]:
        """What this procedure is called in public records and statistics."""
        return {"id": self.id, "label": self.label, "kind": self.rules.public_kind or self.label}
