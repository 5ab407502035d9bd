"""The staff register (人员名录): who may act, managed by an admin (domain.md §2)."""

from __future__ import annotations

from typing import Any

from rules.model import Person, Reason
from workflow.errors import BadInputError, RefusedError
from workflow.office import OfficeCore


class StaffDesk(OfficeCore):
    """Registering, listing and deactivating staff."""

    def _require_admin(self, actor_name: str | None) -> None:
        """Only an active admin (管理员) manages the staff register (domain.md §2)."""
        actor = self.actor(actor_name)
        if "admin" not in actor.roles or not actor.active:
            raise RefusedError(None, "staff", "-", [
                Reason("not_admin", f"{actor.name} 不是在岗的管理员，不能管理人员名录", "人员名录管理")
            ])  # fmt: skip

    def add_staff(self, actor_name: str | None, person: Person) -> Person:
        """Register a person, on behalf of an admin."""
        self._require_admin(actor_name)
        return self.register(person)

    def register(self, person: Person) -> Person:
        """Write a person into the register (setting up an office, or after the admin check)."""
        from rules.model import ROLES

        unknown = [r for r in person.roles if r not in ROLES]
        if unknown or not person.roles:
            raise BadInputError(
                f"unknown role(s) {', '.join(unknown) or '(none given)'}; known: {', '.join(ROLES)}"
            )
        if not person.name.strip():
            raise BadInputError("a person needs a name")
        self.store.add_person(person)
        return person

    def staff(self) -> dict[str, Person]:
        return self.store.staff()

    def set_active(self, actor_name: str | None, name: str, active: bool) -> None:
        self._require_admin(actor_name)
        self.store.set_active(name, active)

    def staff_report(self) -> dict[str, Any]:
        """The register with the reviewer share against the 5% floor (118号（十一）)."""
        from rules.review import reviewer_share

        staff = self.staff()
        return {"staff": [p.as_dict() for p in staff.values()],
                "reviewer_share": reviewer_share(staff.values())}  # fmt: skip
