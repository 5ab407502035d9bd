"""Chinese numerals as statutes write them (第一百零三条, 第（十二）项) ↔ int, both ways.

Only the forms the statutes use: 1 … 9999, 十 for ten (not 一十) at the start, 零 for each run
of missing places (一百零三, 一千零一十). Reading also takes the variants people type: a leading
一十 (一十五), 〇 for 零, 两 for 二, and Arabic digits.
"""

from __future__ import annotations

DIGITS = "零一二三四五六七八九"
UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
#: The characters a Chinese numeral may contain (for patterns that find one in text).
NUMERAL_CHARS = DIGITS + "十百千〇两"
MAX = 9999


def to_chinese(number: int) -> str:
    """12 → 十二, 103 → 一百零三, 110 → 一百一十, 1001 → 一千零一."""
    if not 1 <= number <= MAX:
        raise ValueError(f"{number} is outside 1…{MAX}")
    parts: list[str] = []
    gap = False
    for value, unit in UNITS:
        digit = number // value % 10
        if digit == 0:
            gap = bool(parts)
            continue
        if gap:
            parts.append("零")
            gap = False
        parts.append(DIGITS[digit] + unit)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def from_chinese(text: str) -> int:
    """一百零三 → 103; also 一十五, 两百, 〇 and Arabic digits. ValueError for anything else."""
    raw = text.strip()
    if raw.isascii() and raw.isdigit():
        number = int(raw)
        if not 1 <= number <= MAX:
            raise ValueError(f"{raw!r} is outside 1…{MAX}")
        return number
    canonical = raw.replace("〇", "零").replace("两", "二")
    if canonical.startswith("一十"):
        canonical = canonical[1:]
    number = _value(canonical, raw)
    if not 1 <= number <= MAX or to_chinese(number) != canonical:
        raise ValueError(f"{raw!r} is not a Chinese numeral as statutes write one")
    return number


def _value(text: str, raw: str) -> int:
    """The value of a numeral's characters; the caller checks the form is canonical."""
    units = {unit: value for value, unit in UNITS if unit}
    total = 0
    digit = 0
    for char in text:
        if char in DIGITS:
            digit = DIGITS.index(char)
        elif char in units:
            total += (digit or (1 if char == "十" else 0)) * units[char]
            digit = 0
        else:
            raise ValueError(f"{raw!r}: {char!r} is not a Chinese numeral")
    return total + digit
