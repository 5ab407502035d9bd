"""Benchmark: what signing costs an act, and what an office-wide checkpoint costs at scale.
Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_signing.py [--acts N] [--cases N]

* Ed25519 signature and verification of one event hash (the whole cost signing adds to an
  act, which is also timed end to end);
* a checkpoint over N cases (default 100,000, issue 14: "seconds at 100k cases"): the heads
  read in one snapshot, the Merkle tree, the signature — on a database of synthetic chains
  written directly (1–3 events per case), so only the checkpoint is measured.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from bench_engine import EVIDENCE, case_in_evidence, make_office, signing_key_of

from workflow.events import make_event
from workflow.keys import verify_signature
from workflow.store import COUNTERS, EVENTS, _event_row


def per_signature(office: object, n: int = 2000) -> tuple[float, float]:
    """(µs to sign, µs to verify) one event hash."""
    from workflow.events import signed_text

    key = signing_key_of(office, "王明")  # type: ignore[arg-type]
    event = make_event(case_id="P-2026-0001", seq=1, action="open", from_state="new",
                       to_state="initiation", actor="王明", role="officer", occurred_on="2026-03-02",
                       data={}, documents=[], prev_hash="0" * 64)  # fmt: skip
    start = time.perf_counter()
    for _ in range(n):
        signed = event.signed_by(key)
    signing = (time.perf_counter() - start) / n * 1e6
    message = signed_text(signed)
    start = time.perf_counter()
    for _ in range(n):
        assert verify_signature(signed.sig_alg, key.info.public_key, signed.signature, message)
    return signing, (time.perf_counter() - start) / n * 1e6


def act_rate(office: object, n: int) -> float:
    """Signed acts per second, end to end (judge, sign, write durably)."""
    case = case_in_evidence(office)  # type: ignore[arg-type]
    on = date(2026, 3, 6)
    start = time.perf_counter()
    for _ in range(n):
        office.do(case.id, "add_evidence", "王明", EVIDENCE, on)  # type: ignore[attr-defined]
    return n / (time.perf_counter() - start)


def synthetic_office(office: object, cases: int) -> None:
    """`cases` chains of 1–3 events and their counters, written directly."""
    engine = office.store.engine  # type: ignore[attr-defined]
    rows = []
    for i in range(cases):
        prev = hashlib.sha256(f"g{i}".encode()).hexdigest()
        for seq in range(1, 2 + i % 3):
            digest = hashlib.sha256(f"{i}:{seq}".encode()).hexdigest()
            rows.append(_event_row(make_event(
                case_id=f"S-2026-{i:06d}", seq=seq, action="add_evidence", from_state="x",
                to_state="x", actor="王明", role="officer", occurred_on="2026-03-06", data={},
                documents=[], prev_hash=prev, recorded_at="2026-11-24T00:00:00.000000Z",
            )._replace(hash=digest, sig_alg="ed25519", sig_key="k" * 64, signature="s" * 88)))  # fmt: skip
            prev = digest
    with engine.begin() as conn:
        for start in range(0, len(rows), 20_000):
            conn.execute(sa.insert(EVENTS), rows[start:start + 20_000])
        conn.execute(sa.insert(COUNTERS), [{"kind": f"doc:k{k}", "year": 2026, "value": 100}
                                           for k in range(16)])  # fmt: skip


def checkpoint_time(office: object) -> tuple[float, float, int]:
    """(seconds to read the heads, seconds for the whole checkpoint, its size)."""
    start = time.perf_counter()
    heads, _ = office.store.heads()  # type: ignore[attr-defined]
    read = time.perf_counter() - start
    start = time.perf_counter()
    doc = office.take_checkpoint("吴敏")  # type: ignore[attr-defined]
    return read, time.perf_counter() - start, int(doc["statement"]["size"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--acts", type=int, default=1000)
    parser.add_argument("--cases", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        office = make_office(Path(tmp))
        sign, check = per_signature(office)
        rate = act_rate(office, args.acts)
        synthetic_office(office, args.cases)
        read, total, size = checkpoint_time(office)
        office.store.dispose()
    print(f"Ed25519 signature of an event hash, µs:                {sign:10.1f}")
    print(f"Ed25519 verification, µs (verify adds this per event):  {check:10.1f}")
    print(f"signed acts/s end to end (SQLite, synchronous=FULL):    {rate:10.0f}  "
          f"(signing: {sign * rate / 1e4:.1f}% of an act)")  # fmt: skip
    print(f"checkpoint: heads read in one snapshot, s:              {read:10.2f}")
    print(f"checkpoint: heads + Merkle tree + signature + kept, s:  {total:10.2f}  "
          f"({size:,} chains)")  # fmt: skip


if __name__ == "__main__":
    main()
