"""Read a law file of the library (format: law/texts/README.md) into articles.

`# title`, then the adoption and revision lines, then `##`…`####` headings (编, 章, 节) and
articles: `第X条 ` starts one, each later line is a paragraph (款), and a line that starts with
（一） or (一) is an item (项) of the paragraph above it. Anything else — a gap in the
numbering, an item outside an article — is an error naming the line, so a bad copy is caught
when the library loads rather than cited wrongly later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from law.model import Article, Item, Paragraph
from law.numerals import NUMERAL_CHARS, from_chinese
from workflow.errors import WorkflowError

ARTICLE_LINE = re.compile(rf"^第([{NUMERAL_CHARS}]+)条[ \u3000](.+)$")
ITEM_LINE = re.compile(rf"^[（(]([{NUMERAL_CHARS}]+)[）)]")
HEADING_LINE = re.compile(r"^(#{2,4}) (.+)$")


class LawTextError(WorkflowError):
    """A law file of the library is not in the expected format (the line is named)."""

    code = "law_text"

    def __init__(self, file: str, line: int, message: str) -> None:
        super().__init__(f"法律文本格式错误 bad law text: {file}:{line}: {message}")
        self.file = file
        self.line = line


@dataclass
class ParsedText:
    """What a law file holds: its title, its history lines and its articles."""

    title: str
    history: list[str] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)


@dataclass
class _Open:
    """The article being read: its number, headings and paragraphs so far."""

    number: int
    headings: tuple[str, ...]
    paragraphs: list[Paragraph]

    def add_paragraph(self, text: str) -> None:
        self.paragraphs.append(Paragraph(len(self.paragraphs) + 1, text))

    def add_item(self, number: int, text: str) -> str | None:
        last = self.paragraphs[-1]
        if number != len(last.items) + 1:
            return f"item （{number}） follows item （{len(last.items)}）"
        self.paragraphs[-1] = Paragraph(last.number, last.text, (*last.items, Item(number, text)))
        return None

    def close(self) -> Article:
        return Article(self.number, tuple(self.paragraphs), self.headings)


class _Reader:
    """Reads one file line by line, keeping the heading path and the article being read."""

    def __init__(self, file: str, title: str) -> None:
        self.file = file
        self.parsed = ParsedText(title)
        self.headings: list[tuple[int, str]] = []
        self.current: _Open | None = None

    def fail(self, line: int, message: str) -> LawTextError:
        return LawTextError(self.file, line, message)

    def read(self, no: int, line: str) -> None:
        if not line or (line.startswith("<!--") and line.endswith("-->")):
            return
        heading = HEADING_LINE.match(line)
        if heading:
            self._close()
            level = len(heading.group(1))
            self.headings = [h for h in self.headings if h[0] < level] + [(level, heading.group(2))]
            return
        article = ARTICLE_LINE.match(line)
        if article:
            self._start(no, article.group(1), article.group(2))
            return
        if self.current is None:
            if self.headings or self.parsed.articles:
                raise self.fail(no, f"text outside any article: {line[:20]}…")
            self.parsed.history.append(line)
            return
        item = ITEM_LINE.match(line)
        if item:
            problem = self.current.add_item(self._number(no, item.group(1)), line)
            if problem:
                raise self.fail(no, problem)
            return
        self.current.add_paragraph(line)

    def _start(self, no: int, numeral: str, text: str) -> None:
        number = self._number(no, numeral)
        self._close()
        articles = self.parsed.articles
        if articles and number != articles[-1].number + 1:
            raise self.fail(no, f"第{numeral}条 follows article {articles[-1].number}")
        path = tuple(text for _, text in self.headings)
        self.current = _Open(number, path, [])
        self.current.add_paragraph(text)

    def _number(self, no: int, numeral: str) -> int:
        try:
            return from_chinese(numeral)
        except ValueError:
            raise self.fail(no, f"bad numeral {numeral!r}") from None

    def _close(self) -> None:
        if self.current is not None:
            self.parsed.articles.append(self.current.close())
            self.current = None

    def finish(self) -> ParsedText:
        self._close()
        if not self.parsed.articles:
            raise self.fail(1, "no articles")
        return self.parsed


def parse_law_text(text: str, file: str = "<text>") -> ParsedText:
    """The title, history lines and articles of one law file."""
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise LawTextError(file, 1, "the first line must be '# title'")
    reader = _Reader(file, lines[0][2:].strip())
    for no, line in enumerate(lines[1:], start=2):
        reader.read(no, line.strip())
    return reader.finish()
