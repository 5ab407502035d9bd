"""A page of cases (`case list`): how many there are, which page this is, what comes next.

The store filters, orders and cuts in SQL (workflow/store.py `page_cases`); a page streams
its cases, so `--json` never holds more than one case's view at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rules.model import Case
from workflow.errors import BadInputError

#: the orders a clerk may ask for, by id or label (the store reads each from an index)
SORTS = {"opened": "立案日期", "id": "案号", "state": "状态", "updated": "最近办理"}


def sort_id(text: str) -> str:
    """An order's id from its id or label (案号 → id), or bad input listing the choices."""
    from workflow.names import listing, vocabulary_id

    found = vocabulary_id(SORTS, text)
    if found is None:
        raise BadInputError(
            f"没有此排序 unknown sort {text[:40]!r}（可选 known: {listing(SORTS.items())}）"
        )
    return found


@dataclass(frozen=True)
class CasePage:
    total: int
    page: int
    limit: int
    sort: str
    cases: Iterator[Case]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None

    def facts(self) -> dict[str, Any]:
        """What a program reads before the cases (stable English keys)."""
        return {"total": self.total, "page": self.page, "pages": self.pages, "limit": self.limit,
                "sort": self.sort, "next_page": self.next_page}  # fmt: skip

    def summary(self) -> str:
        """The page in the office's words, Chinese first."""
        text = (f"共 {self.total} 件，第 {self.page}/{self.pages} 页（每页 {self.limit} 件）"
                f" {self.total} cases, page {self.page} of {self.pages}")  # fmt: skip
        if self.next_page is not None:
            text += f"；下一页 next: --page {self.next_page}"
        return text
