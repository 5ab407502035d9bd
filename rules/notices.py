"""Which notice (执法文书) an act produces: the names the procedure definitions use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

NOTICE_LABELS: dict[str, str] = {
    "filing_approval": "立案审批表",
    "audit_notice": "审计通知书",
    "penalty_notice": "行政处罚事先告知书",
    "audit_opinion_request": "审计报告征求意见书",
    "hearing_rights_notice": "听证告知书",
    "hearing_notice": "听证通知书",
    "supplement_notice": "补充材料通知书",
    "review_opinion": "法制审核意见书",
    "penalty_decision": "行政处罚决定书",
    "no_penalty_decision": "不予行政处罚决定书",
    "referral": "移送书",
    "audit_decision": "审计决定书",
    "audit_referral": "审计移送处理书",
    "service_receipt": "送达回证",
    "closing_report": "结案报告",
    "file_index": "卷宗目录",
}


def decision_notices(procedure: str, draft: Mapping[str, Any]) -> list[str]:
    """决定 produces the document that matches the outcome (domain.md §3.1, §3.2)."""
    outcome = draft.get("outcome")
    if procedure == "audit":
        return ["audit_decision", "audit_referral"] if outcome == "refer" else ["audit_decision"]
    return {
        "penalty": ["penalty_decision"],
        "refer": ["referral"],
    }.get(str(outcome), ["no_penalty_decision"])


def _opinion_request(
    procedure: str, case_draft: Mapping[str, Any] | None, eligible: bool
) -> list[str]:
    return (
        ["audit_opinion_request", "hearing_rights_notice"]
        if eligible
        else ["audit_opinion_request"]
    )


#: Notice names that depend on the case: name -> (procedure, draft, hearing-eligible) -> kinds.
NOTICE_RULES = {
    "decision_documents": lambda procedure, draft, eligible: decision_notices(
        procedure, draft or {}
    ),
    "opinion_request": _opinion_request,
}


def notices_for(
    name: str, procedure: str, draft: Mapping[str, Any] | None, eligible: bool
) -> list[str]:
    """The notice kinds an act's notice name stands for, given the case's draft."""
    if name in NOTICE_LABELS:
        return [name]
    return list(NOTICE_RULES[name](procedure, draft, eligible))
