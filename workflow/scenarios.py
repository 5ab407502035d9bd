"""Realistic cases, step by step: the demo drives them and the tests replay them.

Dates run through 2026's Mid-Autumn and National Day holidays and the 10 October make-up
working day, so the working-day rules are exercised on real calendars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.model import Person

CERT_UNTIL = date(2028, 12, 31)

STAFF: tuple[Person, ...] = (
    Person("王明", ("officer",), "铁审执01001", "审计执法", CERT_UNTIL),
    Person("李华", ("officer",), "铁审执01002", "审计执法", CERT_UNTIL),
    Person("赵刚", ("head",)),
    Person("陈静", ("reviewer",), legal_qualified=True),
    Person("孙丽", ("reviewer",), legal_qualified=True),
    Person("周平", ("hearing_officer",)),
    Person("刘洋", ("publisher",)),
    Person("吴敏", ("auditor",)),
)

ALL_PASS = {
    point: {"result": "pass", "comment": "符合规定"}
    for point in (
        "subject", "procedure", "facts_evidence", "law_discretion",
        "authority", "documents", "referral",
    )
}  # fmt: skip


@dataclass(frozen=True)
class Step:
    actor: str
    action: str
    on: date
    data: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class Scenario:
    procedure: str
    title: str
    steps: tuple[Step, ...]


PENALTY_WITH_HEARING = Scenario(
    "penalty",
    "行政处罚案件（经听证）",
    (
        Step(
            "王明",
            "open",
            date(2026, 8, 3),
            {
                "title": "铁锋某建设有限公司虚报冒领财政补助资金案",
                "party": "铁锋某建设有限公司",
                "party_type": "unit",
                "party_id": "91230200MA1B2C3D4E",
                "party_address": "铁锋区工业路88号",
                "source": "2026年专项审计发现该公司以虚假材料申领财政补助资金150万元",
            },
        ),
        Step("赵刚", "assign", date(2026, 8, 3), {"person": "李华", "role": "officer"}),
        Step("赵刚", "investigate", date(2026, 8, 4)),
        Step(
            "王明",
            "add_evidence",
            date(2026, 8, 5),
            {"type": "documentary", "title": "补助资金申请材料及拨付凭证"},
        ),
        Step(
            "李华",
            "add_evidence",
            date(2026, 8, 6),
            {"type": "inspection_record", "title": "现场检查笔录", "place": "铁锋区工业路88号"},
        ),
        Step(
            "王明",
            "draft_decision",
            date(2026, 8, 10),
            {
                "outcome": "penalty",
                "penalty_kind": "fine",
                "amount": "150000",
                "facts": "以虚假材料申领财政补助资金150万元",
                "basis": "《财政违法行为处罚处分条例》第十四条",
            },
        ),
        Step(
            "王明",
            "notify",
            date(2026, 8, 11),
            {"method": "direct", "recipient": "张经理（公司授权代表）"},
        ),
        Step("王明", "request_hearing", date(2026, 8, 13), {"text": "当事人书面申请听证"}),
        Step(
            "赵刚",
            "schedule_hearing",
            date(2026, 8, 14),
            {
                "hearing_officer": "周平",
                "hearing_date": "2026-08-26",
                "hearing_time": "上午9时30分",
                "place": "本局第一会议室",
                "clerk": "孙丽",
            },
        ),
        Step(
            "周平",
            "conclude_hearing",
            date(2026, 8, 26),
            {"transcript": "听证笔录：当事人对事实无异议，请求从轻"},
        ),
        Step(
            "王明",
            "draft_decision",
            date(2026, 8, 27),
            {
                "outcome": "penalty",
                "penalty_kind": "fine",
                "amount": "120000",
                "facts": "以虚假材料申领财政补助资金150万元，已主动退回部分资金",
                "basis": "《财政违法行为处罚处分条例》第十四条；《行政处罚法》第三十二条",
            },
            "听证后采纳从轻意见",
        ),
        Step(
            "王明",
            "submit_review",
            date(2026, 8, 28),
            {"materials": ["案件调查终结报告", "听证笔录", "证据材料"]},
        ),
        Step(
            "陈静", "approve_review", date(2026, 9, 1), {"checklist": ALL_PASS, "opinion": "同意"}
        ),
        Step(
            "赵刚",
            "decide",
            date(2026, 9, 2),
            {
                "collective_discussion": "2026年9月2日局务会集体讨论同意",
                "statement_response": "当事人在听证中提出已主动退回部分资金，经复核属实，予以采纳，依法从轻处罚",
            },
        ),
        Step(
            "王明",
            "serve",
            date(2026, 9, 3),
            {"method": "direct", "recipient": "张经理（公司授权代表）"},
        ),
        Step(
            "王明",
            "record_execution",
            date(2026, 9, 15),
            {"text": "当事人已缴清罚款", "amount_paid": "120000"},
        ),
        Step("赵刚", "close", date(2026, 9, 16)),
        Step("王明", "archive", date(2026, 9, 17)),
    ),
)

AUDIT_WITH_SUPPLEMENT = Scenario(
    "audit",
    "审计案件（审核要求补充材料）",
    (
        Step(
            "王明",
            "open",
            date(2026, 9, 1),
            {
                "title": "铁锋区某局2025年度财政收支审计",
                "party": "铁锋区某局",
                "party_type": "unit",
                "party_id": "11230200MB1X5Y6T78",
                "party_address": "铁锋区政府路2号",
                "scope": "2025年度财政收支",
                "period": "2025年1月1日至2025年12月31日",
            },
        ),
        Step("赵刚", "assign", date(2026, 9, 1), {"person": "李华", "role": "officer"}),
        Step(
            "王明",
            "serve_audit_notice",
            date(2026, 9, 2),
            {"method": "direct", "recipient": "铁锋区某局办公室"},
        ),
        Step("赵刚", "investigate", date(2026, 9, 7)),
        Step(
            "王明",
            "add_evidence",
            date(2026, 9, 8),
            {"type": "documentary", "title": "会计凭证及账簿"},
        ),
        Step(
            "李华",
            "add_evidence",
            date(2026, 9, 9),
            {"type": "electronic", "title": "财务系统导出数据"},
        ),
        Step(
            "王明",
            "draft_decision",
            date(2026, 9, 15),
            {
                "outcome": "penalty",
                "penalty_kind": "fine",
                "amount": "50000",
                "facts": "违规发放津贴补贴",
                "basis": "《审计法》第五十二条",
                "audit_subject": "fiscal",
            },
        ),
        Step(
            "王明",
            "solicit_opinion",
            date(2026, 9, 16),
            {"method": "direct", "recipient": "铁锋区某局"},
        ),
        Step("王明", "record_statement", date(2026, 9, 22), {"text": "被审计单位书面意见：无异议"}),
        Step(
            "王明", "submit_review", date(2026, 9, 23), {"materials": ["审计报告", "审计工作底稿"]}
        ),
        Step(
            "陈静",
            "request_supplement",
            date(2026, 9, 24),
            {"items": ["津贴发放明细表"], "due": "2026-09-30"},
        ),
        Step(
            "王明",
            "add_evidence",
            date(2026, 9, 28),
            {"type": "documentary", "title": "津贴发放明细表"},
        ),
        Step(
            "王明",
            "submit_review",
            date(2026, 9, 29),
            {"materials": ["审计报告", "津贴发放明细表"]},
        ),
        Step(
            "陈静", "approve_review", date(2026, 10, 9), {"checklist": ALL_PASS, "opinion": "同意"}
        ),
        Step(
            "赵刚",
            "decide",
            date(2026, 10, 10),
            {"statement_response": "被审计单位书面意见无异议，维持审计报告意见"},
        ),
        Step("王明", "serve", date(2026, 10, 12), {"method": "direct", "recipient": "铁锋区某局"}),
        Step("王明", "record_execution", date(2026, 10, 30), {"text": "被审计单位报送整改报告"}),
        Step("赵刚", "close", date(2026, 11, 2)),
        Step("王明", "archive", date(2026, 11, 3)),
    ),
)

SCENARIOS = (PENALTY_WITH_HEARING, AUDIT_WITH_SUPPLEMENT)
