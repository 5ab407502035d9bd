"""The application service: one office, its concerns joined (style.md §3).

`Office` is what the terminal (and any other front end) calls. Each concern lives in its own
module: acting and reading (workflow/office.py), staff (office_staff.py), files, notices and
the archive (office_files.py), publicity and statistics (office_publicity.py), integrity
(office_integrity.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from workflow.keys import Signer
from workflow.office import REVIEW_ACTIONS, OfficeCore, shared_engine
from workflow.office_files import EXPORT_FORMATS
from workflow.office_integrity import CheckpointDesk
from workflow.office_publicity import PublicityDesk
from workflow.office_staff import StaffDesk

__all__ = ["EXPORT_FORMATS", "REVIEW_ACTIONS", "Office", "OfficeCore", "open_office",
           "shared_engine"]  # fmt: skip


class Office(StaffDesk, PublicityDesk, CheckpointDesk):
    """One office's cases over one store, with every concern of the office."""


def open_office(
    config: Path, clock: Callable[[], date] = date.today, signer: Signer | None = None
) -> Office:
    """The office a config.yaml describes: its database (schema checked), notices, file store
    and policy, and the settings its website and reports are built from."""
    from workflow.config import load_settings
    from workflow.files import FileStore
    from workflow.notices import NoticeDesk
    from workflow.store import Store

    settings = load_settings(config)
    desk = NoticeDesk.from_settings(settings)
    store = Store(settings.database_url())
    store.check_schema()
    office = Office(store, settings.policy(), clock=clock, desk=desk,
                    files=FileStore(settings.files_dir()), signer=signer)  # fmt: skip
    office.settings = settings
    return office
