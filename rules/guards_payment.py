"""Guards after the decision: payment, 延期/分期, 复议/诉讼, 催告, court enforcement, closing.

Sources: 行政处罚法 Arts. 66, 67, 72, 73; 行政强制法 Arts. 35, 53–55, 69; 审计法 Arts. 49, 51,
52. The money figures come from rules/payment.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from documents.formatting import money as yuan
from rules.act import Act, guard
from rules.deadlines import due_of
from rules.drafts import kinds
from rules.guards_input import amount
from rules.model import Reason
from rules.payment import (
    account,
    decided_draft,
    due_date,
    enforcement_window_start,
    principal,
    remedy_pending,
    revoked,
)
from states.vocabulary import PENALTY_KINDS

#: Kinds carried out by the party's own act (a licence handed in, a business closed): a
#: record of the execution is needed before closing. 警告 and 通报批评 are done on service.
PERFORMED_KINDS = frozenset(PENALTY_KINDS) - {"warning", "criticism", "fine", "confiscation"}


def _owes_money(act: Act) -> list[Reason]:
    if principal(decided_draft(act.case)) > 0 and not revoked(act.case):
        return []
    return [Reason("nothing_owed", "本案决定没有罚没款需要缴纳", "行政处罚法第六十七条")]


@guard("payment_valid", needs_data=True)
def payment_valid(act: Act) -> list[Reason]:
    """A payment of money the decision orders, not more than is owed (Art. 67, 72)."""
    reasons = _owes_money(act)
    if reasons:
        return reasons
    paid = amount(act, "amount")
    if paid is None or paid <= 0:
        return [Reason("amount", "缴纳金额须为正数（amount）")]
    outstanding = account(act.case, act.policy, act.on).outstanding
    if paid > outstanding:
        return [Reason("overpaid", f"缴纳金额 {yuan(paid)} 超过尚欠金额 {yuan(outstanding)}（含加处罚款）",
                       "行政处罚法第六十七条、第七十二条")]  # fmt: skip
    if act.input.get("channel") == "on_the_spot":
        return [Reason("on_the_spot", "当场收缴仅限简易程序（行政处罚法第六十八条、第六十九条）；一般程序罚款到指定银行或电子支付系统缴纳",
                       "行政处罚法第六十七条")]  # fmt: skip
    return []


def _schedule(raw: Any) -> tuple[list[tuple[date, Decimal]], list[str]]:
    items: list[tuple[date, Decimal]] = []
    problems: list[str] = []
    if not isinstance(raw, list) or not raw:
        return [], ["缴纳计划须为至少一期的列表：[{\"due\": \"YYYY-MM-DD\", \"amount\": \"…\"}]"]
    for number, item in enumerate(raw, 1):
        try:
            items.append((date.fromisoformat(str(item["due"])), Decimal(str(item["amount"]))))
        except (KeyError, TypeError, ValueError, InvalidOperation):
            problems.append(f"第{number}期须写明 due（日期）和 amount（金额）")
    return items, problems


@guard("deferral_valid", needs_data=True)
def deferral_valid(act: Act) -> list[Reason]:
    """延期/分期 (Art. 66 ¶2): the party's written application for economic hardship, the
    head's approval, a schedule of later dates that adds up to what is owed."""
    src = "行政处罚法第六十六条第二款"
    reasons = _owes_money(act)
    if act.case.deferral:
        reasons.append(Reason("already_deferred", "已批准延期（分期）缴纳，不再重复批准", src))
    if "fine" not in kinds(decided_draft(act.case)):
        reasons.append(Reason("not_a_fine", "延期、分期缴纳适用于罚款", src))
    items, problems = _schedule(act.input.get("schedule"))
    reasons += [Reason("schedule", p, src) for p in problems]
    if reasons or not items:
        return reasons
    outstanding = account(act.case, act.policy, act.on).outstanding
    if sum(a for _d, a in items) != outstanding:
        reasons.append(Reason("schedule_total", f"缴纳计划合计 {yuan(sum(a for _d, a in items))}，应等于尚欠的 {yuan(outstanding)}", src))
    dates = [d for d, _a in items]
    if dates != sorted(dates) or dates[0] <= act.on or any(a <= 0 for _d, a in items):
        reasons.append(Reason("schedule_dates", "各期缴纳日期须晚于批准日期并依次排列，金额为正数", src))
    return reasons


@guard("remedy_valid", needs_data=True)
def remedy_valid(act: Act) -> list[Reason]:
    """复议/诉讼 filed, then concluded with its result (行政处罚法 Art. 73 ¶3; 审计法 Art. 53)."""
    kind, stage = act.input.get("kind"), act.input.get("stage")
    filed = [r for r in act.case.remedies if r["kind"] == kind]
    open_ = bool(filed) and filed[-1]["stage"] == "filed"
    subject = decided_draft(act.case).get("audit_subject")
    if subject == "fiscal" and kind != "ruling":
        return [Reason("remedy_route", "财政收支审计决定的救济途径为提请本级人民政府裁决，裁决为最终决定",
                       "审计法第五十三条第二款")]  # fmt: skip
    if subject != "fiscal" and kind == "ruling":
        return [Reason("remedy_route", "裁决仅适用于财政收支审计决定", "审计法第五十三条第二款")]
    if stage == "filed" and open_:
        return [Reason("remedy_open", "该救济程序已在进行中", "行政处罚法第七十三条")]
    if stage == "concluded" and not open_:
        return [Reason("remedy_not_filed", "尚未记录申请或起诉，不能记录其结果")]
    if stage == "concluded" and not act.input.get("result"):
        return [Reason("missing_result", "须写明结果（result）")]
    return []


@guard("payment_overdue")
def payment_overdue(act: Act) -> list[Reason]:
    """催告 before applying to the court: only when the party has not paid by the due date."""
    reasons = _owes_money(act)
    if reasons:
        return reasons
    due = due_date(act.case, act.policy)
    if due is None:
        return [Reason("not_served", "决定书尚未送达", "行政处罚法第六十七条")]
    if act.on <= due:
        return [Reason("not_overdue", f"缴纳期限至 {due.isoformat()} 尚未届满", "行政处罚法第六十七条、第七十二条")]
    if account(act.case, act.policy, act.on).outstanding == 0:
        return [Reason("paid", "当事人已缴清", "行政处罚法第六十六条")]
    return []


@guard("enforcement_allowed")
def enforcement_allowed(act: Act) -> list[Reason]:
    """行政强制法 Arts. 53, 54: 催告书 served 10 working days before and the party still has
    not paid; the periods for 复议 and 诉讼 ran out (no remedy pending) and 3 months have not."""
    reasons = payment_overdue(act)
    if reasons:
        return reasons
    urge = due_of("urge_period", act.case, act.policy)
    if urge is None:
        reasons.append(Reason("not_urged", "申请人民法院强制执行前，应当书面催告当事人履行义务（urge）",
                              "行政强制法第五十四条"))  # fmt: skip
    elif act.on <= urge.due:
        reasons.append(Reason("urge_running", f"催告书送达十日（工作日）后当事人仍未履行方可申请（{urge.due.isoformat()} 以后）",
                              urge.source))  # fmt: skip
    if remedy_pending(act.case):
        reasons.append(Reason("remedy_pending", "当事人已申请行政复议或者提起行政诉讼，尚未审结", "行政强制法第五十三条"))
        return reasons
    start = enforcement_window_start(act.case, act.policy)
    window = due_of("enforcement_window", act.case, act.policy)
    if start is None or window is None:
        reasons.append(Reason("decision_not_standing", "决定已被撤销、变更或确认违法、无效，不能申请强制执行",
                              "行政强制法第五十三条"))  # fmt: skip
    elif act.on <= start:
        reasons.append(Reason("remedy_period_running",
                              f"申请复议、提起诉讼的法定期限尚未届满（{start.isoformat()} 届满），不能申请强制执行",
                              "行政强制法第五十三条；行政复议法第二十条；行政诉讼法第四十六条"))  # fmt: skip
    elif act.on > window.due:
        reasons.append(Reason("enforcement_late", f"申请强制执行的期限已于 {window.due.isoformat()} 届满（期限届满之日起三个月内）",
                              window.source))  # fmt: skip
    return reasons


@guard("compliance_valid", needs_data=True)
def compliance_valid(act: Act) -> list[Reason]:
    """审计法 Art. 49: the measure exists; Art. 51 ¶2: a refusal is reported to the authority."""
    measures = decided_draft(act.case).get("measures") or []
    number = act.input.get("item")
    if not isinstance(number, int) or not 1 <= number <= len(measures):
        return [Reason("measure_item", f"处理措施序号须为 1–{len(measures)}" if measures else "审计决定没有处理措施",
                       "审计法第四十九条")]  # fmt: skip
    if any(c.get("item") == number for c in act.case.compliance):
        return [Reason("measure_done", f"第{number}项处理措施的执行情况已记录")]
    return []


def _unfinished(act: Act) -> list[Reason]:
    case, draft = act.case, decided_draft(act.case)
    reasons = []
    enforced = bool(case.enforcement)
    outstanding = account(case, act.policy, act.on).outstanding
    if outstanding > 0 and not enforced:
        reasons.append(Reason("money_owed", f"尚欠 {yuan(outstanding)}（含加处罚款）未缴清，且未申请人民法院强制执行",
                              "行政处罚法第六十六条、第七十二条；行政强制法第五十三条"))  # fmt: skip
    performed = set(kinds(draft)) & PERFORMED_KINDS
    if performed and not case.executions and not enforced and not revoked(case):
        names = "、".join(PENALTY_KINDS[k] for k in sorted(performed))
        reasons.append(Reason("not_executed", f"{names}的执行情况尚未记录（record_execution）", "行政处罚法第六十六条"))
    done = {c.get("item") for c in case.compliance}
    for number, _m in enumerate(draft.get("measures") or [], 1):
        if number not in done and not revoked(case):
            reasons.append(Reason("measure_open", f"第{number}项处理措施的执行情况尚未记录（record_compliance）",
                                  "审计法第四十九条、第五十二条"))  # fmt: skip
    return reasons


@guard("execution_done")
def execution_done(act: Act) -> list[Reason]:
    """结案: paid in full, carried out, or handed to the court (domain.md §3.4)."""
    return _unfinished(act)


@guard("rectification_reported")
def rectification_reported(act: Act) -> list[Reason]:
    """审计法 Art. 52: the auditee reports its 整改 before the audit case is closed."""
    if act.case.executions or revoked(act.case):
        return []
    return [Reason("no_rectification", "被审计单位整改情况尚未报告（record_execution）", "审计法第五十二条")]


@guard("enforcement_applied")
def enforcement_applied(act: Act) -> list[Reason]:
    if (act.case.enforcement or {}).get("applied"):
        return []
    return [Reason("not_applied", "尚未申请人民法院强制执行", "行政强制法第五十三条")]
