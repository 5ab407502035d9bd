"""`penalty` — 行政处罚一般程序 (行政处罚法 Chapter V, Section 3; domain.md §3.1)."""

from __future__ import annotations

from states import fields as f
from states import stages as s
from states.definition import NEW, SAME, Action, Issue, Procedure, ProcedureRules
from states.vocabulary import Outcome

PENALTY = Procedure(
    id="penalty",
    prefix="P",
    label="行政处罚（一般程序）",
    initial="initiation",
    states=s.STATES,
    rules=ProcedureRules(
        outcomes=(Outcome.PENALTY, Outcome.NO_PENALTY, Outcome.UNPROVEN, Outcome.REFER),
        notice_action="notify",
        filing_finding="有证据初步证明当事人涉嫌存在违法行为，依法应当给予行政处罚，属于本机关管辖",
        public_kind="行政处罚",
        measure_kinds=("registration",),  # 行政处罚法 Art. 56
    ),
    deadlines=(
        "decision_limit", "statement_window", "hearing_request", "hearing_notice_lead",
        "review_limit", "supplement_due", "service_limit", "payment_due", "instalment_due",
        "urge_period", "enforcement_window", "publicity_penalty", "publicity_other",
        "publicity_withdrawal", "archive_limit",
    ),  # fmt: skip
    actions=(
        Action(
            id="open", label="立案", en="open", sources=(NEW,), target="initiation",
            roles=s.OFFICER, guards=("officer_certified", "party_recorded", "violation_recorded",
                                       "field_known"),
            notices=(Issue(kind="filing_approval"),), fields=f.OPEN_PENALTY,
        ),
        s.ASSIGN,
        *s.RECUSAL,
        Action(
            id="investigate", label="批准调查", en="investigate", sources=("initiation",),
            target="evidence", roles=s.HEAD, guards=("two_officers_certified",),
        ),
        s.ADD_EVIDENCE,
        s.record_av(s.STATES),
        Action(
            id="draft_decision", label="拟定处理意见", en="draft decision",
            sources=("evidence", "notice", "review"), target=SAME, roles=s.OFFICER,
            guards=s.DRAFT_GUARDS, fields=(*f.DRAFT, *f.VIOLATION),
        ),
        Action(
            id="notify", label="事先告知", en="notify", sources=("evidence", "notice"),
            target="notice", roles=s.OFFICER,
            guards=(*s.FACING_PARTY, "has_evidence", "has_draft", "draft_is_penalty",
                    "service_method_valid"),
            notices=(Issue(kind="penalty_notice"),), fields=f.SERVE,
        ),
        Action(
            id="record_statement", label="记录陈述申辩", en="record statement",
            sources=("notice",), target=SAME, roles=s.OFFICER,
            guards=("assigned_officer", "text_recorded"), fields=f.TEXT,
        ),
        Action(
            id="waive", label="放弃陈述申辩", en="waive", sources=("notice",), target=SAME,
            roles=s.OFFICER, guards=("assigned_officer", "text_recorded"), fields=f.TEXT,
        ),
        *s.HEARING_ACTIONS,
        s.submit_review(("statement_window_closed",)),
        *s.REVIEW,
        s.decide(("review", "notice"), ("statement_window_closed", "decision_extension"),
                 s.PENALTY_DECISIONS),
        s.SERVE,
        *s.PAYMENT,
        s.close(),
        *s.ENDING,
    ),  # fmt: skip
)
