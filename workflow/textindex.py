"""Chinese-aware terms for the case search index: what a text is indexed under, what a query asks.

Three kinds of term, all plain strings (NFKC, lower case):
- character bigrams of every run of Chinese characters (a run of one character: the character),
  so any query of two or more characters is found exactly (监察, 虚报冒领 → 虚报 报冒 冒领);
- words of three or more Chinese characters from rjieba (jieba-rs) segmentation, which rank a
  whole-word hit above scattered bigrams (财政资金, 有限公司);
- ASCII letter/digit runs (150000, 2026) and whole identifiers: case ids (p-2026-0001) and
  document numbers however bracketed (铁审罚〔2026〕3号, 铁审罚(2026)3号, 铁审罚2026 3号 → one term).

A query's bigrams, runs and identifiers are required (every one must be in a hit); its words only
weigh in the ranking (a document may segment differently).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ALNUM = re.compile(r"[0-9a-z]+")
#: 铁审罚〔2026〕3号 and its spellings: agency code, year, serial.
_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12})\s*[〔\[(（【]?\s*((?:19|20)\d\d)\s*[〕\])）】]?\s*(\d{1,6})\s*号"
)
_CASE_ID = re.compile(r"\b([a-z]{1,3})-((?:19|20)\d\d)-(\d{1,6})\b")
#: Terms are stored in a column of this width.
MAX_TERM = 64


def normal(text: str) -> str:
    """NFKC, lower case: full-width and half-width alike."""
    return unicodedata.normalize("NFKC", text).lower()


@cache
def _jieba() -> Any:
    import rjieba

    return rjieba


def words(text: str) -> list[str]:
    """Chinese words of three or more characters (rjieba segmentation)."""
    found = []
    for run in _CJK.findall(text):
        if len(run) >= 3:
            found += [w for w in _jieba().cut(run) if len(w) >= 3 and _CJK.fullmatch(w)]
    return found


def identifiers(text: str) -> list[str]:
    """Document numbers and case ids as single terms. A number's code is taken with each of
    its last one to six characters (the text before it may run on: 决定书铁审罚〔2026〕3号)."""
    found = [f"{code[-size:]}{year}#{int(serial)}" for code, year, serial in _NUMBER.findall(text)
             for size in range(1, min(len(code), 6) + 1)]  # fmt: skip
    found += [f"{p}-{y}-{int(n):04d}" for p, y, n in _CASE_ID.findall(text)]
    return [t[:MAX_TERM] for t in found]


def grams(text: str) -> list[str]:
    """Character bigrams of Chinese runs (a lone character stands for itself), and ASCII runs."""
    found: list[str] = []
    for run in _CJK.findall(text):
        found += [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
    found += [t[:MAX_TERM] for t in _ALNUM.findall(text)]
    return found


#: lines up to this long have their terms kept for when they are met again (evidence titles
#: and notice numbers recur); a file's text is not kept
SHORT_LINE = 200


def line_terms(line: str) -> Counter[str]:
    """The terms of one line of a document, with their frequencies (read it, never change it)."""
    return _short_line_terms(line) if len(line) <= SHORT_LINE else _line_terms(line)


@lru_cache(maxsize=4096)
def _short_line_terms(line: str) -> Counter[str]:
    return _line_terms(line)


def _line_terms(line: str) -> Counter[str]:
    plain = normal(line)
    return Counter(grams(plain) + words(plain) + identifiers(plain))


def document_terms(text: str) -> Counter[str]:
    """A document's terms with their frequencies: the sum of its lines' (no term spans a line),
    so a changed document's postings follow from its changed lines alone."""
    found: Counter[str] = Counter()
    for line, times in Counter(text.split("\n")).items():
        for term, n in line_terms(line).items():
            found[term] += n * times
    return found


@dataclass(frozen=True)
class Query:
    """What a query asks: terms every hit must hold, and terms that only rank."""

    text: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        return self.required + tuple(t for t in self.optional if t not in self.required)


def query_terms(text: str) -> Query:
    """A query as terms: an identifier alone when the query is one, else its grams."""
    plain = normal(text).strip()
    ids = identifiers(plain)
    rest = _NUMBER.sub(" ", _CASE_ID.sub(" ", plain)) if ids else plain
    required = list(dict.fromkeys(ids + grams(rest)))
    optional = [w for w in dict.fromkeys(words(rest)) if w not in required]
    return Query(plain, tuple(required), tuple(optional))
