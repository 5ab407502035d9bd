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

from documents.formatting import money as yuan
from rules.act import Act, guard
from rules.drafts import imposes_penalty, kinds
from rules.model import Case, Reason
from rules.policy import Masking
from states.definition import Procedure
from states.vocabulary import OUTCOMES, PENALTY_KINDS

SOURCE = "国办发〔2018〕118号（六）"
#: 18-digit ID numbers (GB 11643) and 11-digit mainland mobiles, as plain digit runs (tests)
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
MOBILE = re.compile(r"1[3-9]\d{9}")
NUMBER_MASK = "[号码已隐去]"
EMAIL_MASK = "[邮箱已隐去]"
ADDRESS_MASK = "[地址已隐去]"

# A number is found however it is written: ASCII, full-width or Chinese digits, split by
# spaces (also the ideographic space and invisible ones), dashes, dots, slashes, commas or
# brackets — `2302 0219 9003 0712 32`, `138-0013-8000`, `１３８００１３８０００`. A run with 11 or
# more digits is masked whole (ID numbers, mobiles, landlines with area code, bank accounts);
# only an amount of money written as notices write it (`120,000.50元`, `¥120000.50`) stays.
_DIGITS = r"\d〇零一二三四五六七八九幺壹贰叁肆伍陆柒捌玖"
_SEPARATORS = (r"\s\u00ad\u200b-\u200d\u2060\ufeff\-\u2010-\u2015\u2212\ufe58\ufe63\uff0d"
               r".\uff0e\u00b7\u30fb/\uff0f_,\uff0c()\uff08\uff09")  # fmt: skip
NUMBER_RUN = re.compile(
    rf"[{_DIGITS}](?:[{_SEPARATORS}]{{0,3}}[{_DIGITS}])*(?:[{_SEPARATORS}]{{0,3}}[XxＸｘ])?"
)
MONEY = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)\.\d\d")
_EMAIL_CHAR = r"A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
EMAIL = re.compile(
    rf"[{_EMAIL_CHAR}._%+\-]+\s*[@＠]\s*[{_EMAIL_CHAR}\-]+(?:\s*[.．。]\s*[{_EMAIL_CHAR}\-]+)+"
)
#: an address with a house number (…路88号3单元501室): removed from what is said of a person
ADDRESS = re.compile(
    rf"[\u4e00-\u9fff]{{0,6}}(?:路|街|巷|大道|道|弄|胡同|里|村|组|小区|社区|苑|花园|大厦|公寓)"
    rf"[\s{_DIGITS}\-－]*[{_DIGITS}][{_DIGITS}\s\-－]*(?:号|栋|幢|组|弄)"
    rf"(?:[\s{_DIGITS}\-－]*(?:号楼|栋|幢|单元|层|楼|室|号|户))*"
)

#: what follows a removed address and still locates the person (…501室)
ADDRESS_TAIL = re.compile(
    rf"{re.escape(ADDRESS_MASK)}(?:[\s{_DIGITS}\-－]*[{_DIGITS}][\s{_DIGITS}\-－]*"
    rf"(?:号楼|栋|幢|单元|层|楼|室|号|户))+"
)


def _is_money(m: re.Match[str]) -> bool:
    """120,000.50元 or ¥120000.50: an amount of money, written as the notices write it."""
    before, after = m.string[max(0, m.start() - 1) : m.start()], m.string[m.end() : m.end() + 1]
    return MONEY.fullmatch(m.group()) is not None and (after == "元" or before in ("¥", "￥"))


def _masked(m: re.Match[str]) -> str:
    digits = sum(1 for c in m.group() if c in _DIGITS or c.isdecimal())
    return NUMBER_MASK if digits >= 11 and not _is_money(m) else m.group()


def mask_numbers(text: str) -> str:
    """Every run of 11 or more digits, however written, becomes [号码已隐去] — except an
    amount of money (two decimals, followed by 元 or after ¥)."""
    return NUMBER_RUN.sub(_masked, text)


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


def _without_spaces(secret: str) -> re.Pattern[str]:
    """The secret with any spacing between its characters (张 三 丰)."""
    return re.compile(r"\s*".join(re.escape(c) for c in secret if not c.isspace()))


def scrub(text: str, secrets: tuple[str, ...] = (), masking: Masking | None = None) -> str:
    """Free text made fit to publish: e-mail addresses and numbers of 11+ digits removed. With
    the `secrets` of an individual party (name, ID number, address), the name is shown masked,
    the ID number and address are removed, and so is any address with a house number."""
    name, id_number, address = (*secrets, "", "", "")[:3]
    masked_name = mask_name(name, masking.name if masking else "surname")
    pairs = ((name, masked_name), (id_number, NUMBER_MASK), (address, ADDRESS_MASK))
    for secret, mask in sorted(pairs, key=lambda p: len(p[0]), reverse=True):
        if secret.strip():
            text = _without_spaces(secret).sub(mask, text)
    text = EMAIL.sub(EMAIL_MASK, text)
    if secrets:
        text = ADDRESS_TAIL.sub(ADDRESS_MASK, ADDRESS.sub(ADDRESS_MASK, text))
    return mask_numbers(text)


def _secrets(case: Case) -> tuple[str, ...]:
    party = case.party
    if party.get("type") != "individual":
        return ()
    return (str(party.get("name", "")), str(party.get("id", "")), str(party.get("address", "")))


def public_text(text: str, case: Case, masking: Masking) -> str:
    """Any free text about a case made fit to publish (a withdrawal reason, a note)."""
    return scrub(text, _secrets(case), masking)


# -- redaction by the publisher (政府信息公开条例第十四、十五、三十七条; 审计法第四十条) -----------
REDACTION_GROUNDS = {
    "state_secret": ("国家秘密", "政府信息公开条例第十四条；审计法第四十条"),
    "work_secret": ("工作秘密", "审计法第四十条"),
    "trade_secret": ("商业秘密", "政府信息公开条例第十五条；审计法第四十条"),
    "privacy": ("个人隐私", "政府信息公开条例第十五条；审计法第四十条"),
    "personal_info": ("个人信息", "审计法第四十条"),
}
REDACTION_SOURCE = "政府信息公开条例第三十七条"
MAX_REDACTIONS = 50
#: the free-text fields of the public record; the publisher's redactions apply to these
FREE_TEXT = ("facts", "basis", "conclusion")


def redaction_ground(label: str) -> str | None:
    """The ground's id for an id or its Chinese name (商业秘密 -> trade_secret)."""
    label = label.strip()
    if label in REDACTION_GROUNDS:
        return label
    return next((k for k, (name, _) in REDACTION_GROUNDS.items() if name == label), None)


def redaction_mask(reason: str) -> str:
    return f"[依法不予公开：{REDACTION_GROUNDS[reason][0]}]"


def _redaction_problem(no: int, r: Any, record: dict[str, Any]) -> Reason | None:
    well_formed = (
        isinstance(r, dict)
        and set(r) == {"text", "reason"}
        and isinstance(r["text"], str)
        and r["text"].strip() != ""
        and r["reason"] in REDACTION_GROUNDS
    )
    if not well_formed:
        grounds = "、".join(f"{k}（{v[0]}）" for k, v in REDACTION_GROUNDS.items())
        message = f"第{no}项不予公开的内容须写明文字及理由（{grounds}）"
        return Reason("bad_redaction", message, REDACTION_SOURCE)
    if not any(r["text"] in str(record.get(k, "")) for k in FREE_TEXT):
        message = f"第{no}项不予公开的文字不在公示内容中：{r['text'][:40]}"
        return Reason("redaction_not_found", message, REDACTION_SOURCE)
    return None


def redaction_problems(redactions: Any, record: dict[str, Any]) -> list[Reason]:
    """What is wrong with the publisher's redactions (of `record`, before redaction)."""
    if redactions is None:
        return []
    if not isinstance(redactions, list) or len(redactions) > MAX_REDACTIONS:
        message = f"不予公开的内容须为至多{MAX_REDACTIONS}项的列表"
        return [Reason("bad_redactions", message, REDACTION_SOURCE)]
    found = (_redaction_problem(no, r, record) for no, r in enumerate(redactions, 1))
    return [reason for reason in found if reason is not None]


def _redact(text: str, redactions: list[dict[str, str]]) -> str:
    for r in sorted(redactions, key=lambda r: len(r["text"]), reverse=True):
        text = text.replace(r["text"], redaction_mask(r["reason"]))
    return text


def _conclusion(draft: dict[str, Any]) -> str:
    """给予行政处罚：警告，罚款¥120,000.00 — the outcome, and for a penalty its kinds and
    amounts, money written as notices write it."""
    outcome = OUTCOMES.get(str(draft.get("outcome")), "")
    if not imposes_penalty(draft):
        return outcome
    amounts = {"fine": "amount", "confiscation": "confiscation"}
    pieces = [
        f"{PENALTY_KINDS[k]}{yuan(draft[amounts[k]])}" if k in amounts and draft.get(amounts[k])
        else PENALTY_KINDS[k]
        for k in kinds(draft)
    ]
    return f"{outcome}：{'，'.join(pieces)}" if pieces else outcome


def unmasked_text(case: Case) -> dict[str, str]:
    """The free-text fields of the public record as the office holds them (not published)."""
    draft = (case.decision or {}).get("draft") or {}
    return {"conclusion": _conclusion(draft), "facts": str(draft.get("facts", "")),
            "basis": str(draft.get("basis", ""))}  # fmt: skip


def public_record(
    case: Case, masking: Masking, agency: str, proc: Procedure, redactions: Any = None
) -> dict[str, Any]:
    """What is published of a decided case: nothing else ever leaves the office.

    The publisher's redactions (well-formed ones; `redaction_problems` judges them) replace
    their spans first, then every free-text field is masked (`public_text`)."""
    decision = case.decision or {}
    party = case.party
    individual = party.get("type") == "individual"
    name = mask_name(party.get("name", ""), masking.name) if individual else party.get("name", "")
    number = next(
        (n.get("number", "") for n in case.notices if n.get("seq") == decision.get("seq")), ""
    )
    valid = [r for r in redactions or [] if not redaction_problems([r], unmasked_text(case))]
    text = {
        k: public_text(_redact(v, valid), case, masking) for k, v in unmasked_text(case).items()
    }
    record = {
        "case": case.id,
        "agency": agency,
        "party": name,
        "party_type": "个人" if individual else "单位",
        "kind": proc.public()["kind"],
        **text,
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
    redactions = act.input.get("redactions")
    wrong = redaction_problems(redactions, unmasked_text(act.case))
    if wrong:
        return wrong
    expected = public_record(act.case, act.policy.masking, act.policy.agency, act.proc,
                             redactions)
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
