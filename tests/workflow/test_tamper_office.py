"""A malicious database administrator, with the triggers dropped (issue 14): each tampering
that `verify` used to pass with exit 0 is now found, with the case and sequence number named.

The forger here is thorough: after editing events they recompute every hash and link and
rewrite the case row from the replay — what they cannot do is sign as the actors, take back a
checkpoint kept elsewhere, or make the counters agree with numbers already issued.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import drop_append_only_guard, run_steps
from workflow.checkpoint import load_checkpoint
from workflow.events import Event, canonical, event_hash, genesis_hash
from workflow.projection import replay
from workflow.scenarios import AUDIT_WITH_SUPPLEMENT, PENALTY_WITH_HEARING
from workflow.service import Office
from workflow.store import CASES, EVENTS, _case_values, _event_row

Found = list[tuple[str, int | None, str]]


@pytest.fixture
def tampered(office: Office) -> tuple[Office, str, str, dict]:  # type: ignore[type-arg]
    """Two archived cases, a checkpoint taken (and kept elsewhere), the triggers dropped."""
    penalty = run_steps(office, PENALTY_WITH_HEARING)
    audit = run_steps(office, AUDIT_WITH_SUPPLEMENT)
    checkpoint = office.take_checkpoint("吴敏")
    engine = office.store.engine
    drop_append_only_guard(engine)
    assert office.verify(None, checkpoint) == []
    return office, penalty.id, audit.id, checkpoint


def found(office: Office, checkpoint: dict | None = None) -> Found:  # type: ignore[type-arg]
    return [(p.case, p.seq, p.problem) for p in office.verify(None, checkpoint)]


def run(office: Office, sql: str, **params: object) -> None:
    with office.store.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def rewrite(office: Office, case_id: str, edit: Callable[[list[Event]], list[Event]]) -> None:
    """Edit a case's events, re-chain every hash and link (signatures kept: the forger has no
    key), and rewrite the case row from the replay."""
    events = edit(office.store.events(case_id))
    prev, chained = genesis_hash(case_id), []
    for e in events:
        e = e._replace(prev_hash=prev)
        e = e._replace(hash=event_hash(*e[:12]))
        chained.append(e)
        prev = e.hash
    case = replay(case_id, events[0].data["procedure"], chained)
    values = _case_values(case, office.figures(case))
    with office.store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM events WHERE case_id = :c"), {"c": case_id})
        for e in chained:
            conn.execute(sa.insert(EVENTS), _event_row(e))
        conn.execute(sa.update(CASES).where(CASES.c.id == case_id).values(**values))


def test_the_last_three_events_deleted_and_the_row_rewritten_are_found(tampered: tuple) -> None:  # type: ignore[type-arg]
    office, case_id, _, checkpoint = tampered
    last = office.case(case_id).version
    rewrite(office, case_id, lambda events: events[:-3])
    problems = found(office, checkpoint)
    assert (case_id, last, f"截断 truncated: the checkpoint of {checkpoint['statement']['taken_at']} "
            f"has event #{last}, the record now ends at #{last - 3}") in problems
    # without the checkpoint, the numbers the deleted acts issued are missing
    assert any(c == "@counters" and "编号缺失" in p for c, _, p in found(office))


def test_a_whole_case_deleted_is_found(tampered: tuple) -> None:  # type: ignore[type-arg]
    office, case_id, _, checkpoint = tampered
    last = office.case(case_id).version
    run(office, "DELETE FROM events WHERE case_id = :c", c=case_id)
    run(office, "DELETE FROM cases WHERE id = :c", c=case_id)
    problems = found(office, checkpoint)
    assert (case_id, last, "整案被删除 deleted: the checkpoint has this case up to event "
            f"#{last}; it is no longer recorded") in problems
    # even without a checkpoint: its number was issued and is recorded nowhere
    assert any(c == "@counters" and case_id in p for c, _, p in found(office))


def test_recorded_at_edited_and_rechained_is_found(tampered: tuple) -> None:  # type: ignore[type-arg]
    office, case_id, _, _ = tampered
    rewrite(office, case_id, lambda es: [e._replace(recorded_at="2026-03-04T01:00:00.000000Z")
                                         if e.seq == 4 else e for e in es])  # fmt: skip
    problems = found(office)
    assert (case_id, 4, "签名无效 the signature does not verify: the event or its signature was "
            "altered") in problems


def test_who_collected_the_evidence_edited_and_rechained_is_found(tampered: tuple) -> None:  # type: ignore[type-arg]
    office, case_id, _, _ = tampered
    assert office.store.events(case_id)[3].actor == "王明"
    rewrite(office, case_id, lambda es: [e._replace(actor="李华") if e.seq == 4 else e for e in es])
    problems = found(office)
    assert (case_id, 4, "签名密钥未登记 signed with a key not registered for 李华 on 2026-03-04") \
        in problems


def test_an_event_pointed_at_a_forged_blob_and_rechained_is_found(
    tampered: tuple, tmp_path: Path  # type: ignore[type-arg]
) -> None:
    office, case_id, _, _ = tampered
    assert office.files is not None
    forged = tmp_path / "凭证.pdf"
    forged.write_bytes(b"%PDF a forged voucher")
    blob = office.files.put(forged).as_dict()
    seq = next(e.seq for e in office.store.events(case_id) if e.action == "add_evidence")

    def point(events: list[Event]) -> list[Event]:
        out = []
        for e in events:
            if e.seq == seq:
                data = {**e.data, "files": [blob]}
                e = e._replace(data_json=canonical(data))
            out.append(e)
        return out

    rewrite(office, case_id, point)
    problems = found(office)
    assert (case_id, seq, "签名无效 the signature does not verify: the event or its signature "
            "was altered") in problems


def test_the_staff_table_edited_is_found_and_changes_nothing(tampered: tuple) -> None:  # type: ignore[type-arg]
    office, _, _, _ = tampered
    run(office, "UPDATE staff SET roles = :r WHERE name = '王明'", r=json.dumps(["admin"]))
    run(office, "UPDATE staff SET cert_valid_until = :d WHERE name = '李华'", d="2099-12-31")
    problems = found(office)
    assert [(c, p[:20]) for c, _, p in problems] == [
        ("@staff", "人员表中 李华 的记录与名录不符 the"), ("@staff", "人员表中 王明 的记录与名录不符 the")]
    from rules.model import Person
    from workflow.errors import RefusedError

    with pytest.raises(RefusedError):  # the guards read the signed register, not the table
        office.add_staff("王明", Person("新人", ("officer",)))


def test_notice_counters_reset_to_zero_are_found(tampered: tuple) -> None:  # type: ignore[type-arg]
    office, case_id, audit_id, checkpoint = tampered
    run(office, "UPDATE counters SET value = 0")
    problems = found(office, checkpoint)
    decision = office.notice(case_id, "penalty_decision")
    seq = next(e.seq for e in office.history(case_id) if e.documents
               and e.documents[0].get("number") == decision["number"])  # fmt: skip
    assert (case_id, seq, "计数器落后 counter doc:penalty_decision 2026 is at 0 but number 1 was "
            "issued: numbers would be reused") in problems
    assert any(c == "@counters" and "计数器被回拨" in p for c, _, p in problems)
    assert any(c == audit_id for c, _, _ in problems)


def test_opened_on_edited_is_found(tampered: tuple) -> None:  # type: ignore[type-arg]
    """Before: editing cases.opened_on moved a case into 2020 in the annual report."""
    office, case_id, _, _ = tampered
    run(office, "UPDATE cases SET opened_on = :d WHERE id = :c", d="2020-01-06", c=case_id)
    assert (case_id, None, "案件行与其快照不符 case row columns disagree with its snapshot: opened_on") in found(office)


def test_title_and_party_columns_edited_are_found(tampered: tuple) -> None:  # type: ignore[type-arg]
    office, case_id, _, _ = tampered
    run(office, "UPDATE cases SET title = 'x', party = 'y' WHERE id = :c", c=case_id)
    assert (case_id, None, "案件行与其快照不符 case row columns disagree with its snapshot: title, party") \
        in found(office)


def test_a_register_change_edited_and_rechained_is_found(tampered: tuple) -> None:  # type: ignore[type-arg]
    office, _, _, checkpoint = tampered
    events = office.store.chain("@register")
    target = next(e for e in events if e.data.get("person") == "李华")
    data = {**target.data, "roles": ["officer", "head"]}
    run(office, "UPDATE events SET data = :d, hash = :h WHERE case_id = '@register' AND seq = :s",
        d=canonical(data), s=target.seq,
        h=event_hash(*target._replace(data_json=canonical(data))[:12]))  # fmt: skip
    problems = found(office, checkpoint)
    assert ("@register", target.seq, "签名无效 the signature does not verify: the event or its "
            "signature was altered") in problems
    assert ("@register", target.seq, "被改动 altered: event "
            f"#{target.seq} is not the one the checkpoint of "
            f"{checkpoint['statement']['taken_at']} committed to") not in problems  # a later leaf
    assert any(c == "@register" and "chain broken" in p for c, _, p in problems)


def test_a_checkpoint_file_is_checked_itself(tampered: tuple, tmp_path: Path) -> None:  # type: ignore[type-arg]
    office, case_id, _, checkpoint = tampered
    path = tmp_path / "cp.json"
    path.write_text(canonical(checkpoint))
    assert office.verify(None, load_checkpoint(path)) == []
    edited = json.loads(path.read_text())
    edited["leaves"] = [leaf for leaf in edited["leaves"] if leaf[0] != case_id]
    path.write_text(canonical(edited))
    problems = found(office, load_checkpoint(path))
    assert ("@checkpoint", None, "检查点的叶子与其签名的根不符 its leaves do not give the signed root") \
        in problems
    edited = json.loads(canonical(checkpoint))
    edited["statement"]["taken_by"] = "王明"
    path.write_text(canonical(edited))
    assert ("@checkpoint", None, "检查点签名无效 the checkpoint is not signed by a key registered "
            "for 王明 on 2026-11-24") in found(office, load_checkpoint(path))


def test_acts_after_a_checkpoint_are_appended_and_verify(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="decide")
    checkpoint = office.take_checkpoint("吴敏")
    step = PENALTY_WITH_HEARING.steps[13]
    office.do(case.id, step.action, step.actor, step.data, step.on)
    run_steps(office, AUDIT_WITH_SUPPLEMENT, until="investigate")
    assert office.verify(None, checkpoint) == []
    latest = office.latest_checkpoint()
    assert latest is not None
    assert latest["root"] == checkpoint["statement"]["root"]
    report = office.annual_report(2026)
    assert report["checkpoint"]["root"] == checkpoint["statement"]["root"]


def test_a_number_issued_twice_and_one_forged_far_ahead_are_named() -> None:
    """The counters' check keeps a byte per number (verify's memory stays flat) and still
    names the number reused, the forged one far ahead (with its case and act) and the gap."""
    from workflow.office_audit import Issued, _counter

    issued = Issued()
    for serial, case_id, seq in ((1, "P-2026-0001", 3), (2, "P-2026-0002", 3),
                                 (2, "P-2026-0003", 3), (10**9, "P-2026-0004", 5)):  # fmt: skip
        issued.add(serial, case_id, seq)
    behind, gap, twice = _counter(("doc:penalty_notice", 2026), 2, issued, {})
    assert (behind.case, behind.seq) == ("P-2026-0004", 5)
    assert "is at 2 but number 1000000000 was issued" in behind.problem
    assert "number(s) 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 were issued" in gap.problem
    assert "number(s) 2 issued twice" in twice.problem


def test_an_open_deadline_row_deleted_or_moved_is_found(office: Office) -> None:
    """`alerts` reads the open-obligation rows (issue 16): deleting the row of an overdue
    payment hides the case from supervision; verify recomputes them from the record."""
    import sqlalchemy as sa

    case = run_steps(office, PENALTY_WITH_HEARING, until="record_payment")  # fine unpaid
    assert office.verify() == []
    with office.store.engine.begin() as conn:
        gone = conn.execute(sa.text("DELETE FROM open_deadlines WHERE case_id = :c AND "
                                    "deadline = 'payment_due'"), {"c": case.id}).rowcount  # fmt: skip
    assert gone == 1
    assert [(p.case, "期限记录与案件不符" in p.problem) for p in office.verify()] == [(case.id, True)]
    assert [p.case for p in office.verify(case.id)] == [case.id]
    with office.store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM open_deadlines WHERE case_id = :c"), {"c": case.id})
    [problem] = office.verify()
    assert "期限记录缺失" in problem.problem
