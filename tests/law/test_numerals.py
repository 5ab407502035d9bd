"""Chinese numerals as the statutes write them, both ways."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from law.library import library
from law.numerals import MAX, from_chinese, to_chinese
from law.parse import ARTICLE_LINE

TEXTS = Path(__file__).resolve().parents[2] / "law" / "texts"


@given(st.integers(min_value=1, max_value=MAX))
def test_every_number_reads_back(number: int) -> None:
    assert from_chinese(to_chinese(number)) == number


@given(st.integers(min_value=1, max_value=MAX))
def test_arabic_digits_read_the_same(number: int) -> None:
    assert from_chinese(str(number)) == number


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (86, "八十六"), (100, "一百"),
        (103, "一百零三"), (110, "一百一十"), (115, "一百一十五"), (205, "二百零五"),
        (306, "三百零六"), (1001, "一千零一"), (1010, "一千零一十"), (9999, "九千九百九十九"),
    ],
)  # fmt: skip
def test_the_forms_statutes_use(number: int, text: str) -> None:
    assert to_chinese(number) == text
    assert from_chinese(text) == number


@pytest.mark.parametrize(
    ("variant", "number"), [("一十五", 15), ("两百", 200), ("一百〇三", 103), (" 六十三 ", 63)]
)
def test_variants_people_type(variant: str, number: int) -> None:
    assert from_chinese(variant) == number


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "零",
        "十十",
        "一二",
        "百",
        "一百三",
        "三零",
        "第六十三条",
        "六十三条",
        "abc",
        "0",
        "10000",
    ],
)
def test_malformed_numerals_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="numeral|outside"):
        from_chinese(bad)


@pytest.mark.parametrize("number", [0, -1, MAX + 1])
def test_out_of_range_is_refused(number: int) -> None:
    with pytest.raises(ValueError, match="outside"):
        to_chinese(number)


def test_every_article_number_in_the_texts_is_written_as_to_chinese_writes_it() -> None:
    """第一百零三条 as printed in the statutes is to_chinese(103), for all 679 articles."""
    seen = 0
    for path in sorted(TEXTS.glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            match = ARTICLE_LINE.match(line)
            if match:
                assert to_chinese(from_chinese(match.group(1))) == match.group(1), line[:12]
                seen += 1
    assert seen == sum(len(law.articles) for law in library().laws) == 679
