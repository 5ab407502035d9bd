"""Publicity (公示) after a decision: what is published, masked, and the guards on it.

国办发〔2018〕118号（六）: the enforcing body, the party, the kind and the conclusion of each
decision are published within 7 working days (penalty, licensing) or 20 (others); personal
data is protected (个人信息保护法 Arts. 28, 34; 政府信息公开条例 Art. 15): an individual's ID
number, phone and address are not published and the name is partly masked (张某某); a unit's
name and 统一社会信用代码 stay. A revoked or changed decision is withdrawn within 3 working
days with the reason (行政处罚法 Art. 48).
"""

from __future__ import annotations

import re
from typing import Any

from rules.act import Act, guard
from rules.drafts import imposes_penalty, kinds
from rules.model import Case, Reason
from rules.policy import Masking
from states.definition import Procedure
from states.vocabulary import OUTCOMES, PENALTY_KINDS

SOURCE = "国办发〔2018〕118号（六）"
#: 18-digit ID numbers (GB 11643) and 11-digit mainland mobiles: any run of 11 or more digits
#: is masked, so neither survives even inside a longer number (bank accounts go too).
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
MOBILE = re.compile(r"1[3-9]\d{9}")
LONG_NUMBER = re.compile(r"\d{11,}[Xx]?")
NUMBER_MASK = "[号码已隐去]"


def mask_name(name: str, rule: str = "surname") -> str:
    """张三丰 -> 张某某 (surname), 张* (initial), 某某 (hide)."""
    name = name.strip()
    if not name:
        return ""
    if rule == "initial":
        return name[0] + "*"
    if rule == "hide":
        return "某某"
    return name[0] + "某" * max(1, len(name) - 1)


def scrub(text: str, extra: tuple[str, ...] = ()) -> str:
    """Remove ID numbers, mobile numbers and the given personal strings from free text."""
    for secret in sorted((e for e in extra if e), key=len, reverse=True):
        text = text.replace(secret, "")
    return LONG_NUMBER.sub(NUMBER_MASK, text)


def _conclusion(draft: dict[str, Any]) -> str:
    """给予处罚：罚款120000.00元 — the outcome, and for a penalty its kind and amounts."""
    outcome = OUTCOMES.get(str(draft.get("outcome")), "")
    if not imposes_penalty(draft):
        return outcome
    amounts = {"fine": "amount", "confiscation": "confiscation"}
    pieces = [
        f"{PENALTY_KINDS[k]}{draft[amounts[k]]}元" if k in amounts and draft.get(amounts[k])
        else PENALTY_KINDS[k]
        for k in kinds(draft)
    ]
    return f"{outcome}：{'，'.join(pieces)}" if pieces else outcome


def public_record(case: Case, masking: Masking, agency: str, proc: Procedure) -> dict[str, Any]:
    """What is published of a decided case: nothing else ever leaves the office."""
    decision = case.decision or {}
    draft = decision.get("draft") or {}
    party = case.party
    individual = party.get("type") == "individual"
    name = mask_name(party.get("name", ""), masking.name) if individual else party.get("name", "")
    secrets = (
        (party.get("name", ""), party.get("id", ""), party.get("address", "")) if individual else ()
    )
    number = next(
        (n.get("number", "") for n in case.notices if n.get("seq") == decision.get("seq")), ""
    )
    record = {
        "case": case.id,
        "agency": agency,
        "party": name,
        "party_type": "个人" if individual else "单位",
        "kind": proc.public()["kind"],
        "conclusion": scrub(_conclusion(draft), secrets),
        "facts": scrub(str(draft.get("facts", "")), secrets),
        "basis": scrub(str(draft.get("basis", "")), secrets),
        "decision_number": number,
        "decided_on": decision.get("on", ""),
    }
    if not individual and party.get("id"):
        record["credit_code"] = party["id"]
    return record


@guard("decision_to_publish")
def decision_to_publish(act: Act) -> list[Reason]:
    """Only a decision is published, and a revoked one no more (a changed one again)."""
    decision = act.case.decision
    if not decision:
        return [Reason("no_decision", "尚未作出决定，无可公示的执法结果", SOURCE)]
    if (decision.get("revoked") or {}).get("kind") in ("revoked", "confirmed_void"):
        return [Reason("decision_revoked", "决定已被撤销或确认无效，不得再公示", "行政处罚法第四十八条第二款")]
    return []


@guard("publication_matches", needs_data=True)
def publication_matches(act: Act) -> list[Reason]:
    """What is published is exactly the masked record of the decision, nothing typed by hand."""
    if not act.case.decision:
        return []
    expected = public_record(act.case, act.policy.masking, act.policy.agency, act.proc)
    if act.input.get("content") != expected:
        return [
            Reason(
                "publication_content",
                "公示内容须由系统按脱敏规则生成（zhifa publish case）",
                SOURCE,
            )
        ]
    current = act.case.details.get("publication") or {}
    if current.get("content") == expected and not current.get("withdrawn"):
        return [Reason("already_published", "本案决定已公示，内容未变", SOURCE)]
    return []


@guard("publication_current")
def publication_current(act: Act) -> list[Reason]:
    current = act.case.details.get("publication")
    if not current or current.get("withdrawn"):
        return [Reason("not_published", "本案没有正在公示的信息，无可撤回", SOURCE)]
    return []
