"""The remedy paragraph (救济途径) a decision must carry: where, and within how long.

- 行政处罚决定书 / 不予行政处罚决定书 (行政处罚法 Art. 59(五)): 行政复议 within 60 days of
  receipt to the people's government at the level of the department (行政复议法 2023 Arts. 20,
  24), or 行政诉讼 within 6 months (行政诉讼法 Art. 46); a penalty is not suspended meanwhile
  (行政处罚法 Art. 73).
- 审计决定书: for a decision on 财政收支 the auditee may ask the people's government at the
  same level for a ruling within 60 days of service, and that ruling is final (审计法 Art. 53
  ¶2; 审计法实施条例 Art. 52); for 财务收支, 行政复议 or 行政诉讼 as usual (审计法 Art. 53 ¶1).
  A fine in an audit decision is a 行政处罚: it is not suspended either.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules.drafts import imposes_penalty
from rules.payment import LITIGATION_MONTHS, REVIEW_DAYS

RULING_DAYS = 60  # 审计法实施条例 Art. 52: 自审计决定送达之日起60日内


def _review_or_litigation(review_organ: str, court: str) -> str:
    return (
        f"如不服本决定，可以自收到本决定书之日起{REVIEW_DAYS}日内向{review_organ}申请行政复议，"
        f"或者自收到本决定书之日起{LITIGATION_MONTHS}个月内依法向{court}提起行政诉讼。"
    )


NOT_SUSPENDED = "申请行政复议或者提起行政诉讼期间，行政处罚不停止执行，法律另有规定的除外。"


def remedy(kind: str, review_organ: str, court: str, draft: Mapping[str, Any]) -> str:
    """The paragraph for one decision document (the notice kind table says which carry one)."""
    if kind == "audit_decision":
        subject = draft.get("audit_subject")
        if subject == "fiscal":
            return (
                f"对本审计决定不服的，可以自本决定书送达之日起{RULING_DAYS}日内，"
                f"提请{review_organ}裁决，{review_organ}的裁决为最终决定。"
            )
        if subject != "financial":
            raise ValueError("an audit decision's remedy depends on audit_subject: fiscal or financial")
    text = _review_or_litigation(review_organ, court)
    return text + NOT_SUSPENDED if imposes_penalty(draft) else text
