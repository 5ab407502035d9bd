"""A small, safe condition language for discretion benchmarks (裁量基准的适用条件).

    first_offence and corrected and harm != "serious"
    amount_involved >= 1000000 or repeat_2y or obstruction
    harm in ["none", "slight"] and not no_fault

Literals are numbers, "text", true and false and [lists]; names are the facts a benchmark
declares; operators: or, and, not, == != < <= > >=, in, + - * / and parentheses. The text is
parsed once into a tree of tuples and type-checked against the facts' kinds, so a condition
that cannot be evaluated is reported when discretion.yaml loads, never when a clerk acts.
Nothing here calls `eval`, looks up attributes or calls functions: a condition can only
compare the values it is given.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

#: The longest condition accepted and the deepest nesting (a condition is a line, not a program).
MAX_LENGTH = 500
MAX_DEPTH = 30

_TOKEN = re.compile(
    r"\s*(?:(?P<num>\d+(?:\.\d+)?)|(?P<str>\"[^\"\\\n]*\"|'[^'\\\n]*')"
    r"|(?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|\+|-|\*|/)|(?P<name>[A-Za-z_][A-Za-z0-9_]*))"
)
_COMPARE = ("==", "!=", "<", "<=", ">", ">=", "in")
#: What a name or literal is: the kinds a fact can have (money and int are numbers).
Kind = str  # "bool" | "number" | "text" | "list"
Node = tuple[Any, ...]


class ExpressionError(ValueError):
    """A condition that cannot be read or does not fit the facts it names."""


def _tokens(text: str) -> list[tuple[str, str]]:
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"条件过长 longer than {MAX_LENGTH} characters")
    found: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise ExpressionError(f"第{pos + 1}个字符无法识别 cannot read {text[pos:pos + 10]!r}")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "name" and value in ("and", "or", "not", "in", "true", "false"):
            kind = value if value not in ("true", "false") else "bool"
        found.append((kind, value))
        pos = match.end()
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.pos = 0
        self.depth = 0

    def peek(self) -> tuple[str, str]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "")

    def take(self, *values: str) -> str | None:
        kind, value = self.peek()
        if (kind if kind in ("and", "or", "not", "in") else value) in values:
            self.pos += 1
            return value
        return None

    def expect(self, value: str) -> None:
        if self.take(value) is None:
            raise ExpressionError(f"缺少 {value!r} expected {value!r} at {self.peek()[1] or 'end'!r}")

    def parse(self) -> Node:
        node = self.disjunction()
        if self.peek()[0] != "end":
            raise ExpressionError(f"多余的内容 unexpected {self.peek()[1]!r}")
        return node

    def _nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"嵌套过深 nested deeper than {MAX_DEPTH}")

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.take("or"):
            node = ("or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.take("and"):
            node = ("and", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.take("not"):
            self._nested()
            return ("not", self.negation())
        return self.comparison()

    def comparison(self) -> Node:
        node = self.sum()
        op = self.take(*_COMPARE)
        return (op, node, self.sum()) if op else node

    def sum(self) -> Node:
        node = self.term()
        while (op := self.take("+", "-")) is not None:
            node = (op, node, self.term())
        return node

    def term(self) -> Node:
        node = self.unary()
        while (op := self.take("*", "/")) is not None:
            node = (op, node, self.unary())
        return node

    def unary(self) -> Node:
        if self.take("-"):
            self._nested()
            return ("neg", self.unary())
        return self.atom()

    def atom(self) -> Node:
        kind, value = self.peek()
        self.pos += 1
        if kind == "num":
            return ("lit", Decimal(value))
        if kind == "str":
            return ("lit", value[1:-1])
        if kind == "bool":
            return ("lit", value == "true")
        if kind == "name":
            return ("name", value)
        if value == "(":
            self._nested()
            node = self.disjunction()
            self.expect(")")
            return node
        if value == "[":
            items = [self.sum()]
            while self.take(","):
                items.append(self.sum())
            self.expect("]")
            return ("list", *items)
        raise ExpressionError(f"此处应为值 expected a value at {value or 'end'!r}")


def parse(text: str) -> Node:
    """The condition's tree; ExpressionError says what cannot be read."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("条件为空 empty condition")
    return _Parser(text).parse()


def _literal_kind(value: Any) -> Kind:
    if isinstance(value, bool):
        return "bool"
    return "number" if isinstance(value, Decimal) else "text"


def check(node: Node, kinds: Mapping[str, Kind]) -> Kind:
    """The kind the node evaluates to, given each name's kind; ExpressionError on a name the
    benchmark does not declare or an operation its operands do not allow."""
    op = node[0]
    if op == "lit":
        return _literal_kind(node[1])
    if op == "name":
        if node[1] not in kinds:
            raise ExpressionError(f"未声明的情节 unknown fact {node[1]!r} (known: {', '.join(kinds)})")
        return kinds[node[1]]
    if op == "list":
        inner = {check(item, kinds) for item in node[1:]}
        if len(inner) != 1 or inner & {"list", "bool"}:
            raise ExpressionError("列表须由同类的数或文本组成 a list holds numbers or texts of one kind")
        return "list:" + inner.pop()
    if op in ("and", "or", "not"):
        if any(check(child, kinds) != "bool" for child in node[1:]):
            raise ExpressionError(f"{op} 两侧须为真假值 {op} takes true/false operands")
        return "bool"
    return _check_binary(op, node, kinds)


def _check_binary(op: str, node: Node, kinds: Mapping[str, Kind]) -> Kind:
    sides = [check(child, kinds) for child in node[1:]]
    if op == "neg" or op in "+-*/":
        if any(s != "number" for s in sides):
            raise ExpressionError(f"{op} 须用于金额或数 {op} takes numbers")
        return "number"
    left, right = sides
    if op == "in":
        if right != f"list:{left}":
            raise ExpressionError("in 的右侧须为同类值的列表 `in` takes a list of the left side's kind")
        return "bool"
    if left != right or left.startswith("list"):
        raise ExpressionError(f"{op} 两侧类型不同 {op} compares values of one kind ({left}, {right})")
    if op not in ("==", "!=") and left != "number":
        raise ExpressionError(f"{op} 只能比较数 {op} compares numbers")
    return "bool"


def evaluate(node: Node, values: Mapping[str, Any]) -> Any:
    """The value of a checked node for the given facts (numbers as Decimal)."""
    op = node[0]
    if op == "lit":
        return node[1]
    if op == "name":
        return values[node[1]]
    if op == "list":
        return [evaluate(item, values) for item in node[1:]]
    if op == "and":
        return bool(evaluate(node[1], values)) and bool(evaluate(node[2], values))
    if op == "or":
        return bool(evaluate(node[1], values)) or bool(evaluate(node[2], values))
    if op == "not":
        return not evaluate(node[1], values)
    if op == "neg":
        return -evaluate(node[1], values)
    return _binary(op, evaluate(node[1], values), evaluate(node[2], values))


def _binary(op: str, left: Any, right: Any) -> Any:
    if op == "/":
        try:
            return left / right if right else Decimal(0)
        except InvalidOperation:
            return Decimal(0)
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    if op == "in":
        return left in right
    return _COMPARATORS[op](left, right)


_COMPARATORS: dict[str, Any] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}  # fmt: skip


def names(node: Node) -> set[str]:
    """Every fact a condition reads."""
    if node[0] == "name":
        return {node[1]}
    if node[0] == "lit":
        return set()
    return set().union(*(names(child) for child in node[1:] if isinstance(child, tuple)))
