"""The draft decision (决定草案): its hash, its weight, and whether it is hearing-eligible."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from rules.policy import HearingThresholds

OUTCOMES: dict[str, str] = {
    "penalty": "给予处罚",
    "no_penalty_minor": "不予处罚（违法轻微）",
    "no_penalty_unproven": "不予处罚（违法事实不能成立）",
    "refer": "移送",
}

#: 行政处罚法 Art. 9 kinds, lightest first: the order used to tell a heavier decision.
PENALTY_KINDS: dict[str, str] = {
    "warning": "警告",
    "fine": "罚款",
    "confiscation": "没收违法所得",
    "licence_suspension": "暂扣许可证件",
    "licence_revocation": "吊销许可证件",
    "closure": "责令关闭",
}

TRIGGERS: dict[str, str] = {
    "major_public_interest": "涉及重大公共利益",
    "major_rights": "直接关系当事人或者第三人重大权益",
    "complex": "案件情况疑难复杂、涉及多个法律关系",
    "required_by_law": "法律、法规规定应当进行法制审核",
}

#: The keys that make up a draft; its hash covers exactly these.
DRAFT_KEYS = (
    "outcome", "penalty_kind", "amount", "confiscation", "facts", "basis", "triggers",
    "refer_to", "audit_subject",
)  # fmt: skip


def draft_hash(draft: Mapping[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the draft's content (the review binds to it)."""
    content = {k: draft.get(k) for k in DRAFT_KEYS}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def money(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def weight(draft: Mapping[str, Any]) -> tuple[int, Decimal, Decimal]:
    """(kind rank, fine, confiscation): a draft is heavier if any part grows."""
    if draft.get("outcome") != "penalty":
        return (-1, Decimal(0), Decimal(0))
    kinds = list(PENALTY_KINDS)
    kind = draft.get("penalty_kind")
    rank = kinds.index(kind) if kind in kinds else -1
    return (rank, money(draft.get("amount")), money(draft.get("confiscation")))


def heavier(draft: Mapping[str, Any], than: Mapping[str, Any]) -> list[str]:
    """What makes `draft` heavier than `than` (行政处罚法 Art. 45: no heavier for defending)."""
    new, old = weight(draft), weight(than)
    parts = []
    if new[0] > old[0]:
        parts.append("处罚种类更重")
    if new[1] > old[1]:
        parts.append(f"罚款金额由{old[1]}元增至{new[1]}元")
    if new[2] > old[2]:
        parts.append(f"没收金额由{old[2]}元增至{new[2]}元")
    return parts


def hearing_eligible(
    draft: Mapping[str, Any] | None, party_type: str, thresholds: HearingThresholds
) -> bool:
    """行政处罚法 Art. 63; 审计机关审计听证规定 Art. 3: thresholds from config."""
    if not draft or draft.get("outcome") != "penalty":
        return False
    kind = draft.get("penalty_kind")
    if kind in ("licence_suspension", "licence_revocation", "closure"):
        return True
    fine_floor = thresholds.unit_fine if party_type == "unit" else thresholds.individual_fine
    if money(draft.get("amount")) >= fine_floor:
        return True
    return money(draft.get("confiscation")) >= thresholds.confiscation
