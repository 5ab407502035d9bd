"""Domain values the rules reason about: a reason for refusal, a person, a case.

The case here is the projection rebuilt from the event log (style.md §4); it holds plain,
JSON-friendly values so that the stored projection can be compared with a replay exactly.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from states.vocabulary import ASSIGNABLE_ROLES, ROLES

__all__ = ["ASSIGNABLE_ROLES", "ROLES", "Case", "Person", "Reason"]


@dataclass(frozen=True)
class Reason:
    """Why a guard fails: a stable code, the words a clerk reads, and the legal source."""

    code: str
    message: str
    source: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message, "source": self.source}

    def __str__(self) -> str:
        return f"{self.message}（{self.source}）" if self.source else self.message



@dataclass(frozen=True)
class Person:
    """One entry of the staff register (人员名录)."""

    name: str
    roles: tuple[str, ...]
    cert_no: str | None = None
    cert_category: str | None = None
    cert_valid_until: date | None = None
    legal_qualified: bool = False
    active: bool = True
    #: 所在单位/科室 (the staff register's unit)
    unit: str | None = None

    def certificate_valid_on(self, day: date) -> bool:
        """执法证 held and not expired on `day` (行政处罚法 Art. 42)."""
        return (
            bool(self.cert_no)
            and self.cert_valid_until is not None
            and (self.cert_valid_until >= day)
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "roles": list(self.roles),
            "cert_no": self.cert_no,
            "cert_category": self.cert_category,
            "cert_valid_until": self.cert_valid_until.isoformat()
            if self.cert_valid_until
            else None,
            "legal_qualified": self.legal_qualified,
            "active": self.active,
            "unit": self.unit,
        }


@dataclass
class Case:
    """The state of one case, as rebuilt from its events.

    Dates are ISO strings (YYYY-MM-DD) so the projection serialises exactly.
    """

    id: str
    procedure: str
    state: str = "new"
    version: int = 0
    last_hash: str = ""
    title: str = ""
    party: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    opened_on: str = ""
    last_on: str = ""
    #: role -> names assigned to this case, in order of assignment
    assignments: dict[str, list[str]] = field(default_factory=dict)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    draft: dict[str, Any] | None = None
    draft_hash: str | None = None
    draft_revision: int = 0
    #: the draft as it was when the party was notified (行政处罚法 Art. 44/45)
    notified: dict[str, Any] | None = None
    #: the audit notice (审计通知书) as served
    audit_notice: dict[str, Any] | None = None
    statements: list[dict[str, Any]] = field(default_factory=list)
    hearing: dict[str, Any] | None = None
    review: dict[str, Any] = field(default_factory=dict)
    decision: dict[str, Any] | None = None
    service: dict[str, Any] | None = None
    executions: list[dict[str, Any]] = field(default_factory=list)
    closed: dict[str, Any] | None = None
    withdrawn: dict[str, Any] | None = None
    archived: dict[str, Any] | None = None
    notices: list[dict[str, Any]] = field(default_factory=list)
    #: audio-visual records (音像记录), each attached to the act it records (for_seq)
    av_records: list[dict[str, Any]] = field(default_factory=list)
    #: every person who has acted on this case, with the roles they acted in
    actors: dict[str, list[str]] = field(default_factory=dict)
    #: the actions done on this case, in order (the path the case file must document)
    acts: list[str] = field(default_factory=list)
    #: 回避 (行政处罚法 Art. 43): requests and the head's decisions; who left the case
    recusals: list[dict[str, Any]] = field(default_factory=list)
    recused: list[str] = field(default_factory=list)
    #: 审计机关的审计报告 (审计法 Art. 45)
    audit_report: dict[str, Any] | None = None
    #: after the decision: payments, 延期/分期, 复议/诉讼, 催告, court enforcement, 处理措施
    payments: list[dict[str, Any]] = field(default_factory=list)
    deferral: dict[str, Any] | None = None
    remedies: list[dict[str, Any]] = field(default_factory=list)
    urges: list[dict[str, Any]] = field(default_factory=list)
    enforcement: dict[str, Any] | None = None
    compliance: list[dict[str, Any]] = field(default_factory=list)

    def assigned(self, role: str) -> list[str]:
        """Who holds `role` on this case now (a recused person no longer does)."""
        return [n for n in self.assignments.get(role, []) if n not in self.recused]

    def to_dict(self) -> dict[str, Any]:
        """A shallow view: the values are already plain JSON data (no copy is made)."""
        return {name: getattr(self, name) for name in _CASE_FIELDS}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Case:
        return cls(**raw)


_CASE_FIELDS = tuple(f.name for f in dataclasses.fields(Case))
