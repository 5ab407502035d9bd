"""The remedy paragraph: the right organ, court and periods for each decision."""

from __future__ import annotations

import pytest

from documents.remedy import remedy

ORGAN, COURT = "铁锋区人民政府", "铁锋区人民法院"
FINE = {"outcome": "penalty", "penalty_kinds": ["fine"], "amount": "1000"}


def test_penalty_decision_names_review_litigation_and_no_suspension() -> None:
    """行政复议法 Arts. 20, 24 (60 days); 行政诉讼法 Art. 46 (6 months); 行政处罚法 Art. 73."""
    text = remedy("penalty_decision", ORGAN, COURT, FINE)
    assert f"60日内向{ORGAN}申请行政复议" in text
    assert f"6个月内依法向{COURT}提起行政诉讼" in text
    assert "不停止执行" in text


def test_no_penalty_decision_has_the_same_routes_without_execution() -> None:
    text = remedy("no_penalty_decision", ORGAN, COURT, {"outcome": "no_penalty_minor"})
    assert "申请行政复议" in text
    assert "提起行政诉讼" in text
    assert "不停止执行" not in text


def test_fiscal_audit_decision_goes_to_the_government_for_a_final_ruling() -> None:
    """审计法 Art. 53 ¶1: 财政收支 — a ruling by the government within 60 days, final."""
    text = remedy("audit_decision", ORGAN, COURT, {"audit_subject": "fiscal"})
    assert f"60日内，提请{ORGAN}裁决" in text
    assert "最终决定" in text
    assert "行政诉讼" not in text


def test_financial_audit_decision_may_be_reviewed_or_litigated() -> None:
    """审计法 Art. 53 ¶2: 财务收支 — 行政复议 or 行政诉讼."""
    text = remedy("audit_decision", ORGAN, COURT, {"audit_subject": "financial"})
    assert "申请行政复议" in text
    assert COURT in text
    assert "裁决" not in text


def test_an_audit_decision_without_its_subject_has_no_remedy_to_choose() -> None:
    with pytest.raises(ValueError, match="audit_subject"):
        remedy("audit_decision", ORGAN, COURT, {})


def test_an_audit_fine_is_a_penalty_not_suspended_by_a_remedy() -> None:
    """审计法 Art. 50 fine on 财务收支: a 行政处罚, so 行政处罚法 Art. 73 applies too."""
    text = remedy("audit_decision", ORGAN, COURT, {"audit_subject": "financial", **FINE})
    assert "不停止执行" in text


def test_notices_that_are_not_decisions_carry_no_remedy() -> None:
    """The notice-kind table says which documents carry the paragraph (issue 13)."""
    from rules.notices import NOTICE_KINDS

    assert {k for k, n in NOTICE_KINDS.items() if n.remedy} == {
        "penalty_decision", "no_penalty_decision", "audit_decision", "summary_decision"}  # fmt: skip
