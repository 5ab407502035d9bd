"""What a notice template sees: the case after the act, the act, and the recorded inputs.

Everything here comes from the record: the case as replayed, the act's event, and the
inputs kept with the notice (agency block, officers' certificates, periods, hearing
eligibility), so the same notice can be rendered again, byte for byte, at any later time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from documents.formatting import money, money_capitals
from documents.remedy import remedy
from documents.render import Bundle, TemplateError, plain, render_bundle, sha256_text
from rules.drafts import OUTCOMES, PENALTY_KINDS, TRIGGERS
from rules.guards_input import AUDIT_SUBJECTS, EVIDENCE_TYPES, SERVICE_METHODS
from rules.identifiers import is_valid_credit_code, is_valid_id_number
from rules.notices import NOTICE_LABELS
from rules.review import CHECKLIST

LABELS: dict[str, Mapping[str, str]] = {
    "notice": NOTICE_LABELS,
    "outcome": OUTCOMES,
    "penalty_kind": PENALTY_KINDS,
    "trigger": TRIGGERS,
    "evidence": EVIDENCE_TYPES,
    "method": SERVICE_METHODS,
    "checklist": CHECKLIST,
    "audit_subject": AUDIT_SUBJECTS,
    "party_type": {"unit": "单位", "individual": "个人"},
    "result": {"pass": "符合", "fail": "存在问题"},
}
#: Notices issued to the party: its identifier is checked before it is printed.
TO_PARTY = frozenset({
    "audit_notice", "penalty_notice", "audit_opinion_request", "hearing_rights_notice",
    "hearing_notice", "penalty_decision", "no_penalty_decision", "audit_decision",
    "service_receipt",
})  # fmt: skip
DECISION_KINDS = frozenset(
    {"penalty_decision", "no_penalty_decision", "referral", "audit_decision", "audit_referral"}
)


@dataclass(frozen=True)
class Notice:
    """A rendered notice as recorded in its event (JSON keys are the stable English ids)."""

    kind: str
    number: str
    template: str
    template_sha256: str
    text: str
    inputs: Mapping[str, Any]

    @property
    def title(self) -> str:
        return NOTICE_LABELS[self.kind]

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)

    def as_record(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "number": self.number,
            "template": self.template,
            "template_sha256": self.template_sha256,
            "sha256": self.sha256,
            "text": self.text,
            "inputs": dict(self.inputs),
        }


def penalty_phrase(draft: Mapping[str, Any] | None) -> str:
    """罚款¥120,000.00（壹拾贰万元整）: the kind, with each amount in figures and capitals."""
    if not draft or not draft.get("penalty_kind"):
        return ""
    kind = draft["penalty_kind"]
    parts = []
    amounts = (("fine", "amount"), ("confiscation", "confiscation"))
    for amount_kind, key in sorted(amounts, key=lambda a: a[0] != kind):
        value = draft.get(key)
        if value not in (None, ""):
            parts.append(f"{PENALTY_KINDS[amount_kind]}{money(value)}（{money_capitals(value)}）")
        elif amount_kind == kind:
            parts.append(PENALTY_KINDS[kind])
    if kind not in ("fine", "confiscation"):
        parts.insert(0, PENALTY_KINDS[kind])
    return "，".join(parts)


def _check_party_id(kind: str, party: Mapping[str, Any]) -> None:
    """GB 32100-2015 / GB 11643-1999: a wrong identifier never reaches a notice to the party."""
    code = str(party.get("id") or "")
    if kind not in TO_PARTY or not code:
        return
    if party.get("type") == "unit" and not is_valid_credit_code(code):
        raise TemplateError(
            f"统一社会信用代码 {code} 校验位不正确（GB 32100-2015），不能制作{NOTICE_LABELS[kind]}"
        )
    if party.get("type") == "individual" and not is_valid_id_number(code):
        raise TemplateError(
            f"居民身份证号码 {code} 校验位不正确（GB 11643-1999），不能制作{NOTICE_LABELS[kind]}"
        )


def notice_context(
    kind: str,
    number: str,
    case: Mapping[str, Any],
    act: Mapping[str, Any],
    inputs: Mapping[str, Any],
) -> dict[str, Any]:
    """The template's variables. `case` is the case after the act, before its notices."""
    party = case.get("party") or {}
    _check_party_id(kind, party)
    decision = case.get("decision") or {}
    draft = (
        decision.get("draft") if kind in DECISION_KINDS | {"closing_report"} else case.get("draft")
    )
    agency = inputs["agency"]
    context = {
        "kind": kind,
        "title": NOTICE_LABELS[kind],
        "number": number,
        "agency": agency,
        "case": case,
        "party": party,
        "draft": draft,
        "act": act,
        "on": act["on"],
        "staff": inputs.get("staff", {}),
        "periods": inputs.get("periods", {}),
        "hearing_eligible": bool(inputs.get("hearing_eligible")),
        "labels": LABELS,
        "penalty": penalty_phrase(draft),
        "remedy": remedy(
            kind, agency["review_organ"], agency["court"], (draft or {}).get("audit_subject")
        ),
        # the notices this act serves: those recorded by the decision (送达回证)
        "served": [n for n in case.get("notices", []) if n.get("seq") == decision.get("seq")],
    }
    return plain(context)  # type: ignore[no-any-return]


def render_notice(
    bundle: Bundle,
    kind: str,
    number: str,
    case: Mapping[str, Any],
    act: Mapping[str, Any],
    inputs: Mapping[str, Any],
) -> Notice:
    try:
        text = render_bundle(bundle, notice_context(kind, number, case, act, inputs))
    except ValueError as exc:  # a remedy that cannot be chosen
        raise TemplateError(str(exc), bundle.name) from None
    return Notice(kind, number, bundle.name, bundle.sha256, text, dict(inputs))
