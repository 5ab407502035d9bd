"""Every named guard, registered by importing the modules that define them."""

from __future__ import annotations

from rules import guards_input, guards_people, guards_procedure, guards_time, publicity, record  # noqa: F401
from rules.act import GUARDS, Guard

__all__ = ["GUARDS", "Guard"]
