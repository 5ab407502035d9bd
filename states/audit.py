"""`audit` — an audit leading to an 审计决定 (审计法 Arts. 42–53; domain.md §3.2).

The 审计组 reports, the auditee is heard (Art. 44, with the hearing where a penalty is
proposed), the audit office issues its own 审计报告 and decides (Art. 45): 处理措施 for
财政收支 (Art. 49), 处理措施 and 处罚 for 财务收支 (Art. 50).
"""

from __future__ import annotations

from states import fields as f
from states import stages as s
from states.definition import NEW, SAME, Action, Issue, Procedure, ProcedureRules
from states.vocabulary import Outcome

AUDIT = Procedure(
    id="audit",
    prefix="A",
    label="审计（审计决定）",
    initial="initiation",
    states=s.STATES,
    rules=ProcedureRules(
        outcomes=(Outcome.MEASURES, Outcome.PENALTY, Outcome.REFER),
        review_always="审计决定一律经法制审核（本局三项制度实施方案）",
        notice_action="solicit_opinion",
        notice_missing="审计报告尚未征求被审计单位意见",
        notice_source="审计法第四十四条",
        notice_only_for_penalty=False,
        filing_finding="有依据表明需要实施审计",
        public_kind="审计决定",
        # 行政处罚法 Art. 56 for an audit that may end in a fine; 审计法 Art. 38 ¶2, ¶3
        measure_kinds=("registration", "seal", "suspend_payment"),
    ),
    deadlines=(
        "audit_notice_lead", "auditee_opinion", "hearing_request", "hearing_notice_lead",
        "review_limit", "supplement_due", "service_limit", "payment_due", "instalment_due",
        "urge_period", "enforcement_window", "measure_due", "publicity_penalty",
        "publicity_other", "publicity_withdrawal", "archive_limit",
    ),  # fmt: skip
    actions=(
        Action(
            id="open", label="审计立项", en="open", sources=(NEW,), target="initiation",
            roles=s.OFFICER,
            guards=("officer_certified", "party_recorded", "audit_scope_recorded", "field_known"),
            notices=(Issue(kind="filing_approval"),), fields=f.OPEN_AUDIT,
        ),
        s.ASSIGN,
        *s.RECUSAL,
        Action(
            id="serve_audit_notice", label="送达审计通知书", en="serve audit notice",
            sources=("initiation",), target=SAME, roles=s.OFFICER,
            guards=("assigned_officer", "two_officers_certified", "service_method_valid"),
            notices=(Issue(kind="audit_notice"),), fields=f.SERVE,
        ),
        Action(
            id="investigate", label="实施审计", en="investigate", sources=("initiation",),
            target="evidence", roles=s.HEAD, guards=("two_officers_certified", "audit_notice_lead"),
            fields=f.INVESTIGATE,
        ),
        s.ADD_EVIDENCE,
        s.record_av(s.STATES),
        Action(
            id="draft_decision", label="拟定审计处理意见", en="draft decision",
            sources=("evidence", "notice", "review"), target=SAME, roles=s.OFFICER,
            guards=(*s.DRAFT_GUARDS, "audit_draft_lawful"), fields=(*f.AUDIT_DRAFT, *f.VIOLATION),
        ),
        Action(
            id="solicit_opinion", label="征求意见", en="solicit opinion", sources=("evidence",),
            target="notice", roles=s.OFFICER,
            guards=(*s.FACING_PARTY, "has_evidence", "has_draft", "service_method_valid"),
            notices=(Issue(kind="audit_opinion_request"),
                     Issue(kind="hearing_rights_notice", when="hearing_eligible")),
            fields=f.SERVE,
        ),
        Action(
            id="record_statement", label="记录被审计单位意见", en="record statement",
            sources=("notice",), target=SAME, roles=s.OFFICER,
            guards=("assigned_officer", "text_recorded"), fields=f.TEXT,
        ),
        *s.HEARING_ACTIONS,
        s.submit_review(("auditee_opinion_closed",)),
        *s.REVIEW,
        Action(
            id="audit_report", label="出具审计报告", en="issue audit report",
            sources=("notice", "review"), target=SAME, roles=s.HEAD,
            guards=("has_draft", "auditee_opinion_closed"),
            notices=(Issue(kind="audit_report"),), fields=f.AUDIT_REPORT,
        ),
        s.decide(("review",), ("audit_report_issued",),
                 (Issue(kind="audit_decision"),
                  Issue(kind="audit_referral", outcomes=(Outcome.REFER,)))),
        s.SERVE,
        *s.PAYMENT,
        Action(
            id="record_compliance", label="记录处理措施执行", en="record compliance",
            sources=s.AFTER_SERVICE, target=SAME, roles=s.OFFICER,
            guards=("assigned_officer", "compliance_valid"), fields=f.COMPLIANCE,
        ),
        s.close(("rectification_reported",)),
        *s.ENDING,
    ),  # fmt: skip
)
