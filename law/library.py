"""The statutes zhifa ships (law/texts/): loaded once, looked up by id, title or short name.

`index.json` gives each law's file, version and effective date; each file is parsed and
checked against it (article count, the excerpt's range) when the library loads.
"""

from __future__ import annotations

import difflib
import functools
import json
from datetime import date
from importlib import resources
from typing import Any

from law.model import Law
from law.parse import LawTextError, parse_law_text
from workflow.errors import NotFoundError

#: Marks around a law's name that are not part of it: 《》, the 〈〉 of a nested title, <>.
NAME_MARKS = str.maketrans("", "", "《》〈〉<> \u3000")


def normalize_name(name: str) -> str:
    """《中华人民共和国行政处罚法》 → 中华人民共和国行政处罚法 (marks and spaces dropped)."""
    return name.translate(NAME_MARKS)


class Library:
    """The laws in the order of the index, with every name a citation may use."""

    def __init__(self, laws: list[Law]) -> None:
        self.laws = tuple(laws)
        self._by_name: dict[str, Law] = {}
        for law in laws:
            for name in (law.id, *law.names):
                if self._by_name.setdefault(name, law) is not law:
                    raise ValueError(f"{name!r} names two laws")

    def find(self, name: str) -> Law | None:
        """The law an id, a title, a short name or an alias names (marks ignored), or None."""
        key = normalize_name(name)
        return self._by_name.get(key) or self._by_name.get(key.removeprefix("中华人民共和国"))

    def get(self, name: str) -> Law:
        """Like `find`, but an unknown name is an error listing the closest names."""
        law = self.find(name)
        if law is None:
            hint = "、".join(self.suggest(name)) or "、".join(x.short_name for x in self.laws)
            raise NotFoundError(
                f"法律库中没有“{name}” no such law in the library; 您是否要找 did you mean: {hint}"
            )
        return law

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Short names of the laws closest to `name`: containment first, then similarity."""
        key = normalize_name(name).removeprefix("中华人民共和国")
        if not key:
            return []
        hits = [law.short_name for law in self.laws if key in law.title or law.short_name in key]
        names = {n: law for law in self.laws for n in law.names}
        for close in difflib.get_close_matches(key, list(names), n=limit * 2, cutoff=0.4):
            hits.append(names[close].short_name)
        return list(dict.fromkeys(hits))[:limit]

    def names(self) -> list[str]:
        """Every name of every law, longest first (for finding a law's name in text)."""
        return sorted({n for law in self.laws for n in law.names}, key=lambda n: (-len(n), n))


def _law(entry: dict[str, Any], text: str) -> Law:
    file = str(entry["file"])
    parsed = parse_law_text(text, file)
    if parsed.title != entry["title"]:
        raise LawTextError(file, 1, f"title {parsed.title!r} is not the index's {entry['title']!r}")
    law = Law(
        id=str(entry["id"]),
        title=parsed.title,
        short_name=str(entry["short_name"]),
        aliases=tuple(entry.get("aliases", ())),
        version=str(entry["version"]),
        revised=date.fromisoformat(entry["revised"]),
        effective=date.fromisoformat(entry["effective"]),
        effective_basis=str(entry["effective_basis"]),
        file=file,
        source=str(entry["source"]),
        history=tuple(parsed.history),
        articles=tuple(parsed.articles),
        excerpt=bool(entry.get("excerpt", False)),
    )
    _check_count(law, entry)
    return law


def _check_count(law: Law, entry: dict[str, Any]) -> None:
    """The file holds the articles the index says: 1…N, or the excerpt's range."""
    first, _, last = str(entry.get("article_range", f"1-{entry['articles']}")).partition("-")
    held = (law.first, law.last, len(law.articles))
    if held != (int(first), int(last), int(entry["articles"])):
        raise LawTextError(
            law.file, 1, f"holds articles {law.first}…{law.last} ({len(law.articles)}); "
            f"the index says {first}…{last} ({entry['articles']})",
        )  # fmt: skip


@functools.cache
def library() -> Library:
    """The shipped library, parsed once per process."""
    texts = resources.files("law") / "texts"
    index = json.loads((texts / "index.json").read_text(encoding="utf-8"))
    return Library([_law(e, (texts / e["file"]).read_text(encoding="utf-8")) for e in index])
