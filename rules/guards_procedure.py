"""Procedural preconditions: what must have happened before an act may happen."""

from __future__ import annotations

from rules.act import Act, guard
from rules.drafts import draft_hash, hearing_eligible, heavier, imposes_penalty
from rules.model import Case, Reason
from rules.notices import required_notices
from rules.review import is_major, review_grounds
from states.vocabulary import OUTCOMES

ART58 = "行政处罚法第五十八条；国办发〔2018〕118号（十二）"


@guard("has_evidence")
def has_evidence(act: Act) -> list[Reason]:
    if act.case.evidence:
        return []
    return [Reason("no_evidence", "尚未收集任何证据", "行政处罚法第四十条、第五十四条")]


@guard("has_draft")
def has_draft(act: Act) -> list[Reason]:
    if act.case.draft:
        return []
    return [Reason("no_draft", "尚未拟定处理决定草案（draft_decision）")]


@guard("draft_is_penalty")
def draft_is_penalty(act: Act) -> list[Reason]:
    """事先告知 is for a proposed penalty (行政处罚法 Art. 44)."""
    draft = act.case.draft
    if draft is None or imposes_penalty(draft):
        return []
    return [
        Reason(
            "not_penalty",
            f"草案结论为「{OUTCOMES.get(str(draft.get('outcome')), '')}」，无需事先告知",
            "行政处罚法第四十四条",
        )
    ]


@guard("draft_hearing_eligible")
def draft_hearing_eligible(act: Act) -> list[Reason]:
    draft = act.case.notified.get("draft") if act.case.notified else act.case.draft
    if hearing_eligible(draft, act.case.party.get("type", ""), act.policy.hearing):
        return []
    return [
        Reason(
            "not_hearing_eligible",
            "告知的处罚不属于听证范围（较大数额罚款、没收较大数额违法所得或较大价值非法财物、"
            "降低资质等级、吊销许可证件、责令停产停业、责令关闭、限制从业等）",
            "行政处罚法第六十三条",
        )
    ]


@guard("hearing_requested")
def hearing_requested(act: Act) -> list[Reason]:
    hearing = act.case.hearing or {}
    if hearing.get("requested_on") and not hearing.get("concluded_on"):
        return []
    return [Reason("no_hearing_request", "当事人没有待组织的听证申请", "行政处罚法第六十四条")]


@guard("hearing_scheduled")
def hearing_scheduled(act: Act) -> list[Reason]:
    if (act.case.hearing or {}).get("hearing_date"):
        return []
    return [
        Reason("hearing_not_scheduled", "听证尚未安排（schedule_hearing）", "行政处罚法第六十四条")
    ]


@guard("hearing_held", needs_data=True)
def hearing_held(act: Act) -> list[Reason]:
    """A hearing ends on or after its date; a withdrawn request may end it any time."""
    date = (act.case.hearing or {}).get("hearing_date")
    if act.input.get("ending") == "withdrawn" or not date or act.on.isoformat() >= date:
        return []
    return [Reason("hearing_not_held", f"听证定于 {date} 举行，尚未举行", "行政处罚法第六十四条")]


@guard("hearing_concluded")
def hearing_concluded(act: Act) -> list[Reason]:
    hearing = act.case.hearing
    if not hearing or not hearing.get("requested_on") or hearing.get("concluded_on"):
        return []
    return [
        Reason("hearing_open", "当事人已申请听证，听证尚未结束", "行政处罚法第六十四条、第六十五条")
    ]


@guard("review_needed")
def review_needed(act: Act) -> list[Reason]:
    """Review is required (Art. 58); a draft that imposes no penalty may be reviewed too."""
    if review_grounds(act.case, act.policy, act.proc) or not imposes_penalty(act.case.draft):
        return []
    return [
        Reason(
            "review_not_required",
            "本案不属于应当法制审核的情形，可在陈述申辩期满后直接决定",
            ART58,
        )
    ]


@guard("review_not_escalated")
def review_not_escalated(act: Act) -> list[Reason]:
    if act.case.review.get("status") != "escalated":
        return []
    return [Reason("escalated", "审核分歧已提请负责人协调，待协调结果", "法制审核工作规则")]


@guard("extension_within_limit", needs_data=True)
def extension_within_limit(act: Act) -> list[Reason]:
    """The head extends the review by at most the days the office's rule allows (config)."""
    days = act.input.get("days")
    limit = act.policy.periods.review_extension_days
    if isinstance(days, int) and 1 <= days <= limit:
        return []
    return [Reason("extension_days", f"延长天数须为 1–{limit} 个工作日",
                   "本局法制审核工作规则（config: periods.review_extension_days）")]  # fmt: skip


@guard("review_pending")
def review_pending(act: Act) -> list[Reason]:
    """A review extension is granted while the review runs, once (config)."""
    review = act.case.review
    submitted = review.get("submitted")
    if not submitted or review.get("status") not in ("submitted", "escalated"):
        return [Reason("no_review", "没有正在进行的法制审核", "法制审核工作规则")]
    extension = review.get("extension")
    if extension and extension["seq"] > submitted["seq"]:
        return [Reason("already_extended", "本轮审核已延长过期限", "法制审核工作规则")]
    if act.policy.periods.review_extension_days == 0:
        return [Reason("no_extension", "本局规定审核期限不得延长（periods.review_extension_days: 0）",
                       "本局法制审核工作规则")]  # fmt: skip
    return []


@guard("review_disputable")
def review_disputable(act: Act) -> list[Reason]:
    if act.case.review.get("status") in ("rejected", "supplement"):
        return []
    return [Reason("nothing_to_dispute", "没有可提请协调的审核退回或补充材料意见")]


@guard("escalation_open")
def escalation_open(act: Act) -> list[Reason]:
    if act.case.review.get("status") == "escalated":
        return []
    return [Reason("no_escalation", "没有待协调的审核分歧")]


@guard("resolution_valid", needs_data=True)
def resolution_valid(act: Act) -> list[Reason]:
    outcome = act.input.get("outcome")
    reasons = []
    if not str(act.input.get("reason") or "").strip():
        reasons.append(Reason("missing_reason", "未填写协调理由（reason）"))
    if outcome == "rereview":
        name = str(act.input.get("reviewer") or "")
        person = act.staff.get(name)
        if person is None or not person.active or "reviewer" not in person.roles:
            reasons.append(
                Reason(
                    "resolve_reviewer",
                    f"重新审核须指定在册的法制审核人员（reviewer）：{name or '未指定'}",
                )
            )
        elif name == act.case.review.get("reviewer"):
            reasons.append(
                Reason("resolve_reviewer", "重新审核须由另一名审核人员进行", "法制审核工作规则")
            )
    return reasons


def review_passed_on_current_draft(case: Case) -> bool:
    """法制审核通过, and on this very draft (its hash)."""
    approved = case.review.get("approved_hash")
    return bool(approved) and case.draft is not None and approved == draft_hash(case.draft)


@guard("legal_review_passed")
def legal_review_passed(act: Act) -> list[Reason]:
    """未经法制审核或者审核未通过的，不得作出决定 (行政处罚法 Art. 58 ¶1)."""
    case = act.case
    if not review_grounds(case, act.policy, act.proc) and case.state != "review":
        return []
    if review_passed_on_current_draft(case):
        return []
    status = case.review.get("status")
    if case.review.get("approved_hash"):
        text = "法制审核通过后决定草案已被修改，须就现草案重新审核"
    elif status == "rejected":
        text = "法制审核未通过"
    elif status == "escalated":
        text = "审核分歧待负责人协调"
    else:
        text = "尚未经法制审核通过"
    return [Reason("review_not_passed", f"{text}，不得作出决定", ART58)]


@guard("party_notified")
def party_notified(act: Act) -> list[Reason]:
    """The party was told of the proposed decision first (行政处罚法 Art. 44; 审计法 Art. 44)."""
    rules = act.proc.rules
    if act.case.notified or (rules.notice_only_for_penalty and not imposes_penalty(act.case.draft)):
        return []
    return [Reason("not_notified", rules.notice_missing, rules.notice_source)]


@guard("not_heavier_than_notified")
def not_heavier_than_notified(act: Act) -> list[Reason]:
    notified = (act.case.notified or {}).get("draft")
    if not notified or not act.case.draft:
        return []
    parts = heavier(act.case.draft, notified)
    if not parts:
        return []
    return [
        Reason(
            "heavier_than_notified",
            f"决定重于告知的处罚（{'；'.join(parts)}），须重新告知",
            "行政处罚法第四十五条",
        )
    ]


@guard("collective_discussion")
def collective_discussion(act: Act) -> list[Reason]:
    """情节复杂或者重大违法行为 are decided by collective discussion (行政处罚法 Art. 57 ¶2)."""
    if not is_major(act.case) or str(act.input.get("collective_discussion") or "").strip():
        return []
    return [
        Reason(
            "collective_discussion",
            "重大案件须记录负责人集体讨论情况（collective_discussion）",
            "行政处罚法第五十七条第二款",
        )
    ]


@guard("audit_report_issued")
def audit_report_issued(act: Act) -> list[Reason]:
    """审计法 Art. 45: the audit office's own 审计报告 comes before (with) its decision."""
    if act.case.audit_report:
        return []
    return [Reason("no_audit_report", "尚未出具审计机关的审计报告（audit_report）", "审计法第四十五条")]


@guard("case_file_complete")
def case_file_complete(act: Act) -> list[Reason]:
    """归档: every notice the path requires is in the case file (卷宗)."""
    have = {n["kind"] for n in act.case.notices}
    return [
        Reason("file_incomplete", f"卷宗缺少「{label}」", "执法全过程记录制度")
        for kind, label in required_notices(act.case, act.proc, act.policy).items()
        if kind not in have
    ]


@guard("decision_stands")
def decision_stands(act: Act) -> list[Reason]:
    """A decision revoked or found void is gone: it is not revoked or changed again."""
    revoked = ((act.case.decision or {}).get("revoked") or {}).get("kind")
    if revoked in ("revoked", "confirmed_void"):
        return [Reason("decision_gone", "决定已被撤销或确认无效", "行政处罚法第四十八条第二款")]
    return []
