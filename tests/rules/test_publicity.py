"""Masking before anything is published (property-tested), and the publish / withdraw
deadlines across the 2026 National Day holiday."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from rules.identifiers import id_number_check_char
from rules.model import Case
from rules.policy import Masking, Policy
from rules.publicity import ID_NUMBER, MOBILE, mask_name, public_record, scrub
from states.penalty import PENALTY


def test_names_are_masked_by_the_configured_rule() -> None:
    assert mask_name("张三丰") == "张某某"
    assert mask_name("李四") == "李某"
    assert mask_name("欧阳娜娜", "initial") == "欧*"
    assert mask_name("王五", "hide") == "某某"


id_numbers = st.builds(
    lambda area, born, seq: (body := f"{area}{born:%Y%m%d}{seq:03d}") + id_number_check_char(body),
    st.integers(110000, 659999).map(str),
    st.dates(date(1930, 1, 1), date(2010, 12, 31)),
    st.integers(0, 999),
)
mobiles = st.builds(
    lambda p, n: f"1{p}{n:09d}", st.sampled_from("3456789"), st.integers(0, 10**9 - 1)
)
filler = st.text(alphabet="当事人电话号码身份证，。：:-（）() 0123456789abcXx", max_size=12)


@given(st.lists(st.one_of(id_numbers, mobiles, filler), min_size=1, max_size=8))
def test_no_id_number_or_mobile_survives_scrubbing(pieces: list[str]) -> None:
    """However the numbers are embedded — next to text, punctuation or other digits — no
    18-digit ID and no 11-digit mobile is left anywhere in what is published."""
    text = "".join(pieces)
    cleaned = scrub(text)
    assert not ID_NUMBER.search(cleaned), cleaned
    assert not MOBILE.search(cleaned), cleaned
    if any(ID_NUMBER.fullmatch(p) or MOBILE.fullmatch(p) for p in pieces):
        assert "[号码已隐去]" in cleaned
    assert scrub(cleaned) == cleaned  # masking is stable


def _individual_case() -> Case:
    return Case(
        id="P-2026-0009", procedure="penalty", state="decision",
        party={"name": "张三丰", "type": "individual", "id": "230202198503121235",
               "address": "铁锋区工业路88号3单元"},
        decision={"seq": 9, "on": "2026-09-29", "draft": {
            "outcome": "penalty", "penalty_kinds": ["fine"], "amount": "20000.00",
            "facts": "张三丰（身份证230202198503121235，电话13812345678，住铁锋区工业路88号3单元）虚报冒领补助",
            "basis": "《财政违法行为处罚处分条例》第十四条"}},
        notices=[{"kind": "penalty_decision", "number": "铁审罚〔2026〕9号", "seq": 9}],
    )  # fmt: skip


def test_an_individual_is_masked_and_a_unit_is_not() -> None:
    record = public_record(_individual_case(), Masking(), "铁锋区审计局", PENALTY)
    text = repr(record)
    assert record["party"] == "张某某"
    assert record["party_type"] == "个人"
    for secret in ("张三丰", "230202198503121235", "13812345678", "工业路88号3单元"):
        assert secret not in text
    assert record["decision_number"] == "铁审罚〔2026〕9号"
    assert record["conclusion"] == "给予行政处罚：罚款20000.00元"
    assert "credit_code" not in record
    unit = _individual_case()
    unit.party = {"name": "铁锋某建设有限公司", "type": "unit", "id": "91230200MA1B2C3D4E"}
    shown = public_record(unit, Masking(), "铁锋区审计局", PENALTY)
    assert (shown["party"], shown["credit_code"]) == ("铁锋某建设有限公司", "91230200MA1B2C3D4E")


def test_publish_and_withdraw_deadlines_across_national_day() -> None:
    """118号（六）: 7 working days; 行政处罚法 Art. 48: withdrawal in 3 working days.
    2026: 1–7 Oct off, Sat 10 Oct a make-up working day."""
    from rules.deadlines import case_deadlines

    case = _individual_case()
    found = {d.id: d for d in case_deadlines(case, Policy(), PENALTY.deadlines, date(2026, 10, 8))}
    # decided Tue 29 Sep: 30 Sep (1), 8 Oct (2), 9 Oct (3), Sat 10 Oct (4), 12, 13 → 14 Oct (7)
    assert (found["publicity_penalty"].due, found["publicity_penalty"].status) == (
        date(2026, 10, 14),
        "open",
    )
    case.details["publication"] = {"on": "2026-10-10", "seq": 10, "content": {}}
    case.decision["revoked"] = {"on": "2026-10-30", "kind": "revoked", "reason": "复议撤销"}  # type: ignore[index]
    found = {d.id: d for d in case_deadlines(case, Policy(), PENALTY.deadlines, date(2026, 11, 3))}
    assert found["publicity_penalty"].status == "met"
    # revoked Fri 30 Oct: 2 Nov (1), 3 Nov (2), 4 Nov (3)
    assert (found["publicity_withdrawal"].due, found["publicity_withdrawal"].status) == (
        date(2026, 11, 4),
        "open",
    )
    case.details["publication"]["withdrawn"] = {"on": "2026-11-05", "reason": "复议撤销"}
    found = {d.id: d for d in case_deadlines(case, Policy(), PENALTY.deadlines, date(2026, 11, 6))}
    assert found["publicity_withdrawal"].status == "overdue"  # withdrawn a day late
