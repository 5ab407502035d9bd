"""Every notice renders for realistic cases of both procedures, with its mandatory content
(domain.md §6), numbered per GB/T 9704 and kept in the record."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from documents.formatting import date_cn, money, money_capitals
from documents.render import sha256_text
from rules.drafts import imposes_penalty
from rules.model import Case
from rules.notices import NOTICE_LABELS
from tests.conftest import make_office, run_steps
from tests.documents.cases import SCENARIOS
from workflow.service import Office

Check = Callable[[Case, dict[str, Any]], list[str]]


def _party(case: Case, _n: dict[str, Any]) -> list[str]:
    return [case.party["name"]]


def _decision(case: Case, _n: dict[str, Any]) -> list[str]:
    """行政处罚法 Art. 59: party, id, address, facts, evidence, penalty and basis, statement
    answered, payment (15 days, bank, 3%), remedies (60 days / 6 months), agency, date."""
    draft = (case.decision or {})["draft"]
    return [
        case.party["name"], case.party["id"], case.party["address"], draft["facts"],
        draft["basis"], *[e["title"] for e in case.evidence], money(draft["amount"]),
        money_capitals(draft["amount"]), "15日", "3%", "铁锋区人民政府申请行政复议",
        "6个月内依法向铁锋区人民法院提起行政诉讼", "陈述、申辩及采纳情况",
        case.decision.get("statement_response", "书面放弃了陈述、申辩的权利"),
        date_cn(case.decision["on"]),
    ]  # fmt: skip


MANDATORY: dict[str, Check] = {
    "filing_approval": lambda c, _n: [c.id, c.title, c.party["name"], date_cn(c.opened_on), "负责人审批意见"],
    "audit_notice": lambda c, _n: [c.party["name"], c.details["scope"], c.details["period"], "审计组成员",
                                   "王明", "3个工作日"],
    "penalty_notice": lambda c, n: [c.party["name"], c.notified["draft"]["facts"], c.notified["draft"]["basis"],
                                     *[e["title"] for e in c.evidence], money(c.notified["draft"]["amount"]),
                                     "陈述和申辩", date_cn(c.notified["on"]), "申请回避", "第四十三条",
                                     *(["有权要求举行听证", "5个工作日"]
                                       if n["inputs"]["hearing_eligible"] else [])],
    # 行政处罚法 Art. 44: a proposed penalty comes with the rights of 陈述、申辩 (audit: untested)
    "audit_opinion_request": lambda c, _n: [c.party["name"], c.notified["draft"]["facts"], "10个工作日",
                                            "视同无异议"] + (["有权进行陈述和申辩", "第四十四条"]
                                            if imposes_penalty(c.notified["draft"]) else []),
    "hearing_rights_notice": lambda c, _n: [c.party["name"], money_capitals(c.notified["draft"]["amount"]),
                                            "有权要求举行听证", "5个工作日", "有权进行陈述和申辩"],
    "hearing_notice": lambda c, _n: [date_cn(c.hearing["hearing_date"]), c.hearing["hearing_time"],
                                     c.hearing["place"], c.hearing["hearing_officer"], c.hearing["clerk"],
                                     "申请回避"],
    "supplement_notice": lambda c, _n: ["津贴发放明细表", date_cn(c.review["supplement"]["due"])],
    "review_opinion": lambda c, _n: [c.id, *c.review["submitted"]["materials"], "执法程序合法", "符合",
                                     "同意", c.review["reviewer"]],
    "penalty_decision": _decision,
    "no_penalty_decision": lambda c, _n: [c.party["name"], c.party["id"], c.party["address"],
                                          c.decision["draft"]["facts"], "不予行政处罚", "第三十三条",
                                          "初次违法且危害后果轻微并及时改正", c.decision["draft"]["education"],
                                          "申请行政复议", "提起行政诉讼"],
    "referral": lambda c, _n: [c.decision["draft"]["refer_to"], c.party["name"], c.decision["draft"]["facts"],
                               "第二十七条", *[e["title"] for e in c.evidence]],
    "audit_decision": lambda c, _n: [c.party["name"], c.details["scope"], c.details["period"],
                                     c.decision["draft"]["facts"], c.decision["draft"]["basis"],
                                     "书面报告", "第四十五条", date_cn(c.audit_report["on"]),
                                     *(["日内执行完毕"] if c.decision["draft"].get("measures") else []),
                                     *(["15日", "3%"] if c.decision["draft"].get("amount") else []),
                                     "裁决" if c.decision["draft"]["audit_subject"] == "fiscal" else "行政诉讼"],
    "audit_report": lambda c, _n: [c.party["name"], c.details["scope"], "第四十五条",
                                   c.audit_report["text"], "书面意见"],
    "deferral_decision": lambda c, _n: ["第六十六条第二款", c.deferral["application"], "分期",
                                        *[date_cn(i["due"]) for i in c.deferral["schedule"]],
                                        *[money(i["amount"]) for i in c.deferral["schedule"]],
                                        "第七十二条第二款"],
    "urge_notice": lambda c, n: ["催告", "10个工作日", money(n["inputs"]["account"]["outstanding"]),
                                 "加处罚款", "第五十四条", "陈述和申辩", date_cn(c.service["on"])],
    "summary_decision": lambda c, n: [c.party["name"], c.details["place"], c.decision["draft"]["facts"],
                                      c.decision["draft"]["basis"], money(c.decision["draft"]["amount"]),
                                      c.decision["time"], "出示执法证件", "陈述、申辩", "申请行政复议",
                                      "执法人员签名", "铁审执01001", "当事人签名"],
    "registration_notice": lambda c, n: [c.party["name"], c.details["parent"], "第五十六条", "七日内",
                                         *c.details["items"], "不得销毁或者转移"],
    "seal_notice": lambda c, n: [c.party["name"], "第三十八条第二款", "第三十二条", "7日", *c.details["items"],
                                 "本局负责人（签发）：赵刚", c.details["executed"]["custodian"]],
    "seal_extension_notice": lambda c, n: [c.party["name"], str(c.details["extension"]["days"]), "只延长这一次"],
    "seal_release_notice": lambda c, n: [c.party["name"], "解除封存", *c.details["items"]],
    "suspension_notice": lambda c, n: ["铁锋区财政局", c.party["name"], "第三十八条第三款", "暂停拨付",
                                       *c.details["items"]],
    "measure_decision": lambda c, n: [c.party["name"], "处理决定", *c.details["items"], "申请行政复议"],
    "enforcement_application": lambda c, n: [c.enforcement["applied"]["court"], c.party["name"],
                                             c.party["id"], money(n["inputs"]["account"]["outstanding"]),
                                             "第五十三条", "第五十四条", "第五十五条"],
    "audit_referral": lambda c, _n: [c.decision["draft"]["refer_to"], c.party["name"], c.decision["draft"]["facts"]],
    "service_receipt": lambda c, _n: [n["number"] for n in c.notices if n["seq"] == c.decision["seq"]]
    + [c.service["recipient"], "直接送达", date_cn(c.service["on"]), "受送达人签名"],
    "closing_report": lambda c, _n: [c.id, date_cn(c.decision["on"]), *[e["text"] for e in c.executions],
                                     *[p["receipt"] for p in c.payments], "结案"],
    "file_index": lambda c, _n: [n["number"] for n in c.notices if n["kind"] != "file_index"]
    + [e["title"] for e in c.evidence],
}  # fmt: skip


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Office, list[Case]]]:
    office = make_office(f"sqlite:///{tmp_path_factory.mktemp('notices')}/office.db")
    cases = [run_steps(office, scenario) for scenario in SCENARIOS]
    yield office, cases
    office.store.dispose()


def test_the_cases_produce_every_notice_kind(rendered: tuple[Office, list[Case]]) -> None:
    office, cases = rendered
    kinds = {n["kind"] for c in cases for n in office.notices(c.id)}
    assert kinds == set(NOTICE_LABELS)


@pytest.mark.parametrize("kind", sorted(NOTICE_LABELS))
def test_every_notice_carries_its_mandatory_content(
    rendered: tuple[Office, list[Case]], kind: str
) -> None:
    office, cases = rendered
    found = 0
    for case in cases:
        final = office.case(case.id)
        for notice in (n for n in office.notices(case.id) if n["kind"] == kind):
            found += 1
            text = notice["text"]
            # 版头 and title: agency mark, number, title; signature: agency and date
            head = text.splitlines()[:4]
            assert head == ["铁锋区审计局", notice["number"], "", f"# {NOTICE_LABELS[kind]}"]
            if kind != "service_receipt":  # a form: the 版头 names the organ
                assert (
                    f"铁锋区审计局\n　　　　　　　　　　　　　　　　{date_cn(notice['on'])}" in text
                )
            assert "（印章）" not in text  # the seal is applied to the printout
            missing = [m for m in MANDATORY[kind](final, notice) if m not in text]
            assert not missing, f"{kind} of {case.id} lacks {missing}:\n{text}"
            assert "None" not in text
            assert "Undefined" not in text
    assert found


def test_the_event_keeps_number_text_and_hashes(rendered: tuple[Office, list[Case]]) -> None:
    office, cases = rendered
    event = next(e for e in office.history(cases[0].id) if e.action == "decide")
    [doc] = event.documents
    assert doc["number"] == "铁审罚〔2026〕1号"
    assert doc["sha256"] == sha256_text(doc["text"])
    assert len(doc["template_sha256"]) == 64
    assert set(doc["inputs"]) == {"agency", "staff", "periods", "hearing_eligible", "procedure",
                                  "flags", "account", "payment_due"}  # fmt: skip
    # the case keeps the notice's identity, not its text
    kept = next(n for n in office.case(cases[0].id).notices if n["kind"] == "penalty_decision")
    assert kept == {"kind": "penalty_decision", "title": "行政处罚决定书", "number": doc["number"],
                    "sha256": doc["sha256"], "seq": event.seq, "on": event.occurred_on}  # fmt: skip


def test_numbers_are_per_kind_and_consecutive(rendered: tuple[Office, list[Case]]) -> None:
    """GB/T 9704: serials per kind per year, from 1, gap-free, never reused."""
    office, cases = rendered
    by_kind: dict[str, list[str]] = {}
    for case in cases:
        for n in office.notices(case.id):
            by_kind.setdefault(n["kind"], []).append(n["number"])
    for kind, numbers in by_kind.items():
        assert len(set(numbers)) == len(numbers), kind
        serials = sorted(int(n.split("〕")[1].removesuffix("号")) for n in numbers)
        assert serials == list(range(1, len(numbers) + 1)), (kind, numbers)
    assert by_kind["filing_approval"][:2] == ["铁审立〔2026〕1号", "铁审立〔2026〕2号"]


def test_hearing_rights_only_when_the_draft_is_eligible(
    rendered: tuple[Office, list[Case]],
) -> None:
    """行政处罚法 Art. 63: the hearing paragraph appears only for an eligible draft."""
    office, cases = rendered
    eligible = office.notice(cases[0].id, "penalty_notice")
    assert "有权要求举行听证" in eligible["text"]
    assert eligible["inputs"]["hearing_eligible"]
    plain_audit = [n["kind"] for n in office.notices(cases[1].id)]
    assert "hearing_rights_notice" not in plain_audit
