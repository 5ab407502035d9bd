"""The product's stable vocabulary: ids (English, stable in the CLI, JSON and history) with the
office's Chinese labels (domain.md §3.3). Procedures, guards, notices and the terminal all read
them from here; a clerk may type the label or the id.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """处理结果 of a draft decision (行政处罚法 Art. 57)."""

    PENALTY = "penalty"
    NO_PENALTY = "no_penalty_minor"  # 不予行政处罚, on one statutory ground (Art. 33 ¶3)
    UNPROVEN = "no_penalty_unproven"  # 违法事实不能成立, 不予行政处罚 (Art. 57 ¶1(三))
    REFER = "refer"  # 移送 (Art. 27, Art. 57 ¶1(四))
    MEASURES = "measures_only"  # 审计: 处理措施 only, no penalty (审计法 Art. 49)


OUTCOMES: dict[str, str] = {
    Outcome.PENALTY: "给予行政处罚",
    Outcome.NO_PENALTY: "不予行政处罚",
    Outcome.UNPROVEN: "违法事实不能成立，不予行政处罚",
    Outcome.REFER: "移送",
    Outcome.MEASURES: "责令采取处理措施",
}

#: 行政处罚法 Art. 9: the kinds of penalty (行政拘留 is not the bureau's), in the article's order.
PENALTY_KINDS: dict[str, str] = {
    "warning": "警告",
    "criticism": "通报批评",
    "fine": "罚款",
    "confiscation": "没收违法所得",
    "confiscation_property": "没收非法财物",
    "licence_suspension": "暂扣许可证件",
    "qualification_downgrade": "降低资质等级",
    "licence_revocation": "吊销许可证件",
    "business_restriction": "限制开展生产经营活动",
    "suspension": "责令停产停业",
    "closure": "责令关闭",
    "practice_restriction": "限制从业",
}
#: Kinds that are paid in money, and the draft key holding each amount.
MONEY_KINDS: dict[str, str] = {"fine": "amount", "confiscation": "confiscation"}

#: 行政处罚法 Art. 33, 30, 31, 36: the statutory grounds for 不予行政处罚 (one is named).
NO_PENALTY_GROUNDS: dict[str, str] = {
    "art33_minor": "违法行为轻微并及时改正，没有造成危害后果（《中华人民共和国行政处罚法》第三十三条第一款）",
    "art33_first": "初次违法且危害后果轻微并及时改正（《中华人民共和国行政处罚法》第三十三条第一款）",
    "art33_no_fault": "当事人有证据足以证明没有主观过错（《中华人民共和国行政处罚法》第三十三条第二款）",
    "art30_minor": "违法行为发生时不满十四周岁（《中华人民共和国行政处罚法》第三十条）",
    "art31_mental": "精神病人、智力残疾人在不能辨认或者不能控制自己行为时有违法行为（《中华人民共和国行政处罚法》第三十一条）",
    "art36_time_barred": "违法行为在法定期限内未被发现（《中华人民共和国行政处罚法》第三十六条）",
}

TRIGGERS: dict[str, str] = {
    "major_public_interest": "涉及重大公共利益",
    "major_rights": "直接关系当事人或者第三人重大权益",
    "complex": "案件情况疑难复杂、涉及多个法律关系",
    "required_by_law": "法律、法规规定应当进行法制审核",
}

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
SERVICE_METHODS: dict[str, str] = {
    "on_the_spot": "宣告后当场交付",  # 行政处罚法 Arts. 52, 61
    "direct": "直接送达",
    "post": "邮寄送达",
    "electronic": "电子送达",
    "left_at_address": "留置送达",
    "public_notice": "公告送达",
}

#: 审计法 Art. 53: what an audit decision concerns decides its remedy (and Art. 50: a fine).
AUDIT_SUBJECTS: dict[str, str] = {"fiscal": "财政收支", "financial": "财务收支"}

#: 审计法 Art. 49: 处理措施 an audit decision may order, each with an amount and a due date.
AUDIT_MEASURES: dict[str, str] = {
    "pay_in": "责令限期缴纳应当上缴的款项",
    "return_assets": "责令限期退还被侵占的国有资产",
    "return_gains": "责令限期退还违法所得",
    "adjust_accounts": "责令按照国家统一的财务、会计制度的有关规定进行处理",
    "other": "其他处理措施",
}

PARTY_TYPES: dict[str, str] = {"unit": "单位", "individual": "个人"}

ROLES: dict[str, str] = {
    "officer": "执法人员",
    "reviewer": "法制审核人员",
    "head": "负责人",
    "hearing_officer": "听证主持人",
    "publisher": "公示员",
    "auditor": "监督人员",
    "admin": "管理员",
}
#: Roles a head may assign to a case (domain.md §3.3, action `assign`).
ASSIGNABLE_ROLES = ("officer", "hearing_officer", "reviewer")

#: 行政处罚法 Art. 64(六): how a hearing ended.
HEARING_ENDINGS: dict[str, str] = {
    "held": "听证举行完毕",
    "absent": "当事人无正当理由拒不出席，视为放弃听证权利，终止听证",
    "left": "当事人未经许可中途退出，视为放弃听证权利，终止听证",
    "withdrawn": "当事人撤回听证申请，终止听证",
}

#: 行政处罚法 Art. 48 ¶2: a published decision 变更、撤销、确认违法或者确认无效 is withdrawn.
REVOCATION_KINDS: dict[str, str] = {
    "revoked": "撤销",
    "changed": "变更",
    "confirmed_illegal": "确认违法",
    "confirmed_void": "确认无效",
}

#: 行政复议 and 行政诉讼, and the 裁决 of 审计法 Art. 53 ¶2.
REMEDY_KINDS: dict[str, str] = {
    "reconsideration": "行政复议",
    "litigation": "行政诉讼",
    "ruling": "本级人民政府裁决",
}
REMEDY_RESULTS: dict[str, str] = {
    "upheld": "维持",
    "revoked": "撤销",
    "changed": "变更",
    "confirmed_illegal": "确认违法",
    "confirmed_void": "确认无效",
    "withdrawn": "申请人撤回申请（起诉）",
    "dismissed": "驳回",
}

PAYMENT_CHANNELS: dict[str, str] = {
    "bank": "指定银行",
    "electronic": "电子支付系统",
    "on_the_spot": "当场收缴",
}

#: 行政处罚法 Art. 43; 审计法 Art. 15: who asked for a recusal.
RECUSAL_BY: dict[str, str] = {"party": "当事人申请", "self": "执法人员自行回避"}
RECUSAL_RESULTS: dict[str, str] = {"granted": "决定回避", "refused": "决定不予回避"}

COURT_RULINGS: dict[str, str] = {"granted": "裁定准予执行", "refused": "裁定不予执行"}

#: 行政强制措施 the bureau may take during a case (行政处罚法 Art. 56; 审计法 Art. 38).
MEASURE_KINDS: dict[str, str] = {
    "registration": "先行登记保存",
    "seal": "封存",
    "suspend_payment": "暂停拨付",
}
#: 行政处罚法 Art. 68, 69: when an officer may take the fine on the spot.
SPOT_COLLECTION_GROUNDS: dict[str, str] = {
    "small": "依法给予一百元以下罚款",
    "hard_to_enforce": "不当场收缴事后难以执行",
    "remote": "边远、水上、交通不便地区，当事人到银行缴纳确有困难",
}
#: 先行登记保存 items are dealt with within 7 days (行政处罚法 Art. 56): how.
DISPOSALS: dict[str, str] = {
    "return": "解除先行登记保存，退还当事人",
    "confiscate": "依法没收",
    "transfer": "移送有关机关处理",
    "release": "解除封存（暂停拨付），恢复原状",
}
#: 裁量阶次 of a discretion benchmark, lightest first (行政处罚法 Arts. 32, 33, 34).
DISCRETION_TIERS: dict[str, str] = {
    "exempt": "不予处罚",
    "reduced": "减轻处罚",
    "lighter": "从轻处罚",
    "general": "一般处罚",
    "heavier": "从重处罚",
}
#: 危害后果 as a benchmark weighs it (行政处罚法 Art. 33: 没有造成危害后果, 危害后果轻微).
HARM_LEVELS: dict[str, str] = {"none": "没有造成危害后果", "slight": "危害后果轻微",
                               "serious": "危害后果严重"}  # fmt: skip

#: Vocabularies by the name a Field's `vocabulary` refers to (choices, labels).
VOCABULARIES: dict[str, dict[str, str]] = {
    "outcome": OUTCOMES,
    "penalty_kind": PENALTY_KINDS,
    "no_penalty_ground": NO_PENALTY_GROUNDS,
    "trigger": TRIGGERS,
    "evidence": EVIDENCE_TYPES,
    "method": SERVICE_METHODS,
    "audit_subject": AUDIT_SUBJECTS,
    "audit_measure": AUDIT_MEASURES,
    "party_type": PARTY_TYPES,
    "role": ROLES,
    "assignable_role": {r: ROLES[r] for r in ASSIGNABLE_ROLES},
    "hearing_ending": HEARING_ENDINGS,
    "revocation": REVOCATION_KINDS,
    "remedy_kind": REMEDY_KINDS,
    "remedy_result": REMEDY_RESULTS,
    "remedy_stage": {"filed": "已申请复议（起诉）", "concluded": "已作出复议决定（裁判）"},
    "payment_channel": PAYMENT_CHANNELS,
    "recusal_by": RECUSAL_BY,
    "recusal_result": RECUSAL_RESULTS,
    "court_ruling": COURT_RULINGS,
    "measure_kind": MEASURE_KINDS,
    "spot_ground": SPOT_COLLECTION_GROUNDS,
    "disposal": DISPOSALS,
    "discretion_tier": DISCRETION_TIERS,
    "harm_level": HARM_LEVELS,
    "resolve_outcome": {"rereview": "重新审核", "return": "退回补充调查"},
}
