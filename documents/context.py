"""What a notice template sees: the case after the act, the act, and the recorded inputs.

Everything here comes from the record: the case as replayed, the act's event, and the
inputs kept with the notice (agency block, officers' certificates, periods, hearing
eligibility), so the same notice can be rendered again, byte for byte, at any later time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from documents.formatting import money, money_capitals
from documents.remedy import remedy
from documents.render import Bundle, TemplateError, plain, render_bundle, sha256_text
from rules.drafts import kinds
from rules.identifiers import is_valid_credit_code, is_valid_id_number
from rules.notices import NOTICE_KINDS, NOTICE_LABELS
from rules.review import CHECKLIST
from states.vocabulary import PENALTY_KINDS, VOCABULARIES

LABELS: dict[str, Mapping[str, str]] = {
    **VOCABULARIES,
    "notice": NOTICE_LABELS,
    "checklist": CHECKLIST,
    "result": {"pass": "符合", "fail": "存在问题"},
}


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


def _kind_phrase(kind: str, draft: Mapping[str, Any]) -> str:
    label = PENALTY_KINDS[kind]
    amount = {"fine": "amount", "confiscation": "confiscation"}.get(kind)
    if amount and draft.get(amount) not in (None, ""):
        value = draft[amount]
        return f"{label}{money(value)}（{money_capitals(value)}）"
    detail = {"confiscation_property": "property", "licence_suspension": "licence",
              "licence_revocation": "licence", "qualification_downgrade": "licence",
              "business_restriction": "restriction", "suspension": "restriction",
              "practice_restriction": "restriction"}.get(kind)  # fmt: skip
    if detail and draft.get(detail):
        return f"{label}（{draft[detail]}）"
    return label


def penalty_phrase(draft: Mapping[str, Any] | None) -> str:
    """警告，并处罚款¥120,000.00（壹拾贰万元整）: every kind the draft combines (Art. 9), each
    amount in figures and capitals."""
    parts = [_kind_phrase(k, draft or {}) for k in kinds(draft)]
    if len(parts) < 2:
        return "".join(parts)
    return f"{'，'.join(parts[:-1])}，并处{parts[-1]}"


def _check_party_id(kind: str, party: Mapping[str, Any]) -> None:
    """GB 32100-2015 / GB 11643-1999: a wrong identifier never reaches a notice to the party."""
    code = str(party.get("id") or "")
    if not NOTICE_KINDS[kind].to_party or not code:
        return
    if party.get("type") == "unit" and not is_valid_credit_code(code):
        raise TemplateError(
            f"统一社会信用代码 {code} 校验位不正确（GB 32100-2015），不能制作{NOTICE_LABELS[kind]}"
        )
    if party.get("type") == "individual" and not is_valid_id_number(code):
        raise TemplateError(
            f"居民身份证号码 {code} 校验位不正确（GB 11643-1999），不能制作{NOTICE_LABELS[kind]}"
        )


@cache
def _plain_labels() -> dict[str, Any]:
    labels: dict[str, Any] = plain(LABELS)
    return labels


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
    draft = decision.get("draft") if NOTICE_KINDS[kind].decision else case.get("draft")
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
        "penalty_text": penalty_phrase(draft),
        "remedy": remedy(kind, agency["review_organ"], agency["court"], draft or {})
        if NOTICE_KINDS[kind].remedy
        else "",
        "procedure": inputs.get("procedure", {}),
        "flags": inputs.get("flags", []),
        "account": inputs.get("account", {}),
        "payment_due": inputs.get("payment_due"),
        # the notices this act serves: those recorded by the decision (送达回证)
        "served": [n for n in case.get("notices", []) if n.get("seq") == decision.get("seq")],
    }
    plained: dict[str, Any] = plain(context)
    plained["labels"] = _plain_labels()  # static: walked once, not once per notice
    return plained


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
