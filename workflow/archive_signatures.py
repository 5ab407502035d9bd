"""`archive verify`, the signatures: every event's against the office's register history
carried in the bundle, the exporting officer's of the manifest (`manifest.sig`), and the
checkpoint's proof that the bundle's history is what the office committed to (see
workflow/archive.py). Each function is one stage of the check: a problem, never a crash."""

from __future__ import annotations

import json
from typing import Any

from workflow.archive import (
    CHECKPOINT_MEMBER,
    HISTORY,
    REGISTER_MEMBER,
    SIGNATURE,
    SIGNATURE_FORMAT,
    manifest_signed_text,
)  # fmt: skip
from workflow.archive_verify import CAPS, _Check, _typed, read_history


def _json_member(check: _Check, name: str) -> Any:
    data = check.read(name, CAPS[name])
    if data is None:
        return None
    try:
        return json.loads(data.decode())
    except (ValueError, RecursionError):
        check.problems.append(f"{name}: 不是有效的 JSON not valid JSON")
        return None


def check_signatures(self: _Check) -> None:
    """The office's register history (carried in the bundle) checked as `verify` checks it,
    then every event's signature against it, as of the event's date."""
    from workflow.register import RegisterHistory
    from workflow.signatures import check_events, check_register

    data = self.read(REGISTER_MEMBER, CAPS[REGISTER_MEMBER])
    if data is None:
        self.problems.append(f"{REGISTER_MEMBER}: 缺失 missing: the signatures cannot be checked")
        return
    events, problems = read_history(data.decode())
    self.problems.extend(p.replace(HISTORY, REGISTER_MEMBER, 1) for p in problems)
    history = RegisterHistory(events)
    self.problems.extend(f"{REGISTER_MEMBER} #{p.seq}: {p.problem}" for p in check_register(history))
    self.problems.extend(f"{HISTORY} #{p.seq}: {p.problem}"
                         for p in check_events(self.report.manifest["case"], self.events, history))  # fmt: skip
    self.register = history
    if events:
        check_trust_root(self, events[0].actor, events[0].sig_key)


def check_trust_root(self: _Check, admin: str, key: str) -> None:
    """Every signature in the bundle rests on the key that opened the register: a forger who
    makes a whole new register with keys of their own passes every other check. Compared with
    the key the auditor trusts (`--trust-key`, as `zhifa verify` prints it in the office)."""
    self.report.trust_root = {"admin": admin, "key": key, "checked": self.trust is not None}
    if self.trust is not None and not key.startswith(self.trust):
        self.problems.append(
            f"{REGISTER_MEMBER}: 信任根不符 the register was opened by {admin!r:.40} with key "
            f"{key[:16]}…, not the trusted key {self.trust[:16]}…: every signature in this bundle "
            "may be forged")  # fmt: skip


def check_exporter(self: _Check) -> None:
    """manifest.sig: the manifest signed by the exporting officer, whose key the bundled
    register shows as theirs on the export's date."""
    from workflow.keys import key_id, verify_signature

    if SIGNATURE not in self.members.info:
        self.problems.append(f"{SIGNATURE}: 缺失 missing: the manifest is not signed")
        return
    try:
        sig = json.loads(self.members.read(SIGNATURE, CAPS[SIGNATURE]).decode())
    except (ValueError, RecursionError):
        sig = None
    fields = ("format", "signer", "alg", "key", "public_key", "signature")
    if not (isinstance(sig, dict) and all(_typed(sig.get(k), str) for k in fields)
            and sig["format"] == SIGNATURE_FORMAT):  # fmt: skip
        self.problems.append(f"{SIGNATURE}: 不是 {SIGNATURE_FORMAT} 签名 not a manifest signature")
        return
    if key_id(sig["public_key"]) != sig["key"] or not verify_signature(
            sig["alg"], sig["public_key"], sig["signature"], manifest_signed_text(self.manifest_data)):  # fmt: skip
        self.problems.append(f"{SIGNATURE}: 签名无效 the manifest's signature does not verify "
                             "(the manifest or the signature was altered)")  # fmt: skip
        return
    if self.register is None:
        return
    day = self.report.manifest["exported_at"][:10]
    entry = self.register.as_of(day).people.get(sig["signer"])
    if entry is None or sig["key"] not in {k.id for k in entry.current_keys()}:
        self.problems.append(f"{SIGNATURE}: 签名人 {sig['signer']!r:.40} 的公钥在 {day} 未登记 the key "
                             "is not registered for the signer on the export's date")  # fmt: skip


def check_checkpoint(self: _Check) -> None:
    """checkpoint.json: this case's leaf is in the signed tree, and is an event of the history."""
    from workflow.checkpoint import leaf_hash, statement_text, verify_inclusion
    from workflow.keys import verify_signature

    if CHECKPOINT_MEMBER not in self.listed:
        self.report.notes.append("未附检查点 no checkpoint: the bundle's head is tied to no "
                                 "office checkpoint (archive export --checkpoint FILE)")  # fmt: skip
        return
    doc = _json_member(self, CHECKPOINT_MEMBER)
    try:
        st, sig, leaf = doc["statement"], doc["signature"], doc["leaf"]
        path = [bytes.fromhex(h) for h in doc["path"]]
        held = verify_inclusion(leaf_hash(leaf), doc["index"], st["size"], path,
                                bytes.fromhex(st["root"]))  # fmt: skip
        case, seq, digest = leaf
    except (TypeError, KeyError, ValueError):
        self.problems.append(f"{CHECKPOINT_MEMBER}: 格式有误 not a checkpoint proof")
        return
    if not held:
        self.problems.append(f"{CHECKPOINT_MEMBER}: 本案不在检查点的树中 the case's leaf is not in "
                             "the checkpoint's signed tree (audit path fails)")  # fmt: skip
    if case != self.report.manifest["case"] or not any(
            e.seq == seq and e.hash == digest for e in self.events):  # fmt: skip
        self.problems.append(f"{CHECKPOINT_MEMBER}: 检查点记录的 #{seq} 不是本卷宗历史中的事件 the "
                             f"checkpoint's leaf ({case!r:.40} #{seq}) is not an event of this history")  # fmt: skip
    entry = self.register.as_of(st["taken_on"]).people.get(st["taken_by"]) if self.register else None
    keys = {k.id: k.public_key for k in entry.current_keys()} if entry else {}
    if sig.get("key") not in keys or not verify_signature(
            sig.get("alg", ""), keys[sig["key"]], sig.get("value", ""), statement_text(st)):  # fmt: skip
        self.problems.append(f"{CHECKPOINT_MEMBER}: 检查点签名无效 the checkpoint is not signed by a "
                             "key registered for its taker")  # fmt: skip


