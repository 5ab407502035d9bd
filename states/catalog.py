"""Every procedure the product runs, by id: adding one is adding its module here."""

from __future__ import annotations

from states.audit import AUDIT
from states.definition import Procedure
from states.measure import MEASURE
from states.penalty import PENALTY
from states.summary import SUMMARY

PROCEDURES: dict[str, Procedure] = {p.id: p for p in (PENALTY, AUDIT, SUMMARY, MEASURE)}
