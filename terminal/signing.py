"""What the terminal shows of keys, the register's history and checkpoints (issue 14)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from terminal.output import out, say
from workflow.errors import BadInputError

MAX_KEY_TEXT = 4096


def ask_passphrase(prompt: str) -> str | None:
    """A key's passphrase, asked on a terminal (never echoed); None without one."""
    if not sys.stdin.isatty():
        return None
    import getpass

    return getpass.getpass(f"{prompt}: ")


def new_passphrase() -> str:
    """A new passphrase, asked twice on a terminal (or $ZHIFA_PASSPHRASE)."""
    import os

    from workflow.keys import PASSPHRASE_ENV

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    if not sys.stdin.isatty():
        raise BadInputError(f"口令须在终端输入 a passphrase is asked on a terminal (or ${PASSPHRASE_ENV})")
    import getpass

    first = getpass.getpass("新口令 new passphrase: ")
    if not first or first != getpass.getpass("再次输入 again: "):
        raise BadInputError("两次输入的口令不一致或为空 the passphrases differ or are empty")
    return first


def public_key_arg(value: str) -> str:
    """A public key given as its text (`ed25519:…`) or as a file holding it (a key's .json
    description or a text file); checked."""
    import json

    from workflow.keys import normal_public

    path = Path(value)
    if not value.startswith("ed25519:") and path.is_file():
        with path.open("rb") as handle:
            text = handle.read(MAX_KEY_TEXT + 1).decode("utf-8", "replace")
        if text.lstrip().startswith("{"):
            try:
                text = str(json.loads(text).get("public_key", ""))
            except (ValueError, AttributeError):
                raise BadInputError(f"{path}: 不是密钥说明文件 not a key description") from None
        value = text.strip().splitlines()[0] if text.strip() else ""
    return normal_public(value)


def show_key(info: dict[str, Any]) -> None:
    say(f"✓ 已生成签名密钥 key created for {info['name']}: {info['path'] or '(memory)'}"
        + ("（口令保护 passphrase-protected）" if info["encrypted"] else ""))  # fmt: skip
    say(f"  公钥 public key (give it to the admin to register):\n  {info['public_key']}")
    say(f"  编号 id {info['id'][:16]}…  — 私钥只在本机 the private key never leaves this folder")


def show_keys(keys: Sequence[dict[str, Any]], folder: str) -> None:
    table = Table(title=f"签名密钥 your keys ({folder})")
    for col in ("姓名 name", "编号 id", "生成 created", "口令 passphrase", "公钥 public key"):
        table.add_column(col, overflow="fold")
    for k in keys:
        table.add_row(k["name"], k["id"][:16] + "…", k["created_at"][:19],
                      "✓" if k["encrypted"] else "", k["public_key"])  # fmt: skip
    out.print(table)


def show_register_history(entries: Sequence[dict[str, Any]], name: str | None) -> None:
    table = Table(title=f"人员名录变更 register history{' — ' + name if name else ''}")
    for col in ("#", "日期 on", "变更 change", "人员 person", "内容 details", "签名 signed by"):
        table.add_column(col, overflow="fold")
    for e in entries:
        data = dict(e["data"])
        person = str(data.pop("person", ""))
        if "public_key" in data:
            data["public_key"] = str(data["public_key"])[:20] + "…"
        details = ", ".join(f"{k}={'/'.join(map(str, v)) if isinstance(v, list) else v}"
                            for k, v in sorted(data.items()))  # fmt: skip
        table.add_row(str(e["seq"]), e["on"], e["label"], person, details,
                      f"{e['by']} ({e['signature']['key'][:8]}…)")  # fmt: skip
    out.print(table)


def show_checkpoint(doc: dict[str, Any], path: Path) -> None:
    st = doc["statement"]
    say(f"✓ 检查点 checkpoint {st['taken_at']} by {st['taken_by']}: {st['size']} 条记录链 chains, "
        f"{len(doc['counters'])} 个计数器 counters")  # fmt: skip
    say(f"  root {st['root']}\n  → {path}  （另行保存 keep a copy outside the office: "
        "`zhifa verify --against` it）")  # fmt: skip
