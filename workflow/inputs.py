"""Normalise an action's input: known keys only, each coerced to its declared kind.

Values may come typed (JSON, Python) or as strings from the terminal (`--data key=value`).
What cannot be understood is a BadInputError naming the key; what the law requires of the
content is for the guards to say.

Input is bounded before it is believed (README, "Input limits"): a data file is at most
1 MB, read as UTF-8 only, and its JSON at most 20 levels deep with 10,000 values; an act
takes at most 200 keys; a text value is text (never an object stringified), at most 20,000
characters, without control characters or lone surrogates; an amount at most
¥999,999,999,999.99 (what the capitals formatter can write); a date from 1949-10-01 to a year
after today.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from states.definition import Action, Field
from states.vocabulary import VOCABULARIES
from workflow.errors import BadInputError
from workflow.names import did_you_mean

#: Every action may carry a free-text note for the record.
NOTE = Field(name="note", kind="text", label="备注")
TRUE = {"true", "yes", "1", "y", "是"}
FALSE = {"false", "no", "0", "n", "否"}

MAX_TEXT = 20_000  # characters in one text value
MAX_DATA_FILE = 1 << 20  # bytes of a --data-file
MAX_KEYS = 200  # keys given to one act
MAX_DEPTH = 20  # nesting of a JSON value
MAX_NODES = 10_000  # values in a JSON document
MAX_ITEMS = 200  # items of a list value
MAX_AMOUNT = Decimal("999999999999.99")  # the largest amount money_capitals writes
EARLIEST = date(1949, 10, 1)
LATEST_CLOCK = date(2099, 12, 31)
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"} | {"\x7f"}


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "JSON 对象 an object"
    if isinstance(value, list):
        return "JSON 列表 a list"
    if isinstance(value, bool):
        return "真假值 a boolean"
    if isinstance(value, int | float | Decimal):
        return "数字 a number"
    return type(value).__name__


def check_text(value: Any, limit: int = MAX_TEXT) -> str:
    """A text value as given: text, bounded, no control character or lone surrogate."""
    if not isinstance(value, str):
        raise ValueError(f"须为文本 expected text, got {_kind_of(value)}")
    if len(value) > limit:
        raise ValueError(f"超过 {limit:,} 字符上限 longer than {limit:,} characters")
    if "\x00" in value:
        raise ValueError("含空字符 contains a NUL character")
    if any(c in _CONTROL for c in value):
        raise ValueError("含控制字符 contains a control character")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise ValueError("不是有效的 Unicode 文本 contains a lone surrogate") from None
    return value


def check_structure(value: Any) -> Any:
    """A JSON value within the depth, size and text limits (walked without recursion)."""
    pending, nodes = [(value, 1)], 0
    while pending:
        item, depth = pending.pop()
        nodes += 1
        if nodes > MAX_NODES:
            raise ValueError(f"超过 {MAX_NODES:,} 个值 more than {MAX_NODES:,} values")
        if depth > MAX_DEPTH:
            raise ValueError(f"嵌套超过 {MAX_DEPTH} 层 nested deeper than {MAX_DEPTH} levels")
        if isinstance(item, dict):
            for key, child in item.items():
                check_text(key, 200)
                pending.append((child, depth + 1))
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            check_text(item)
        elif isinstance(item, float) and item != item:  # NaN
            raise ValueError("不是数值 not a number (NaN)")
    return value


def parse_json_text(text: str) -> Any:
    """JSON text within the limits; ValueError saying what is wrong."""
    if len(text) > MAX_DATA_FILE:
        raise ValueError(
            f"超过 {MAX_DATA_FILE:,} 字符上限 longer than {MAX_DATA_FILE:,} characters"
        )
    try:
        parsed = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ValueError(f"不是有效的 JSON not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except RecursionError:
        raise ValueError(f"嵌套超过 {MAX_DEPTH} 层 nested deeper than {MAX_DEPTH} levels") from None
    return check_structure(parsed)


def _no_constant(name: str) -> Any:
    raise ValueError(f"不是有效的 JSON not valid JSON ({name})")


def read_data_file(path: Path) -> dict[str, Any]:
    """A --data-file: a regular file of at most 1 MB, UTF-8 JSON holding an object of keys."""
    from workflow.bundlefile import MemberError, open_regular

    try:
        with open_regular(path) as handle:
            raw = handle.read(MAX_DATA_FILE + 1)
    except MemberError as exc:
        raise BadInputError(f"无法读取数据文件 cannot read the data file: {exc}") from None
    except OSError as exc:
        raise BadInputError(f"无法读取 cannot read {path}: {exc.strerror}") from None
    if len(raw) > MAX_DATA_FILE:
        raise BadInputError(f"{path}: 超过 1 MB 上限 larger than {MAX_DATA_FILE:,} bytes")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInputError(
            f"{path}: 是 UTF-16 编码，请存为 UTF-8 is UTF-16 text; save it as UTF-8"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInputError(
            f"{path}: 不是 UTF-8 文本 not UTF-8 text (byte {exc.start}: {raw[exc.start : exc.start + 1]!r})"
        ) from None
    try:
        loaded = parse_json_text(text)
    except ValueError as exc:
        raise BadInputError(f"{path}: {exc}") from None
    if not isinstance(loaded, dict):
        raise BadInputError(f"{path} 须为 JSON 对象 must hold a JSON object of keys")
    if len(loaded) > MAX_KEYS:
        raise BadInputError(f"{path}: 超过 {MAX_KEYS} 个键 more than {MAX_KEYS} keys")
    return loaded


MAX_WITHIN = 250  # working days `alerts --within` looks ahead (about a year)


def check_within(within: int) -> int:
    if not 0 <= within <= MAX_WITHIN:
        raise BadInputError(
            f"--within 须在 0 至 {MAX_WITHIN} 个工作日之间 must be 0 to {MAX_WITHIN} working days"
        )
    return within


def check_options(options: Mapping[str, str | None]) -> None:
    """Text options that go straight to the record (a name, a certificate number)."""
    problems = []
    for name, value in options.items():
        if value is not None:
            try:
                check_text(value, 200)
            except ValueError as exc:
                problems.append(f"{name}: {exc}")
    if problems:
        raise BadInputError("; ".join(problems), problems)


def invalid_text(argv: list[str], env_names: tuple[str, ...] = ()) -> str | None:
    """What is not valid UTF-8 among the arguments and named settings (Python hands over
    undecodable bytes as lone surrogates), or None."""
    named = [(f"第 {i} 个参数 argument {i}", a) for i, a in enumerate(argv, 1)]
    named += [(name, os.environ[name]) for name in env_names if name in os.environ]
    for label, value in named:
        try:
            value.encode()
        except UnicodeEncodeError:
            shown = value.encode(errors="backslashreplace").decode()[:60]
            return f"{label} 不是有效的 UTF-8 文本 is not valid UTF-8 text: {shown}"
    return None


def gather_data(pairs: list[str], data_file: Path | None, note: str | None) -> dict[str, Any]:
    """An act's keys from a data file, `--data KEY=VALUE` pairs (which win) and `--note`."""
    data: dict[str, Any] = read_data_file(data_file) if data_file is not None else {}
    if len(pairs) > MAX_KEYS:
        raise BadInputError(f"--data 超过 {MAX_KEYS} 个 more than {MAX_KEYS} keys")
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise BadInputError(f"--data 须为 KEY=VALUE takes KEY=VALUE, got {pair[:80]!r}")
        data[key.strip()] = value
    if note:
        data["note"] = note
    return data


NOT_MONEY = "须为金额（元），如 120000 或 120,000.50 — not an amount of yuan"


def _money(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise ValueError(f"须为金额 expected an amount of yuan, got {_kind_of(value)}")
    text = str(value).replace(",", "").replace("¥", "").strip()
    if len(text) > 40:
        raise ValueError(NOT_MONEY)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(NOT_MONEY) from None
    if not amount.is_finite():
        raise ValueError(NOT_MONEY)
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(f"金额超出上限 above the largest amount ¥{MAX_AMOUNT:,}")
    return str(amount.quantize(Decimal("0.01")))


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = check_text(value, 20).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError("须为 是 或 否 expected yes or no (是/否, true/false)")


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        items = value
    else:
        text = check_text(value).strip()
        if text.startswith("["):
            items = parse_json_text(text)
            if not isinstance(items, list):
                raise ValueError("须为列表 expected a list")
        else:
            items = [part.strip() for part in text.replace("，", ",").split(",") if part.strip()]
    if len(items) > MAX_ITEMS:
        raise ValueError(f"超过 {MAX_ITEMS} 项 more than {MAX_ITEMS} items")
    return [check_text(item) for item in items]


def _json(value: Any) -> Any:
    if isinstance(value, dict | list):
        return check_structure(value)
    return parse_json_text(check_text(value, MAX_DATA_FILE))


def choice(vocabulary: str, value: Any) -> str:
    """A vocabulary id, given as the id or as its Chinese label (放弃陈述申辩, 罚款 …)."""
    from workflow.names import listing, vocabulary_id

    table = VOCABULARIES[vocabulary]
    text = check_text(value, 200).strip()
    found = vocabulary_id(table, text)
    if found is not None:
        return found
    raise ValueError(f"须为以下之一 must be one of: {listing(table.items())}")


def _choices(vocabulary: str, item: str) -> list[str]:
    """One list item: a choice, or choices listed the office's way (警告、罚款) — a label that
    itself holds 、 (案件情况疑难复杂、涉及多个法律关系) is taken whole first."""
    try:
        return [choice(vocabulary, item)]
    except ValueError:
        parts = [p.strip() for p in item.split("、") if p.strip()]
        if len(parts) < 2:
            raise
        return [choice(vocabulary, p) for p in parts]


def _enum(field: Field, value: Any) -> str:
    assert field.vocabulary is not None
    return choice(field.vocabulary, value)


def _date(value: Any) -> str:
    return parse_date(check_text(value, 40)).isoformat()


def office_today() -> date:
    """The office clock: ZHIFA_TODAY (training, tests) or the system date."""
    fixed = os.environ.get("ZHIFA_TODAY")
    if fixed:
        return parse_date(fixed, latest=LATEST_CLOCK, what="ZHIFA_TODAY")
    return date.today()


def parse_date(
    text: str, latest: date | None = None, what: str = "date", years_ahead: int = 1
) -> date:
    """A typed date, from 1949-10-01 to `latest` (default: a year after the office's today)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadInputError(f"日期有误 bad {what} {text[:40]!r}: use YYYY-MM-DD") from None
    if latest is None:
        today = office_today()
        try:
            latest = today.replace(year=today.year + years_ahead)
        except ValueError:  # 29 February
            latest = today.replace(year=today.year + years_ahead, day=28)
    if not EARLIEST <= day <= latest:
        raise BadInputError(
            f"日期须在 {EARLIEST} 至 {latest} 之间 {what} {day} is out of range "
            f"({EARLIEST} to {latest})"
        )
    return day


FILE_KEYS = {"name": str, "size": int, "media_type": str, "sha256": str}


def _files(value: Any) -> list[dict[str, Any]]:
    """Stored-file records ({name, size, media_type, sha256}), as `zhifa evidence add` makes."""
    records = _json(value) if isinstance(value, str) else value
    if not isinstance(records, list) or not records:
        raise ValueError(
            "须为已存入的文件 expected a list of stored files; add files with `zhifa evidence add`"
        )
    for record in records:
        if not isinstance(record, dict) or set(record) != set(FILE_KEYS):
            raise ValueError(
                "文件须由 `zhifa evidence add CASE FILE…` 存入并记录，不能手工填写 — each file is "
                "{name, size, media_type, sha256}, stored and recorded by evidence add"
            )
        if isinstance(record["size"], bool) or any(
            not isinstance(record[k], t) for k, t in FILE_KEYS.items()
        ):
            raise ValueError(f"文件记录有误 bad file record {record!r}")
        sha = record["sha256"]
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha) or record["size"] < 1:
            raise ValueError(f"文件记录有误 bad file record {record!r}")
    return [dict(r) for r in records]


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"须为整数 expected a whole number, got {_kind_of(value)}")
    try:
        number = int(check_text(value, 20).strip()) if isinstance(value, str) else value
    except ValueError:
        raise ValueError(f"须为整数 not a whole number: {str(value)[:20]!r}") from None
    if not -(2**31) < number < 2**31:
        raise ValueError(f"数值超出范围 out of range: {number}")
    return number


def coerce(field: Field, value: Any) -> Any:
    """One value as its field declares it (an enum or list value by id or Chinese label);
    ValueError or BadInputError saying what is wrong, Chinese first."""
    if field.kind == "files":
        return _files(value)
    if field.kind == "int":
        return _int(value)
    if field.kind == "money":
        return _money(value)
    if field.kind == "bool":
        return _bool(value)
    if field.kind == "list":
        items = _list(value)
        if not field.vocabulary:
            return items
        return [c for item in items for c in _choices(field.vocabulary, item)]
    if field.kind == "json":
        return _json(value)
    if field.kind == "enum":
        return _enum(field, value)
    if field.kind == "date":
        return _date(value)
    return check_text(value).strip()


def normalise(action: Action, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Known keys, coerced; every problem reported at once as a BadInputError."""
    fields = {f.name: f for f in (*action.fields, NOTE)}
    if len(raw) > MAX_KEYS:
        raise BadInputError(
            f"输入有误 bad input for {action.id}: 超过 {MAX_KEYS} 个键 more than {MAX_KEYS} keys"
        )
    known = "、".join(f"{f.label}（{f.name}）" for f in fields.values())
    pairs = [(f.name, f.label) for f in fields.values()]
    problems = [
        f"{action.label}没有此项 unknown key {str(key)[:40]!r} for {action.id}"
        f"{did_you_mean(str(key), pairs)}（可用 known: {known}）"
        for key in raw
        if key not in fields
    ]
    data: dict[str, Any] = {}
    for name, field in fields.items():
        value = raw.get(name)
        if value is None or value == "":
            if field.required:
                problems.append(f"未填写{field.label} missing {name}")
            continue
        try:
            data[name] = coerce(field, value)
        except (ValueError, BadInputError) as exc:
            problems.append(f"{field.label}（{name}）：{exc}")
    if problems:
        raise BadInputError(
            f"输入有误 bad input for {action.label}（{action.id}）：" + "；".join(problems), problems
        )
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


def search_filters(
    procedure: str | None, state: str | None, year: int | None, power: str | None,
    min_amount: str | None, max_amount: str | None,
) -> Any:  # fmt: skip
    """`case search` options as the index's filters; a bad amount or year is bad input."""
    from workflow.search import Filters

    check_options({"--procedure": procedure, "--state": state, "--power": power})
    problems = []
    amounts: dict[str, Decimal | None] = {}
    for name, value in (("--min-amount", min_amount), ("--max-amount", max_amount)):
        try:
            amounts[name] = Decimal(_money(value)) if value else None
        except ValueError as exc:
            problems.append(f"{name}: {exc}")
    if year is not None and not EARLIEST.year <= year <= LATEST_CLOCK.year:
        problems.append(f"--year {year}: 须在 {EARLIEST.year} 至 {LATEST_CLOCK.year} 之间 out of range")
    if problems:
        raise BadInputError("; ".join(problems), problems)
    return Filters(procedure, state, year, power, amounts["--min-amount"], amounts["--max-amount"])


def check_party_id(raw: Mapping[str, Any]) -> None:
    """A party's identifier given on the command line, checked as a malformed value is: a
    统一社会信用代码 (GB 32100-2015) or 居民身份证号码 (GB 11643-1999) with a wrong check
    character is bad input (exit 2). The guard `party_recorded` keeps the legal rule for input
    arriving any other way (行政处罚法 Art. 59: a decision names them)."""
    from rules.identifiers import is_valid_credit_code, is_valid_id_number

    party_id = raw.get("party_id")
    if not isinstance(party_id, str) or not party_id.strip():
        return
    try:
        kind = choice("party_type", raw.get("party_type") or "unit")
    except ValueError:
        return  # the act reports the party type itself
    shown = party_id.strip()[:40]
    if kind == "unit" and not is_valid_credit_code(party_id):
        raise BadInputError(
            f"统一社会信用代码 {shown} 有误（18 位，校验位按 GB 32100-2015）"
            f" — not a valid unified social credit code (length or check character)"
        )
    if kind == "individual" and not is_valid_id_number(party_id):
        raise BadInputError(
            f"居民身份证号码 {shown} 有误（18 位，出生日期与校验位按 GB 11643-1999）"
            f" — not a valid resident ID number (birth date or check character)"
        )
