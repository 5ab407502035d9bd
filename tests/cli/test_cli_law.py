"""`zhifa law`: show, list, search and cite, with exit codes and stable JSON keys.

The law library needs no office: these run in an empty folder, without config.yaml.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cli import app

LAW_KEYS = {"id", "title", "short_name", "aliases", "version", "revised", "effective",
            "effective_basis", "articles", "first_article", "last_article", "excerpt", "source"}  # fmt: skip


@pytest.fixture
def law(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str) -> tuple[int, Any]:
        result = runner.invoke(app, ["law", *args])
        if "--json" in args:
            return result.exit_code, json.loads(result.stdout)
        return result.exit_code, result.output

    return invoke


@pytest.mark.parametrize(
    "args",
    [
        ("行政处罚法", "63"),
        ("行政处罚法", "第六十三条"),
        ("中华人民共和国行政处罚法", "六十三"),
        ("《行政处罚法》", "63"),
        ("xingzheng-chufa-fa", "63"),
    ],
)
def test_show_an_article_however_it_is_named(law: Any, args: tuple[str, str]) -> None:
    code, text = law("show", *args)
    assert code == 0, text
    assert "行政处罚法第六十三条" in text
    assert "（一）较大数额罚款；" in text
    assert "当事人不承担行政机关组织听证的费用。" in text
    assert "第四节 听证程序" in text
    assert "2021-07-15" in text  # the version it comes from


@pytest.mark.parametrize("args", [("63.2",), ("63", "--paragraph", "2"), ("第六十三条第二款",)])
def test_show_a_paragraph(law: Any, args: tuple[str, ...]) -> None:
    code, text = law("show", "行政处罚法", *args)
    assert code == 0, text
    assert "行政处罚法第六十三条第二款" in text
    assert "当事人不承担行政机关组织听证的费用。" in text
    assert "较大数额罚款" not in text


def test_show_json(law: Any) -> None:
    code, doc = law("show", "行政处罚法", "64.1.1", "--json")
    assert code == 0
    assert set(doc) == {"provision", "article", "law"}
    assert doc["provision"]["citation"] == "行政处罚法第六十四条第一款第（一）项"
    assert doc["provision"]["text"] == "（一）当事人要求听证的，应当在行政机关告知后五日内提出；"
    assert (
        doc["provision"]["article"],
        doc["provision"]["paragraph"],
        doc["provision"]["item"],
    ) == (64, 1, 1)
    assert doc["article"]["label"] == "第六十四条"
    assert len(doc["article"]["paragraphs"][0]["items"]) == 8
    assert set(doc["law"]) == LAW_KEYS


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("行政处法", "63"), "did you mean: 行政处罚法"),
        (("刑法", "5"), "no such law"),
        (("行政处罚法", "90"), "行政处罚法共八十六条，没有第九十条"),
        (("民事诉讼法", "100"), "只收录第八十五条至第九十五条"),
        (("行政处罚法", "63.3"), "只有两款，没有第三款"),
        (("行政处罚法", "abc"), "cannot read the article"),
        (("行政处罚法", "63.2", "--paragraph", "1"), "paragraph given twice"),
    ],
)
def test_unknown_law_or_article_is_exit_2_with_a_helpful_message(
    law: Any, args: tuple[str, ...], words: str
) -> None:
    code, text = law("show", *args)
    assert code == 2
    assert words in text
    assert "Traceback" not in text
    code, doc = law("show", *args, "--json")
    assert code == 2
    assert words in doc["error"]["message"]


def test_list(law: Any) -> None:
    code, text = law("list")
    assert code == 0
    assert "行政处罚法" in text
    assert "移送规定" in text
    assert "85–95 节选" in text
    code, doc = law("list", "--json")
    assert code == 0
    assert len(doc["laws"]) == 12
    assert all(set(row) == LAW_KEYS for row in doc["laws"])
    assert doc["laws"][0]["id"] == "xingzheng-chufa-fa"
    assert doc["laws"][0]["effective"] == "2021-07-15"


def test_search(law: Any) -> None:
    code, text = law("search", "听证", "--law", "行政处罚法")
    assert code == 0
    assert "行政处罚法第六十四条" in text
    assert "行政复议法" not in text
    code, doc = law("search", "听证", "--json", "--limit", "5")
    assert code == 0
    assert doc["query"] == "听证"
    assert len(doc["hits"]) == 5
    assert doc["hits"][0]["citation"] == "行政处罚法第六十四条"
    assert set(doc["hits"][0]) == {"law", "title", "short_name", "article", "label", "citation",
                                   "exact", "score", "snippet", "text"}  # fmt: skip


def test_search_with_no_hit_and_unknown_law(law: Any) -> None:
    code, text = law("search", "量子计算")
    assert code == 0
    assert "没有找到" in text
    code, text = law("search", "听证", "--law", "刑法")
    assert code == 2
    assert "no such law" in text


def test_cite_resolves_a_reason_source(law: Any) -> None:
    code, text = law("cite", "行政处罚法第五十八条第二款；国办发〔2018〕118号（十二）")
    assert code == 0
    assert "法律职业资格" in text
    assert "国务院办公厅关于全面推行行政执法公示制度" in text
    code, doc = law("cite", "行政处罚法第九十条；审计法第四十四条", "--json")
    assert code == 2
    assert [p["problem"] for p in doc["parts"]] == ["no_such_article", None]
    assert "十日内" in doc["parts"][1]["text"]


WORDS = ["show", "list", "search", "cite", "--json", "--law", "--paragraph", "--item", "--limit",
         "行政处罚法", "民事诉讼法", "刑法", "63", "63.2", "0", "99999", "第六十三条", "第十十条",
         "听证", "-1", "", "行政处罚法第九十条"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=6)), max_size=6))
def test_random_law_arguments_never_raise(args: list[str]) -> None:
    result = CliRunner().invoke(app, ["law", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert result.exit_code in (0, 2), (args, result.exit_code, result.output)
    assert "Traceback" not in result.output
