"""What a clerk reads is Chinese first, English alongside: no message the terminal prints or
raises (cli.py, terminal/) is in English alone. A command to type (`zhifa …`) is not a message."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
#: Calls whose text a person reads: printed, or raised to be printed.
SHOWN = {"say", "print", "echo", "write", "BadInputError", "NotFoundError", "RefusedError",
         "ConfigError", "Reason", "ValueError", "Text", "add_column", "Table", "Panel"}  # fmt: skip


def _called(node: ast.Call) -> str:
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _text(arg: ast.AST) -> str:
    """The literal words of an argument (its strings and f-strings' fixed parts, joined)."""
    return "".join(n.value for n in ast.walk(arg)
                   if isinstance(n, ast.Constant) and isinstance(n.value, str))  # fmt: skip


def english_only(path: Path) -> list[str]:
    found = []
    for call in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(call, ast.Call) or _called(call) not in SHOWN:
            continue
        shown = call.args[:1] if _called(call) in ("Text", "print", "say") else call.args
        for arg in [*shown, *(k.value for k in call.keywords if k.arg == "title")]:
            text = re.sub(r"\[/?[a-z ]*\]", "", _text(arg)).strip()  # rich markup is no word
            words = re.findall(r"\b[a-z]{2,}\b", text)
            if len(words) >= 2 and not CJK.search(text) and not text.startswith("zhifa "):
                found.append(f"{path.relative_to(ROOT)}:{arg.lineno}: {text!r}")
    return found


def test_no_message_is_in_english_alone() -> None:
    files = [ROOT / "cli.py", *sorted((ROOT / "terminal").glob("*.py"))]
    offenders = [line for path in files for line in english_only(path)]
    assert not offenders, "English-only messages:\n" + "\n".join(offenders)


def test_the_scan_finds_an_english_only_message() -> None:
    sample = ROOT / "terminal" / "__scan_sample__.py"
    try:
        sample.write_text('say(f"no case {x} here")\nsay("没有此案件 no case")\n', encoding="utf-8")
        assert english_only(sample) == ["terminal/__scan_sample__.py:1: 'no case  here'"]
    finally:
        sample.unlink()
