"""Binding discretion (裁量基准): a penalty draft carries the benchmark and tier its facts match,
stays within the legal range, and gives a written reason outside the suggested range.

行政处罚法 Art. 34 (裁量基准), Arts. 30, 32, 33 (statutory grounds first), Art. 37 (the rule in
force, or the lighter newer one); 国办发〔2022〕27号 asks the decision to state the benchmark
it applied. The benchmark and tier are computed from the recorded facts (rules/discretion.py)
and recorded with the draft (`discretion`), so the notices and the review read what was
matched when the draft was made.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from rules.act import Act, guard
from rules.conditions import Situation, condition
from rules.discretion import Applied, Match, describe, facts_of, for_power, kinds_outside, match
from rules.discretion import position as place
from rules.drafts import money
from rules.guards_limits import party_age, violation_day
from rules.model import Case, Reason
from rules.policy import Policy
from states.vocabulary import Outcome

SOURCE = "行政处罚法第三十四条；裁量基准（discretion.yaml）"


def power_of(case: Case, data: Mapping[str, Any]) -> str:
    return str(data.get("power") or case.details.get("power") or "").strip()


def bound(case: Case, policy: Policy, data: Mapping[str, Any]) -> bool:
    """A penalty draft under a power item the office has benchmarks for."""
    return data.get("outcome") == Outcome.PENALTY and bool(
        for_power(policy.benchmarks, power_of(case, data))
    )


def match_draft(case: Case, policy: Policy, data: Mapping[str, Any], on: date) -> Match:
    """The benchmark and tier the draft's facts match, on the draft's date."""
    merged = replace(case, details={**case.details, **{
        k: data[k] for k in ("violation_on", "power") if data.get(k)}})  # fmt: skip
    violation_on = violation_day(merged) or on
    return match(
        policy.benchmarks, power_of(case, data), facts_of(data),
        party_type=str(case.party.get("type") or "unit"), age=party_age(merged, violation_on),
        violation_on=violation_on, decided_on=on,
        named=str(data.get("benchmark") or "").strip() or None,
    )  # fmt: skip


@condition("discretion_applies")
def _discretion_applies(s: Situation) -> bool:
    """The draft's power item has discretion benchmarks: its facts are asked."""
    return bool(for_power(s.policy.benchmarks, power_of(s.case, s.data)))


def fine_of(data: Mapping[str, Any]) -> Decimal | None:
    """The fine a draft names, or None without a fine."""
    if "fine" not in (data.get("penalty_kinds") or []):
        return None
    return money(data.get("amount"))


def discretion_record(applied: Applied, data: Mapping[str, Any]) -> dict[str, Any]:
    """What the draft records: the benchmark applied and where its fine falls."""
    record = applied.record()
    fine = fine_of(data)
    amount = fine if fine is not None else Decimal(0)
    record["amount"] = str(fine) if fine is not None else None
    record["position"] = place(amount, applied.suggested)
    record["reason"] = str(data.get("discretion_reason") or "").strip() or None
    return record


def _legal_reasons(applied: Applied, data: Mapping[str, Any]) -> list[Reason]:
    """Outside the law: a kind it does not allow, a fine outside its range, no required fine."""
    b = applied.benchmark
    where = f"{b.punishes}；裁量基准{b.id}"
    reasons = []
    outside = kinds_outside(applied, data.get("penalty_kinds") or [])
    if outside:
        reasons.append(Reason("discretion_kinds", f"{b.punishes}不能给予{'、'.join(outside)}", where))
    fine = fine_of(data)
    if fine is None:
        if b.legal.fine_required and applied.tier != "reduced" and applied.legal:
            reasons.append(Reason("discretion_fine_required",
                                  f"{b.punishes}规定并处罚款（{describe(applied.legal)}），草案未写罚款", where))  # fmt: skip
        return reasons
    if applied.legal is None:
        reasons.append(Reason("discretion_no_fine", f"{b.punishes}对{b.violation}不能处以罚款", where))
    elif place(fine, applied.legal) != "within":
        below = "；低于法定最低额须有减轻处罚情节（行政处罚法第三十二条）" if fine < applied.legal[0] else ""
        reasons.append(Reason("discretion_outside_legal",
                              f"罚款{fine:,}元超出法定幅度（{describe(applied.legal)}）{below}", where))  # fmt: skip
    return reasons


@guard("discretion_bound", needs_data=True)
def discretion_bound(act: Act) -> list[Reason]:
    """A penalty draft under an item with benchmarks: the benchmark and tier its facts match,
    within the legal range, a written reason outside the suggested range, the match recorded."""
    if not bound(act.case, act.policy, act.input):
        return []
    found = match_draft(act.case, act.policy, act.input, act.on)
    if found.applied is None:
        return [Reason(code, text, SOURCE) for code, text in found.problems]
    applied = found.applied
    if applied.tier == "exempt":
        why = "；".join(f"{g.text}（{g.source}）" for g in applied.grounds if g.effect == "exempt")
        return [Reason("discretion_exempt", f"{why}：应作不予行政处罚决定（outcome=no_penalty_minor）",
                       "行政处罚法第三十条、第三十三条")]  # fmt: skip
    reasons = _legal_reasons(applied, act.input)
    record = discretion_record(applied, act.input)
    if record["position"] != "within" and not record["reason"]:
        reasons.append(Reason(
            "discretion_reason",
            f"罚款超出裁量基准{applied.benchmark.id}「{record['tier_label']}」的建议幅度"
            f"（{describe(applied.suggested)}），须写明理由（discretion_reason），并须经法制审核",
            SOURCE))  # fmt: skip
    if act.input.get("discretion") != record:
        reasons.append(Reason("discretion_record", "裁量基准适用情况（discretion）须由 zhifa 按所录情节生成，"
                              "不能手工填写（zhifa case do 会自动生成）", SOURCE))  # fmt: skip
    return reasons


@guard("discretion_current")
def discretion_current(act: Act) -> list[Reason]:
    """行政处罚法 Art. 37 at the decision: the benchmark the draft recorded still applies on the
    decision date — where a newer version punishes less, the draft is made again under it."""
    draft = act.case.draft or {}
    record = draft.get("discretion")
    if not isinstance(record, dict) or not bound(act.case, act.policy, draft):
        return []
    found = match_draft(act.case, act.policy, draft, act.on)
    now = discretion_record(found.applied, draft) if found.applied else None
    if now is not None and all(now[k] == record.get(k) for k in ("benchmark", "valid_from", "tier", "suggested")):
        return []
    applies = f"{now['benchmark']}（{now['document']}）「{now['tier_label']}」" if now else "无可适用的裁量基准"
    return [Reason("discretion_changed",
                   f"作出决定时适用的裁量基准为{applies}，与草案记录的{record.get('benchmark')}（{record.get('document')}）"
                   f"「{record.get('tier_label')}」不同，须重新拟定草案（draft_decision）", "行政处罚法第三十七条")]  # fmt: skip
