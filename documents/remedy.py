"""The remedy paragraph (救济途径) a decision must carry: where, and within how long.

- 行政处罚决定书 / 不予行政处罚决定书 (行政处罚法 Art. 59(五)): 行政复议 within 60 days of
  receipt to the people's government at the level of the department (行政复议法 2023 Arts. 20,
  24), or 行政诉讼 within 6 months (行政诉讼法 Art. 46); a penalty is not suspended meanwhile
  (行政处罚法 Art. 73).
- 审计决定书: for a decision on 财政收支 the auditee may ask the people's government at the
  same level for a ruling within 60 days, and that ruling is final (审计法 Art. 53 ¶1); for
  财务收支, 行政复议 or 行政诉讼 as usual (审计法 Art. 53 ¶2).
"""

from __future__ import annotations

REVIEW_DAYS = 60  # 行政复议法 Art. 20: 六十日
LITIGATION_MONTHS = 6  # 行政诉讼法 Art. 46: 六个月
RULING_DAYS = 60  # 审计法 Art. 53: 六十日

#: Notice kinds that carry a remedy paragraph.
WITH_REMEDY = ("penalty_decision", "no_penalty_decision", "audit_decision")


def _review_or_litigation(review_organ: str, court: str) -> str:
    return (
        f"如不服本决定，可以自收到本决定书之日起{REVIEW_DAYS}日内向{review_organ}申请行政复议，"
        f"或者自收到本决定书之日起{LITIGATION_MONTHS}个月内依法向{court}提起行政诉讼。"
    )


def remedy(kind: str, review_organ: str, court: str, audit_subject: str | None = None) -> str:
    """The paragraph for one notice kind; empty for a notice that is not a decision."""
    if kind == "penalty_decision":
        return (
            _review_or_litigation(review_organ, court)
            + "申请行政复议或者提起行政诉讼期间，行政处罚不停止执行，法律另有规定的除外。"
        )
    if kind == "no_penalty_decision":
        return _review_or_litigation(review_organ, court)
    if kind == "audit_decision":
        if audit_subject == "fiscal":
            return (
                f"对本审计决定不服的，可以自收到本决定书之日起{RULING_DAYS}日内，"
                f"提请{review_organ}裁决，{review_organ}的裁决为最终决定。"
            )
        if audit_subject == "financial":
            return _review_or_litigation(review_organ, court)
        raise ValueError("an audit decision's remedy depends on audit_subject: fiscal or financial")
    return ""
