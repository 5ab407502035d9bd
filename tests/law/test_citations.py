"""Citations: the forms the code writes, parsed to (law, article, paragraph, item) and resolved."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from law.citations import Citation, find_citations, parse_article_ref, parse_citation
from law.explain import explain_source
from law.library import library
from law.resolve import UnresolvedCitation, lookup, resolve
from law.sources import ACCEPTED
from workflow.errors import BadInputError, NotFoundError

CF = "xingzheng-chufa-fa"
SJ = "shenji-fa"


def C(law: str, article: int, paragraph: int | None = None, item: int | None = None) -> Citation:
    return Citation(law, article, paragraph, item)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("行政处罚法第六十四条第（一）项", [C(CF, 64, None, 1)]),
        ("行政处罚法第六十四条第(一)项", [C(CF, 64, None, 1)]),
        ("行政处罚法第六十四条（一）", [C(CF, 64, None, 1)]),
        ("《中华人民共和国审计法》第四十五条、第四十九条", [C(SJ, 45), C(SJ, 49)]),
        ("行政处罚法第五十八条第二款", [C(CF, 58, 2)]),
        ("行政处罚法第五十八条第一款第（三）项", [C(CF, 58, 1, 3)]),
        ("行政处罚法第五十八条第一款、第二款", [C(CF, 58, 1), C(CF, 58, 2)]),
        ("行政处罚法第六十四条第（五）项、第（六）项", [C(CF, 64, None, 5), C(CF, 64, None, 6)]),
        ("档案法第四十八条第一项、第二项、第四项",
         [C("dangan-fa", 48, None, n) for n in (1, 2, 4)]),
        ("审计法第四十二条；审计法实施条例第五十六条",
         [C(SJ, 42), C("shenji-fa-shishi-tiaoli", 56)]),
        ("《财政违法行为处罚处分条例》第十三条至第十六条",
         [C("caizheng-weifa-chufa-tiaoli", n) for n in (13, 14, 15, 16)]),
        ("《审计法》第三十四条至第三十七条", [C(SJ, n) for n in (34, 35, 36, 37)]),
        ("行政处罚法第一百零三条", [C(CF, 103)]),
        ("行政诉讼法第64条", [C("xingzheng-susong-fa", 64)]),
        ("移送规定第三条", [C("xingzheng-zhifa-yisong-fanzui-guiding", 3)]),
        ("行政处罚法 Art. 64", [C(CF, 64)]),
        ("行政处罚法 Art. 64(1)", [C(CF, 64, None, 1)]),
        ("行政处罚法 Art. 59(一)", [C(CF, 59, None, 1)]),
        ("行政处罚法 Art. 58 ¶1", [C(CF, 58, 1)]),
        ("行政处罚法 Art. 44/45", [C(CF, 44), C(CF, 45)]),
        ("民事诉讼法 Arts. 87–89", [C("minshi-susong-fa-songda-qijian", n) for n in (87, 88, 89)]),
        ("行政复议法 2023 Arts. 20,\n  24", [C("xingzheng-fuyi-fa", 20), C("xingzheng-fuyi-fa", 24)]),
        ("审计机关审计听证规定第三条", [C("审计机关审计听证的规定", 3)]),
        ("审计听证规定 Art. 5", [C("审计机关审计听证的规定", 5)]),
    ],
)  # fmt: skip
def test_the_forms_used_across_the_code(text: str, expected: list[Citation]) -> None:
    assert list(parse_citation(text)) == expected


def test_citations_are_found_in_running_text_with_their_place() -> None:
    text = (
        "　　根据《中华人民共和国行政处罚法》第六十三条、第六十四条和《审计机关审计听证的规定》，"
        "依据审计法第四十二条（三日前）及民事诉讼法 Art. 89. 第三十条不是引用。"
    )
    found = list(find_citations(text))
    assert [f.written for f in found] == [
        "《中华人民共和国行政处罚法》第六十三条、第六十四条",
        "审计法第四十二条",
        "民事诉讼法 Art. 89",
    ]
    assert [f.name for f in found] == ["中华人民共和国行政处罚法", "审计法", "民事诉讼法"]
    assert all(text[f.start : f.end] == f.written for f in found)


def test_a_law_outside_the_library_keeps_its_written_name() -> None:
    (found,) = find_citations("依据税收征收管理法第五条")
    assert found.name == "税收征收管理法"
    assert found.citations == (C("税收征收管理法", 5),)


def test_a_bare_article_needs_a_law_or_is_no_citation() -> None:
    assert list(find_citations("第三十条至第三十一条")) == []
    assert parse_citation("第三十条至第三十一条", law="行政处罚法") == (C(CF, 30), C(CF, 31))
    with pytest.raises(BadInputError, match="not a citation"):
        parse_citation("第三十条")
    with pytest.raises(BadInputError, match="not a citation"):
        parse_citation("行政处罚法第三十条，以及别的话")


laws = st.sampled_from(library().laws)


@st.composite
def citations(draw: st.DrawFn) -> Citation:
    law = draw(laws)
    article = draw(st.integers(law.first, law.last))
    paragraph = draw(st.none() | st.integers(1, 9))
    item = draw(st.none() | st.integers(1, 20))
    return Citation(law.id, article, paragraph, item)


@given(citations())
def test_a_citation_written_out_reads_back(citation: Citation) -> None:
    """str(c) is the canonical Chinese form; parsing it (or its 《full title》 form) gives c."""
    assert parse_citation(str(citation)) == (citation,)
    law = library().get(citation.law)
    titled = f"《{law.title}》" + str(citation).removeprefix(law.short_name)
    assert parse_citation(titled) == (citation,)


PROBLEMS = {"", "no_such_law", "outside_library", "no_such_article", "not_in_excerpt",
            "no_such_paragraph", "no_such_item", "ambiguous_item"}  # fmt: skip


def outcome(citation: Citation) -> str:
    """The problem code resolving `citation` gives, or "" when it resolves."""
    try:
        resolve(citation)
    except UnresolvedCitation as exc:
        return exc.problem
    return ""


@given(citations())
def test_a_citation_resolves_exactly_when_the_text_has_it(citation: Citation) -> None:
    article = library().get(citation.law).article(citation.article)
    assert article is not None
    paragraphs = article.paragraphs
    if citation.paragraph is not None and citation.paragraph > len(paragraphs):
        assert outcome(citation) == "no_such_paragraph"
        return
    if citation.item is None:
        assert outcome(citation) == ""
        provision = resolve(citation)
        assert provision.text in article.text
        return
    listing = (
        [paragraphs[citation.paragraph - 1]]
        if citation.paragraph is not None
        else [p for p in paragraphs if p.items]
    )
    if len(listing) > 1:
        assert outcome(citation) == "ambiguous_item"
    elif not listing or citation.item > len(listing[0].items):
        assert outcome(citation) == "no_such_item"
    else:
        assert resolve(citation).text == listing[0].items[citation.item - 1].text


@pytest.mark.parametrize(
    ("text", "problem", "words"),
    [
        ("刑法第五条", "no_such_law", "法律库中没有“刑法”"),
        ("行政处罚法第九十条", "no_such_article", "行政处罚法共八十六条，没有第九十条"),
        ("审计法第六十一条", "no_such_article", "has 60 articles"),
        ("民事诉讼法第一百条", "not_in_excerpt", "只收录第八十五条至第九十五条"),
        ("行政处罚法第五十八条第三款", "no_such_paragraph", "第五十八条只有两款，没有第三款"),
        ("行政处罚法第六十四条第（九）项", "no_such_item", "只有八项，没有第（九）项"),
        ("行政处罚法第六十三条第二款第（一）项", "no_such_item", "第二款没有列项"),
        ("行政处罚法第一条第（一）项", "no_such_item", "第一条没有列项"),
        ("审计机关审计听证规定第三条", "outside_library", "认可的库外来源"),
    ],
)
def test_what_does_not_resolve_is_said_exactly(text: str, problem: str, words: str) -> None:
    (citation,) = parse_citation(text)
    with pytest.raises(UnresolvedCitation, match=words) as caught:
        resolve(citation)
    assert caught.value.problem == problem
    assert caught.value.accepted == (problem == "outside_library")


def test_an_item_in_one_of_several_listing_paragraphs_must_name_its_paragraph() -> None:
    """行政复议法第六十五条 lists two items in its first paragraph and three in its second."""
    with pytest.raises(UnresolvedCitation, match="第六十五条有两款列有项，须写明第几款") as caught:
        resolve(C("xingzheng-fuyi-fa", 65, None, 1))
    assert caught.value.problem == "ambiguous_item"
    assert resolve(C("xingzheng-fuyi-fa", 65, 2, 3)).text.startswith("（三）")


def test_resolved_text() -> None:
    assert (
        resolve(C(CF, 64, None, 1)).text
        == "（一）当事人要求听证的，应当在行政机关告知后五日内提出；"
    )
    assert resolve(C(CF, 58, 2)).text.startswith("行政机关中初次从事行政处罚决定法制审核的人员")
    article = resolve(C(SJ, 53)).text
    assert article.startswith("第五十三条 被审计单位对审计机关作出的有关财务收支的审计决定不服的")
    assert article.count("\n") == 1


@pytest.mark.parametrize(
    ("typed", "ref"),
    [
        ("63", (63, None, None)),
        ("第六十三条", (63, None, None)),
        ("六十三", (63, None, None)),
        ("63.2", (63, 2, None)),
        ("64.1.1", (64, 1, 1)),
        ("第五十八条第一款第（三）项", (58, 1, 3)),
        ("第六十四条第（一）项", (64, None, 1)),
    ],
)
def test_article_as_typed_on_the_command_line(typed: str, ref: tuple[int, ...]) -> None:
    assert parse_article_ref(typed) == ref


@pytest.mark.parametrize("typed", ["abc", "63.", "第六十三", "六十三条款", "", "63.2.1.4"])
def test_an_unreadable_article_is_bad_input(typed: str) -> None:
    with pytest.raises(BadInputError, match="cannot read the article"):
        parse_article_ref(typed)


def test_lookup_takes_the_paragraph_once() -> None:
    assert lookup("行政处罚法", "63", paragraph=2).text == "当事人不承担行政机关组织听证的费用。"
    assert lookup("行政处罚法", "63.2", paragraph=2).text == "当事人不承担行政机关组织听证的费用。"
    with pytest.raises(BadInputError, match="paragraph given twice"):
        lookup("行政处罚法", "63.2", paragraph=1)
    with pytest.raises(NotFoundError, match="did you mean: 行政处罚法"):
        lookup("行政处法", "63")


def test_a_reason_source_is_explained_part_by_part() -> None:
    """What `case actions --explain` will print for a refusal's source."""
    parts = explain_source(
        "行政处罚法第六十四条第（二）项；审计机关审计听证规定第六条；国办发〔2018〕118号（十二）；"
        "本局规定（config: periods.statement_window_days）；行政处罚法第九十九条；某某文件"
    )
    assert [p.written for p in parts] == [
        "行政处罚法第六十四条第（二）项",
        "审计机关审计听证规定第六条",
        "国办发〔2018〕118号（十二）",
        "本局规定（config: periods.statement_window_days）",
        "行政处罚法第九十九条",
        "某某文件",
    ]
    assert (
        parts[0].text
        == "（二）行政机关应当在举行听证的七日前，通知当事人及有关人员听证的时间、地点；"
    )
    assert [p.problem for p in parts] == ["", "", "", "", "no_such_article", "unrecognised"]
    assert [p.other.key if p.other else None for p in parts] == [
        None, "审计机关审计听证的规定", "国办发〔2018〕118号", "本局规定", None, None,
    ]  # fmt: skip
    assert parts[0].as_dict()["provision"]["citation"] == "行政处罚法第六十四条第（二）项"


def test_every_accepted_outside_source_says_why() -> None:
    names = [n for s in ACCEPTED for n in s.names]
    assert len(names) == len(set(names))
    for source in ACCEPTED:
        assert source.why
        assert source.key in source.names
        assert library().find(source.key) is None


PIECES = ["行政处罚法", "《中华人民共和国审计法》", "民事诉讼法", "刑法", "审计听证规定", "第", "条",
          "款", "项", "十", "十十", "百", "零", "一", "六", "九", "0", "99999", "（", "）", "(", ")",
          "、", "至", "；", "和", " Art. ", " Arts. ", "¶", "–", "/", ", ", "2023 ", "〔2018〕"]  # fmt: skip


@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=14).map("".join))
def test_any_text_is_scanned_without_error(text: str) -> None:
    """Malformed numerals (十十, 0, 99999), dangling marks: never an exception, only citations."""
    for found in find_citations(text):
        assert text[found.start : found.end] == found.written
        for citation in found.citations:
            assert str(citation).startswith(citation.law_name)
            assert outcome(citation) in PROBLEMS
