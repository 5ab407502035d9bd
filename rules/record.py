"""Whole-process record (全过程记录): which acts call for an audio-visual record (音像记录),
and the guards on attaching one and on writing to an archived case.

国办发〔2018〕118号（八）: on-site enforcement, evidence gathering, hearings, and service by
leaving a document or by public notice are recorded on audio or video (domain.md §8).
"""

from __future__ import annotations

from typing import Any

from rules.act import Act, guard
from rules.model import Case, Reason
from states.definition import Procedure

AV_SOURCE = "国办发〔2018〕118号（八）"
AV_SERVICE_METHODS = {"left_at_address": "留置送达", "public_notice": "公告送达"}


def av_expected(case: Case, proc: Procedure | None = None) -> list[dict[str, Any]]:
    """The recorded acts of this case that call for an audio-visual record, in order: on-site
    evidence, the hearing, service by leaving or public notice, and every act its procedure
    declares done on the spot (当场处罚, 当场收缴, 实施强制措施)."""
    wanted = [
        {"seq": e["seq"], "action": "add_evidence", "label": f"现场调查取证：{e.get('title', '')}"}
        for e in case.evidence
        if e.get("type") == "inspection_record" or e.get("place")
    ]
    if case.hearing and case.hearing.get("concluded_seq"):
        wanted.append({"seq": case.hearing["concluded_seq"], "action": "conclude_hearing",
                       "label": "听证"})  # fmt: skip
    if case.service and case.service.get("method") in AV_SERVICE_METHODS:
        method = AV_SERVICE_METHODS[case.service["method"]]
        wanted.append({"seq": case.service["seq"], "action": "serve", "label": method})
    for seq, action_id in enumerate(case.acts, 1):
        action = proc.action(action_id) if proc is not None else None
        if action is not None and action.on_site:
            wanted.append({"seq": seq, "action": action_id, "label": action.label})
    return sorted(wanted, key=lambda w: w["seq"])


def av_missing(case: Case, proc: Procedure | None = None) -> list[dict[str, Any]]:
    """Acts that call for an audio-visual record and have none attached yet."""
    covered = {r["for_seq"] for r in case.av_records}
    return [{**w, "source": AV_SOURCE} for w in av_expected(case, proc) if w["seq"] not in covered]


@guard("av_for_an_act", needs_data=True)
def av_for_an_act(act: Act) -> list[Reason]:
    """An audio-visual record attaches to a recorded act that calls for one."""
    seq = act.input.get("for_seq")
    wanted = {w["seq"]: w["label"] for w in av_expected(act.case, act.proc)}
    if seq in wanted:
        return []
    listed = "、".join(f"#{s} {label}" for s, label in wanted.items()) or "（本案暂无）"
    return [Reason("av_target", f"第{seq}号记录不是需要音像记录的执法行为；需要的有：{listed}",
                   AV_SOURCE)]  # fmt: skip


@guard("case_not_archived")
def case_not_archived(act: Act) -> list[Reason]:
    """After 归档 the case file is closed: every write is refused (domain.md §8)."""
    if act.case.archived:
        return [Reason("archived", f"案件已于{act.case.archived['on']}归档，卷宗只读，不能再办理任何事项",
                       "执法全过程记录：归档后卷宗只读")]  # fmt: skip
    return []


@guard("on_the_case")
def on_the_case(act: Act) -> list[Reason]:
    """The case's officers, or its hearing officer, attach what they recorded."""
    people = set(act.case.assigned("officer")) | set(act.case.assigned("hearing_officer"))
    if act.actor.name in people:
        return []
    return [
        Reason("not_on_case", f"{act.actor.name} 不是本案承办人员或听证主持人", "本局案件承办制度")
    ]
