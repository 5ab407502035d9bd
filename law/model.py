"""A statute as structured data: law → articles (条) → paragraphs (款) → items (项).

An article's first paragraph is the text after its number; each later line is the next
paragraph; item lines （一）（二）… belong to the paragraph above them. The texts here are
exactly the lines of the official text, so rendering a law gives its file back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from law.numerals import MAX, to_chinese


def _numeral(number: int) -> str:
    """The Chinese numeral, or the digits for a number no statute has (0, 10000 …)."""
    return to_chinese(number) if 1 <= number <= MAX else str(number)


def article_label(number: int) -> str:
    return f"第{_numeral(number)}条"


def paragraph_label(number: int) -> str:
    return f"第{_numeral(number)}款"


def item_label(number: int) -> str:
    return f"第（{_numeral(number)}）项"


@dataclass(frozen=True)
class Item:
    """项: one numbered entry （一）… of a paragraph; `text` is the line as written."""

    number: int
    text: str

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "label": item_label(self.number), "text": self.text}


@dataclass(frozen=True)
class Paragraph:
    """款: its own line of text, with the items listed under it."""

    number: int
    text: str
    items: tuple[Item, ...] = ()

    def item(self, number: int) -> Item | None:
        return self.items[number - 1] if 1 <= number <= len(self.items) else None

    @property
    def full_text(self) -> str:
        return "\n".join([self.text, *(i.text for i in self.items)])

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "label": paragraph_label(self.number),
            "text": self.text,
            "items": [i.as_dict() for i in self.items],
        }


@dataclass(frozen=True)
class Article:
    """条: its number, the headings it stands under (编, 章, 节) and its paragraphs."""

    number: int
    paragraphs: tuple[Paragraph, ...]
    headings: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return article_label(self.number)

    def paragraph(self, number: int) -> Paragraph | None:
        return self.paragraphs[number - 1] if 1 <= number <= len(self.paragraphs) else None

    @property
    def text(self) -> str:
        """The article as the statute prints it: 第X条 and every line under it."""
        return f"{self.label} " + "\n".join(p.full_text for p in self.paragraphs)

    @property
    def plain(self) -> str:
        """The article's words without its number, one line per paragraph or item (search)."""
        return "\n".join(p.full_text for p in self.paragraphs)

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "label": self.label,
            "headings": list(self.headings),
            "paragraphs": [p.as_dict() for p in self.paragraphs],
            "text": self.text,
        }


@dataclass(frozen=True)
class Law:
    """One statute of the library, with its version as the index gives it."""

    id: str
    title: str
    short_name: str
    aliases: tuple[str, ...]
    version: str
    revised: date
    effective: date
    effective_basis: str
    file: str
    source: str
    history: tuple[str, ...]
    articles: tuple[Article, ...]
    excerpt: bool = False

    @property
    def first(self) -> int:
        return self.articles[0].number

    @property
    def last(self) -> int:
        return self.articles[-1].number

    def article(self, number: int) -> Article | None:
        index = number - self.first
        return self.articles[index] if 0 <= index < len(self.articles) else None

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a citation may use for this law, longest first."""
        bare = self.title.removeprefix("中华人民共和国")
        names = {self.title, bare, self.short_name, *self.aliases}
        return tuple(sorted(names, key=lambda n: (-len(n), n)))

    @property
    def span(self) -> str:
        """The articles held: 第一条至第八十六条."""
        return f"{article_label(self.first)}至{article_label(self.last)}"

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "short_name": self.short_name,
            "aliases": list(self.aliases),
            "version": self.version,
            "revised": self.revised.isoformat(),
            "effective": self.effective.isoformat(),
            "effective_basis": self.effective_basis,
            "articles": len(self.articles),
            "first_article": self.first,
            "last_article": self.last,
            "excerpt": self.excerpt,
            "source": self.source,
        }
