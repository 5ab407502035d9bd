"""Finding articles by Chinese text: exact phrase hits first, two-character queries work."""

from __future__ import annotations

import pytest

from law.library import library
from law.search import fold, search
from workflow.errors import NotFoundError


def cites(query: str, law: str | None = None, limit: int = 20) -> list[str]:
    return [str(h.citation) for h in search(query, law, limit)]


def test_a_two_character_query_finds_every_article_holding_it() -> None:
    hits = search("听证", limit=1000)
    assert all(h.exact for h in hits)
    holding = [
        (law.id, a.number) for law in library().laws for a in law.articles if "听证" in a.plain
    ]
    assert sorted((h.law.id, h.article.number) for h in hits) == sorted(holding)
    assert cites("听证")[0] == "行政处罚法第六十四条"  # most occurrences first


def test_restricted_to_one_law_by_any_of_its_names() -> None:
    assert cites("听证", law="行政处罚法")[:3] == [
        "行政处罚法第六十四条", "行政处罚法第六十三条", "行政处罚法第六十五条",
    ]  # fmt: skip
    assert cites("听证", law="《中华人民共和国行政处罚法》") == cites("听证", law="行政处罚法")
    assert {h.law.id for h in search("送达", law="民事诉讼法")} == {
        "minshi-susong-fa-songda-qijian"
    }
    with pytest.raises(NotFoundError, match="did you mean"):
        search("听证", law="行政处法")


def test_exact_phrase_hits_rank_before_close_ones() -> None:
    hits = search("拒绝签收", limit=100)
    exact = [h.exact for h in hits]
    assert exact == sorted(exact, reverse=True)  # every exact hit before the first close one
    assert True in exact
    assert "行政处罚法第五十二条" in [str(h.citation) for h in hits if h.exact]


def test_a_phrase_no_article_holds_whole_finds_close_ones() -> None:
    """听证的程序 is nowhere verbatim; articles sharing most of its pairs still come up."""
    hits = search("听证的程序")
    assert hits
    assert not any(h.exact for h in hits)
    assert all(h.score >= 0.5 for h in hits)


def test_several_words_must_all_appear() -> None:
    hits = search("听证 费用", limit=100)
    assert [str(h.citation) for h in hits if h.exact] == ["行政处罚法第六十三条"]


def test_full_width_and_half_width_match_alike() -> None:
    """（一） and (一) fold alike: the regulation printed with half-width brackets is found."""
    assert fold("（一）　１０％") == "(一)10%"
    assert "财政违法行为处罚处分条例第十三条" in cites("（一）隐瞒应当上缴的财政收入", limit=5)


def test_nothing_found_and_empty_queries() -> None:
    assert search("量子计算") == []
    assert search("   ") == []


def test_a_hit_shows_where_the_words_are() -> None:
    (hit,) = search("集体讨论决定", law="行政处罚法", limit=1)
    assert str(hit.citation) == "行政处罚法第五十七条"
    assert "集体讨论决定" in hit.snippet
    assert hit.as_dict()["citation"] == "行政处罚法第五十七条"
