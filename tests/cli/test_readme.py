"""The README's command blocks, run in order in a new folder by the installed `zhifa`, as a
reader would type them: the README cannot drift from the product (issue 15).

Every ```sh block runs, in one bash with `set -euo pipefail`, so a command that fails stops
the run and names its block; a block fenced ```sh-notest is shown to the reader, not run
(`./dev test` itself, a PostgreSQL server, a terminal)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import ZHIFA

README = Path(__file__).resolve().parents[2] / "README.md"
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```", re.MULTILINE | re.DOTALL)

pytestmark = pytest.mark.skipif(ZHIFA is None, reason="zhifa is not installed (pip install -e .)")


def shell_blocks(text: str) -> list[tuple[int, str]]:
    """(line in the README, body) of every ```sh block, in order."""
    return [(text[: m.start()].count("\n") + 1, m.group(2)) for m in FENCE.finditer(text)
            if m.group(1).strip() == "sh"]  # fmt: skip


def script(blocks: list[tuple[int, str]]) -> str:
    lines = [
        "set -euo pipefail",
        'trap \'echo "README.md block at line $block failed (exit $?): $BASH_COMMAND" >&2\' ERR',
    ]
    for line, body in blocks:
        lines += [f"block={line}", f'echo "=== README.md line {line}"', body]
    return "\n".join(lines) + "\n"


def test_the_blocks_are_found_and_the_untested_ones_named() -> None:
    text = README.read_text(encoding="utf-8")
    fences = [m.group(1).strip() for m in FENCE.finditer(text)]
    # every command block says whether it runs; a yaml block is a file's content and an sql
    # block a DBA's statements (not zhifa's), shown
    assert set(fences) <= {"sh", "sh-notest", "yaml", "sql", ""}, fences
    blocks = shell_blocks(text)
    assert len(blocks) >= 7
    walkthrough = next(body for _, body in blocks if "zhifa init" in body)
    assert "…" not in walkthrough  # real sample facts, never an ellipsis
    for act in re.findall(r"case do P-\d{4}-\d{4} [^\n]*", "\n".join(b for _, b in blocks)):
        assert "--on" in act, act  # each act is dated: the README runs on any day


def test_the_readme_runs_in_a_new_office(tmp_path: Path) -> None:
    from documents.pdf import cjk_fonts

    if not cjk_fonts():
        if os.environ.get("ZHIFA_REQUIRE_CJK") == "1":
            pytest.fail("ZHIFA_REQUIRE_CJK=1 but no CJK font is installed")
        pytest.skip("the README exports PDFs: needs a CJK font (apt-get install fonts-noto-cjk)")
    assert ZHIFA is not None
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
    environ.update(PATH=f"{Path(ZHIFA).parent}{os.pathsep}{environ.get('PATH', '')}",
                   COLUMNS="100")  # fmt: skip
    text = README.read_text(encoding="utf-8")
    done = subprocess.run(["bash", "-c", script(shell_blocks(text))], cwd=tmp_path, env=environ,
                          capture_output=True, text=True, timeout=900, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Traceback" not in done.stdout + done.stderr
    out = done.stdout
    assert "P-2026-0001" in out.splitlines()  # `case open` prints the new case's id
    for shown in ("铁审立〔2026〕1号", "铁审罚〔2026〕1号", "¥150,000.00", "校验通过 verified"):
        assert shown in out, shown
    office = tmp_path / "office"
    assert (office / "卷宗" / "P-2026-0001.zip").is_file()
    assert (office / "公示网站" / "index.html").is_file()
    assert any((office / "文书").glob("*.pdf"))
