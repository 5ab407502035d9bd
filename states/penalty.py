"""`penalty` — 行政处罚一般程序 (行政处罚法 Chapter V, Section 3; domain.md §3.1)."""

from __future__ import annotations

from states import fields as f
from states.definition import NEW, SAME, Action, Procedure, State

OFFICER, HEAD, REVIEWER, HEARING = ("officer",), ("head",), ("reviewer",), ("hearing_officer",)

STATES = (
    State("initiation", "立案", "initiation"),
    State("evidence", "调查取证", "evidence"),
    State("notice", "告知", "notice"),
    State("hearing", "听证", "hearing"),
    State("review", "法制审核", "legal review"),
    State("decision", "决定", "decision"),
    State("service", "送达执行", "service"),
    State("closed", "结案", "closed"),
    State("withdrawn", "撤销立案", "withdrawn"),
    State("archive", "归档", "archive", final=True),
)

#: Guards shared by both procedures for the review, decision and ending stages.
REVIEWER_GUARDS = ("case_reviewer", "reviewer_separation", "reviewer_qualified", "review_not_escalated")


def common_tail(decide_sources: tuple[str, ...], decide_guards: tuple[str, ...]) -> tuple[Action, ...]:
    """Review, decision, service and ending: the same in both procedures."""
    return (
        Action("request_supplement", "要求补充材料", "request supplement", ("review",), "evidence",
               REVIEWER, (*REVIEWER_GUARDS, "supplement_request_valid"), "supplement_notice",
               f.SUPPLEMENT),
        Action("approve_review", "审核通过", "approve review", ("review",), SAME, REVIEWER,
               (*REVIEWER_GUARDS, "has_draft", "checklist_all_pass"), "review_opinion", f.CHECKLIST),
        Action("reject_review", "审核退回", "reject review", ("review",), "evidence", REVIEWER,
               (*REVIEWER_GUARDS, "checklist_has_failure"), "review_opinion", f.CHECKLIST),
        # Handbook: review → review. A rejection or supplement request has already sent the
        # case back to evidence, so the dispute is raised from there and brings it to the head.
        Action("escalate", "提请协调", "escalate", ("evidence", "review"), "review", OFFICER,
               ("assigned_officer", "review_disputable", "reason_given"), None, f.ESCALATE),
        Action("resolve", "负责人协调", "resolve", ("review",), "review", HEAD,
               ("escalation_open", "resolution_valid"), None, f.RESOLVE,
               branch=("outcome", {"rereview": "review", "return": "evidence"})),
        Action("decide", "作出决定", "decide", decide_sources, "decision", HEAD,
               (*decide_guards, "legal_review_passed", "penalty_notified",
                "not_heavier_than_notified", "decider_separation", "collective_discussion",
                "decision_extension"),
               "decision_documents", f.DECIDE),
        Action("serve", "送达", "serve", ("decision",), "service", OFFICER,
               ("assigned_officer", "officer_certified", "two_officers_certified",
                "service_method_valid"), "service_receipt", f.SERVE),
        Action("record_execution", "记录执行", "record execution", ("service",), SAME, OFFICER,
               ("assigned_officer", "text_recorded"), None, f.EXECUTION),
        Action("close", "结案", "close", ("service",), "closed", HEAD, ("execution_done",),
               "closing_report", f.CLOSE),
        Action("withdraw", "撤销立案", "withdraw", ("initiation", "evidence"), "withdrawn", HEAD,
               ("reason_given",), None, f.WITHDRAW),
        Action("archive", "归档", "archive", ("closed", "withdrawn"), "archive", OFFICER,
               ("assigned_officer", "case_file_complete"), "file_index"),
    )


HEARING_ACTIONS = (
    Action("request_hearing", "申请听证", "request hearing", ("notice",), "hearing", OFFICER,
           ("assigned_officer", "draft_hearing_eligible", "hearing_request_window"), None, f.TEXT),
    Action("schedule_hearing", "安排听证", "schedule hearing", ("hearing",), SAME, HEAD,
           ("hearing_officer_valid", "hearing_notice_lead"), "hearing_notice", f.HEARING),
    Action("conclude_hearing", "听证结束", "conclude hearing", ("hearing",), "evidence", HEARING,
           ("actor_is_hearing_officer", "hearing_scheduled", "hearing_held",
            "transcript_recorded"), None, f.CONCLUDE),
)

ASSIGN = Action("assign", "指派人员", "assign", ("initiation", "evidence", "review"), SAME, HEAD,
                ("assignee_valid",), None, f.ASSIGN)
ADD_EVIDENCE = Action("add_evidence", "收集证据", "add evidence", ("evidence",), SAME, OFFICER,
                      ("assigned_officer", "officer_certified", "evidence_valid"), None,
                      f.EVIDENCE_FIELDS)
DRAFT_DECISION = Action("draft_decision", "拟定处理意见", "draft decision",
                        ("evidence", "notice", "review"), SAME, OFFICER,
                        ("assigned_officer", "officer_certified", "draft_complete"), None, f.DRAFT)

PENALTY = Procedure(
    id="penalty",
    label="行政处罚（一般程序）",
    initial="initiation",
    states=STATES,
    actions=(
        Action("open", "立案", "open", (NEW,), "initiation", OFFICER,
               ("officer_certified", "party_recorded"), "filing_approval", f.OPEN_PENALTY),
        ASSIGN,
        Action("investigate", "批准调查", "investigate", ("initiation",), "evidence", HEAD,
               ("two_officers_certified",), None),
        ADD_EVIDENCE,
        DRAFT_DECISION,
        Action("notify", "事先告知", "notify", ("evidence", "notice"), "notice", OFFICER,
               ("assigned_officer", "two_officers_certified", "has_evidence", "has_draft",
                "draft_is_penalty", "service_method_valid"), "penalty_notice", f.SERVE),
        Action("record_statement", "记录陈述申辩", "record statement", ("notice",), SAME, OFFICER,
               ("assigned_officer", "text_recorded"), None, f.TEXT),
        Action("waive", "放弃陈述申辩", "waive", ("notice",), SAME, OFFICER,
               ("assigned_officer", "text_recorded"), None, f.TEXT),
        *HEARING_ACTIONS,
        Action("submit_review", "提交法制审核", "submit review", ("evidence", "notice"), "review",
               OFFICER, ("assigned_officer", "has_draft", "statement_window_closed",
                         "hearing_concluded", "review_needed"), None, f.SUBMIT),
        *common_tail(("review", "notice"), ("statement_window_closed",)),
    ),
)
