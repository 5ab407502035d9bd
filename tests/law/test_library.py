"""The shipped statutes: every file parses into the articles the index promises, losslessly."""

from __future__ import annotations

import json
import tomllib
from datetime import date
from pathlib import Path

import pytest

from law.library import library
from law.model import Law
from law.numerals import from_chinese
from law.parse import ITEM_LINE, LawTextError, parse_law_text
from workflow.errors import NotFoundError

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ROOT / "law" / "texts"
INDEX = json.loads((TEXTS / "index.json").read_text(encoding="utf-8"))


def rendered(law: Law) -> list[str]:
    """The law written back out: title, history, headings when they change, article lines."""
    lines = [law.title, *law.history]
    path: tuple[str, ...] = ()
    for article in law.articles:
        shared = 0
        while shared < min(len(path), len(article.headings)) and (
            path[shared] == article.headings[shared]
        ):
            shared += 1
        lines += article.headings[shared:]
        path = article.headings
        for n, paragraph in enumerate(article.paragraphs):
            lines.append(f"{article.label} {paragraph.text}" if n == 0 else paragraph.text)
            lines += [item.text for item in paragraph.items]
    return lines


def file_lines(file: str) -> list[str]:
    """The file's lines that carry text: no blanks, no comments, heading marks dropped."""
    lines = (TEXTS / file).read_text(encoding="utf-8").splitlines()
    kept = [line.lstrip("#").strip() for line in lines if line.strip()]
    return [line for line in kept if not line.startswith("<!--")]


@pytest.mark.parametrize("entry", INDEX, ids=[e["id"] for e in INDEX])
def test_every_law_renders_back_to_its_file(entry: dict[str, object]) -> None:
    """No line is lost or misfiled: title, history, headings, paragraphs and items."""
    law = library().find(str(entry["id"]))
    assert law is not None
    assert rendered(law) == file_lines(str(entry["file"]))


def test_the_index_and_the_texts_agree() -> None:
    laws = library().laws
    assert [law.id for law in laws] == [e["id"] for e in INDEX]
    assert sorted(p.name for p in TEXTS.glob("*.md")) == sorted(
        [*(e["file"] for e in INDEX), "README.md"]
    )
    for law, entry in zip(laws, INDEX, strict=True):
        assert law.title == entry["title"]
        assert len(law.articles) == entry["articles"]
        numbers = [a.number for a in law.articles]
        assert numbers == list(range(law.first, law.last + 1))
        assert law.version == entry["version"]
        assert law.effective == date.fromisoformat(entry["effective"])


def test_versions_and_effective_dates_as_the_index_gives_them() -> None:
    law = library().get("行政处罚法")
    assert (law.revised, law.effective, law.effective_basis) == (
        date(2021, 1, 22), date(2021, 7, 15), "text",
    )  # fmt: skip
    assert "2021-07-15" in law.version
    audit = library().get("审计法")
    assert audit.effective == date(2022, 1, 1)
    assert audit.effective_basis == "metadata"
    assert "2022-01-01" in audit.version  # the index's own words carry the date


def test_the_excerpt_holds_articles_85_to_95_only() -> None:
    law = library().get("民事诉讼法")
    assert law.excerpt
    assert (law.first, law.last) == (85, 95)
    assert law.article(84) is None
    assert law.article(96) is None
    assert law.article(89) is not None
    assert law.article(89).headings == ("第一编 总 则", "第七章 期间、送达", "第二节 送 达")


def test_paragraphs_and_items() -> None:
    lib = library()
    art9 = lib.get("行政处罚法").article(9)
    assert art9 is not None
    assert len(art9.paragraphs) == 1
    assert [i.number for i in art9.paragraphs[0].items] == [1, 2, 3, 4, 5, 6]
    assert art9.paragraphs[0].items[5].text == "（六）法律、行政法规规定的其他行政处罚。"
    art63 = lib.get("行政处罚法").article(63)
    assert art63 is not None
    assert [len(p.items) for p in art63.paragraphs] == [6, 0]
    assert art63.paragraphs[1].text == "当事人不承担行政机关组织听证的费用。"
    assert art63.headings == ("第五章 行政处罚的决定", "第四节 听证程序")
    # half-width (一) items, as 财政违法行为处罚处分条例 prints them
    art13 = lib.get("财政违法行为处罚处分条例").article(13)
    assert art13 is not None
    assert [i.text[:3] for i in art13.paragraphs[0].items] == ["(一)", "(二)", "(三)"]
    assert art13.headings == ()


@pytest.mark.parametrize(
    ("name", "law_id"),
    [
        ("行政处罚法", "xingzheng-chufa-fa"),
        ("中华人民共和国行政处罚法", "xingzheng-chufa-fa"),
        ("《中华人民共和国行政处罚法》", "xingzheng-chufa-fa"),
        ("《行政处罚法》", "xingzheng-chufa-fa"),
        ("审计法", "shenji-fa"),
        ("审计法实施条例", "shenji-fa-shishi-tiaoli"),
        ("中华人民共和国审计法实施条例", "shenji-fa-shishi-tiaoli"),
        ("行政强制法", "xingzheng-qiangzhi-fa"),
        ("行政复议法", "xingzheng-fuyi-fa"),
        ("行政诉讼法", "xingzheng-susong-fa"),
        ("民事诉讼法", "minshi-susong-fa-songda-qijian"),
        ("政府信息公开条例", "zhengfu-xinxi-gongkai-tiaoli"),
        ("财政违法行为处罚处分条例", "caizheng-weifa-chufa-tiaoli"),
        ("电子签名法", "dianzi-qianming-fa"),
        ("档案法", "dangan-fa"),
        ("移送规定", "xingzheng-zhifa-yisong-fanzui-guiding"),
        ("行政执法机关移送涉嫌犯罪案件的规定", "xingzheng-zhifa-yisong-fanzui-guiding"),
        ("xingzheng-chufa-fa", "xingzheng-chufa-fa"),
    ],
)
def test_a_law_is_found_by_any_of_its_names(name: str, law_id: str) -> None:
    law = library().find(name)
    assert law is not None
    assert law.id == law_id


def test_an_unknown_law_lists_close_matches() -> None:
    with pytest.raises(NotFoundError, match="行政处罚法") as caught:
        library().get("行政处法")
    assert "行政处法" in caught.value.message
    assert library().find("刑法") is None


def test_a_bad_copy_is_caught_with_its_line() -> None:
    good = "# 某法\n\n## 第一章 总则\n\n第一条 甲。\n\n（一）乙；\n\n第二条 丙。\n"
    assert [a.number for a in parse_law_text(good).articles] == [1, 2]
    cases = {
        "# 某法\n\n第一条 甲。\n\n第三条 丙。\n": (5, "follows article 1"),
        "# 某法\n\n第一条 甲：\n\n（二）乙；\n": (5, "item"),
        "# 某法\n\n## 第一章\n\n散文\n": (5, "outside any article"),
        "某法\n第一条 甲。\n": (1, "first line"),
        "# 某法\n\n2020年1月1日 通过\n": (1, "no articles"),
    }
    for text, (line, words) in cases.items():
        with pytest.raises(LawTextError, match=words) as caught:
            parse_law_text(text, "某法.md")
        assert (caught.value.file, caught.value.line) == ("某法.md", line)
        assert f"某法.md:{line}:" in caught.value.message


def test_an_installed_zhifa_carries_the_texts() -> None:
    """pyproject lists the package and package-data that match every shipped text."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setup = project["tool"]["setuptools"]
    assert "law" in setup["packages"]
    patterns = setup["package-data"]["law"]
    shipped = {p.relative_to(ROOT / "law").as_posix() for p in TEXTS.iterdir()}
    covered = {
        p.relative_to(ROOT / "law").as_posix() for pat in patterns for p in (ROOT / "law").glob(pat)
    }
    assert shipped - {"texts/README.md"} <= covered


def test_every_item_is_numbered_in_order_under_its_paragraph() -> None:
    """Items are filed as items (not paragraphs), （一）… in order, in every law."""
    items = 0
    for law in library().laws:
        for article in law.articles:
            for paragraph in article.paragraphs:
                assert ITEM_LINE.match(paragraph.text) is None, (law.short_name, article.label)
                for n, item in enumerate(paragraph.items, start=1):
                    mark = ITEM_LINE.match(item.text)
                    assert mark is not None
                    assert (item.number, from_chinese(mark.group(1))) == (n, n)
                    items += 1
    assert items == 547
