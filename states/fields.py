"""The keys a clerk gives with each action (domain.md §3.3), with their meaning in Chinese."""

from __future__ import annotations

from states.definition import Field

METHODS = ("direct", "post", "electronic", "left_at_address", "public_notice")
EVIDENCE = (
    "documentary", "physical", "audiovisual", "electronic",
    "witness", "party_statement", "expert_opinion", "inspection_record",
)  # fmt: skip
OUTCOMES = ("penalty", "no_penalty_minor", "no_penalty_unproven", "refer")
KINDS = ("warning", "fine", "confiscation", "licence_suspension", "licence_revocation", "closure")
TRIGGERS = ("major_public_interest", "major_rights", "complex", "required_by_law")

PARTY = (
    Field("title", "text", "案件名称", required=True),
    Field("party", "text", "当事人名称或姓名", required=True),
    Field(
        "party_type",
        "enum",
        "当事人类型",
        "unit 单位 / individual 个人",
        choices=("unit", "individual"),
    ),
    Field("party_id", "text", "统一社会信用代码或身份证号码"),
    Field("party_address", "text", "当事人地址"),
    Field("field", "text", "执法领域（用于法制审核目录匹配）"),
)

OPEN_PENALTY = (*PARTY, Field("source", "text", "案件来源及基本事实", required=True))
OPEN_AUDIT = (
    *PARTY,
    Field("scope", "text", "审计范围", required=True),
    Field("period", "text", "审计期间", required=True),
    Field("source", "text", "立项依据"),
)
ASSIGN = (
    Field("person", "text", "被指派人员", required=True),
    Field(
        "role",
        "enum",
        "担任职责",
        choices=("officer", "hearing_officer", "reviewer"),
        required=True,
    ),
)
INVESTIGATE = (Field("special_approval", "text", "特殊情况下提前进场的负责人批准（审计）"),)
EVIDENCE_FIELDS = (
    Field("type", "enum", "证据种类（行政处罚法第四十六条）", choices=EVIDENCE, required=True),
    Field("title", "text", "证据名称", required=True),
    Field("files", "files", "证据文件（由 zhifa evidence add 存入并记录）"),
    Field("place", "text", "取证地点"),
)
DRAFT = (
    Field("outcome", "enum", "处理结果", choices=OUTCOMES, required=True),
    Field("penalty_kind", "enum", "处罚种类", choices=KINDS),
    Field("amount", "money", "罚款金额（元）"),
    Field("confiscation", "money", "没收违法所得金额（元）"),
    Field("facts", "text", "违法事实"),
    Field("basis", "text", "法律依据"),
    Field("triggers", "list", "法制审核情形", ", ".join(TRIGGERS)),
    Field("refer_to", "text", "受移送机关（移送时）"),
    Field(
        "audit_subject",
        "enum",
        "审计决定事项（审计）",
        "fiscal 财政收支 / financial 财务收支",
        choices=("fiscal", "financial"),
    ),
)
SERVE = (
    Field("method", "enum", "送达方式", choices=METHODS, required=True),
    Field("recipient", "text", "受送达人", required=True),
    Field("consent", "bool", "当事人同意电子送达"),
    Field("witness", "text", "见证人（留置送达）"),
)
TEXT = (Field("text", "text", "内容", required=True),)
HEARING = (
    Field("hearing_officer", "text", "听证主持人", required=True),
    Field("hearing_date", "date", "听证日期", required=True),
    Field("place", "text", "听证地点", required=True),
    Field("hearing_time", "text", "听证时间（如 上午9时30分）"),
    Field("clerk", "text", "听证记录员", required=True),
)
CONCLUDE = (Field("transcript", "text", "听证笔录", required=True),)
SUBMIT = (Field("materials", "list", "报送材料", required=True),)
SUPPLEMENT = (
    Field("items", "list", "需补充的材料", required=True),
    Field("due", "date", "补充期限", required=True),
)
CHECKLIST = (
    Field(
        "checklist",
        "json",
        "审核要点",
        "subject, procedure, facts_evidence, law_discretion, "
        "authority, documents, referral: 每项 pass/fail 及 comment",
        required=True,
    ),
    Field("opinion", "text", "审核意见", required=True),
)
ESCALATE = (Field("reason", "text", "提请协调理由", required=True),)
RESOLVE = (
    Field("outcome", "enum", "协调结果", choices=("rereview", "return"), required=True),
    Field("reason", "text", "协调理由", required=True),
    Field("reviewer", "text", "重新审核人员（rereview 时）"),
)
DECIDE = (
    Field("collective_discussion", "text", "负责人集体讨论记录（重大案件）"),
    Field("extension", "text", "延期批准（立案逾90日）"),
    Field("statement_response", "text", "对陈述、申辩或听证意见的采纳情况及理由"),
)
EXECUTION = (
    Field("text", "text", "执行情况", required=True),
    Field("amount_paid", "money", "已缴金额（元）"),
)
CLOSE = (Field("court_enforcement", "bool", "已申请法院强制执行"),)
WITHDRAW = (Field("reason", "text", "撤销立案理由", required=True),)
AUDIO_VISUAL = (
    Field("for_seq", "int", "所记录的执法行为（办案记录序号）", required=True),
    Field("files", "files", "音像记录文件（由 zhifa evidence av 存入并记录）", required=True),
    Field("title", "text", "说明"),
)
PUBLISH = (
    Field("content", "json", "公示内容（由 zhifa publish case 按脱敏规则生成）", required=True),
    Field(
        "redactions",
        "json",
        "不予公开的内容",
        "[{text, reason}]: reason 为 state_secret 国家秘密 / work_secret 工作秘密 / "
        "trade_secret 商业秘密 / privacy 个人隐私 / personal_info 个人信息"
        "（政府信息公开条例第十四、十五条；审计法第四十条）",
    ),
)
WITHDRAW_PUBLICATION = (Field("reason", "text", "撤回公示的理由", required=True),)
REVOKE = (
    Field(
        "kind",
        "enum",
        "撤销或变更",
        "revoked 撤销 / changed 变更",
        choices=("revoked", "changed"),
        required=True,
    ),
    Field("reason", "text", "理由（如行政复议决定书文号）", required=True),
)
