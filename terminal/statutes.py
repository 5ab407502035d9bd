"""What `zhifa law …` shows: articles, the list of laws, search hits, explained sources.

Statute text goes through rich `Text` objects, never markup, so a bracket in a law prints
as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from law.explain import SourcePart
from law.model import Law
from law.resolve import Provision
from law.search import Hit
from terminal.output import out


def _body(provision: Provision) -> Text:
    """The provision's lines: an article's paragraphs with their items indented."""
    if provision.item is not None or provision.paragraph is not None:
        return Text(provision.text)
    body = Text()
    for n, paragraph in enumerate(provision.article.paragraphs):
        body.append(("\n" if n else "") + paragraph.text)
        for item in paragraph.items:
            body.append("\n  " + item.text)
    return body


def show_provision(provision: Provision) -> None:
    """The text in a panel titled with the citation; headings and version below it."""
    law = provision.law
    out.print(Panel(_body(provision), title=str(provision.citation), expand=False))
    if provision.article.headings:
        out.print(Text(" · ".join(provision.article.headings), style="dim"))
    out.print(Text(f"{law.title}（{law.version}）", style="dim"))


def show_laws(laws: Sequence[Law]) -> None:
    """One row per law; ids and sources are in --json."""
    table = Table(title="法律库 the law at hand")
    table.add_column("法律 law", overflow="fold")
    for col in ("条文 arts", "修订 revised", "施行 effective"):
        table.add_column(col, no_wrap=True)
    for law in laws:
        name = Text(law.short_name, style="bold")
        if law.title != law.short_name:
            name.append(f"\n{law.title}", style="dim")
        held = f"{law.first}–{law.last} 节选" if law.excerpt else str(len(law.articles))
        effective = Text(law.effective.isoformat())
        effective.append(f"\n{law.effective_basis}", style="dim")
        table.add_row(name, held, law.revised.isoformat(), effective)
    out.print(table)


def show_hits(query: str, hits: Sequence[Hit]) -> None:
    if not hits:
        out.print(Text(f"没有找到“{query}” no article matches"))
        return
    table = Table(title=f"“{query}” — {len(hits)} 条 articles")
    for col in ("条文 article", "摘要 text", ""):
        table.add_column(col, overflow="fold")
    for hit in hits:
        snippet = Text(hit.snippet)
        snippet.highlight_words(query.split(), style="bold yellow")
        table.add_row(str(hit.citation), snippet, "" if hit.exact else "≈")
    out.print(table)


def show_parts(parts: Sequence[SourcePart]) -> None:
    """A source, part by part: the article text, an outside source, or what went wrong."""
    for part in parts:
        if part.provision is not None:
            show_provision(part.provision)
            continue
        mark, style = ("◇", "cyan") if part.other is not None else ("✗", "red")
        line = Text(f"{mark} ", style=style)
        line.append(part.written, style="bold")
        out.print(line)
        out.print(Text(f"  {part.message}", style="dim" if part.other else ""))



def cited(verdicts: Iterable[dict[str, Any]]) -> dict[str, list[SourcePart]]:
    """Each source the verdicts' reasons cite (once), with every part of it explained."""
    from law.explain import explain_source

    sources = dict.fromkeys(r["source"] for v in verdicts for r in v["reasons"] if r["source"])
    return {src: explain_source(src) for src in sources}


def show_cited(law: dict[str, list[SourcePart]]) -> None:
    """`case actions --explain`: under the table, what each cited source says."""
    for source, parts in law.items():
        out.print(Rule(f"依据 {source}", align="left", style="dim"))
        show_parts(parts)
