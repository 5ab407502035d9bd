"""Notices in the record: numbers gap-free under concurrency, verify re-renders every notice
from the kept template bundle, and finds a forged text, an altered or a missing bundle."""

from __future__ import annotations

import json
import multiprocessing as mp
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from documents.render import TEMPLATE_DIR, Templates
from rules.model import Case
from tests.conftest import TODAY, make_office, office_settings, run_steps
from workflow.errors import ConflictError, RefusedError
from workflow.events import Event, canonical, event_hash
from workflow.keys import Keyring
from workflow.notices import NoticeDesk
from workflow.projection import replay
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office
from workflow.store import Store

DECIDE_SEQ = 14  # the decide event of PENALTY_WITH_HEARING


def problems(office: Office) -> list[tuple[str, int | None, str]]:
    return [(p.case, p.seq, p.problem) for p in office.verify()]


def _allow_editing(engine: sa.engine.Engine, table: str) -> None:
    """Play a database administrator who disables the append-only triggers."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        else:
            conn.execute(sa.text(f"DROP TRIGGER {table}_append_only_update"))
            conn.execute(sa.text(f"DROP TRIGGER {table}_append_only_delete"))


def test_verify_renders_every_recorded_notice_again(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING)
    assert len(office.notices(case.id)) == 10
    assert office.verify() == []


def test_changing_the_office_templates_later_does_not_change_the_record(
    office: Office, tmp_path: Path
) -> None:
    """The kept bundle, not today's template, is what a recorded notice is checked against."""
    case = run_steps(office, PENALTY_WITH_HEARING, until="decide")
    source = (TEMPLATE_DIR / "penalty_decision.md.j2").read_text(encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "penalty_decision.md.j2").write_text(
        source.replace("经查：", "经本局查明："), "utf-8"
    )
    office.desk = NoticeDesk(Templates(folder))
    office.do(case.id, "decide", "赵刚", PENALTY_WITH_HEARING.steps[DECIDE_SEQ - 1].data,
              date(2026, 4, 1))  # fmt: skip
    assert "经本局查明：" in office.notice(case.id, "penalty_decision")["text"]
    office.desk = NoticeDesk()  # the office goes back to the built-in templates
    assert office.verify() == []


def test_an_altered_template_bundle_is_found(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING)
    _allow_editing(office.store.engine, "templates")
    with office.store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE templates SET sources = replace(sources, '经查', '经核实') "
                             "WHERE name = 'penalty_decision.md.j2'"))  # fmt: skip
    [(cid, seq, problem)] = problems(office)
    assert (cid, seq) == (case.id, DECIDE_SEQ)
    assert "铁审罚〔2026〕1号 (行政处罚决定书)" in problem
    assert "was altered" in problem


def test_a_removed_template_bundle_is_found(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING)
    _allow_editing(office.store.engine, "templates")
    with office.store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM templates WHERE name = 'hearing_notice.md.j2'"))
    [(cid, seq, problem)] = problems(office)
    assert (cid, seq) == (case.id, 9)
    assert "is not kept" in problem


def _rewrite(office: Office, case: Case, events: list[Event]) -> None:
    """Re-chain every event and rewrite the case row: a forgery consistent in every hash."""
    prev = events[0].prev_hash
    fixed = []
    for e in events:
        e = e._replace(prev_hash=prev)
        e = e._replace(hash=event_hash(*e[:12]))
        fixed.append(e)
        prev = e.hash
    replayed = replay(case.id, case.procedure, fixed)
    with office.store.engine.begin() as conn:
        for e in fixed:
            conn.execute(sa.text("UPDATE events SET documents = :d, prev_hash = :p, hash = :h "
                                 "WHERE case_id = :c AND seq = :s"),
                         {"d": e.documents_json, "p": e.prev_hash, "h": e.hash, "c": e.case_id,
                          "s": e.seq})  # fmt: skip
        conn.execute(
            sa.text("UPDATE cases SET snapshot = :s, last_hash = :h WHERE id = :c"),
            {"s": canonical(replayed.to_dict()), "h": replayed.last_hash, "c": case.id},
        )


def test_a_forged_notice_text_with_every_hash_recomputed_is_found(office: Office) -> None:
    """Even a forger who re-chains the whole history cannot change what a notice says:
    the notice rendered again from the record differs from the forged text."""
    case = run_steps(office, PENALTY_WITH_HEARING)
    _allow_editing(office.store.engine, "events")
    events = office.store.events(case.id)
    decide = events[DECIDE_SEQ - 1]
    [doc] = decide.documents
    from documents.render import sha256_text

    forged_text = doc["text"].replace("¥120,000.00（壹拾贰万元整）", "¥12,000.00（壹万贰仟元整）")
    assert forged_text != doc["text"]
    forged = {**doc, "text": forged_text, "sha256": sha256_text(forged_text)}
    events[DECIDE_SEQ - 1] = decide._replace(documents_json=canonical([forged]))
    _rewrite(office, case, events)
    found = problems(office)
    rendered = [(c, s, p) for c, s, p in found if "re-rendered text differs" in p]
    assert len(rendered) == 1, found
    (cid, seq, problem) = rendered[0]
    assert (cid, seq) == (case.id, DECIDE_SEQ)
    assert "12,000.00" in problem
    # and every re-hashed event lost its actor's signature: the forger holds no key
    unsigned = {s for c, s, p in found if "签名无效" in p}
    assert DECIDE_SEQ in unsigned


def test_a_refused_act_uses_no_number(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="decide")
    with pytest.raises(RefusedError):
        office.do(case.id, "decide", "赵刚", {"collective_discussion": "讨论"}, date(2026, 4, 1))
    office.do(case.id, "decide", "赵刚", PENALTY_WITH_HEARING.steps[DECIDE_SEQ - 1].data,
              date(2026, 4, 1))  # fmt: skip
    assert office.notice(case.id, "penalty_decision")["number"] == "铁审罚〔2026〕1号"


def test_a_conflicting_act_gives_its_number_back(office: Office) -> None:
    """The number is taken in the act's transaction: a lost race rolls it back."""
    case = run_steps(office, PENALTY_WITH_HEARING, until="investigate")

    def build(ledger: Any) -> tuple[Event, Case]:
        assert ledger.next_serial("penalty_decision", 2026) == 1
        return office.store.events(case.id)[-1], case

    with pytest.raises(ConflictError):
        office.store.act(case.id, case.version + 5, build)
    with office.store.engine.begin() as conn:
        from workflow.store import Ledger

        assert Ledger(conn).next_serial("penalty_decision", 2026) == 1


def test_serials_start_again_each_year(db_url: str) -> None:
    office = make_office(db_url, today=date(2027, 1, 10))
    opening = PENALTY_WITH_HEARING.steps[0]
    numbers = []
    for on in (date(2026, 12, 30), date(2026, 12, 31), date(2027, 1, 4)):
        _, case = office.open_case("penalty", opening.actor, opening.data, on)
        numbers.append(office.notice(case.id, "filing_approval")["number"])
    assert numbers == ["铁审立〔2026〕1号", "铁审立〔2026〕2号", "铁审立〔2027〕1号"]
    office.store.dispose()


# -- concurrency -----------------------------------------------------------------------------
THREADS, PER_THREAD = 8, 15


def test_concurrent_allocation_is_gap_free_and_never_reused(db_url: str) -> None:
    """Many clerks at once, a third of their acts rolled back: the committed numbers are
    exactly 1..n, each once (PostgreSQL row locks; SQLite's single writer)."""
    store = Store(db_url)
    store.migrate()
    committed: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def clerk(worker: int) -> None:
        from workflow.store import Ledger

        for i in range(PER_THREAD):
            try:
                with store.engine.begin() as conn:
                    serial = Ledger(conn).next_serial("penalty_decision", 2026)
                    if (worker + i) % 3 == 0:
                        raise _Rollback
                with lock:
                    committed.append(serial)
            except _Rollback:
                continue
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

    threads = [threading.Thread(target=clerk, args=(w,)) for w in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    expected = sum(1 for w in range(THREADS) for i in range(PER_THREAD) if (w + i) % 3)
    assert sorted(committed) == list(range(1, expected + 1))
    store.dispose()


class _Rollback(Exception):
    pass


def _opener(url: str, keys: str, count: int, barrier: Any, results: Any) -> None:
    office = Office(Store(url), office_settings().policy(), clock=lambda: TODAY,
                    signer=Keyring(Path(keys)))  # fmt: skip
    opening = PENALTY_WITH_HEARING.steps[0]
    barrier.wait(timeout=60)
    for _ in range(count):
        _, case = office.open_case("penalty", opening.actor, opening.data, opening.on)
        results.put((case.id, office.notice(case.id, "filing_approval")["number"]))
    office.store.dispose()


def test_processes_opening_cases_at_once_get_consecutive_numbers(
    pg_url: str, tmp_path: Path
) -> None:
    """Four clerks' processes open cases at the same moment on one PostgreSQL office: case
    numbers and 立案审批表 numbers are each 1..n, with no gap and no duplicate."""
    keys = tmp_path / "keys"
    make_office(pg_url, keyring=Keyring(keys)).store.dispose()
    ctx = mp.get_context("spawn")
    barrier, results = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_opener, args=(pg_url, str(keys), 5, barrier, results))
             for _ in range(4)]  # fmt: skip
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in range(20)]
    for p in procs:
        p.join(timeout=120)
        assert p.exitcode == 0
    serials = sorted(int(n.split("〕")[1].removesuffix("号")) for _, n in got)
    assert serials == list(range(1, 21))
    assert sorted(cid for cid, _ in got) == [f"P-2026-{i:04d}" for i in range(1, 21)]


def test_history_json_keeps_the_documents(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="notify")
    [doc] = json.loads(office.history(case.id)[0].documents_json)
    assert doc["number"] == "铁审立〔2026〕1号"
