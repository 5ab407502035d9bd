"""The application service: load → judge → fire → save, one transaction per act (style.md §3).

This is what the terminal (and any other front end) calls. It holds no rule of the law: it
gathers what the engine needs (the case, the staff register, the policy, today) and stores
what the engine returns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from rules.model import Case, Person, Reason
from rules.policy import Policy
from workflow.engine import Context, Engine, Verdict
from workflow.errors import BadInputError, NotFoundError, RefusedError, WorkflowError
from workflow.events import Event
from workflow.files import FileStore, Progress, check_paths
from workflow.notices import NoticeChecker, NoticeDesk, export_name, find, recorded, write_atomic
from workflow.store import Ledger, Store
from workflow.verify import Problem, bulk, verify_case

EXPORT_FORMATS = ("pdf", "html", "txt")
REVIEW_ACTIONS = frozenset({"approve_review", "reject_review", "request_supplement"})
_ENGINE: Engine | None = None


def shared_engine() -> Engine:
    """One validated set of machines per process, shared by every case."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


class Office:
    """One office's cases over one store."""

    def __init__(
        self,
        store: Store,
        policy: Policy,
        engine: Engine | None = None,
        clock: Callable[[], date] = date.today,
        desk: NoticeDesk | None = None,
        files: FileStore | None = None,
    ) -> None:
        self.store = store
        self.policy = policy
        self.engine = engine or shared_engine()
        self.store.figures = self.figures
        self.clock = clock
        self.desk = desk or NoticeDesk()
        self.files = files

    # -- who acts ---------------------------------------------------------------------------
    def actor(self, name: str | None, staff: dict[str, Person] | None = None) -> Person:
        if staff is not None and name in staff:
            return staff[name]
        if not name:
            raise RefusedError(None, "(any)", "-", [
                Reason("no_actor", "未指明办理人：使用 --as NAME 或设置 ZHIFA_USER", "执法全过程记录")
            ])  # fmt: skip
        try:
            return self.store.person(name)
        except NotFoundError:
            raise RefusedError(None, "(any)", "-", [
                Reason("unknown_actor", f"人员名录中没有 {name}", "人员名录")
            ]) from None  # fmt: skip

    def figures(self, case: Case) -> dict[str, Any]:
        """The figures kept with a case row for the annual statistics (rules/statistics.py)."""
        from rules.statistics import case_figures

        return case_figures(case, self.policy, self.engine.procedure(case.procedure))

    def _context(
        self,
        actor: Person,
        action: str | None = None,
        staff: dict[str, Person] | None = None,
        case: Case | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Context:
        prior = 0
        if action is None or action in REVIEW_ACTIONS:
            prior = self.store.count_reviews(actor.name)
        fines: tuple[tuple[str, str], ...] = ()
        if case is not None and action == "draft_decision":
            fines = self._prior_fines(case, data or {})
        return Context(
            staff if staff is not None else self.store.staff(), self.policy, self.clock(), prior,
            fines,
        )  # fmt: skip

    def _prior_fines(self, case: Case, data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        """Fines decided in other cases for the violation this draft concerns (Art. 29)."""
        import dataclasses

        from rules.statistics import violation_key

        details = {**case.details, **{k: v for k, v in data.items()
                                      if k in ("power", "violation_on") and v}}  # fmt: skip
        key = violation_key(dataclasses.replace(case, details=details))
        return tuple(self.store.prior_fines(key, case.id)) if key else ()

    # -- reading ----------------------------------------------------------------------------
    def case(self, case_id: str) -> Case:
        return self.store.load_case(case_id)

    def cases(self, state: str | None = None, procedure: str | None = None) -> list[Case]:
        if procedure:
            self.engine.procedure(procedure)
        return self.store.list_cases(state, procedure)

    def history(self, case_id: str) -> list[Event]:
        self.store.load_case(case_id)
        return self.store.events(case_id)

    def replay(self, case_id: str, until: int | None = None) -> Case:
        case = self.store.load_case(case_id)
        if until is not None and not 1 <= until <= case.version:
            raise BadInputError(f"--until must be between 1 and {case.version} for {case_id}")
        from workflow.projection import replay

        with bulk():
            return replay(case_id, case.procedure, self.store.events(case_id, until))

    def actions(
        self, case_id: str, actor_name: str | None, on: date | None = None
    ) -> list[Verdict]:
        case = self.store.load_case(case_id)
        actor = self.actor(actor_name)
        return self.engine.available(case, actor, on or self.clock(), self._context(actor))

    # -- acting -----------------------------------------------------------------------------
    def open_case(
        self,
        procedure: str,
        actor_name: str | None,
        data: Mapping[str, Any],
        on: date | None = None,
    ) -> tuple[Event, Case]:
        """立案: judge the opening, then number the case and record it in one transaction."""
        proc = self.engine.procedure(procedure)
        actor = self.actor(actor_name)
        day = on or self.clock()
        ctx = self._context(actor, "open")
        self.engine.fire(Case(id="", procedure=procedure), "open", actor, day, ctx, data)

        def build(case_id: str, ledger: Ledger) -> tuple[Event, Case]:
            fresh = Case(id=case_id, procedure=procedure)
            issue = self.desk.issuer(ledger, ctx.staff, self.policy, proc)
            return self.engine.fire(fresh, "open", actor, day, ctx, data, issue=issue)

        return self.store.open_case(procedure, proc.prefix, day.year, build)

    def do(
        self,
        case_id: str,
        action: str,
        actor_name: str | None,
        data: Mapping[str, Any],
        on: date | None = None,
        expected_version: int | None = None,
    ) -> tuple[Event, Case]:
        """Fire one action; refused acts append nothing and change nothing."""
        self._require_stored(data.get("files"))
        case, staff = self.store.load_for_act(case_id)
        if action == "open":
            raise BadInputError("`open` starts a new case: use `zhifa case open`")
        if expected_version is not None and expected_version != case.version:
            from workflow.errors import ConflictError

            raise ConflictError(case_id, expected_version)
        actor = self.actor(actor_name, staff)
        day = on or self.clock()
        data = self._with_discretion(case, action, data, day)
        ctx = self._context(actor, action, staff, case, data)
        proc = self.engine.procedure(case.procedure)

        def build(ledger: Ledger) -> tuple[Event, Case]:
            # the loaded case is this call's own copy: the engine may apply the event to it
            issue = self.desk.issuer(ledger, staff, self.policy, proc)
            return self.engine.fire(case, action, actor, day, ctx, data, in_place=True, issue=issue)

        return self.store.act(case_id, case.version, build)

    def _with_discretion(
        self, case: Case, action: str, data: Mapping[str, Any], day: date
    ) -> Mapping[str, Any]:
        """A draft records the benchmark and tier its facts match (workflow/discretion.py)."""
        from workflow.discretion import with_discretion

        spec = self.engine.procedure(case.procedure).action(action)
        return with_discretion(spec, case, self.policy, data, day) if spec else data

    # -- publicity ----------------------------------------------------------------------------
    def publish(
        self,
        case_id: str,
        actor_name: str | None,
        on: date | None = None,
        redactions: list[dict[str, str]] | None = None,
    ) -> tuple[Event, Case]:
        """公示: record the masked public record of the case's decision (rules/publicity.py),
        with the spans the publisher redacts and why (recorded in the event)."""
        from rules.publicity import public_record

        case = self.case(case_id)
        proc = self.engine.procedure(case.procedure)
        policy = self.policy
        content = (
            public_record(case, policy.masking, policy.agency, proc, redactions)
            if case.decision
            else {}
        )
        data: dict[str, Any] = {"content": content}
        if redactions:
            data["redactions"] = redactions
        return self.do(case_id, "publish", actor_name, data, on, case.version)

    def reports(self) -> dict[int, dict[str, Any]]:
        """执法统计年报 as published, by year."""
        from workflow.report import published_reports

        with self.store.engine.connect() as conn:
            return published_reports(conn)

    def annual_report(self, year: int) -> dict[str, Any]:
        """The year's figures, by SQL aggregation over the case rows."""
        from workflow.report import annual_figures
        from workflow.store import CASES

        with self.store.engine.connect() as conn:
            figures = annual_figures(conn, CASES, year)
        figures["procedure_labels"] = {  # sorted: a published report comes back key-sorted
            pid: m.procedure.public()["kind"] for pid, m in sorted(self.engine.machines.items())
        }
        return figures

    def publish_report(
        self,
        year: int,
        actor_name: str | None,
        before_record: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        """Record the year's report as published by a publisher (公示员). `before_record`
        (e.g. writing the HTML page) runs on the figures first; if it fails, nothing is
        recorded."""
        from workflow.report import publish_report

        actor = self.actor(actor_name)
        if "publisher" not in actor.roles or not actor.active:
            raise RefusedError(None, "publish_report", "-", [
                Reason("not_publisher", f"{actor.name} 不是公示员，不能公开年报", "国办发〔2018〕118号（六）")
            ])  # fmt: skip
        figures = self.annual_report(year)
        if before_record is not None:
            before_record(figures)
        with self.store.engine.begin() as conn:
            publish_report(conn, year, figures, actor.name)
        return figures

    def office_alerts(self, today: date, within: int) -> list[dict[str, Any]]:
        """Obligations of the office itself: the annual report by 31 January."""
        from workflow.report import report_due

        return report_due(today, set(self.reports()), self.policy.calendar, within)

    def alerts(self, within: int) -> list[dict[str, Any]]:
        """执法监督, 提前预警: every open obligation of the cases (as each procedure declares
        its deadlines) and of the office, overdue or due within `within` working days."""
        from rules.deadlines import alerts

        today = self.clock()
        pairs = [(c, self.engine.procedure(c.procedure).deadlines) for c in self.cases()]
        items = [{"case": c.id, "title": c.title, **d.as_dict(), "days_left": left}
                 for c, d, left in alerts(pairs, self.policy, today, within)]  # fmt: skip
        office = [{"case": "—", "title": "", "provisional": False, **a}
                  for a in self.office_alerts(today, within)]  # fmt: skip
        return sorted(office + items, key=lambda a: a["days_left"])

    # -- files: evidence and audio-visual records ---------------------------------------------
    def file_store(self) -> FileStore:
        if self.files is None:
            from workflow.errors import ConfigError

            raise ConfigError("this office has no file store (config `files.dir`)")
        return self.files

    def _require_stored(self, files: Any) -> None:
        """Files named in an act must already be in the store (as `evidence add` puts them)."""
        if not isinstance(files, list):
            return
        missing = [
            f"{f.get('name')} ({f.get('sha256')})"
            for f in files
            if isinstance(f, dict) and not self.file_store().has(str(f.get("sha256", "")))
        ]
        if missing:
            raise BadInputError(
                f"not in the office's file store: {', '.join(missing)}; "
                "add files with `zhifa evidence add CASE FILE…`"
            )

    def act_with_files(
        self,
        case_id: str,
        action: str,
        actor_name: str | None,
        paths: list[str],
        data: Mapping[str, Any],
        on: date | None = None,
        progress: Progress | None = None,
    ) -> tuple[Event, Case]:
        """Store the files and record the act, or neither.

        Bad paths are refused before anything is read; the act is then judged with the files'
        names before any byte is copied, so a refused act stores nothing. The files are stored
        (streamed, hashed, deduplicated), then the act is recorded with their hashes.
        """
        sources = check_paths(paths)
        store = self.file_store()
        case, staff = self.store.load_for_act(case_id)
        actor = self.actor(actor_name, staff)
        day = on or self.clock()
        ctx = self._context(actor, action, staff)
        stand_in = [{"name": p.name, "size": max(p.stat().st_size, 1),
                     "media_type": "application/octet-stream", "sha256": "0" * 64}
                    for p in sources]  # fmt: skip
        self.engine.fire(case, action, actor, day, ctx, {**data, "files": stand_in})
        stored = [store.put(p, progress).as_dict() for p in sources]
        return self.do(case_id, action, actor_name, {**data, "files": stored}, day, case.version)

    def _check_files(self, case_id: str, events: list[Event]) -> list[Problem]:
        """Every file an event recorded is still in the store, byte for byte."""
        problems = []
        for e in events:
            files = e.data.get("files") if '"files"' in e.data_json else None
            for f in files if isinstance(files, list) else []:
                if not isinstance(f, dict) or "sha256" not in f:
                    continue
                if self.files is None:
                    problems.append(Problem(case_id, e.seq, "files recorded but no file store"))
                    return problems
                wrong = self.files.problem(f["sha256"], f.get("size"))
                if wrong:
                    problems.append(
                        Problem(
                            case_id, e.seq, f"file {f.get('name')} ({f['sha256'][:12]}…) {wrong}"
                        )
                    )
        return problems

    # -- staff register ---------------------------------------------------------------------
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

    # -- integrity --------------------------------------------------------------------------
    def verify(self, case_id: str | None = None) -> list[Problem]:
        """Check one case or all: chain, hashes, and the stored case against its replay."""
        rows = {r.id: r for r in self.store.case_rows()}
        if case_id is not None:
            if case_id not in rows and case_id not in self.store.event_case_ids():
                raise NotFoundError(f"no case {case_id!r}")
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

    # -- the case file and its archive bundle -----------------------------------------------
    def case_file(self, case_id: str) -> list[dict[str, Any]]:
        """卷宗目录: every notice and record in order, with numbers, dates and references."""
        from workflow.casefile import index

        return [e.as_dict() for e in index(self.history(case_id), pages=self.desk.pages)]

    def export_archive(self, case_id: str, out: Path, pdf: bool = True) -> Any:
        """Write the archived case's bundle (zip) to `out`; see workflow/archive.py."""
        from workflow.archive import Renditions, write_bundle

        case = self.case(case_id)
        if case.archived is None:
            raise BadInputError(
                f"{case_id} is not archived yet (state {case.state}): the bundle is the archived "
                f"case file; archive it first (`zhifa case do {case_id} archive`)"
            )
        if out.is_dir():
            out = out / f"{case_id}.zip"
        if not out.parent.is_dir():
            raise BadInputError(f"--out {out}: folder {out.parent} does not exist")
        store = self.file_store()

        renditions = Renditions.of(self.desk) if pdf else None
        events = self.history(case_id)
        return write_bundle(
            out, case.to_dict(), events, renditions, store.path, self.store.bundles()
        )

    # -- notices ----------------------------------------------------------------------------
    def notices(self, case_id: str) -> list[dict[str, Any]]:
        """Every notice recorded for a case, in the order it was issued."""
        return recorded(self.history(case_id))

    def notice(self, case_id: str, ref: str) -> dict[str, Any]:
        """One recorded notice, by number or kind."""
        return find(self.notices(case_id), case_id, ref)

    def export_notices(
        self, case_id: str, fmt: str, out: Path, ref: str | None = None
    ) -> list[Path]:
        """Write a case's notices (or one) as txt, html or pdf files into `out`."""
        if fmt not in EXPORT_FORMATS:
            raise BadInputError(f"unknown format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
        notices = self.notices(case_id)
        chosen = [find(notices, case_id, ref)] if ref else [n for n in notices if "text" in n]
        if ref and "text" not in chosen[0]:
            raise BadInputError(f"{ref} was recorded before notices were rendered: it has no text")
        if not chosen:
            raise NotFoundError(f"{case_id} has no rendered notices yet")
        if out.exists() and not out.is_dir():
            raise BadInputError(f"--out {out} is a file, not a directory")
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for notice in chosen:
            path = out / export_name(case_id, notice, fmt)
            write_atomic(path, self._notice_bytes(notice, fmt))
            written.append(path)
        return written

    def _notice_bytes(self, notice: dict[str, Any], fmt: str) -> bytes:
        if fmt == "txt":
            return str(notice["text"]).encode()
        html = self.desk.html(notice)
        if fmt == "html":
            return html.encode()
        from documents.pdf import FontMissingError, html_to_pdf

        try:
            return html_to_pdf(html)
        except FontMissingError as exc:
            raise BadInputError(f"PDF not produced: {exc}") from None


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
