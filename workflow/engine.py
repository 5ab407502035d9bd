"""The pure engine: evaluate an act against every guard, and turn an allowed act into an event.

"What may I do now?" (`available`) and the refusal of `fire` are one evaluation, so the
checklist a clerk sees is exactly what the engine enforces (style.md §2).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.act import Act
from rules.drafts import hearing_eligible
from rules.model import Case, Person, Reason
from rules.notices import NOTICE_LABELS, issued
from rules.policy import Policy
from rules.registry import GUARDS
from states.definition import NEW, Action, Procedure
from workflow.errors import RefusedError
from workflow.events import Event, genesis_hash, make_event
from workflow.inputs import normalise
from workflow.machine import ProcedureMachine, load_machines
from workflow.names import action_in, procedure_in, unknown_action, unknown_procedure
from workflow.projection import apply

#: Renders an act's notices: (kinds, case after the act, the act's event without documents,
#: hearing-eligible) -> the documents to record in the event.
Issue = Callable[[list[str], Case, Event, bool], list[dict[str, Any]]]

#: Guards every action is judged by, before its own.
UNIVERSAL_GUARDS = ("case_not_archived", "actor_permitted", "occurred_on_valid")


@dataclass(frozen=True)
class Verdict:
    action: str
    allowed: bool
    reasons: list[Reason] = field(default_factory=list)
    role: str | None = None
    label: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "label": self.label,
            "allowed": self.allowed,
            "role": self.role,
            "reasons": [r.as_dict() for r in self.reasons],
        }


@dataclass(frozen=True)
class Context:
    """What the engine needs besides the case: who may act, the law's settings, today."""

    staff: Mapping[str, Person]
    policy: Policy
    today: date
    prior_reviews: int = 0
    #: fines decided for the same party and violation in other cases (行政处罚法 Art. 29)
    prior_fines: tuple[tuple[str, str], ...] = ()
    #: the case a 行政强制措施 is asked for in, and the measures attached to this case
    parent: Mapping[str, Any] | None = None
    attached: tuple[Mapping[str, Any], ...] = ()


class Engine:
    def __init__(self, machines: Mapping[str, ProcedureMachine] | None = None) -> None:
        self.machines = dict(machines) if machines is not None else load_machines()

    def procedure(self, procedure_id: str) -> Procedure:
        """A procedure by id, or by its Chinese label (行政处罚（一般程序）, 行政处罚)."""
        found = self.machines.get(procedure_id)
        if found is not None:
            return found.procedure
        procs = [m.procedure for m in self.machines.values()]
        named = procedure_in(procs, procedure_id)
        if named is None:
            raise unknown_procedure(procedure_id, procs)
        return named

    def action(self, procedure_id: str, action_id: str) -> Action:
        """An action of a procedure by id, or by its Chinese label (放弃陈述申辩)."""
        proc = self.procedure(procedure_id)
        found = action_in(proc, action_id)
        if found is None:
            raise unknown_action(action_id, proc.actions, f"（{proc.label} {proc.id}）")
        return found

    def find_action(self, action_id: str, procedure_id: str | None = None) -> Action:
        """An action by id or label, in the given procedure or the first that declares it."""
        if procedure_id is not None:
            return self.action(procedure_id, action_id)
        for machine in self.machines.values():
            found = action_in(machine.procedure, action_id)
            if found is not None:
                return found
        known = {a.id: a for m in self.machines.values() for a in m.procedure.actions}
        raise unknown_action(action_id, known.values())

    @staticmethod
    def role_for(action: Action, actor: Person) -> str | None:
        return next((r for r in actor.roles if r in action.roles), None)

    def evaluate(
        self,
        case: Case,
        action_id: str,
        actor: Person,
        on: date,
        ctx: Context,
        data: Mapping[str, Any] | None = None,
    ) -> Verdict:
        """Judge one act by its state, its actor's role and every guard; all reasons at once."""
        proc = self.procedure(case.procedure)
        action = self.action(case.procedure, action_id)
        action_id = action.id  # a label resolved: the id is what is judged and recorded
        role = self.role_for(action, actor)
        reasons: list[Reason] = []
        if action_id not in self.machines[case.procedure].allowed_from(case.state):
            where = "、".join(
                proc.state_label(s) if s != "new" else "未立案" for s in action.sources
            )
            reasons.append(
                Reason(
                    "wrong_state",
                    f"案件处于「{proc.state_label(case.state)}」，不能{action.label}（须在：{where}）",
                    "执法流程图",
                )
            )
        act = Act(
            proc=proc,
            action=action_id,
            case=case,
            actor=actor,
            role=role,
            on=on,
            today=ctx.today,
            data=data,
            staff=ctx.staff,
            policy=ctx.policy,
            prior_reviews=ctx.prior_reviews,
            permitted=action.roles,
            prior_fines=ctx.prior_fines,
            parent=ctx.parent,
            attached=ctx.attached,
        )
        for name in (*UNIVERSAL_GUARDS, *action.guards):
            guard = GUARDS[name]
            if guard.needs_data and data is None:
                continue
            reasons.extend(guard.fn(act))
        return Verdict(action_id, not reasons, reasons, role, action.label)

    def available(self, case: Case, actor: Person, on: date, ctx: Context) -> list[Verdict]:
        """Every action of the procedure, allowed or not, judged before any input is given."""
        proc = self.procedure(case.procedure)
        return [self.evaluate(case, a.id, actor, on, ctx) for a in proc.actions]

    def fire(
        self,
        case: Case,
        action_id: str,
        actor: Person,
        on: date,
        ctx: Context,
        raw_data: Mapping[str, Any],
        recorded_at: str | None = None,
        in_place: bool = False,
        issue: Issue | None = None,
        attach: Mapping[str, Any] | None = None,
    ) -> tuple[Event, Case]:
        """Judge the act; if allowed, return its event and the case after it.

        The given case is left untouched unless `in_place` (the caller owns a fresh copy).
        `issue` renders the act's notices (numbers, text, hashes) into the event; without it
        the event only names the notices (the pure engine, as in benchmarks). `attach` is
        recorded with the act's data as given, after judging (a head's back-dating approval).
        """
        action = self.action(case.procedure, action_id)
        action_id = action.id
        if case.archived:  # read-only: say so before judging any input
            refused = self.evaluate(case, action_id, actor, on, ctx)
            raise RefusedError(case.id, action_id, case.state, refused.reasons)
        data = normalise(action, raw_data)
        verdict = self.evaluate(case, action_id, actor, on, ctx, data)
        if not verdict.allowed or verdict.role is None:
            raise RefusedError(case.id or None, action_id, case.state, verdict.reasons)
        target = self.machines[case.procedure].target(action_id, case.state, data)
        if NEW in action.sources:
            # the history names its procedure: replay and verify never guess it from the id
            data = {**data, "procedure": case.procedure}
        if attach:
            data = {**data, **attach}
        eligible = hearing_eligible(case.draft, case.party.get("type", ""), ctx.policy.hearing)
        kinds = issued(action, case, ctx.policy)
        fields: dict[str, Any] = {
            "case_id": case.id, "seq": case.version + 1, "action": action_id,
            "from_state": case.state, "to_state": target, "actor": actor.name,
            "role": verdict.role, "occurred_on": on.isoformat(), "data": data,
            "prev_hash": case.last_hash or genesis_hash(case.id),
        }  # fmt: skip
        if kinds and issue is not None:
            # the notices are rendered from the case as the act leaves it, then recorded in it
            stub = make_event(**fields, documents=[], recorded_at=recorded_at)
            documents = issue(kinds, apply(copy.deepcopy(case), stub), stub, eligible)
            event = make_event(**fields, documents=documents, recorded_at=stub.recorded_at)
        else:
            named = [{"kind": k, "title": NOTICE_LABELS[k]} for k in kinds]
            event = make_event(**fields, documents=named, recorded_at=recorded_at)
        return event, apply(case if in_place else copy.deepcopy(case), event)
