"""What a person has already verified, remembered and signed (`zhifa --as NAME verify`), so the
next whole-office `verify` re-checks in full only what changed since.

A whole-office verify checks every signature and renders every notice again: at a province's
scale that is minutes of CPU, over records that do not change once written. After a run, the
person who ran it (their own key, held on their machine, never the office's files) signs a
*seal*: for each case found sound, its head event (seq, hash), a digest of its case row and of
its events' signatures, and the open obligations its record gives. The next run by the same
person trusts the seal only if their key, registered for them and in post today, signed it and
it is for this office, these settings and this version of zhifa. A case whose head, row and
signatures are what the seal names is then checked cheaply: every event's hash and link
recomputed (so its content is byte for byte what was verified), the register's word on each
actor as of each act, the numbers it issued and any checkpoint; its signatures are not checked
again and its notices are not rendered again. Any other case — new, acted on, or changed in any
byte — is checked in full. `verify --full` ignores the seal (and writes a new one).

An attacker with the office's files cannot forge a seal (no key of the verifier's), and
deleting it only makes the next run a full one. A verifier's seal is theirs: another person's
verify never trusts it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workflow.events import Event, canonical

FORMAT = "zhifa-verified-v2"
#: a case's leaf: (head seq, digest of its head hash, row and signatures, its open obligations)
Leaf = tuple[int, str, str]
CODE_PARTS = ("rules", "states", "documents", "workflow")


def row_digest(row: Any) -> str:
    """Every column of a case row, as stored."""
    values = [v.isoformat() if hasattr(v, "isoformat") else v for v in tuple(row)]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, default=str).encode()).hexdigest()


def signatures_digest(events: Iterable[Event]) -> str:
    """What an event's hash does not cover: its signature (algorithm, key, value)."""
    text = "\n".join(f"{e.sig_alg}|{e.sig_key}|{e.signature}" for e in events)
    return hashlib.sha256(text.encode()).hexdigest()


def _digest(events: list[Event], row: Any) -> str:
    """The case as sealed: its head event's hash (which the chain binds every event's content
    to), every column of its row and every signature."""
    text = f"{events[-1].hash}|{row_digest(row)}|{signatures_digest(events)}"
    return hashlib.sha256(text.encode()).hexdigest()


def leaf_of(events: list[Event], row: Any, due: str) -> Leaf:
    return (events[-1].seq, _digest(events, row), due)


def still_sealed(leaf: Leaf | None, events: list[Event], row: Any) -> bool:
    """Whether the case is, in every byte the seal covers, what was verified."""
    return (leaf is not None and bool(events) and row is not None
            and leaf[0] == events[-1].seq and leaf[1] == _digest(events, row))  # fmt: skip


def code_fingerprint() -> str:
    """The code that judged the records: a new version of zhifa verifies everything again."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for part in CODE_PARTS:
        for path in sorted((root / part).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@dataclass
class Seal:
    """A verified state of the office, as one person signed it."""

    statement: dict[str, Any]
    leaves: dict[str, Leaf] = field(default_factory=dict)


def seal_path(folder: Path, office: str, name: str) -> Path:
    tag = hashlib.sha256(f"{office}\0{name}".encode()).hexdigest()[:16]
    return folder / "verified" / f"{tag}.seal"


def context(office: str, policy: Any) -> dict[str, str]:
    """What a seal is only good for: this office, these settings (any change to the office's
    policy: periods, calendar, powers …), this code."""
    from dataclasses import fields

    # every field as written; the calendar by what it adds to the State Council's
    parts = [repr(getattr(policy, f.name)) for f in fields(policy) if f.name != "calendar"]
    cal = policy.calendar
    parts.append(repr((sorted(cal.extra_holidays), sorted(cal.extra_workdays), sorted(cal.known_years))))
    settings = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return {"office": office, "settings": settings, "code": code_fingerprint()}


def write_seal(path: Path, leaves: Mapping[str, Leaf], where: Mapping[str, str], by: str,
               key: Any, at: str) -> None:  # fmt: skip
    """Sign and keep the seal (owner-only, replaced whole). Its first line is the signed
    statement; then a line per case, `case<TAB>seq<TAB>digest<TAB>due`, in case order — the
    statement names their SHA-256, so a line changed, added or removed voids the seal."""
    from workflow.files import replace_private

    lines = [f"{cid}\t{leaf[0]}\t{leaf[1]}\t{leaf[2]}\n".encode() for cid, leaf in sorted(leaves.items())]
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line)
    statement = {"format": FORMAT, **where, "by": by, "key": key.id, "at": at, "cases": len(lines),
                 "leaves_sha256": digest.hexdigest()}  # fmt: skip
    head = canonical({"statement": statement, "signature": key.sign(canonical(statement).encode())})
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    replace_private(path, [head.encode() + b"\n", *lines])


def read_seal(path: Path, where: Mapping[str, str], by: str, public_keys: Mapping[str, str]
              ) -> tuple[Seal | None, str]:  # fmt: skip
    """The seal at `path` if it is sound and for this office, settings, code and person
    (`public_keys`: their keys in the register today, id -> public key); else None and why."""
    from workflow.keys import verify_signature

    if not path.exists():
        return None, "尚无核验记录 none yet"
    leaves: dict[str, Leaf] = {}
    try:
        with path.open("rb") as handle:
            doc = json.loads(handle.readline())
            statement, signature = doc["statement"], doc["signature"]
            public = public_keys.get(statement.get("key", ""))
            if statement.get("format") != FORMAT or statement.get("by") != by or public is None:
                return None, "核验记录不是本人以在册密钥所签 not signed by this person's registered key"
            if not verify_signature("ed25519", public, signature, canonical(statement).encode()):
                return None, "核验记录签名无效 its signature does not verify"
            digest = hashlib.sha256()
            for line in handle:
                digest.update(line)
                cid, seq, case_digest, due = line.decode().rstrip("\n").split("\t")
                leaves[cid] = (int(seq), case_digest, due)
        if digest.hexdigest() != statement.get("leaves_sha256"):
            return None, "核验记录内容与签名不符 its content is not what was signed"
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None, "核验记录无法读取 it cannot be read"
    for name, value in where.items():
        if statement.get(name) != value:
            what = {"office": "另一办公室 another office", "settings": "设置已改 the settings changed",
                    "code": "zhifa 已更新 zhifa was updated"}[name]  # fmt: skip
            return None, f"核验记录已不适用 no longer applies: {what}"
    return Seal(statement, leaves), ""
