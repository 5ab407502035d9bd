"""The words behind a `Reason.source`: for `case actions --explain` and `zhifa law cite`.

A source is one or more parts joined by ；(`行政处罚法第五十八条；国办发〔2018〕118号（十二）`).
Each statute citation in a part gives the text it names; an accepted outside source
(law/sources.py) is named with why its text is not shipped; anything else is marked
unrecognised, so nothing a clerk is shown is silently dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from law.citations import Citation, find_citations
from law.resolve import Provision, UnresolvedCitation, resolve
from law.sources import OtherSource, find_other

_PARTS = re.compile(r"\s*[；;]\s*")


@dataclass(frozen=True)
class SourcePart:
    """One thing a source cites, with its text when the library holds it."""

    written: str
    citation: Citation | None = None
    provision: Provision | None = None
    other: OtherSource | None = None
    problem: str = ""
    message: str = ""

    @property
    def text(self) -> str:
        return self.provision.text if self.provision else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "written": self.written,
            "citation": self.citation.as_dict() if self.citation else None,
            "provision": self.provision.as_dict() if self.provision else None,
            "outside_source": self.other.as_dict() if self.other else None,
            "problem": self.problem or None,
            "message": self.message,
            "text": self.text,
        }


def _cited(written: str, citation: Citation) -> SourcePart:
    try:
        return SourcePart(written, citation, provision=resolve(citation))
    except UnresolvedCitation as exc:
        problem = "" if exc.accepted else exc.problem
        return SourcePart(written, citation, other=exc.other, problem=problem, message=exc.message)


def _part(segment: str) -> list[SourcePart]:
    found = list(find_citations(segment))
    if found:
        return [_cited(f.written, c) for f in found for c in f.citations]
    other = find_other(segment)
    if other is not None:
        source, _ = other
        return [SourcePart(segment, other=source, message=f"{source.title}（{source.kind}）")]
    return [
        SourcePart(
            segment,
            problem="unrecognised",
            message=f"未能识别的依据 unrecognised source: {segment}",
        )
    ]


def explain_source(source: str) -> list[SourcePart]:
    """Every part of `source`, each with the article text it cites or why there is none."""
    return [part for seg in _PARTS.split(source.strip()) if seg for part in _part(seg)]
