"""Publicity (公示) and supervision (执法监督): the masked public record of a decision, the annual
statistics and their publication, the public website (workflow/site.py builds it from what
may be published), and the alerts of every open obligation (提前预警)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rules.model import Case, Reason
from workflow.errors import RefusedError
from workflow.events import Event
from workflow.office import OfficeCore

if TYPE_CHECKING:
    from workflow.site_files import SiteBuild


class PublicityDesk(OfficeCore):
    """事后公示, 执法统计年报 and the website."""

    def publish(
        self,
        case_id: str,
        actor_name: str | None,
        on: date | None = None,
        redactions: list[dict[str, str]] | None = None,
    ) -> tuple[Event, Case]:
        """公示: record the masked public record of the case's decision (rules/publicity.py),
        with the spans the publisher redacts and why (recorded in the event)."""
        from rules.publicity import public_record

        case = self.case(case_id)
        proc = self.engine.procedure(case.procedure)
        policy = self.policy
        content = (
            public_record(case, policy.masking, policy.agency, proc, redactions)
            if case.decision
            else {}
        )
        data: dict[str, Any] = {"content": content}
        if redactions:
            data["redactions"] = redactions
        return self.do(case_id, "publish", actor_name, data, on, case.version)

    def reports(self) -> dict[int, dict[str, Any]]:
        """执法统计年报 as published, by year."""
        return self.store.published_reports()

    def annual_report(self, year: int) -> dict[str, Any]:
        """The year's figures, by SQL aggregation over the case rows."""
        figures = self.store.annual_figures(year, self.clock())
        figures["procedure_labels"] = {  # sorted: a published report comes back key-sorted
            pid: m.procedure.public()["kind"] for pid, m in sorted(self.engine.machines.items())
        }
        latest = self.store.latest_checkpoint()
        if latest is not None:  # the root of the office's latest checkpoint, printed with it
            st = latest["statement"]
            figures["checkpoint"] = {k: st[k] for k in ("root", "size", "taken_on", "taken_by")}
        return figures

    def publish_report(
        self,
        year: int,
        actor_name: str | None,
        before_record: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        """Record the year's report as published by a publisher (公示员). `before_record`
        (e.g. writing the HTML page) runs on the figures first; if it fails, nothing is
        recorded."""
        actor = self.actor(actor_name)
        if "publisher" not in actor.roles or not actor.active:
            raise RefusedError(None, "publish_report", "-", [
                Reason("not_publisher", f"{actor.name} 不是公示员，不能公开年报", "国办发〔2018〕118号（六）")
            ])  # fmt: skip
        figures = self.annual_report(year)
        if before_record is not None:
            before_record(figures)
        self.store.record_report(year, figures, actor.name)
        return figures

    def office_alerts(
        self, today: date, within: int, first_year: int | None = None
    ) -> list[dict[str, Any]]:
        """Obligations of the office itself: the annual report by 31 January — for a year in
        which the office worked (its first case was opened in or before it)."""
        from workflow.report import report_due

        return report_due(today, set(self.reports()), self.policy.calendar, within, first_year)

    def alerts(self, within: int, limit: int | None = None) -> list[dict[str, Any]]:
        """执法监督, 提前预警: every open obligation of the cases (as each procedure declares
        its deadlines) and of the office, overdue or due within `within` working days — one
        indexed query on the stored open obligations (workflow/deadline_rows.py)."""
        from rules.deadlines import PERIODS, Deadline, alert_horizon, alerted, basis, days_left

        today, policy = self.clock(), self.policy
        if self.store.deadline_basis() != basis(policy):  # config.yaml changed since: recompute
            self.store.rebuild_deadlines(basis(policy))
        items, lefts = [], {}  # working days left, once per due date (rows come by due date)
        for r in self.store.open_deadlines_due_by(alert_horizon(policy, today, within), limit):
            period = PERIODS.get(r.deadline)
            if period is None:
                continue
            d = alerted(Deadline(r.deadline, r.label, _day(r.due), "open", bool(r.provisional),
                                 period.source, period.kind, _day(r.starts_on), None, r.warning),
                        today)  # fmt: skip
            if d.due not in lefts:
                lefts[d.due] = days_left(policy, today, d.due)
            items.append({"case": r.case_id, "title": r.title, **d.as_dict(),
                          "days_left": lefts[d.due]})  # fmt: skip
        office = [{"case": "—", "title": "", "provisional": False, **a}
                  for a in self.office_alerts(today, within, self.store.first_opened_year())]  # fmt: skip
        return sorted(office + items, key=lambda a: a["days_left"])

    def alerts_count(self, within: int) -> int:
        """How many case obligations `alerts` would list without a limit (one indexed count)."""
        from rules.deadlines import alert_horizon

        return self.store.count_open_deadlines_due_by(alert_horizon(self.policy, self.clock(), within))

    def publish_site(self, out: Path, full: bool = False) -> SiteBuild:
        """Write the public website (事前 and 事后公示) to `out`, rendering only the pages whose
        inputs changed since the site there was built (`full`: every page)."""
        from workflow.errors import ConfigError
        from workflow.site import load_powers, publish_site

        if self.settings is None:
            raise ConfigError("网站须由办公室的 config.yaml 生成 the website is built from an office's config.yaml")
        publicity = self.settings.publicity
        return publish_site(self, publicity.duties, load_powers(self.settings.powers_file()),
                            self.clock(), out, site=publicity.site.model_dump(), full=full)  # fmt: skip

    def report(self, year: int, html: Path | None, publish: bool, actor: str | None,
               replace: bool = False) -> dict[str, Any]:  # fmt: skip
        """The year's 年报, written as an HTML page if asked (an existing file only replaced
        when `replace`), recorded as published if asked — the page safely in place before the
        publication is recorded, never the other way."""
        from documents.site import report_page
        from workflow.files import write_file_atomic

        def write_html(figures: dict[str, Any]) -> None:
            if html is not None:
                write_file_atomic(html, report_page(figures, self.desk.agency).encode(), replace)

        if publish:
            return self.publish_report(year, actor, before_record=write_html)
        figures = self.annual_report(year)
        write_html(figures)
        return figures


def _day(value: Any) -> date:
    """A date column as the driver gives it (SQLite: ISO text through a plain query)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
