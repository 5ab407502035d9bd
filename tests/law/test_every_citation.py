"""Every citation resolves: the code, the templates, powers.yaml and config.yaml.

Each statute citation found (《…》第X条, 法名第X条 and 法名 Art. N forms; law/scan.py) must name
an article, paragraph and item that the library's text has, or a source law/sources.py
accepts. KNOWN_BAD lists the citations known to be wrong, each with the reason: those that do
not resolve, and those that resolve to a provision saying something other than what the code
relies on (found by reading each against the text). An entry that no longer matches anything
fails too — when a citation is fixed, delete its entry; the list should end empty.
"""

from __future__ import annotations

from pathlib import Path

from law.scan import Finding, scan_files, scan_text

ROOT = Path(__file__).resolve().parents[2]
SCANNED = (
    "rules", "states", "workflow", "documents", "terminal", "cli.py", "config.yaml",
)  # fmt: skip

#: (file, citation as zhifa writes it) → why it is wrong. Empty it as the code is fixed.
KNOWN_BAD: dict[tuple[str, str], str] = {}


def bad(findings: list[Finding]) -> dict[tuple[str, str], list[Finding]]:
    """Findings that do not resolve or are known wrong, by (file, citation)."""
    found: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        key = (f.path, str(f.citation))
        if f.problem or key in KNOWN_BAD:
            found.setdefault(key, []).append(f)
    return found


def test_every_citation_in_the_code_resolves() -> None:
    findings = scan_files(ROOT, SCANNED)
    assert len(findings) > 100  # the scan does see the code's citations
    offenders = bad(findings)
    unexpected = [str(f) for key, fs in offenders.items() if key not in KNOWN_BAD for f in fs]
    assert not unexpected, "citations that do not resolve:\n" + "\n".join(unexpected)
    stale = [f"{path}: {cited}" for path, cited in KNOWN_BAD if (path, cited) not in offenders]
    assert not stale, "fixed? remove from KNOWN_BAD:\n" + "\n".join(stale)


def test_the_scan_catches_each_kind_of_wrong_citation() -> None:
    text = (
        'SOURCE = "行政处罚法第九十条"\n'
        "# 民事诉讼法 Art. 120; 行政处罚法 Art. 58 ¶3\n"
        "依据《中华人民共和国刑法》第五条和行政处罚法第六十四条第（九）项\n"
        "行政处罚法第六十四条第（一）项；审计机关审计听证规定第五条；民法典 Arts. 201, 203\n"
    )
    problems = [(f.line, str(f.citation), f.problem) for f in scan_text(text) if f.problem]
    assert problems == [
        (1, "行政处罚法第九十条", "no_such_article"),
        (2, "民事诉讼法第一百二十条", "not_in_excerpt"),
        (2, "行政处罚法第五十八条第三款", "no_such_paragraph"),
        (3, "中华人民共和国刑法第五条", "no_such_law"),
        (3, "行政处罚法第六十四条第（九）项", "no_such_item"),
    ]
    assert len(list(scan_text(text))) == 9  # the good and the accepted are found too
