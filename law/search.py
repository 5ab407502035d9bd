"""Find articles by Chinese text: exact phrase hits first, then articles sharing most bigrams.

The library is a few hundred articles, so a scan is instant and needs no index or segmenter.
Text and query are compared after NFKC (full-width and half-width punctuation and digits
alike) with spaces removed. Several words (听证 费用) must all appear for an exact hit. A
query of three or more characters that no article holds whole also finds the articles sharing
at least half of its character pairs (bigrams), ranked by that share; a two-character query is
its own only bigram, so it finds exact hits only.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from typing import Any

from law.citations import Citation
from law.library import library
from law.model import Article, Law

#: A partial hit shares at least this share of the query's bigrams.
MIN_SHARE = 0.5
SNIPPET = 36


def fold(text: str) -> str:
    """What matching compares: NFKC, lower case, no whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


@dataclass(frozen=True)
class Hit:
    """One article found: how well it matched, and the line to show."""

    law: Law
    article: Article
    exact: bool
    score: float
    snippet: str

    @property
    def citation(self) -> Citation:
        return Citation(self.law.id, self.article.number)

    def as_dict(self) -> dict[str, Any]:
        return {
            "law": self.law.id,
            "title": self.law.title,
            "short_name": self.law.short_name,
            "article": self.article.number,
            "label": self.article.label,
            "citation": str(self.citation),
            "exact": self.exact,
            "score": round(self.score, 3),
            "snippet": self.snippet,
            "text": self.article.text,
        }


def _snippet(article: Article, terms: list[str]) -> str:
    """The article's first line holding a term, cut around it (the first line if none does)."""
    lines = [p.text for p in article.paragraphs] + [
        i.text for p in article.paragraphs for i in p.items
    ]
    for line in lines:
        folded = fold(line)
        for term in terms:
            at = folded.find(term)
            if at >= 0 and len(folded) == len(line):
                start = max(0, at - SNIPPET // 3)
                cut = line[start : start + SNIPPET]
                return ("…" if start else "") + cut + ("…" if start + SNIPPET < len(line) else "")
    first = lines[0]
    return first[:SNIPPET] + ("…" if len(first) > SNIPPET else "")


def _score(text: str, terms: list[str], grams: set[str]) -> tuple[bool, float]:
    counts = [text.count(t) for t in terms]
    if all(counts):
        return True, float(sum(counts))
    if not grams:
        return False, 0.0
    text_grams = bigrams(text)
    return False, len(grams & text_grams) / len(grams)


@functools.cache
def _folded() -> dict[tuple[str, int], str]:
    """Every article's folded text, computed once."""
    return {(law.id, a.number): fold(a.plain) for law in library().laws for a in law.articles}


def search(query: str, law: str | None = None, limit: int = 20) -> list[Hit]:
    """Articles matching `query`, best first; `law` restricts to one law (any of its names)."""
    terms = [fold(t) for t in query.split() if fold(t)]
    if not terms:
        return []
    lib = library()
    laws = [lib.get(law)] if law else list(lib.laws)
    grams: set[str] = set()
    for term in terms:
        grams |= bigrams(term) if len(term) >= 3 else set()
    folded = _folded()
    hits: list[Hit] = []
    for statute in laws:
        for article in statute.articles:
            exact, score = _score(folded[statute.id, article.number], terms, grams)
            if exact or score >= MIN_SHARE:
                hits.append(Hit(statute, article, exact, score, _snippet(article, terms)))
    order = {statute.id: n for n, statute in enumerate(lib.laws)}
    hits.sort(key=lambda h: (not h.exact, -h.score, order[h.law.id], h.article.number))
    return hits[:limit]
