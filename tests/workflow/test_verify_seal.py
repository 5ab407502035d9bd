"""A verifier's seal (workflow/verify_seal.py, issue 16): `zhifa --as NAME verify` remembers,
signed with NAME's key, what it found sound, and NAME's next verify checks in full only what
changed since. It must never let through what a full verify finds: every tampering below is
made *after* the seal and must still be reported; a seal that was edited, is another
person's, or is for other settings is not used at all."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import drop_append_only_guard, run_steps
from tests.workflow.test_tamper_office import rewrite
from workflow.events import canonical, event_hash
from workflow.scenarios import PENALTY_WITH_HEARING, SCENARIOS
from workflow.service import Office
from workflow.verify_seal import leaf_of, seal_path

AUDITOR = "吴敏"


@pytest.fixture
def sealed(office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Office, list[str]]:
    """Five cases, verified once by the auditor (full), the triggers dropped."""
    monkeypatch.setenv("ZHIFA_KEYS", str(tmp_path / "keys"))
    for scenario in SCENARIOS:
        run_steps(office, scenario)
    problems, info = office.verify_remembering(AUDITOR)
    assert problems == []
    assert (info["used"], info["kept"], info["sound"]) == (False, True, 5)
    drop_append_only_guard(office.store.engine)
    return office, sorted(office.store.event_case_ids())


def run(office: Office, sql: str, **params: object) -> None:
    with office.store.engine.begin() as conn:
        conn.execute(sa.text(sql), params)


def again(office: Office, name: str = AUDITOR) -> tuple[list[tuple[str, int | None, str]], dict]:  # type: ignore[type-arg]
    """The verify by `name` (with their seal), which must find exactly what a full one does."""
    problems, info = office.verify_remembering(name)
    found = [(p.case, p.seq, p.problem) for p in problems]
    assert found == [(p.case, p.seq, p.problem) for p in office.verify()]
    return found, info


def test_the_next_verify_checks_in_full_only_what_changed(sealed: tuple) -> None:  # type: ignore[type-arg]
    office, cases = sealed
    problems, info = again(office)
    assert problems == []
    assert (info["used"], info["by_seal"]) == (True, 5)
    # another person's verify does not lean on the auditor's seal
    _, other = again(office, "陈静")
    assert (other["used"], other["by_seal"]) == (False, 0)
    # a case opened since is checked in full, the others by the seal; then a case acted on
    steps = PENALTY_WITH_HEARING.steps
    _, opened = office.open_case(PENALTY_WITH_HEARING.procedure, steps[0].actor, steps[0].data,
                                 steps[0].on)  # fmt: skip
    problems, info = again(office)
    assert problems == []
    assert (info["used"], info["by_seal"], info["sound"]) == (True, 5, 6)
    office.do(opened.id, steps[1].action, steps[1].actor, steps[1].data, steps[1].on)
    _, info = again(office)
    assert (info["by_seal"], info["sound"]) == (5, 6)
    _, info = again(office)
    assert info["by_seal"] == 6


def test_an_event_edited_and_rechained_after_the_seal_is_found(sealed: tuple) -> None:  # type: ignore[type-arg]
    office, cases = sealed
    case_id = cases[0]
    rewrite(office, case_id, lambda es: [e._replace(data_json=canonical({**e.data, "note": "改"}))
                                         if e.seq == 2 else e for e in es])  # fmt: skip
    problems, info = again(office)
    assert (case_id, 2, "签名无效 the signature does not verify: the event or its signature "
            "was altered") in problems
    assert info["by_seal"] == 4


def test_an_event_edited_in_the_middle_of_a_sealed_case_is_found(sealed: tuple) -> None:  # type: ignore[type-arg]
    """Head, row and signatures as sealed: the re-hashing finds it, the full check says what."""
    office, cases = sealed
    case_id = cases[0]
    e = office.store.events(case_id)[1]
    data = {**e.data, "note": "改"}
    run(office, "UPDATE events SET data = :d, hash = :h WHERE case_id = :c AND seq = :s",
        d=canonical(data), c=case_id, s=e.seq,
        h=event_hash(*e._replace(data_json=canonical(data))[:12]))  # fmt: skip
    problems, _ = again(office)
    assert (case_id, e.seq, "签名无效 the signature does not verify: the event or its signature "
            "was altered") in problems


def test_a_signature_swapped_after_the_seal_is_found(sealed: tuple) -> None:  # type: ignore[type-arg]
    office, cases = sealed
    case_id = cases[-1]
    first, second = office.store.events(case_id)[:2]
    run(office, "UPDATE events SET signature = :g WHERE case_id = :c AND seq = 2",
        g=first.signature, c=case_id)  # the content is untouched: only the signature changed
    problems, _ = again(office)
    assert (case_id, 2, "签名无效 the signature does not verify: the event or its signature "
            "was altered") in problems


def test_a_case_row_edited_after_the_seal_is_found(sealed: tuple) -> None:  # type: ignore[type-arg]
    office, cases = sealed
    run(office, "UPDATE cases SET title = 'x' WHERE id = :c", c=cases[2])
    problems, _ = again(office)
    assert (cases[2], None, "案件行与其快照不符 case row columns disagree with its snapshot: title") in problems


def test_a_seal_edited_to_cover_a_forgery_is_not_used(sealed: tuple) -> None:  # type: ignore[type-arg]
    office, cases = sealed
    case_id = cases[0]
    rewrite(office, case_id, lambda es: [e._replace(data_json=canonical({**e.data, "note": "改"}))
                                         if e.seq == 2 else e for e in es])  # fmt: skip
    # the forger rewrites the seal's leaf for that case (they hold no key of the auditor's)
    from workflow.keys import keys_dir

    files = list((keys_dir() / "verified").glob("*.seal"))
    assert len(files) == 1
    lines = files[0].read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{case_id}\t"))
    cid, seq, _, due = lines[at].rstrip("\n").split("\t")
    forged_leaf = leaf_of(office.store.events(case_id), office.store.case_row(case_id), due)
    lines[at] = f"{cid}\t{forged_leaf[0]}\t{forged_leaf[1]}\t{due}\n"
    files[0].write_text("".join(lines))
    problems, info = again(office)
    assert not info["used"]
    assert "内容与签名不符" in info["why"]
    assert any(c == case_id and p.startswith("签名无效") for c, _, p in problems)


def test_a_seal_for_other_settings_is_not_used(sealed: tuple) -> None:  # type: ignore[type-arg]
    office, _ = sealed
    from dataclasses import replace

    office.policy = replace(office.policy, periods=replace(office.policy.periods,
                                                           archive_limit_days=31))  # fmt: skip
    _, info = again(office)
    assert not info["used"]
    assert "设置已改" in info["why"]


def test_full_ignores_the_seal(sealed: tuple) -> None:  # type: ignore[type-arg]
    office, _ = sealed
    problems, info = office.verify_remembering(AUDITOR, full=True)
    assert problems == []
    assert (info["used"], info["by_seal"], info["kept"]) == (False, 0, True)


def test_seal_files_are_the_verifiers_own(sealed: tuple) -> None:  # type: ignore[type-arg]
    office, _ = sealed
    from workflow.keys import keys_dir

    (path,) = (keys_dir() / "verified").glob("*.seal")
    assert path.stat().st_mode & 0o077 == 0
    url = office.store.engine.url.render_as_string(hide_password=True)
    opening = office.store.chain("@register")[0]
    assert path == seal_path(keys_dir(), f"{opening.sig_key}|{url}", AUDITOR)
