"""Structured citations (法律引用) and where to find them in text.

A `Citation` is a law, an article and optionally a paragraph (款) and an item (项). The forms
read, as the code, the notices and powers.yaml write them:

    行政处罚法第六十四条第（一）项            《中华人民共和国审计法》第四十五条、第四十九条
    行政处罚法第五十八条第二款                审计法第四十二条；审计法实施条例第五十六条
    《财政违法行为处罚处分条例》第十三条至第十六条      行政处罚法第五十八条第一款第（三）项
    行政处罚法 Art. 64(1)   行政处罚法 Art. 59(一)   行政处罚法 Art. 58 ¶1   民事诉讼法 Arts. 87–95

In the English forms `(n)` is the item (项) and `¶n` the paragraph (款), as zhifa's docstrings
use them. A law is named by its title, its short name or an alias (law/texts/index.json), with
or without 《》; a law outside the library keeps the name it was written with, and resolving it
says so (law/resolve.py). A bare 第X条 with no law before it is not a citation here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from law.library import library, normalize_name
from law.model import article_label, item_label, paragraph_label
from law.numerals import NUMERAL_CHARS, from_chinese
from law.sources import other_named
from workflow.errors import BadInputError

CJK = "\u4e00-\u9fff"
NUM = rf"(?:[{NUMERAL_CHARS}]+|[0-9]+)"
#: How the name of a law, regulation or rule ends (民法典, 审计法实施条例, 移送规定 …).
SUFFIX = "法典|法|条例|规定|办法|细则|规则|决定|意见|解释|通知|标准"
#: Words that may stand before a law's name in running text (依据审计法第…).
LEADING = re.compile("^(?:根据|依据|依照|按照|违反|适用|参照|对照|以及|或者|及|和|与|并|经|的)+")

_LEAD_CN = re.compile(
    rf"(?P<name>《[^《》\n]{{1,80}}》|[{CJK}]{{0,40}}?(?:{SUFFIX}))\s?(?=第{NUM}条)"
)
_LEAD_EN = re.compile(rf"(?P<name>[{CJK}]{{2,40}})\s*(?:(?:19|20)\d\d\s+)?(?=Arts?\.\s*\d)")

_ART = re.compile(rf"第({NUM})条")
_PARA = re.compile(rf"第({NUM})款")
_ITEM = re.compile(rf"第[（(]({NUM})[）)]项|第({NUM})项|[（(]([{NUMERAL_CHARS}]+)[）)]项?")
_SEP = re.compile(r"\s*(?:、|，|,|以及|及|和|或者|与)\s*(?=第)")
_RANGE = re.compile(r"\s*(?:至|到|–|—|~|～|-)\s*(?=第)")

#: The longest range expanded (第一条至第三百条 is read as its two ends).
MAX_RANGE = 50

_EN_ART = re.compile(r"Arts?\.\s*(\d+)")
_EN_NUM = re.compile(r"(\d+)")
_EN_ITEM = re.compile(rf"[（(](\d+|[{NUMERAL_CHARS}]+)[）)]")
_EN_PARA = re.compile(r"\s*(?:¶|para\.?)\s*(\d+)")
_EN_SEP = re.compile(r"\s*(?:,|/|、|and|&)\s*(?=\d)")
_EN_RANGE = re.compile(r"\s*(?:–|—|-|~|to)\s*(?=\d)")

#: What may stand between the citations of a text that is nothing else.
_JOINTS = re.compile(r"[\s；;、，,和及]*")
#: 63, 63.2, 63.2.1 as typed on the command line.
_DOTTED = re.compile(r"^(\d+)(?:\.(\d+))?(?:\.(\d+))?$")


@dataclass(frozen=True)
class Citation:
    """法律引用: a law (its library id, or the name written for a law outside the library),
    an article, and optionally a paragraph (款) and an item (项)."""

    law: str
    article: int
    paragraph: int | None = None
    item: int | None = None

    @property
    def law_name(self) -> str:
        found = library().find(self.law)
        return found.short_name if found else self.law

    def __str__(self) -> str:
        """行政处罚法第五十八条第一款第（三）项."""
        text = self.law_name + article_label(self.article)
        if self.paragraph is not None:
            text += paragraph_label(self.paragraph)
        if self.item is not None:
            text += item_label(self.item)
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "law": self.law,
            "article": self.article,
            "paragraph": self.paragraph,
            "item": self.item,
            "citation": str(self),
        }


@dataclass(frozen=True)
class Found:
    """A citation found in text: what was written, where, and the citations it makes."""

    written: str
    name: str
    start: int
    end: int
    citations: tuple[Citation, ...]


Ref = tuple[int, int | None, int | None]


def identify(name: str, trim: bool = True) -> tuple[str, str]:
    """(law key, the law's name as written) for a name found in text.

    The key is the library id, the key of an accepted outside source, or — for a law known to
    neither — the name itself. With `trim`, words before the name are dropped (依据审计法 →
    审计法), the longest known name ending the text winning.
    """
    text = normalize_name(name)
    lib = library()
    for start in range(len(text)) if trim else (0,):
        candidate = text[start:]
        law = lib.find(candidate)
        if law is not None:
            return law.id, candidate
        other = other_named(candidate)
        if other is not None:
            return other.key, candidate
    unknown = LEADING.sub("", text) if trim else text
    return unknown or text, unknown or text


def _number(text: str) -> int | None:
    """The value of a numeral as cited, or None for one no statute could mean (十十, 0)."""
    try:
        return from_chinese(text)
    except ValueError:
        return None


def _take(pattern: re.Pattern[str], text: str, pos: int) -> tuple[int | None, int]:
    """The number `pattern` reads at `pos` and the position after it, or (None, pos)."""
    match = pattern.match(text, pos)
    number = _number(next(g for g in match.groups() if g)) if match else None
    return (number, match.end()) if match and number else (None, pos)


def _cn_ref(text: str, pos: int, last: Ref | None) -> tuple[Ref | None, int]:
    """One reference at `pos`: 第X条[第Y款][第（Z）项], or — continuing `last` — 第Y款… or 第Z项."""
    article, after = _take(_ART, text, pos)
    if article is None:
        if last is None or _ART.match(text, pos):
            return None, pos
        paragraph, after = _take(_PARA, text, pos)
        item, after = _take(_ITEM, text, after)
        if paragraph is None and item is None:
            return None, pos
        return (last[0], paragraph if paragraph else last[1], item), after
    paragraph, after = _take(_PARA, text, after)
    item, after = _take(_ITEM, text, after)
    return (article, paragraph, item), after


def _cn_refs(text: str, pos: int) -> tuple[list[Ref], int]:
    """A list of references: 第X条、第Y条, 第X条至第Y条, 第X条第一款、第二款 …"""
    refs: list[Ref] = []
    ref, pos = _cn_ref(text, pos, None)
    while ref is not None:
        refs.append(ref)
        joint = _RANGE.match(text, pos)
        if joint and ref[1:] == (None, None):
            last, after = _take(_ART, text, joint.end())
            if last and ref[0] < last <= ref[0] + MAX_RANGE:
                refs += [(n, None, None) for n in range(ref[0] + 1, last + 1)]
                pos, joint = after, None
        if joint is None:
            joint = _SEP.match(text, pos)
        if joint is None:
            break
        ref, after = _cn_ref(text, joint.end(), refs[-1])
        pos = after if ref is not None else pos
    return refs, pos


def _en_ref(text: str, pos: int, pattern: re.Pattern[str]) -> tuple[Ref | None, int]:
    """Art. 64, Art. 64(1), Art. 59(一), Art. 58 ¶1 — or, in a list, the number alone."""
    article, pos = _take(pattern, text, pos)
    if article is None:
        return None, pos
    item, pos = _take(_EN_ITEM, text, pos)
    paragraph, pos = _take(_EN_PARA, text, pos)
    return (article, paragraph, item), pos


def _en_refs(text: str, pos: int) -> tuple[list[Ref], int]:
    refs: list[Ref] = []
    ref, pos = _en_ref(text, pos, _EN_ART)
    while ref is not None:
        refs.append(ref)
        joint = _EN_RANGE.match(text, pos)
        if joint and ref[1:] == (None, None):
            last, after = _take(_EN_NUM, text, joint.end())
            if last and ref[0] < last <= ref[0] + MAX_RANGE:
                refs += [(n, None, None) for n in range(ref[0] + 1, last + 1)]
                pos = after
        joint = _EN_SEP.match(text, pos)
        if joint is None:
            break
        ref, after = _en_ref(text, joint.end(), _EN_NUM)
        pos = after if ref is not None else pos
    return refs, pos


_LEADS = ((_LEAD_CN, _cn_refs), (_LEAD_EN, _en_refs))


def find_citations(text: str) -> Iterator[Found]:
    """Every citation of a named law in `text`, in order (Chinese and English forms)."""
    pos = 0
    while True:
        leads = [(m, refs_at) for pattern, refs_at in _LEADS if (m := pattern.search(text, pos))]
        if not leads:
            return
        match, refs_at = min(leads, key=lambda lead: lead[0].start())
        refs, end = refs_at(text, match.end())
        pos = max(end, match.end())
        if not refs:
            continue
        raw = match.group("name")
        titled = raw.startswith("《")
        key, name = identify(raw, trim=not titled)
        start = match.start() + (0 if titled else len(raw) - len(name))
        cited = tuple(Citation(key, a, p, i) for a, p, i in refs)
        yield Found(text[start:end], name, start, end, cited)


def parse_citation(text: str, law: str | None = None) -> tuple[Citation, ...]:
    """The citations of a text that is nothing but citations (one law or several, ；-joined).

    With `law`, a text that starts with 第 cites that law (第三十条至第三十一条). BadInputError
    if any part is not a citation of a named law.
    """
    source = f"{law}{text.lstrip()}" if law and text.lstrip().startswith("第") else text
    found = list(find_citations(source))
    rest = source
    for f in reversed(found):
        rest = rest[: f.start] + rest[f.end :]
    if not found or not _JOINTS.fullmatch(rest):
        raise BadInputError(
            f"不是法律引用 not a citation: {text!r} (e.g. 行政处罚法第六十四条第（一）项)"
        )
    return tuple(c for f in found for c in f.citations)



def parse_article_ref(text: str) -> Ref:
    """63, 第六十三条, 六十三, 63.2 (paragraph), 63.2.1 (item), 第五十八条第一款第（三）项."""
    raw = text.strip()
    dotted = _DOTTED.match(raw)
    if dotted:
        given = [g for g in dotted.groups() if g]
        numbers = [n for n in map(_number, given) if n]
        if len(numbers) == len(given):
            paragraph, item = (numbers[1:] + [None, None])[:2]
            return numbers[0], paragraph, item
    if raw.startswith("第"):
        ref, end = _cn_ref(raw, 0, None)
        if ref is not None and end == len(raw):
            return ref
    else:
        try:
            return from_chinese(raw), None, None
        except ValueError:
            pass
    raise BadInputError(
        f"看不懂条文编号 cannot read the article {text!r}: "
        "give 63, 第六十三条, 63.2 (第二款) or 63.2.1 (第一项)"
    )
