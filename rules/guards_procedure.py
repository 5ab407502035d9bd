"""Procedural preconditions: what must have happened before an act may happen."""

from __future__ import annotations

from rules.act import Act, guard
from rules.drafts import OUTCOMES, draft_hash, hearing_eligible, heavier
from rules.model import Case, Reason
from rules.review import is_major, review_grounds

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
    outcome = (act.case.draft or {}).get("outcome")
    if outcome in (None, "penalty"):
        return []
    return [
        Reason(
            "not_penalty",
            f"草案结论为「{OUTCOMES[outcome]}」，无需事先告知",
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
            "告知的处罚不属于听证范围（较大数额罚款、没收较大数额违法所得、吊销许可证件、责令关闭等）",
            "行政处罚法第六十三条；审计机关审计听证规定第三条",
        )
    ]


@guard("hearing_scheduled")
def hearing_scheduled(act: Act) -> list[Reason]:
    if (act.case.hearing or {}).get("hearing_date"):
        return []
    return [
        Reason("hearing_not_scheduled", "听证尚未安排（schedule_hearing）", "行政处罚法第六十四条")
    ]


@guard("hearing_held")
def hearing_held(act: Act) -> list[Reason]:
    date = (act.case.hearing or {}).get("hearing_date")
    if not date or act.on.isoformat() >= date:
        return []
    return [Reason("hearing_not_held", f"听证定于 {date} 举行，尚未举行")]


@guard("hearing_concluded")
def hearing_concluded(act: Act) -> list[Reason]:
    hearing = act.case.hearing
    if not hearing or hearing.get("concluded_on"):
        return []
    return [
        Reason("hearing_open", "当事人已申请听证，听证尚未结束", "行政处罚法第六十四条、第六十五条")
    ]


@guard("review_needed")
def review_needed(act: Act) -> list[Reason]:
    """Review is required (Art. 58); a draft that imposes no penalty may be reviewed too."""
    if review_grounds(act.case, act.policy):
        return []
    if (act.case.draft or {}).get("outcome") not in (None, "penalty"):
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
    if outcome not in ("rereview", "return"):
        reasons.append(
            Reason("resolve_outcome", "协调结果须为 rereview（重新审核）或 return（退回补充调查）")
        )
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
    if not review_grounds(case, act.policy) and case.state != "review":
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


@guard("penalty_notified")
def penalty_notified(act: Act) -> list[Reason]:
    """The party was told of the proposed penalty first (行政处罚法 Art. 44; 审计法 Art. 44)."""
    outcome = (act.case.draft or {}).get("outcome")
    if act.case.notified or (act.procedure == "penalty" and outcome != "penalty"):
        return []
    if act.procedure == "audit":
        return [Reason("not_notified", "审计报告尚未征求被审计单位意见", "审计法第四十四条")]
    return [Reason("not_notified", "尚未向当事人事先告知拟作出的行政处罚", "行政处罚法第四十四条")]


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


@guard("execution_done")
def execution_done(act: Act) -> list[Reason]:
    """结案: the decision was carried out, or enforcement was handed to a court."""
    case = act.case
    if case.executions or act.input.get("court_enforcement") is True:
        return []
    draft = (case.decision or {}).get("draft") or {}
    if case.procedure == "penalty" and draft.get("penalty_kind") in (None, "warning"):
        return []
    return [
        Reason(
            "not_executed",
            "决定尚未执行完毕（record_execution），或未申请法院强制执行（court_enforcement=true）",
            "行政处罚法第六十六条、第七十二条",
        )
    ]


def required_notices(case: Case) -> dict[str, str]:
    """The notices the path this case took requires in its file (domain.md §6, §8)."""
    from rules.notices import NOTICE_LABELS, decision_notices

    kinds = ["filing_approval"]
    if case.audit_notice:
        kinds.append("audit_notice")
    if case.notified:
        kinds.append("penalty_notice" if case.procedure == "penalty" else "audit_opinion_request")
    if case.hearing and case.hearing.get("hearing_date"):
        kinds.append("hearing_notice")
    if case.review.get("approved_hash") or case.review.get("rejections"):
        kinds.append("review_opinion")
    if case.decision:
        kinds += decision_notices(case.procedure, case.decision.get("draft") or {})
    if case.service:
        kinds.append("service_receipt")
    if case.closed:
        kinds.append("closing_report")
    return {k: NOTICE_LABELS[k] for k in kinds}


@guard("case_file_complete")
def case_file_complete(act: Act) -> list[Reason]:
    """归档: every notice the path requires is in the case file (卷宗)."""
    have = {n["kind"] for n in act.case.notices}
    return [
        Reason("file_incomplete", f"卷宗缺少「{label}」", "执法全过程记录制度")
        for kind, label in required_notices(act.case).items()
        if kind not in have
    ]
