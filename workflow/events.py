"""The event: one act in the append-only, hash-chained history (执法全过程记录).

Each event's hash covers every field and the previous event's hash, over a canonical
serialisation, so a change, deletion, insertion or reordering breaks the chain. The input
data and produced documents are kept as canonical JSON text, hashed exactly as stored.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from workflow.keys import SigningKey


def canonical(value: Any) -> str:
    """Canonical JSON: sorted keys, no spaces, UTF-8 text kept as is."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def genesis_hash(case_id: str) -> str:
    """The `prev_hash` of a case's first event: bound to the case id."""
    return hashlib.sha256(f"zhifa:genesis:{case_id}".encode()).hexdigest()


def utc_now() -> str:
    """Recorded-at: the system clock, UTC, ISO 8601 with microseconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Event(NamedTuple):
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
    #: the actor's signature of `hash` (电子签名法 Art. 13): algorithm, key id, base64 value
    sig_alg: str = ""
    sig_key: str = ""
    signature: str = ""

    @property
    def data(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.data_json)
        return loaded

    @property
    def documents(self) -> list[dict[str, Any]]:
        if self.documents_json == "[]":
            return []
        loaded: list[dict[str, Any]] = json.loads(self.documents_json)
        return loaded

    def compute_hash(self) -> str:
        """The hash this event should carry: every field but the hash itself (see event_hash)."""
        return event_hash(*self[:12])

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
            "signature": {"alg": self.sig_alg, "key": self.sig_key, "value": self.signature},
        }

    def signed_by(self, key: SigningKey) -> Event:
        """This event with `key`'s signature of its hash."""
        return self._replace(sig_alg=key.alg, sig_key=key.id, signature=key.sign(signed_text(self)))


def signed_text(event: Event) -> bytes:
    """What an act's signature covers: its hash (which covers every field and the chain)."""
    return f"zhifa-signature-v1|{event.hash}".encode()


def event_hash(
    case_id: str, seq: int, action: str, from_state: str, to_state: str, actor: str, role: str,
    occurred_on: str, recorded_at: str, data_json: str, documents_json: str, prev_hash: str,
) -> str:  # fmt: skip
    """SHA-256 over the event's twelve fields in declaration order, with their lengths first.

    The header of lengths makes the serialisation unambiguous (no field can borrow another's
    characters); one format operation keeps re-hashing every event on every verify cheap.
    """
    framed = (
        f"zhifa-event-v1|{len(case_id)},{seq},{len(action)},{len(from_state)},{len(to_state)},"
        f"{len(actor)},{len(role)},{len(occurred_on)},{len(recorded_at)},{len(data_json)},"
        f"{len(documents_json)},{len(prev_hash)}|{case_id}{action}{from_state}{to_state}{actor}"
        f"{role}{occurred_on}{recorded_at}{data_json}{documents_json}{prev_hash}"
    )
    return hashlib.sha256(framed.encode()).hexdigest()


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
