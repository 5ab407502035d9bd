"""The checkpoint's Merkle tree (RFC 6962 §2.1; proofs checked as RFC 9162 §2.1.3.2 says)."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from workflow.checkpoint import inclusion_path, leaf_hash, tree_root, verify_inclusion


def leaves(n: int) -> list[bytes]:
    return [leaf_hash([f"P-2026-{i:04d}", i + 1, f"{i:064x}"]) for i in range(n)]


def test_the_tree_is_rfc_6962s() -> None:
    a, b, c = leaves(3)
    node = lambda x, y: hashlib.sha256(b"\x01" + x + y).digest()  # noqa: E731
    assert tree_root([]) == hashlib.sha256(b"").digest()
    assert tree_root([a]) == a
    assert tree_root([a, b, c]) == node(node(a, b), c)  # split at the largest power of two
    assert leaf_hash(["x", 1, "h"]) == hashlib.sha256(b'\x00["x",1,"h"]').digest()


@given(st.integers(min_value=1, max_value=70), st.data())
def test_every_leaf_is_proved_in_its_tree_and_nothing_else_is(n: int, data: st.DataObject) -> None:
    hashes = leaves(n)
    root = tree_root(hashes)
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    path = inclusion_path(hashes, index)
    assert verify_inclusion(hashes[index], index, n, path, root)
    other = leaf_hash(["P-2026-9999", 1, "0" * 64])
    assert not verify_inclusion(other, index, n, path, root)  # another leaf
    if n > 1:
        assert not verify_inclusion(hashes[index], (index + 1) % n, n, path, root)  # another place
        assert not verify_inclusion(hashes[index], index, n, path[:-1], root)  # a short path
    assert not verify_inclusion(hashes[index], n, n, path, root)  # outside the tree
