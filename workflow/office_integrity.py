"""Integrity: verify every case's chain, its replay, its stored row, its notices and files
(执法全过程记录, 可回溯管理). Every problem is reported with its case and sequence number."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rules.model import Case
from workflow.errors import NotFoundError, WorkflowError
from workflow.events import Event
from workflow.notices import NoticeChecker
from workflow.office_files import RecordDesk
from workflow.verify import Problem, bulk, verify_case


class IntegrityDesk(RecordDesk):
    """`verify`: one case or the whole office."""

    def verify(self, case_id: str | None = None) -> list[Problem]:
        """Check one case or all: chain, hashes, and the stored case against its replay."""
        rows = {r.id: r for r in self.store.case_rows()}
        if case_id is not None:
            if case_id not in rows and case_id not in self.store.event_case_ids():
                raise NotFoundError(f"没有此案件 no case {case_id!r}")
            ids = [case_id]
        else:
            ids = sorted(set(rows) | set(self.store.event_case_ids()))
        problems: list[Problem] = []
        checker = NoticeChecker(self.store.bundles())
        with bulk():
            for cid in ids:
                problems += self._verify_one(cid, rows.get(cid), checker)
        return problems

    def _verify_one(self, cid: str, row: Any, checker: NoticeChecker) -> list[Problem]:
        """One case: its events against each other, its stored row against their replay, and
        every recorded notice against its rendering from the record."""
        events = self.store.events(cid)
        procedure, problems = recorded_procedure(cid, events, row, self.engine.machines)
        if procedure is None:
            return problems
        stored = json.loads(row.snapshot) if row is not None else None
        problems += verify_case(cid, procedure, events, stored)
        if row is not None and stored is not None:
            problems += _row_matches_snapshot(cid, row, stored, self.figures)
        return (
            problems + checker.check_case(cid, procedure, events) + self._check_files(cid, events)
        )


def recorded_procedure(
    case_id: str, events: list[Event], row: Any, known: Mapping[str, Any]
) -> tuple[str | None, list[Problem]]:
    """The procedure the history itself names (its opening event), never the id's shape."""
    named = events[0].data.get("procedure") if events else None
    procedure = named or (row.procedure if row is not None else None)
    problems = []
    if named and row is not None and row.procedure != named:
        problems.append(Problem(case_id, None, f"case row says procedure {row.procedure!r} but "
                                f"its opening event records {named!r}"))  # fmt: skip
    if procedure not in known:
        what = f"unknown procedure {procedure!r}" if procedure else "no procedure recorded"
        problems.append(Problem(case_id, events[0].seq if events else None,
                                f"{what}: the history cannot be replayed"))  # fmt: skip
        return None, problems
    return str(procedure), problems


def _row_matches_snapshot(
    case_id: str, row: Any, stored: dict[str, Any], figures_of: Any
) -> list[Problem]:
    """The indexed columns of the case row, and its figures for the annual statistics, must
    say what its snapshot says."""
    pairs = {
        "state": (row.state, stored.get("state")),
        "version": (row.version, stored.get("version")),
        "last_hash": (row.last_hash, stored.get("last_hash")),
        "procedure": (row.procedure, stored.get("procedure")),
    }
    try:
        figures = figures_of(Case.from_dict(stored))
    except (TypeError, KeyError, ValueError, WorkflowError):
        figures = {}
    for name, value in figures.items():
        have = getattr(row, name, None)
        pairs[name] = (bool(have) if isinstance(value, bool) else have, value)
    bad = [k for k, (a, b) in pairs.items() if a != b]
    if not bad:
        return []
    return [
        Problem(case_id, None, f"case row columns disagree with its snapshot: {', '.join(bad)}")
    ]
