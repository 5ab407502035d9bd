"""Normalise an action's input: known keys only, each coerced to its declared kind.

Values may come typed (JSON, Python) or as strings from the terminal (`--data key=value`).
What cannot be understood is a BadInputError naming the key; what the law requires of the
content is for the guards to say.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from states.definition import Action, Field
from workflow.errors import BadInputError

#: Every action may carry a free-text note for the record.
NOTE = Field("note", "text", "备注")
TRUE = {"true", "yes", "1", "y", "是"}
FALSE = {"false", "no", "0", "n", "否"}


def _money(value: Any) -> str:
    try:
        amount = Decimal(str(value).replace(",", "").replace("¥", "").strip())
    except InvalidOperation:
        raise ValueError("not an amount of yuan") from None
    if not amount.is_finite():
        raise ValueError("not an amount of yuan")
    return str(amount.quantize(Decimal("0.01")))


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError("expected true or false")


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    text = str(value).strip()
    if text.startswith("["):
        parsed = json.loads(text)
        if not isinstance(parsed, list):
            raise ValueError("expected a list")
        return [str(v) for v in parsed]
    return [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]


def _json(value: Any) -> Any:
    if isinstance(value, dict | list):
        return value
    try:
        return json.loads(str(value))
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None


def _enum(field: Field, value: Any) -> str:
    text = str(value).strip()
    if text not in field.choices:
        raise ValueError(f"must be one of {', '.join(field.choices)}")
    return text


def _date(value: Any) -> str:
    return parse_date(str(value)).isoformat()


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInputError(f"bad date {text!r}: use YYYY-MM-DD") from None


FILE_KEYS = {"name": str, "size": int, "media_type": str, "sha256": str}


def _files(value: Any) -> list[dict[str, Any]]:
    """Stored-file records ({name, size, media_type, sha256}), as `zhifa evidence add` makes."""
    records = _json(value) if isinstance(value, str) else value
    if not isinstance(records, list) or not records:
        raise ValueError("expected a list of stored files; add files with `zhifa evidence add`")
    for record in records:
        if not isinstance(record, dict) or set(record) != set(FILE_KEYS):
            raise ValueError(
                "each file is {name, size, media_type, sha256}: files are stored and recorded "
                "by `zhifa evidence add CASE FILE…`, not named by hand"
            )
        if any(not isinstance(record[k], t) for k, t in FILE_KEYS.items()):
            raise ValueError(f"bad file record {record!r}")
        sha = record["sha256"]
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha) or record["size"] < 1:
            raise ValueError(f"bad file record {record!r}")
    return [dict(r) for r in records]


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise ValueError(f"not a whole number: {value!r}") from None


def _coerce(field: Field, value: Any) -> Any:
    if field.kind == "files":
        return _files(value)
    if field.kind == "int":
        return _int(value)
    if field.kind == "money":
        return _money(value)
    if field.kind == "bool":
        return _bool(value)
    if field.kind == "list":
        return _list(value)
    if field.kind == "json":
        return _json(value)
    if field.kind == "enum":
        return _enum(field, value)
    if field.kind == "date":
        return _date(value)
    text = str(value)
    if "\x00" in text:
        raise ValueError("contains a NUL character")
    return text.strip()


def normalise(action: Action, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Known keys, coerced; every problem reported at once as a BadInputError."""
    fields = {f.name: f for f in (*action.fields, NOTE)}
    problems = [
        f"unknown key {key!r} for {action.id} (known: {', '.join(fields) or 'none'})"
        for key in raw
        if key not in fields
    ]
    data: dict[str, Any] = {}
    for name, field in fields.items():
        value = raw.get(name)
        if value is None or value == "":
            if field.required:
                problems.append(f"missing {name} ({field.label})")
            continue
        try:
            data[name] = _coerce(field, value)
        except (ValueError, BadInputError) as exc:
            problems.append(f"{name} ({field.label}): {exc}")
    if problems:
        raise BadInputError(f"bad input for {action.id}: " + "; ".join(problems), problems)
    return data


def parse_redactions(pairs: list[str]) -> list[dict[str, str]]:
    """`--redact TEXT=REASON` options as [{text, reason}] (REASON: an id or 商业秘密 etc.)."""
    from rules.publicity import REDACTION_GROUNDS, redaction_ground

    redactions, problems = [], []
    for pair in pairs:
        text, sep, label = pair.rpartition("=")
        ground = redaction_ground(label) if sep else None
        if not text.strip() or ground is None:
            known = "、".join(f"{name}（{key}）" for key, (name, _) in REDACTION_GROUNDS.items())
            problems.append(f"--redact 须为 文字=理由 TEXT=REASON，理由为 {known}: {pair!r:.60}")
        else:
            redactions.append({"text": text, "reason": ground})
    if problems:
        raise BadInputError("不予公开的内容有误 bad --redact: " + "; ".join(problems), problems)
    return redactions
