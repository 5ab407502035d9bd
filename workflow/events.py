"""The event: one act in the append-only, hash-chained history (执法全过程记录).

Each event's hash covers every field and the previous event's hash, over a canonical
serialisation, so a change, deletion, insertion or reordering breaks the chain. The input
data and produced documents are kept as canonical JSON text, hashed exactly as stored.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def genesis_hash(case_id: str) -> str:
    """The `prev_hash` of a case's first event: bound to the case id."""
    return hashlib.sha256(f"zhifa:genesis:{case_id}".encode()).hexdigest()


def utc_now() -> str:
    """Recorded-at: the system clock, UTC, ISO 8601 with microseconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Event:
    case_id: str
    seq: int
    action: str
    from_state: str
    to_state: str
    actor: str
    role: str
    occurred_on: str
    recorded_at: str
    data_json: str
    documents_json: str
    prev_hash: str
    hash: str

    @property
    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.data_json)
        return loaded

    @property
    def documents(self) -> list[dict[str, Any]]:
        loaded: list[dict[str, Any]] = json.loads(self.documents_json)
        return loaded

    def compute_hash(self) -> str:
        return event_hash(
            self.case_id, self.seq, self.action, self.from_state, self.to_state, self.actor,
            self.role, self.occurred_on, self.recorded_at, self.data_json, self.documents_json,
            self.prev_hash,
        )  # fmt: skip

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case_id,
            "seq": self.seq,
            "action": self.action,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "actor": self.actor,
            "role": self.role,
            "occurred_on": self.occurred_on,
            "recorded_at": self.recorded_at,
            "data": self.data,
            "documents": self.documents,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def event_hash(*fields: object) -> str:
    """SHA-256 over the canonical JSON array of the event's fields, in declaration order."""
    return hashlib.sha256(canonical([str(f) for f in fields]).encode()).hexdigest()


def make_event(
    *,
    case_id: str,
    seq: int,
    action: str,
    from_state: str,
    to_state: str,
    actor: str,
    role: str,
    occurred_on: str,
    data: dict[str, Any],
    documents: list[dict[str, Any]],
    prev_hash: str,
    recorded_at: str | None = None,
) -> Event:
    recorded = recorded_at or utc_now()
    data_json, documents_json = canonical(data), canonical(documents)
    digest = event_hash(
        case_id, seq, action, from_state, to_state, actor, role, occurred_on, recorded,
        data_json, documents_json, prev_hash,
    )  # fmt: skip
    return Event(
        case_id, seq, action, from_state, to_state, actor, role, occurred_on, recorded,
        data_json, documents_json, prev_hash, digest,
    )  # fmt: skip
