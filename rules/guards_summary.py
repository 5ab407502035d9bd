"""Guards of the 简易程序 (行政处罚法 Arts. 51–53, 68–71) and of 行政强制措施 (行政处罚法 Art. 56;
审计法 Art. 38; 审计法实施条例 Art. 32; 行政强制法 Arts. 18–28)."""

from __future__ import annotations

from decimal import Decimal

from rules.act import Act, guard
from rules.guards_input import amount, missing
from rules.guards_people import ART42
from rules.model import Reason
from rules.payment import account
from states.vocabulary import MEASURE_KINDS, PENALTY_KINDS

ART51 = "行政处罚法第五十一条"
#: Art. 51: 对公民处以二百元以下、对法人或者其他组织处以三千元以下罚款或者警告
SPOT_LIMITS = {"individual": Decimal(200), "unit": Decimal(3000)}


@guard("partner_certified", needs_data=True)
def partner_certified(act: Act) -> list[Reason]:
    """Two officers with valid certificates face the party (行政处罚法 Arts. 42, 52, 55)."""
    name = str(act.input.get("partner") or "")
    person = act.staff.get(name)
    if name == act.actor.name or person is None or not person.active \
            or "officer" not in person.roles or not person.certificate_valid_on(act.on):  # fmt: skip
        return [Reason("partner", f"同行执法人员须为另一名持有效执法证件的执法人员：{name or '未填写'}", ART42)]
    return []


@guard("summary_limits", needs_data=True)
def summary_limits(act: Act) -> list[Reason]:
    """Art. 51: a 警告, or a fine of up to ¥200 (a person) or ¥3,000 (a unit); more goes to the
    general procedure."""
    kinds = list(act.input.get("penalty_kinds") or [])
    outside = [PENALTY_KINDS.get(k, k) for k in kinds if k not in ("warning", "fine")]
    limit = SPOT_LIMITS["unit" if act.case.party.get("type") == "unit" else "individual"]
    fine = amount(act, "amount")
    reasons = []
    if outside or not kinds:
        reasons.append(Reason("summary_kind", f"简易程序只能给予警告或罚款（{'、'.join(outside) or '未写明种类'}）"
                              f"；{_convert(act)}", ART51))  # fmt: skip
    if "fine" in kinds and (fine is None or fine <= 0):
        reasons.append(Reason("amount", "罚款须写明金额（amount）", ART51))
    elif fine is not None and fine > limit:
        who = "单位" if limit == SPOT_LIMITS["unit"] else "公民"
        reasons.append(Reason("summary_limit", f"罚款{fine}元超过简易程序对{who}的限额{limit}元"
                              f"；{_convert(act)}", ART51))  # fmt: skip
    return reasons


def _convert(act: Act) -> str:
    """How a case beyond Art. 51 goes on: this record ends, the general procedure begins."""
    return (f"请转为一般程序 convert: zhifa case do {act.case.id or 'CASE'} withdraw --data "
            "reason=超过简易程序限额，再按一般程序立案 then open: zhifa case open --procedure penalty")


@guard("rights_stated", needs_data=True)
def rights_stated(act: Act) -> list[Reason]:
    """Art. 52 with Art. 44: certificates shown, facts, reasons, basis and rights told, the
    party's statement heard — before the decision is made on the spot."""
    reasons = []
    if act.input.get("rights_told") is not True:
        reasons.append(Reason("rights_not_told", "须出示执法证件并告知当事人违法事实、理由、依据及陈述申辩、救济权利"
                              "（rights_told=true）", "行政处罚法第四十四条、第五十二条"))  # fmt: skip
    return reasons + missing(act, {"statement": "当事人的陈述、申辩"}, "行政处罚法第四十五条")


@guard("kind_within_power", needs_data=True)
def kind_within_power(act: Act) -> list[Reason]:
    """The kinds stay within the power's law (权责清单), as for a general-procedure draft."""
    from rules.guards_input import _within_power

    return _within_power(act, list(act.input.get("penalty_kinds") or []))


def _spot(act: Act) -> list[dict[str, object]]:
    return [p for p in act.case.payments if p.get("channel") == "on_the_spot"]


@guard("spot_collection_allowed", needs_data=True)
def spot_collection_allowed(act: Act) -> list[Reason]:
    """Art. 68: ≤ ¥100, or 不当场收缴事后难以执行; Art. 69: remote areas; Art. 70: the receipt."""
    ground = act.input.get("ground")
    took = amount(act, "amount")
    owed = account(act.case, act.policy, act.on).outstanding
    reasons = []
    if ground == "small" and Decimal(str((act.case.decision or {}).get("draft", {}).get("amount") or 0)) > 100:
        reasons.append(Reason("spot_small", "罚款超过一百元，不能以“一百元以下”为由当场收缴", "行政处罚法第六十八条"))
    if took is None or took <= 0 or took > owed:
        reasons.append(Reason("spot_amount", f"当场收缴金额须为正数且不超过应缴的{owed}元", "行政处罚法第六十八条"))
    return reasons + missing(act, {"receipt": "罚款收据号码"}, "行政处罚法第七十条")


def _cash(act: Act, step: str) -> dict[str, object]:
    return dict((act.case.details.get("cash") or {}).get(step) or {})


@guard("cash_to_hand", needs_data=True)
def cash_to_hand(act: Act) -> list[Reason]:
    """Art. 71: money taken on the spot goes to the bureau (within 2 days)."""
    taken = sum((Decimal(str(p["amount"])) for p in _spot(act)), Decimal(0))
    handed = Decimal(str(_cash(act, "handed").get("amount") or 0))
    if taken - handed <= 0:
        return [Reason("no_cash", "没有待交至机关的当场收缴罚款", "行政处罚法第七十一条")]
    if amount(act, "amount") != taken - handed:
        return [Reason("cash_amount", f"应交至机关{taken - handed}元", "行政处罚法第七十一条")]
    return []


@guard("cash_to_deposit", needs_data=True)
def cash_to_deposit(act: Act) -> list[Reason]:
    """Art. 71: the bureau pays it to the bank (within 2 days)."""
    handed = Decimal(str(_cash(act, "handed").get("amount") or 0))
    deposited = Decimal(str(_cash(act, "deposited").get("amount") or 0))
    if handed - deposited <= 0:
        return [Reason("no_cash", "机关没有待缴付银行的罚款", "行政处罚法第七十一条")]
    if amount(act, "amount") != handed - deposited:
        return [Reason("cash_amount", f"应缴付银行{handed - deposited}元", "行政处罚法第七十一条")]
    return []


@guard("cash_deposited")
def cash_deposited(act: Act) -> list[Reason]:
    taken = sum((Decimal(str(p["amount"])) for p in _spot(act)), Decimal(0))
    deposited = Decimal(str(_cash(act, "deposited").get("amount") or 0))
    if taken > deposited:
        return [Reason("cash_not_deposited", "当场收缴的罚款尚未交至机关并缴付银行", "行政处罚法第七十一条")]
    return []


@guard("not_yet_filed")
def not_yet_filed(act: Act) -> list[Reason]:
    if act.case.details.get("filed"):
        return [Reason("already_filed", "已报机关备案", "行政处罚法第五十二条第三款")]
    return []


@guard("summary_filed")
def summary_filed(act: Act) -> list[Reason]:
    """Art. 52 ¶3: 执法人员当场作出的行政处罚决定，应当报所属行政机关备案."""
    if act.case.details.get("filed"):
        return []
    return [Reason("not_filed", "当场作出的行政处罚决定尚未报机关备案（file_with_agency）", "行政处罚法第五十二条第三款")]


# -- 行政强制措施 ------------------------------------------------------------------------------
@guard("measure_parent_valid", needs_data=True)
def measure_parent_valid(act: Act) -> list[Reason]:
    """A measure is taken during a case the bureau is still handling, of a kind its law allows."""
    parent, kind = act.parent, act.input.get("kind")
    wanted = str(act.input.get("parent") or "")
    if parent is None or parent.get("id") != wanted:
        return [Reason("no_parent", f"没有案件 {wanted or '（未填写）'}", "行政强制法第十八条")]
    if parent["procedure"] not in act.proc.rules.parents:
        return [Reason("parent_procedure", f"{wanted} 不能采取行政强制措施", "行政强制法第十八条")]
    if parent.get("ended"):
        return [Reason("parent_ended", f"{wanted} 已结案或归档", "行政强制法第十八条")]
    if kind not in parent.get("measure_kinds", ()):
        allowed = "、".join(MEASURE_KINDS[k] for k in parent.get("measure_kinds", ())) or "无"
        return [Reason("measure_kind", f"{wanted} 可采取的措施：{allowed}",
                       "行政处罚法第五十六条；审计法第三十八条")]  # fmt: skip
    if kind == "suspend_payment":  # 审计法 Art. 38 ¶3: 予以制止；制止无效的 …
        return missing(act, {"stop_order": "制止无效的经过（暂停拨付须在制止无效之后）"},
                       "审计法第三十八条第三款")  # fmt: skip
    return []


@guard("measure_on_site_lawful", needs_data=True)
def measure_on_site_lawful(act: Act) -> list[Reason]:
    """行政强制法 Art. 18: the party present or a witness, the statement heard, a 现场笔录."""
    reasons = missing(act, {"statement": "当事人的陈述和申辩", "record": "现场笔录"}, "行政强制法第十八条")
    if act.input.get("rights_told") is not True:
        reasons.append(Reason("rights_not_told", "须当场告知采取措施的理由、依据以及当事人的权利、救济途径"
                              "（rights_told）", "行政强制法第十八条第（五）项"))  # fmt: skip
    if act.input.get("present") is not True and not str(act.input.get("witness") or "").strip():
        reasons.append(Reason("no_witness", "当事人不到场的，须邀请见证人到场（witness）", "行政强制法第十八条第（九）项"))
    if act.case.details.get("kind") == "suspend_payment":
        reasons += missing(act, {"recipient": "通知的财政部门或主管部门"}, "审计法第三十八条第三款")
    return reasons


@guard("seal_extendable", needs_data=True)
def seal_extendable(act: Act) -> list[Reason]:
    """审计法实施条例 Art. 32: 封存 7 days; extended once, by at most 7, with the head's approval."""
    src = "审计法实施条例第三十二条"
    if act.case.details.get("kind") != "seal":
        return [Reason("not_seal", "只有封存可以延长期限", src)]
    if act.case.details.get("extension"):
        return [Reason("already_extended", "封存期限只能延长一次", src)]
    days = act.input.get("days")
    if not isinstance(days, int) or not 1 <= days <= 7:
        return [Reason("extension_days", "延长的期限不得超过7日", src)]
    return missing(act, {"reason": "延长理由"}, src)


@guard("disposal_fits", needs_data=True)
def disposal_fits(act: Act) -> list[Reason]:
    """先行登记保存 ends in a decision on the items (Art. 56); 封存 and 暂停拨付 are released."""
    kind, disposal = act.case.details.get("kind"), act.input.get("disposal")
    registration = kind == "registration"
    if registration and disposal == "release":
        return [Reason("disposal", "先行登记保存的物品须作出处理决定：退还、没收或移送", "行政处罚法第五十六条")]
    if not registration and disposal != "release":
        return [Reason("disposal", "封存、暂停拨付以解除告终（release）", "审计法第三十八条；审计法实施条例第三十二条")]
    return missing(act, {"reason": "理由"})


@guard("no_measure_in_force")
def no_measure_in_force(act: Act) -> list[Reason]:
    """A case does not close while a 行政强制措施 taken in it stands (行政强制法 Arts. 27, 28)."""
    return [Reason("measure_in_force", f"本案的行政强制措施 {m['id']}（{m.get('label', '')}）尚未解除或处理",
                   "行政强制法第二十七条、第二十八条")  # fmt: skip
            for m in act.attached if m.get("in_force")]
