"""Notices in the record: issued inside the act's transaction, found again, checked on verify.

The act that produces a notice (procedure definitions name it) gets its number (GB/T 9704,
gap-free per kind per year, from the store's counters in the act's own transaction), its
text rendered from the case as the act leaves it, and the hashes of text and templates; all
of it goes into the event. Verify renders every recorded notice again from the replayed case
and the kept template bundle, and reports any difference.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from documents.context import render_notice
from documents.fonts import DEFAULT_FONTS, FontChoice
from documents.fonts import choose as choose_fonts
from documents.formatting import document_number
from documents.render import Bundle, TemplateError, Templates, sha256_text
from rules.guards_limits import draft_flags
from rules.model import Case, Person, Reason
from rules.notices import NUMBER_CODES
from rules.payment import account, due_date
from rules.policy import Policy
from states.definition import Procedure
from workflow.engine import Issue
from workflow.errors import ConfigError, NotFoundError, RefusedError
from workflow.events import Event, canonical, event_hash
from workflow.store import Ledger
from workflow.verify import Problem

DEFAULT_AGENCY = {
    "name": "铁锋区审计局", "short_name": "铁审", "address": "铁锋区政府路1号",
    "phone": "0452-0000000", "review_organ": "铁锋区人民政府", "court": "铁锋区人民法院",
    "payment_bank": "本机关指定的银行或者通过电子支付系统",
}  # fmt: skip


def act_of(event: Event) -> dict[str, Any]:
    """The act as a template sees it."""
    return {
        "action": event.action, "seq": event.seq, "on": event.occurred_on,
        "actor": event.actor, "role": event.role, "data": event.data,
    }  # fmt: skip


def _staff_inputs(case: Case, actor: str, staff: Mapping[str, Person]) -> dict[str, Any]:
    """The certificates of everyone on the case, as they stood when the notice was issued."""
    names = {n for people in case.assignments.values() for n in people} | {actor}
    return {
        n: {"cert_no": staff[n].cert_no, "cert_category": staff[n].cert_category}
        for n in sorted(names)
        if n in staff and staff[n].cert_no
    }


@dataclass
class NoticeDesk:
    """An office's notice settings: its templates, its agency block and its number codes."""

    templates: Templates = field(default_factory=Templates)
    agency: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_AGENCY))
    codes: Mapping[str, str] = field(default_factory=lambda: dict(NUMBER_CODES))
    #: the print fonts by role (body, title, heading), first installed wins (documents/fonts.py)
    fonts: Mapping[str, Sequence[str]] = field(default_factory=lambda: dict(DEFAULT_FONTS))

    @classmethod
    def from_settings(cls, settings: Any) -> NoticeDesk:
        """From config.yaml; a broken override template is a ConfigError with file and line."""
        try:
            templates = Templates(settings.templates_dir())
        except TemplateError as exc:
            raise ConfigError(str(exc), location="documents.templates") from None
        return cls(templates, settings.agency.model_dump(), settings.documents.all_codes(),
                   settings.documents.fonts.model_dump())  # fmt: skip

    # -- issuing ---------------------------------------------------------------------------
    def issuer(
        self, ledger: Ledger, staff: Mapping[str, Person], policy: Policy, proc: Procedure
    ) -> Issue:
        def issue(
            kinds: list[str], case: Case, stub: Event, eligible: bool
        ) -> list[dict[str, Any]]:
            year = int(stub.occurred_on[:4])
            self.require_agency(case.id or None, stub)
            inputs = notice_inputs(self.agency, case, stub, staff, policy, proc, eligible)
            documents = []
            for kind in kinds:
                bundle = self.templates.bundle(kind)
                number = document_number(
                    self.agency["short_name"],
                    self.codes[kind],
                    year,
                    ledger.next_serial(kind, year),
                )
                try:
                    notice = render_notice(
                        bundle, kind, number, case.to_dict(), act_of(stub), inputs
                    )
                except TemplateError as exc:
                    raise RefusedError(case.id or None, stub.action, stub.from_state, [
                        Reason("notice_incomplete", f"无法制作执法文书：{exc}", "执法文书")
                    ]) from None  # fmt: skip
                ledger.keep_bundle(bundle.sha256, bundle.name, dict(bundle.sources))
                documents.append(notice.as_record())
            return documents

        return issue

    def placeholders(self) -> list[str]:
        """Agency keys `zhifa init` left to be filled in (config.yaml)."""
        from workflow.config import PLACEHOLDER

        return [f"agency.{k}" for k, v in self.agency.items() if PLACEHOLDER in str(v)]

    def require_agency(self, case_id: str | None, stub: Event) -> None:
        """A notice never prints a placeholder: the act is refused, naming the keys to fill."""
        todo = self.placeholders()
        if todo:
            raise RefusedError(case_id, stub.action, stub.from_state, [
                Reason("agency_incomplete", f"config.yaml 中 {'、'.join(todo)} 尚未填写，不能制作执法文书"
                       f"（agency details to fill in before notices can be made）", "执法文书；config.yaml")
            ])  # fmt: skip

    # -- output ----------------------------------------------------------------------------
    def html(self, record: Mapping[str, Any]) -> str:
        from documents.fonts import css_stacks
        from documents.layout import to_html

        try:
            return to_html(record, self.templates.page(), css_stacks(self.font_choice()))
        except TemplateError as exc:
            raise ConfigError(str(exc), location="documents.templates") from None

    def font_choice(self) -> dict[str, FontChoice]:
        """The font each role is printed in here, and whether it stands in for the office's."""
        return choose_fonts(self.fonts)

    def pages(self, record: Mapping[str, Any]) -> int | None:
        """How many pages the notice prints on, in this office's layout and fonts."""
        from documents.pdf import count_pages

        return count_pages(self.html(record))


def notice_inputs(
    agency: Mapping[str, str],
    case: Case,
    stub: Event,
    staff: Mapping[str, Person],
    policy: Policy,
    proc: Procedure,
    eligible: bool,
) -> dict[str, Any]:
    """What a notice is rendered from besides the case and the act, recorded with it so that
    it renders again byte for byte: the agency block, the certificates, the periods, the
    procedure's wording, and — after a decision — the money owed as of the act."""
    on = date.fromisoformat(stub.occurred_on)
    inputs: dict[str, Any] = {
        "agency": dict(agency),
        "staff": _staff_inputs(case, stub.actor, staff),
        "periods": {
            "statement_window_days": policy.periods.statement_window_days,
            "audit_comply_days": policy.periods.audit_comply_days,
        },
        "hearing_eligible": eligible,
        "procedure": {**proc.public(), "filing_finding": proc.rules.filing_finding},
        "flags": draft_flags(case),
    }
    if case.decision:
        inputs["account"] = account(case, policy, on).as_dict()
        due = due_date(case, policy)
        inputs["payment_due"] = due.isoformat() if due else None
    return inputs


# -- finding recorded notices --------------------------------------------------------------
def recorded(events: list[Event]) -> list[dict[str, Any]]:
    """Every notice recorded in a case's history, in order, with the act that produced it."""
    found = []
    for e in events:
        for doc in e.documents:
            found.append({**doc, "seq": e.seq, "on": e.occurred_on, "action": e.action,
                          "actor": e.actor})  # fmt: skip
    return found


def find(notices: list[dict[str, Any]], case_id: str, ref: str) -> dict[str, Any]:
    """A notice by its number (铁审罚〔2026〕3号) or kind (the latest of that kind)."""
    by_number = [n for n in notices if n.get("number") == ref]
    if by_number:
        return by_number[0]
    by_kind = [n for n in notices if n["kind"] == ref]
    if by_kind:
        return by_kind[-1]
    have = ", ".join(f"{n.get('number') or n['kind']}" for n in notices) or "none"
    raise NotFoundError(f"{case_id} has no notice {ref!r} (its notices: {have})")


# -- verify -------------------------------------------------------------------------------
class NoticeChecker:
    """Re-renders recorded notices from the kept template bundles (compiled once each)."""

    def __init__(self, bundles: Mapping[str, tuple[str, dict[str, str]]]) -> None:
        self.bundles = bundles
        self._checked: dict[str, Bundle | str] = {}

    def bundle(self, sha: str) -> Bundle | str:
        """The kept bundle, or what is wrong with it."""
        if sha not in self._checked:
            if sha not in self.bundles:
                self._checked[sha] = (
                    f"template bundle {sha[:12]}… is not kept in the templates table"
                )
            else:
                name, sources = self.bundles[sha]
                bundle = Bundle.of(name, sources)
                self._checked[sha] = (
                    bundle
                    if bundle.sha256 == sha
                    else (
                        f"template bundle {sha[:12]}… was altered (its sources hash to {bundle.sha256[:12]}…)"
                    )
                )
        return self._checked[sha]

    def check_case(self, case_id: str, procedure: str, events: list[Event]) -> list[Problem]:
        """Replay the case; at each act with rendered notices, render them again and compare."""
        from workflow.verify import replay_events

        check = self.of_case(case_id)
        replay_events(case_id, procedure, events, check)
        return check.problems

    def of_case(self, case_id: str) -> CaseNotices:
        """The check of one case's notices, to be shown each act as a replay passes it."""
        return CaseNotices(self, case_id)

    def _check(
        self, case_id: str, e: Event, doc: Mapping[str, Any], after: Mapping[str, Any]
    ) -> Problem | None:
        label = f"notice {doc.get('number') or doc.get('kind')} ({doc.get('title')})"
        if sha256_text(doc["text"]) != doc.get("sha256"):
            return Problem(case_id, e.seq, f"{label}: text does not match its recorded hash")
        bundle = self.bundle(str(doc.get("template_sha256")))
        if isinstance(bundle, str):
            return Problem(case_id, e.seq, f"{label}: {bundle}")
        try:
            again = render_notice(
                bundle, doc["kind"], doc["number"], after, act_of(e), doc.get("inputs") or {}
            ).text
        except (TemplateError, KeyError) as exc:
            return Problem(case_id, e.seq, f"{label}: cannot be rendered again: {exc}")
        if again == doc["text"]:
            return None
        return Problem(
            case_id,
            e.seq,
            f"{label}: re-rendered text differs: {first_difference(doc['text'], again)}",
        )


class CaseNotices:
    """One case's recorded notices, each rendered again from the case as its act left it
    (a `NoticeHook` of workflow/verify.py: no copy of the case, no second replay)."""

    def __init__(self, checker: NoticeChecker, case_id: str) -> None:
        self.checker = checker
        self.case_id = case_id
        self.problems: list[Problem] = []

    def __call__(self, e: Event, case: Case) -> bool:
        try:
            rendered = [d for d in e.documents if "text" in d]
            if not rendered:
                return True
            after = case.to_dict()  # read, never changed: the templates run sandboxed
            # the act as its notices saw it: not yet carrying them (workflow/engine.py)
            after["last_hash"] = event_hash(
                e.case_id, e.seq, e.action, e.from_state, e.to_state, e.actor, e.role,
                e.occurred_on, e.recorded_at, canonical(e.data), "[]", e.prev_hash,
            )  # fmt: skip
            self.problems += [p for d in rendered if (p := self.checker._check(self.case_id, e, d, after))]
        except Exception:  # noqa: BLE001 - the replay check reports unreplayable events
            return False
        return True


def first_difference(recorded_text: str, again: str) -> str:
    for line in difflib.unified_diff(
        recorded_text.splitlines(), again.splitlines(), lineterm="", n=0
    ):
        if line.startswith(("-", "+")) and not line.startswith(("---", "+++")):
            return f"{'recorded' if line[0] == '-' else 'rendered'} {line[1:]!r}"
    return "whitespace or line endings"


def export_name(case_id: str, notice: Mapping[str, Any], suffix: str) -> str:
    """A file name that sorts in the record's order and is safe on every file system."""
    return f"{case_id}_{int(notice['seq']):03d}_{notice['kind']}.{suffix}"


def write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
