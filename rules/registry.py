"""Every named guard and condition, registered by importing the modules that define them."""

from __future__ import annotations

from rules import (  # noqa: F401
    guards_discretion,
    guards_input,
    guards_limits,
    guards_payment,
    guards_people,
    guards_procedure,
    guards_summary,
    guards_time,
    publicity,
    record,
)
from rules.act import GUARDS, Guard
from rules.conditions import CONDITIONS

__all__ = ["CONDITIONS", "GUARDS", "Guard"]
