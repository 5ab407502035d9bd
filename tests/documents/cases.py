"""Realistic cases that, together, produce every notice kind of both procedures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from states.audit import AUDIT
from states.penalty import PENALTY
from workflow.scenarios import (
    ALL_PASS,
    AUDIT_WITH_SUPPLEMENT,
    PENALTY_WITH_HEARING,
    SEAL_ON_THE_AUDIT,
    SUMMARY_ON_THE_SPOT,
    Scenario,
    Step,
)


def _before(scenario: Scenario, action: str) -> tuple[Step, ...]:
    steps = scenario.steps
    return steps[: next(i for i, s in enumerate(steps) if s.action == action)]


def _review_and_decide(day: date, decide: dict[str, Any] | None = None) -> tuple[Step, ...]:
    later = day.replace(day=day.day + 1)
    return (
        Step("王明", "submit_review", day, {"materials": ["调查终结报告"]}),
        Step("陈静", "approve_review", later, {"checklist": ALL_PASS, "opinion": "同意"}),
        Step("赵刚", "decide", later.replace(day=later.day + 1), decide or {}),
    )


#: 不予行政处罚: minor, first offence, corrected (行政处罚法 Art. 33).
NO_PENALTY = Scenario(PENALTY.id, "不予处罚", (
    *_before(PENALTY_WITH_HEARING, "draft_decision"),
    Step("王明", "draft_decision", date(2026, 3, 9), {
        "outcome": "no_penalty_minor", "ground": "art33_first",
        "education": "向当事人讲解财政补助资金申报规定，当事人表示今后如实申报",
        "facts": "初次违规申报且金额较小，已于当日改正",
        "basis": "《中华人民共和国行政处罚法》第三十三条第一款"}),
    *_review_and_decide(date(2026, 3, 10)),
))  # fmt: skip

#: 移送: a suspected crime goes to the police (行政处罚法 Art. 27).
REFERRAL = Scenario(PENALTY.id, "移送", (
    *_before(PENALTY_WITH_HEARING, "draft_decision"),
    Step("王明", "draft_decision", date(2026, 3, 9), {
        "outcome": "refer", "refer_to": "铁锋区公安分局", "facts": "涉嫌以虚假材料骗取财政资金，数额较大",
        "basis": "《行政执法机关移送涉嫌犯罪案件的规定》第三条"}),
    *_review_and_decide(date(2026, 3, 10)),
))  # fmt: skip

#: A fine paid in instalments after the head approved the party's application (Art. 66 ¶2).
def _other_party(step: Step) -> Step:
    if step.action != "open":
        return step
    return replace(step, data={**step.data, "title": "铁锋某商贸有限公司违规使用财政资金案",
                               "party": "铁锋某商贸有限公司", "party_id": "91230200MA1B2C3D5H",
                               "violation": "违规使用财政补助资金", "violation_on": "2025-12-01"})


DEFERRAL = Scenario(PENALTY.id, "分期缴纳", (
    *map(_other_party, _before(PENALTY_WITH_HEARING, "draft_decision")),
    Step("王明", "draft_decision", date(2026, 3, 9), {
        "outcome": "penalty", "penalty_kinds": ["fine"], "amount": "60000",
        "facts": "违规使用财政补助资金60万元", "basis": "《财政违法行为处罚处分条例》第十四条",
        "triggers": ["complex"]}),
    Step("王明", "notify", date(2026, 3, 10), {"method": "direct", "recipient": "张经理"}),
    Step("王明", "waive", date(2026, 3, 11), {"text": "当事人书面放弃陈述、申辩"}),
    *_review_and_decide(date(2026, 3, 16), {"collective_discussion": "局务会集体讨论同意"}),
    Step("王明", "serve", date(2026, 3, 19), {"method": "direct", "recipient": "张经理"}),
    Step("赵刚", "grant_deferral", date(2026, 3, 26), {
        "application": "受市场影响资金周转困难，申请分两期缴纳",
        "approval": "经审查属实，同意分两期缴纳",
        "schedule": [{"due": "2026-04-30", "amount": "30000"}, {"due": "2026-06-30", "amount": "30000"}]}),
    Step("王明", "record_payment", date(2026, 4, 28),
         {"amount": "30000", "channel": "bank", "receipt": "No.1"}),
    Step("王明", "record_payment", date(2026, 6, 29),
         {"amount": "30000", "channel": "electronic", "receipt": "No.2"}),
    Step("赵刚", "close", date(2026, 6, 30)),
))  # fmt: skip

_AUDIT_DRAFT = next(s for s in AUDIT_WITH_SUPPLEMENT.steps if s.action == "draft_decision")

#: An audit of 财务收支 whose draft fine is hearing-eligible: 征求意见书 with 听证告知书
#: (审计法 Art. 50; 审计法实施条例 Art. 50).
def _audit_with_fine(step: Step) -> tuple[Step, ...]:
    if step is _AUDIT_DRAFT:
        return (replace(step, data={
            **step.data, "outcome": "penalty", "audit_subject": "financial",
            "penalty_kinds": ["warning", "fine"], "amount": "150000", "power": "SJ-CF-001",
            "violation_on": "2025-06-30", "discovered_on": "2026-09-10",
            "basis": "《中华人民共和国审计法》第五十条；《中华人民共和国审计法实施条例》第四十九条"}),)
    if step.action == "serve":
        return (step, Step("王明", "record_payment", date(2026, 10, 20),
                           {"amount": "150000", "channel": "bank", "receipt": "No.9"}))
    return (step,)


AUDIT_HEARING_ELIGIBLE = Scenario(AUDIT.id, "审计（可听证）", tuple(
    s for step in AUDIT_WITH_SUPPLEMENT.steps for s in _audit_with_fine(step)
))  # fmt: skip

#: An audit decision that also refers a matter on (审计移送处理书), on 财务收支 (审计法 Art. 45).
AUDIT_REFERRAL = Scenario(AUDIT.id, "审计移送", (
    *_before(AUDIT_WITH_SUPPLEMENT, "draft_decision"),
    Step("王明", "draft_decision", date(2026, 9, 15), {
        "outcome": "refer", "refer_to": "铁锋区纪委监委", "audit_subject": "financial",
        "facts": "违规发放津贴补贴涉及领导干部违纪", "basis": "《中华人民共和国审计法》第四十五条"}),
    Step("王明", "solicit_opinion", date(2026, 9, 16), {"method": "direct", "recipient": "铁锋区某局"}),
    Step("王明", "record_statement", date(2026, 9, 22), {"text": "无异议"}),
    Step("王明", "submit_review", date(2026, 9, 23), {"materials": ["审计报告"]}),
    Step("陈静", "approve_review", date(2026, 9, 24), {"checklist": ALL_PASS, "opinion": "同意"}),
    Step("赵刚", "audit_report", date(2026, 9, 24), {"text": "发现违纪问题线索，依法移送"}),
    Step("赵刚", "decide", date(2026, 9, 28), {"statement_response": "被审计单位无异议"}),
))  # fmt: skip

def _measure(kind: str, title: str, items: list[str], release: dict[str, Any],
             **extra: Any) -> Scenario:  # fmt: skip
    """A 行政强制措施 of the given kind in the audit case, carried out and ended."""
    opening, approve, execute, *_rest = SEAL_ON_THE_AUDIT.steps
    stop = {"stop_order": "2026年9月9日书面责令停止违规发放，仍继续发放"} if kind == "suspend_payment" else {}
    return replace(SEAL_ON_THE_AUDIT, title=title, steps=(
        replace(opening, data={**opening.data, "kind": kind, "title": title, "items": items, **stop}),
        approve,
        replace(execute, data={**execute.data, **extra}),
        Step("赵刚", "release_measure", date(2026, 9, 14), release),
    ))  # fmt: skip


#: 先行登记保存 (行政处罚法 Art. 56): the items dealt with by a 处理决定书 within 7 days.
REGISTRATION = _measure("registration", "先行登记保存现金日记账", ["2025年度现金日记账1册"],
                        {"disposal": "return", "reason": "已复制取证，原件退还"})  # fmt: skip
#: 暂停拨付 (审计法 Art. 38 ¶3): the finance department told, then released by decision.
SUSPENSION = _measure("suspend_payment", "暂停拨付违规津贴补贴款项", ["2026年第四季度津贴补贴拨款"],
                      {"disposal": "release", "reason": "被审计单位已停止违规发放"},
                      recipient="铁锋区财政局")  # fmt: skip

SCENARIOS = (PENALTY_WITH_HEARING, AUDIT_WITH_SUPPLEMENT, NO_PENALTY, REFERRAL, DEFERRAL,
             AUDIT_HEARING_ELIGIBLE, AUDIT_REFERRAL, SUMMARY_ON_THE_SPOT, SEAL_ON_THE_AUDIT,
             REGISTRATION, SUSPENSION)  # fmt: skip
