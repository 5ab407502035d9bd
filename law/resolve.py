"""Resolve a citation to the words of the law, or say exactly what does not resolve.

Problems, each with its code: `no_such_law` (neither in the library nor an accepted outside
source), `outside_library` (an accepted outside source: cited on purpose, no text shipped),
`no_such_article` (beyond the law's count), `not_in_excerpt` (the library holds only part of
that law), `no_such_paragraph`, `no_such_item`, `ambiguous_item` (items in more than one
paragraph and the citation names none).

An item cited without its paragraph (第六十四条第（一）项) is the item of the one paragraph
that lists items, as statutes cite them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from law.citations import Citation, parse_article_ref
from law.library import library
from law.model import Article, Item, Law, Paragraph, article_label, item_label, paragraph_label
from law.numerals import to_chinese
from law.sources import OtherSource, other_named
from workflow.errors import BadInputError, NotFoundError


class UnresolvedCitation(NotFoundError):
    """A citation that names no text of the library; `problem` says why, `other` is set for
    an accepted outside source."""

    def __init__(
        self, citation: Citation, problem: str, message: str, other: OtherSource | None = None
    ) -> None:
        super().__init__(message)
        self.citation = citation
        self.problem = problem
        self.other = other

    @property
    def accepted(self) -> bool:
        """Cited on purpose although not in the library (law/sources.py)."""
        return self.other is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "citation": self.citation.as_dict(),
            "problem": self.problem,
            "message": self.message,
            "outside_source": self.other.as_dict() if self.other else None,
        }


@dataclass(frozen=True)
class Provision:
    """The text a citation names: an article, one of its paragraphs, or one item."""

    citation: Citation
    law: Law
    article: Article
    paragraph: Paragraph | None = None
    item: Item | None = None

    @property
    def text(self) -> str:
        if self.item is not None:
            return self.item.text
        if self.paragraph is not None:
            return self.paragraph.full_text
        return self.article.text

    def as_dict(self) -> dict[str, Any]:
        return {
            "citation": str(self.citation),
            "law": self.law.id,
            "title": self.law.title,
            "version": self.law.version,
            "article": self.article.number,
            "paragraph": self.paragraph.number if self.paragraph else None,
            "item": self.item.number if self.item else None,
            "headings": list(self.article.headings),
            "text": self.text,
        }


def _count(n: int) -> str:
    return "两" if n == 2 else to_chinese(n)


def _law(citation: Citation) -> Law:
    law = library().find(citation.law)
    if law is not None:
        return law
    other = other_named(citation.law)
    if other is not None:
        raise UnresolvedCitation(
            citation, "outside_library",
            f"{other.key}不在法律库中（认可的库外来源 accepted outside source: {other.why}）",
            other,
        )  # fmt: skip
    hint = "、".join(library().suggest(citation.law))
    raise UnresolvedCitation(
        citation, "no_such_law",
        f"法律库中没有“{citation.law}”，也不是认可的库外来源 no such law in the library or the "
        f"accepted outside sources (law/sources.py)" + (f"; 您是否要找 did you mean: {hint}" if hint else ""),
    )  # fmt: skip


def _article(citation: Citation, law: Law) -> Article:
    article = law.article(citation.article)
    if article is not None:
        return article
    label = article_label(citation.article) if citation.article >= 1 else f"第{citation.article}条"
    if law.excerpt:
        raise UnresolvedCitation(
            citation, "not_in_excerpt",
            f"{law.short_name}在法律库中只收录{law.span}（节选），没有{label} the library holds "
            f"only articles {law.first}–{law.last} of this law",
        )  # fmt: skip
    raise UnresolvedCitation(
        citation, "no_such_article",
        f"{law.short_name}共{to_chinese(law.last)}条，没有{label} has {law.last} articles, "
        f"no article {citation.article}",
    )  # fmt: skip


def _listing(citation: Citation, article: Article, where: str) -> Paragraph:
    """The paragraph an item cited without one belongs to: the one paragraph listing items."""
    listing = [p for p in article.paragraphs if p.items]
    if len(listing) == 1:
        return listing[0]
    if not listing:
        raise UnresolvedCitation(citation, "no_such_item", f"{where}没有列项 has no items")
    raise UnresolvedCitation(
        citation, "ambiguous_item",
        f"{where}有{_count(len(listing))}款列有项，须写明第几款 items in "
        f"{len(listing)} paragraphs: name the paragraph",
    )  # fmt: skip


def _paragraph(citation: Citation, article: Article, paragraph: int, where: str) -> Paragraph:
    found = article.paragraph(paragraph)
    if found is None:
        n = len(article.paragraphs)
        label = paragraph_label(paragraph) if paragraph >= 1 else "该款"
        raise UnresolvedCitation(
            citation, "no_such_paragraph",
            f"{where}只有{_count(n)}款，没有{label} has {n} paragraph{'s' * (n > 1)}, "
            f"no paragraph {paragraph}",
        )  # fmt: skip
    return found


def _item(citation: Citation, paragraph: Paragraph, number: int, where: str) -> Item:
    item = paragraph.item(number)
    if item is not None:
        return item
    n = len(paragraph.items)
    label = item_label(number) if number >= 1 else "该项"
    held = f"只有{_count(n)}项" if n else "没有列项"
    raise UnresolvedCitation(
        citation, "no_such_item",
        f"{where}{paragraph_label(paragraph.number)}{held}，没有{label} has {n} items, "
        f"no item {number}",
    )  # fmt: skip


def resolve(citation: Citation) -> Provision:
    """The provision `citation` names; UnresolvedCitation says what does not resolve."""
    law = _law(citation)
    article = _article(citation, law)
    where = law.short_name + article.label
    paragraph = None
    if citation.paragraph is not None:
        paragraph = _paragraph(citation, article, citation.paragraph, where)
    if citation.item is None:
        return Provision(citation, law, article, paragraph)
    paragraph = paragraph or _listing(citation, article, where)
    return Provision(
        citation, law, article, paragraph, _item(citation, paragraph, citation.item, where)
    )


def _pick(name: str, typed: int | None, option: int | None) -> int | None:
    if typed is not None and option is not None and typed != option:
        label = {"paragraph": "款", "item": "项"}[name]
        raise BadInputError(f"{label}号给了两次 {name} given twice: {typed} and {option}")
    return typed if typed is not None else option


def lookup(
    law: str, article: str, paragraph: int | None = None, item: int | None = None
) -> Provision:
    """What `zhifa law show` prints: a law by any of its names, the article as typed (63,
    第六十三条, 63.2, 第五十八条第一款第（三）项), and optionally a paragraph and an item."""
    statute = library().get(law)
    number, typed_paragraph, typed_item = parse_article_ref(article)
    citation = Citation(
        statute.id,
        number,
        _pick("paragraph", typed_paragraph, paragraph),
        _pick("item", typed_item, item),
    )
    return resolve(citation)
