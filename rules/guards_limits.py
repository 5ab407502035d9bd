"""Who may be fined, for what, and until when: 时效, minors, one violation one fine.

行政处罚法 Art. 36 (时效: 2 years, 5 where the law says so, from the violation or its end),
Art. 30 (under 14: no penalty; 14 to 18: 从轻或者减轻), Art. 29 (同一个违法行为 no second fine).
A draft the law forbids is refused, and the refusal names the 不予处罚 ground to use instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rules.act import Act, guard
from rules.deadlines import limitation
from rules.identifiers import age_on, birth_date
from rules.model import Case, Reason
from states.vocabulary import Outcome


def _day(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def violation_day(case: Case, data: Any = None) -> date | None:
    """When the violation happened (the input of the act first, then the case)."""
    given = (data or {}).get("violation_on") if data else None
    return _day(given or case.details.get("violation_on"))


def party_age(case: Case, on: date | None) -> int | None:
    """An individual party's age on a day, from the ID number's birth date."""
    if case.party.get("type") != "individual" or on is None:
        return None
    born = birth_date(str(case.party.get("id") or ""))
    return age_on(born, on) if born else None


def draft_flags(case: Case) -> list[dict[str, str]]:
    """What the draft must weigh, shown on the draft and to the reviewer."""
    flags = []
    age = party_age(case, violation_day(case))
    if age is not None and 14 <= age < 18:
        flags.append({"code": "minor_14_18",
                      "text": f"违法行为发生时当事人{age}周岁（已满十四周岁不满十八周岁），应当从轻或者减轻行政处罚",
                      "source": "行政处罚法第三十条"})  # fmt: skip
    return flags


def _is_penalty(act: Act) -> bool:
    """A penalty draft, or a penalty decided on the spot (简易程序: kinds without an outcome)."""
    outcome = act.input.get("outcome")
    return outcome == Outcome.PENALTY or (outcome is None and bool(act.input.get("penalty_kinds")))


def _merged(act: Act) -> Case:
    """The case with the violation facts this act gives (a draft may state or correct them)."""
    keys = ("violation_on", "violation_ended_on", "discovered_on", "power")
    given = {k: act.input[k] for k in keys if act.input.get(k)}
    if not given:
        return act.case
    from dataclasses import replace

    return replace(act.case, details={**act.case.details, **given})


@guard("violation_dates_known", needs_data=True)
def violation_dates_known(act: Act) -> list[Reason]:
    """A penalty needs the violation's date and the date it was found (时效, Art. 36)."""
    if not _is_penalty(act):
        return []
    details = _merged(act).details
    lacking = [label for key, label in (("violation_on", "违法行为发生日期（violation_on）"),
                                        ("discovered_on", "发现日期（discovered_on）"))
               if not details.get(key)]  # fmt: skip
    if not lacking:
        return []
    return [Reason("violation_dates", f"给予处罚须记录{'、'.join(lacking)}，以判断处罚时效",
                   "行政处罚法第三十六条")]  # fmt: skip


@guard("not_time_barred", needs_data=True)
def not_time_barred(act: Act) -> list[Reason]:
    """违法行为在二年内未被发现的，不再给予行政处罚 (Art. 36; five years where the law says)."""
    if not _is_penalty(act):
        return []
    limit = limitation(_merged(act), act.policy)
    if not limit or not limit["barred"]:
        return []
    return [Reason(
        "time_barred",
        f"违法行为自{limit['from']}起{limit['years']}年内（至{limit['until']}）未被发现，"
        f"{limit['discovered_on']}方发现，不再给予行政处罚；应作不予行政处罚决定"
        "（outcome=no_penalty_minor, ground=art36_time_barred）",
        "行政处罚法第三十六条")]  # fmt: skip


@guard("party_may_be_fined", needs_data=True)
def party_may_be_fined(act: Act) -> list[Reason]:
    """不满十四周岁的未成年人有违法行为的，不予行政处罚 (Art. 30)."""
    if not _is_penalty(act):
        return []
    case = _merged(act)
    age = party_age(case, violation_day(case))
    if age is None or age >= 14:
        return []
    return [Reason(
        "party_under_14",
        f"违法行为发生时当事人{age}周岁，不满十四周岁，不予行政处罚，责令监护人加以管教；"
        "应作不予行政处罚决定（outcome=no_penalty_minor, ground=art30_minor）",
        "行政处罚法第三十条")]  # fmt: skip


@guard("one_fine_per_violation", needs_data=True)
def one_fine_per_violation(act: Act) -> list[Reason]:
    """对当事人的同一个违法行为，不得给予两次以上罚款的行政处罚 (Art. 29)."""
    if not _is_penalty(act) or "fine" not in (act.input.get("penalty_kinds") or []):
        return []
    return [
        Reason("second_fine",
               f"当事人的同一违法行为已在{case_id}被决定罚款（{number or '决定书文号未记录'}），不得再次罚款",
               "行政处罚法第二十九条")  # fmt: skip
        for case_id, number in act.prior_fines
    ]
