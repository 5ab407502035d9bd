"""Checking signatures against the register's history (电子签名法 Art. 13 (三)(四): any change
to a signature or to what it signed can be found).

Every event — of a case, of the register, of the approvals — must carry a signature of its
hash by a key registered for its actor as of the event's date, and the register as of that
date must show the actor in post with the role the event records. A register change is
checked against the register just before it (an active admin's key); the first, which opens
the register, against the key it registers. Used by `verify` and by `archive verify` (with the
register history carried in the bundle).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workflow.events import Event, signed_text
from workflow.keys import verify_signature
from workflow.register import REGISTER, RegisterHistory, RegisterState
from workflow.signing import APPROVALS, APPROVE
from workflow.verify import Problem, check_chain


def _signature_holds(e: Event, key_ids: Mapping[str, str], crypto: bool = True) -> str | None:
    """Why the signature does not hold with the keys allowed (id -> public key), or None.
    Without `crypto`, the signature itself is taken as checked (a case its verifier's seal
    covers, workflow/verify_seal.py): only the key's registration is judged."""
    if not e.signature:
        return "未签名 not signed: an act without a valid signature is not recorded"
    public = key_ids.get(e.sig_key)
    if public is None:
        return f"签名密钥未登记 signed with a key not registered for {e.actor} on {e.occurred_on}"
    if crypto and not verify_signature(e.sig_alg, public, e.signature, signed_text(e)):
        return "签名无效 the signature does not verify: the event or its signature was altered"
    return None


def event_problem(e: Event, state: RegisterState, crypto: bool = True) -> str | None:
    """An act against the register as of its date: in post, the role held, the key its own."""
    entry = state.people.get(e.actor)
    if entry is None:
        return f"{e.actor} 在 {e.occurred_on} 不在人员名录中 was not in the staff register that day"
    wrong = _signature_holds(e, {k.id: k.public_key for k in entry.current_keys()}, crypto)
    if wrong:
        return wrong
    if not entry.person.active:
        return f"{e.actor} 在 {e.occurred_on} 已停用 was not in post that day"
    if e.role not in entry.person.roles:
        return f"{e.actor} 在 {e.occurred_on} 没有岗位 {e.role} did not hold that role that day"
    return None


def check_events(chain: str, events: Iterable[Event], history: RegisterHistory,
                 crypto: bool = True) -> list[Problem]:  # fmt: skip
    """Each event's signature and actor against the register as of its date."""
    problems = []
    for e in events:
        wrong = event_problem(e, history.as_of(e.occurred_on), crypto)
        if wrong:
            problems.append(Problem(chain, e.seq, wrong))
    return problems


def check_register(history: RegisterHistory) -> list[Problem]:
    """The register's own chain: hashes, links, admin signatures, and every change valid."""
    problems = check_chain(REGISTER, history.events)
    if not history.events:
        return [Problem(REGISTER, None, "人员名录没有记录 the staff register has no changes "
                        "(it is opened by `zhifa init` with the first admin's key)")]  # fmt: skip
    for i, e in enumerate(history.events):
        signer, keys = history.signer_key(i)
        entry = history.states[i + 1 if i == 0 else i].people.get(signer or "")
        allowed = {k.id: k.public_key for k in entry.current_keys()} if entry else {}
        wrong = _signature_holds(e, {k: v for k, v in allowed.items() if k in keys})
        if wrong:
            problems.append(Problem(REGISTER, e.seq, wrong))
    problems += [Problem(REGISTER, seq, f"名录变更无效 invalid register change: {why}")
                 for seq, why in history.problems]  # fmt: skip
    return problems


def check_approvals(events: list[Event], history: RegisterHistory) -> list[Problem]:
    """The approvals chain: hashes, links, each a head's signed approval."""
    problems = check_chain(APPROVALS, events) if events else []
    for e in events:
        wrong = event_problem(e, history.as_of(e.occurred_on))
        if e.action != APPROVE or e.role != "head":
            wrong = wrong or "不是负责人的补录批准 not a head's back-dating approval"
        if wrong:
            problems.append(Problem(APPROVALS, e.seq, wrong))
    return problems


def check_approval_refs(
    case_id: str, events: Iterable[Event], approvals: Mapping[int, Event]
) -> list[Problem]:
    """A back-dated act names a head's approval of exactly that act."""
    problems = []
    for e in events:
        ref = e.data.get("backdate_approval") if '"backdate_approval"' in e.data_json else None
        if ref is None:
            continue
        seq = ref.get("seq") if isinstance(ref, dict) else None
        found = approvals.get(seq) if isinstance(seq, int) else None
        wanted = {"case": case_id if e.action != "open" else "", "action": e.action,
                  "on": e.occurred_on, "person": e.actor}  # fmt: skip
        if (found is None or not isinstance(ref, dict) or found.hash != ref.get("hash")
                or any(found.data.get(k) != v for k, v in wanted.items())):  # fmt: skip
            problems.append(Problem(case_id, e.seq, "补录批准不存在或不符 the back-dating approval it "
                                    "names is not a head's approval of this act"))  # fmt: skip
    return problems

