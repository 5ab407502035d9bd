"""`audit` — an audit leading to an 审计决定 (审计法 Arts. 42–45; domain.md §3.2)."""

from __future__ import annotations

from states import fields as f
from states.definition import NEW, SAME, Action, Procedure
from states.penalty import (
    ADD_EVIDENCE,
    ASSIGN,
    DRAFT_DECISION,
    HEAD,
    HEARING_ACTIONS,
    OFFICER,
    STATES,
    common_tail,
)

AUDIT = Procedure(
    id="audit",
    label="审计（审计决定）",
    initial="initiation",
    states=STATES,
    actions=(
        Action("open", "审计立项", "open", (NEW,), "initiation", OFFICER,
               ("officer_certified", "party_recorded", "audit_scope_recorded"), "filing_approval",
               f.OPEN_AUDIT),
        ASSIGN,
        Action("serve_audit_notice", "送达审计通知书", "serve audit notice", ("initiation",), SAME,
               OFFICER, ("assigned_officer", "two_officers_certified", "service_method_valid"),
               "audit_notice", f.SERVE),
        Action("investigate", "实施审计", "investigate", ("initiation",), "evidence", HEAD,
               ("two_officers_certified", "audit_notice_lead"), None, f.INVESTIGATE),
        ADD_EVIDENCE,
        DRAFT_DECISION,
        Action("solicit_opinion", "征求意见", "solicit opinion", ("evidence",), "notice", OFFICER,
               ("assigned_officer", "two_officers_certified", "has_evidence", "has_draft",
                "service_method_valid"), "opinion_request", f.SERVE),
        Action("record_statement", "记录被审计单位意见", "record statement", ("notice",), SAME,
               OFFICER, ("assigned_officer", "text_recorded"), None, f.TEXT),
        *HEARING_ACTIONS,
        Action("submit_review", "提交法制审核", "submit review", ("evidence", "notice"), "review",
               OFFICER, ("assigned_officer", "has_draft", "auditee_opinion_closed",
                         "hearing_concluded"), None, f.SUBMIT),
        *common_tail(("review",), ()),
    ),
)
