"""Office-wide checkpoints: a signed statement committing to the head of every chain — every
case, the staff register, the approvals — and to every counter, as Certificate Transparency's
signed tree heads do (RFC 6962 / RFC 9162 Merkle tree).

Leaves are `(chain, last seq, last hash)` in chain order; the statement holds the tree's size
and root, the SHA-256 of the counters, who took it (and signs it) and when. The file also
holds every leaf and counter, so that `verify --against FILE` names what is missing: a case
deleted, a tail truncated, an event altered, a counter set back. A chain's events only ever
grow, so each leaf must still be a prefix of its chain. Taking one reads the heads in one
snapshot with one indexed query: no row that every act must update, so clerks are never
serialised by it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from workflow.errors import BadInputError
from workflow.events import canonical

FORMAT = "zhifa-checkpoint-v1"
MAX_FILE = 512 << 20
Leaf = tuple[str, int, str]


def leaf_hash(leaf: Sequence[Any]) -> bytes:
    return hashlib.sha256(b"\x00" + canonical(list(leaf)).encode()).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def tree_root(hashes: Sequence[bytes], lo: int = 0, hi: int | None = None) -> bytes:
    """RFC 6962 §2.1 Merkle tree hash of hashes[lo:hi]."""
    hi = len(hashes) if hi is None else hi
    n = hi - lo
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashes[lo]
    k = _split(n)
    return _node(tree_root(hashes, lo, lo + k), tree_root(hashes, lo + k, hi))


def inclusion_path(hashes: Sequence[bytes], index: int, lo: int = 0, hi: int | None = None) -> list[bytes]:
    """RFC 6962 §2.1.1 audit path of leaf `index` (relative to lo) in hashes[lo:hi]."""
    hi = len(hashes) if hi is None else hi
    n = hi - lo
    if n <= 1:
        return []
    k = _split(n)
    if index < k:
        return inclusion_path(hashes, index, lo, lo + k) + [tree_root(hashes, lo + k, hi)]
    return inclusion_path(hashes, index - k, lo + k, hi) + [tree_root(hashes, lo, lo + k)]


def verify_inclusion(leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: whether `leaf` is leaf `index` of the tree of `size` with `root`."""
    if not 0 <= index < size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(p, r)
            while not fn & 1 and fn:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def statement_text(statement: dict[str, Any]) -> bytes:
    """What the taker's signature covers: the statement in canonical JSON."""
    return b"zhifa-checkpoint-v1|" + canonical(statement).encode()


def counters_sha256(counters: Sequence[Sequence[Any]]) -> str:
    return hashlib.sha256(canonical([list(c) for c in counters]).encode()).hexdigest()


def make_checkpoint(
    leaves: list[Leaf], counters: list[tuple[str, int, int]], agency: str, by: str,
    taken_on: str, taken_at: str, key: Any,
) -> dict[str, Any]:  # fmt: skip
    """The checkpoint document: the signed statement, every leaf and counter."""
    root = tree_root([leaf_hash(leaf) for leaf in leaves])
    statement = {"format": FORMAT, "agency": agency, "taken_by": by, "taken_on": taken_on,
                 "taken_at": taken_at, "size": len(leaves), "root": root.hex(),
                 "counters_sha256": counters_sha256(counters)}  # fmt: skip
    signature = {"alg": key.alg, "key": key.id, "value": key.sign(statement_text(statement))}
    return {"statement": statement, "signature": signature,
            "leaves": [list(leaf) for leaf in leaves], "counters": [list(c) for c in counters]}  # fmt: skip


def _typed_rows(rows: Any, types: tuple[type, ...], what: str) -> list[tuple[Any, ...]]:
    if not isinstance(rows, list):
        raise BadInputError(f"checkpoint: {what} 不是列表 is not a list")
    out = []
    for row in rows:
        ok = isinstance(row, list) and len(row) == len(types) and all(
            isinstance(v, t) and not (t is int and isinstance(v, bool)) for v, t in zip(row, types, strict=True)
        )
        if not ok:
            raise BadInputError(f"checkpoint: {what} 中有格式错误的项 malformed entry {str(row)[:80]}")
        out.append(tuple(row))
    return out


def load_checkpoint(path: Path) -> dict[str, Any]:
    """A checkpoint file, its shape checked (BadInputError otherwise); not yet its truth."""
    from workflow.bundlefile import MemberError, open_regular

    try:
        with open_regular(path) as handle:
            data = handle.read(MAX_FILE + 1)
    except MemberError as exc:
        raise BadInputError(str(exc)) from None
    if len(data) > MAX_FILE:
        raise BadInputError(f"{path}: 超过 {MAX_FILE:,} 字节 larger than a checkpoint can be")
    try:
        doc = json.loads(data.decode())
    except (ValueError, RecursionError):
        raise BadInputError(f"{path}: 不是检查点文件 not a checkpoint (not JSON)") from None
    statement = doc.get("statement") if isinstance(doc, dict) else None
    signature = doc.get("signature") if isinstance(doc, dict) else None
    keys = {"format": str, "agency": str, "taken_by": str, "taken_on": str, "taken_at": str,
            "size": int, "root": str, "counters_sha256": str}  # fmt: skip
    if not (isinstance(statement, dict) and statement.get("format") == FORMAT
            and all(isinstance(statement.get(k), t) for k, t in keys.items())
            and isinstance(signature, dict)
            and all(isinstance(signature.get(k), str) for k in ("alg", "key", "value"))):  # fmt: skip
        raise BadInputError(f"{path}: 不是 {FORMAT} 检查点 not a {FORMAT} checkpoint")
    doc["leaves"] = _typed_rows(doc.get("leaves"), (str, int, str), "leaves")
    doc["counters"] = _typed_rows(doc.get("counters"), (str, int, int), "counters")
    return dict(doc)


def self_check(doc: dict[str, Any]) -> list[str]:
    """What is wrong inside the checkpoint itself: its leaves and counters against its root."""
    statement, problems = doc["statement"], []
    root = tree_root([leaf_hash(leaf) for leaf in doc["leaves"]]).hex()
    if root != statement["root"] or len(doc["leaves"]) != statement["size"]:
        problems.append("检查点的叶子与其签名的根不符 its leaves do not give the signed root")
    if counters_sha256(doc["counters"]) != statement["counters_sha256"]:
        problems.append("检查点的计数器与其签名的摘要不符 its counters do not match the signed digest")
    return problems


def inclusion(leaves: list[Leaf], chain: str) -> dict[str, Any] | None:
    """The leaf of `chain` with its audit path (for an archive bundle), or None."""
    index = next((i for i, leaf in enumerate(leaves) if leaf[0] == chain), None)
    if index is None:
        return None
    hashes = [leaf_hash(leaf) for leaf in leaves]
    return {"leaf": list(leaves[index]), "index": index,
            "path": [h.hex() for h in inclusion_path(hashes, index)]}  # fmt: skip
