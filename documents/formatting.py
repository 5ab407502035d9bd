"""Formatting for notices: dates, money in figures and in capitals, document numbers.

GB/T 9704-2012 §7.3.5: dates in Arabic numerals with the year in full (2026年3月5日).
Money in capitals follows the People's Bank's 支付结算办法 (附一 正确填写票据和结算凭证的基本规定):
a 零 for zeros inside the figure, 整 after 元 or 角 when nothing follows, none after 分.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DIGITS = "零壹贰叁肆伍陆柒捌玖"
SMALL_UNITS = ("", "拾", "佰", "仟")
SECTION_UNITS = ("", "万", "亿", "万亿")
CENT = Decimal("0.01")
#: The largest amount written in capitals: below 一万亿 (sections 元, 万, 亿).
MAX_AMOUNT = Decimal("999999999999.99")


def date_cn(value: date | str) -> str:
    """2026-03-05 -> 2026年3月5日 (no leading zeros)."""
    day = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{day.year}年{day.month}月{day.day}日"


def _amount(value: Decimal | str | int) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", "").replace("¥", "").strip())
    except InvalidOperation:
        raise ValueError(f"not an amount of money: {value!r}") from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise ValueError(f"amount out of range (0 to {MAX_AMOUNT}): {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal | str | int) -> str:
    """12000.5 -> ¥12,000.50."""
    return f"¥{_amount(value):,.2f}"


def _section(four: int) -> str:
    """A group of four digits (0 < four < 10000) in capitals, with 零 for inner zeros."""
    out, zero = "", False
    for pos in range(3, -1, -1):
        digit = four // 10**pos % 10
        if digit == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
        out += DIGITS[digit] + SMALL_UNITS[pos]
        zero = False
    return out


def _integer_capitals(yuan: int) -> str:
    """The integer part; a 零 marks every run of zeros between two non-zero digits."""
    sections = []
    while yuan:
        sections.append(yuan % 10000)
        yuan //= 10000
    out = ""
    for i in range(len(sections) - 1, -1, -1):
        four = sections[i]
        if four == 0:
            continue
        # zeros before this section's first digit, inside the figure, are read as one 零
        higher = any(sections[j] for j in range(i + 1, len(sections)))
        if out and (four < 1000 or (higher and sections[i + 1] == 0 and not out.endswith("零"))):
            out += "零"
        out += _section(four) + SECTION_UNITS[i]
    return out


def money_capitals(value: Decimal | str | int) -> str:
    """¥12,000.50 -> 壹万贰仟元伍角整; ¥100,005 -> 壹拾万零伍元整; ¥10,000,000.01 -> 壹仟万元零壹分."""
    amount = _amount(value)
    cents = int(amount * 100)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    out = _integer_capitals(yuan) + "元" if yuan else ""
    if jiao:
        out += DIGITS[jiao] + "角"
    elif fen and yuan:
        out += "零"
    if fen:
        out += DIGITS[fen] + "分"
    return out if fen else out + "整"


def parse_capitals(text: str) -> Decimal:
    """The amount a capitals text says (the inverse of `money_capitals`, for checking)."""
    small = {"拾": 10, "佰": 100, "仟": 1000}
    fraction = {"角": Decimal("0.1"), "分": Decimal("0.01")}
    yuan, section, digit, cents = 0, 0, 0, Decimal(0)
    for ch in text.removesuffix("整"):
        if ch in DIGITS:
            digit = DIGITS.index(ch)
        elif ch in small:
            section, digit = section + (digit or 1) * small[ch], 0
        elif ch == "亿":
            yuan, section, digit = (yuan + section + digit) * 10**8, 0, 0
        elif ch in "万元":
            yuan, section, digit = yuan + (section + digit) * (10**4 if ch == "万" else 1), 0, 0
        elif ch in fraction:
            cents, digit = cents + digit * fraction[ch], 0
        else:
            raise ValueError(f"not a capitals amount: {text!r}")
    return yuan + cents


def document_number(short_name: str, code: str, year: int, serial: int) -> str:
    """GB/T 9704-2012 §7.2.4: 机关代字 + 〔年份〕 + 序号 + 号; full year, no leading zeros, no 第."""
    if serial < 1:
        raise ValueError(f"a document serial starts at 1, not {serial}")
    return f"{short_name}{code}〔{year}〕{serial}号"
