"""JSON-ready views of cases and events, with stable English keys (the CLI's --json contract)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.model import Case
from rules.policy import Policy
from rules.review import review_grounds
from states.definition import Procedure


def case_view(
    case: Case, procedure: Procedure, policy: Policy, today: date | None = None
) -> dict[str, Any]:
    """The case as a user sees it: its data plus what the rules derive from it."""
    from rules.deadlines import case_deadlines
    from rules.record import av_missing

    view = case.to_dict()
    grounds = review_grounds(case, policy)
    view.update(
        state_label=procedure.state_label(case.state),
        procedure_label=procedure.label,
        review_required=bool(grounds),
        review_grounds=grounds,
        officers=case.assigned("officer"),
        deadlines=[d.as_dict() for d in case_deadlines(case, policy, today, procedure.deadlines)],
        av_missing=av_missing(case),
    )
    return view
