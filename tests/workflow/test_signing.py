"""Who acted, provably (issue 14): every act signed by its actor's registered key, the staff
register a signed history judged as of each act's date, back-dating bounded.

The attacks of the issue, each refused: someone types the admin's name (or another clerk's)
without holding their key; an officer whose certificate expired back-dates an act into its
validity; an act dated far back without a head's approval.
"""

from __future__ import annotations

from datetime import date

import pytest

from rules.model import Case, Person
from states.penalty import PENALTY
from tests.conftest import ADMIN, REGISTER_START, make_office, office_settings, run_steps
from workflow.config import PeriodSettings
from workflow.errors import BadInputError, NotFoundError, RefusedError
from workflow.keys import Keyring
from workflow.scenarios import PENALTY_WITH_HEARING, Step
from workflow.service import Office
from workflow.signatures import check_register

OPENING = PENALTY_WITH_HEARING.steps[0].data


def codes(info: pytest.ExceptionInfo[RefusedError]) -> set[str]:
    return {r.code for r in info.value.reasons}


def strict(url: str) -> Office:
    """An office with the default bound on back-dating (5 working days)."""
    return make_office(url, office_settings(periods=PeriodSettings()))  # type: ignore[call-arg]


def as_caller(office: Office, keyring: Keyring) -> Office:
    """The same office, opened by a caller who holds only `keyring`'s keys."""
    return Office(office.store, office.policy, clock=office.clock, files=office.files,
                  signer=keyring)  # fmt: skip


def live(office: Office, steps: tuple[Step, ...]) -> Case:
    """Drive steps as clerks do, each on its own day (the office clock follows them)."""
    case_id, case = "", None
    for step in steps:
        office.clock = lambda day=step.on: day
        if step.action == "open":
            _, case = office.open_case(PENALTY.id, step.actor, step.data, step.on)
            case_id = case.id
        else:
            _, case = office.do(case_id, step.action, step.actor, step.data, step.on)
    assert case is not None
    return case


def test_every_act_carries_its_actors_signature(office: Office) -> None:
    case = run_steps(office, PENALTY_WITH_HEARING)
    events = office.history(case.id)
    assert all(e.sig_alg == "ed25519" and e.signature for e in events)
    state = office.register_history().current
    for e in events:
        assert e.sig_key in {k.id for k in state.people[e.actor].current_keys()}
    assert office.verify() == []


def test_a_typed_name_is_not_a_signature(lite: Office) -> None:
    """Before: `ZHIFA_USER=管理员 zhifa staff add X --role admin` made anyone an admin. Now the
    actor is the holder of the key: a caller holding only their own key cannot act as another."""
    mine = Keyring()
    mine.generate("王明")  # a key of 王明's own, never registered: it is not 王明's registered key
    clerk = as_caller(lite, mine)
    with pytest.raises(RefusedError) as info:
        clerk.add_staff(ADMIN, Person("冒名者", ("admin",)))
    assert codes(info) == {"no_key"}
    with pytest.raises(RefusedError) as info:
        clerk.set_active(ADMIN, ADMIN, False)
    assert codes(info) == {"no_key"}
    with pytest.raises(RefusedError) as info:
        clerk.open_case(PENALTY.id, "王明", OPENING, date(2026, 3, 2))
    assert "no_key" in codes(info)
    assert "冒名者" not in lite.staff()
    assert lite.cases() == []
    assert lite.verify() == []


def test_only_an_active_admin_changes_the_register(lite: Office) -> None:
    with pytest.raises(RefusedError) as info:
        lite.add_staff("王明", Person("新人", ("officer",)))
    assert codes(info) == {"not_admin"}
    with pytest.raises(NotFoundError):
        lite.set_active(ADMIN, "无此人", False)


def test_the_last_admin_cannot_be_removed(lite: Office) -> None:
    lite.change_register(ADMIN, "staff_role_add", {"person": ADMIN, "role": "auditor"})
    for change, data in (("staff_deactivate", {}), ("staff_role_remove", {"role": "admin"}),
                         ("staff_key_revoke", {})):  # fmt: skip
        with pytest.raises(RefusedError) as info:
            lite.change_register(ADMIN, change, {"person": ADMIN, **data})
        assert codes(info) == {"last_admin"}, change
    # with a second admin, the first may go
    assert isinstance(lite.signer, Keyring)
    lite.change_register(ADMIN, "staff_role_add", {"person": "赵刚", "role": "admin"})
    lite.set_active(ADMIN, ADMIN, False)
    assert not lite.staff()[ADMIN].active
    with pytest.raises(RefusedError) as info:  # the deactivated admin signs nothing more
        lite.set_active(ADMIN, ADMIN, True)
    assert codes(info) == {"not_admin"}
    lite.set_active("赵刚", ADMIN, True)
    assert lite.verify() == []


def test_the_register_is_a_signed_history_and_a_career_reads_from_it(lite: Office) -> None:
    lite.change_register(ADMIN, "staff_renew", {"person": "王明", "cert_no": "铁审执02001",
                                                "cert_valid_until": "2031-12-31"}, date(2026, 6, 1))  # fmt: skip
    lite.change_register(ADMIN, "staff_unit", {"person": "王明", "unit": "法规审理科"}, date(2026, 7, 1))
    lite.change_register(ADMIN, "staff_role_add", {"person": "王明", "role": "hearing_officer"},
                         date(2026, 7, 1))  # fmt: skip
    career = lite.staff_history("王明")
    assert [e["action"] for e in career] == ["staff_add", "staff_renew", "staff_unit",
                                              "staff_role_add"]  # fmt: skip
    assert all(e["by"] == ADMIN for e in career)
    history = lite.register_history()
    assert history.as_of(date(2026, 5, 31)).people["王明"].person.cert_no == "铁审执01001"
    assert history.as_of(date(2026, 6, 1)).people["王明"].person.cert_no == "铁审执02001"
    assert history.as_of(date(2026, 6, 30)).people["王明"].person.unit is None
    assert lite.staff()["王明"].unit == "法规审理科"
    assert check_register(history) == []
    with pytest.raises(BadInputError, match="never go back"):  # changes never go back in time
        lite.change_register(ADMIN, "staff_unit", {"person": "王明", "unit": "x"}, date(2026, 6, 30))


def test_guards_judge_an_act_by_the_register_as_of_its_date(lite: Office) -> None:
    """王明 stops being an officer on 4 March: an act of 3 March stands, one of 5 March does not."""
    case = run_steps(lite, PENALTY_WITH_HEARING, until="add_evidence")
    lite.change_register(ADMIN, "staff_role_add", {"person": "王明", "role": "publisher"},
                         date(2026, 3, 4))  # fmt: skip
    lite.change_register(ADMIN, "staff_role_remove", {"person": "王明", "role": "officer"},
                         date(2026, 3, 4))  # fmt: skip
    evidence = {"type": "documentary", "title": "凭证"}
    lite.do(case.id, "add_evidence", "王明", evidence, date(2026, 3, 3))
    with pytest.raises(RefusedError) as info:
        lite.do(case.id, "add_evidence", "王明", evidence, date(2026, 3, 5))
    assert "role_not_permitted" in codes(info)
    assert lite.verify() == []


def test_a_rotated_key_signs_from_its_day_and_a_revoked_key_signs_nothing(lite: Office) -> None:
    assert isinstance(lite.signer, Keyring)
    case = run_steps(lite, PENALTY_WITH_HEARING, until="add_evidence")
    new = lite.signer.generate("王明")
    lite.change_register(ADMIN, "staff_key", {"person": "王明", "public_key": new.public_key},
                         date(2026, 3, 4))  # fmt: skip
    event, _ = lite.do(case.id, "add_evidence", "王明", {"type": "documentary", "title": "a"},
                       date(2026, 3, 4))  # fmt: skip
    assert event.sig_key == new.id
    lite.change_register(ADMIN, "staff_key_revoke", {"person": "王明"}, date(2026, 3, 5))
    with pytest.raises(RefusedError) as info:  # 电子签名法 Art. 15: a compromised key is not used
        lite.do(case.id, "add_evidence", "王明", {"type": "documentary", "title": "b"},
                date(2026, 3, 5))  # fmt: skip
    assert "no_key" in codes(info)
    assert lite.verify() == []


def test_an_expired_officer_cannot_back_date_into_the_certificates_validity(sqlite_url: str) -> None:
    """Before: an officer whose certificate expired acted with `--on` inside its validity."""
    office = strict(sqlite_url)
    assert isinstance(office.signer, Keyring)
    key = office.signer.generate("钱进")
    expiring = Person("钱进", ("officer",), "铁审执01009", "审计执法", date(2026, 5, 31))
    office.add_staff(ADMIN, expiring, key.public_key, REGISTER_START)
    with pytest.raises(RefusedError) as info:
        office.open_case(PENALTY.id, "钱进", OPENING, date(2026, 5, 20))
    assert {"certificate_invalid_today", "backdate_needs_approval"} <= codes(info)
    # a head's approval of the late record does not cure an expired certificate
    office.approve_backdate("赵刚", "", "open", date(2026, 5, 20), "钱进", "系统故障补录")
    with pytest.raises(RefusedError) as info:
        office.open_case(PENALTY.id, "钱进", OPENING, date(2026, 5, 20))
    assert codes(info) == {"certificate_invalid_today"}
    # while the certificate was valid, the same act was recordable
    office.clock = lambda: date(2026, 5, 22)
    _, case = office.open_case(PENALTY.id, "钱进", OPENING, date(2026, 5, 20))
    assert case.opened_on == "2026-05-20"
    assert office.verify() == []


def test_an_act_dated_far_back_needs_a_heads_signed_approval(sqlite_url: str) -> None:
    office = strict(sqlite_url)
    case = live(office, PENALTY_WITH_HEARING.steps[:3])  # each act on its own day
    office.clock = lambda: date(2026, 3, 20)
    evidence = {"type": "documentary", "title": "补录的凭证"}
    with pytest.raises(RefusedError) as info:  # 3 March is 13 working days before 20 March
        office.do(case.id, "add_evidence", "王明", evidence, date(2026, 3, 3))
    assert codes(info) == {"backdate_needs_approval"}
    with pytest.raises(RefusedError) as info:
        office.approve_backdate("王明", case.id, "add_evidence", date(2026, 3, 3), "王明", "自批")
    assert codes(info) == {"not_head"}
    approval = office.approve_backdate("赵刚", case.id, "add_evidence", date(2026, 3, 3), "王明",
                                       "现场取证当日系统故障，事后补录")  # fmt: skip
    event, _ = office.do(case.id, "add_evidence", "王明", evidence, date(2026, 3, 3))
    assert event.data["backdate_approval"] == {"seq": approval.seq, "hash": approval.hash,
                                               "by": "赵刚"}  # fmt: skip
    # within the bound (5 working days back) no approval is needed
    event, _ = office.do(case.id, "add_evidence", "李华", evidence, date(2026, 3, 13))
    assert "backdate_approval" not in event.data
    assert office.verify() == []


def test_the_register_opens_once_with_the_first_admins_own_key(sqlite_url: str) -> None:
    office = make_office(sqlite_url)
    with pytest.raises(BadInputError, match="already open"):
        office.open_register(ADMIN)
    first = office.register_history().events[0]
    assert (first.action, first.actor, first.data["roles"]) == ("register_open", ADMIN, ["admin"])
    assert first.sig_key == office.register_history().current.people[ADMIN].keys[0].id
