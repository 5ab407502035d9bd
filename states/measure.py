"""`measure` — 行政强制措施 taken during a case (its parent: a penalty or an audit case).

* 先行登记保存 (行政处罚法 Art. 56): evidence may be lost or hard to obtain later; the head
  approves; the items are dealt with within 7 days (Art. 85: working days).
* 封存 (审计法 Art. 38 ¶2; 审计法实施条例 Art. 32): the head's approval, a 封存通知书 he signs,
  at most 7 days, extendable once by at most 7 with his approval, released once the evidence
  is secured; the auditee may be named custodian.
* 暂停拨付 (审计法 Art. 38 ¶3): after a failed order to stop, the head's approval, the finance
  department notified.

On the spot (行政强制法 Arts. 18–28): two officers with certificates, the party notified and
present or a witness, reasons, basis and rights stated, the statement heard, a 现场笔录 and the
清单 signed. The parent case shows its measures and cannot close while one is in force.
"""

from __future__ import annotations

from states import fields as f
from states import stages as s
from states.definition import NEW, SAME, Action, Issue, Procedure, ProcedureRules, State

STATES = (
    State(id="requested", label="报请批准", en="requested"),
    State(id="approved", label="已批准", en="approved"),
    State(id="in_force", label="实施中", en="in force"),
    State(id="released", label="已解除", en="released"),
    State(id="archive", label="归档", en="archive", final=True),
)

MEASURE = Procedure(
    id="measure",
    prefix="Q",
    label="行政强制措施",
    initial="requested",
    states=STATES,
    rules=ProcedureRules(
        outcomes=(),
        notice_action="",
        filing_finding="依法需要采取行政强制措施",
        public_kind="行政强制措施",
        published=False,
        parents=("penalty", "audit"),
    ),
    deadlines=("registration_decision", "seal_term", "archive_limit"),
    actions=(
        Action(
            id="open", label="报请采取措施", en="request a measure", sources=(NEW,),
            target="requested", roles=s.OFFICER,
            guards=("officer_certified", "measure_parent_valid", "partner_certified"),
            fields=(*f.OPEN_MEASURE, f.text("partner", "同行执法人员", required=True)),
        ),
        s.record_av(STATES),
        Action(
            id="approve_measure", label="负责人批准", en="approve", sources=("requested",),
            target="approved", roles=s.HEAD, guards=("text_recorded",),
            fields=f.APPROVE_MEASURE,
        ),
        Action(
            id="execute_measure", label="实施措施", en="carry out", sources=("approved",),
            target="in_force", roles=s.OFFICER,
            guards=(*s.FACING_PARTY, "measure_on_site_lawful"),
            notices=(Issue(kind="registration_notice", when="measure_is_registration"),
                     Issue(kind="seal_notice", when="measure_is_seal"),
                     Issue(kind="suspension_notice", when="measure_is_suspension")),
            fields=f.EXECUTE_MEASURE, on_site=True,
        ),
        Action(
            id="extend_measure", label="延长封存期限", en="extend the seal", sources=("in_force",),
            target=SAME, roles=s.HEAD, guards=("seal_extendable",),
            notices=(Issue(kind="seal_extension_notice"),), fields=f.EXTEND_MEASURE,
        ),
        Action(
            id="release_measure", label="解除或处理", en="release or decide",
            sources=("in_force",), target="released", roles=s.HEAD,
            guards=("disposal_fits",),
            notices=(Issue(kind="seal_release_notice", when="measure_is_seal"),
                     Issue(kind="measure_decision", when="measure_is_not_seal")),
            fields=f.RELEASE_MEASURE,
        ),
        Action(
            id="withdraw", label="撤回", en="withdraw", sources=("requested", "approved"),
            target="released", roles=s.HEAD, guards=("reason_given",), fields=f.WITHDRAW,
        ),
        Action(
            id="archive", label="归档", en="archive", sources=("released",), target="archive",
            roles=s.OFFICER, guards=("assigned_officer", "case_file_complete"),
            notices=(Issue(kind="file_index"),),
        ),
    ),  # fmt: skip
)
