"""Guards on what the clerk records: the party, evidence, the draft, service, the checklist."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rules.act import Act, guard
from rules.drafts import OUTCOMES, PENALTY_KINDS, TRIGGERS
from rules.identifiers import is_valid_credit_code, is_valid_id_number
from rules.model import Reason
from rules.review import CHECKLIST

#: 行政处罚法 Art. 46: the eight kinds of evidence.
EVIDENCE_TYPES: dict[str, str] = {
    "documentary": "书证",
    "physical": "物证",
    "audiovisual": "视听资料",
    "electronic": "电子数据",
    "witness": "证人证言",
    "party_statement": "当事人的陈述",
    "expert_opinion": "鉴定意见",
    "inspection_record": "勘验笔录、现场笔录",
}

#: 民事诉讼法 Arts. 87–95 as applied by 行政处罚法 Art. 61.
#: 审计法 Art. 53: what an audit decision concerns decides the remedy route.
AUDIT_SUBJECTS: dict[str, str] = {"fiscal": "财政收支", "financial": "财务收支"}

SERVICE_METHODS: dict[str, str] = {
    "direct": "直接送达",
    "post": "邮寄送达",
    "electronic": "电子送达",
    "left_at_address": "留置送达",
    "public_notice": "公告送达",
}


def _missing(act: Act, keys: dict[str, str], source: str = "") -> list[Reason]:
    return [
        Reason(f"missing_{key}", f"未填写{label}（{key}）", source)
        for key, label in keys.items()
        if not str(act.input.get(key) or "").strip()
    ]


def _amount(act: Act, key: str) -> Decimal | None:
    raw = act.input.get(key)
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return Decimal(-1)


@guard("party_recorded", needs_data=True)
def party_recorded(act: Act) -> list[Reason]:
    """立案: the party and the facts of the source are recorded (行政处罚法 Art. 54).

    The address and, for a unit, the 统一社会信用代码 are required up front: every decision
    names them (行政处罚法 Art. 59(一)) and notices are served there (Art. 61).
    """
    keys = {
        "title": "案件名称", "party": "当事人", "party_type": "当事人类型",
        "party_address": "当事人地址",
    }  # fmt: skip
    if act.input.get("party_type") == "unit":
        keys["party_id"] = "统一社会信用代码"
    if act.procedure == "penalty":
        keys["source"] = "案件来源及基本事实"
    reasons = _missing(act, keys, "行政处罚法第五十四条")
    party_type = act.input.get("party_type")
    if party_type and party_type not in ("unit", "individual"):
        reasons.append(Reason("party_type", "当事人类型须为 unit（单位）或 individual（个人）"))
    party_id = str(act.input.get("party_id") or "").strip()
    if party_id and party_type == "unit" and not is_valid_credit_code(party_id):
        reasons.append(
            Reason("party_id", f"统一社会信用代码 {party_id} 校验位不正确", "GB 32100-2015")
        )
    if party_id and party_type == "individual" and not is_valid_id_number(party_id):
        reasons.append(
            Reason("party_id", f"居民身份证号码 {party_id} 校验位不正确", "GB 11643-1999")
        )
    return reasons


@guard("audit_scope_recorded", needs_data=True)
def audit_scope_recorded(act: Act) -> list[Reason]:
    """审计立项: the auditee, the scope and the period are stated (审计法 Art. 42)."""
    return _missing(act, {"scope": "审计范围", "period": "审计期间"}, "审计法第四十二条")


@guard("evidence_valid", needs_data=True)
def evidence_valid(act: Act) -> list[Reason]:
    kind = act.input.get("type")
    reasons = _missing(act, {"title": "证据名称"})
    if kind not in EVIDENCE_TYPES:
        allowed = "、".join(f"{k}（{v}）" for k, v in EVIDENCE_TYPES.items())
        reasons.append(Reason("evidence_type", f"证据种类须为：{allowed}", "行政处罚法第四十六条"))
    return reasons


def _penalty_complete(act: Act, src: str) -> list[Reason]:
    """A penalty draft names its kind (Art. 9) and, for a fine or confiscation, the amount."""
    reasons = []
    kind = act.input.get("penalty_kind")
    if kind not in PENALTY_KINDS:
        reasons.append(Reason("penalty_kind", f"处罚种类须为：{'、'.join(PENALTY_KINDS)}", src))
    amount, confiscation = _amount(act, "amount"), _amount(act, "confiscation")
    if kind == "fine" and (amount is None or amount <= 0):
        reasons.append(Reason("amount", "罚款须写明金额（元）", src))
    if kind == "confiscation" and (confiscation is None or confiscation <= 0):
        reasons.append(Reason("confiscation", "没收违法所得须写明金额（元）", src))
    for key, value in (("amount", amount), ("confiscation", confiscation)):
        if value is not None and value < 0:
            reasons.append(Reason(key, f"{key} 须为非负金额"))
    return reasons


@guard("draft_complete", needs_data=True)
def draft_complete(act: Act) -> list[Reason]:
    """A draft states the outcome; a penalty draft its facts, basis, kind and amount."""
    src = "行政处罚法第五十九条"
    outcome = act.input.get("outcome")
    if outcome not in OUTCOMES:
        return [Reason("draft_outcome", f"处理结果须为：{'、'.join(OUTCOMES)}")]
    reasons = _missing(act, {"facts": "违法事实", "basis": "法律依据"}, src)
    if outcome == "penalty":
        reasons += _penalty_complete(act, src)
    if outcome == "refer":
        # 行政处罚法 Art. 27: a case suspected of a crime goes to the judicial organ, named
        reasons += _missing(act, {"refer_to": "受移送机关"}, "行政处罚法第二十七条")
    if act.procedure == "audit" and act.input.get("audit_subject") not in AUDIT_SUBJECTS:
        # 审计法 Art. 53: the remedy differs for 财政收支 and 财务收支 decisions
        reasons.append(
            Reason(
                "audit_subject",
                "审计决定须写明事项类别：fiscal（财政收支）或 financial（财务收支）",
                "审计法第五十三条",
            )
        )
    bad = [t for t in act.input.get("triggers") or [] if t not in TRIGGERS]
    if bad:
        reasons.append(Reason("triggers", f"未知的法制审核情形：{'、'.join(bad)}"))
    return reasons


@guard("service_method_valid", needs_data=True)
def service_method_valid(act: Act) -> list[Reason]:
    method = act.input.get("method")
    reasons = _missing(act, {"recipient": "受送达人"})
    if method not in SERVICE_METHODS:
        reasons.append(
            Reason(
                "service_method",
                f"送达方式须为：{'、'.join(SERVICE_METHODS)}",
                "行政处罚法第六十一条",
            )
        )
    if method == "electronic" and act.input.get("consent") is not True:
        reasons.append(
            Reason(
                "electronic_consent",
                "电子送达须经当事人同意并签订确认书（consent=true）",
                "行政处罚法第六十一条第二款",
            )
        )
    if method == "left_at_address" and not str(act.input.get("witness") or "").strip():
        reasons.append(
            Reason(
                "service_witness",
                "留置送达须有见证人到场，在送达回证上记明拒收事由和日期（witness）",
                "民事诉讼法第八十九条",
            )
        )
    return reasons


@guard("text_recorded", needs_data=True)
def text_recorded(act: Act) -> list[Reason]:
    return _missing(act, {"text": "内容"}, "执法全过程记录")


@guard("reason_given", needs_data=True)
def reason_given(act: Act) -> list[Reason]:
    return _missing(act, {"reason": "理由"})


@guard("transcript_recorded", needs_data=True)
def transcript_recorded(act: Act) -> list[Reason]:
    return _missing(act, {"transcript": "听证笔录"}, "行政处罚法第六十四条第（八）项")


@guard("supplement_request_valid", needs_data=True)
def supplement_request_valid(act: Act) -> list[Reason]:
    reasons = _missing(act, {"items": "需补充的材料", "due": "补充期限"}, "法制审核工作规则")
    due = act.input.get("due")
    if due and str(due) < act.on.isoformat():
        reasons.append(Reason("supplement_due", f"补充期限 {due} 早于今日"))
    return reasons


def _checklist(act: Act) -> tuple[dict[str, str], list[Reason]]:
    raw = act.input.get("checklist") or {}
    results: dict[str, str] = {}
    reasons = []
    for point, label in CHECKLIST.items():
        entry = raw.get(point) if isinstance(raw, dict) else None
        if isinstance(entry, str):
            entry = {"result": entry}
        result = (entry or {}).get("result")
        if result not in ("pass", "fail"):
            reasons.append(
                Reason("checklist_incomplete", f"审核要点「{label}」（{point}）未填写 pass/fail")
            )
            continue
        results[point] = result
        if result == "fail" and not str((entry or {}).get("comment") or "").strip():
            reasons.append(Reason("checklist_comment", f"审核要点「{label}」不通过须写明理由"))
    reasons += _missing(act, {"opinion": "审核意见"}, "国办发〔2018〕118号（十三）")
    return results, reasons


@guard("checklist_all_pass", needs_data=True)
def checklist_all_pass(act: Act) -> list[Reason]:
    """同意: every point of the checklist passes (国办发〔2018〕118号 (十三))."""
    results, reasons = _checklist(act)
    failed = [CHECKLIST[p] for p, r in results.items() if r == "fail"]
    if failed:
        reasons.append(
            Reason("checklist_failed", f"以下要点未通过，不能出具同意意见：{'；'.join(failed)}")
        )
    return reasons


@guard("checklist_has_failure", needs_data=True)
def checklist_has_failure(act: Act) -> list[Reason]:
    """存在问题: at least one point fails, each with its reason."""
    results, reasons = _checklist(act)
    if results and all(r == "pass" for r in results.values()):
        reasons.append(Reason("checklist_all_passed", "所有要点均通过，应出具同意意见"))
    return reasons


@guard("statement_answered", needs_data=True)
def statement_answered(act: Act) -> list[Reason]:
    """A decision answers the party's statement, defence or hearing: adopted or not, and why.

    行政处罚法 Art. 45 (复核 what the party put forward) and the 决定书 content (domain.md §6).
    """
    said = any(s.get("kind") == "statement" for s in act.case.statements)
    heard = bool((act.case.hearing or {}).get("concluded_on"))
    if (said or heard) and not str(act.input.get("statement_response") or "").strip():
        return [
            Reason(
                "statement_response",
                "当事人提出了陈述、申辩或经听证：决定须写明是否采纳及理由（statement_response）",
                "行政处罚法第四十五条",
            )
        ]
    return []
