"""The stages the general procedures share: people and 回避, hearing, legal review, decision,
service, payment and enforcement, publicity and archive (domain.md §3.1–§3.4).

A procedure composes these with its own opening and notice stages (states/penalty.py,
states/audit.py); a stage that differs takes the procedure's own guards as an argument.
"""

from __future__ import annotations

from states import fields as f
from states.definition import SAME, Action, Issue, State
from states.vocabulary import Outcome

OFFICER, HEAD, REVIEWER, HEARING = ("officer",), ("head",), ("reviewer",), ("hearing_officer",)
PUBLISHER = ("publisher",)
#: States in which a decision stands: publicity and its withdrawal happen here (before 归档).
DECIDED = ("decision", "service", "enforcement", "closed")
#: States before the decision, in which the people on a case can change (回避, assignment).
BEFORE_DECISION = ("initiation", "evidence", "notice", "hearing", "review")


def state(id: str, label: str, en: str, *, final: bool = False) -> State:
    return State(id=id, label=label, en=en, final=final)


STATES = (
    state("initiation", "立案", "initiation"),
    state("evidence", "调查取证", "evidence"),
    state("notice", "告知", "notice"),
    state("hearing", "听证", "hearing"),
    state("review", "法制审核", "legal review"),
    state("decision", "决定", "decision"),
    state("service", "送达执行", "service"),
    state("enforcement", "申请强制执行", "court enforcement"),
    state("closed", "结案", "closed"),
    state("withdrawn", "撤销立案", "withdrawn"),
    state("archive", "归档", "archive", final=True),
)

#: Guards shared by the review acts.
REVIEWER_GUARDS = ("case_reviewer", "reviewer_separation", "reviewer_qualified",
                   "review_not_escalated")  # fmt: skip
#: Acts facing the party on the spot: two officers with valid certificates (行政处罚法
#: Arts. 42, 55; 审计法 Art. 43).
FACING_PARTY = ("assigned_officer", "officer_certified", "two_officers_certified")

ASSIGN = Action(
    id="assign", label="指派人员", en="assign",
    sources=(*BEFORE_DECISION, "decision", "service", "enforcement"), target=SAME,
    roles=HEAD, guards=("assignee_valid",), fields=f.ASSIGN,
)  # fmt: skip
RECUSAL = (
    Action(
        id="request_recusal", label="申请回避", en="request recusal", sources=BEFORE_DECISION,
        target=SAME, roles=OFFICER, guards=("assigned_officer", "recusal_request_valid"),
        fields=f.RECUSAL_REQUEST,
    ),
    Action(
        id="decide_recusal", label="回避决定", en="decide recusal", sources=BEFORE_DECISION,
        target=SAME, roles=HEAD, guards=("recusal_decision_valid",), fields=f.RECUSAL_DECISION,
    ),
)  # fmt: skip
ADD_EVIDENCE = Action(
    id="add_evidence", label="收集证据", en="add evidence", sources=("evidence",), target=SAME,
    roles=OFFICER, guards=(*FACING_PARTY, "evidence_valid"), fields=f.EVIDENCE_FIELDS,
)  # fmt: skip


def record_av(states: tuple[State, ...]) -> Action:
    """音像记录: attached to the act it records, in any state until the case is archived."""
    return Action(
        id="record_av", label="附音像记录", en="attach audio-visual record",
        sources=tuple(s.id for s in states if not s.final), target=SAME,
        roles=(*OFFICER, *HEARING), guards=("on_the_case", "av_for_an_act"),
        fields=f.AUDIO_VISUAL,
    )  # fmt: skip


#: A draft is judged against the law on who may be fined and until when (Arts. 29, 30, 36),
#: and against the office's discretion benchmarks (Art. 34).
DRAFT_GUARDS = ("assigned_officer", "officer_certified", "draft_complete",
                "violation_dates_known", "not_time_barred", "party_may_be_fined",
                "one_fine_per_violation", "discretion_bound")  # fmt: skip

HEARING_ACTIONS = (
    Action(
        id="request_hearing", label="申请听证", en="request hearing", sources=("notice",),
        target="hearing", roles=OFFICER,
        guards=("assigned_officer", "draft_hearing_eligible", "hearing_request_window"),
        fields=f.TEXT,
    ),
    Action(
        id="waive_hearing", label="放弃听证", en="waive hearing", sources=("notice",),
        target=SAME, roles=OFFICER,
        guards=("assigned_officer", "draft_hearing_eligible", "hearing_request_window",
                "text_recorded"),
        fields=f.WAIVE_HEARING,
    ),
    Action(
        id="schedule_hearing", label="安排听证", en="schedule hearing", sources=("hearing",),
        target=SAME, roles=HEAD, guards=("hearing_requested", "hearing_officer_valid",
                                         "hearing_notice_lead"),
        notices=(Issue(kind="hearing_notice"),), fields=f.HEARING,
    ),
    Action(
        id="conclude_hearing", label="听证结束", en="conclude hearing", sources=("hearing",),
        target="evidence", roles=HEARING,
        guards=("actor_is_hearing_officer", "hearing_scheduled", "hearing_held",
                "transcript_recorded"),
        fields=f.CONCLUDE,
    ),
)  # fmt: skip

#: Before review or decision the party's time has run out or been given up (Arts. 45, 63, 64).
PARTY_HEARD = ("hearing_window_closed", "hearing_concluded")


def submit_review(party_heard: tuple[str, ...]) -> Action:
    return Action(
        id="submit_review", label="提交法制审核", en="submit review",
        sources=("evidence", "notice"), target="review", roles=OFFICER,
        guards=("assigned_officer", "has_draft", *party_heard, *PARTY_HEARD, "review_needed"),
        fields=f.SUBMIT,
    )  # fmt: skip


REVIEW = (
    Action(
        id="request_supplement", label="要求补充材料", en="request supplement",
        sources=("review",), target="evidence", roles=REVIEWER,
        guards=(*REVIEWER_GUARDS, "supplement_request_valid"),
        notices=(Issue(kind="supplement_notice"),), fields=f.SUPPLEMENT,
    ),
    Action(
        id="approve_review", label="审核通过", en="approve review", sources=("review",),
        target=SAME, roles=REVIEWER, guards=(*REVIEWER_GUARDS, "has_draft", "checklist_all_pass"),
        notices=(Issue(kind="review_opinion"),), fields=f.CHECKLIST,
    ),
    Action(
        id="reject_review", label="审核退回", en="reject review", sources=("review",),
        target="evidence", roles=REVIEWER, guards=(*REVIEWER_GUARDS, "checklist_has_failure"),
        notices=(Issue(kind="review_opinion"),), fields=f.CHECKLIST,
    ),
    Action(
        id="extend_review", label="延长审核期限", en="extend review", sources=("review",),
        target=SAME, roles=HEAD, guards=("review_pending", "extension_within_limit", "reason_given"),
        fields=f.EXTEND_REVIEW,
    ),
    # Handbook: review → review. A rejection or supplement request has already sent the
    # case back to evidence, so the dispute is raised from there and brings it to the head.
    Action(
        id="escalate", label="提请协调", en="escalate", sources=("evidence", "review"),
        target="review", roles=OFFICER,
        guards=("assigned_officer", "review_disputable", "reason_given"), fields=f.ESCALATE,
    ),
    Action(
        id="resolve", label="负责人协调", en="resolve", sources=("review",), target="review",
        roles=HEAD, guards=("escalation_open", "resolution_valid"), fields=f.RESOLVE,
        branch=("outcome", {"rereview": "review", "return": "evidence"}),
    ),
)  # fmt: skip

#: What every decision checks (Arts. 37, 44, 45, 57, 58, 63, 64); a procedure adds its own.
DECIDE_GUARDS = ("legal_review_passed", "party_notified", "not_heavier_than_notified",
                 "decider_separation", "collective_discussion", "statement_answered",
                 "discretion_current", *PARTY_HEARD)  # fmt: skip


def decide(sources: tuple[str, ...], guards: tuple[str, ...], notices: tuple[Issue, ...]) -> Action:
    return Action(
        id="decide", label="作出决定", en="decide", sources=sources, target="decision",
        roles=HEAD, guards=(*guards, *DECIDE_GUARDS), notices=notices, fields=f.DECIDE,
    )  # fmt: skip


SERVE = Action(
    id="serve", label="送达", en="serve", sources=("decision",), target="service", roles=OFFICER,
    guards=(*FACING_PARTY, "service_method_valid"), notices=(Issue(kind="service_receipt"),),
    fields=f.SERVE,
)  # fmt: skip

#: After service: payment, 延期/分期, remedies, 催告, the court (行政处罚法 Chapter VI;
#: 行政强制法 Chapter V).
AFTER_SERVICE = ("service", "enforcement")
PAYMENT = (
    Action(
        id="record_payment", label="记录缴款", en="record payment", sources=AFTER_SERVICE,
        target=SAME, roles=OFFICER, guards=("assigned_officer", "payment_valid"),
        fields=f.PAYMENT,
    ),
    Action(
        id="grant_deferral", label="批准延期（分期）缴纳", en="grant deferral",
        sources=("service",), target=SAME, roles=HEAD, guards=("deferral_valid",),
        notices=(Issue(kind="deferral_decision"),), fields=f.DEFERRAL,
    ),
    Action(
        id="record_remedy", label="记录复议诉讼", en="record remedy", sources=AFTER_SERVICE,
        target=SAME, roles=OFFICER, guards=("assigned_officer", "remedy_valid"),
        fields=f.REMEDY,
    ),
    Action(
        id="urge", label="催告", en="urge", sources=("service",), target=SAME, roles=OFFICER,
        guards=(*FACING_PARTY, "payment_overdue", "service_method_valid"),
        notices=(Issue(kind="urge_notice"),), fields=f.URGE,
    ),
    Action(
        id="apply_enforcement", label="申请强制执行", en="apply for court enforcement",
        sources=("service",), target="enforcement", roles=HEAD,
        guards=("enforcement_allowed",), notices=(Issue(kind="enforcement_application"),),
        fields=f.ENFORCEMENT,
    ),
    Action(
        id="record_court_ruling", label="记录法院裁定", en="record court ruling",
        sources=("enforcement",), target=SAME, roles=OFFICER,
        guards=("assigned_officer", "enforcement_applied"), fields=f.COURT_RULING,
    ),
    Action(
        id="record_execution", label="记录执行", en="record execution", sources=AFTER_SERVICE,
        target=SAME, roles=OFFICER, guards=("assigned_officer", "text_recorded"),
        fields=f.EXECUTION,
    ),
)  # fmt: skip


def close(guards: tuple[str, ...] = ()) -> Action:
    return Action(
        id="close", label="结案", en="close", sources=AFTER_SERVICE, target="closed", roles=HEAD,
        guards=("execution_done", "no_measure_in_force", *guards),
        notices=(Issue(kind="closing_report"),),
        fields=f.CLOSE,
    )  # fmt: skip


ENDING = (
    Action(
        id="withdraw", label="撤销立案", en="withdraw", sources=("initiation", "evidence"),
        target="withdrawn", roles=HEAD, guards=("reason_given",), fields=f.WITHDRAW,
    ),
    Action(
        id="publish", label="公示", en="publish", sources=DECIDED, target=SAME, roles=PUBLISHER,
        guards=("decision_to_publish", "publication_matches"), fields=f.PUBLISH,
    ),
    Action(
        id="withdraw_publication", label="撤回公示", en="withdraw publication", sources=DECIDED,
        target=SAME, roles=PUBLISHER, guards=("publication_current", "reason_given"),
        fields=f.WITHDRAW_PUBLICATION,
    ),
    Action(
        id="revoke_decision", label="撤销或变更决定", en="revoke or change decision",
        sources=DECIDED, target=SAME, roles=HEAD, guards=("decision_stands", "reason_given"),
        fields=f.REVOKE,
    ),
    Action(
        id="archive", label="归档", en="archive", sources=("closed", "withdrawn"),
        target="archive", roles=OFFICER, guards=("assigned_officer", "case_file_complete"),
        notices=(Issue(kind="file_index"),),
    ),
)  # fmt: skip

#: The decision documents of a 行政处罚 by outcome (行政处罚法 Arts. 57, 59; Art. 27).
PENALTY_DECISIONS = (
    Issue(kind="penalty_decision", outcomes=(Outcome.PENALTY,)),
    Issue(kind="no_penalty_decision", outcomes=(Outcome.NO_PENALTY, Outcome.UNPROVEN)),
    Issue(kind="referral", outcomes=(Outcome.REFER,)),
)
