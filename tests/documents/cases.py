"""Realistic cases that, together, produce every notice kind of both procedures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from workflow.scenarios import ALL_PASS, AUDIT_WITH_SUPPLEMENT, PENALTY_WITH_HEARING, Scenario, Step


def _before(scenario: Scenario, action: str) -> tuple[Step, ...]:
    steps = scenario.steps
    return steps[: next(i for i, s in enumerate(steps) if s.action == action)]


def _review_and_decide(start: int, decide: dict[str, Any] | None = None) -> tuple[Step, ...]:
    return (
        Step("王明", "submit_review", date(2026, 8, start), {"materials": ["调查终结报告"]}),
        Step(
            "陈静",
            "approve_review",
            date(2026, 8, start + 1),
            {"checklist": ALL_PASS, "opinion": "同意"},
        ),  # fmt: skip
        Step("赵刚", "decide", date(2026, 8, start + 2), decide or {}),
    )


#: 不予行政处罚: minor, first offence, corrected (行政处罚法 Art. 33).
NO_PENALTY = Scenario("penalty", "不予处罚", (
    *_before(PENALTY_WITH_HEARING, "draft_decision"),
    Step("王明", "draft_decision", date(2026, 8, 10), {
        "outcome": "no_penalty_minor", "facts": "初次违规申报且金额较小，已于当日改正",
        "basis": "《财政违法行为处罚处分条例》第十四条"}),
    *_review_and_decide(11),
))  # fmt: skip

#: 移送: a suspected crime goes to the police (行政处罚法 Art. 27).
REFERRAL = Scenario("penalty", "移送", (
    *_before(PENALTY_WITH_HEARING, "draft_decision"),
    Step("王明", "draft_decision", date(2026, 8, 10), {
        "outcome": "refer", "refer_to": "铁锋区公安分局", "facts": "涉嫌以虚假材料骗取财政资金，数额较大",
        "basis": "《行政执法机关移送涉嫌犯罪案件的规定》第三条"}),
    *_review_and_decide(11),
))  # fmt: skip

_AUDIT_DRAFT = next(s for s in AUDIT_WITH_SUPPLEMENT.steps if s.action == "draft_decision")

#: An audit whose draft fine is hearing-eligible: 征求意见书 with 听证告知书.
AUDIT_HEARING_ELIGIBLE = Scenario("audit", "审计（可听证）", tuple(
    replace(s, data={**s.data, "amount": "150000"}) if s is _AUDIT_DRAFT else s
    for s in AUDIT_WITH_SUPPLEMENT.steps
))  # fmt: skip

#: An audit decision that also refers a matter on (审计移送处理书), on 财务收支.
AUDIT_REFERRAL = Scenario("audit", "审计移送", (
    *_before(AUDIT_WITH_SUPPLEMENT, "draft_decision"),
    Step("王明", "draft_decision", date(2026, 9, 15), {
        "outcome": "refer", "refer_to": "铁锋区纪委监委", "audit_subject": "financial",
        "facts": "违规发放津贴补贴涉及领导干部违纪", "basis": "《审计法》第五十二条"}),
    Step("王明", "solicit_opinion", date(2026, 9, 16), {"method": "direct", "recipient": "铁锋区某局"}),
    Step("王明", "record_statement", date(2026, 9, 22), {"text": "无异议"}),
    Step("王明", "submit_review", date(2026, 9, 23), {"materials": ["审计报告"]}),
    Step("陈静", "approve_review", date(2026, 9, 24), {"checklist": ALL_PASS, "opinion": "同意"}),
    Step("赵刚", "decide", date(2026, 9, 25), {"statement_response": "被审计单位无异议"}),
))  # fmt: skip

SCENARIOS = (PENALTY_WITH_HEARING, AUDIT_WITH_SUPPLEMENT, NO_PENALTY, REFERRAL,
             AUDIT_HEARING_ELIGIBLE, AUDIT_REFERRAL)  # fmt: skip
