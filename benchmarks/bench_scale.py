"""Benchmark: what each command costs at a province's scale (issue 16). Prints figures; asserts
nothing but that every command ran and `verify` passed.

    .venv/bin/python benchmarks/bench_scale.py [--n 10000 100000] [--pg] [--pg-only] [--million]

For each N, an office of N cases is built by the bulk loader (benchmarks/scale_loader.py: a
dozen cases driven through the office, the rest cloned with every hash and signature
recomputed, so that `verify` passes), then each command runs as a user runs it — the installed
`zhifa`, one process per command — and its wall time and peak memory (the child's maxrss) are
printed: `alerts`, the first page of `case list --state review`, `case show`, `case actions`,
`report annual`, `publish site` (the whole site, then again after one new publication),
`verify` (the whole office), and the database's size per case.

SQLite (a file in a temporary folder) always; PostgreSQL too with --pg when ZHIFA_TEST_PG_URL
names a server (a schema of its own, dropped after). --million adds N = 1,000,000 on
PostgreSQL. Goals (issue 16, at 100k): alerts, the first page, case show and case actions each
< 1 s; publish site after one new publication < 5 s; verify < 60 s with < 200 MB.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
import yaml
from scale_loader import IN_REVIEW, PUBLISHER, UNPUBLISHED_DECIDED, load

from workflow.keys import Keyring
from workflow.scenarios import STAFF
from workflow.service import Office, open_office
from workflow.store import Store

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 24)
REGISTER_START = date(2020, 1, 2)
PG_ENV = "ZHIFA_TEST_PG_URL"
AUDITOR = "吴敏"  # runs verify with their own key


@dataclass
class Figure:
    command: str
    seconds: float
    peak_mb: float
    ok: bool
    log: Path


def write_config(folder: Path, url: str) -> Path:
    """The repository's example config.yaml, pointed at `url`, as a training office (acts dated
    back freely)."""
    settings = yaml.safe_load((ROOT / "config.yaml").read_text("utf-8"))
    settings["database"]["url"] = url
    settings["periods"]["backdate_working_days"] = 3650
    settings["files"]["dir"] = str(folder / "files")
    for key in ("powers", "discretion"):
        settings["publicity"][key] = str(ROOT / settings["publicity"][key])
    config = folder / "config.yaml"
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
    return config


def staffed_office(config: Path, url: str, keys: Path | None = None) -> Office:
    """The office of `config` with the demo staff, each signing with a key held in memory, or
    written to `keys` (the folder `zhifa` then reads them from: ZHIFA_KEYS)."""
    Store(url).migrate()
    keyring = Keyring(keys)
    office = open_office(config, clock=lambda: TODAY, signer=keyring)
    keyring.generate("管理员")
    office.open_register("管理员", REGISTER_START)
    for person in STAFF:
        office.add_staff("管理员", person, keyring.generate(person.name).public_key, REGISTER_START)
    return office


def zhifa() -> list[str]:
    installed = Path(sys.executable).parent / "zhifa"
    return [str(installed)] if installed.exists() else [sys.executable, "-c", "from cli import main; main()"]


#: Runs the command and prints its wall time, peak memory and exit code. A process forked from
#: this (large) one would report this one's memory as its own peak (Linux keeps maxrss across
#: exec), so the command is forked from this small launcher instead.
LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(proc.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
      file=sys.stderr)
"""


def run(label: str, args: list[str], env: dict[str, str], log: Path) -> Figure:
    """Wall seconds, peak memory (the process's maxrss) and success of one command."""
    with log.open("wb") as out:
        done = subprocess.run([sys.executable, "-c", LAUNCHER, *zhifa(), *args], env=env,
                              stdout=out, stderr=subprocess.PIPE, text=True, check=True)  # fmt: skip
    wall, kib, code = done.stderr.split()[-3:]
    with log.open("a") as out:
        out.write(done.stderr)
    return Figure(label, float(wall), int(kib) / 1024, code == "0", log)


def database_bytes(url: str, folder: Path) -> int:
    if url.startswith("sqlite"):
        return sum(p.stat().st_size for p in folder.glob("scale.db*"))
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        size = conn.execute(sa.text(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')")).scalar_one()  # fmt: skip
    engine.dispose()
    return int(size)


@dataclass
class Built:
    loaded: float
    events: int
    size: int


def measure(office: Office, folder: Path, url: str, n: int) -> tuple[list[Figure], Built]:
    """Every command's figure, and the load time, events and database bytes of `n` cases."""
    start = time.perf_counter()
    newest = load(office, n)
    loaded = time.perf_counter() - start
    with office.store.engine.begin() as conn:
        if url.startswith("postgresql"):
            conn.execute(sa.text("ANALYZE"))
        events = conn.execute(sa.text("SELECT COUNT(*) FROM events")).scalar_one()
    env = {**os.environ, "ZHIFA_CONFIG": str(folder / "config.yaml"), "ZHIFA_DATABASE_URL": url,
           "ZHIFA_TODAY": TODAY.isoformat(), "ZHIFA_KEYS": str(folder / "keys"),
           "COLUMNS": "160"}  # fmt: skip
    in_review = newest[IN_REVIEW]
    site = folder / "site"
    commands = [
        ("alerts --within 5", ["alerts", "--within", "5"]),
        ("case list --state review", ["case", "list", "--state", "review"]),
        # a case being drafted (类案推送), first and again: the search index is written by the
        # acts and the loader, so the first costs what the next does (before 0009 the first
        # indexed every case)
        ("case show (first)", ["case", "show", in_review]),
        ("case show", ["case", "show", in_review]),
        ("case actions", ["--as", "陈静", "case", "actions", in_review]),
        ("report annual 2026", ["report", "annual", "2026"]),
        ("publish site (whole)", ["publish", "site", "--out", str(site)]),
    ]
    figures = [run(label, args, env, folder / f"{i}.log") for i, (label, args) in enumerate(commands)]
    office.publish(newest[UNPUBLISHED_DECIDED], PUBLISHER, TODAY)
    figures.append(run("publish site (1 new)", ["publish", "site", "--out", str(site)], env,
                       folder / "site2.log"))  # fmt: skip
    # the auditor's first verify checks everything and remembers it, signed with their key;
    # the next one checks in full only what changed since (nothing here: the lower bound)
    figures.append(run("verify (whole office)", ["--as", AUDITOR, "verify"], env,
                       folder / "verify.log"))  # fmt: skip
    figures.append(run("verify (again, unchanged)", ["--as", AUDITOR, "verify"], env,
                       folder / "verify2.log"))  # fmt: skip
    for figure in figures:
        if not figure.ok:
            print(f"--- {figure.command} failed:\n{figure.log.read_text('utf-8', 'replace')[-3000:]}")
    return figures, Built(loaded, int(events), database_bytes(url, folder))


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    """A schema of its own on the server (dropped after): the URL to it."""
    name = f"bench_scale_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {name}"))
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{name}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {name} CASCADE"))
        admin.dispose()


def one_store(kind: str, n: int, base: str | None) -> bool:
    """Build, measure and print one office; True if every command ran and verify passed."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if kind == "SQLite":
            return report(kind, n, folder, f"sqlite:///{folder / 'scale.db'}")
        assert base is not None
        with pg_schema(base) as url:
            return report(kind, n, folder, url)


def report(kind: str, n: int, folder: Path, url: str) -> bool:
    office = staffed_office(write_config(folder, url), url, folder / "keys")
    try:
        figures, built = measure(office, folder, url, n)
    finally:
        office.store.dispose()
    print(f"\n{kind}, {n:,} cases, {built.events:,} events (loaded in {built.loaded:.1f} s; "
          f"{built.size / n / 1024:.1f} KiB per case, {built.size / 2**20:,.0f} MiB in all)")  # fmt: skip
    print(f"  {'command':<28}{'wall s':>9}{'peak MB':>10}  result")
    for f in figures:
        rate = f"  ({built.events / f.seconds:,.0f} events/s)" if f.command.startswith("verify") else ""
        print(f"  {f.command:<28}{f.seconds:>9.2f}{f.peak_mb:>10.0f}  {'ok' if f.ok else 'FAILED'}{rate}")
    shutil.rmtree(folder / "site", ignore_errors=True)
    return all(f.ok for f in figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--pg", action="store_true", help=f"also on PostgreSQL (${PG_ENV})")
    parser.add_argument("--pg-only", action="store_true", help="PostgreSQL only")
    parser.add_argument("--million", action="store_true", help="add 1,000,000 on PostgreSQL")
    args = parser.parse_args()
    base = os.environ.get(PG_ENV)
    runs = [] if args.pg_only else [("SQLite", n) for n in args.n]
    if args.pg or args.pg_only or args.million:
        if not base:
            sys.exit(f"--pg needs {PG_ENV}")
        runs += [("PostgreSQL", n) for n in args.n if args.pg or args.pg_only]
        runs += [("PostgreSQL", 1_000_000)] if args.million else []
    print(f"bench_scale on {os.cpu_count()} cores; goals at 100k: paged commands < 1 s, "
          "publish site (1 new) < 5 s, verify < 60 s and < 200 MB")
    ok = [one_store(kind, n, base) for kind, n in runs]
    if not all(ok):
        sys.exit("some command failed (see above)")


if __name__ == "__main__":
    main()
