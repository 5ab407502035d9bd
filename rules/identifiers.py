"""Party identifiers: 统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999).

Checked with python-stdnum (`stdnum.cn.uscc`, `stdnum.cn.ric`), a maintained implementation
of both standards that also checks the birth date an ID number carries; the birth date
decides whether a person may be fined at all (行政处罚法 Art. 30).
"""

from __future__ import annotations

from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def is_valid_credit_code(code: str) -> bool:
    from stdnum.cn import uscc  # imported when a number is checked: not on every command

    return bool(uscc.is_valid(code.strip().upper()))


def id_number_check_char(first17: str) -> str:
    """GB 11643-1999: ISO 7064 MOD 11-2 (used to build test data)."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def is_valid_id_number(number: str) -> bool:
    from stdnum.cn import ric

    return bool(ric.is_valid(number.strip().upper()))


def birth_date(number: str) -> date | None:
    """The birth date an 18-digit ID number carries, or None if it is not a valid number."""
    from stdnum.cn import ric
    from stdnum.exceptions import ValidationError

    try:
        return ric.get_birth_date(ric.validate(number.strip().upper()))
    except ValidationError:
        return None


def age_on(born: date, day: date) -> int:
    """Full years of age on `day` (a birthday counts from that day)."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
