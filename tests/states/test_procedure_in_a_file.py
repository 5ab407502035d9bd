"""A procedure written in this test file runs end to end — opened, acted on, refused with
reasons, noticed, its deadline counted and alerted, replayed, verified, archived and checked
offline, published, drawn on the website and counted in the statistics — with no code change
outside this file and its template (issue 13: the definition is the only place a procedure
lives).

The procedure is a 行政检查 (the bureau's plan applies the three systems to 行政监督检查 too):
notify the inspected unit, inspect on the spot, report within 5 working days, conclude.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from documents.render import Templates
from rules.act import GUARDS, Act, Guard
from rules.deadlines import PERIODS, Period, Start
from rules.model import Case, Reason
from rules.notices import NoticeKind
from rules.policy import Policy
from states import fields as f
from states import stages as s
from states.catalog import PROCEDURES
from states.definition import NEW, SAME, Action, Issue, Procedure, ProcedureRules, State
from states.vocabulary import Outcome
from tests.conftest import TODAY, make_office
from workflow.engine import Engine
from workflow.events import Event
from workflow.machine import load_machines
from workflow.notices import NoticeDesk
from workflow.projection import REDUCERS
from workflow.service import Office


# -- the definition, its guard, its period, its projection, its notice ---------------------------
def inspection_scope_stated(act: Act) -> list[Reason]:
    """The inspection names what it inspects."""
    if str(act.input.get("scope") or "").strip():
        return []
    return [Reason("no_scope", "检查须写明检查事项（scope）", "审计法第三十四条")]


def _inspected(case: Case, _p: Policy) -> Iterator[Start]:
    inspected = case.details.get("inspected")
    if inspected:
        concluded = (case.decision or {}).get("on")
        yield Start(date.fromisoformat(inspected["on"]),
                    date.fromisoformat(concluded) if concluded else None)  # fmt: skip


def _inspect(case: Case, e: Event, d: dict[str, Any]) -> None:
    case.details["inspected"] = {"seq": e.seq, "on": e.occurred_on, **d}


def _conclude(case: Case, e: Event, d: dict[str, Any]) -> None:
    draft = {"outcome": Outcome.MEASURES, "facts": d["findings"], "basis": d["basis"]}
    case.draft = draft
    case.decision = {"seq": e.seq, "on": e.occurred_on, "by": e.actor, "draft": draft}


REPORT = Period(id="inspection_report", label="检查结论期限", kind="obligation", unit="working",
                length=5, source="本局行政检查工作规则", starts=_inspected)  # fmt: skip
NOTICE = NoticeKind(kind="inspection_notice", label="行政检查通知书", code="检通", to_party=True)


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """What this file adds to the registries, for this test only (the house's own extension
    points: @guard, rules.deadlines.register, rules.notices.register, @reducer)."""
    from rules import notices

    monkeypatch.setitem(GUARDS, "inspection_scope_stated",
                        Guard("inspection_scope_stated", inspection_scope_stated, True))  # fmt: skip
    monkeypatch.setitem(PERIODS, REPORT.id, REPORT)
    monkeypatch.setitem(REDUCERS, "inspect", _inspect)
    monkeypatch.setitem(REDUCERS, "conclude_inspection", _conclude)
    for table, value in ((notices.NOTICE_KINDS, NOTICE), (notices.NOTICE_LABELS, NOTICE.label),
                         (notices.NUMBER_CODES, NOTICE.code)):  # fmt: skip
        monkeypatch.setitem(table, NOTICE.kind, value)


STATES = (
    State(id="notified", label="已通知", en="notified"),
    State(id="inspecting", label="检查中", en="inspecting"),
    State(id="concluded", label="检查结束", en="concluded"),
    State(id="closed", label="结案", en="closed"),
    State(id="archive", label="归档", en="archive", final=True),
)
INSPECTION = Procedure(
    id="inspection", prefix="C", label="行政检查", initial="notified", states=STATES,
    rules=ProcedureRules(outcomes=(Outcome.MEASURES,), notice_action="",
                         filing_finding="依法需要实施行政检查", public_kind="行政检查"),
    deadlines=("inspection_report", "publicity_other", "archive_limit"),
    actions=(
        Action(id="open", label="通知检查", en="notify", sources=(NEW,), target="notified",
               roles=s.OFFICER, guards=("officer_certified", "party_recorded",
                                        "inspection_scope_stated", "partner_certified"),
               notices=(Issue(kind="inspection_notice"),),
               fields=(*f.PARTY, f.text("scope", "检查事项"), f.text("partner", "同行执法人员"))),
        Action(id="inspect", label="现场检查", en="inspect", sources=("notified",),
               target="inspecting", roles=s.OFFICER, guards=s.FACING_PARTY, on_site=True,
               fields=(f.text("record", "检查记录", required=True),)),
        Action(id="conclude_inspection", label="作出检查结论", en="conclude",
               sources=("inspecting",), target="concluded", roles=s.HEAD,
               fields=(f.text("findings", "检查发现", required=True),
                       f.text("basis", "依据", required=True))),
        Action(id="close", label="结案", en="close", sources=("concluded",), target="closed",
               roles=s.HEAD, notices=(Issue(kind="closing_report"),), fields=f.CLOSE),
        s.record_av(STATES),
        Action(id="publish", label="公示", en="publish", sources=("concluded", "closed"),
               target=SAME, roles=s.PUBLISHER, guards=("decision_to_publish", "publication_matches"),
               fields=f.PUBLISH),
        Action(id="archive", label="归档", en="archive", sources=("closed",), target="archive",
               roles=s.OFFICER, guards=("assigned_officer", "case_file_complete"),
               notices=(Issue(kind="file_index"),)),
    ),
)  # fmt: skip

TEMPLATE = """{% extends "_notice.md.j2" %}
{% block body %}
{{ party.name }}：

　　本局定于近期对你单位{{ case.details.scope }}进行行政检查，请予配合（《中华人民共和国审计法》第三十四条）。
{% endblock %}
"""


@pytest.fixture
def office(tmp_path: Path, registered: None) -> Iterator[Office]:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "inspection_notice.md.j2").write_text(TEMPLATE, encoding="utf-8")
    templates = Templates(folder)
    engine = Engine(load_machines({**PROCEDURES, INSPECTION.id: INSPECTION}, templates))
    made = make_office(f"sqlite:///{tmp_path / 'office.db'}", files=tmp_path / "files")
    made.engine = engine
    made.desk = NoticeDesk(templates)
    yield made
    made.store.dispose()


OPENING = {"title": "铁锋区某局财务管理检查", "party": "铁锋区某局", "party_type": "unit",
           "party_id": "11230200MB1X5Y6T78", "party_address": "铁锋区政府路2号",
           "scope": "2026年度财务管理情况", "partner": "李华"}  # fmt: skip


def test_a_procedure_defined_in_a_test_file_runs_end_to_end(office: Office, tmp_path: Path) -> None:
    from rules.errors import RefusedError
    from workflow.archive import verify_bundle
    from workflow.site import build_site

    with pytest.raises(RefusedError) as refused:  # refused with reasons, its own guard among them
        office.open_case(INSPECTION.id, "王明", {**OPENING, "scope": ""}, date(2026, 10, 12))
    assert "no_scope" in {r.code for r in refused.value.reasons}

    _, case = office.open_case(INSPECTION.id, "王明", OPENING, date(2026, 10, 12))
    assert case.id == "C-2026-0001"  # its own prefix and counter
    assert office.notice(case.id, "inspection_notice")["number"] == "铁审检通〔2026〕1号"
    office.do(case.id, "inspect", "王明", {"record": "查阅会计账簿12册"}, date(2026, 10, 14))
    alerts = [a for a in office.alerts(30) if a["case"] == case.id]
    assert [(a["id"], a["due"]) for a in alerts] == [("inspection_report", "2026-10-21")]
    # an on-the-spot act calls for its video
    assert [g["action"] for g in office.view(office.case(case.id))["av_missing"]] == ["inspect"]
    office.do(case.id, "conclude_inspection", "赵刚",
              {"findings": "财务管理基本规范", "basis": "《审计法》第三十四条"}, date(2026, 10, 20))  # fmt: skip
    office.publish(case.id, "刘洋", date(2026, 10, 20))
    office.do(case.id, "close", "赵刚", {}, date(2026, 10, 21))
    _, case = office.do(case.id, "archive", "王明", {}, date(2026, 10, 22))
    assert case.state == "archive"

    assert office.replay(case.id).to_dict() == office.case(case.id).to_dict()
    assert office.verify() == []
    bundle = office.export_archive(case.id, tmp_path / "bundle.zip", pdf=False, by="王明").path
    manifest, problems = verify_bundle(bundle)
    assert (manifest["procedure"], problems) == (INSPECTION.id, [])

    site = build_site(office, "依法检查", [], TODAY)
    assert "flow/inspection.svg" in site
    assert "行政检查" in site["results/index.html"].decode()
    figures = office.annual_report(2026)
    assert figures["opened"]["by_procedure"] == {INSPECTION.id: 1}
    assert figures["procedure_labels"][INSPECTION.id] == "行政检查"
