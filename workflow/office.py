"""The office's core: load → judge → fire → save, one transaction per act (style.md §3).

What every front end calls to read cases and act on them. It holds no rule of the law: it
gathers what the engine needs (the case, the staff register, the policy, today) and stores
what the engine returns. The other concerns of an office — staff, files and notices,
publicity, integrity — are in their own modules (workflow/office_*.py), joined in
workflow/service.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rules.model import Case, Person, Reason
from rules.policy import Policy
from states.definition import Action
from workflow.engine import Context, Engine, Verdict
from workflow.errors import BadInputError, NotFoundError, RefusedError
from workflow.events import Event
from workflow.files import FileStore
from workflow.keys import Signer, SigningKey
from workflow.notices import NoticeDesk
from workflow.register import REGISTER, RegisterHistory
from workflow.store import Ledger, Store

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from rules.deadlines import Deadline
    from workflow.config import Settings
    from workflow.pages import CasePage
from workflow.verify import bulk


@dataclass(frozen=True)
class Authority:
    """Who would record an act: the actor and the register as of its date, the key held for
    them here (if any), a back-dating approval to record, and why they may not (if so)."""

    actor: Person
    staff: dict[str, Person]
    key: SigningKey | None
    attach: dict[str, Any]
    reasons: list[Reason]


REVIEW_ACTIONS = frozenset({"approve_review", "reject_review", "request_supplement"})
_ENGINE: Engine | None = None


def shared_engine() -> Engine:
    """One validated set of machines per process, shared by every case."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = Engine()
    return _ENGINE


class OfficeCore:
    """One office's cases over one store: reading and acting."""

    def __init__(
        self,
        store: Store,
        policy: Policy,
        engine: Engine | None = None,
        clock: Callable[[], date] = date.today,
        desk: NoticeDesk | None = None,
        files: FileStore | None = None,
        signer: Signer | None = None,
    ) -> None:
        self.store = store
        self.policy = policy
        self.engine = engine or shared_engine()
        self.store.search_row = self.search_row
        self.store.derived = self.derived
        self.clock = clock
        self.desk = desk or NoticeDesk()
        self.files = files
        #: the caller's private keys: every act is signed with the actor's (workflow/keys.py)
        self.signer = signer
        #: the office's config.yaml, when it was opened from one (the website needs it)
        self.settings: Settings | None = None

    def actor(self, name: str | None, staff: Mapping[str, Person] | None = None) -> Person:
        """The person `name` in `staff` (the register as of the act's date; default today)."""
        if staff is None:
            staff = self.register_history().as_of(self.clock()).staff()
        if name and name in staff:
            return staff[name]
        if not name:
            raise RefusedError(None, "(any)", "-", [
                Reason("no_actor", "未指明办理人：使用 --as NAME 或设置 ZHIFA_USER", "执法全过程记录")
            ])  # fmt: skip
        raise RefusedError(None, "(any)", "-", [
            Reason("unknown_actor", f"人员名录中没有 {name}", "人员名录")
        ])  # fmt: skip

    def register_history(self, events: list[Event] | None = None) -> RegisterHistory:
        """The staff register's signed history (workflow/register.py)."""
        return RegisterHistory(self.store.chain(REGISTER) if events is None else events)

    def authorise(
        self, history: RegisterHistory, name: str | None, action: Action, day: date, case_id: str
    ) -> Authority:
        """Who acts and with which key, by the register as of `day` and of today, and every
        reason this caller cannot record the act (workflow/signing.py)."""
        from workflow.signing import (
            APPROVALS,
            Recording,
            backdating,
            no_key,
            signing_key,
            today_reasons,  # fmt: skip
        )

        staff = history.as_of(day).staff()
        actor = self.actor(name, staff)
        today = self.clock()
        rec = Recording(actor.name, self.engine.role_for(action, actor), day, today, case_id,
                        action.id)  # fmt: skip
        reasons = today_reasons(history.as_of(today), rec)
        attach: dict[str, Any] = {}
        if day <= today:
            found, attach = backdating(self.policy.calendar, self.policy.periods.backdate_working_days,
                                       lambda: self.store.chain(APPROVALS), rec)  # fmt: skip
            reasons += found
        key = signing_key(self.signer, history.as_of(day), actor.name)
        if key is None:
            reasons.append(no_key(actor.name, day))
        return Authority(actor, staff, key, attach, reasons)

    def signing(self, auth: Authority, case: Case, action: str, day: date, ctx: Context
                ) -> SigningKey:  # fmt: skip
        """The key that signs the act; or a refusal with every reason at once — the rules' and
        who may record it."""
        if auth.reasons or auth.key is None:
            judged = self.engine.evaluate(case, action, auth.actor, day, ctx).reasons
            raise RefusedError(case.id or None, action, case.state, judged + auth.reasons)
        return auth.key

    def figures(self, case: Case) -> dict[str, Any]:
        """The figures kept with a case row for the annual statistics (rules/statistics.py)."""
        from rules.statistics import case_figures

        return case_figures(case, self.policy, self.engine.procedure(case.procedure))

    def search_row(self, conn: Connection, case: Case) -> None:
        """The case's search row and postings, in the act's own transaction (workflow/search.py)."""
        from workflow.search import follow

        follow(conn, case, self.files)

    def derived(self, case: Case) -> tuple[dict[str, Any], list[Deadline]]:
        """What is kept beside a case with each write — its figures and its open obligations —
        from one computation of its deadlines."""
        from rules.deadlines import case_runs, open_obligations
        from rules.statistics import case_figures

        proc = self.engine.procedure(case.procedure)
        runs = case_runs(case, self.policy, proc.deadlines)
        return (case_figures(case, self.policy, proc, runs),
                open_obligations(case, self.policy, proc.deadlines, runs))  # fmt: skip

    def _context(
        self,
        actor: Person,
        action: str | None = None,
        staff: Mapping[str, Person] | None = None,
        case: Case | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Context:
        prior = 0
        if action is None or action in REVIEW_ACTIONS:
            prior = int(self.store.has_reviewed(actor.name))
        fines: tuple[tuple[str, str], ...] = ()
        if case is not None and action in ("draft_decision", "decide_on_spot"):
            fines = self._prior_fines(case, data or {})
        parent = self._parent((data or {}).get("parent")) if action == "open" else None
        attached = tuple(self.attached(case)) if case is not None and action == "close" else ()
        if staff is None:
            staff = self.register_history().as_of(self.clock()).staff()
        return Context(staff, self.policy, self.clock(), prior, fines, parent, attached)

    def _parent(self, parent_id: Any) -> dict[str, Any] | None:
        """The case a 行政强制措施 is asked for in, as the rules need it (or None)."""
        if not isinstance(parent_id, str) or not parent_id:
            return None
        try:
            parent = self.store.load_case(parent_id)
        except NotFoundError:
            return None
        proc = self.engine.procedure(parent.procedure)
        return {"id": parent.id, "procedure": parent.procedure,
                "ended": bool(parent.closed or parent.withdrawn or parent.archived),
                "measure_kinds": proc.rules.measure_kinds}  # fmt: skip

    def attached(self, case: Case) -> list[dict[str, Any]]:
        """The 行政强制措施 taken in a case, each with whether it is still in force."""
        found = []
        for other in self.store.attached(case.id):
            proc = self.engine.procedure(other.procedure)
            ended = bool(other.closed or other.withdrawn or other.archived)
            found.append({"id": other.id, "procedure": other.procedure, "label": other.title,
                          "kind": other.details.get("kind"), "state": other.state,
                          "state_label": proc.state_label(other.state), "in_force": not ended})  # fmt: skip
        return found

    def view(self, case: Case, as_of: date | None = None) -> dict[str, Any]:
        """The case as a user sees it (workflow/views.py), with the measures taken in it."""
        from workflow.views import case_view

        proc = self.engine.procedure(case.procedure)
        shown = case_view(case, proc, self.policy, as_of or self.clock())
        shown["measures"] = self.attached(case)
        return shown

    def _prior_fines(self, case: Case, data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
        """Fines decided in other cases for the violation this draft concerns (Art. 29)."""
        import dataclasses

        from rules.statistics import violation_key

        details = {**case.details, **{k: v for k, v in data.items()
                                      if k in ("power", "violation_on") and v}}  # fmt: skip
        key = violation_key(dataclasses.replace(case, details=details))
        return tuple(self.store.prior_fines(key, case.id)) if key else ()

    def case(self, case_id: str) -> Case:
        return self.store.load_case(case_id)

    def cases(self, state: str | None = None, procedure: str | None = None) -> list[Case]:
        """Cases, by state and procedure, each given by id or Chinese label (法制审核)."""
        return self.store.list_cases(*self._case_filter(state, procedure))

    def case_page(
        self, state: str | None = None, procedure: str | None = None, sort: str = "opened",
        limit: int = 50, page: int = 1,
    ) -> CasePage:  # fmt: skip
        """One page of the cases a filter finds, in an order given by id or label (案号)."""
        from workflow.pages import CasePage, sort_id

        if limit < 1 or page < 1:
            raise BadInputError("--limit 与 --page 须为正整数 must be positive")
        state, procedure = self._case_filter(state, procedure)
        sort = sort_id(sort)
        total = self.store.count_cases(state, procedure)
        found = self.store.page_cases(state, procedure, sort, limit, (page - 1) * limit)
        return CasePage(total, page, limit, sort, found)

    def _case_filter(self, state: str | None, procedure: str | None) -> tuple[str | None, str | None]:
        """A state and a procedure given by id or label, as ids."""
        from workflow.names import state_id

        if procedure:
            procedure = self.engine.procedure(procedure).id
        if state:
            procs = [m.procedure for m in self.engine.machines.values()]
            state = state_id(procs, state, procedure)
        return state, procedure

    def history(self, case_id: str) -> list[Event]:
        self.store.load_case(case_id)
        return self.store.events(case_id)

    def replay(self, case_id: str, until: int | None = None) -> Case:
        case = self.store.load_case(case_id)
        if until is not None and not 1 <= until <= case.version:
            raise BadInputError(
                f"--until 须在 1 至 {case.version} 之间 must be 1 to {case.version} for {case_id}"
            )
        from workflow.projection import replay

        with bulk():
            return replay(case_id, case.procedure, self.store.events(case_id, until))

    def actions(
        self, case_id: str, actor_name: str | None, on: date | None = None
    ) -> list[Verdict]:
        case = self.store.load_case(case_id)
        day = on or self.clock()
        staff = self.register_history().as_of(day).staff()
        actor = self.actor(actor_name, staff)
        return self.engine.available(case, actor, day, self._context(actor, staff=staff))

    def judge(
        self,
        case_id: str,
        action: str,
        actor_name: str | None,
        data: Mapping[str, Any],
        on: date | None = None,
    ) -> Verdict:
        """Judge an act with its input as `do` would, recording nothing (a guided prompt's last
        check before it asks to confirm)."""
        from workflow.inputs import normalise

        case, register = self.store.load_for_act(case_id)
        spec = self.engine.action(case.procedure, action)
        day = on or self.clock()
        staff = register.as_of(day).staff()
        actor = self.actor(actor_name, staff)
        data = self._with_discretion(case, spec.id, data, day)
        ctx = self._context(actor, spec.id, staff, case, data)
        checked = normalise(spec, data)
        return self.engine.evaluate(case, spec.id, actor, day, ctx, checked)

    def open_case(
        self,
        procedure: str,
        actor_name: str | None,
        data: Mapping[str, Any],
        on: date | None = None,
    ) -> tuple[Event, Case]:
        """立案: judge the opening, then number the case and record it in one transaction."""
        proc = self.engine.procedure(procedure)
        procedure = proc.id  # given by id or label
        day = on or self.clock()
        opening = self.engine.action(procedure, "open")
        auth = self.authorise(self.register_history(), actor_name, opening, day, "")
        actor, attach = auth.actor, auth.attach
        ctx = self._context(actor, "open", auth.staff, data=data)
        key = self.signing(auth, Case(id="", procedure=procedure), "open", day, ctx)
        self.engine.fire(Case(id="", procedure=procedure), "open", actor, day, ctx, data)

        def build(case_id: str, ledger: Ledger) -> tuple[Event, Case]:
            fresh = Case(id=case_id, procedure=procedure)
            issue = self.desk.issuer(ledger, ctx.staff, self.policy, proc)
            event, case = self.engine.fire(fresh, "open", actor, day, ctx, data, issue=issue,
                                           attach=attach)  # fmt: skip
            return event.signed_by(key), case

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
        """Fire one action; refused acts append nothing and change nothing. The case is read,
        the act judged, signed and written in one short transaction (Store.act)."""
        self._require_stored(data.get("files"))
        day = on or self.clock()

        def build(ledger: Ledger) -> tuple[Event, Case]:
            case, register = ledger.load(case_id)
            act = self.engine.action(case.procedure, action)  # given by id or label
            if act.id == "open":
                raise BadInputError("立案请用 `zhifa case open` — `open` starts a new case")
            if expected_version is not None and expected_version != case.version:
                from workflow.errors import ConflictError

                raise ConflictError(case_id, expected_version)
            return self._act(ledger, case, register, act, actor_name, data, day)

        return self.store.act(case_id, None, build)

    def _act(
        self, ledger: Ledger, case: Case, register: RegisterHistory, act: Action,
        actor_name: str | None, data: Mapping[str, Any], day: date,
    ) -> tuple[Event, Case]:  # fmt: skip
        """Judge the act on the case as read in its transaction, then fire and sign it."""
        auth = self.authorise(register, actor_name, act, day, case.id)
        actor, staff, attach = auth.actor, auth.staff, auth.attach
        data = self._with_discretion(case, act.id, data, day)
        ctx = self._context(actor, act.id, staff, case, data)
        key = self.signing(auth, case, act.id, day, ctx)
        issue = self.desk.issuer(ledger, staff, self.policy, self.engine.procedure(case.procedure))
        # the loaded case is this act's own copy: the engine may apply the event to it
        event, after = self.engine.fire(case, act.id, actor, day, ctx, data, in_place=True,
                                        issue=issue, attach=attach)  # fmt: skip
        return event.signed_by(key), after

    def _with_discretion(
        self, case: Case, action: str, data: Mapping[str, Any], day: date
    ) -> Mapping[str, Any]:
        """A draft records the benchmark and tier its facts match (workflow/discretion.py)."""
        from workflow.discretion import with_discretion

        spec = self.engine.procedure(case.procedure).action(action)
        if spec is None:
            return data
        drafted = with_discretion(spec, case, self.policy, data, day)
        if not any(f.name == "like_cases" for f in spec.fields):
            return drafted
        drafted = {k: v for k, v in drafted.items() if k != "like_cases"}  # derived, never typed
        if "discretion" not in drafted:
            return drafted
        from workflow.assist import Assistant, like_cases
        from workflow.inputs import normalise

        like = like_cases(Assistant.of(self).index, case, normalise(spec, drafted))
        return {**drafted, "like_cases": like} if like else drafted

    def file_store(self) -> FileStore:
        if self.files is None:
            from workflow.errors import ConfigError

            raise ConfigError("本办公室没有文件库 this office has no file store (config `files.dir`)")
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
                f"文件不在本机关文件库中 not in the office's file store: {', '.join(missing)}；"
                "请用 `zhifa evidence add CASE FILE…` 存入 add files with evidence add"
            )
