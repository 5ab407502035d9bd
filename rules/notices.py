"""The notice kinds (执法文书): one record per kind, and which an act issues.

A new notice is one entry here and one template (documents/templates/KIND.md.j2); the
procedure definitions name the kinds each act issues (states/, `Action.notices`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rules.conditions import Situation, holds
from rules.model import Case
from rules.policy import Policy
from states.definition import Action, Procedure


@dataclass(frozen=True, kw_only=True)
class NoticeKind:
    kind: str
    label: str
    #: 机关代字 after the agency's short name (GB/T 9704-2012 §7.2.4): 铁审 + 罚 + 〔2026〕3号
    code: str
    #: served on (or handed to) the party: its identifier is checked before it is printed
    to_party: bool = False
    #: carries the remedy paragraph (行政复议, 行政诉讼 or 裁决)
    remedy: bool = False
    #: a decision document (决定书 …): rendered from the decided draft
    decision: bool = False


NOTICE_KINDS: dict[str, NoticeKind] = {n.kind: n for n in (
    NoticeKind(kind="filing_approval", label="立案审批表", code="立"),
    NoticeKind(kind="audit_notice", label="审计通知书", code="通", to_party=True),
    NoticeKind(kind="penalty_notice", label="行政处罚事先告知书", code="罚告", to_party=True),
    NoticeKind(kind="audit_opinion_request", label="审计报告征求意见书", code="征", to_party=True),
    NoticeKind(kind="hearing_rights_notice", label="听证告知书", code="听告", to_party=True),
    NoticeKind(kind="hearing_notice", label="听证通知书", code="听通", to_party=True),
    NoticeKind(kind="supplement_notice", label="补充材料通知书", code="补"),
    NoticeKind(kind="review_opinion", label="法制审核意见书", code="法审"),
    NoticeKind(kind="audit_report", label="审计报告", code="报", to_party=True),
    NoticeKind(kind="penalty_decision", label="行政处罚决定书", code="罚", to_party=True,
               remedy=True, decision=True),
    NoticeKind(kind="no_penalty_decision", label="不予行政处罚决定书", code="不罚", to_party=True,
               remedy=True, decision=True),
    NoticeKind(kind="referral", label="移送书", code="移", decision=True),
    NoticeKind(kind="audit_decision", label="审计决定书", code="决", to_party=True, remedy=True,
               decision=True),
    NoticeKind(kind="audit_referral", label="审计移送处理书", code="移处", decision=True),
    NoticeKind(kind="service_receipt", label="送达回证", code="送", to_party=True),
    NoticeKind(kind="deferral_decision", label="延期（分期）缴纳罚款决定书", code="缓", to_party=True),
    NoticeKind(kind="urge_notice", label="催告书", code="催", to_party=True),
    NoticeKind(kind="enforcement_application", label="强制执行申请书", code="强执"),
    NoticeKind(kind="summary_decision", label="当场行政处罚决定书", code="简罚", to_party=True,
               remedy=True, decision=True),
    NoticeKind(kind="registration_notice", label="先行登记保存通知书", code="登保", to_party=True),
    NoticeKind(kind="seal_notice", label="封存通知书", code="封", to_party=True),
    NoticeKind(kind="seal_extension_notice", label="延长封存期限通知书", code="延封", to_party=True),
    NoticeKind(kind="seal_release_notice", label="解除封存通知书", code="解封", to_party=True),
    NoticeKind(kind="suspension_notice", label="暂停拨付通知书", code="停拨"),
    NoticeKind(kind="measure_decision", label="处理决定书", code="处", to_party=True),
    NoticeKind(kind="closing_report", label="结案报告", code="结", decision=True),
    NoticeKind(kind="file_index", label="卷宗目录", code="卷"),
)}  # fmt: skip

NOTICE_LABELS: dict[str, str] = {k: n.label for k, n in NOTICE_KINDS.items()}
NUMBER_CODES: dict[str, str] = {k: n.code for k, n in NOTICE_KINDS.items()}


def register(notice: NoticeKind) -> NoticeKind:
    """Add a notice kind (with its template beside the others or in an office's folder)."""
    if notice.kind in NOTICE_KINDS:
        raise ValueError(f"notice kind {notice.kind!r} registered twice")
    clash = next((k for k, code in NUMBER_CODES.items() if code == notice.code), None)
    if clash:
        raise ValueError(f"notice kinds {notice.kind!r} and {clash!r} share the code {notice.code!r}")
    NOTICE_KINDS[notice.kind] = notice
    NOTICE_LABELS[notice.kind] = notice.label
    NUMBER_CODES[notice.kind] = notice.code
    return notice


def issued(action: Action, case: Case, policy: Policy) -> list[str]:
    """The notice kinds this act issues, for the case as the act finds it."""
    draft = case.draft or {}
    situation = Situation(case, policy, {})
    return [
        issue.kind
        for issue in action.notices
        if (not issue.outcomes or draft.get("outcome") in issue.outcomes)
        and (issue.when is None or holds(issue.when, situation))
    ]


def required_notices(case: Case, proc: Procedure, policy: Policy) -> dict[str, str]:
    """The notices the path this case took requires in its file (domain.md §6, §8): what each
    act it went through issues by its definition, judged on the case as it stands."""
    kinds: list[str] = []
    decided = {**case.draft} if case.draft else {}
    decided.update((case.decision or {}).get("draft") or {})
    for action_id in dict.fromkeys(case.acts):
        action = proc.action(action_id)
        if action is None or not action.notices:
            continue
        for issue in action.notices:
            if issue.outcomes and decided.get("outcome") not in issue.outcomes:
                continue
            if issue.when and not holds(issue.when, Situation(case, policy, {})):
                continue
            kinds.append(issue.kind)
    return {k: NOTICE_LABELS[k] for k in dict.fromkeys(kinds)}
