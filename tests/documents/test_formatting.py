"""Dates, money and document numbers as the law and GB/T 9704 write them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from documents.formatting import (
    MAX_AMOUNT,
    date_cn,
    document_number,
    money,
    money_capitals,
    parse_capitals,
)
from rules.notices import NUMBER_CODES


def test_dates_in_arabic_numerals_without_leading_zeros() -> None:
    """GB/T 9704-2012 §7.3.5: 2026年3月5日."""
    assert date_cn(date(2026, 3, 5)) == "2026年3月5日"
    assert date_cn("2026-12-31") == "2026年12月31日"


@given(st.dates(min_value=date(1949, 10, 1), max_value=date(2200, 12, 31)))
def test_a_written_date_reads_back_as_the_same_day(day: date) -> None:
    written = date_cn(day)
    match = re.fullmatch(r"(\d{4})年([1-9]\d?)月([1-9]\d?)日", written)
    assert match, written
    assert date(*map(int, match.groups())) == day


@pytest.mark.parametrize(
    ("amount", "figures", "capitals"),
    [
        ("12000.50", "¥12,000.50", "壹万贰仟元伍角整"),
        ("12000", "¥12,000.00", "壹万贰仟元整"),
        # the tricky zeros: one 零 for a run of zeros, across the 万 boundary too
        ("100005", "¥100,005.00", "壹拾万零伍元整"),
        ("10000000.01", "¥10,000,000.01", "壹仟万元零壹分"),
        ("10500", "¥10,500.00", "壹万零伍佰元整"),
        ("105000", "¥105,000.00", "壹拾万伍仟元整"),
        ("1000500", "¥1,000,500.00", "壹佰万零伍佰元整"),
        ("100010000", "¥100,010,000.00", "壹亿零壹万元整"),
        ("100000001", "¥100,000,001.00", "壹亿零壹元整"),
        ("1001", "¥1,001.00", "壹仟零壹元整"),
        ("10", "¥10.00", "壹拾元整"),
        ("12.05", "¥12.05", "壹拾贰元零伍分"),
        ("0.50", "¥0.50", "伍角整"),
        ("0.05", "¥0.05", "伍分"),
        ("0", "¥0.00", "零元整"),
    ],
)
def test_money_in_figures_and_capitals(amount: str, figures: str, capitals: str) -> None:
    """支付结算办法 附一: 零 inside, 整 after 元 or 角, none after 分."""
    assert money(amount) == figures
    assert money_capitals(amount) == capitals


@given(st.decimals(min_value=0, max_value=MAX_AMOUNT, places=2, allow_nan=False))
def test_capitals_round_trip_to_the_amount(amount: Decimal) -> None:
    written = money_capitals(amount)
    assert parse_capitals(written) == amount
    assert "零零" not in written
    assert written.endswith(("整", "分"))
    assert not written.startswith("零") or written == "零元整"
    assert written == "零元整" or not re.search(r"零[元万亿]", written), written


@pytest.mark.parametrize("bad", ["-1", "abc", "NaN", "Infinity", str(MAX_AMOUNT + 1)])
def test_an_amount_that_cannot_be_written_is_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="amount"):
        money_capitals(bad)
    with pytest.raises(ValueError, match="amount"):
        money(bad)


def test_document_numbers_follow_gb_t_9704() -> None:
    """机关代字〔年份〕序号号: six-corner brackets, full year, no leading zeros, no 第."""
    assert document_number("铁审", "罚", 2026, 3) == "铁审罚〔2026〕3号"
    assert document_number("铁审", "罚", 2027, 12) == "铁审罚〔2027〕12号"
    with pytest.raises(ValueError, match="starts at 1"):
        document_number("铁审", "罚", 2026, 0)


def test_every_kind_has_its_own_code() -> None:
    assert len(set(NUMBER_CODES.values())) == len(NUMBER_CODES)
