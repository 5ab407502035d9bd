"""Publicity: publish / withdraw as case events, masked; the annual statistics by SQL on both
stores against cases whose figures are known; the public website, idempotent and clean."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from rules.deadlines import case_deadlines
from states.penalty import PENALTY
from tests.conftest import STARTER_POWERS, run_steps
from tests.documents.cases import NO_PENALTY, REFERRAL
from workflow.errors import BadInputError, RefusedError
from workflow.scenarios import AUDIT_WITH_SUPPLEMENT, PENALTY_WITH_HEARING, Scenario
from workflow.service import Office
from workflow.site import MARKER, MARKER_TEXT, build_site, load_powers, write_site

ID_NUMBER, PHONE, NAME = "230202198503121238", "13812345678", "张三丰"


def individual(scenario: Scenario = PENALTY_WITH_HEARING) -> Scenario:
    """The same case against a person, whose ID and phone also appear in the facts."""

    def person(step):  # type: ignore[no-untyped-def]
        if step.action == "open":
            return replace(
                step,
                data={
                    **step.data,
                    "party": NAME,
                    "party_type": "individual",
                    "party_id": ID_NUMBER,
                    "title": f"{NAME}虚报冒领补助案",
                },
            )
        if step.action == "draft_decision":
            facts = f"{NAME}（身份证号{ID_NUMBER}，电话{PHONE}）{step.data['facts']}"
            return replace(step, data={**step.data, "facts": facts})
        return step

    return Scenario(scenario.procedure, scenario.title, tuple(person(s) for s in scenario.steps))


def decided(office: Office, scenario: Scenario) -> str:
    return run_steps(office, scenario, until="serve").id


def test_publish_records_the_masked_result_and_meets_the_deadline(office: Office) -> None:
    case_id = decided(office, individual())
    event, case = office.publish(case_id, "刘洋", date(2026, 4, 2))
    content = event.data["content"]
    assert content["party"] == "张某某"
    assert content["decision_number"] == "铁审罚〔2026〕1号"
    assert NAME not in repr(content)
    assert ID_NUMBER not in repr(content)
    assert PHONE not in repr(content)
    found = {d.id: d.status for d in case_deadlines(case, office.policy, PENALTY.deadlines, date(2026, 4, 20))}
    assert found["publicity_penalty"] == "met"
    with pytest.raises(RefusedError) as info:  # nothing changed: nothing to publish again
        office.publish(case_id, "刘洋", date(2026, 4, 3))
    assert info.value.reasons[0].code == "already_published"


def test_published_content_cannot_be_typed_by_hand(office: Office) -> None:
    case_id = decided(office, individual())
    forged = {"party": NAME, "party_id": ID_NUMBER}
    with pytest.raises(RefusedError) as info:
        office.do(case_id, "publish", "刘洋", {"content": forged}, date(2026, 4, 2))
    assert "publication_content" in {r.code for r in info.value.reasons}
    with pytest.raises(RefusedError):  # only the publisher (公示员) publishes
        office.publish(case_id, "王明", date(2026, 4, 2))


def test_nothing_is_published_before_a_decision(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING, until="decide")
    with pytest.raises(RefusedError) as info:
        office.publish(case.id, "刘洋", date(2026, 4, 1))
    assert {"wrong_state", "no_decision"} <= {r.code for r in info.value.reasons}


def test_a_revoked_decision_is_withdrawn_with_its_reason(office: Office) -> None:
    case_id = decided(office, PENALTY_WITH_HEARING)
    office.publish(case_id, "刘洋", date(2026, 4, 2))
    _, case = office.do(case_id, "revoke_decision", "赵刚",
                        {"kind": "revoked", "reason": "铁锋区人民政府行政复议决定撤销"}, date(2026, 10, 30))  # fmt: skip
    found = {
        d.id: (d.due, d.status) for d in case_deadlines(case, office.policy, PENALTY.deadlines, date(2026, 11, 2))
    }
    assert found["publicity_withdrawal"] == (date(2026, 11, 4), "open")
    with pytest.raises(BadInputError):
        office.do(case_id, "withdraw_publication", "刘洋", {}, date(2026, 11, 2))
    _, case = office.do(case_id, "withdraw_publication", "刘洋",
                        {"reason": "原决定已被行政复议撤销"}, date(2026, 11, 2))  # fmt: skip
    found = {d.id: d.status for d in case_deadlines(case, office.policy, PENALTY.deadlines, date(2026, 11, 5))}
    assert found["publicity_withdrawal"] == "met"
    with pytest.raises(RefusedError) as info:  # a revoked decision is not published again
        office.publish(case_id, "刘洋", date(2026, 11, 3))
    assert "decision_revoked" in {r.code for r in info.value.reasons}
    assert office.verify(case_id) == []


# -- statistics -------------------------------------------------------------------------------
def test_annual_statistics_match_the_known_figures(office: Office) -> None:
    """Four cases decided in 2026 with hand-known figures, one still open, one opened in 2025."""
    heard = run_steps(office, PENALTY_WITH_HEARING, until="archive")  # fine 120,000; hearing
    audit = run_steps(office, AUDIT_WITH_SUPPLEMENT)  # 处理措施 only; a supplement, two rounds
    minor = run_steps(office, NO_PENALTY)  # no penalty; one review
    refer = run_steps(office, REFERRAL)  # referral; one review
    office.publish(heard.id, "刘洋", date(2026, 10, 30))  # late: due 13 Apr
    run_steps(office, PENALTY_WITH_HEARING, until="investigate")  # opened, not decided
    opening = replace(PENALTY_WITH_HEARING.steps[0], on=date(2025, 12, 30))
    data = {**opening.data, "discovered_on": "2025-12-29"}
    office.open_case(PENALTY.id, opening.actor, data, opening.on)
    f = office.annual_report(2026)
    assert f["opened"] == {"total": 5, "by_procedure": {"audit": 1, "penalty": 4}}
    assert f["decided"]["total"] == 4
    assert f["decided"]["by_procedure"] == {"audit": 1, "penalty": 3}
    assert f["decided"]["by_outcome"] == {"penalty": 1, "no_penalty_minor": 1, "refer": 1,
                                          "measures_only": 1}  # fmt: skip
    assert Decimal(f["fines_total"]) == Decimal("120000")
    # 罚款 120,000 imposed, 50,000 paid, the rest and the 加处罚款 (capped at the fine) unpaid
    assert {k: Decimal(v) for k, v in f["fines"].items()} == {
        "imposed": Decimal("120000"), "collected": Decimal("50000"),
        "outstanding": Decimal("190000")}  # fmt: skip
    assert f["reviews"] == {
        "cases": 4,
        "rounds": 5,
        "first_pass": 3,
        "returned": 0,
        "supplements": 1,
    }
    assert f["hearings"] == 1
    assert f["published"] == 1
    # opened → decided: 30 (2 Mar → 1 Apr), 39 (1 Sep → 10 Oct), 10 and 10 days
    assert f["average_days"]["opened_to_decided"] == round((30 + 39 + 10 + 10) / 4, 1)
    # decided → served: 1 (1 → 2 Apr) and 2 (10 → 12 Oct); served → closed: 211 and 21 days
    assert f["average_days"]["decided_to_served"] == 1.5
    assert f["average_days"]["served_to_closed"] == 116.0
    cases = [office.case(c.id) for c in (heard, audit, minor, refer)]
    met = sum(office.figures(c)["deadlines_met"] for c in cases)
    # missed: done late, or still open past the due date as of today (the office's clock)
    missed = sum(1 for c in cases for d in case_deadlines(
        c, office.policy, office.engine.procedure(c.procedure).deadlines, office.clock())
        if d.kind == "obligation" and d.status == "overdue")  # fmt: skip
    assert f["deadlines"] == {"met": met, "missed": missed}
    assert missed > sum(office.figures(c)["deadlines_missed"] for c in cases)  # the trial's 0
    assert met > 0
    empty = office.annual_report(2024)
    assert empty["opened"]["total"] == 0
    assert empty["average_days"]["opened_to_decided"] is None


def test_a_deadline_left_open_past_its_day_counts_as_missed(office: Office) -> None:
    """Trial: the annual report said 0 missed while `alerts` listed the same obligations
    overdue — the case row had judged them as of its last act. The report counts every
    obligation overdue as of its own day (or the year's end), as case show would."""
    served = run_steps(office, PENALTY_WITH_HEARING, until="record_payment")  # due 17 Apr
    for today in (date(2026, 4, 10), date(2026, 5, 4), date(2027, 2, 1)):
        seen = Office(office.store, office.policy, clock=lambda t=today: t, files=office.files)
        as_of = min(today, date(2026, 12, 31))
        expected = sum(1 for d in case_deadlines(served, office.policy, PENALTY.deadlines, as_of)
                       if d.kind == "obligation" and d.status == "overdue")  # fmt: skip
        assert seen.annual_report(2026)["deadlines"]["missed"] == expected, today
    late = Office(office.store, office.policy, clock=lambda: date(2026, 5, 4), files=office.files)
    assert "payment_due" in {a["id"] for a in late.alerts(0) if a.get("status") == "overdue"}
    assert late.annual_report(2026)["deadlines"]["missed"] > office.figures(served)["deadlines_missed"]


def test_a_tampered_figure_column_is_found_by_verify(office: Office) -> None:
    import sqlalchemy as sa

    case = run_steps(office, NO_PENALTY)
    with office.store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE cases SET fine_cents = 99900 WHERE id = :c"), {"c": case.id})
    [problem] = office.verify(case.id)
    assert "fine_cents" in problem.problem


# -- the public website ------------------------------------------------------------------------
@pytest.fixture
def site_office(office: Office) -> Office:
    """Published: an individual's case and a company's (later withdrawn); not published: one."""
    person = decided(office, individual())
    office.publish(person, "刘洋", date(2026, 4, 2))
    company = decided(office, PENALTY_WITH_HEARING)
    office.publish(company, "刘洋", date(2026, 4, 2))
    office.do(
        company,
        "revoke_decision",
        "赵刚",
        {"kind": "revoked", "reason": "复议撤销"},
        date(2026, 4, 7),
    )
    office.do(
        company, "withdraw_publication", "刘洋", {"reason": "原决定已被撤销"}, date(2026, 4, 8)
    )
    hidden = individual(NO_PENALTY)
    opening = hidden.steps[0]
    hidden = replace(hidden, steps=(replace(opening, data={**opening.data, "party": "李秘密",
                     "party_id": "230202199001011236"}), *hidden.steps[1:]))  # fmt: skip
    run_steps(office, hidden)  # decided, never published
    office.publish_report(2026, "刘洋")
    return office


def _site(office: Office, out: Path, page_size: int = 1) -> dict[str, bytes]:
    powers = load_powers(STARTER_POWERS)
    files = build_site(office, "依法审计监督", powers, date(2026, 11, 24), page_size)
    write_site(files, out)
    return files


def test_the_site_shows_only_what_was_published_masked(site_office: Office, tmp_path: Path) -> None:
    files = _site(site_office, tmp_path / "site")
    text = "\n".join(data.decode() for path, data in files.items())
    for secret in (ID_NUMBER, PHONE, NAME, "李秘密", "230202199001011236", "工业路88号"):
        assert secret not in text, secret
    assert "张某某" in text
    withdrawn = files["results/P-2026-0002.html"].decode()
    assert "本条信息已于 2026-04-08 撤回。理由：原决定已被撤销" in withdrawn
    assert "P-2026-0003" not in text  # the unpublished case
    assert {"results/index.html", "results/page-2.html", "reports/2026.html", "flow/penalty.svg",
            "flow/audit.svg", "results/search.html"} <= set(files)  # fmt: skip
    index = files["index.html"].decode()
    assert "SJ-CF-001" in index
    assert "铁审执01001" in index
    assert "周平" not in index  # not an officer: not in the officer list


def test_site_generation_is_idempotent(site_office: Office, tmp_path: Path) -> None:
    first = _site(site_office, tmp_path / "site")
    on_disk = {p.relative_to(tmp_path / "site").as_posix(): p.read_bytes()
               for p in (tmp_path / "site").rglob("*") if p.is_file()}  # fmt: skip
    assert on_disk.pop(MARKER) == MARKER_TEXT  # the folder says it is the command's own
    assert on_disk == first
    second = _site(site_office, tmp_path / "site")
    assert second == first
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")]  # no leftovers


def test_one_more_publication_rewrites_only_its_page_and_the_lists(
    site_office: Office, tmp_path: Path
) -> None:
    """Every other page keeps its file (same inode): a site of thousands of results is not
    written again for one new result (issue 16)."""
    out = tmp_path / "site"
    _site(site_office, out, page_size=20)
    before = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    audit = decided(site_office, AUDIT_WITH_SUPPLEMENT)
    site_office.publish(audit, "刘洋", date(2026, 10, 12))
    files = _site(site_office, out, page_size=20)
    after = {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    rewritten = {path for path, inode in after.items() if before.get(path) != inode}
    assert rewritten == {f"results/{audit}.html", "index.html", "results/index.html",
                         "results/search.html"}  # fmt: skip
    assert {path: (out / path).read_bytes() for path in files} == files
    assert "审计决定" in (out / "results" / f"{audit}.html").read_text("utf-8")


def test_a_page_reached_through_a_planted_link_is_written_not_linked(
    site_office: Office, tmp_path: Path
) -> None:
    """A folder of the old site swapped for a link to somewhere else: the new site carries
    none of the files found there, even byte-identical ones."""
    import shutil

    out = tmp_path / "site"
    _site(site_office, out, page_size=20)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(out / "flow", elsewhere)
    (out / "flow").symlink_to(elsewhere, target_is_directory=True)
    _site(site_office, out, page_size=20)
    assert not (out / "flow").is_symlink()
    assert (out / "flow" / "penalty.svg").stat().st_ino != (elsewhere / "penalty.svg").stat().st_ino


def test_the_flowchart_is_drawn_from_the_definition(office: Office) -> None:
    import xml.etree.ElementTree as ET

    from documents.charts import flowchart

    for procedure in ("penalty", "audit"):
        proc = office.engine.procedure(procedure)
        svg = flowchart(proc)
        ET.fromstring(svg)  # well-formed
        for state in proc.states:
            assert state.label in svg
        for action in proc.actions:
            assert action.label in svg, action.label


def test_a_withdrawal_reason_reaches_the_site_masked(office: Office, tmp_path: Path) -> None:
    """Before: the withdrawal reason was published verbatim, and numbers written with spaces
    or dashes survived the masking."""
    case_id = decided(office, individual())
    office.publish(case_id, "刘洋", date(2026, 9, 3))
    office.do(case_id, "revoke_decision", "赵刚", {"kind": "revoked", "reason": "复议撤销"},
              date(2026, 9, 7))  # fmt: skip
    reason = (f"{NAME}（身份证 2302 0219 8503 1212 38，电话 138-1234-5678，邮箱 zsf@example.com，"
              "住铁锋区工业路88号3单元501室）申请复议，原决定已撤销")  # fmt: skip
    office.do(case_id, "withdraw_publication", "刘洋", {"reason": reason}, date(2026, 9, 8))
    files = _site(office, tmp_path / "site")
    page = files[f"results/{case_id}.html"].decode()
    assert ("理由：张某某（身份证 [号码已隐去]，电话 [号码已隐去]，邮箱 [邮箱已隐去]，住[地址已隐去]）"
            "申请复议，原决定已撤销") in page  # fmt: skip
    site = "\n".join(data.decode() for data in files.values())
    for secret in (NAME, "2302 0219", "138-1234", "zsf@", "工业路88号", "501室"):
        assert secret not in site, secret
    assert reason in office.history(case_id)[-1].data["reason"]  # the office keeps it all


def test_the_publisher_redacts_a_span_with_its_reason(office: Office) -> None:
    """审计法第四十条, 政府信息公开条例第十五条: a trade secret in the facts is withheld; the
    event records what and why; the case keeps the full text."""
    case_id = decided(office, PENALTY_WITH_HEARING)
    facts = office.case(case_id).decision["draft"]["facts"]  # type: ignore[index]
    span = facts[2:8]
    redactions = [{"text": span, "reason": "trade_secret"}]
    event, case = office.publish(case_id, "刘洋", date(2026, 9, 3), redactions)
    assert event.data["redactions"] == redactions
    assert span not in event.data["content"]["facts"]
    assert "[依法不予公开：商业秘密]" in event.data["content"]["facts"]
    assert case.decision["draft"]["facts"] == facts  # type: ignore[index]
    with pytest.raises(RefusedError) as info:  # a reason the law does not give
        office.publish(case_id, "刘洋", date(2026, 9, 4), [{"text": span, "reason": "尴尬"}])
    assert info.value.reasons[0].code == "bad_redaction"
    assert office.verify(case_id) == []
