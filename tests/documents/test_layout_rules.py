"""The text-to-layout rules (documents/layout.py) and the choice of print fonts
(documents/fonts.py), as pure functions."""

from __future__ import annotations

from documents.fonts import choose, css_stacks
from documents.layout import Block, Cell, Item, blocks

SIGN = "\u3000" * 16
TEXT = f"""铁锋区审计局
铁审罚〔2026〕1号

# 行政处罚决定书

　　以上事实有下列证据证明：
- 书证

- 现场笔录
## 一、材料
- 1. 调查终结报告
- （2）听证笔录
- 唯一一项

| 送达文书名称及文号 | 决定书（铁审罚〔2026〕1号） |
| 受送达人 | 甲 | 乙 |
| 受送达人签名或盖章 | 　　　　年　　月　　日 |

{SIGN}铁锋区审计局
{SIGN}2026年9月2日

联系电话：0452-0000000
"""


def test_runs_of_lines_become_lists_tables_and_the_signature() -> None:
    parsed = blocks(TEXT)
    assert [b.kind for b in parsed] == [
        "mark", "number", "title", "para", "list", "heading", "list", "table", "signature", "line"
    ]  # fmt: skip
    # a run of bare items is numbered in print; blank lines inside a run do not break it
    assert parsed[4] == Block("list", items=(Item("1.", "书证"), Item("2.", "现场笔录")))
    # recorded numbers are kept as written; a bare item beside numbered ones stays bare
    assert parsed[6].items == (
        Item("1.", "调查终结报告"), Item("（2）", "听证笔录"), Item("", "唯一一项")
    )  # fmt: skip
    rows = parsed[7].rows
    assert rows[0] == (Cell("送达文书名称及文号"), Cell("决定书（铁审罚〔2026〕1号）"))
    assert rows[1] == (Cell("受送达人"), Cell("甲 | 乙"))  # a '|' in the value stays text
    assert rows[2][1] == Cell("年　　月　　日", sign=True)  # a space to sign in
    assert parsed[8].lines == ("铁锋区审计局", "2026年9月2日")


def test_a_single_bare_item_is_not_numbered() -> None:
    [block] = blocks("- 无执行记录\n")
    assert block.items == (Item("", "无执行记录"),)


def test_the_first_installed_font_of_a_role_wins_else_a_stand_in() -> None:
    installed = [("Noto Serif CJK SC",), ("Noto Sans CJK SC",), ("FangSong", "仿宋")]
    chosen = choose(
        {"body": ["方正仿宋", "仿宋"], "title": ["小标宋"], "heading": ["黑体"]}, installed
    )
    assert (chosen["body"].used, chosen["body"].fell_back) == ("FangSong", False)
    assert (chosen["title"].used, chosen["title"].fell_back) == ("Noto Serif CJK SC", True)
    assert (chosen["heading"].used, chosen["heading"].fell_back) == ("Noto Sans CJK SC", True)
    assert "未安装 小标宋" in chosen["title"].describe()
    assert chosen["body"].describe() == "正文 body: FangSong"
    nothing = choose(None, [])
    assert nothing["body"].used is None
    assert "no CJK font" in nothing["body"].describe()


def test_font_names_cannot_break_out_of_the_style_sheet() -> None:
    chosen = choose(
        {"body": ['x"; } body { color: red } </style><script>']}, [("Noto Serif CJK SC",)]
    )
    stack = css_stacks(chosen)["body"]
    assert stack.startswith('"Noto Serif CJK SC", "x')
    for bad in (";", "}", "<", ">"):
        assert bad not in stack
    assert css_stacks(chosen)["title_weight"] == "bold"  # 小标宋 missing: a stand-in, set bold
