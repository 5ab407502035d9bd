"""zhifa — the terminal for clerks and auditors. Parse, call the engine, print; no rule lives here."""

from __future__ import annotations

import copy
import functools
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

if TYPE_CHECKING:
    from workflow.keys import Keyring
    from workflow.service import Office
    from workflow.store import Store

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="zhifa",
    help="执法 zhifa — 行政执法案件办理（立案→调查取证→法制审核→决定→送达→归档）。\n\n"
    "Example: zhifa --as 王明 case actions P-2026-0001",
    no_args_is_help=True,
    add_completion=True,  # `zhifa --install-completion` (bash, zsh, fish, PowerShell)
    # plain help, as click lays it out: a flag is shown as a flag (`--json`), an option that
    # takes a value with its type (`--within <int>`); typer's rich panels show `--json <bool>`
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
)
case_app = typer.Typer(help="案件 cases: open, act, show, replay.", no_args_is_help=True)
staff_app = typer.Typer(help="人员名录 staff register.", no_args_is_help=True)
db_app = typer.Typer(help="数据库 database schema.", no_args_is_help=True)
calendar_app = typer.Typer(help="工作日历 working-day calendar.", no_args_is_help=True)
notice_app = typer.Typer(help="执法文书 notices: list, show, export.", no_args_is_help=True)
evidence_app = typer.Typer(help="证据与音像记录 evidence files.", no_args_is_help=True)
archive_app = typer.Typer(help="归档 archive bundles: export, verify.", no_args_is_help=True)
publish_app = typer.Typer(
    help="公示 publicity: publish results, withdraw, the public website.", no_args_is_help=True
)
report_app = typer.Typer(help="统计 statistics: the annual report.", no_args_is_help=True)
law_app = typer.Typer(
    help="法律库 the law at hand: the statutes zhifa applies, by article.", no_args_is_help=True
)
key_app = typer.Typer(
    help="签名密钥 your own signature keys (电子签名法 Art. 13): make, list.", no_args_is_help=True
)
role_app = typer.Typer(help="岗位 a person's roles: add, remove (admins only).", no_args_is_help=True)
backdate_app = typer.Typer(help="补录审批 a head approves an act dated back.", no_args_is_help=True)
app.add_typer(case_app, name="case")
app.add_typer(notice_app, name="notice")
app.add_typer(evidence_app, name="evidence")
app.add_typer(archive_app, name="archive")
app.add_typer(publish_app, name="publish")
app.add_typer(report_app, name="report")
app.add_typer(staff_app, name="staff")
app.add_typer(db_app, name="db")
app.add_typer(calendar_app, name="calendar")
app.add_typer(law_app, name="law")
cases_app = typer.Typer(help="典型案例 library of typical cases: import.", no_args_is_help=True)
app.add_typer(cases_app, name="cases")
app.add_typer(key_app, name="key")
app.add_typer(backdate_app, name="backdate")
staff_app.add_typer(role_app, name="role")

JSON_OPT = typer.Option(False, "--json", help="One JSON document on stdout.")
FORCE_OPT = typer.Option(False, "--force", help="Replace the file if it already exists.")
ON_OPT = typer.Option(
    None, "--on", metavar="YYYY-MM-DD", help="Date the act happened (default today)."
)


@dataclass
class Options:
    config: str | None = None
    actor: str | None = None
    debug: bool = False


OPTS = Options()


def _version(shown: bool) -> None:
    if shown:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("zhifa")
        except PackageNotFoundError:  # run from a source tree that is not installed
            number = "unknown"
        typer.echo(f"zhifa {number}")
        raise typer.Exit()


@app.callback()
def _main(
    config: str | None = typer.Option(None, "--config", help="config.yaml (or ZHIFA_CONFIG)."),
    actor: str | None = typer.Option(None, "--as", help="Who acts (or ZHIFA_USER)."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks."),
    _show_version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    OPTS.config = config
    OPTS.actor = actor or os.environ.get("ZHIFA_USER")
    OPTS.debug = debug


def _typed_case(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A command's CASE as the office numbers it: p-2026-1 is P-2026-0001."""
    if isinstance(kwargs.get("case_id"), str):
        from workflow.names import case_id_typed

        kwargs["case_id"] = case_id_typed(kwargs["case_id"])
    return kwargs


def handled(fn: F) -> F:
    """Map the product's errors to messages and exit codes; --debug shows the traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from workflow.errors import WorkflowError

        try:
            try:
                return fn(*args, **_typed_case(kwargs))
            except OSError as exc:  # a path the user named: unreadable, unwritable, missing
                if OPTS.debug:
                    raise
                from workflow.errors import BadInputError

                where = f" {exc.filename}" if exc.filename else ""
                raise BadInputError(
                    f"无法读写文件 cannot read or write{where}: {exc.strerror or exc}"
                ) from None
        except WorkflowError as exc:
            if OPTS.debug:
                raise
            from terminal import output

            if kwargs.get("json_out"):
                output.emit_json(output.error_document(exc))
            else:
                output.show_error(exc)
            raise typer.Exit(output.exit_code(exc)) from None
        except (typer.Exit, typer.Abort, typer.TyperException, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: one line for the user, the traceback with --debug
            if OPTS.debug:
                raise
            from terminal.output import show_internal_error

            show_internal_error(exc)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _actor() -> str:
    """Who acts: `--as NAME` or ZHIFA_USER. A command that records or judges an act without
    one is bad input (exit 2), saying how to give it."""
    if OPTS.actor:
        return OPTS.actor
    from workflow.errors import BadInputError

    raise BadInputError("未指明办理人 who acts? 请用 --as 姓名 give --as NAME", [
        f"例如 e.g.: zhifa --as 王明 {_command()} …",
        "或设置默认办理人 or a default: export ZHIFA_USER=王明",
    ])  # fmt: skip


def _command() -> str:
    """The command being run, as typed after `zhifa` (`case do`)."""
    try:
        from typer._click.globals import get_current_context  # typer vendors click
    except ImportError:  # pragma: no cover - another typer
        return "COMMAND"
    ctx = get_current_context(silent=True)
    return " ".join(ctx.command_path.split()[1:]) if ctx else "COMMAND"


def _today() -> date:
    """The office clock; ZHIFA_TODAY fixes it for training and tests (recorded_at stays real)."""
    from workflow.inputs import office_today

    return office_today()


def _store() -> Store:
    """The office database named by config.yaml (or ZHIFA_DATABASE_URL), schema unchecked."""
    from workflow.config import find_config, load_settings
    from workflow.files import private_sqlite
    from workflow.store import Store

    url = load_settings(find_config(OPTS.config)).database_url()
    private_sqlite(url)  # a database `db upgrade` creates is owner-only too
    return Store(url)


def _keyring() -> Keyring:
    """The caller's own keys ($ZHIFA_KEYS or the XDG config folder): `--as` chooses among them."""
    from terminal.signing import ask_passphrase
    from workflow.keys import Keyring

    return Keyring.from_env(ask_passphrase)


def _office() -> Office:
    from workflow.config import find_config
    from workflow.service import open_office

    return open_office(find_config(OPTS.config), _today, _keyring())


def _date(text: str | None) -> date | None:
    from workflow.inputs import parse_date

    return parse_date(text) if text else None


def _view(office: Office, case: Any, as_of: date | None = None) -> dict[str, Any]:
    return office.view(case, as_of)


def _names(kind: str, incomplete: str) -> list[str]:
    """Shell completion: ids of actions, states or procedures (from the definitions alone)."""
    from states.catalog import PROCEDURES

    procs = PROCEDURES.values()
    names = {"procedures": [p.id for p in procs],
             "states": [s.id for p in procs for s in p.states],
             "actions": [a.id for p in procs for a in p.actions]}[kind]  # fmt: skip
    return sorted({n for n in names if n.startswith(incomplete)})


def _parse_data(pairs: list[str], data_file: Path | None, note: str | None) -> dict[str, Any]:
    from workflow.inputs import gather_data

    return gather_data(pairs, data_file, note)


# ---------------------------------------------------------------------------------- office
@app.command()
@handled
def init(
    directory: Path = typer.Argument(Path("."), help="Folder of the new office."),
    agency: str = typer.Option("铁锋区审计局", help="Agency name (执法主体)."),
    short_name: str = typer.Option("铁审", help="Short name for document numbers."),
    admin: str | None = typer.Option(None, help="First admin (default: your login name)."),
    address: str | None = typer.Option(None, help="机关地址."),
    phone: str | None = typer.Option(None, help="联系电话."),
    review_organ: str | None = typer.Option(None, help="行政复议机关, e.g. 铁锋区人民政府."),
    court: str | None = typer.Option(None, help="管辖法院, e.g. 铁锋区人民法院."),
    payment_bank: str | None = typer.Option(None, help="罚没款缴纳银行."),
    since: str | None = typer.Option(None, "--since", help="The register opens on this day (default today)."),
) -> None:
    """Create a new office: config.yaml, powers.yaml and the database, with its first admin,
    bound to the admin's own key (`zhifa key init NAME` first).

    Agency details not given as flags are asked on a terminal; left empty they are written as
    【待填写】, and notices and the public site refuse until they are filled in.

    Example: zhifa init ./office --agency 铁锋区审计局 --short-name 铁审 --admin 张三
    --address 铁锋区政府路1号 --phone 0452-1234567 --review-organ 铁锋区人民政府 --court 铁锋区人民法院
    """
    from workflow.inputs import parse_date

    opened = parse_date(since, latest=_today(), what="--since") if since else _today()
    from terminal import office
    from terminal.output import show_office_created
    from terminal.prompt import ask_missing
    from workflow.config import load_settings

    keyring = _keyring()
    office.check_new(directory, agency, short_name, keyring, admin)  # before anything is asked
    given = {"address": address, "phone": phone, "review_organ": review_organ, "court": court,
             "payment_bank": payment_bank}  # fmt: skip
    details = ask_missing(given, office.AGENCY_DETAILS)
    path = office.create(directory, agency, short_name, admin, details, keyring, opened)
    todo = load_settings(path).placeholders()
    show_office_created(path, office.admin_name(admin), todo)


@app.command()
@handled
def demo(
    directory: Path | None = typer.Argument(
        None, help="Folder for the demo office (default: a new temporary one)."
    ),
) -> None:
    """Run the main job: a penalty case with a hearing and an audit case with a supplement, to archive.

    Example: zhifa demo
    """
    from terminal.demo import run

    raise typer.Exit(run(directory))


@app.command()
@handled
def verify(
    case_id: str | None = typer.Argument(None, metavar="[CASE]"),
    against: Path | None = typer.Option(
        None, "--against", help="A checkpoint file: nothing it holds was removed or altered."
    ),
    jobs: int | None = typer.Option(
        None, "--jobs", "-j", min=1, max=64,
        help="Processes checking the cases (default: one per core on a large office).",
    ),
    full: bool = typer.Option(
        False, "--full", help="Check every case in full, whatever your last verify remembered."
    ),
    json_out: bool = JSON_OPT,
) -> None:
    """Verify integrity: hash chain, every hash and signature, each stored case against its
    replay, the register and the counters; with --against, everything a checkpoint holds.
    With --as NAME (or ZHIFA_USER) the whole office's result is remembered, signed with your
    key: your next verify checks in full only the cases changed since.

    Example: zhifa verify --against 检查点.json
    """
    from terminal import output
    from workflow.checkpoint import load_checkpoint

    checkpoint = load_checkpoint(against) if against is not None else None
    office = _office()
    seal: dict[str, object] | None = None
    if case_id is None and OPTS.actor:
        found, seal = office.verify_remembering(OPTS.actor, checkpoint, jobs, full)
    else:
        found = office.verify(case_id, checkpoint, jobs)
    problems = [p.as_dict() for p in found]
    root, fresh = office.trust_root(), office.checkpoint_freshness()

    def show() -> None:
        output.show_problems(problems, case_id or "全部案件 all cases")
        if seal is not None:
            output.show_seal(seal)
        output.show_trust_root(root)
        output.show_checkpoint_freshness(fresh)

    output.result({"ok": not problems, "problems": problems, "trust_root": root,
                   "checkpoint": fresh, "remembered": seal}, json_out, show)  # fmt: skip
    if problems:
        raise typer.Exit(5)


@app.command()
@handled
def alerts(
    within: int = typer.Option(5, "--within", help="Working days ahead (0–250)."),
    limit: int = typer.Option(50, "--limit", min=0, max=1_000_000,
                              help="List the N most urgent case deadlines (0: all of them)."),
    json_out: bool = JSON_OPT,
) -> None:
    """Deadlines overdue or due within N working days, most urgent first (执法监督, 提前预警):
    the 50 most urgent case deadlines and how many there are in all (--limit N, 0 for all).

    Example: zhifa alerts --within 3 --limit 200
    """
    from terminal import output
    from workflow.inputs import check_within

    check_within(within)

    office = _office()
    items = office.alerts(within, limit or None)
    total = office.alerts_count(within)  # case deadlines due, before --limit
    output.result({"today": office.clock().isoformat(), "within": within, "alerts": items,
                   "total": total}, json_out, lambda: output.show_alerts(items, total, limit))  # fmt: skip


@app.command()
@handled
def checkpoint(
    out: Path | None = typer.Option(None, "--out", help="The file to write (default: the "
                                    "office's checkpoints/ folder)."),
    json_out: bool = JSON_OPT,
) -> None:
    """Take an office-wide checkpoint, signed by you: the head of every case and of the
    register, and every counter (a Merkle tree, as Certificate Transparency's tree heads).

    Keep the file outside the office; `zhifa verify --against FILE` then proves that nothing
    recorded before it was removed, truncated or altered.

    Example: zhifa --as 吴敏 checkpoint --out /media/备份/检查点-2026-11-25.json
    """
    from terminal import output
    from terminal.signing import show_checkpoint
    from workflow.events import canonical
    from workflow.files import private_dir, write_file_atomic

    office = _office()
    doc = office.take_checkpoint(_actor())
    if out is None:
        folder = private_dir(office.settings.base_dir / "checkpoints") if office.settings else Path(".")
        out = folder / f"checkpoint-{doc['statement']['taken_at'].replace(':', '')}.json"
    write_file_atomic(out, canonical(doc).encode())
    output.result({"file": str(out), **doc["statement"]}, json_out, lambda: show_checkpoint(doc, out))


# ---------------------------------------------------------------------------------- keys
@key_app.command("init")
@handled
def key_init(
    name: str = typer.Argument(..., help="Your name, as the staff register has it."),
    passphrase: bool = typer.Option(
        False, "--passphrase", help="Protect the key with a passphrase (asked twice; or ZHIFA_PASSPHRASE)."
    ),
    json_out: bool = JSON_OPT,
) -> None:
    """Make your own signature key pair in your config folder (owner-only; ZHIFA_KEYS overrides
    the folder); prints the public key for the admin to register.

    Example: zhifa key init 王明 --passphrase
    """
    from terminal import output
    from terminal.signing import new_passphrase, show_key
    from workflow.inputs import check_options

    check_options({"name": name})
    info = _keyring().generate(name, new_passphrase() if passphrase else None).as_dict()
    output.result({"key": info}, json_out, lambda: show_key(info))


@key_app.command("show")
@handled
def key_show(name: str, json_out: bool = JSON_OPT) -> None:
    """Print the public half of your newest key for NAME (to give to the admin).

    Example: zhifa --as 张主任 staff add 王明 --role officer --key "$(zhifa key show 王明)"
    """
    from terminal import output
    from workflow.errors import NotFoundError

    held = _keyring().keys(name)
    if not held:
        raise NotFoundError(f"你的密钥文件夹中没有 {name} 的密钥 no key of {name} in your key "
                            f"folder: `zhifa key init {name}`")  # fmt: skip
    info = held[0].as_dict()
    output.result({"key": info}, json_out, lambda: output.say(info["public_key"]))


@key_app.command("list")
@handled
def key_list(json_out: bool = JSON_OPT) -> None:
    """The keys in your key folder (public halves only). Example: zhifa key list"""
    from terminal import output
    from terminal.signing import show_keys

    ring = _keyring()
    keys = [k.as_dict() for k in ring.keys()]
    output.result({"folder": str(ring.folder), "keys": keys}, json_out,
                  lambda: show_keys(keys, str(ring.folder)))  # fmt: skip


# ---------------------------------------------------------------------------------- backdate
@backdate_app.command("approve")
@handled
def backdate_approve(
    case_id: str = typer.Argument(..., metavar="CASE", help="The case, or `new` for an opening."),
    action: str = typer.Argument(..., help="The action to be recorded with an earlier date."),
    on: str = typer.Option(..., "--on", help="The date the act happened, YYYY-MM-DD."),
    person: str = typer.Option(..., "--for", help="Who will record it."),
    reason: str = typer.Option(..., "--reason", help="Why it is recorded late."),
    json_out: bool = JSON_OPT,
) -> None:
    """A head approves one act dated more than N working days back (config
    periods.backdate_working_days); signed by the head, named in the act.

    Example: zhifa --as 赵刚 backdate approve P-2026-0001 add_evidence --on 2026-08-03 --for 王明 --reason 系统故障补录
    """
    from terminal import output
    from workflow.inputs import check_options, parse_date

    check_options({"--for": person, "--reason": reason, "ACTION": action})
    day = parse_date(on, what="--on")
    event = _office().approve_backdate(_actor(), "" if case_id == "new" else case_id, action,
                                       day, person, reason)  # fmt: skip
    output.result({"event": event.as_dict()}, json_out, lambda: output.say(
        f"✓ 已批准补录 approved (#{event.seq}): {person} {action} {case_id} --on {day.isoformat()}"))


# ---------------------------------------------------------------------------------- staff
STAFF_ON = typer.Option(None, "--on", help="The day the change takes effect (default today).")


def _staff_change(action: str, data: dict[str, Any], on: str | None, message: str) -> None:
    """One admin-signed change of the register (the admin: --as / ZHIFA_USER, with their key)."""
    from terminal.output import say
    from workflow.inputs import check_options

    check_options({k: v for k, v in data.items() if isinstance(v, str) and k != "public_key"})
    event = _office().change_register(_actor(), action, data, _date(on))
    say(f"✓ {message}（人员名录 #{event.seq}，{event.occurred_on}，{event.actor} 签名 signed）")


@staff_app.command("add")
@handled
def staff_add(
    name: str,
    role: list[str] = typer.Option(
        ..., "--role", help="officer, reviewer, head, hearing_officer, publisher, auditor, admin"
    ),
    key: str | None = typer.Option(None, "--key", help="Their public key (ed25519:…), or a file with it."),
    cert: str | None = typer.Option(None, "--cert", help="执法证 number."),
    cert_category: str | None = typer.Option(None, "--cert-category"),
    cert_valid_until: str | None = typer.Option(None, "--cert-valid-until", help="YYYY-MM-DD"),
    legal_qualified: bool = typer.Option(False, "--legal-qualified", help="Holds 法律职业资格."),
    unit: str | None = typer.Option(None, "--unit", help="所在单位/科室."),
    on: str | None = STAFF_ON,
    json_out: bool = JSON_OPT,
) -> None:
    """Register a person with their public key (an admin's signed act).

    Example: zhifa --as 张主任 staff add 王明 --role officer --key ed25519:… --cert 铁审执01001 --cert-valid-until 2028-12-31
    """
    from rules.model import Person
    from terminal import output
    from terminal.signing import public_key_arg
    from workflow.inputs import check_options, parse_date

    check_options({"name": name, "--cert": cert, "--cert-category": cert_category, "--unit": unit})
    valid_until = (
        parse_date(cert_valid_until, what="--cert-valid-until", years_ahead=10)
        if cert_valid_until
        else None
    )
    public = public_key_arg(key) if key else None
    person = _office().add_staff(
        _actor(),
        Person(name, tuple(role), cert, cert_category, valid_until, legal_qualified, unit=unit),
        public, _date(on),
    )  # fmt: skip
    output.result({"person": person.as_dict()}, json_out, lambda: output.say(
        f"✓ 已登记 registered: {name} ({', '.join(role)})" + ("" if public else
        "  ⚠ 未登记公钥 no key yet: they cannot act until `zhifa staff key` registers one")))  # fmt: skip


@staff_app.command("list")
@handled
def staff_list(json_out: bool = JSON_OPT) -> None:
    """The staff register as it stands, with the reviewer share against the 5% floor.

    Example: zhifa staff list
    """
    from terminal import output

    report = _office().staff_report()
    output.result(report, json_out, lambda: output.show_staff(report["staff"], report["reviewer_share"]))


@staff_app.command("history")
@handled
def staff_history(
    name: str | None = typer.Argument(None, metavar="[NAME]"), json_out: bool = JSON_OPT
) -> None:
    """The register's signed changes (a person's career, if named). Example: zhifa staff history 王明"""
    from terminal import output
    from terminal.signing import show_register_history

    entries = _office().staff_history(name)
    output.result({"history": entries}, json_out, lambda: show_register_history(entries, name))


@staff_app.command("renew")
@handled
def staff_renew(
    name: str,
    cert: str = typer.Option(..., "--cert", help="The new 执法证 number."),
    cert_valid_until: str = typer.Option(..., "--cert-valid-until", help="YYYY-MM-DD"),
    cert_category: str | None = typer.Option(None, "--cert-category"),
    on: str | None = STAFF_ON,
) -> None:
    """Record a renewed 执法证 (an admin's signed act).

    Example: zhifa --as 张主任 staff renew 王明 --cert 铁审执02001 --cert-valid-until 2031-12-31
    """
    from workflow.inputs import parse_date

    until = parse_date(cert_valid_until, what="--cert-valid-until", years_ahead=10)
    _staff_change("staff_renew", {"person": name, "cert_no": cert, "cert_category": cert_category,
                                  "cert_valid_until": until.isoformat()}, on,
                  f"{name} 执法证 {cert} 有效至 {until.isoformat()}")  # fmt: skip


@role_app.command("add")
@handled
def staff_role_add(name: str, role: str, on: str | None = STAFF_ON) -> None:
    """Give a person a role. Example: zhifa --as 张主任 staff role add 王明 hearing_officer"""
    _staff_change("staff_role_add", {"person": name, "role": role}, on, f"{name} +{role}")


@role_app.command("remove")
@handled
def staff_role_remove(name: str, role: str, on: str | None = STAFF_ON) -> None:
    """Take a role away. Example: zhifa --as 张主任 staff role remove 王明 hearing_officer"""
    _staff_change("staff_role_remove", {"person": name, "role": role}, on, f"{name} −{role}")


@staff_app.command("unit")
@handled
def staff_unit(name: str, unit: str, on: str | None = STAFF_ON) -> None:
    """Move a person to another unit. Example: zhifa --as 张主任 staff unit 王明 法规审理科"""
    _staff_change("staff_unit", {"person": name, "unit": unit}, on, f"{name} → {unit}")


@staff_app.command("deactivate")
@handled
def staff_deactivate(name: str, on: str | None = STAFF_ON) -> None:
    """Deactivate a person; their history stays (admins only; never the last admin).

    Example: zhifa --as 张主任 staff deactivate 李华
    """
    _staff_change("staff_deactivate", {"person": name}, on, f"已停用 deactivated: {name}（历史记录保留）")


@staff_app.command("activate")
@handled
def staff_activate(name: str, on: str | None = STAFF_ON) -> None:
    """Reactivate a person. Example: zhifa --as 张主任 staff activate 李华"""
    _staff_change("staff_activate", {"person": name}, on, f"已恢复 reactivated: {name}")


@staff_app.command("key")
@handled
def staff_key(
    name: str,
    key: str = typer.Argument(..., metavar="PUBLIC_KEY", help="ed25519:…, or a file with it."),
    on: str | None = STAFF_ON,
) -> None:
    """Register a person's (new) public key; it replaces their current one from that day
    (rotation). Example: zhifa --as 张主任 staff key 王明 ed25519:…"""
    from terminal.signing import public_key_arg

    _staff_change("staff_key", {"person": name, "public_key": public_key_arg(key)}, on,
                  f"{name} 的公钥已登记 key registered")  # fmt: skip


@staff_app.command("revoke-key")
@handled
def staff_revoke_key(name: str, on: str | None = STAFF_ON) -> None:
    """Revoke a person's key (lost or compromised: 电子签名法 Art. 15); they sign nothing more
    until a new key is registered. Example: zhifa --as 张主任 staff revoke-key 王明"""
    _staff_change("staff_key_revoke", {"person": name}, on, f"{name} 的公钥已吊销 key revoked")


# ---------------------------------------------------------------------------------- cases
@case_app.command("open")
@handled
def case_open(
    procedure: str = typer.Option(
        ..., "--procedure", help="Procedure: id or label (行政处罚, 审计).",
        autocompletion=lambda incomplete: _names("procedures", incomplete),
    ),
    title: str = typer.Option(..., "--title"),
    party: str = typer.Option(..., "--party"),
    party_type: str = typer.Option("unit", "--party-type", help="unit or individual"),
    party_id: str | None = typer.Option(None, "--party-id", help="统一社会信用代码 or ID number"),
    party_address: str | None = typer.Option(None, "--party-address", help="当事人地址"),
    on: str | None = ON_OPT,
    data: list[str] = typer.Option([], "--data", help="More keys: source=…, scope=…, period=…"),
    json_out: bool = JSON_OPT,
) -> None:
    """Open a case (立案); prints the new case's id.

    Example: zhifa --as 王明 case open --procedure penalty --title 某案 --party 某公司
    --party-id 91230200MA1B2C3D4E --party-address 铁锋区工业路88号 --data source=举报
    """
    from terminal import output
    from workflow.opening import opening_input

    actor = _actor()
    office = _office()
    given = {"title": title, "party": party, "party_type": party_type, "party_id": party_id,
             "party_address": party_address}  # fmt: skip
    raw, day = opening_input(office.engine.procedure, procedure, data, given, on)
    event, case = office.open_case(procedure, actor, raw, day)
    output.result({"case": _view(office, case)}, json_out, lambda: output.say(case.id))


@case_app.command("list")
@handled
def case_list(
    state: str | None = typer.Option(
        None, "--state", help="State: id or label (法制审核).",
        autocompletion=lambda incomplete: _names("states", incomplete),
    ),
    procedure: str | None = typer.Option(
        None, "--procedure", help="Procedure: id or label (行政处罚).",
        autocompletion=lambda incomplete: _names("procedures", incomplete),
    ),
    limit: int = typer.Option(50, "--limit", min=1, help="Cases per page (每页件数)."),
    page: int = typer.Option(1, "--page", min=1, help="Which page (第几页)."),
    sort: str = typer.Option("opened", "--sort", help="opened (立案日期), id (案号), state (状态), "
                             "updated (最近办理, newest first)."),
    json_out: bool = JSON_OPT,
) -> None:
    """List cases, a page at a time. Example: zhifa case list --state 法制审核 --limit 20 --page 2"""
    from terminal import output

    office = _office()
    found = office.case_page(state, procedure, sort, limit, page)
    views = (_view(office, c) for c in found.cases)
    if json_out:
        output.stream_json(found.facts(), "cases", views)
    else:
        output.show_cases(views, found.summary())


@case_app.command("show")
@handled
def case_show(
    case_id: str = typer.Argument(..., metavar="CASE"), json_out: bool = JSON_OPT
) -> None:
    """Show a case, its review status and its deadlines. Example: zhifa case show P-2026-0001"""
    from terminal import output

    office = _office()
    case = office.case(case_id)
    view = _view(office, case)
    view["similar"] = _similar_when_drafting(office, case)
    output.result({"case": view}, json_out, lambda: output.show_case(view))


def _similar_when_drafting(office: Office, case: Any) -> dict[str, Any] | None:
    """类案推送 while the decision is drafted (the states a draft may be made in)."""
    drafting = office.engine.procedure(case.procedure).action("draft_decision")
    if drafting is None or case.state not in drafting.sources:
        return None
    from workflow.assist import Assistant

    return Assistant.of(office).similar(case)


@case_app.command("actions")
@handled
def case_actions(
    case_id: str = typer.Argument(..., metavar="CASE"),
    on: str | None = ON_OPT,
    every: bool = typer.Option(False, "--all", help="Every action, not only the near ones."),
    explain: bool = typer.Option(False, "--explain", help="The text of each article a reason cites."),
    json_out: bool = JSON_OPT,
) -> None:
    """What may I do now? What is allowed and the near misses, each with its reasons.

    --json always lists every action. Example: zhifa --as 王明 case actions P-2026-0001 --explain
    """
    from terminal import output, statutes

    verdicts = [v.as_dict() for v in _office().actions(case_id, _actor(), _date(on))]
    shown = verdicts if every or json_out else output.near_verdicts(verdicts)
    law = statutes.cited(shown) if explain else {}
    doc: dict[str, Any] = {"actions": verdicts}
    if explain:
        doc["law"] = {src: [p.as_dict() for p in parts] for src, parts in law.items()}

    def show() -> None:
        output.show_actions(case_id, verdicts, every)
        statutes.show_cited(law)

    output.result(doc, json_out, show)


@case_app.command("do")
@handled
def case_do(
    case_id: str = typer.Argument(..., metavar="CASE"),
    action: str | None = typer.Argument(
        None, metavar="[ACTION]",
        help="Action id or label (放弃陈述申辩); omit on a terminal to be guided.",
        autocompletion=lambda incomplete: _names("actions", incomplete),
    ),
    on: str | None = ON_OPT,
    data: list[str] = typer.Option(
        [], "--data", help="KEY=VALUE (repeatable); see `case explain ACTION`."
    ),
    data_file: Path | None = typer.Option(None, "--data-file", help="JSON object of keys."),
    note: str | None = typer.Option(None, "--note"),
    expect_version: int | None = typer.Option(
        None, "--expect-version", help="Refuse if the case changed."
    ),
    json_out: bool = JSON_OPT,
) -> None:
    """Do an action on a case; without ACTION, on a terminal, be guided through it.

    Example: zhifa --as 王明 case do P-2026-0001 add_evidence --data type=书证 --data title=账簿
    """
    from terminal import output

    office = _office()
    raw = _parse_data(data, data_file, note)
    day = _date(on)
    if action is None:
        from terminal.guided import guided

        action, raw, day = guided(office, case_id, _actor(), day, raw)
    event, case = office.do(case_id, action, _actor(), raw, day, expect_version)
    proc = office.engine.procedure(case.procedure)
    output.result({"event": event.as_dict(), "case": _view(office, case)}, json_out,
                  lambda: output.show_act(event, proc))  # fmt: skip


@case_app.command("explain")
@handled
def case_explain(
    action: str = typer.Argument(
        ..., metavar="ACTION", help="Action id or label.",
        autocompletion=lambda incomplete: _names("actions", incomplete),
    ),
    procedure: str | None = typer.Option(
        None, "--procedure", help="Procedure id or label (default: the first with the action)."
    ),
    json_out: bool = JSON_OPT,
) -> None:
    """The keys an action takes, with their meaning. Example: zhifa case explain draft_decision"""
    from states.vocabulary import VOCABULARIES
    from terminal import output
    from workflow.service import shared_engine

    engine = shared_engine()
    act = engine.find_action(action, procedure)
    keys = [{"key": f.name, "kind": f.kind, "label": f.label, "required": f.required,
             "choices": list(VOCABULARIES[f.vocabulary]) if f.vocabulary else [],
             "labels": dict(VOCABULARIES[f.vocabulary]) if f.vocabulary else {},
             "applies": f.applies, "help": f.help} for f in act.fields]  # fmt: skip
    proc = engine.procedure(procedure) if procedure else next(
        m.procedure for m in engine.machines.values() if m.procedure.action(act.id) is act)
    doc = {
        "action": act.id,
        "procedure": proc.id,
        "label": act.label,
        "from": list(act.sources),
        "to": act.target,
        "roles": list(act.roles),
        "guards": list(act.guards),
        "notices": [i.kind for i in act.notices],
        "keys": keys,
    }
    output.result(doc, json_out, lambda: output.show_explain(doc))


@case_app.command("history")
@handled
def case_history(
    case_id: str = typer.Argument(..., metavar="CASE"), json_out: bool = JSON_OPT
) -> None:
    """The timeline of a case. Example: zhifa case history P-2026-0001"""
    from terminal import output

    office = _office()
    events = [e.as_dict() for e in office.history(case_id)]
    proc = office.engine.procedure(office.case(case_id).procedure)
    output.result({"events": events}, json_out,
                  lambda: output.show_events(events, proc))  # fmt: skip


@case_app.command("replay")
@handled
def case_replay(
    case_id: str = typer.Argument(..., metavar="CASE"),
    until: int | None = typer.Option(None, "--until", help="Stop after event SEQ."),
    json_out: bool = JSON_OPT,
) -> None:
    """The case rebuilt from its events, as it stood after event SEQ.

    Example: zhifa case replay P-2026-0001 --until 7
    """
    from terminal import output

    office = _office()
    case = office.replay(case_id, until)
    # an auditor sees the deadlines as they stood at that event, not as of today
    as_of = _date(case.last_on) if until is not None else None
    view = _view(office, case, as_of)
    output.result({"case": view, "until": until if until is not None else case.version}, json_out,
                  lambda: output.show_replay(view))  # fmt: skip


# ---------------------------------------------------------------------------------- assist
@case_app.command("search")
@handled
def case_search(
    query: list[str] = typer.Argument(..., metavar="TEXT...", help="Chinese words, a party, a number."),
    procedure: str | None = typer.Option(None, "--procedure"),
    state: str | None = typer.Option(None, "--state"),
    year: int | None = typer.Option(None, "--year", help="Year the case was opened."),
    power: str | None = typer.Option(None, "--power", help="权责清单 item, e.g. SJ-CF-003."),
    min_amount: str | None = typer.Option(None, "--min-amount", help="Fine at least (yuan)."),
    max_amount: str | None = typer.Option(None, "--max-amount", help="Fine at most (yuan)."),
    limit: int = typer.Option(10, "--limit", min=1, max=200),
    json_out: bool = JSON_OPT,
) -> None:
    """Search cases by title, party, facts, decisions, notice numbers and evidence text.

    Example: zhifa case search 虚报冒领 --power SJ-CF-003 --min-amount 100000
    """
    from terminal import assist as shown
    from terminal import output
    from workflow.assist import Assistant
    from workflow.inputs import check_options, search_filters

    text = " ".join(query)
    check_options({"TEXT": text})
    filters = search_filters(procedure, state, year, power, min_amount, max_amount)
    office = _office()
    if procedure:
        office.engine.procedure(procedure)
    hits = Assistant.of(office).search(text, filters, limit)
    output.result({"query": text, "hits": hits}, json_out, lambda: shown.show_hits(text, hits))


@app.command()
@handled
def assist(
    case_id: str = typer.Argument(..., metavar="CASE"),
    draft: bool = typer.Option(False, "--draft", help="Propose the draft_decision data."),
    data: list[str] = typer.Option([], "--data", help="Facts: amount_involved=…, first_offence=true …"),
    data_file: Path | None = typer.Option(None, "--data-file", help="JSON object of facts."),
    on: str | None = ON_OPT,
    out_file: Path | None = typer.Option(None, "--out", help="Write the proposed data (JSON)."),
    force: bool = FORCE_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """类案推送 and a proposed draft: the five nearest decided cases, the benchmark applied, and
    with --draft the draft_decision data to edit and record. Records nothing.

    Example: zhifa assist P-2026-0001 --draft --data amount_involved=1500000 --data harm=slight
    """
    from terminal import assist as shown
    from terminal import output
    from workflow.assist import Assistant

    office = _office()
    case = office.case(case_id)
    helper = Assistant.of(office)
    doc: dict[str, Any] = {"case": case_id, "similar": helper.similar(case),
                           "discretion": _view(office, case)["discretion"]}  # fmt: skip
    if draft or out_file:
        given = _parse_data(data, data_file, None)
        proc = office.engine.procedure(case.procedure)
        doc["proposal"] = helper.propose(case, proc, given, _date(on) or office.clock())
        if out_file is not None:
            import json

            from workflow.files import write_file_atomic

            text = json.dumps(doc["proposal"]["data"], ensure_ascii=False, indent=2)
            write_file_atomic(out_file, (text + "\n").encode(), force)
    if json_out:
        output.emit_json(doc)
        return
    if doc["discretion"]:
        shown.show_discretion(doc["discretion"])
    shown.show_similar(doc["similar"])
    if "proposal" in doc:
        drafting = office.engine.procedure(case.procedure).action("draft_decision")
        shown.show_proposal(doc["proposal"], case_id, drafting.fields if drafting else ())
        if out_file is not None:
            output.say(f"✓ 建议草案已写入 written: {out_file}")


@cases_app.command("import")
@handled
def cases_import(
    file: Path = typer.Argument(..., help="JSON or YAML list of 典型案例 (see README)."),
    json_out: bool = JSON_OPT,
) -> None:
    """Import a library of 典型案例: they join the office's own cases in search and 类案推送.

    Example: zhifa cases import 典型案例2025.yaml
    """
    from terminal import output
    from workflow.assist import Assistant

    count = Assistant.of(_office()).import_file(file)
    output.result({"file": str(file), "imported": count}, json_out,
                  lambda: output.say(f"✓ 已导入典型案例 imported: {count}（{file}）"))  # fmt: skip


# ---------------------------------------------------------------------------------- notices
@notice_app.command("list")
@handled
def notice_list(
    case_id: str = typer.Argument(..., metavar="CASE"), json_out: bool = JSON_OPT
) -> None:
    """The notices recorded for a case, in order. Example: zhifa notice list P-2026-0001"""
    from terminal import output

    notices = _office().notices(case_id)
    output.result({"notices": [output.notice_summary(n) for n in notices]}, json_out, lambda: output.show_notices(case_id, notices))


@notice_app.command("show")
@handled
def notice_show(
    case_id: str = typer.Argument(..., metavar="CASE"),
    ref: str = typer.Argument(
        ..., metavar="NUMBER|KIND", help="铁审罚〔2026〕1号 or penalty_decision"
    ),
    json_out: bool = JSON_OPT,
) -> None:
    """One notice's recorded text. Example: zhifa notice show P-2026-0001 penalty_decision"""
    from terminal import output

    notice = _office().notice(case_id, ref)
    output.result({"notice": notice}, json_out, lambda: output.show_notice(notice))


@notice_app.command("export")
@handled
def notice_export(
    case_id: str = typer.Argument(..., metavar="CASE"),
    fmt: str = typer.Option("pdf", "--format", help="pdf, html or txt"),
    out: Path = typer.Option(Path("."), "--out", help="Directory to write into."),
    ref: str | None = typer.Option(None, "--notice", help="Only this notice (number or kind)."),
    json_out: bool = JSON_OPT,
) -> None:
    """Write a case's notices as print-ready files (GB/T 9704 layout).

    Example: zhifa notice export P-2026-0001 --format pdf --out 文书/
    """
    from terminal import output

    office = _office()
    paths = office.export_notices(case_id, fmt, out, ref)
    fonts = office.desk.font_choice() if fmt == "pdf" else {}
    doc: dict[str, Any] = {"files": [str(p) for p in paths]}
    if fonts:
        doc["fonts"] = {role: {"used": c.used, "wanted": list(c.wanted),
                               "fell_back": c.fell_back} for role, c in fonts.items()}  # fmt: skip
    output.result(doc, json_out, lambda: output.show_written(paths, list(fonts.values())))


# ---------------------------------------------------------------------------------- evidence
def _store_files(
    case_id: str, action: str, paths: list[Path], data: dict[str, Any], on: str | None,
    json_out: bool,
) -> None:  # fmt: skip
    from terminal import output

    office = _office()
    total = sum(p.stat().st_size for p in paths if p.is_file() and not p.is_symlink())
    with output.file_progress(total, "存入 storing", show=not json_out) as progress:
        event, case = office.act_with_files(
            case_id, action, _actor(), [str(p) for p in paths], data, _date(on), progress
        )
    output.result({"event": event.as_dict(), "case": _view(office, case)}, json_out,
                  lambda: output.show_stored(event))  # fmt: skip


@evidence_app.command("add")
@handled
def evidence_add(
    case_id: str = typer.Argument(..., metavar="CASE"),
    files: list[Path] = typer.Argument(
        ..., metavar="FILE...", help="Scans, photos, audio, video, data."
    ),
    kind: str = typer.Option(
        ...,
        "--type",
        help="documentary, physical, audiovisual, electronic, "
        "witness, party_statement, expert_opinion, inspection_record",
    ),
    title: str | None = typer.Option(
        None, "--title", help="证据名称 (default: the first file's name)"
    ),
    place: str | None = typer.Option(None, "--place", help="取证地点"),
    on: str | None = ON_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """Record evidence (行政处罚法 Art. 46) with its files, stored by content hash.

    Example: zhifa --as 王明 evidence add P-2026-0001 凭证.pdf 现场.jpg --type documentary --place 工业路88号
    """
    data: dict[str, Any] = {"type": kind, "title": title or files[0].name}
    if place:
        data["place"] = place
    _store_files(case_id, "add_evidence", files, data, on, json_out)


@evidence_app.command("av")
@handled
def evidence_av(
    case_id: str = typer.Argument(..., metavar="CASE"),
    files: list[Path] = typer.Argument(..., metavar="FILE..."),
    for_seq: int = typer.Option(..., "--for", help="The act it records (its # in case history)."),
    title: str | None = typer.Option(None, "--title", help="说明"),
    on: str | None = ON_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """Attach an audio-visual record (音像记录) to the act it records.

    Example: zhifa --as 周平 evidence av P-2026-0001 听证.mp4 --for 10
    """
    data: dict[str, Any] = {"for_seq": for_seq}
    if title:
        data["title"] = title
    _store_files(case_id, "record_av", files, data, on, json_out)


@case_app.command("file")
@handled
def case_file(
    case_id: str = typer.Argument(..., metavar="CASE"), json_out: bool = JSON_OPT
) -> None:
    """The case file index (卷宗目录). Example: zhifa case file P-2026-0001"""
    from terminal import output

    entries = _office().case_file(case_id)
    output.result({"case": case_id, "index": entries}, json_out,
                  lambda: output.show_case_file(case_id, entries))  # fmt: skip


# ---------------------------------------------------------------------------------- archive
@archive_app.command("export")
@handled
def archive_export(
    case_id: str = typer.Argument(..., metavar="CASE"),
    out: Path = typer.Option(
        ..., "--out", help="The bundle file (.zip), or a folder for CASE.zip."
    ),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Leave out the PDF notices (no CJK font)."),
    checkpoint: Path | None = typer.Option(
        None, "--checkpoint", help="A checkpoint file: tie the bundle's head to it."
    ),
    json_out: bool = JSON_OPT,
) -> None:
    """Write an archived case's file as one bundle: index, notices, files, history, the
    register, the manifest signed by you (--as), and the checkpoint's proof if given.

    Example: zhifa --as 王明 archive export P-2026-0001 --out 卷宗/ --checkpoint 检查点.json
    """
    from terminal import output
    from workflow.checkpoint import load_checkpoint

    loaded = load_checkpoint(checkpoint) if checkpoint is not None else None
    done = _office().export_archive(case_id, out, pdf=not no_pdf, by=_actor(), checkpoint=loaded)
    doc = {"file": str(done.path), "case": done.case, "head_hash": done.head_hash,
           "members": done.members}  # fmt: skip
    output.result(doc, json_out, lambda: output.say(
        f"✓ 卷宗已导出 exported: {done.path}（{done.members} 个文件 files；head {done.head_hash[:16]}…）"))


@archive_app.command("verify")
@handled
def archive_verify(
    bundle: Path = typer.Argument(..., metavar="BUNDLE"),
    trust_key: str | None = typer.Option(
        None, "--trust-key", help="The office's register key (id, ed25519:…, or a file), as "
        "`zhifa verify` prints it: the bundle's signatures must rest on it."),
    json_out: bool = JSON_OPT,
) -> None:
    """Check a bundle offline (no database): every hash, the event chain, the manifest, every
    signature — and, with --trust-key, that they rest on the office's own register key.

    Example: zhifa archive verify 卷宗/P-2026-0001.zip --trust-key 005f94f5c1d2e3a4
    """
    from terminal import output
    from workflow.archive_verify import check_bundle
    from workflow.keys import trusted_key_id

    trust = trusted_key_id(trust_key) if trust_key is not None else None
    report = check_bundle(bundle, trust=trust)
    manifest, problems = report.manifest, report.problems
    output.result({"ok": not problems, "case": manifest.get("case"),
                   "head_hash": manifest.get("head_hash"), "problems": problems,
                   "notes": report.notes, "trust_root": report.trust_root}, json_out,
                  lambda: output.show_bundle_check(str(bundle), manifest, problems, report.notes,
                                                   report.trust_root))  # fmt: skip
    if problems:
        raise typer.Exit(5)


# ---------------------------------------------------------------------------------- publicity
def _event_out(office: Office, event: Any, case: Any, json_out: bool, message: str) -> None:
    from terminal import output

    output.result({"event": event.as_dict(), "case": _view(office, case)}, json_out,
                  lambda: output.say(message))  # fmt: skip


@publish_app.command("case")
@handled
def publish_case(
    case_id: str = typer.Argument(..., metavar="CASE"),
    on: str | None = ON_OPT,
    redact: list[str] = typer.Option(
        [],
        "--redact",
        help="TEXT=REASON (repeatable): 国家秘密, 工作秘密, 商业秘密, 个人隐私, 个人信息",
    ),
    json_out: bool = JSON_OPT,
) -> None:
    """Publish a decided case's result, masked (事后公示; the publisher, 公示员).

    Example: zhifa --as 刘洋 publish case P-2026-0001 --redact 某型号配方=商业秘密
    """
    from workflow.inputs import parse_redactions

    office = _office()
    redactions = parse_redactions(redact)
    event, case = office.publish(case_id, _actor(), _date(on), redactions or None)
    content = event.data["content"]
    _event_out(office, event, case, json_out,
               f"✓ {case_id} #{event.seq} 已公示: {content['party']} · {content['decision_number']} · "
               f"{content['conclusion']}")  # fmt: skip


@publish_app.command("withdraw")
@handled
def publish_withdraw(
    case_id: str = typer.Argument(..., metavar="CASE"),
    reason: str = typer.Option(..., "--reason", help="撤回理由, e.g. 决定已被行政复议撤销"),
    on: str | None = ON_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """Withdraw a case's publication, with the reason (行政处罚法 Art. 48: within 3 working days).

    Example: zhifa --as 刘洋 publish withdraw P-2026-0001 --reason 决定已被撤销
    """
    office = _office()
    event, case = office.do(
        case_id, "withdraw_publication", _actor(), {"reason": reason}, _date(on)
    )
    _event_out(office, event, case, json_out, f"✓ {case_id} #{event.seq} 已撤回公示: {reason}")


@publish_app.command("site")
@handled
def publish_site(
    out: Path = typer.Option(..., "--out", help="Folder for the static site (replaced)."),
    full: bool = typer.Option(False, "--full", help="Render every page, not only those whose "
                              "inputs changed (重新生成全部页面)."),  # fmt: skip
    json_out: bool = JSON_OPT,
) -> None:
    """Write the public website: 事前 information, published results, reports, flowcharts.

    Only the pages whose inputs changed since the last build are rendered (the folder keeps
    a manifest of what made each page); a page changed by hand is rendered again.

    Example: zhifa publish site --out 公示网站/
    """
    from terminal import output

    built = _office().publish_site(out, full)
    index = out.resolve() / "index.html"
    repaired = (f"；{len(built.repaired)} 个页面被改动过，已重新生成 pages changed by hand, "
                "rebuilt" if built.repaired else "")  # fmt: skip
    output.result(
        {"out": str(out.resolve()), "files": built.files, "rendered": built.rendered,
         "repaired": built.repaired, "full": built.full},
        json_out,
        lambda: output.say(f"✓ {out.resolve()}: {len(built.files)} files, 重新生成 rendered "
                           f"{len(built.rendered)}{repaired} — 打开 open: {output.open_hint(index)}"),
    )  # fmt: skip


@report_app.command("annual")
@handled
def report_annual(
    year: int = typer.Argument(..., metavar="YEAR"),
    html: Path | None = typer.Option(None, "--html", help="Also write the report as an HTML page."),
    publish: bool = typer.Option(False, "--publish", help="Record it as published (公示员)."),
    force: bool = FORCE_OPT,
    json_out: bool = JSON_OPT,
) -> None:
    """The annual enforcement statistics (执法统计年报), due by 31 January.

    Example: zhifa report annual 2026 --html 年报2026.html
    """
    from terminal import output

    figures = _office().report(year, html, publish, _actor() if publish else OPTS.actor, force)
    output.result({"report": figures, "published": publish}, json_out, lambda: output.show_report(
        figures, published=publish, html=str(html) if html else None))


# ---------------------------------------------------------------------------------- law
@law_app.command("show")
@handled
def law_show(
    law: str = typer.Argument(
        ..., metavar="LAW", help="行政处罚法, 《中华人民共和国审计法》, an id…"
    ),
    article: str = typer.Argument(
        ..., metavar="ARTICLE", help="63, 第六十三条, 63.2 (款), 64.1.2 (项)"
    ),
    paragraph: int | None = typer.Option(None, "--paragraph", "-p", min=1, help="款 number."),
    item: int | None = typer.Option(None, "--item", "-i", min=1, help="项 number."),
    json_out: bool = JSON_OPT,
) -> None:
    """Print an article (条) of a statute, or one paragraph (款) or item (项) of it.

    Example: zhifa law show 行政处罚法 63   (or 第六十三条, 63.2, 63 --paragraph 2)
    """
    from law.resolve import lookup
    from terminal import output, statutes

    provision = lookup(law, article, paragraph, item)
    output.result({"provision": provision.as_dict(), "article": provision.article.as_dict(),
                   "law": provision.law.summary()}, json_out,
                  lambda: statutes.show_provision(provision))  # fmt: skip


@law_app.command("list")
@handled
def law_list(json_out: bool = JSON_OPT) -> None:
    """The statutes zhifa ships, with their version and effective date.

    Example: zhifa law list
    """
    from law.library import library
    from terminal import output, statutes

    laws = library().laws
    output.result({"laws": [law.summary() for law in laws]}, json_out,
                  lambda: statutes.show_laws(laws))  # fmt: skip


@law_app.command("search")
@handled
def law_search(
    query: list[str] = typer.Argument(
        ..., metavar="TEXT...", help="Chinese words, all must appear."
    ),
    law: str | None = typer.Option(None, "--law", help="Only this law (any of its names)."),
    limit: int = typer.Option(20, "--limit", min=1, help="At most this many articles."),
    json_out: bool = JSON_OPT,
) -> None:
    """Find articles by their Chinese text: exact phrase hits first, then close ones (≈).

    Example: zhifa law search 听证 --law 行政处罚法
    """
    from law.search import search
    from terminal import output, statutes

    text = " ".join(query)
    hits = search(text, law, limit)
    output.result({"query": text, "law": law, "hits": [h.as_dict() for h in hits]}, json_out,
                  lambda: statutes.show_hits(text, hits))  # fmt: skip


@law_app.command("cite")
@handled
def law_cite(
    source: str = typer.Argument(..., metavar="SOURCE", help="A citation or a reason's source."),
    json_out: bool = JSON_OPT,
) -> None:
    """Resolve a citation (or a refusal's source) to the text it cites; exit 2 if a part does not.

    Example: zhifa law cite "行政处罚法第六十四条第（一）项；审计法第四十四条"
    """
    from law.explain import explain_source
    from terminal import output, statutes

    parts = explain_source(source)
    output.result({"source": source, "parts": [p.as_dict() for p in parts]}, json_out,
                  lambda: statutes.show_parts(parts))  # fmt: skip
    if any(p.problem for p in parts):
        raise typer.Exit(2)


# ---------------------------------------------------------------------------------- db, calendar
@db_app.command("upgrade")
@handled
def db_upgrade() -> None:
    """Apply schema migrations to the office database. Example: zhifa db upgrade"""
    from terminal.output import say

    store = _store()
    store.migrate()
    say(f"✓ 数据库结构已更新 schema at {store.schema_status()[0]}（{store.safe_url()}）")


@db_app.command("status")
@handled
def db_status(json_out: bool = JSON_OPT) -> None:
    """Schema revision of the office database. Example: zhifa db status"""
    from terminal import output

    store = _store()
    current, head = store.schema_status()
    output.result({"url": store.safe_url(), "current": current, "head": head}, json_out,
                  lambda: output.say(f"{store.safe_url()}：结构 schema {current or '（空 empty）'}"
                                     f" / 最新 newest {head}"))  # fmt: skip


@calendar_app.command("check")
@handled
def calendar_check(json_out: bool = JSON_OPT) -> None:
    """Years without official holiday data (deadlines there are provisional).

    Example: zhifa calendar check
    """
    from terminal import output
    from workflow.config import find_config, load_settings

    cal = load_settings(find_config(OPTS.config)).policy().calendar
    this_year = _today().year
    years = list(range(this_year - 1, this_year + 3))
    missing = cal.missing_years(years)
    output.result({"checked": years, "missing": missing}, json_out, lambda: output.show_calendar(years, missing))


#: The root options that take a value: the command's name comes after them.
ROOT_VALUED = ("--config", "--as")


def _command_word(args: list[str]) -> str | None:
    """The command (or command group) `zhifa ARGS` runs, after the root's options; None for
    help, the version, completion or anything unexpected."""
    words = iter(args)
    for arg in words:
        if arg in ROOT_VALUED:
            next(words, None)
        elif arg == "--debug" or arg.startswith(tuple(f"{o}=" for o in ROOT_VALUED)):
            continue
        else:
            return None if arg.startswith("-") else arg
    return None


def _command_app(args: list[str]) -> typer.Typer:
    """The app holding only the command `args` names: typer turns every command of an app into
    a click command on each run (~30 ms for zhifa's 60), and a clerk's command needs its own
    (issue 16, start-up). Help, completion and an unknown name get the whole app, so that
    `zhifa --help` lists everything and a misspelt command is told the closest names."""
    word = _command_word(args)
    if word is None or any(k.startswith("_") and k.endswith("_COMPLETE") for k in os.environ):
        return app
    from typer.main import get_command_name

    groups = [g for g in app.registered_groups if g.name == word]
    commands = [c for c in app.registered_commands
                if c.callback and (c.name or get_command_name(c.callback.__name__)) == word]  # fmt: skip
    if len(groups) + len(commands) != 1:
        return app
    pruned = copy.copy(app)
    pruned.registered_groups, pruned.registered_commands = groups, commands
    return pruned


def main() -> None:
    """Console entry point. Arguments and settings that are not valid UTF-8 text are refused
    (exit 2) before anything reads them; usage errors are shown Chinese first (exit 2)."""
    from workflow.inputs import invalid_text

    problem = invalid_text(sys.argv[1:], ("ZHIFA_USER", "ZHIFA_CONFIG", "ZHIFA_TODAY",
                                          "ZHIFA_DATABASE_URL", "ZHIFA_KEYS", "ZHIFA_PASSPHRASE"))  # fmt: skip
    if problem:
        sys.stderr.write(f"✗ 输入有误 bad input：{problem}\n")
        raise SystemExit(2)
    try:
        code = _command_app(sys.argv[1:])(standalone_mode=False)
    except typer.TyperException as exc:  # click's usage errors (typer vendors click)
        from terminal.output import show_usage_error

        show_usage_error(exc)
        raise SystemExit(exc.exit_code) from None
    except typer.Abort:
        sys.stderr.write("\n已取消，未记录任何内容 cancelled: nothing recorded\n")
        raise SystemExit(130) from None
    raise SystemExit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
