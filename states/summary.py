"""`summary` — 简易程序: a penalty decided on the spot (行政处罚法 Arts. 51–53, 68–71).

Facts certain and a legal basis: a fine of up to ¥200 on a person or ¥3,000 on a unit, or a
警告 (Art. 51). Two officers show their certificates, tell the party the facts, reasons, basis
and rights, hear the statement, and hand over a numbered pre-printed 当场行政处罚决定书 (Art. 52),
a refusal to sign noted on it; the decision is filed with the bureau (Art. 52 ¶3). A fine is
paid at the bank within 15 days (Arts. 53, 67) or, where Arts. 68–69 allow, taken on the spot
against the official receipt (Art. 70), handed to the bureau within 2 days and to the bank
within 2 more (Art. 71). Unpaid, it goes the way of any penalty decision: 催告 and the court
(行政强制法 Arts. 53–54), with 复议/诉讼 recorded as they come — the shared payment stage,
its sources renamed to this procedure's `decision` state.
A case beyond Art. 51 (a larger fine, another kind) is converted:
this record ends (转为一般程序) and the case is opened in the general procedure.
"""

from __future__ import annotations

from dataclasses import replace

from states import fields as f
from states import stages as s
from states.definition import NEW, SAME, Action, Issue, Procedure, ProcedureRules, State
from states.vocabulary import Outcome

#: the shared stage after the decision (stages.PAYMENT), from this procedure's states: the
#: decision handed over on the spot is its service (Art. 52); 延期/分期 (Art. 66 ¶2) too
AFTER_DECISION = tuple(
    replace(a, sources=tuple({"service": "decision"}.get(src, src) for src in a.sources))
    for a in s.PAYMENT
    if a.id != "record_execution"  # a fine is paid or enforced; nothing else to carry out
)

STATES = (
    State(id="spot", label="现场处理", en="on the spot"),
    State(id="decision", label="当场决定", en="decided on the spot"),
    State(id="enforcement", label="申请强制执行", en="court enforcement"),
    State(id="closed", label="结案", en="closed"),
    State(id="withdrawn", label="转为一般程序", en="converted to the general procedure"),
    State(id="archive", label="归档", en="archive", final=True),
)

SUMMARY = Procedure(
    id="summary",
    prefix="J",
    label="行政处罚（简易程序）",
    initial="spot",
    states=STATES,
    rules=ProcedureRules(
        outcomes=(Outcome.PENALTY,),
        notice_action="",
        filing_finding="违法事实确凿并有法定依据，当场作出行政处罚决定",
        public_kind="行政处罚（简易程序）",
        published=False,  # 行政处罚法 Art. 48: only decisions of some social effect are published
    ),
    deadlines=("payment_due", "summary_filing", "spot_cash_to_agency", "spot_cash_to_bank",
               "urge_period", "enforcement_window", "archive_limit"),  # fmt: skip
    actions=(
        Action(
            id="open", label="现场处理", en="open on the spot", sources=(NEW,), target="spot",
            roles=s.OFFICER, guards=("officer_certified", "party_recorded", "partner_certified"),
            fields=f.OPEN_SUMMARY,
        ),
        s.record_av(STATES),
        Action(
            id="decide_on_spot", label="当场作出处罚决定", en="decide on the spot",
            sources=("spot",), target="decision", roles=s.OFFICER,
            guards=(*s.FACING_PARTY, "summary_limits", "rights_stated", "kind_within_power",
                    "not_time_barred", "party_may_be_fined", "one_fine_per_violation"),
            notices=(Issue(kind="summary_decision"),), fields=f.DECIDE_ON_SPOT, on_site=True,
        ),
        Action(
            # Art. 51: beyond a 警告 or its fines the case is not for the spot; the officer ends
            # this record and opens the case in the general procedure (Arts. 54–57)
            id="withdraw", label="转为一般程序", en="convert to the general procedure",
            sources=("spot",), target="withdrawn", roles=s.OFFICER,
            guards=("assigned_officer", "reason_given"), fields=f.CONVERT_SUMMARY,
        ),
        Action(
            id="collect_on_spot", label="当场收缴罚款", en="collect on the spot",
            sources=("decision",), target=SAME, roles=s.OFFICER,
            guards=("assigned_officer", "spot_collection_allowed"), fields=f.COLLECT_ON_SPOT,
            on_site=True,
        ),
        Action(
            id="hand_to_agency", label="罚款交至机关", en="hand the cash to the bureau",
            sources=("decision", "closed"), target=SAME, roles=s.OFFICER,
            guards=("assigned_officer", "cash_to_hand"), fields=f.CASH,
        ),
        Action(
            id="deposit_to_bank", label="罚款缴付银行", en="deposit the cash at the bank",
            sources=("decision", "closed"), target=SAME, roles=s.HEAD,
            guards=("cash_to_deposit",), fields=f.CASH,
        ),
        *AFTER_DECISION,
        Action(
            id="file_with_agency", label="报机关备案", en="file with the bureau",
            sources=("decision", "enforcement"), target=SAME, roles=s.OFFICER,
            guards=("assigned_officer", "not_yet_filed"), fields=f.FILE_SUMMARY,
        ),
        Action(
            id="close", label="结案", en="close", sources=("decision", "enforcement"),
            target="closed",
            roles=s.HEAD, guards=("execution_done", "summary_filed", "cash_deposited"),
            notices=(Issue(kind="closing_report"),), fields=f.CLOSE,
        ),
        Action(
            id="archive", label="归档", en="archive", sources=("closed", "withdrawn"),
            target="archive",
            roles=s.OFFICER, guards=("assigned_officer", "case_file_complete"),
            notices=(Issue(kind="file_index"),),
        ),
    ),  # fmt: skip
)
