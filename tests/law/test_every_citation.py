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
    "rules", "states", "workflow", "documents", "terminal", "cli.py", "powers.yaml", "config.yaml",
)  # fmt: skip

#: (file, citation as zhifa writes it) → why it is wrong. Empty it as the code is fixed.
KNOWN_BAD: dict[tuple[str, str], str] = {
    ("rules/review.py", "行政处罚法第五十八条第一款第（三）项"): (
        "“经过听证程序” is item （二） (直接关系当事人或者第三人重大权益，经过听证程序的); "
        "item （三） is 案件情况疑难复杂、涉及多个法律关系的"
    ),
    ("documents/remedy.py", "审计法第五十三条第一款"): (
        "cited for 财政收支 → 本级人民政府裁决; 审计法 Art. 53 ¶1 is 财务收支 → 行政复议或者行政诉讼 "
        "(¶2 is 财政收支 → 裁决): the two paragraphs are swapped"
    ),
    ("documents/remedy.py", "审计法第五十三条第二款"): (
        "cited for 财务收支 → 复议/诉讼; that is ¶1 (¶2 is 财政收支 → 裁决): swapped"
    ),
    ("documents/remedy.py", "审计法第五十三条"): (
        "RULING_DAYS “审计法 Art. 53: 六十日”: Art. 53 gives no period; the 60 days are "
        "审计法实施条例第五十二条第一款 (自审计决定送达之日起60日内，提请…裁决)"
    ),
    ("powers.yaml", "审计法第五十二条"): (
        "审计法 (2021) Art. 52 is the auditee's rectification (整改) duty, not the power to "
        "process or punish: the measures are Art. 49 (财政收支) and Art. 50 (财务收支, 并可以依法给予处罚)"
    ),
    ("terminal/office.py", "审计法第五十二条"): (
        "the starter 权责清单 cites Art. 52 (整改) as the basis of 处理处罚; see Arts. 49, 50"
    ),
    ("documents/templates/audit_decision.md.j2", "审计法第五十二条"): (
        "“根据…第四十五条、第五十二条的规定…作出如下审计决定”: Art. 52 is 整改; the decision "
        "rests on Art. 45 and the measures of Arts. 49/50"
    ),
    ("workflow/scenarios.py", "审计法第五十二条"): (
        "the audit demo's fine on 财政收支 cites Art. 52 (整改); 审计法 gives fines only for 财务收支 "
        "(Art. 50) — Art. 49 (财政收支) lists processing measures, no fine"
    ),
}


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
