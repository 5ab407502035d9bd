"""The keys a clerk gives with each action (domain.md §3.3), with their meaning in Chinese.

An enum or list key names its vocabulary (states/vocabulary.py): the clerk may type the
Chinese label or the id. `applies` names the condition (rules/conditions.py) under which a
key is asked at all.
"""

from __future__ import annotations

from states.definition import Field


def text(name: str, label: str, help: str = "", *, required: bool = False,
         applies: str | None = None) -> Field:  # fmt: skip
    return Field(name=name, kind="text", label=label, help=help, required=required,
                 applies=applies)  # fmt: skip


def enum(name: str, label: str, vocabulary: str, *, required: bool = False,
         applies: str | None = None, help: str = "") -> Field:  # fmt: skip
    return Field(name=name, kind="enum", label=label, vocabulary=vocabulary, required=required,
                 applies=applies, help=help)  # fmt: skip


def of(name: str, kind: str, label: str, help: str = "", *, required: bool = False,
       applies: str | None = None, vocabulary: str | None = None,
       derived: bool = False) -> Field:  # fmt: skip
    return Field(name=name, kind=kind, label=label, help=help, required=required,
                 applies=applies, vocabulary=vocabulary, derived=derived)  # fmt: skip


PARTY = (
    text("title", "案件名称", required=True),
    text("party", "当事人名称或姓名", required=True),
    enum("party_type", "当事人类型", "party_type", help="unit 单位 / individual 个人"),
    text("party_id", "统一社会信用代码或身份证号码"),
    text("party_address", "当事人地址"),
    text("field", "执法领域（用于法制审核目录匹配）"),
)
#: 行政处罚法 Arts. 29, 36: the violation the case concerns, when it happened and was found.
VIOLATION = (
    text("power", "权责清单事项编号（powers.yaml，如 SJ-CF-002）"),
    text("violation", "违法行为"),
    of("violation_on", "date", "违法行为发生日期"),
    of("violation_ended_on", "date", "违法行为终了日期（连续或者继续状态的）"),
    of("discovered_on", "date", "发现违法行为日期"),
)

OPEN_PENALTY = (
    *PARTY,
    text("source", "案件来源及基本事实", required=True),
    *VIOLATION,
)
OPEN_AUDIT = (
    *PARTY,
    text("scope", "审计范围", required=True),
    text("period", "审计期间", required=True),
    text("source", "立项依据"),
    *VIOLATION,
)
ASSIGN = (
    text("person", "被指派人员", required=True),
    enum("role", "担任职责", "assignable_role", required=True),
)
INVESTIGATE = (text("special_approval", "特殊情况下提前进场的负责人批准（审计法第四十二条）"),)
EVIDENCE_FIELDS = (
    enum("type", "证据种类（行政处罚法第四十六条）", "evidence", required=True),
    text("title", "证据名称", required=True),
    of("files", "files", "证据文件（由 zhifa evidence add 存入并记录）"),
    text("place", "取证地点"),
)
#: 裁量基准 (discretion benchmarks, discretion.yaml): the facts a benchmark weighs, the
#: benchmark named when several apply, the written reason for a fine outside the suggested range,
#: and the benchmark and tier applied (computed by zhifa when the draft is recorded).
DISCRETION_FACTS = (
    of("amount_involved", "money", "涉案金额（骗取、违规使用、少缴的资金等，元）",
       applies="discretion_applies"),
    of("illegal_gain", "money", "违法所得（元，没有的填0）", applies="discretion_applies"),
    enum("harm", "危害后果", "harm_level", applies="discretion_applies",
         help="none 没有造成危害后果 / slight 危害后果轻微 / serious 危害后果严重"),
    of("slight", "bool", "违法行为轻微", applies="discretion_applies"),
    of("corrected", "bool", "及时改正（已主动退还、补缴或者整改到位）", applies="discretion_applies"),
    of("first_offence", "bool", "初次违法", applies="discretion_applies"),
    of("mitigated_harm", "bool", "主动消除或者减轻违法行为危害后果（行政处罚法第三十二条第（一）项）",
       applies="discretion_applies"),
    of("coerced", "bool", "受他人胁迫或者诱骗实施违法行为（行政处罚法第三十二条第（二）项）",
       applies="discretion_applies"),
    of("confessed", "bool", "主动供述行政机关尚未掌握的违法行为（行政处罚法第三十二条第（三）项）",
       applies="discretion_applies"),
    of("meritorious", "bool", "配合行政机关查处违法行为有立功表现（行政处罚法第三十二条第（四）项）",
       applies="discretion_applies"),
    of("no_fault", "bool", "有证据足以证明没有主观过错（行政处罚法第三十三条第二款）",
       applies="discretion_applies"),
    of("repeat_2y", "bool", "二年内因同类违法行为受过行政处罚", applies="discretion_applies"),
    of("obstruction", "bool", "拒绝、阻碍调查检查或者转移、隐匿、销毁证据", applies="discretion_applies"),
    of("refused_correction", "bool", "经责令改正拒不改正", applies="discretion_applies"),
)  # fmt: skip
DISCRETION = (
    *DISCRETION_FACTS,
    text("benchmark", "适用的裁量基准编号（discretion.yaml；同一事项有多条基准时填写）",
         applies="discretion_applies"),
    text("discretion_reason", "罚款超出裁量基准建议幅度的书面理由", applies="discretion_applies"),
    of("discretion", "json", "裁量基准适用情况（由 zhifa 按所录情节生成，无需填写）",
       applies="discretion_applies", derived=True),
    of("like_cases", "json", "同事项同阶次类案的罚款分布（由 zhifa 生成，无需填写）",
       applies="discretion_applies", derived=True),
)  # fmt: skip
DRAFT = (
    enum("outcome", "处理结果", "outcome", required=True),
    of("penalty_kinds", "list", "处罚种类（可并处）", vocabulary="penalty_kind",
       applies="outcome_is_penalty"),
    of("amount", "money", "罚款金额（元）", applies="kinds_include_fine"),
    of("confiscation", "money", "没收违法所得金额（元）", applies="kinds_include_confiscation"),
    text("property", "没收的非法财物及其价值", applies="kinds_include_property"),
    of("property_value", "money", "非法财物价值（元）", applies="kinds_include_property"),
    text("licence", "许可证件名称、编号及暂扣期限或处理", applies="kinds_include_licence"),
    text("restriction", "限制、停产停业的范围和期限", applies="kinds_include_restriction"),
    enum("ground", "不予处罚的法定情形", "no_penalty_ground", applies="outcome_is_no_penalty"),
    text("education", "对当事人的教育（行政处罚法第三十三条第三款）",
         applies="outcome_is_no_penalty"),
    text("facts", "违法事实"),
    text("basis", "法律依据"),
    of("triggers", "list", "法制审核情形", vocabulary="trigger"),
    text("refer_to", "受移送机关（移送时）", applies="outcome_is_refer"),
    text("mitigation", "从轻、减轻处罚的情节及依据"),
    *DISCRETION,
)
#: 审计法 Arts. 49, 50, 53: what an audit decision concerns, and its 处理措施.
AUDIT_DRAFT = (
    *DRAFT,
    enum("audit_subject", "审计决定事项", "audit_subject",
         help="fiscal 财政收支 / financial 财务收支"),
    of("measures", "json", "处理措施（审计法第四十九条）",
       "JSON 列表：[{\"kind\": \"pay_in\", \"amount\": \"50000\", \"days\": 30, \"text\": \"…\"}]"),
)
SERVE = (
    enum("method", "送达方式", "method", required=True),
    text("recipient", "受送达人", required=True),
    of("consent", "bool", "当事人同意电子送达", applies="method_is_electronic"),
    text("witness", "见证人（留置送达）", applies="method_is_left_at_address"),
    text("place", "送达地点"),
)
TEXT = (text("text", "内容", required=True),)
WAIVE_HEARING = (text("text", "当事人书面放弃听证的内容", required=True),)
HEARING = (
    text("hearing_officer", "听证主持人", required=True),
    of("hearing_date", "date", "听证日期", required=True),
    text("place", "听证地点", required=True),
    text("hearing_time", "听证时间（如 上午9时30分）"),
    text("clerk", "听证记录员", required=True),
)
CONCLUDE = (
    enum("ending", "听证结束情形（行政处罚法第六十四条）", "hearing_ending", required=True),
    text("transcript", "听证笔录", required=True),
)
SUBMIT = (of("materials", "list", "报送材料", required=True),)
SUPPLEMENT = (
    of("items", "list", "需补充的材料", required=True),
    of("due", "date", "补充期限", required=True),
)
EXTEND_REVIEW = (
    of("days", "int", "延长的工作日数（不超过 config periods.review_extension_days）", required=True),
    text("reason", "延长审核期限的理由（负责人批准）", required=True),
)
CHECKLIST = (
    of("checklist", "json", "审核要点",
       "subject, procedure, facts_evidence, law_discretion, "
       "authority, documents, referral: 每项 pass/fail 及 comment", required=True),
    text("opinion", "审核意见", required=True),
)
ESCALATE = (text("reason", "提请协调理由", required=True),)
RESOLVE = (
    enum("outcome", "协调结果", "resolve_outcome", required=True),
    text("reason", "协调理由", required=True),
    text("reviewer", "重新审核人员（rereview 时）", applies="resolve_is_rereview"),
)
AUDIT_REPORT = (
    text("text", "审计机关的审计报告（审计评价、处理处罚意见）", required=True),
    text("reported_to", "报送的上一级审计机关"),
)
DECIDE = (
    text("collective_discussion", "负责人集体讨论记录（重大案件）"),
    text("extension", "延期批准（立案逾90日）"),
    text("statement_response", "对陈述、申辩或听证意见的采纳情况及理由"),
)
EXECUTION = (text("text", "执行或整改情况", required=True),)
PAYMENT = (
    of("amount", "money", "缴纳金额（元）", required=True),
    enum("channel", "缴纳方式", "payment_channel", required=True),
    text("receipt", "缴款凭证或票据号码", required=True),
)
DEFERRAL = (
    text("application", "当事人书面申请（经济困难的理由）", required=True),
    text("approval", "负责人批准意见", required=True),
    of("schedule", "json", "缴纳计划",
       "JSON 列表：[{\"due\": \"2026-12-31\", \"amount\": \"60000\"}, …]；延期为一期", required=True),
)
REMEDY = (
    enum("kind", "救济途径", "remedy_kind", required=True),
    enum("stage", "阶段", "remedy_stage", required=True),
    text("organ", "复议机关或人民法院", required=True),
    enum("result", "结果", "remedy_result", applies="remedy_concluded"),
    text("reference", "案号或决定书文号"),
)
URGE = (
    *SERVE,
    text("statement", "当事人陈述、申辩及复核情况（行政强制法第三十六条）"),
)
ENFORCEMENT = (
    text("court", "受理申请的人民法院", required=True),
    text("materials", "申请材料（行政强制法第五十五条）"),
)
COURT_RULING = (
    enum("ruling", "人民法院裁定", "court_ruling", required=True),
    text("reference", "裁定书文号", required=True),
    text("text", "执行情况"),
)
COMPLIANCE = (
    of("item", "int", "处理措施序号", required=True),
    text("text", "整改或执行情况", required=True),
    of("amount", "money", "已缴纳或退还金额（元）"),
    of("reported", "bool", "拒不执行，已通报有关主管机关（审计法第五十一条第二款）"),
)
CLOSE = (text("text", "结案意见"),)
WITHDRAW = (text("reason", "撤销立案理由", required=True),)
CONVERT_SUMMARY = (
    text("reason", "转为一般程序的理由", "如：罚款超过简易程序限额（行政处罚法第五十一条）",
         required=True),
    text("general_case", "一般程序案件编号", "已按一般程序立案的，如 P-2026-0002"),
)  # fmt: skip
RECUSAL_REQUEST = (
    text("person", "申请回避的人员", required=True),
    enum("by", "提出方", "recusal_by", required=True),
    text("grounds", "回避理由", required=True),
)
RECUSAL_DECISION = (
    text("person", "申请回避的人员", required=True),
    enum("result", "决定", "recusal_result", required=True),
    text("reason", "决定理由（书面）", required=True),
    text("replacement", "接替人员（决定回避时）", applies="recusal_granted"),
)
AUDIO_VISUAL = (
    of("for_seq", "int", "所记录的执法行为（办案记录序号）", required=True),
    of("files", "files", "音像记录文件（由 zhifa evidence av 存入并记录）", required=True),
    text("title", "说明"),
)
PUBLISH = (
    of("content", "json", "公示内容（由 zhifa publish case 按脱敏规则生成）", required=True),
    of("redactions", "json", "不予公开的内容",
       "[{text, reason}]: reason 为 state_secret 国家秘密 / work_secret 工作秘密 / "
       "trade_secret 商业秘密 / privacy 个人隐私 / personal_info 个人信息"
       "（政府信息公开条例第十四条、第十五条；审计法第四十条）"),
)
WITHDRAW_PUBLICATION = (text("reason", "撤回公示的理由", required=True),)
REVOKE = (
    enum("kind", "撤销、变更、确认违法或确认无效", "revocation", required=True),
    text("reason", "理由（如行政复议决定书文号）", required=True),
)


# -- 简易程序 (行政处罚法 Arts. 51–53, 68–71) ------------------------------------------------------
OPEN_SUMMARY = (
    *PARTY,
    text("partner", "同行执法人员（出示执法证件的第二名执法人员）", required=True),
    text("place", "地点", required=True),
    text("violation", "违法行为", required=True),
    of("violation_on", "date", "违法行为发生日期", required=True),
    text("power", "权责清单事项编号（powers.yaml）", required=True),
)
DECIDE_ON_SPOT = (
    of("penalty_kinds", "list", "处罚种类（警告或罚款）", vocabulary="penalty_kind", required=True),
    of("amount", "money", "罚款金额（元）", applies="kinds_include_fine"),
    text("facts", "违法事实", required=True),
    text("basis", "法律依据", required=True),
    of("rights_told", "bool", "已出示证件并告知事实、理由、依据和陈述申辩、救济权利", required=True),
    text("statement", "当事人的陈述、申辩（及复核）"),
    text("time", "时间（时、分）", required=True),
    of("refused_to_sign", "bool", "当事人拒绝签收（已在决定书上注明）"),
)
COLLECT_ON_SPOT = (
    of("amount", "money", "当场收缴金额（元）", required=True),
    enum("ground", "当场收缴的情形", "spot_ground", required=True),
    text("receipt", "财政部门统一制发的罚款收据号码", required=True),
)
CASH = (of("amount", "money", "金额（元）", required=True), text("receipt", "回执或凭证号码"))
FILE_SUMMARY = (text("text", "备案说明"),)

# -- 行政强制措施 (行政处罚法 Art. 56; 审计法 Art. 38; 审计法实施条例 Art. 32; 行政强制法 Arts. 18–28)
OPEN_MEASURE = (
    text("parent", "所属案件编号", required=True),
    enum("kind", "措施种类", "measure_kind", required=True),
    text("title", "措施名称", required=True),
    text("party", "当事人（被审计单位）名称或姓名", required=True),
    enum("party_type", "当事人类型", "party_type"),
    text("party_id", "统一社会信用代码或身份证号码"),
    text("party_address", "当事人地址"),
    text("reasons", "理由（如证据可能灭失或者以后难以取得、转移隐匿资料）", required=True),
    text("basis", "依据", required=True),
    of("items", "list", "清单（物品、资料、资产或款项）", required=True),
    text("stop_order", "制止无效的经过（暂停拨付须先予制止）"),
)
APPROVE_MEASURE = (text("text", "负责人批准意见", required=True),)
EXECUTE_MEASURE = (
    of("present", "bool", "当事人到场", required=True),
    of("rights_told", "bool", "已当场告知理由、依据、权利和救济途径", required=True),
    text("witness", "见证人（当事人不到场时）"),
    text("statement", "当事人的陈述和申辩", required=True),
    text("record", "现场笔录（当事人、执法人员签名；拒绝的注明）", required=True),
    text("custodian", "保管人（可指定被审计单位）"),
    text("recipient", "受送达人（暂停拨付：财政部门或主管部门）"),
)
EXTEND_MEASURE = (
    of("days", "int", "延长天数（不超过7日）", required=True),
    text("reason", "延长理由（负责人批准）", required=True),
)
RELEASE_MEASURE = (
    enum("disposal", "处理方式", "disposal", required=True),
    text("reason", "理由", required=True),
)
