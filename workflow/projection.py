"""Fold events into a case: the projection rebuilt by replay (style.md §4).

Each reducer takes the case and one event's data and updates the case. Replay never
re-evaluates guards: the law was checked when the act was done; replay only rebuilds.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from rules.drafts import DISCRETION_KEYS, DRAFT_KEYS, draft_hash
from rules.model import Case
from states.vocabulary import Outcome
from workflow.events import Event

#: What the case keeps of each notice (the full text lives in the event that produced it).
NOTICE_SUMMARY = ("kind", "title", "number", "sha256")
OPENING_DETAILS = ("source", "field", "scope", "period", "place", "parent", "kind", "items",
                   "reasons", "basis")  # fmt: skip
#: 行政处罚法 Arts. 29, 36: the violation, stated at 立案 and refined by a draft.
VIOLATION_DETAILS = ("power", "violation", "violation_on", "violation_ended_on", "discovered_on")
Reducer = Callable[[Case, Event, dict[str, Any]], None]
REDUCERS: dict[str, Reducer] = {}


def reducer(*actions: str) -> Callable[[Reducer], Reducer]:
    def register(fn: Reducer) -> Reducer:
        for action in actions:
            REDUCERS[action] = fn
        return fn

    return register


def _mark(e: Event) -> dict[str, Any]:
    return {"seq": e.seq, "on": e.occurred_on, "by": e.actor}


@reducer("open")
def _open(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.title = d.get("title", "")
    case.party = {
        "name": d.get("party", ""),
        "type": d.get("party_type", ""),
        "id": d.get("party_id", ""),
        "address": d.get("party_address", ""),
    }
    case.details = {k: d[k] for k in (*OPENING_DETAILS, *VIOLATION_DETAILS) if k in d}
    case.opened_on = e.occurred_on
    case.assignments = {"officer": [e.actor, *([d["partner"]] if d.get("partner") else [])]}


@reducer("assign")
def _assign(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.assignments.setdefault(d["role"], []).append(d["person"])
    if d["role"] == "reviewer":
        case.review["designated"] = d["person"]


@reducer("investigate")
def _investigate(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.details["investigation"] = {**_mark(e), **d}


@reducer("serve_audit_notice")
def _audit_notice(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.audit_notice = {**_mark(e), **d}


@reducer("add_evidence")
def _evidence(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.evidence.append({**_mark(e), **d})


@reducer("draft_decision")
def _draft(case: Case, e: Event, d: dict[str, Any]) -> None:
    draft = {k: d.get(k) for k in DRAFT_KEYS}
    draft.update({k: d[k] for k in DISCRETION_KEYS if k in d})
    draft["triggers"] = list(d.get("triggers") or [])
    draft["penalty_kinds"] = list(d.get("penalty_kinds") or [])
    case.details.update({k: d[k] for k in VIOLATION_DETAILS if k in d})
    case.draft = draft
    case.draft_hash = draft_hash(draft)
    case.draft_revision += 1


@reducer("notify", "solicit_opinion")
def _notify(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.notified = {
        **_mark(e),
        **d,
        "draft": copy.deepcopy(case.draft),
        "draft_hash": case.draft_hash,
    }


@reducer("record_statement", "waive")
def _statement(case: Case, e: Event, d: dict[str, Any]) -> None:
    kind = "waiver" if e.action == "waive" else "statement"
    case.statements.append({**_mark(e), "kind": kind, "text": d.get("text", "")})


@reducer("request_hearing")
def _request_hearing(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.hearing = {"requested_on": e.occurred_on, "request": d.get("text", "")}


@reducer("waive_hearing")
def _waive_hearing(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.hearing = {"waived_on": e.occurred_on, "waiver": d.get("text", ""), "waived_seq": e.seq}


@reducer("schedule_hearing")
def _schedule(case: Case, e: Event, d: dict[str, Any]) -> None:
    hearing = case.hearing if case.hearing is not None else {}
    hearing.update({**d, "scheduled_on": e.occurred_on})
    case.hearing = hearing
    officers = case.assignments.setdefault("hearing_officer", [])
    if d["hearing_officer"] not in officers:
        officers.append(d["hearing_officer"])


@reducer("conclude_hearing")
def _conclude(case: Case, e: Event, d: dict[str, Any]) -> None:
    assert case.hearing is not None
    case.hearing.update(
        {
            "concluded_on": e.occurred_on,
            "concluded_seq": e.seq,
            "ending": d.get("ending", "held"),
            "transcript": d.get("transcript", ""),
        }
    )


def _reviewed_by(case: Case, name: str) -> None:
    reviewers = case.review.setdefault("reviewers", [])
    if name not in reviewers:
        reviewers.append(name)


@reducer("submit_review")
def _submit(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.review.update(
        status="submitted",
        submitted={**_mark(e), "materials": d.get("materials", []), "draft_hash": case.draft_hash},
        rounds=case.review.get("rounds", 0) + 1,
    )


@reducer("request_supplement")
def _supplement(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.review.update(status="supplement", supplement={**_mark(e), **d}, reviewer=e.actor)
    case.review["supplements"] = case.review.get("supplements", 0) + 1
    _reviewed_by(case, e.actor)


@reducer("approve_review")
def _approve(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.review.update(
        status="approved",
        approved_hash=case.draft_hash,
        reviewer=e.actor,
        opinion={**_mark(e), **d},
    )
    _reviewed_by(case, e.actor)


@reducer("reject_review")
def _reject(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.review.update(
        status="rejected", approved_hash=None, reviewer=e.actor, opinion={**_mark(e), **d}
    )
    case.review["rejections"] = case.review.get("rejections", 0) + 1
    _reviewed_by(case, e.actor)


@reducer("extend_review")
def _extend_review(case: Case, e: Event, d: dict[str, Any]) -> None:
    days = int(d.get("days") or 0)
    case.review["extension"] = {**_mark(e), **d, "days": days}


@reducer("escalate")
def _escalate(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.review.update(
        escalation={**_mark(e), **d, "disputed": case.review.get("status")}, status="escalated"
    )


@reducer("resolve")
def _resolve(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.review["resolution"] = {**_mark(e), **d}
    if d.get("outcome") == "rereview":
        case.review.update(status="submitted", designated=d.get("reviewer"))
    else:
        case.review["status"] = "returned"


@reducer("decide")
def _decide(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.decision = {
        **_mark(e),
        **d,
        "draft": copy.deepcopy(case.draft),
        "draft_hash": case.draft_hash,
        "reviewed_hash": case.review.get("approved_hash"),
    }


@reducer("audit_report")
def _audit_report(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.audit_report = {**_mark(e), **d}


@reducer("serve")
def _serve(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.service = {**_mark(e), **d}


@reducer("record_execution")
def _execution(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.executions.append({**_mark(e), **d})


@reducer("record_payment")
def _payment(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.payments.append({**_mark(e), **d})


@reducer("grant_deferral")
def _deferral(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.deferral = {**_mark(e), **d}


@reducer("record_remedy")
def _remedy(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.remedies.append({**_mark(e), **d})


@reducer("urge")
def _urge(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.urges.append({**_mark(e), **d})


@reducer("apply_enforcement")
def _apply_enforcement(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.enforcement = {"applied": {**_mark(e), **d}}


@reducer("record_court_ruling")
def _court_ruling(case: Case, e: Event, d: dict[str, Any]) -> None:
    assert case.enforcement is not None
    case.enforcement["ruling"] = {**_mark(e), **d}


@reducer("record_compliance")
def _compliance(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.compliance.append({**_mark(e), **d})


@reducer("decide_on_spot")
def _decide_on_spot(case: Case, e: Event, d: dict[str, Any]) -> None:
    """简易程序: decided and handed over on the spot (行政处罚法 Art. 52)."""
    draft = {k: d.get(k) for k in DRAFT_KEYS}
    draft.update(outcome=Outcome.PENALTY, penalty_kinds=list(d.get("penalty_kinds") or []), triggers=[])
    case.draft = draft
    case.draft_hash = draft_hash(draft)
    case.decision = {**_mark(e), **{k: d[k] for k in ("statement", "time", "refused_to_sign",
                                                       "rights_told") if k in d},
                     "draft": copy.deepcopy(draft), "draft_hash": case.draft_hash}  # fmt: skip
    case.service = {**_mark(e), "method": "on_the_spot", "recipient": case.party.get("name", ""),
                    "place": case.details.get("place", "")}  # fmt: skip


def _cash(case: Case, step: str, e: Event, d: dict[str, Any]) -> None:
    cash = case.details.setdefault("cash", {})
    if step not in cash:
        cash[step] = {**_mark(e), "amount": "0"}
    total = Decimal(str(cash[step]["amount"])) + Decimal(str(d.get("amount") or 0))
    cash[step].update(amount=str(total), last={**_mark(e), **d})


@reducer("collect_on_spot")
def _collect(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.payments.append({**_mark(e), **d, "channel": "on_the_spot"})
    _cash(case, "collected", e, d)


@reducer("hand_to_agency")
def _hand(case: Case, e: Event, d: dict[str, Any]) -> None:
    _cash(case, "handed", e, d)


@reducer("deposit_to_bank")
def _deposit(case: Case, e: Event, d: dict[str, Any]) -> None:
    _cash(case, "deposited", e, d)


@reducer("file_with_agency")
def _file(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.details["filed"] = {**_mark(e), **d}


@reducer("approve_measure")
def _approve_measure(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.details["approved"] = {**_mark(e), **d}


@reducer("execute_measure")
def _execute_measure(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.details["executed"] = {**_mark(e), **d}


@reducer("extend_measure")
def _extend_measure(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.details["extension"] = {**_mark(e), **d}


@reducer("release_measure")
def _release_measure(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.details["released"] = {**_mark(e), **d}
    case.closed = _mark(e)


@reducer("request_recusal")
def _request_recusal(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.recusals.append({**_mark(e), **d})


@reducer("decide_recusal")
def _decide_recusal(case: Case, e: Event, d: dict[str, Any]) -> None:
    request = next(r for r in reversed(case.recusals)
                   if r["person"] == d["person"] and "result" not in r)  # fmt: skip
    request.update(result=d["result"], reason=d["reason"], decided=_mark(e))
    if d["result"] != "granted":
        return
    case.recused.append(d["person"])
    replacement = d.get("replacement")
    if replacement:
        for people in case.assignments.values():
            if d["person"] in people:
                people.append(replacement)
                break


@reducer("close")
def _close(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.closed = {**_mark(e), **d}


@reducer("withdraw")
def _withdraw(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.withdrawn = {**_mark(e), **d}


@reducer("record_av")
def _av(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.av_records.append({**_mark(e), **d})


@reducer("publish")
def _publish(case: Case, e: Event, d: dict[str, Any]) -> None:
    """The first publication's date counts for the deadline; later ones update the content."""
    current = case.details.get("publication")
    if current is None:
        case.details["publication"] = {**_mark(e), "content": d["content"]}
    else:
        current.pop("withdrawn", None)
        current.update(content=d["content"], updated={**_mark(e)})


@reducer("withdraw_publication")
def _withdraw_publication(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.details["publication"]["withdrawn"] = {**_mark(e), "reason": d["reason"]}


@reducer("revoke_decision")
def _revoke(case: Case, e: Event, d: dict[str, Any]) -> None:
    assert case.decision is not None
    case.decision["revoked"] = {**_mark(e), **d}


@reducer("archive")
def _archive(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.archived = _mark(e)


def apply(case: Case, event: Event) -> Case:
    """Apply one event to the case in place and return it."""
    apply_act(case, event)
    return add_notices(case, event)


def apply_act(case: Case, event: Event) -> Case:
    """The act without the notices it issued: the case a notice of this act is rendered from."""
    REDUCERS[event.action](case, event, event.data)
    case.state = event.to_state
    case.acts.append(event.action)
    case.version = event.seq
    case.last_hash = event.hash
    case.last_on = event.occurred_on
    roles = case.actors.setdefault(event.actor, [])
    role = "decider" if event.action == "decide" else event.role
    if role not in roles:
        roles.append(role)
    return case


def add_notices(case: Case, event: Event) -> Case:
    """The notices an act issued, as the case keeps them."""
    for doc in event.documents:
        # the case keeps the notice's identity; its text stays in the event
        summary = {k: doc[k] for k in NOTICE_SUMMARY if k in doc}
        case.notices.append({**summary, "seq": event.seq, "on": event.occurred_on})
    return case


def replay(case_id: str, procedure: str, events: Iterable[Event]) -> Case:
    """Rebuild a case from its events alone."""
    case = Case(id=case_id, procedure=procedure)
    for event in events:
        apply(case, event)
    return case
