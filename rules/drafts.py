"""The draft decision (决定草案): its hash, its weight, and whether it is hearing-eligible."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from documents.formatting import money as yuan
from rules.policy import HearingThresholds
from states.vocabulary import MONEY_KINDS, PENALTY_KINDS, Outcome

#: The keys that make up a draft; its hash covers exactly these.
DRAFT_KEYS = (
    "outcome", "penalty_kinds", "amount", "confiscation", "property", "property_value",
    "licence", "restriction", "ground", "education", "facts", "basis", "triggers",
    "refer_to", "mitigation", "audit_subject", "measures",
)  # fmt: skip
#: Keys a draft holds only when given: the facts a discretion benchmark weighs, the benchmark
#: named, the reason for a fine outside the suggested range and the match recorded (行政处罚法
#: Art. 34), and where the fine falls among like cases (类案同罚). Absent keys stay out of the draft and its hash, so older drafts hash as before.
DISCRETION_KEYS = (
    "amount_involved", "illegal_gain", "harm", "slight", "corrected", "first_offence",
    "mitigated_harm", "coerced", "confessed", "meritorious", "no_fault", "repeat_2y",
    "obstruction", "refused_correction", "benchmark", "discretion_reason", "discretion",
    "like_cases",
)  # fmt: skip

#: 行政处罚法 Art. 63 ¶1(三)(四): kinds that always give the right to a hearing; (五) 其他较重的
#: 行政处罚: 暂扣许可证件 and 限制开展生产经营活动 are treated as such.
HEARING_KINDS = frozenset({
    "qualification_downgrade", "licence_revocation", "suspension", "closure",
    "practice_restriction", "licence_suspension", "business_restriction",
})  # fmt: skip


def draft_hash(draft: Mapping[str, Any]) -> str:
    """SHA-256 over the canonical JSON of the draft's content (the review binds to it)."""
    content = {k: draft.get(k) for k in DRAFT_KEYS}
    content.update({k: draft[k] for k in DISCRETION_KEYS if draft.get(k) is not None})
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def money(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def imposes_penalty(draft: Mapping[str, Any] | None) -> bool:
    """The draft gives a 行政处罚 (whatever the procedure: an audit fine is one too)."""
    return bool(draft) and draft.get("outcome") == Outcome.PENALTY  # type: ignore[union-attr]


def kinds(draft: Mapping[str, Any] | None) -> list[str]:
    """The penalty kinds a draft combines (警告并处罚款), in the order of Art. 9."""
    if not imposes_penalty(draft):
        return []
    chosen = set((draft or {}).get("penalty_kinds") or [])
    return [k for k in PENALTY_KINDS if k in chosen]


def amounts(draft: Mapping[str, Any]) -> dict[str, Decimal]:
    """The money a penalty draft names: fine, confiscation, property value."""
    return {key: money(draft.get(key)) for key in (*MONEY_KINDS.values(), "property_value")}


def heavier(draft: Mapping[str, Any], than: Mapping[str, Any]) -> list[str]:
    """What makes `draft` heavier than `than` (行政处罚法 Art. 45: no heavier for defending):
    a kind of penalty the notified draft did not name, or a larger amount."""
    parts = []
    added = [PENALTY_KINDS[k] for k in kinds(draft) if k not in kinds(than)]
    if added:
        parts.append(f"增加处罚种类：{'、'.join(added)}")
    new, old = amounts(draft), amounts(than)
    names = {"amount": "罚款金额", "confiscation": "没收违法所得金额", "property_value": "没收财物价值"}
    for key, name in names.items():
        if imposes_penalty(draft) and new[key] > old[key]:
            parts.append(f"{name}由{yuan(old[key])}增至{yuan(new[key])}")
    return parts


def hearing_eligible(
    draft: Mapping[str, Any] | None, party_type: str, thresholds: HearingThresholds
) -> bool:
    """行政处罚法 Art. 63: 较大数额罚款, 没收较大数额违法所得或较大价值非法财物, and the heavy kinds;
    the amounts are the province's (config `hearing_thresholds`)."""
    chosen = set(kinds(draft))
    if not chosen:
        return False
    if chosen & HEARING_KINDS:
        return True
    assert draft is not None
    fine_floor = thresholds.unit_fine if party_type == "unit" else thresholds.individual_fine
    if "fine" in chosen and money(draft.get("amount")) >= fine_floor:
        return True
    if "confiscation" in chosen and money(draft.get("confiscation")) >= thresholds.confiscation:
        return True
    return (
        "confiscation_property" in chosen
        and money(draft.get("property_value")) >= thresholds.confiscation
    )
