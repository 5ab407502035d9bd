"""What the rules say about a guided act's answers so far (terminal/guided.py asks them).

Nothing here restates a rule: the keys an act needs are the ones its guards report missing
(`missing_KEY`) for the answers so far, a benchmark's facts are the ones the benchmark weighs
(rules/discretion.py), a typed date is wrong when it brings a reason of its own, and a refusal
points at the keys its reasons name. The act is judged as `case do` would judge it, recording
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rules.discretion import for_power, missing_facts
from rules.guards_discretion import power_of
from rules.model import Case, Reason
from states.definition import Action
from workflow.errors import WorkflowError

if TYPE_CHECKING:
    from workflow.service import Office


@dataclass
class Rules:
    """One act, as answered so far, before the rules."""

    office: Office
    case: Case
    spec: Action
    actor: str | None
    day: date

    def reasons(self, data: Mapping[str, Any]) -> list[Reason]:
        """Every reason the act would be refused for with `data` (none if it cannot be judged
        yet: a key the definition requires is still to come)."""
        try:
            verdict = self.office.judge(self.case.id, self.spec.id, self.actor, data, self.day)
        except WorkflowError:
            return []
        return list(verdict.reasons)

    def needed(self, data: Mapping[str, Any]) -> set[str]:
        """Keys the rules require of these answers (违法事实, 法律依据 …) and the facts every
        benchmark of the case's 权责清单 item weighs."""
        named = {r.code.removeprefix("missing_") for r in self.reasons(data)
                 if r.code.startswith("missing_")}  # fmt: skip
        return named | self.benchmark_facts(data)

    def _benchmarks(self, data: Mapping[str, Any]) -> dict[str, list[Any]]:
        return for_power(self.office.policy.benchmarks, power_of(self.case, data))

    def benchmark_facts(self, data: Mapping[str, Any]) -> set[str]:
        """The amounts and levels the named benchmark (or every one of the item's) weighs."""
        by_id = self._benchmarks(data)
        named = by_id.get(str(data.get("benchmark") or ""))
        chosen = [named] if named else list(by_id.values())
        weighed = [set(missing_facts(versions[-1], {})) for versions in chosen]
        return set.intersection(*weighed) if weighed else set()

    def benchmark_choices(self, data: Mapping[str, Any]) -> list[tuple[str, str]]:
        """The 裁量基准 of the case's 权责清单 item, to be picked by number."""
        return [(i, versions[-1].violation) for i, versions in self._benchmarks(data).items()]

    def new_problems(self, data: Mapping[str, Any], name: str, value: Any) -> list[Reason]:
        """What a typed value brings that the act was not refused for without it (a violation
        date that bars the penalty, a date out of order)."""
        without = {k: v for k, v in data.items() if k != name}
        before = {r.message for r in self.reasons(without)}
        return [r for r in self.reasons({**without, name: value})
                if r.message not in before and not r.code.startswith("missing_")]  # fmt: skip


def named_keys(reasons: Iterable[Reason], keys: Iterable[str]) -> set[str]:
    """The keys a refusal's reasons name: by their code (`missing_facts`, `amount`) or by the
    key written in the message (`罚款须写明金额（amount）`)."""
    found: set[str] = set()
    for reason in reasons:
        text = f"{reason.code.removeprefix('missing_')} {reason.message}"
        found |= {k for k in keys if re.search(rf"(?<![A-Za-z_]){re.escape(k)}(?![A-Za-z_])", text)}
    return found
