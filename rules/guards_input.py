"""Guards on what the clerk records: the party, evidence, the draft, service, the checklist."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from rules.act import Act, guard
from rules.identifiers import is_valid_credit_code, is_valid_id_number
from rules.model import Reason
from rules.review import CHECKLIST
from states.vocabulary import (
    AUDIT_MEASURES,
    EVIDENCE_TYPES,
    OUTCOMES,
    PENALTY_KINDS,
    SERVICE_METHODS,
    TRIGGERS,
    Outcome,
)

ART59 = "行政处罚法第五十九条"


def missing(act: Act, keys: dict[str, str], source: str = "") -> list[Reason]:
    return [
        Reason(f"missing_{key}", f"未填写{label}（{key}）", source)
        for key, label in keys.items()
        if not str(act.input.get(key) or "").strip()
    ]


def amount(act: Act, key: str) -> Decimal | None:
    raw = act.input.get(key)
    if raw in (None, ""):
        return None
    try:
        return Decimal(str(raw))
    except InvalidOperation:
        return Decimal(-1)


@guard("field_known", needs_data=True)
def field_known(act: Act) -> list[Reason]:
    """A case's 执法领域 is one the office declared (config `enforcement_fields`): the 法制审核
    目录清单 matches it letter for letter, so a misspelt field would skip a required review
    (行政处罚法 Art. 58 ¶1)."""
    given, known = str(act.input.get("field") or "").strip(), act.policy.fields
    if not given or not known or given in known:
        return []
    return [Reason("unknown_field", f"执法领域「{given}」不在本机关的执法领域中（{'、'.join(known)}）"
                   "unknown enforcement field (config enforcement_fields)", "行政处罚法第五十八条")]  # fmt: skip


@guard("party_recorded", needs_data=True)
def party_recorded(act: Act) -> list[Reason]:
    """立案: the party is recorded (行政处罚法 Art. 54).

    The address and, for a unit, the 统一社会信用代码 are required up front: every decision
    names them (行政处罚法 Art. 59(一)) and notices are served there (Art. 61).
    """
    keys = {
        "title": "案件名称", "party": "当事人", "party_type": "当事人类型",
        "party_address": "当事人地址",
    }  # fmt: skip
    if act.input.get("party_type") == "unit":
        keys["party_id"] = "统一社会信用代码"
    reasons = missing(act, keys, "行政处罚法第五十四条、第五十九条")
    party_type = act.input.get("party_type")
    party_id = str(act.input.get("party_id") or "").strip()
    if party_id and party_type == "unit" and not is_valid_credit_code(party_id):
        reasons.append(
            Reason("party_id", f"统一社会信用代码 {party_id} 校验位不正确", "GB 32100-2015")
        )
    if party_id and party_type == "individual" and not is_valid_id_number(party_id):
        reasons.append(
            Reason("party_id", f"居民身份证号码 {party_id} 校验位或出生日期不正确", "GB 11643-1999")
        )
    return reasons


@guard("violation_recorded", needs_data=True)
def violation_recorded(act: Act) -> list[Reason]:
    """立案 records the violation, when it happened (or ended) and when it was discovered
    (行政处罚法 Arts. 29, 36), and the power it falls under (权责清单)."""
    reasons = missing(act, {"violation": "违法行为", "violation_on": "违法行为发生日期",
                            "discovered_on": "发现违法行为日期"}, "行政处罚法第三十六条")  # fmt: skip
    began = act.input.get("violation_ended_on") or act.input.get("violation_on")
    found = act.input.get("discovered_on")
    if began and found and str(found) < str(began):
        reasons.append(Reason("discovered_before", "发现日期早于违法行为发生（终了）日期"))
    if act.input.get("violation_ended_on") and act.input.get("violation_on") and str(
        act.input["violation_ended_on"]
    ) < str(act.input["violation_on"]):
        reasons.append(Reason("violation_dates", "违法行为终了日期早于发生日期"))
    if found and str(found) > act.on.isoformat():
        reasons.append(Reason("discovered_after_opening", "发现日期晚于立案日期"))
    return reasons + _power_known(act)


def _power_known(act: Act) -> list[Reason]:
    power = str(act.input.get("power") or "").strip()
    if power and act.policy.powers and power not in act.policy.powers:
        known = "、".join(act.policy.powers) or "（权责清单为空）"
        return [Reason("unknown_power", f"权责清单中没有事项 {power}（现有：{known}）", "权责清单（powers.yaml）")]
    return []


@guard("audit_scope_recorded", needs_data=True)
def audit_scope_recorded(act: Act) -> list[Reason]:
    """审计立项: the auditee, the scope and the period are stated (审计法 Art. 42)."""
    return missing(act, {"scope": "审计范围", "period": "审计期间"}, "审计法第四十二条")


@guard("evidence_valid", needs_data=True)
def evidence_valid(act: Act) -> list[Reason]:
    kind = act.input.get("type")
    reasons = missing(act, {"title": "证据名称"})
    if kind not in EVIDENCE_TYPES:
        allowed = "、".join(f"{k}（{v}）" for k, v in EVIDENCE_TYPES.items())
        reasons.append(Reason("evidence_type", f"证据种类须为：{allowed}", "行政处罚法第四十六条"))
    return reasons


def _penalty_complete(act: Act) -> list[Reason]:
    """A penalty draft names its kinds (Art. 9), each with what it needs (Art. 59(三))."""
    chosen = list(act.input.get("penalty_kinds") or [])
    reasons = []
    if not chosen:
        reasons.append(Reason("penalty_kinds", "给予处罚须写明处罚种类（penalty_kinds，可并处）", ART59))
    unknown = [k for k in chosen if k not in PENALTY_KINDS]
    if unknown:
        reasons.append(Reason("penalty_kinds", f"未知的处罚种类：{'、'.join(unknown)}（可用：{'、'.join(PENALTY_KINDS)}）",
                              "行政处罚法第九条"))  # fmt: skip
    needs = {
        "fine": ("amount", "罚款须写明金额（amount，元）"),
        "confiscation": ("confiscation", "没收违法所得须写明金额（confiscation，元）"),
        "confiscation_property": ("property_value", "没收非法财物须写明财物及价值（property, property_value）"),
    }  # fmt: skip
    for kind, (key, text) in needs.items():
        value = amount(act, key)
        if kind in chosen and (value is None or value <= 0):
            reasons.append(Reason(key, text, ART59))
    for kind, key, text in (
        ("confiscation_property", "property", "没收的非法财物"),
        ("licence_suspension", "licence", "许可证件及暂扣期限"),
        ("licence_revocation", "licence", "吊销的许可证件"),
        ("qualification_downgrade", "licence", "降低的资质等级"),
        ("business_restriction", "restriction", "限制的范围和期限"),
        ("suspension", "restriction", "停产停业的范围和期限"),
        ("practice_restriction", "restriction", "限制从业的范围和期限"),
    ):
        if kind in chosen and not str(act.input.get(key) or "").strip():
            reasons.append(Reason(f"missing_{key}", f"{PENALTY_KINDS[kind]}须写明{text}（{key}）", ART59))
    for key in ("amount", "confiscation", "property_value"):
        value = amount(act, key)
        if value is not None and value < 0:
            reasons.append(Reason(key, f"{key} 须为非负金额"))
    return reasons + _within_power(act, chosen)


def _within_power(act: Act, chosen: list[str]) -> list[Reason]:
    """The draft stays within the kinds the power's law allows (权责清单, powers.yaml)."""
    name = str(act.input.get("power") or act.case.details.get("power") or "").strip()
    power = act.policy.powers.get(name)
    if power is None:
        if act.policy.powers:
            return [Reason("power_missing", "给予处罚须写明所依据的权责清单事项（power）", "权责清单；行政处罚法第四条")]
        return []
    outside = [PENALTY_KINDS.get(k, k) for k in chosen if k not in power.penalty_kinds]
    if not outside:
        return []
    allowed = "、".join(PENALTY_KINDS[k] for k in power.penalty_kinds if k in PENALTY_KINDS) or "无"
    return [Reason("kind_outside_power", f"{power.id}「{power.name}」不能给予{'、'.join(outside)}（可给予：{allowed}）",
                   power.basis or "权责清单（powers.yaml）")]  # fmt: skip


def _no_penalty_complete(act: Act) -> list[Reason]:
    """不予行政处罚 names one statutory ground and the education given (Art. 33 ¶3)."""
    reasons = missing(act, {"ground": "不予处罚的法定情形"}, "行政处罚法第三十条、第三十一条、第三十三条、第三十六条")
    return reasons + missing(act, {"education": "对当事人的教育"}, "行政处罚法第三十三条第三款")


@guard("draft_complete", needs_data=True)
def draft_complete(act: Act) -> list[Reason]:
    """A draft states an outcome its procedure may reach, with what that outcome needs."""
    outcome = act.input.get("outcome")
    allowed = act.proc.rules.outcomes
    if outcome not in allowed:
        names = "、".join(f"{o}（{OUTCOMES[o]}）" for o in allowed)
        return [Reason("draft_outcome", f"处理结果须为：{names}")]
    reasons = missing(act, {"facts": "违法事实", "basis": "法律依据"}, ART59)
    if outcome == Outcome.PENALTY:
        reasons += _penalty_complete(act)
    if outcome == Outcome.NO_PENALTY:
        reasons += _no_penalty_complete(act)
    if outcome == Outcome.REFER:
        # 行政处罚法 Art. 27: a case suspected of a crime goes to the judicial organ, named
        reasons += missing(act, {"refer_to": "受移送机关"}, "行政处罚法第二十七条")
    bad = [t for t in act.input.get("triggers") or [] if t not in TRIGGERS]
    if bad:
        reasons.append(Reason("triggers", f"未知的法制审核情形：{'、'.join(bad)}"))
    return reasons


@guard("audit_draft_lawful", needs_data=True)
def audit_draft_lawful(act: Act) -> list[Reason]:
    """审计法 Arts. 49, 50, 53: the matter is 财政收支 or 财务收支 (the remedy differs), a fine
    only for 财务收支, and each 处理措施 with its kind, amount (where money) and days."""
    subject = act.input.get("audit_subject")
    if subject not in ("fiscal", "financial"):
        return [Reason("audit_subject", "审计决定须写明事项类别：fiscal（财政收支）或 financial（财务收支）",
                       "审计法第五十三条")]  # fmt: skip
    reasons = []
    if subject == "fiscal" and act.input.get("outcome") == Outcome.PENALTY:
        reasons.append(Reason(
            "fiscal_fine",
            "审计法对违反国家规定的财政收支行为只规定处理措施（第四十九条），处罚仅适用于财务收支（第五十条）；"
            "依其他法规（如《财政违法行为处罚处分条例》）给予的罚款应作为行政处罚案件另行立案，当事人可依法申请复议或提起诉讼",
            "审计法第四十九条、第五十条"))  # fmt: skip
    reasons += measures_problems(act.input.get("measures"))
    if act.input.get("outcome") == Outcome.MEASURES and not act.input.get("measures"):
        reasons.append(Reason("measures", "处理措施（measures）不能为空", "审计法第四十九条"))
    return reasons


def measures_problems(raw: Any) -> list[Reason]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        return [Reason("measures", "处理措施须为列表（JSON）", "审计法第四十九条")]
    reasons = []
    for number, item in enumerate(raw, 1):
        if not isinstance(item, dict) or item.get("kind") not in AUDIT_MEASURES:
            reasons.append(Reason("measures", f"第{number}项处理措施须写明种类：{'、'.join(AUDIT_MEASURES)}", "审计法第四十九条"))
            continue
        days = item.get("days")
        if not isinstance(days, int) or not 1 <= days <= 365:
            reasons.append(Reason("measures", f"第{number}项处理措施须写明执行期限天数（days，1–365）", "审计法第四十九条"))
        value = item.get("amount")
        if value not in (None, ""):
            try:
                if Decimal(str(value)) <= 0:
                    raise InvalidOperation
            except InvalidOperation:
                reasons.append(Reason("measures", f"第{number}项处理措施的金额须为正数", "审计法第四十九条"))
    return reasons


@guard("service_method_valid", needs_data=True)
def service_method_valid(act: Act) -> list[Reason]:
    method = act.input.get("method")
    reasons = missing(act, {"recipient": "受送达人"})
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
    return missing(act, {"text": "内容"}, "执法全过程记录")


@guard("reason_given", needs_data=True)
def reason_given(act: Act) -> list[Reason]:
    return missing(act, {"reason": "理由"})


@guard("transcript_recorded", needs_data=True)
def transcript_recorded(act: Act) -> list[Reason]:
    return missing(act, {"transcript": "听证笔录"}, "行政处罚法第六十四条第（八）项")


@guard("supplement_request_valid", needs_data=True)
def supplement_request_valid(act: Act) -> list[Reason]:
    reasons = missing(act, {"items": "需补充的材料", "due": "补充期限"}, "法制审核工作规则")
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
        result = (entry or {}).get("result") if isinstance(entry, dict | type(None)) else None
        if result not in ("pass", "fail"):
            reasons.append(
                Reason("checklist_incomplete", f"审核要点「{label}」（{point}）未填写 pass/fail")
            )
            continue
        results[point] = result
        if result == "fail" and not str((entry or {}).get("comment") or "").strip():
            reasons.append(Reason("checklist_comment", f"审核要点「{label}」不通过须写明理由"))
    reasons += missing(act, {"opinion": "审核意见"}, "国办发〔2018〕118号（十三）")
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
