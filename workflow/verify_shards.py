"""Whole-office `verify` spread over processes: the cases split into contiguous shards by id,
each shard verified by a forked worker exactly as one process would verify it, the results
joined in shard order — the same problems, in the same order, as a single pass.

Each worker opens its own database connections (a connection never crosses a fork). On
PostgreSQL every worker reads in the snapshot the parent exported (`pg_export_snapshot`, as
`pg_dump --jobs` does), so all shards see the office at one instant; SQLite gives each worker
the snapshot of its first read. Where `fork` is not available (Windows) verify runs in one
process.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from workflow.office_audit import Issued
from workflow.verify import Problem

#: below this many cases per worker, forking costs more than it saves
MIN_CASES_PER_JOB = 1000
MAX_JOBS = 16


@dataclass
class ShardResult:
    """What one shard's pass found and gathered for the office-wide checks."""

    problems: list[Problem] = field(default_factory=list)
    due: dict[str, str] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    issued: dict[tuple[str, int], Issued] = field(default_factory=dict)
    #: the cases found sound, as a verifier's seal keeps them (workflow/verify_seal.py)
    leaves: dict[str, tuple[Any, bool]] = field(default_factory=dict)


def default_jobs() -> int:
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MAX_JOBS))


def can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def merge_issued(into: dict[tuple[str, int], Issued], more: dict[tuple[str, int], Issued]) -> None:
    """The serials two shards issued, as one pass would have counted them."""
    for key, other in more.items():
        mine = into.get(key)
        if mine is None:
            into[key] = other
            continue
        if len(other.times) > len(mine.times):
            mine.times.extend(bytes(len(other.times) - len(mine.times)))
        for serial in range(1, len(other.times)):
            if other.times[serial]:
                mine.times[serial] = min(mine.times[serial] + other.times[serial], 2)
        mine.far.update(other.far)
        if other.top > mine.top or (other.top == mine.top and not mine.top_at[0]):
            mine.top, mine.top_at = other.top, other.top_at


#: the one shard pass a forked worker runs: (lo, hi, snapshot) -> its result
ShardPass = Callable[[str | None, str | None, str | None], ShardResult]
_PASS: ShardPass | None = None  # set in the parent before forking; the workers inherit it


def _run_shard(bounds: tuple[str | None, str | None, str | None]) -> ShardResult:
    assert _PASS is not None
    return _PASS(*bounds)


def run_shards(shard_pass: ShardPass, bounds: list[str], snapshot: str | None,
               before_fork: Callable[[], None]) -> list[ShardResult]:  # fmt: skip
    """Each shard [lo, hi) of `bounds` through `shard_pass` in a worker of its own; the
    results in shard order."""
    global _PASS
    import multiprocessing

    edges: list[str | None] = [None, *bounds, None]
    shards = [(edges[i], edges[i + 1], snapshot) for i in range(len(edges) - 1)]
    _PASS = shard_pass
    before_fork()
    try:
        with multiprocessing.get_context("fork").Pool(len(shards)) as pool:
            return pool.map(_run_shard, shards, chunksize=1)
    finally:
        _PASS = None


@contextmanager
def exported_snapshot(engine: Any) -> Iterator[str | None]:
    """On PostgreSQL, a snapshot held open for the workers to share (on a connection of its
    own, outside the office's pool, which is emptied before forking); None elsewhere."""
    if engine.dialect.name != "postgresql":
        yield None
        return
    import sqlalchemy as sa

    holder = sa.create_engine(engine.url, poolclass=sa.pool.NullPool)
    try:
        with holder.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield str(conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one())
    finally:
        holder.dispose()
