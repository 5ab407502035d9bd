"""Find every statute citation in source files and check that it resolves.

Used by tests/law/test_every_citation.py over the code, the templates, powers.yaml and
config.yaml: a citation that names a law outside the library (and outside law/sources.py), an
article beyond the law's count, or a paragraph or item the article lacks is a finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from law.citations import Citation, find_citations
from law.resolve import UnresolvedCitation, resolve

#: The files scanned: code, templates, data.
SUFFIXES = frozenset({".py", ".j2", ".yaml", ".yml", ".md", ".html", ".js", ".txt"})


@dataclass(frozen=True)
class Finding:
    """One citation in a file; `problem` is empty when it resolves or is an accepted source."""

    path: str
    line: int
    written: str
    citation: Citation
    problem: str = ""
    message: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}: {self.written}"
        return f"{where} → {self.citation}: {self.message}" if self.problem else where


def scan_text(text: str, path: str = "<text>") -> Iterator[Finding]:
    """Every citation in `text`, each checked against the library."""
    for found in find_citations(text):
        line = text.count("\n", 0, found.start) + 1
        written = " ".join(found.written.split())
        for citation in found.citations:
            try:
                resolve(citation)
            except UnresolvedCitation as exc:
                problem = "" if exc.accepted else exc.problem
                yield Finding(path, line, written, citation, problem, exc.message)
            else:
                yield Finding(path, line, written, citation)


def source_files(root: Path, names: Iterable[str]) -> Iterator[Path]:
    """The files under `root` named (a file, or a folder walked for SUFFIXES), sorted."""
    for name in names:
        target = root / name
        if target.is_file():
            yield target
        elif target.is_dir():
            for path in sorted(target.rglob("*")):
                if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                    yield path


def scan_files(root: Path, names: Iterable[str]) -> list[Finding]:
    """Every citation in the files named under `root`, paths relative to it."""
    findings: list[Finding] = []
    for path in source_files(root, names):
        text = path.read_text(encoding="utf-8")
        findings += scan_text(text, path.relative_to(root).as_posix())
    return findings
