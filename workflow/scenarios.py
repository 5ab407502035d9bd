"""Realistic cases, step by step: the demo drives them and the tests replay them.

Dates run through 2026's Mid-Autumn and National Day holidays and the 10 October make-up
working day, so the working-day rules are exercised on real calendars.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rules.model import Person
from states.audit import AUDIT
from states.measure import MEASURE
from states.penalty import PENALTY
from states.summary import SUMMARY
from states.vocabulary import Outcome

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
    #: the demo shows the law refusing an officer's own decision before this step
    show_refusal_before: str = ""
    #: a case attached to another (a 行政强制措施): (the parent scenario's title, the parent's
    #: action before which this one runs); its opening names the parent case
    attach: tuple[str, str] | None = None


PENALTY_WITH_HEARING = Scenario(
    PENALTY.id,
    "行政处罚案件（经听证，部分缴纳，催告后申请法院强制执行）",
    (
        Step(
            "王明",
            "open",
            date(2026, 3, 2),
            {
                "title": "铁锋某建设有限公司虚报冒领财政补助资金案",
                "party": "铁锋某建设有限公司",
                "party_type": "unit",
                "party_id": "91230200MA1B2C3D4E",
                "party_address": "铁锋区工业路88号",
                "source": "2026年专项审计发现该公司以虚假材料申领财政补助资金150万元",
                "power": "SJ-CF-003",
                "violation": "以虚假材料申领财政补助资金",
                "violation_on": "2025-11-10",
                "discovered_on": "2026-02-26",
            },
        ),
        Step("赵刚", "assign", date(2026, 3, 2), {"person": "李华", "role": "officer"}),
        Step("赵刚", "investigate", date(2026, 3, 3)),
        Step(
            "王明",
            "add_evidence",
            date(2026, 3, 4),
            {"type": "documentary", "title": "补助资金申请材料及拨付凭证"},
        ),
        Step(
            "李华",
            "add_evidence",
            date(2026, 3, 5),
            {"type": "inspection_record", "title": "现场检查笔录", "place": "铁锋区工业路88号"},
        ),
        Step(
            "王明",
            "draft_decision",
            date(2026, 3, 9),
            {
                "outcome": Outcome.PENALTY,
                "penalty_kinds": ["warning", "fine"],
                "amount": "150000",
                "facts": "以虚假材料申领财政补助资金150万元",
                "basis": "《财政违法行为处罚处分条例》第十四条",
                # 裁量基准 SJ-CF-003-01: 初次违法 → 从轻 (10%–19% of the funds)
                "benchmark": "SJ-CF-003-01",
                "amount_involved": "1500000",
                "harm": "slight",
                "first_offence": True,
            },
        ),
        Step(
            "王明",
            "notify",
            date(2026, 3, 10),
            {"method": "direct", "recipient": "张经理（公司授权代表）"},
        ),
        Step("王明", "request_hearing", date(2026, 3, 12), {"text": "当事人书面申请听证"}),
        Step(
            "赵刚",
            "schedule_hearing",
            date(2026, 3, 13),
            {
                "hearing_officer": "周平",
                "hearing_date": "2026-03-25",
                "hearing_time": "上午9时30分",
                "place": "本局第一会议室",
                "clerk": "孙丽",
            },
        ),
        Step(
            "周平",
            "conclude_hearing",
            date(2026, 3, 25),
            {"ending": "held", "transcript": "听证笔录：当事人对事实无异议，请求从轻"},
        ),
        Step(
            "王明",
            "draft_decision",
            date(2026, 3, 26),
            {
                "outcome": Outcome.PENALTY,
                "penalty_kinds": ["warning", "fine"],
                "amount": "120000",
                "facts": "以虚假材料申领财政补助资金150万元，已主动退回部分资金",
                "basis": "《财政违法行为处罚处分条例》第十四条；《中华人民共和国行政处罚法》第三十二条",
                "mitigation": "当事人初次违法，主动退回部分资金，减轻了违法行为的危害后果，依照《中华人民共和国行政处罚法》第三十二条第（一）项减轻处罚",
                # 行政处罚法 Art. 32(1) and the benchmark's 减轻 tier: below the 10% minimum
                "benchmark": "SJ-CF-003-01",
                "amount_involved": "1500000",
                "harm": "slight",
                "first_offence": True,
                "mitigated_harm": True,
            },
            "听证后采纳从轻意见",
        ),
        Step(
            "王明",
            "submit_review",
            date(2026, 3, 27),
            {"materials": ["案件调查终结报告", "听证笔录", "证据材料"]},
        ),
        Step(
            "陈静", "approve_review", date(2026, 3, 31), {"checklist": ALL_PASS, "opinion": "同意"}
        ),
        Step(
            "赵刚",
            "decide",
            date(2026, 4, 1),
            {
                "collective_discussion": "2026年4月1日局务会集体讨论同意",
                "statement_response": "当事人在听证中提出已主动退回部分资金，经复核属实，予以采纳，依法从轻处罚",
            },
        ),
        Step(
            "王明",
            "serve",
            date(2026, 4, 2),
            {"method": "direct", "recipient": "张经理（公司授权代表）"},
        ),
        Step(
            "王明",
            "record_payment",
            date(2026, 4, 15),
            {"amount": "50000", "channel": "bank", "receipt": "铁锋农商行罚没款票据 No.0038211"},
            "部分缴纳",
        ),
        Step(
            "王明",
            "urge",
            date(2026, 4, 27),
            {"method": "direct", "recipient": "张经理（公司授权代表）"},
            "逾期未缴清：催告",
        ),
        Step(
            "赵刚",
            "apply_enforcement",
            date(2026, 10, 20),
            {"court": "铁锋区人民法院", "materials": "行政处罚决定书、送达回证、催告书及送达回证、缴款凭证"},
            "复议、诉讼期限届满未履行：申请法院强制执行",
        ),
        Step(
            "王明",
            "record_court_ruling",
            date(2026, 10, 29),
            {"ruling": "granted", "reference": "（2026）黑0202行审15号", "text": "法院裁定准予执行"},
        ),
        Step("赵刚", "close", date(2026, 10, 30), {"text": "已申请人民法院强制执行，法院裁定准予执行"}),
        Step("王明", "archive", date(2026, 11, 2)),
    ),
    show_refusal_before="decide",
)

AUDIT_WITH_SUPPLEMENT = Scenario(
    AUDIT.id,
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
                "outcome": Outcome.MEASURES,
                "facts": "2025年度违反规定发放津贴补贴50000元",
                "basis": "《中华人民共和国审计法》第四十九条第（一）项",
                "audit_subject": "fiscal",
                "measures": [{"kind": "pay_in", "amount": "50000", "days": 30,
                              "text": "收回违规发放的津贴补贴并上缴财政"}],
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
            "audit_report",
            date(2026, 10, 9),
            {"text": "该局2025年度预算执行总体较好；存在违反规定发放津贴补贴50000元的问题。",
             "reported_to": "铁锋市审计局"},
        ),
        Step(
            "赵刚",
            "decide",
            date(2026, 10, 10),
            {"statement_response": "被审计单位书面意见无异议，维持审计报告意见"},
        ),
        Step("王明", "serve", date(2026, 10, 12), {"method": "direct", "recipient": "铁锋区某局"}),
        Step(
            "王明",
            "record_compliance",
            date(2026, 10, 28),
            {"item": 1, "text": "已收回津贴补贴50000元并上缴财政", "amount": "50000"},
        ),
        Step("王明", "record_execution", date(2026, 10, 30), {"text": "被审计单位报送整改报告"}),
        Step("赵刚", "close", date(2026, 11, 2)),
        Step("王明", "archive", date(2026, 11, 3)),
    ),
)

SUMMARY_ON_THE_SPOT = Scenario(
    SUMMARY.id,
    "简易程序案件（当场处罚、当场收缴）",
    (
        Step(
            "王明",
            "open",
            date(2026, 11, 3),
            {
                "title": "张某拖延提供审计资料案",
                "party": "张某",
                "party_type": "individual",
                "party_id": "230202198503121238",
                "party_address": "铁锋区工业路1号",
                "partner": "李华",
                "place": "铁锋区某局财务科",
                "violation": "拖延提供与审计事项有关的资料",
                "violation_on": "2026-11-02",
                "power": "SJ-CF-002",
            },
        ),
        Step(
            "王明",
            "decide_on_spot",
            date(2026, 11, 3),
            {
                "penalty_kinds": ["fine"],
                "amount": "100",
                "facts": "经责令改正，仍拖延一日提供2025年度津贴发放资料",
                "basis": "《中华人民共和国审计法实施条例》第四十七条",
                "rights_told": True,
                "statement": "当事人对事实无异议，当场提供了资料",
                "time": "上午10时20分",
            },
        ),
        Step("王明", "collect_on_spot", date(2026, 11, 3),
             {"amount": "100", "ground": "small", "receipt": "黑财罚字No.0007731"}),
        Step("王明", "hand_to_agency", date(2026, 11, 4), {"amount": "100"}),
        Step("赵刚", "deposit_to_bank", date(2026, 11, 5), {"amount": "100", "receipt": "缴款书No.26-1105"}),
        Step("王明", "file_with_agency", date(2026, 11, 5), {"text": "当场处罚决定书及收据存根报局备案"}),
        Step("赵刚", "close", date(2026, 11, 6)),
        Step("王明", "archive", date(2026, 11, 9)),
    ),
)

SEAL_ON_THE_AUDIT = Scenario(
    MEASURE.id,
    "行政强制措施（审计中封存会计资料）",
    (
        Step(
            "王明",
            "open",
            date(2026, 9, 10),
            {
                "kind": "seal",
                "title": "封存2025年度会计凭证及津贴发放资料",
                "party": "铁锋区某局",
                "party_type": "unit",
                "party_id": "11230200MB1X5Y6T78",
                "party_address": "铁锋区政府路2号",
                "reasons": "审计中发现该局有转移、隐匿津贴发放原始凭证的迹象",
                "basis": "《中华人民共和国审计法》第三十八条第二款",
                "items": ["2025年度记账凭证1—12月共36册", "津贴补贴发放原始凭证1袋"],
                "partner": "李华",
            },
        ),
        Step("赵刚", "approve_measure", date(2026, 9, 10), {"text": "同意封存，签发封存通知书"}),
        Step(
            "王明",
            "execute_measure",
            date(2026, 9, 10),
            {
                "present": True,
                "rights_told": True,
                "statement": "被审计单位对封存无异议",
                "record": "现场笔录：当场清点封存凭证36册、原始凭证1袋，被审计单位财务科长签字",
                "custodian": "铁锋区某局财务科",
            },
        ),
        Step("赵刚", "extend_measure", date(2026, 9, 17), {"days": 5, "reason": "原始凭证尚未核对完毕"}),
        Step("赵刚", "release_measure", date(2026, 9, 22),
             {"disposal": "release", "reason": "已依法取得相关证明材料"}),
        Step("王明", "archive", date(2026, 9, 23)),
    ),
    attach=("审计案件（审核要求补充材料）", "draft_decision"),
)

SCENARIOS = (PENALTY_WITH_HEARING, AUDIT_WITH_SUPPLEMENT, SUMMARY_ON_THE_SPOT, SEAL_ON_THE_AUDIT)
