"""The benchmark condition language: read, type-checked, evaluated — and nothing else."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rules.expr import ExpressionError, check, evaluate, names, parse

KINDS = {"amount_involved": "number", "first_offence": "bool", "corrected": "bool",
         "harm": "text", "party_type": "text"}  # fmt: skip
FACTS = {"amount_involved": Decimal("1500000"), "first_offence": True, "corrected": False,
         "harm": "slight", "party_type": "unit"}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("first_offence and not corrected", True),
        ("first_offence and corrected or harm == \"slight\"", True),
        ("first_offence and (corrected or harm == 'serious')", False),
        ("amount_involved >= 1000000", True),
        ("amount_involved * 0.1 > 200000", False),
        ("harm in [\"none\", \"slight\"]", True),
        ("amount_involved in [1, 2]", False),
        ("not not first_offence", True),
        ("amount_involved - 500000 == 1000000", True),
        ("amount_involved / 0 == 0", True),
        ("-amount_involved < 0", True),
        ("true and party_type != \"individual\"", True),
    ],
)
def test_conditions_read_and_evaluate(text: str, expected: bool) -> None:
    node = parse(text)
    assert check(node, KINDS) == "bool"
    assert evaluate(node, FACTS) is expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("__import__('os').system('x')", "cannot read"),
        ("first_offence.__class__", "cannot read"),
        ("open(1)", "多余的内容"),
        ("amount_involved and first_offence", "true/false"),
        ("harm > 3", "one kind"),
        ("harm < \"slight\"", "compares numbers"),
        ("wealth > 3", "unknown fact"),
        ("first_offence and", "expected a value"),
        ("(first_offence", "expected '\\)'"),
        ("harm in [1, \"a\"]", "one kind"),
        ("amount_involved in [1, 2] == true", "多余的内容"),
        ("", "empty"),
        ("a" * 600, "longer than"),
        ("not " * 40 + "first_offence", "nested deeper"),
        ("amount_involved + first_offence > 1", "takes numbers"),
    ],
)
def test_what_cannot_be_read_or_typed_is_refused_with_the_reason(text: str, problem: str) -> None:
    with pytest.raises(ExpressionError, match=problem):
        check(parse(text), KINDS)


def test_a_condition_names_the_facts_it_reads() -> None:
    assert names(parse("first_offence or harm == \"none\" and amount_involved > 3")) == {
        "first_offence", "harm", "amount_involved"}  # fmt: skip
