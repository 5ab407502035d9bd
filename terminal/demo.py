"""`zhifa demo`: the main job on the embedded SQLite default, every step shown.

Creates an office, registers staff, drives a penalty case with a hearing and an audit case
whose first review asks for supplementary material, each to archive, shows one refusal on the
way, shows the penalty decision as recorded, exports every notice (text, print-ready HTML,
and PDF where a CJK font is installed), then replays and verifies both.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from rich.rule import Rule

from documents.pdf import FONT_HINT, cjk_fonts
from rules.record import av_missing
from states.vocabulary import ROLES
from terminal import office as office_setup
from terminal.output import (
    open_hint,
    out,
    show_bundle_check,
    show_case_file,
    show_error,
    show_events,
    show_fonts,
    show_notice,
    show_problems,
    show_report,
    show_verdicts,
)
from workflow.archive import verify_bundle
from workflow.errors import RefusedError
from workflow.events import Event
from workflow.keys import Keyring
from workflow.scenarios import SCENARIOS, STAFF, Scenario, Step
from workflow.service import Office, open_office

#: The demo's cases run in 2026; its clock is never earlier than this once they are done.
DEMO_TODAY = date(2026, 11, 24)
#: The day the demo office's register opens and its staff are registered.
DEMO_START = date(2026, 1, 5)
DEMO_AGENCY = {
    "address": "铁锋区政府路1号", "phone": "0452-2468100", "review_organ": "铁锋区人民政府",
    "court": "铁锋区人民法院", "payment_bank": "铁锋农村商业银行各营业网点或者电子支付系统",
}  # fmt: skip


class DemoClock:
    """The demo's office clock: each act is done on its own day, as a clerk would do it (so
    no act is back-dated); afterwards, today (never earlier than DEMO_TODAY)."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __call__(self) -> date:
        return self.day

    def settle(self) -> None:
        self.day = max(date.today(), DEMO_TODAY)


def _sample(folder: Path, name: str, size: int) -> Path:
    """A stand-in for a scan, photo or recording (deterministic bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    seed = hashlib.sha256(name.encode()).digest()
    path.write_bytes((seed * (size // len(seed) + 1))[:size])
    return path


def _act(office: Office, case_id: str, step: Step, samples: Path) -> Event:
    """One step; evidence comes with its file, stored by content hash."""
    if step.action == "add_evidence":
        scan = _sample(samples, f"{step.data['title']}.pdf", 48_000)
        event, _ = office.act_with_files(
            case_id, "add_evidence", step.actor, [str(scan)], step.data, step.on
        )
        return event
    return office.do(case_id, step.action, step.actor, step.data, step.on)[0]


def _attach_av(office: Office, case_id: str, samples: Path, on: date) -> None:
    """音像记录 for every act that calls for one (118号（八）)."""
    case = office.case(case_id)
    for gap in av_missing(case, office.engine.procedure(case.procedure)):
        actor = (
            case.assigned("hearing_officer")[0]
            if gap["action"] == "conclude_hearing"
            else (case.assigned("officer")[0])
        )
        video = _sample(samples, f"音像记录-{case_id}-{gap['seq']}.mp4", 256_000)
        event, _ = office.act_with_files(
            case_id, "record_av", actor, [str(video)], {"for_seq": gap["seq"]}, on
        )
        out.print(f"{on.isoformat()} [bold]{actor}[/] 附音像记录 [dim]record_av[/] → #{gap['seq']} "
                  f"{gap['label']}  🎥 {video.name}")  # fmt: skip


#: The demo's library of 典型案例 (fictional), imported so that 类案推送 has like cases.
TYPICAL_CASES = Path(__file__).parent / "starter" / "typical_cases.yaml"


def _assisted(office: Office, case_id: str, step: Step) -> Step:
    """The officer drafts with `zhifa assist`: like cases and the benchmark's proposal first,
    then records the proposal as edited (the scenario's own values win)."""
    from dataclasses import replace

    from states.fields import DISCRETION
    from terminal.assist import show_proposal, show_similar
    from workflow.assist import Assistant

    helper = Assistant.of(office)
    case = office.case(case_id)
    out.print(f"[dim]— 承办人{step.actor}用 zhifa assist {case_id} --draft 拟定决定草案：[/]")
    show_similar(helper.similar(case))
    given = {f.name: step.data[f.name] for f in DISCRETION if f.name in step.data}
    proposal = helper.propose(case, office.engine.procedure(case.procedure), given, step.on)
    show_proposal(proposal, case_id)
    return replace(step, data={**proposal["data"], **step.data})


def _drive(office: Office, scenario: Scenario, samples: Path, clock: DemoClock,
           parent: str = "") -> list[str]:  # fmt: skip
    """Drive one scenario; a scenario attached to it (a 行政强制措施) runs at its point.
    Returns the case ids, this one first."""
    proc = office.engine.procedure(scenario.procedure)
    out.print(Rule(f"{proc.label} — {scenario.title}"))
    case_id, ids = "", []
    for step in scenario.steps:
        for attached in (a for a in SCENARIOS if a.attach == (scenario.title, step.action)):
            ids += _drive(office, attached, samples, clock, parent=case_id)
            out.print(Rule(f"{proc.label} — {scenario.title}（续）"))
        clock.day = step.on
        if step.action == scenario.show_refusal_before:
            _show_refusal(office, case_id, step.on)
        if step.action == "open":
            data = {**step.data, "parent": parent} if parent else step.data
            event, case = office.open_case(scenario.procedure, step.actor, data, step.on)
            case_id = case.id
        elif step.action == "draft_decision" and "benchmark" in step.data:
            event = _act(office, case_id, _assisted(office, case_id, step), samples)
        else:
            event = _act(office, case_id, step, samples)
        docs = "、".join(f"{d['title']} {d.get('number', '')}".strip() for d in event.documents)
        label = proc.action(step.action).label  # type: ignore[union-attr]
        out.print(
            f"{step.on.isoformat()} [bold]{step.actor}[/] {label} [dim]{step.action}[/] "
            f"{proc.state_label(event.from_state)} → [cyan]{proc.state_label(event.to_state)}[/]"
            + (f"  📄 {docs}" if docs else "")
            + (f"  [dim]（{step.note}）[/]" if step.note else "")
        )
        _attach_av(office, case_id, samples, step.on)
        if step.action == "decide" and proc.rules.published:
            event, _ = office.publish(case_id, "刘洋", step.on)
            content = event.data["content"]
            out.print(f"{step.on.isoformat()} [bold]刘洋[/] 公示 [dim]publish[/] "
                      f"{content['party']} · {content['decision_number']} · {content['conclusion']}")  # fmt: skip
    return [case_id, *ids]


def _show_refusal(office: Office, case_id: str, on: date) -> None:
    """Show the law holding: the officer may not decide, and here is why."""
    out.print("[dim]— 承办人王明尝试自行作出决定：[/]")
    try:
        office.do(case_id, "decide", "王明", {}, on)
    except RefusedError as exc:
        show_error(exc)
    verdicts = [v.as_dict() for v in office.actions(case_id, "赵刚", on)]
    show_verdicts(case_id, [v for v in verdicts if v["action"] in ("decide", "serve", "withdraw")])


def _show_notices(office: Office, case_ids: list[str], out_dir: Path) -> None:
    """The decision as recorded, then every notice written out as files."""
    out.print(Rule(f"执法文书 notices — {case_ids[0]} 行政处罚决定书"))
    show_notice(office.notice(case_ids[0], "penalty_decision"))
    out_dir.mkdir(parents=True, exist_ok=True)
    formats = ["txt", "html"]
    if cjk_fonts():
        formats.append("pdf")
    else:
        out.print(f"[yellow]PDF 未生成 not produced:[/] {FONT_HINT}")
    for case_id in case_ids:
        for fmt in formats:
            written = office.export_notices(case_id, fmt, out_dir / fmt)
            out.print(f"📄 {case_id}: {len(written)} {fmt} → {out_dir / fmt}")
    if "pdf" in formats:
        show_fonts(list(office.desk.font_choice().values()))


def _archive(office: Office, case_ids: list[str], out_dir: Path, checkpoint: dict[str, Any]) -> int:
    """Each archived case as one bundle, checked offline as an auditor would."""
    out.print(Rule("卷宗 case file — archive bundles"))
    out_dir.mkdir(parents=True, exist_ok=True)
    show_case_file(case_ids[0], office.case_file(case_ids[0]))
    failures = 0
    for case_id in case_ids:
        done = office.export_archive(case_id, out_dir, pdf=bool(cjk_fonts()), by="王明",
                                     checkpoint=checkpoint)  # fmt: skip
        manifest, problems = verify_bundle(done.path)
        show_bundle_check(str(done.path), manifest, problems)
        failures += len(problems)
    return failures


def _publicity(office: Office, folder: Path) -> None:
    """The annual report and the public website (事前、事后公示)."""
    out.print(Rule("公示 publicity — 执法统计年报 and the public website"))
    year = office.clock().year
    page = folder / f"年报{year}.html"
    figures = office.report(year, page, publish=True, actor="刘洋")
    show_report(figures, published=True, html=str(page))
    built = office.publish_site(folder / "公示网站")
    out.print(f"🌐 {len(built.files)} files → {folder / '公示网站' / 'index.html'}")


def _staff(office: Office, admin: str, keyring: Keyring, config: Path) -> None:
    """Each person's own key (generated for training), registered by the admin's signed act."""
    for person in STAFF:
        key = keyring.generate(person.name)
        office.add_staff(admin, person, key.public_key, DEMO_START)
    out.print(f"登记人员 staff（各自的训练密钥 each with a generated training key, registered by "
              f"{admin}）: {'、'.join(f'{p.name}（{ROLES[p.roles[0]]}）' for p in STAFF)}")  # fmt: skip
    forged = open_office(config, office.clock, Keyring())
    try:  # a typed name is not a signature: without the admin's key nobody acts in their name
        forged.add_staff(admin, STAFF[0])
    except RefusedError as exc:
        out.print(f"[dim]— 冒用 {admin} 的姓名、但没有其密钥的人登记人员 someone types the admin's name "
                  "without holding the key:[/]")  # fmt: skip
        show_error(exc)
    finally:
        forged.store.dispose()


def _checkpoint(office: Office, folder: Path) -> dict[str, Any]:
    """An office-wide checkpoint, signed by the auditor, written to a file kept elsewhere."""
    doc = office.take_checkpoint("吴敏")
    path = folder / "检查点 checkpoint.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    st = doc["statement"]
    out.print(f"🔏 检查点 checkpoint by {st['taken_by']}: {st['size']} 条记录链 chains, "
              f"root {st['root'][:16]}… → {path}")  # fmt: skip
    return doc


def run(directory: Path | None) -> int:
    folder = directory or Path(tempfile.mkdtemp(prefix="zhifa-demo-"))
    out.print(f"演示办公室 demo office: [bold]{folder}[/]")
    keyring, clock = Keyring(), DemoClock(DEMO_START)
    admin = office_setup.admin_name(None)
    keyring.generate(admin)
    config = office_setup.create(folder, "铁锋区审计局", "铁审", admin, DEMO_AGENCY, keyring,
                                 DEMO_START)  # fmt: skip
    office = open_office(config, clock, keyring)
    store = office.store
    _staff(office, admin, keyring, config)
    from workflow.assist import Assistant

    count = Assistant.of(office).import_file(TYPICAL_CASES)
    out.print(f"导入典型案例 typical cases: {count}（{TYPICAL_CASES.name}，虚构示例）")
    case_ids = [case_id for scenario in SCENARIOS if not scenario.attach
                for case_id in _drive(office, scenario, folder / "样本 samples", clock)]  # fmt: skip
    clock.settle()
    _show_notices(office, case_ids, folder / "文书")
    checkpoint = _checkpoint(office, folder)
    failures = _archive(office, case_ids, folder / "卷宗", checkpoint)
    _publicity(office, folder)
    for case_id in case_ids:
        out.print(Rule(f"回放与校验 replay and verify — {case_id}"))
        case = office.case(case_id)
        proc = office.engine.procedure(case.procedure)
        show_events([e.as_dict() for e in office.history(case_id)], proc)
        replayed = office.replay(case_id)
        same = replayed.to_dict() == case.to_dict()
        out.print(
            f"回放结果与存储一致 replay equals stored case: {'[green]✓[/]' if same else '[red]✗[/]'}"
        )
        problems = [p.as_dict() for p in office.verify(case_id)]
        show_problems(problems, case_id)
        failures += len(problems) + (0 if same else 1)
    out.print(Rule("全局校验 the whole office against the checkpoint"))
    problems = [p.as_dict() for p in office.verify(None, checkpoint)]
    show_problems(problems, "全部案件、人员名录、计数器 all cases, the register, the counters")
    failures += len(problems)
    store.dispose()
    out.print(Rule())
    out.print(
        f"继续查看 explore: zhifa --config {config} case list\n"
        f"                 zhifa --config {config} case history {case_ids[0]}\n"
        f"                 zhifa --config {config} notice list {case_ids[0]}\n"
        f"                 zhifa --config {config} archive verify {folder / '卷宗' / (case_ids[0] + '.zip')}\n"
        f"                 {open_hint(folder / '公示网站' / 'index.html')}\n"
        f"                 zhifa --config {config} verify"
    )
    return 5 if failures else 0
