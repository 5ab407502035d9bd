"""The agency's legal settings as the rules see them: thresholds, periods, the review catalog.

Built once from config.yaml by `workflow.config`; rules never read files themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from rules.calendar import WorkingCalendar

if TYPE_CHECKING:
    from rules.discretion import Benchmark


@dataclass(frozen=True)
class HearingThresholds:
    """行政处罚法 Art. 63; 审计机关审计听证规定 Art. 3 (defaults; the province may set others)."""

    unit_fine: Decimal = Decimal("100000")
    individual_fine: Decimal = Decimal("10000")
    confiscation: Decimal = Decimal("100000")


@dataclass(frozen=True)
class CatalogEntry:
    """One line of the review catalog (法制审核目录清单): every given criterion must match."""

    name: str
    procedures: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    penalty_kinds: tuple[str, ...] = ()
    party_types: tuple[str, ...] = ()
    min_amount: Decimal | None = None


@dataclass(frozen=True)
class Periods:
    statement_window_days: int = 3
    review_limit_days: int = 5
    review_extension_days: int = 5
    archive_limit_days: int = 30
    #: 审计决定 to be carried out and reported within this many days (set in the decision)
    audit_comply_days: int = 90
    #: 简易程序: an on-the-spot decision filed with the bureau within this many working days
    summary_filing_days: int = 5
    #: an act dated more working days before today than this needs a head's approval (本局规定)
    backdate_working_days: int = 5
    #: `verify` warns when the office's latest checkpoint is older than this (calendar days)
    checkpoint_days: int = 30


@dataclass(frozen=True)
class Masking:
    """How an individual party appears in published text (config `publicity.masking`)."""

    name: str = "surname"  # surname: 张某某 · initial: 张* · hide: 某某
    id_number: str = "hide"
    phone: str = "hide"
    address: str = "hide"


@dataclass(frozen=True)
class Power:
    """One item of the 权责清单 (powers.yaml): what it empowers and what a draft under it may do."""

    id: str
    name: str
    kind: str = ""
    basis: str = ""
    #: the penalty kinds (行政处罚法 Art. 9) the law behind this power allows; empty: none
    penalty_kinds: tuple[str, ...] = ()
    #: 时效 (行政处罚法 Art. 36): 2 years, or 5 where the law says so
    limitation_years: int = 2


@dataclass(frozen=True)
class Policy:
    """Also the office facts the rules name: the agency (in published records) and masking."""

    hearing: HearingThresholds = field(default_factory=HearingThresholds)
    periods: Periods = field(default_factory=Periods)
    catalog: tuple[CatalogEntry, ...] = ()
    #: 执法领域 the office works in (config `enforcement_fields`): a case's `field` and the
    #: catalog's `fields` name one of them, so a typo cannot skip a 法制审核 the catalog asks for
    fields: tuple[str, ...] = ()
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    agency: str = "铁锋区审计局"
    masking: Masking = field(default_factory=Masking)
    #: the 权责清单 by id (powers.yaml)
    powers: Mapping[str, Power] = field(default_factory=dict)
    #: the 裁量基准 (discretion.yaml), every version of every benchmark
    benchmarks: tuple[Benchmark, ...] = ()
