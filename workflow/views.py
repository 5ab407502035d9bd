"""JSON-ready views of cases and events, with stable English keys (the CLI's --json contract)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.model import Case
from rules.policy import Policy
from rules.review import discretion_point, review_grounds
from states.definition import Procedure


def case_view(case: Case, procedure: Procedure, policy: Policy, today: date) -> dict[str, Any]:
    """The case as a user sees it: its data plus what the rules derive from it, judged as of
    `today` (a replay is judged as of its last event's date)."""
    from rules.deadlines import case_deadlines, limitation
    from rules.guards_limits import draft_flags
    from rules.payment import account
    from rules.record import av_missing

    view = case.to_dict()
    grounds = review_grounds(case, policy, procedure)
    view.update(
        state_label=procedure.state_label(case.state),
        procedure_label=procedure.label,
        review_required=bool(grounds),
        review_grounds=grounds,
        officers=case.assigned("officer"),
        deadlines=[d.as_dict() for d in case_deadlines(case, policy, procedure.deadlines, today)],
        av_missing=av_missing(case, procedure),
        limitation=limitation(case, policy),
        draft_flags=draft_flags(case),
        account=account(case, policy, today).as_dict() if case.decision else None,
        discretion=discretion_point(case),
    )
    return view
