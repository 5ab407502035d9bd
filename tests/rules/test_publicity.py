"""Masking before anything is published (property-tested), and the publish / withdraw
deadlines across the 2026 National Day holiday."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from rules.act import Act
from rules.identifiers import id_number_check_char
from rules.model import Case, Person
from rules.policy import Masking, Policy
from rules.publicity import (
    ID_NUMBER,
    MOBILE,
    mask_name,
    public_record,
    public_text,
    publication_matches,
    scrub,
)  # fmt: skip
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
    assert record["conclusion"] == "给予行政处罚：罚款¥20,000.00"
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


# -- numbers however written, e-mail, an individual's address ---------------------------------
SEPARATORS = [" ", "-", ".", "\u3000", "\uff0d", "\uff0e", "\u2014", "\u00b7", "/", "\u200b",
              "_", ",", "\uff0c", "\u2010", "\u2013"]  # fmt: skip
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


@st.composite
def written(draw: st.DrawFn, number: str) -> str:
    """The number as a person might type it: groups split by 0–3 separators, any digit
    full-width."""
    pieces = []
    for i, ch in enumerate(number):
        if i:
            pieces.append("".join(draw(st.lists(st.sampled_from(SEPARATORS), max_size=3))))
        pieces.append(ch.translate(FULL_WIDTH) if draw(st.booleans()) else ch)
    return "".join(pieces)


def _plain_digits(text: str) -> str:
    """Full-width folded, separators of up to three characters between digits dropped."""
    text = unicodedata.normalize("NFKC", text)
    seps = re.escape("".join(unicodedata.normalize("NFKC", s) for s in SEPARATORS))
    return re.sub(rf"(?<=[\dXx])[{seps}]{{1,3}}(?=[\dXx])", "", text)


secrets = st.one_of(id_numbers, mobiles)
#: free text around the numbers (without 元 and ¥: `…0.00元` is an amount of money, kept)
prose = st.text(alphabet="当事人电话号码身份证联系，。：:（）() 罚款0123456789", max_size=10)


@given(st.lists(st.tuples(secrets, prose), min_size=1, max_size=4), st.data())
def test_no_id_or_mobile_survives_however_it_is_written(
    pairs: list[tuple[str, str]], data: st.DataObject
) -> None:
    """Spaces, dashes, dots, full-width digits and separators: the 18-digit ID and the 11-digit
    mobile are masked whole (before: `2302 0219 9003 0712 32` and `138-0013-8000` survived)."""
    text = "".join(data.draw(written(number)) + filler for number, filler in pairs)
    cleaned = scrub(text)
    flat = _plain_digits(cleaned)
    for number, _ in pairs:
        assert number not in flat, (text, cleaned)
    assert "[号码已隐去]" in cleaned
    assert scrub(cleaned) == cleaned


def test_the_examples_of_the_issue_are_masked() -> None:
    for text in ("2302 0219 9003 0712 32", "138-0013-8000", "１３８００１３８０００",
                 "１３８－００１３－８０００", "138.0013.8000", "一三八零零一三八零零零",
                 "（0452）1234567", "138\u200b0013\u200b8000", "138001380.00", "1380013800.0"):  # fmt: skip
        assert scrub(f"电话{text}。") in ("电话[号码已隐去]。", "电话（[号码已隐去]。"), text
    # amounts of money, dates, articles and document numbers stay
    for text in ("罚款120000.50元", "¥1,500,000.00", "2026年8月3日", "第十四条第3款",
                 "铁审罚〔2026〕1号", "2026-08-03", "罚款130,000,000.00元", "￥999999999999.99"):  # fmt: skip
        assert scrub(text) == text


emails = st.builds(
    lambda user, at, host, dot, tld: f"{user}{at}{host}{dot}{tld}",
    st.text(alphabet="abcxyz019._+-", min_size=1, max_size=10).filter(lambda u: u[0].isalnum()),
    st.sampled_from(["@", "＠", " @ "]),
    st.text(alphabet="abcqx0-", min_size=1, max_size=8).filter(lambda h: h[0].isalnum()),
    st.sampled_from([".", "．"]),
    st.sampled_from(["com", "cn", "gov.cn", "ｃｏｍ"]),
)


@given(emails, prose, prose)
def test_email_addresses_are_removed(email: str, before: str, after: str) -> None:
    cleaned = scrub(f"{before}邮箱{email}{after}")
    assert "@" not in cleaned
    assert "＠" not in cleaned
    assert "[邮箱已隐去]" in cleaned


def test_an_individuals_name_id_and_address_are_masked_in_any_free_text() -> None:
    """Before: a withdrawal reason was published verbatim — name, ID, mobile, address."""
    case = _individual_case()
    reason = ("经复议，张 三 丰（身份证 2302 0219 8503 1212 35，手机 138-1234-5678，"
              "zhang@example.com）住铁锋区工业路88号3单元501室，原决定撤销")  # fmt: skip
    shown = public_text(reason, case, Masking())
    assert shown == ("经复议，张某某（身份证 [号码已隐去]，手机 [号码已隐去]，[邮箱已隐去]）"
                     "住[地址已隐去]，原决定撤销")  # fmt: skip
    assert public_text(reason, case, Masking(name="hide")).startswith("经复议，某某（")
    unit = _individual_case()
    unit.party = {"name": "铁锋某建设有限公司", "type": "unit", "id": "91230200MA1B2C3D4E",
                  "address": "铁锋区工业路88号"}  # fmt: skip
    # a unit's address may be published; its numbers and e-mail still go
    assert public_text("该公司位于工业路88号，电话13812345678", unit, Masking()) == (
        "该公司位于工业路88号，电话[号码已隐去]"
    )


# -- the publisher's redactions ---------------------------------------------------------------
def _act(case: Case, content: Any, redactions: Any) -> Act:
    return Act(proc=PENALTY, action="publish", case=case,
               actor=Person("刘洋", ("publisher",)), role="publisher", on=date(2026, 10, 8),
               today=date(2026, 10, 8), data={"content": content, "redactions": redactions})  # fmt: skip


def test_redacted_spans_are_replaced_with_their_ground() -> None:
    """政府信息公开条例第十五条 / 审计法第四十条: a trade secret is not published; what is
    withheld is shown with its reason (第三十七条)."""
    case = _individual_case()
    case.decision["draft"]["facts"] += "，涉及某型号配方X-7"  # type: ignore[index]
    redactions = [{"text": "某型号配方X-7", "reason": "trade_secret"}]
    record = public_record(case, Masking(), "铁锋区审计局", PENALTY, redactions)
    assert record["facts"].endswith("涉及[依法不予公开：商业秘密]")
    assert "X-7" not in repr(record)
    assert publication_matches(_act(case, record, redactions)) == []
    unredacted = public_record(case, Masking(), "铁锋区审计局", PENALTY)
    assert "某型号配方X-7" in unredacted["facts"]
    [reason] = publication_matches(_act(case, unredacted, redactions))
    assert reason.code == "publication_content"


def test_bad_redactions_are_refused_with_the_law() -> None:
    case = _individual_case()
    record = public_record(case, Masking(), "铁锋区审计局", PENALTY)
    for redactions, code in (
        ([{"text": "虚报冒领", "reason": "dislike"}], "bad_redaction"),
        ([{"text": "不在文中", "reason": "privacy"}], "redaction_not_found"),
        ([{"text": "", "reason": "privacy"}], "bad_redaction"),
        ("虚报冒领", "bad_redactions"),
        ([["虚报冒领", "privacy"]], "bad_redaction"),
    ):
        reasons = publication_matches(_act(case, record, redactions))
        assert [r.code for r in reasons] == [code], redactions
        assert reasons[0].source == "政府信息公开条例第三十七条"
