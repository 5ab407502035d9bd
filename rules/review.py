"""Whether legal review (法制审核) is required, and the seven-point checklist.

Sources: 行政处罚法 Art. 58 (the four legal triggers); 国办发〔2018〕118号 (十二)–(十三);
the bureau's plan: every 审计决定 is reviewed.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from rules.drafts import imposes_penalty, kinds, money
from rules.model import Case, Person
from rules.policy import CatalogEntry, Policy
from states.definition import Procedure
from states.vocabulary import TRIGGERS

CHECKLIST: dict[str, str] = {
    "subject": "执法主体合法、执法人员具备资格",
    "procedure": "执法程序合法",
    "facts_evidence": "案件事实清楚，证据合法充分",
    "law_discretion": "适用法律、法规、规章准确，裁量基准运用适当",
    "authority": "执法是否超越本机关法定权限",
    "documents": "执法文书完备、规范",
    "referral": "违法行为是否涉嫌犯罪或违纪需要移送",
}


def _catalog_matches(entry: CatalogEntry, case: Case) -> bool:
    draft = case.draft or {}
    checks = [
        not entry.procedures or case.procedure in entry.procedures,
        not entry.fields or case.details.get("field") in entry.fields,
        not entry.penalty_kinds or bool(set(kinds(draft)) & set(entry.penalty_kinds)),
        not entry.party_types or case.party.get("type") in entry.party_types,
        entry.min_amount is None
        or money(draft.get("amount")) + money(draft.get("confiscation"))
        >= Decimal(entry.min_amount),
    ]
    return all(checks)


def review_grounds(case: Case, policy: Policy, proc: Procedure) -> list[str]:
    """Every ground that makes review required for this case; empty when none applies."""
    if proc.rules.review_always:
        return [proc.rules.review_always]
    grounds = []
    if heard(case):
        grounds.append("经过听证程序（行政处罚法第五十八条第一款第（二）项；本局实施方案：经听证的案件一律审核）")
    for trigger in (case.draft or {}).get("triggers") or []:
        if trigger in TRIGGERS:
            grounds.append(f"{TRIGGERS[trigger]}（行政处罚法第五十八条）")
    for entry in policy.catalog:
        if _catalog_matches(entry, case):
            grounds.append(f"列入法制审核目录清单：{entry.name}")
    return grounds + discretion_grounds(case)


def discretion_grounds(case: Case) -> list[str]:
    """A fine outside the benchmark's suggested range, or 从重 and 从轻 grounds at once, is
    reviewed (行政处罚法 Art. 34; 国办发〔2022〕27号: 裁量基准 applied and reviewed)."""
    record = (case.draft or {}).get("discretion") if imposes_penalty(case.draft) else None
    if not isinstance(record, dict):
        return []
    grounds = []
    if record.get("position") in ("below", "above"):
        side = "低于" if record["position"] == "below" else "高于"
        fine = (record.get("suggested") or {}).get("fine") or {}
        grounds.append(f"罚款{side}裁量基准{record.get('benchmark')}「{record.get('tier_label')}」建议幅度"
                       f"（{fine.get('min', '0')}元至{fine.get('max', '0')}元），理由：{record.get('reason') or '未写明'}"
                       "（行政处罚法第三十四条）")  # fmt: skip
    if record.get("conflict"):
        grounds.append(f"同时具有从重和从轻（减轻）情节，适用裁量基准{record.get('benchmark')}须经审核（行政处罚法第三十四条）")
    like = (case.draft or {}).get("like_cases")
    if isinstance(like, dict) and like.get("flagged"):
        grounds.append(f"罚款偏离同事项同阶次类案（{like.get('count')}件）中位数{like.get('deviation')}，"
                       "超过50%（国办发〔2022〕27号：类案同罚）")  # fmt: skip
    return grounds


def discretion_point(case: Case) -> dict[str, Any] | None:
    """The reviewer's checklist point 「适用法律、法规、规章准确，裁量基准运用适当」: the benchmark's
    ranges beside the draft."""
    draft = case.draft or {}
    record = draft.get("discretion")
    if not isinstance(record, dict):
        return None
    return {
        "point": "law_discretion", "label": CHECKLIST["law_discretion"],
        "benchmark": record.get("benchmark"), "document": record.get("document"),
        "violation": record.get("violation"), "tier": record.get("tier"),
        "tier_label": record.get("tier_label"), "legal": record.get("legal"),
        "suggested": record.get("suggested"), "amount": record.get("amount"),
        "kinds": list(draft.get("penalty_kinds") or []), "position": record.get("position"),
        "reason": record.get("reason"), "conflict": record.get("conflict"),
        "grounds": record.get("grounds") or [], "version_note": record.get("version_note"),
        "basis": {"forbids": record.get("forbids"), "punishes": record.get("punishes")},
    }  # fmt: skip


def heard(case: Case) -> bool:
    """A hearing was held to its end (one the party walked out of was waived, Art. 64(六))."""
    hearing = case.hearing or {}
    return bool(hearing.get("concluded_on")) and hearing.get("ending", "held") == "held"


def is_major(case: Case) -> bool:
    """A major case needs collective discussion before decision (行政处罚法 Art. 57 ¶2)."""
    triggers = (case.draft or {}).get("triggers") or []
    return bool(triggers) or heard(case)


#: 国办发〔2018〕118号 (十一): legal reviewers are in principle no fewer than 5% of enforcement staff.
REVIEWER_FLOOR_PERCENT = 5.0


def reviewer_share(staff: Iterable[Person]) -> dict[str, Any]:
    """Active reviewers against active certified-role enforcement staff (officers)."""
    active = [p for p in staff if p.active]
    officers = sum("officer" in p.roles for p in active)
    reviewers = sum("reviewer" in p.roles for p in active)
    percent = 100.0 * reviewers / officers if officers else 0.0
    return {
        "reviewers": reviewers,
        "enforcement_staff": officers,
        "percent": percent,
        "meets_floor": percent >= REVIEWER_FLOOR_PERCENT,
        "source": "国办发〔2018〕118号（十一）",
    }
