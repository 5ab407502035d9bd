"""Replay and verify: rebuild a case from its events and check that nothing was changed,
removed, inserted or reordered (执法全过程记录, 可回溯管理).

Verify reports every problem with its case and sequence number; it never stops at the first.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from rules.model import Case
from workflow.events import Event, genesis_hash
from workflow.projection import add_notices, apply_act


@contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while folding a long history.

    Events and projections are acyclic plain data; the collector's repeated full passes over
    them cost more than the replay itself on long cases. Reference counting still frees all.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Problem:
    case: str
    seq: int | None
    problem: str

    def as_dict(self) -> dict[str, Any]:
        return {"case": self.case, "seq": self.seq, "problem": self.problem}


def check_chain(case_id: str, events: Iterable[Event]) -> list[Problem]:
    """Hashes, links and numbering of one case's events, in stored order."""
    problems = []
    prev = genesis_hash(case_id)
    expected_seq = 1
    for e in events:
        if e.seq != expected_seq:
            problems.append(Problem(case_id, e.seq, f"序号不连续 sequence gap: expected event {expected_seq}"))
        if e.compute_hash() != e.hash:
            problems.append(Problem(case_id, e.seq, "记录内容与其哈希不符 event content does not match its hash"))
        if e.prev_hash != prev:
            problems.append(
                Problem(
                    case_id, e.seq, "记录链断裂 chain broken: prev_hash is not the hash of the event before"
                )
            )
        prev = e.hash
        expected_seq = e.seq + 1
    return problems


#: What an act that issued notices is checked against as the replay passes it: the event and
#: the case as the act left it, before its notices (what they were rendered from); False stops
#: the checking (the rest of the history cannot be trusted to render).
NoticeHook = Callable[[Event, Case], bool]
REPLAY_ERRORS = (KeyError, TypeError, ValueError, AssertionError, AttributeError,
                 json.JSONDecodeError)  # fmt: skip


def replay_events(
    case_id: str, procedure: str, events: Iterable[Event], notices: NoticeHook | None = None
) -> tuple[Case, list[Problem]]:
    """Fold events into a case; an event that cannot be applied is a problem, not a crash.
    With `notices`, each act that issued notices is shown to it on the way (one replay for
    both)."""
    case = Case(id=case_id, procedure=procedure)
    problems = []
    for e in events:
        if e.from_state != case.state:
            problems.append(
                Problem(
                    case_id,
                    e.seq,
                    f"记录的起始状态与案件不符 event starts in {e.from_state} but the case was in {case.state}",
                )
            )
        try:
            apply_act(case, e)
            if notices is not None and e.documents_json != "[]" and not notices(e, case):
                notices = None
            add_notices(case, e)
        except REPLAY_ERRORS as exc:
            problems.append(Problem(case_id, e.seq, f"记录无法重放 event cannot be replayed: {exc!r}"))
            notices = None
    return case, problems


def compare_projection(stored: dict[str, Any] | None, replayed: Case) -> list[Problem]:
    if stored is None:
        return [Problem(replayed.id, None, "有办案记录而无案件行 events exist but the case row is missing")]
    fresh = replayed.to_dict()
    diff = sorted(k for k in set(stored) | set(fresh) if stored.get(k) != fresh.get(k))
    if not diff:
        return []
    return [
        Problem(replayed.id, replayed.version or None,
                f"案件行与重放结果不符 stored case differs from its replay in: {', '.join(diff)}")
    ]  # fmt: skip


def verify_case(
    case_id: str, procedure: str, events: list[Event], stored: dict[str, Any] | None,
    notices: NoticeHook | None = None,
) -> list[Problem]:  # fmt: skip
    if not events:
        return [Problem(case_id, None, "案件没有办案记录 case has no events")]
    problems = check_chain(case_id, events)
    replayed, replay_problems = replay_events(case_id, procedure, events, notices)
    problems += replay_problems
    problems += compare_projection(stored, replayed)
    return problems
