"""`case list` a page at a time (issue 16): how many there are and which page comes next, in
the office's words; --json streams the same document a program always read."""

from __future__ import annotations

from typing import Any

import pytest

from terminal import output
from tests.cli.conftest import Invoke
from tests.cli.test_cli import open_case


def test_the_list_says_how_many_and_which_page_comes_next(zhifa: Invoke) -> None:
    opened = [open_case(zhifa) for _ in range(3)]
    code, text = zhifa("case", "list", "--limit", "2")
    assert code == 0
    flat = text.replace("\n", "")
    assert "共 3 件，第 1/2 页（每页 2 件）" in flat
    assert "下一页 next: --page 2" in flat
    assert opened[2] not in text
    code, text = zhifa("case", "list", "--limit", "2", "--page", "2")
    assert "第 2/2 页" in text.replace("\n", "")
    assert "下一页" not in text
    assert opened[2] in text


def test_json_pages_join_into_the_whole_list(zhifa: Invoke) -> None:
    opened = [open_case(zhifa) for _ in range(3)]
    code, first = zhifa("case", "list", "--limit", "2", "--sort", "案号", "--json")
    assert code == 0
    assert (first["total"], first["pages"], first["next_page"], first["sort"]) == (3, 2, 2, "id")
    code, second = zhifa("case", "list", "--limit", "2", "--page", "2", "--sort", "id", "--json")
    assert second["next_page"] is None
    assert [c["id"] for c in first["cases"] + second["cases"]] == sorted(opened)
    assert first["cases"][0]["deadlines"]  # each case is the full view, as before


def test_an_unknown_sort_is_bad_input_naming_the_choices(zhifa: Invoke) -> None:
    code, text = zhifa("case", "list", "--sort", "size")
    assert code == 2
    assert "没有此排序 unknown sort 'size'" in text
    assert "最近办理（updated）" in text.replace("\n", "")


@pytest.mark.parametrize("items", [[], [{"id": "P-2026-0001", "当事人": {"名称": "某公司", "n": [1, 2]}}],
                                   [{"a": 1}, {"b": None}, {"c": "x\ny"}]])  # fmt: skip
def test_a_streamed_document_is_the_document(capsys: pytest.CaptureFixture[str], items: list[Any]) -> None:
    head = {"total": len(items), "page": 1, "next_page": None, "nested": {"k": ["v", 2]}}
    output.emit_json({**head, "cases": items})
    whole = capsys.readouterr().out
    output.stream_json(head, "cases", iter(items))
    assert capsys.readouterr().out == whole


def test_alerts_list_the_most_urgent_first_and_say_how_many_more(zhifa: Invoke) -> None:
    """At a province's scale thousands may be overdue: `--limit N` reads the N most urgent
    from the due-date index and says how many there are in all (issue 16)."""
    for _ in range(3):
        open_case(zhifa)
    code, whole = zhifa("alerts", "--within", "250", "--json")
    cases = [a for a in whole["alerts"] if a["case"] != "—"]
    assert code == 0
    assert len(cases) == whole["total"] >= 3
    code, some = zhifa("alerts", "--within", "250", "--limit", "2", "--json")
    assert some["total"] == whole["total"]
    assert [a for a in some["alerts"] if a["case"] != "—"] == cases[:2]  # the most urgent two
    code, text = zhifa("alerts", "--within", "250", "--limit", "2")
    flat = text.replace("\n", "")
    assert f"共 {whole['total']} 项案件期限，列出最紧迫的 2 项" in flat
    assert zhifa("alerts", "--limit", "-1")[0] == 2


def test_alerts_list_fifty_unless_asked_for_more(zhifa: Invoke) -> None:
    """A clerk's `alerts` on a large office is a page, not every overdue row (issue 16: ~130,000
    overdue at 100k cases took 40 s to print); `--limit 0` still lists them all."""
    while True:
        code, whole = zhifa("alerts", "--within", "250", "--limit", "0", "--json")
        if whole["total"] > 50:
            break
        open_case(zhifa)
    code, page = zhifa("alerts", "--within", "250", "--json")
    assert (code, page["total"]) == (0, whole["total"])
    assert [a for a in page["alerts"] if a["case"] != "—"] == \
        [a for a in whole["alerts"] if a["case"] != "—"][:50]
    code, text = zhifa("alerts", "--within", "250")
    assert f"共 {whole['total']} 项案件期限，列出最紧迫的 50 项" in text.replace("\n", "")
