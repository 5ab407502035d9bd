"""What `verify` checks across the office, beyond each case's own chain: every act's signature
against the register as of its date, the staff table against the register, the counters
against the numbers issued (gap-free, never reused), and — against a checkpoint — that every
chain it commits to is still there, no shorter, and unchanged up to its leaf.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from workflow.events import Event
from workflow.register import RegisterHistory
from workflow.signatures import check_approval_refs, check_events
from workflow.verify import Problem

CHECKPOINT = "@checkpoint"
COUNTERS = "@counters"
STAFF = "@staff"
NUMBER = re.compile(r"〔(\d{4})〕(\d+)号$")
CASE_ID = re.compile(r"^(.+)-(\d{4})-(\d+)$")


def staff_table_problems(rows: Iterable[Any], history: RegisterHistory) -> list[Problem]:
    """The staff table must be exactly the register as its signed changes leave it."""
    from workflow.store import row_to_person

    current = history.current.people
    problems = []
    seen = set()
    for row in rows:
        seen.add(row.name)
        entry = current.get(row.name)
        if entry is None:
            problems.append(Problem(STAFF, None, f"人员表中的 {row.name} 没有名录记录 is in the staff "
                                    "table but no signed register change added them"))  # fmt: skip
            continue
        keys = json.loads(row.keys or "[]")
        if row_to_person(row) != entry.person or keys != [k.as_dict() for k in entry.keys]:
            problems.append(Problem(STAFF, None, f"人员表中 {row.name} 的记录与名录不符 the staff "
                                    "table's row differs from the signed register (edited?)"))  # fmt: skip
    for name in sorted(set(current) - seen):
        problems.append(Problem(STAFF, None, f"{name} 不在人员表中 is missing from the staff table"))
    return problems


class OfficeAudit:
    """Collects what each case issued while verify walks the cases, then judges the office."""

    def __init__(self, history: RegisterHistory, approvals: Mapping[int, Event],
                 against: dict[str, Any] | None) -> None:  # fmt: skip
        self.history = history
        self.approvals = approvals
        self.against = against
        self.leaves = {c: (s, h) for c, s, h in against["leaves"]} if against else {}
        #: (counter kind, year) -> serials issued, as the events record them
        self.issued: dict[tuple[str, int], Issued] = defaultdict(Issued)
        #: the checkpoint's chains met on the way
        self.seen: set[str] = set()

    def case(self, cid: str, events: list[Event], machines: Mapping[str, Any],
             crypto: bool = True) -> list[Problem]:  # fmt: skip
        if cid in self.leaves:
            self.seen.add(cid)
        problems = check_events(cid, events, self.history, crypto)
        problems += check_approval_refs(cid, events, self.approvals)
        problems += self._leaf(cid, events)
        self._collect(cid, events, machines)
        return problems

    def _collect(self, cid: str, events: list[Event], machines: Mapping[str, Any]) -> None:
        procedure = events[0].data.get("procedure") if events else None
        matched = CASE_ID.match(cid)
        if matched and procedure in machines:
            self.issued[(f"case:{procedure}", int(matched.group(2)))].add(
                int(matched.group(3)), cid, None)
        for e in events:
            for doc in e.documents:
                found = NUMBER.search(str(doc.get("number", "")))
                if found:
                    self.issued[(f"doc:{doc.get('kind')}", int(found.group(1)))].add(
                        int(found.group(2)), cid, e.seq)

    def _leaf(self, chain: str, events: list[Event]) -> list[Problem]:
        """The chain still holds the checkpoint's leaf: no shorter, the same hash at its seq."""
        if chain not in self.leaves:
            return []
        seq, digest = self.leaves[chain]
        taken = self.against["statement"]["taken_at"] if self.against else ""
        if not events or events[-1].seq < seq:
            have = events[-1].seq if events else 0
            return [Problem(chain, seq, f"截断 truncated: the checkpoint of {taken} has event #{seq}, "
                            f"the record now ends at #{have}")]  # fmt: skip
        at = next((e for e in events if e.seq == seq), None)
        if at is None or at.hash != digest:
            return [Problem(chain, seq, f"被改动 altered: event #{seq} is not the one the "
                            f"checkpoint of {taken} committed to")]  # fmt: skip
        return []

    def office(self, chains: Mapping[str, list[Event]], counters: list[tuple[str, int, int]],
               machines: Mapping[str, Any]) -> list[Problem]:  # fmt: skip
        """Counters against the numbers issued; chains of the checkpoint that are gone."""
        problems = []
        for chain, events in chains.items():
            problems += self._leaf(chain, events)
        for chain, (seq, _) in sorted(self.leaves.items()):
            if not chain.startswith("@") and chain not in self.seen:
                problems.append(Problem(chain, seq, "整案被删除 deleted: the checkpoint has this case "
                                        f"up to event #{seq}; it is no longer recorded"))  # fmt: skip
        return problems + self._counters(counters, machines)

    def _counters(self, counters: list[tuple[str, int, int]], machines: Mapping[str, Any]
                  ) -> list[Problem]:  # fmt: skip
        problems = []
        values = {(k, y): v for k, y, v in counters}
        if self.against:
            for kind, year, value in self.against["counters"]:
                if values.get((kind, year), 0) < value:
                    problems.append(Problem(COUNTERS, None, f"计数器被回拨 counter {kind} {year} is "
                                            f"{values.get((kind, year), 0)}, the checkpoint had {value}"))  # fmt: skip
        for key in sorted(set(values) | set(self.issued)):
            problems += _counter(key, values.get(key, 0), self.issued.get(key) or Issued(), machines)
        return problems

    def checkpoint_problems(self) -> list[Problem]:
        """The checkpoint itself: its leaves give its root, and its taker signed it."""
        if not self.against:
            return []
        from workflow.checkpoint import self_check, statement_text
        from workflow.keys import verify_signature

        doc = self.against
        problems = [Problem(CHECKPOINT, None, p) for p in self_check(doc)]
        statement, sig = doc["statement"], doc["signature"]
        state = self.history.as_of(statement["taken_on"])
        entry = state.people.get(statement["taken_by"])
        keys = {k.id: k.public_key for k in entry.current_keys()} if entry else {}
        public = keys.get(sig["key"])
        if public is None or not verify_signature(sig["alg"], public, sig["value"],
                                                  statement_text(statement)):  # fmt: skip
            problems.append(Problem(CHECKPOINT, None, "检查点签名无效 the checkpoint is not signed "
                                    f"by a key registered for {statement['taken_by']} on "
                                    f"{statement['taken_on']}"))  # fmt: skip
        return problems


class Issued:
    """The serials of one counter the events record, in a byte per serial (how many times it
    was issued, up to twice) rather than a list of every issue: verify's memory stays flat."""

    DENSE = 1 << 24  # serials beyond this (a forged number) are counted apart

    def __init__(self) -> None:
        self.times = bytearray()
        self.far: Counter[int] = Counter()
        self.top = 0
        #: where the highest serial was first issued: (case, seq or None for a case number)
        self.top_at: tuple[str, int | None] = ("", None)

    def add(self, serial: int, cid: str, seq: int | None) -> None:
        if serial >= self.DENSE:
            self.far[serial] += 1
        else:
            if serial >= len(self.times):
                self.times.extend(bytes(max(serial + 1, 2 * len(self.times)) - len(self.times)))
            self.times[serial] = min(self.times[serial] + 1, 2)
        if serial > self.top or not self.top_at[0]:
            self.top, self.top_at = max(serial, self.top), (cid, seq)

    def missing(self, upto: int, first: int = 10) -> list[int]:
        """The first `first` serials of 1..upto never issued (a forged number far ahead
        leaves a long gap: only its start is needed)."""
        found: list[int] = []
        n = 1
        while n <= upto and len(found) < first:
            if n < len(self.times):
                at = self.times.find(0, n, min(upto + 1, len(self.times)))
                if at == -1:
                    n = len(self.times)
                    continue
                found.append(at)
                n = at + 1
            else:
                if not self.far.get(n):
                    found.append(n)
                n += 1
        return found

    def repeated(self) -> list[int]:
        """The serials issued more than once."""
        found, at = [], self.times.find(2)
        while at != -1:
            found.append(at)
            at = self.times.find(2, at + 1)
        return found + sorted(n for n, times in self.far.items() if times > 1)


def _counter(key: tuple[str, int], value: int, issued: Issued,
             machines: Mapping[str, Any]) -> list[Problem]:  # fmt: skip
    """One counter: gap-free, never reused — exactly the numbers 1..value were issued."""
    kind, year = key
    where = COUNTERS
    top = issued.top
    problems = []
    if value < top:
        cid, seq = issued.top_at
        problems.append(Problem(cid if seq else where, seq, f"计数器落后 counter {kind} {year} is at "
                                f"{value} but number {top} was issued: numbers would be reused"))  # fmt: skip
    missing = issued.missing(max(value, top))
    if missing:
        shown = ", ".join(str(n) for n in missing)
        what = _case_ids(kind, year, missing, machines) if kind.startswith("case:") else shown
        problems.append(Problem(where, None, f"编号缺失 {kind} {year}: number(s) {what} were issued "
                                "but are recorded nowhere (deleted?)"))  # fmt: skip
    repeated = issued.repeated()
    if repeated:
        problems.append(Problem(where, None, f"编号重复 {kind} {year}: number(s) "
                                f"{', '.join(map(str, repeated))} issued twice"))  # fmt: skip
    return problems


def _case_ids(kind: str, year: int, serials: list[int], machines: Mapping[str, Any]) -> str:
    machine = machines.get(kind.split(":", 1)[1])
    prefix = machine.procedure.prefix if machine is not None else "?"
    return ", ".join(f"{prefix}-{year}-{n:04d}" for n in serials[:10])

