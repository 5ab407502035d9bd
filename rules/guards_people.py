"""Guards on who acts: roles, certificates, assignment and separation of duties.

Sources: 行政处罚法 Arts. 42 (two certified officers), 58 (reviewer qualification), 64 (hearing
officer is no investigator); 审计法 Art. 43; 国办发〔2018〕118号 (十二); 审计机关审计听证规定 Art. 8.
"""

from __future__ import annotations

from rules.act import Act, guard
from rules.model import ASSIGNABLE_ROLES, ROLES, Case, Person, Reason

ART42 = "行政处罚法第四十二条；审计法第四十三条"


def reviewers_of(case: Case) -> set[str]:
    """Everyone who reviewed, or was designated to review, this case."""
    names = set(case.assigned("reviewer"))
    names.update(case.review.get("reviewers", []))
    return names


def investigators_of(case: Case) -> set[str]:
    names = set(case.assigned("officer"))
    names.update(e["by"] for e in case.evidence)
    return names


def deciders_of(case: Case) -> set[str]:
    return {name for name, roles in case.actors.items() if "decider" in roles}


@guard("actor_permitted")
def actor_permitted(act: Act) -> list[Reason]:
    """The actor is active and holds a role permitted for the action (domain.md §2)."""
    reasons = []
    if not act.actor.active:
        reasons.append(
            Reason("actor_inactive", f"{act.actor.name} 已停用，不能办理案件", "人员名录")
        )
    if act.role is None:
        needed = "或".join(ROLES.get(r, r) for r in act.permitted) or "相应"
        reasons.append(
            Reason("role_not_permitted", f"{act.actor.name} 不是{needed}，无权办理", "岗位职责")
        )
    if act.actor.name in act.case.recused:
        reasons.append(Reason("recused", f"{act.actor.name} 已决定回避，不得再办理本案",
                              "行政处罚法第四十三条；审计法第十五条"))  # fmt: skip
    return reasons


@guard("officer_certified")
def officer_certified(act: Act) -> list[Reason]:
    """An officer acts only with a 执法证 valid on the day of the act."""
    if act.role != "officer" or act.actor.certificate_valid_on(act.on):
        return []
    return [
        Reason(
            "certificate_invalid",
            f"{act.actor.name} 在 {act.on.isoformat()} 没有有效的行政执法证件",
            "行政处罚法第四十二条",
        )
    ]


@guard("assigned_officer")
def assigned_officer(act: Act) -> list[Reason]:
    if act.actor.name in act.case.assigned("officer"):
        return []
    return [Reason("not_assigned", f"{act.actor.name} 不是本案承办人员", "本局案件承办制度")]


def certified_officers(act: Act) -> list[str]:
    people = (act.staff.get(n) for n in act.case.assigned("officer"))
    return [p.name for p in people if p is not None and p.active and p.certificate_valid_on(act.on)]


@guard("two_officers_certified")
def two_officers_certified(act: Act) -> list[Reason]:
    """Acts facing the party need at least two officers with valid certificates."""
    valid = certified_officers(act)
    if len(valid) >= 2:
        return []
    have = "、".join(valid) or "无"
    return [
        Reason(
            "two_officers",
            f"执法人员不得少于两人且须持有有效执法证件（{act.on.isoformat()} 有效：{have}）",
            ART42,
        )
    ]


def _assignment_conflicts(case: Case, person: str, role: str) -> list[Reason]:
    src = "行政处罚法第五十八条、第六十四条；国办发〔2018〕118号（十二）"
    conflicts = {
        "officer": reviewers_of(case) | set(case.assigned("hearing_officer")),
        "reviewer": investigators_of(case)
        | set(case.assigned("hearing_officer"))
        | deciders_of(case),
        "hearing_officer": investigators_of(case) | reviewers_of(case),
    }[role]
    if person in conflicts:
        return [
            Reason("separation", f"{person} 已在本案担任其他职责，不能再担任{ROLES[role]}", src)
        ]
    return []


def _person(act: Act, name: str, role: str, code: str) -> tuple[Person | None, list[Reason]]:
    person = act.staff.get(name)
    if person is None:
        return None, [Reason(code, f"人员名录中没有 {name}", "人员名录")]
    if not person.active:
        return None, [Reason(code, f"{name} 已停用", "人员名录")]
    if role not in person.roles:
        return None, [Reason(code, f"{name} 不具有{ROLES[role]}角色", "人员名录")]
    return person, []


@guard("assignee_valid", needs_data=True)
def assignee_valid(act: Act) -> list[Reason]:
    name, role = str(act.input.get("person", "")), str(act.input.get("role", ""))
    if role not in ASSIGNABLE_ROLES:
        return [Reason("assign_role", f"只能指派 {'/'.join(ASSIGNABLE_ROLES)}，不能指派 {role}")]
    person, reasons = _person(act, name, role, "assignee")
    if person is None:
        return reasons
    if name in act.case.recused:
        return [Reason("recused", f"{name} 已决定回避，不得再参与本案", RECUSAL_SOURCE)]
    if name in act.case.assigned(role):
        return [Reason("already_assigned", f"{name} 已是本案{ROLES[role]}")]
    return _assignment_conflicts(act.case, name, role)


@guard("case_reviewer")
def case_reviewer(act: Act) -> list[Reason]:
    """When a reviewer is designated for the case, only that reviewer reviews it."""
    assigned = act.case.assigned("reviewer")
    designated = act.case.review.get("designated") or (assigned[-1] if assigned else None)
    if designated is None or designated == act.actor.name:
        return []
    return [Reason("not_case_reviewer", f"本案法制审核人员为 {designated}", "法制审核工作规则")]


@guard("reviewer_separation")
def reviewer_separation(act: Act) -> list[Reason]:
    """A reviewer is never an officer, hearing officer or decider of the same case."""
    name = act.actor.name
    conflicts = (
        investigators_of(act.case)
        | set(act.case.assigned("hearing_officer"))
        | deciders_of(act.case)
    )
    if name not in conflicts:
        return []
    return [
        Reason(
            "reviewer_separation",
            f"{name} 是本案的承办、听证或决定人员，不得担任法制审核人员",
            "行政处罚法第五十八条；国办发〔2018〕118号（十二）",
        )
    ]


@guard("reviewer_qualified")
def reviewer_qualified(act: Act) -> list[Reason]:
    """A first-time reviewer must hold 法律职业资格 (行政处罚法 Art. 58 ¶2)."""
    if act.prior_reviews > 0 or act.actor.legal_qualified:
        return []
    return [
        Reason(
            "reviewer_unqualified",
            f"{act.actor.name} 初次从事法制审核，须取得法律职业资格",
            "行政处罚法第五十八条第二款",
        )
    ]


@guard("hearing_officer_valid", needs_data=True)
def hearing_officer_valid(act: Act) -> list[Reason]:
    """The hearing officer holds the role and is no investigator of the case."""
    name = str(act.input.get("hearing_officer", ""))
    person, reasons = _person(act, name, "hearing_officer", "hearing_officer")
    if person is None:
        return reasons
    if name in investigators_of(act.case) | reviewers_of(act.case):
        return [
            Reason(
                "hearing_officer_investigator",
                f"{name} 是本案调查人员或审核人员，不得主持听证",
                "行政处罚法第六十四条第（四）项；审计机关审计听证规定第八条",
            )
        ]
    return []


@guard("actor_is_hearing_officer")
def actor_is_hearing_officer(act: Act) -> list[Reason]:
    scheduled = (act.case.hearing or {}).get("hearing_officer")
    if scheduled == act.actor.name:
        return []
    who = scheduled or "尚未确定"
    return [Reason("not_hearing_officer", f"听证主持人为 {who}", "行政处罚法第六十四条")]


@guard("decider_separation")
def decider_separation(act: Act) -> list[Reason]:
    """The head who decides did not review the case (reviewer is never the decider)."""
    if act.actor.name in reviewers_of(act.case):
        return [
            Reason(
                "decider_separation",
                f"{act.actor.name} 审核过本案，不得作出决定",
                "国办发〔2018〕118号（十二）",
            )
        ]
    return []


RECUSAL_SOURCE = "行政处罚法第四十三条；审计法第十五条"


def on_case(case: Case) -> set[str]:
    """Everyone who holds or held a part in this case (回避 may be asked of any of them)."""
    return {n for people in case.assignments.values() for n in people} | reviewers_of(case)


def _open_request(case: Case, name: str) -> dict[str, object] | None:
    return next((r for r in reversed(case.recusals)
                 if r["person"] == name and "result" not in r), None)  # fmt: skip


@guard("recusal_request_valid", needs_data=True)
def recusal_request_valid(act: Act) -> list[Reason]:
    """The party asks, or the officer declares, that a person on the case step aside."""
    name = str(act.input.get("person") or "")
    if name not in on_case(act.case):
        return [Reason("not_on_case", f"{name or '（未指定）'} 不是本案办案、审核或听证人员", RECUSAL_SOURCE)]
    if name in act.case.recused:
        return [Reason("already_recused", f"{name} 已决定回避", RECUSAL_SOURCE)]
    if _open_request(act.case, name):
        return [Reason("request_open", f"对 {name} 的回避申请尚待负责人决定", RECUSAL_SOURCE)]
    return []


@guard("recusal_decision_valid", needs_data=True)
def recusal_decision_valid(act: Act) -> list[Reason]:
    """行政处罚法 Art. 43 ¶3: the head decides the request in writing; a replacement holds the
    recused person's role and no conflicting one (Arts. 58, 64)."""
    name = str(act.input.get("person") or "")
    if _open_request(act.case, name) is None:
        return [Reason("no_request", f"没有对 {name or '（未指定）'} 的待决回避申请", RECUSAL_SOURCE)]
    if act.actor.name == name:
        return [Reason("self_decision", "被申请回避的人员不得决定自己的回避", RECUSAL_SOURCE)]
    replacement = str(act.input.get("replacement") or "").strip()
    if act.input.get("result") != "granted" or not replacement:
        return []
    roles = [r for r, people in act.case.assignments.items() if name in people]
    role = roles[0] if roles else "officer"
    person, reasons = _person(act, replacement, role, "replacement")
    if person is None:
        return reasons
    if replacement in act.case.recused:
        return [Reason("recused", f"{replacement} 已决定回避", RECUSAL_SOURCE)]
    return _assignment_conflicts(act.case, replacement, role)
