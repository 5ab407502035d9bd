"""`verify` of a whole office spread over processes (workflow/verify_shards.py, issue 16): the
cases split into shards by id, each checked by a forked worker — and the auditor must read
exactly what one process reports, in the same order, whatever was tampered with and in
whichever shard: a case deleted, a tail truncated, a row column edited, a counter set back, a
number issued twice across two shards, an open-deadline row removed."""

from __future__ import annotations

import sqlalchemy as sa

from tests.conftest import drop_append_only_guard, run_steps
from workflow.events import Event, canonical, event_hash
from workflow.scenarios import SCENARIOS
from workflow.service import Office


def run(office: Office, sql: str, **params: object) -> None:
    with office.store.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def found(office: Office, jobs: int, checkpoint: dict | None = None) -> list[tuple[str, int | None, str]]:  # type: ignore[type-arg]
    return [(p.case, p.seq, p.problem) for p in office.verify(None, checkpoint, jobs=jobs)]


def test_a_clean_office_verified_in_shards_passes(office: Office) -> None:
    for scenario in SCENARIOS:
        run_steps(office, scenario)
    assert len(office.store.shard_bounds(3)) == 2  # three shards, each with a case
    assert found(office, jobs=3) == [] == found(office, jobs=1)


def test_shards_report_what_one_process_reports(office: Office) -> None:
    for scenario in SCENARIOS:  # five cases: the 封存 opens in an audit case of its own
        run_steps(office, scenario)
    cases = office.store.event_case_ids()
    checkpoint = office.take_checkpoint("吴敏")
    drop_append_only_guard(office.store.engine)
    first, second, third, penalty, last = sorted(cases)  # A-1 | A-2 J | P Q in three shards
    assert office.store.shard_bounds(3) == [second, penalty]
    # a whole case deleted; another's tail cut; a row edited; counters set back
    run(office, "DELETE FROM events WHERE case_id = :c", c=second)
    run(office, "DELETE FROM cases WHERE id = :c", c=second)
    run(office, "DELETE FROM events WHERE case_id = :c AND seq > 5", c=last)
    run(office, "UPDATE cases SET title = 'x' WHERE id = :c", c=third)
    run(office, "UPDATE counters SET value = 0 WHERE kind LIKE 'doc:%'")
    run(office, "DELETE FROM open_deadlines WHERE case_id = :c", c=penalty)
    # the first case's 结案报告 number issued again in a case of the third shard
    def closing(case_id: str) -> Event:
        return next(e for e in office.store.events(case_id)
                    if any(d.get("kind") == "closing_report" for d in e.documents))  # fmt: skip

    stolen = next(d["number"] for d in closing(first).documents if d.get("kind") == "closing_report")
    target = closing(penalty)
    docs = [{**d, "number": stolen} if d.get("kind") == "closing_report" else d for d in target.documents]
    run(office, "UPDATE events SET documents = :d, hash = :h WHERE case_id = :c AND seq = :s",
        d=canonical(docs), c=penalty, s=target.seq,
        h=event_hash(*target._replace(documents_json=canonical(docs))[:12]))  # fmt: skip

    alone = found(office, jobs=1, checkpoint=checkpoint)
    assert found(office, jobs=3, checkpoint=checkpoint) == alone
    assert found(office, jobs=2) == found(office, jobs=1)
    shown = {c for c, _, _ in alone}
    assert {second, third, penalty, last, "@counters"} <= shown
    serial = stolen.split("〕")[1].rstrip("号")
    assert any(p.startswith("编号重复 doc:closing_report 2026") and serial in p for _, _, p in alone)
    assert any("整案被删除" in p for c, _, p in alone if c == second)
    assert any("期限记录" in p for c, _, p in alone if c == penalty)
