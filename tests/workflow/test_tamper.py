"""Tampering with stored rows directly: verify finds every kind, with case and sequence number.

The events table refuses UPDATE and DELETE by trigger; these tests play a database
administrator who disables the triggers first — the hash chain must still tell.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from tests.conftest import drop_append_only_guard, run_steps
from workflow.events import event_hash
from workflow.scenarios import AUDIT_WITH_SUPPLEMENT, PENALTY_WITH_HEARING
from workflow.service import Office


@pytest.fixture
def tampered(office: Office) -> tuple[Office, str, sa.engine.Engine]:
    case = run_steps(office, PENALTY_WITH_HEARING)
    engine = office.store.engine
    drop_append_only_guard(engine)
    return office, case.id, engine


def problems(office: Office) -> list[tuple[str, int | None, str]]:
    return [(p.case, p.seq, p.problem) for p in office.verify()]


def test_events_are_append_only_in_the_database(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="investigate")
    for statement in ("UPDATE events SET actor = 'x'", "DELETE FROM events"):
        with pytest.raises(sa.exc.DatabaseError), office.store.engine.begin() as conn:
            conn.execute(sa.text(statement))
    assert office.verify(case.id) == []


def test_edited_event_is_found(tampered: tuple[Office, str, sa.engine.Engine]) -> None:
    office, case_id, engine = tampered
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE events SET data = :d WHERE case_id = :c AND seq = 6"),
            {"d": json.dumps({"outcome": "penalty", "amount": "1.00"}), "c": case_id},
        )
    found = problems(office)
    assert (case_id, 6, "记录内容与其哈希不符 event content does not match its hash") in found


def test_edit_with_a_recomputed_hash_still_breaks_the_chain(
    tampered: tuple[Office, str, sa.engine.Engine],
) -> None:
    office, case_id, engine = tampered
    event = office.store.events(case_id)[5]
    forged_data = event.data_json.replace("150000.00", "1500.00")
    forged = event_hash(event.case_id, event.seq, event.action, event.from_state, event.to_state,
                        event.actor, event.role, event.occurred_on, event.recorded_at, forged_data,
                        event.documents_json, event.prev_hash)  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE events SET data = :d, hash = :h WHERE case_id = :c AND seq = 6"),
            {"d": forged_data, "h": forged, "c": case_id},
        )
    found = problems(office)
    assert any(seq == 7 and "chain broken" in p for _, seq, p in found)


def test_deleted_event_is_found(tampered: tuple[Office, str, sa.engine.Engine]) -> None:
    office, case_id, engine = tampered
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM events WHERE case_id = :c AND seq = 5"), {"c": case_id})
    found = problems(office)
    assert any(seq == 6 and "sequence gap" in p for _, seq, p in found)
    assert any(seq == 6 and "chain broken" in p for _, seq, p in found)


def test_deleted_last_event_is_found(tampered: tuple[Office, str, sa.engine.Engine]) -> None:
    office, case_id, engine = tampered
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM events WHERE case_id = :c AND seq = 18"), {"c": case_id})
    found = problems(office)
    assert any("stored case differs from its replay" in p for _, _, p in found)


def test_inserted_event_is_found(tampered: tuple[Office, str, sa.engine.Engine]) -> None:
    """A forged event correctly chained after the last one: the case row no longer agrees."""
    office, case_id, engine = tampered
    last = office.store.events(case_id)[-1]
    seq = last.seq + 1
    data = json.dumps({"text": "伪造"}, ensure_ascii=False)
    digest = event_hash(case_id, seq, "record_execution", "archive", "archive", "王明", "officer",
                        "2026-11-03", last.recorded_at, data, "[]", last.hash)  # fmt: skip
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO events VALUES (:c, :s, 'record_execution', 'archive', 'archive', '王明',"
            " 'officer', :on, :r, :d, '[]', :p, :h, '', '', '')"),
            {"c": case_id, "s": seq, "on": "2026-11-03", "r": last.recorded_at,
             "d": data, "p": last.hash, "h": digest})  # fmt: skip
    found = problems(office)
    assert any("stored case differs from its replay" in p for _, _, p in found)


def test_swapped_events_are_found(tampered: tuple[Office, str, sa.engine.Engine]) -> None:
    office, case_id, engine = tampered
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE events SET seq = 1000 WHERE case_id = :c AND seq = 4"), {"c": case_id}
        )
        conn.execute(
            sa.text("UPDATE events SET seq = 4 WHERE case_id = :c AND seq = 5"), {"c": case_id}
        )
        conn.execute(
            sa.text("UPDATE events SET seq = 5 WHERE case_id = :c AND seq = 1000"), {"c": case_id}
        )
    found = problems(office)
    assert (case_id, 4, "记录内容与其哈希不符 event content does not match its hash") in found
    assert (case_id, 5, "记录内容与其哈希不符 event content does not match its hash") in found


def test_edited_case_row_is_found(tampered: tuple[Office, str, sa.engine.Engine]) -> None:
    office, case_id, engine = tampered
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE cases SET state = 'withdrawn' WHERE id = :c"), {"c": case_id})
    found = problems(office)
    assert any("disagree with its snapshot" in p and "state" in p for _, _, p in found)


def test_verify_reports_every_problem_in_every_case(
    tampered: tuple[Office, str, sa.engine.Engine],
) -> None:
    office, case_id, engine = tampered
    audit = run_steps(office, AUDIT_WITH_SUPPLEMENT)
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE events SET actor = '某人' WHERE case_id = :c AND seq IN (2, 9)"),
            {"c": case_id},
        )
        conn.execute(
            sa.text("UPDATE events SET occurred_on = :d WHERE case_id = :c AND seq = 3"),
            {"c": audit.id, "d": "2026-09-03"},
        )
    found = problems(office)
    assert {(c, s) for c, s, p in found if "hash" in p and "prev" not in p} >= {
        (case_id, 2),
        (case_id, 9),
        (audit.id, 3),
    }
