"""Integrity: verify every case's chain, its replay, its stored row, its notices and files
(执法全过程记录, 可回溯管理). Every problem is reported with its case and sequence number."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from rules.model import Case
from workflow.errors import NotFoundError, WorkflowError
from workflow.events import Event
from workflow.keys import keys_dir
from workflow.notices import NoticeChecker
from workflow.office_audit import OfficeAudit, staff_table_problems
from workflow.office_files import RecordDesk
from workflow.register import REGISTER
from workflow.signatures import check_approvals, check_register
from workflow.signing import APPROVALS
from workflow.verify import Problem, bulk, check_chain, verify_case
from workflow.verify_shards import ShardResult, merge_issued


class IntegrityDesk(RecordDesk):
    """`verify`: one case or the whole office."""

    def verify(self, case_id: str | None = None, against: dict[str, Any] | None = None,
               jobs: int | None = None) -> list[Problem]:  # fmt: skip
        """Check one case or all: chain, hashes, signatures against the register as of each
        act's date, the stored case against its replay; for the whole office also the register,
        the approvals, the staff table and the counters; against a checkpoint (a loaded
        checkpoint file), that nothing it commits to was removed, truncated or altered.
        The whole office is checked by `jobs` processes (default: one per core, for offices
        large enough to gain by it; workflow/verify_shards.py), with the same result."""
        return self._verify(case_id, against, jobs, None)[0]

    def verify_remembering(self, name: str, against: dict[str, Any] | None = None,
                           jobs: int | None = None, full: bool = False
                           ) -> tuple[list[Problem], dict[str, Any]]:  # fmt: skip
        """The whole office verified by `name`, trusting what their own seal says they verified
        before (unless `full`), then sealing what is sound now with their key
        (workflow/verify_seal.py). With what was done: cases checked in full and by seal, and
        why no seal was used or kept."""
        from workflow import verify_seal
        from workflow.events import utc_now
        from workflow.signing import signing_key

        info: dict[str, Any] = {"by": name, "used": False, "kept": False, "why": "", "sound": 0,
                                "by_seal": 0}  # fmt: skip
        opening = next(iter(self.store.chain(REGISTER)), None)  # the register's trust root
        state = self.register_history().as_of(self.clock())
        entry = state.people.get(name)
        if opening is None or entry is None or not entry.person.active:
            info["why"] = f"{name} 不是在岗人员 is not in post: 不记住核验结果 nothing is remembered"
            problems = self._verify(None, against, jobs, None)[0]
            return problems, info
        office = f"{opening.sig_key}|{self.store.engine.url.render_as_string(hide_password=True)}"
        where = verify_seal.context(office, self.policy)
        path = verify_seal.seal_path(keys_dir(), office, name)
        publics = {k.id: k.public_key for k in entry.current_keys()}
        seal, why = (None, "全面核验 --full") if full else verify_seal.read_seal(path, where, name, publics)
        info["used"], info["why"] = seal is not None, why
        problems, leaves = self._verify(None, against, jobs, seal.leaves if seal else {})
        info["sound"] = len(leaves)
        info["by_seal"] = sum(1 for _, vouched in leaves.values() if vouched)
        key = signing_key(self.signer, state, name)
        if key is None:
            info["why"] = (info["why"] + "；" if info["why"] else "") + \
                f"本机没有 {name} 的签名密钥，不能记住核验结果 no key of {name}'s here to sign the seal"
            return problems, info
        kept = {cid: leaf for cid, (leaf, _) in leaves.items()}
        del leaves
        verify_seal.write_seal(path, kept, where, name, key, utc_now())
        info["kept"], info["path"] = True, str(path)
        return problems, info

    def _verify(self, case_id: str | None, against: dict[str, Any] | None, jobs: int | None,
                trusted: dict[str, Any] | None) -> tuple[list[Problem], dict[str, Any]]:  # fmt: skip
        """The check; with `trusted` (a seal's leaves, possibly none), also the leaves of the
        cases found sound, each with whether the seal vouched for it."""
        history = self.register_history()
        approvals = self.store.chain(APPROVALS)
        problems: list[Problem] = []
        if case_id is None:
            problems += (check_register(history) + staff_table_problems(self.store.staff_rows(), history)
                         + check_approvals(approvals, history))  # fmt: skip
        audit = OfficeAudit(history, {e.seq: e for e in approvals}, against)
        if case_id is not None:
            row, events = self.store.case_row(case_id), self.store.events(case_id)
            if case_id.startswith("@") or (row is None and not events):
                raise NotFoundError(f"没有此案件 no case {case_id!r}")
            shards = [self._verify_cases([(case_id, events, row)], audit, None)]
        else:
            shards = self._verify_shards(audit, jobs, trusted)
        due: dict[str, str] = {}  # each case's open obligations, as its snapshot gives them
        leaves: dict[str, Any] = {}
        while shards:  # each shard's result let go once joined: memory holds one copy
            shard = shards.pop(0)
            problems += shard.problems
            due.update(shard.due)
            leaves.update(shard.leaves)
            audit.seen |= shard.seen
            merge_issued(audit.issued, shard.issued)
            del shard
        problems += self._deadline_rows(due, case_id)
        if case_id is None:
            chains = {REGISTER: history.events, APPROVALS: approvals}
            problems += audit.office(chains, self.store.counters(), self.engine.machines)
        return problems + audit.checkpoint_problems(), leaves

    def _verify_shards(self, audit: OfficeAudit, jobs: int | None, trusted: dict[str, Any] | None
                       ) -> list[ShardResult]:  # fmt: skip
        """Every case, in one pass here or in shards over forked workers."""
        from workflow import verify_shards as shards

        wanted = shards.default_jobs() if jobs is None else max(1, jobs)
        bounds = self.store.shard_bounds(wanted) if wanted > 1 and shards.can_fork() else []
        if jobs is None and bounds and self.store.count_cases() < shards.MIN_CASES_PER_JOB * (len(bounds) + 1):
            bounds = []
        if not bounds:
            return [self._verify_cases(self.store.histories(), audit, trusted)]

        def shard_pass(lo: str | None, hi: str | None, snapshot: str | None) -> ShardResult:
            self.store.engine.dispose(close=False)  # never a connection of the parent's
            mine = OfficeAudit(audit.history, audit.approvals, audit.against)
            result = self._verify_cases(self.store.histories(lo=lo, hi=hi, snapshot=snapshot),
                                        mine, trusted)  # fmt: skip
            result.seen, result.issued = mine.seen, dict(mine.issued)  # for the parent's audit
            return result

        with shards.exported_snapshot(self.store.engine) as snapshot:
            return shards.run_shards(shard_pass, bounds, snapshot, self.store.engine.dispose)

    def _verify_cases(self, histories: Iterable[tuple[str, list[Event], Any]], audit: OfficeAudit,
                      trusted: dict[str, Any] | None) -> ShardResult:  # fmt: skip
        """Each case of `histories` checked on its own, one in memory at a time; what the
        office-wide checks need is gathered in `audit`. With `trusted` (a seal's leaves), a
        case still as sealed is checked without its signatures and notices, and every case
        found sound gets its leaf."""
        from workflow.verify_seal import leaf_of, still_sealed

        result = ShardResult()
        checker = NoticeChecker(self.store.bundles())
        machines = self.engine.machines
        with bulk():
            for cid, events, row in histories:
                leaf = trusted.get(cid) if trusted else None
                # sealed: re-hashed and re-linked; anything wrong, and it is checked in full
                if leaf is not None and still_sealed(leaf, events, row) and not check_chain(cid, events):
                    problems = self._check_files(cid, events)
                    problems += audit.case(cid, events, machines, crypto=False)
                    due = leaf[2]
                else:
                    leaf = None
                    problems, due = self._verify_one(cid, row, checker, events)
                    problems += audit.case(cid, events, machines)
                result.problems += problems
                if row is not None:
                    result.due[cid] = due
                    if trusted is not None and not problems and events:
                        result.leaves[cid] = (leaf_of(events, row, due), leaf is not None)
        return result

    def _deadline_rows(self, due: dict[str, str], case_id: str | None) -> list[Problem]:
        """The open-obligation rows `alerts` reads (workflow/deadline_rows.py) against what each
        case's record gives: a row deleted, added or moved hides a case from supervision or
        raises a false alarm. Rows of an older basis (config changed since) are recomputed by
        the next `alerts`, not judged here."""
        from rules.deadlines import basis
        from workflow.deadline_rows import expected

        if self.store.deadline_basis() != basis(self.policy):
            return []
        problems, none = [], expected([])
        for cid, found in self.store.stored_deadlines(case_id):
            if due.pop(cid, none) != found:
                problems.append(Problem(cid, None, "期限记录与案件不符 the open deadlines `alerts` "
                                        "reads differ from what the case's record gives"))  # fmt: skip
        problems += [Problem(cid, None, "期限记录缺失 the open deadlines `alerts` reads are "
                             "missing for this case") for cid, want in due.items() if want != none]  # fmt: skip
        return problems

    def _verify_one(self, cid: str, row: Any, checker: NoticeChecker, events: list[Event]
                    ) -> tuple[list[Problem], str]:  # fmt: skip
        """One case: its events against each other, its stored row against their replay, and
        every recorded notice against its rendering from the record; with the fingerprint of
        the open obligations its stored row gives (what the `alerts` rows must hold)."""
        from workflow.deadline_rows import expected

        procedure, problems = recorded_procedure(cid, events, row, self.engine.machines)
        if procedure is None:
            return problems, ""
        stored = json.loads(row.snapshot) if row is not None else None
        notices = checker.of_case(cid)
        problems += verify_case(cid, procedure, events, stored, notices)
        due = ""
        if row is not None and stored is not None:
            try:  # a snapshot that cannot be read is reported by the replay check
                figures, open_deadlines = self.derived(Case.from_dict(stored))
                due = expected(open_deadlines)
            except (TypeError, KeyError, ValueError, WorkflowError):
                figures = {}
            problems += _row_matches_snapshot(cid, row, stored, figures)
        return problems + notices.problems + self._check_files(cid, events), due


def recorded_procedure(
    case_id: str, events: list[Event], row: Any, known: Mapping[str, Any]
) -> tuple[str | None, list[Problem]]:
    """The procedure the history itself names (its opening event), never the id's shape."""
    named = events[0].data.get("procedure") if events else None
    procedure = named or (row.procedure if row is not None else None)
    problems = []
    if named and row is not None and row.procedure != named:
        problems.append(Problem(case_id, None, f"案件行的程序与立案记录不符 case row says procedure {row.procedure!r} but "
                                f"its opening event records {named!r}"))  # fmt: skip
    if procedure not in known:
        what = f"未知程序 unknown procedure {procedure!r}" if procedure else "未记录程序 no procedure recorded"
        problems.append(Problem(case_id, events[0].seq if events else None,
                                f"{what}: the history cannot be replayed"))  # fmt: skip
        return None, problems
    return str(procedure), problems


def _row_matches_snapshot(
    case_id: str, row: Any, stored: dict[str, Any], figures: dict[str, Any]
) -> list[Problem]:
    """The indexed columns of the case row, and its figures for the annual statistics, must
    say what its snapshot says."""
    opened = row.opened_on.isoformat() if hasattr(row.opened_on, "isoformat") else row.opened_on
    pairs = {
        "state": (row.state, stored.get("state")),
        "version": (row.version, stored.get("version")),
        "last_hash": (row.last_hash, stored.get("last_hash")),
        "procedure": (row.procedure, stored.get("procedure")),
        "title": (row.title, stored.get("title")),
        "party": (row.party, (stored.get("party") or {}).get("name", "")),
        "opened_on": (opened, stored.get("opened_on") or None),
    }
    for name, value in figures.items():
        have = getattr(row, name, None)
        pairs[name] = (bool(have) if isinstance(value, bool) else have, value)
    bad = [k for k, (a, b) in pairs.items() if a != b]
    if not bad:
        return []
    return [
        Problem(case_id, None, f"案件行与其快照不符 case row columns disagree with its snapshot: {', '.join(bad)}")
    ]


class CheckpointDesk(IntegrityDesk):
    """Office-wide checkpoints (workflow/checkpoint.py): taken, signed, kept."""

    def take_checkpoint(self, actor_name: str | None) -> dict[str, Any]:
        """A checkpoint over every chain and counter, signed by the person taking it (in post
        today, with their registered key); recorded in the office, returned to be kept
        elsewhere."""
        from rules.model import Reason
        from workflow.checkpoint import make_checkpoint
        from workflow.errors import RefusedError
        from workflow.events import canonical, utc_now
        from workflow.signing import no_key, signing_key

        today = self.clock()
        state = self.register_history().as_of(today)
        entry = state.people.get(actor_name or "")
        if entry is None or not entry.person.active:
            raise RefusedError(None, "checkpoint", "-", [Reason(
                "not_in_post", f"{actor_name or '（未指明）'} 不是在岗人员，不能签署检查点", "人员名录管理")])  # fmt: skip
        key = signing_key(self.signer, state, entry.person.name)
        if key is None:
            raise RefusedError(None, "checkpoint", "-", [no_key(entry.person.name, today)])
        heads, counters = self.store.heads()
        doc = make_checkpoint(heads, counters, self.policy.agency, entry.person.name,
                              today.isoformat(), utc_now(), key)  # fmt: skip
        st = doc["statement"]
        self.store.record_checkpoint(st["root"], st["taken_at"], st["size"], st["taken_by"],
                                     canonical({"statement": st, "signature": doc["signature"]}))  # fmt: skip
        return doc

    def latest_checkpoint(self) -> dict[str, Any] | None:
        """The statement of the latest checkpoint taken (root, size, who, when), if any."""
        kept = self.store.latest_checkpoint()
        return dict(kept["statement"]) if kept else None

    def checkpoint_freshness(self) -> dict[str, Any]:
        """How old the latest checkpoint is: a case or a last event deleted since it is found
        only `--against` a checkpoint, so `verify` warns when there is none newer than
        `periods.checkpoint_days` (taken_on None: never taken)."""
        from datetime import date

        latest, today = self.latest_checkpoint(), self.clock()
        limit = self.policy.periods.checkpoint_days
        if latest is None:
            return {"taken_on": None, "days_ago": None, "limit_days": limit, "stale": True}
        # a training clock (ZHIFA_TODAY) may stand before the real day a checkpoint was taken
        days = max(0, (today - date.fromisoformat(str(latest["taken_on"]))).days)
        return {"taken_on": latest["taken_on"], "days_ago": days, "limit_days": limit,
                "stale": days > limit}  # fmt: skip
