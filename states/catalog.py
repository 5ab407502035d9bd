"""Every procedure the product runs, by id: adding one is adding its module here."""

from __future__ import annotations

from states.audit import AUDIT
from states.definition import Procedure
from states.penalty import PENALTY

PROCEDURES: dict[str, Procedure] = {p.id: p for p in (PENALTY, AUDIT)}
