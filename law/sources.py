"""Sources zhifa cites that are not statutes of its library, accepted on purpose.

A citation of a law that is neither in the library nor here is an error (tests/law/
test_every_citation.py). Each entry says what the source is and why its text is not shipped;
what it cites (an article, a section （十二）, a config key) cannot be checked against a text.
To cite a new outside source, add it here with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OtherSource:
    """A source cited by name whose text zhifa does not ship."""

    key: str
    names: tuple[str, ...]
    title: str
    kind: str
    why: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "title": self.title, "kind": self.kind, "why": self.why}


NOT_SHIPPED = "not in LawRefBook/Laws; no faithful official full text found (law/texts/README.md)"

ACCEPTED: tuple[OtherSource, ...] = (
    OtherSource(
        key="国办发〔2018〕118号",
        names=("国办发〔2018〕118号", "国办发[2018]118号", "118号"),
        title="国务院办公厅关于全面推行行政执法公示制度执法全过程记录制度重大执法决定法制审核制度的指导意见",
        kind="规范性文件 State Council office guideline",
        why=NOT_SHIPPED + "; its sections （一）…（十三） are cited, not articles",
    ),
    OtherSource(
        key="国办发〔2022〕27号",
        names=("国办发〔2022〕27号", "国办发[2022]27号"),
        title="国务院办公厅关于进一步规范行政裁量权基准制定和管理工作的意见",
        kind="规范性文件 State Council office guideline",
        why=NOT_SHIPPED,
    ),
    OtherSource(
        key="审计机关审计听证的规定",
        names=("审计机关审计听证的规定", "审计机关审计听证规定", "审计听证规定"),
        title="审计机关审计听证的规定（审计署）",
        kind="部门规章 rule of the National Audit Office",
        why=NOT_SHIPPED + "; the only full text found was on a non-government site",
    ),
    OtherSource(
        key="审计机关审计处理处罚的规定",
        names=("审计机关审计处理处罚的规定", "审计机关审计处理处罚规定"),
        title="审计机关审计处理处罚的规定（审计署）",
        kind="部门规章 rule of the National Audit Office",
        why=NOT_SHIPPED,
    ),
    OtherSource(
        key="个人信息保护法",
        names=("中华人民共和国个人信息保护法", "个人信息保护法"),
        title="中华人民共和国个人信息保护法",
        kind="法律 statute",
        why="not in the shared library (cited for the masking of published results)",
    ),
    OtherSource(
        key="民法典",
        names=("中华人民共和国民法典", "民法典"),
        title="中华人民共和国民法典",
        kind="法律 statute",
        why="not in the shared library (cited for how periods are counted, Arts. 201, 203)",
    ),
    OtherSource(
        key="GB 32100-2015",
        names=("GB 32100-2015", "GB 32100"),
        title="法人和其他组织统一社会信用代码编码规则",
        kind="国家标准 national standard",
        why="a standard, not a statute: the check character of 统一社会信用代码",
    ),
    OtherSource(
        key="GB 11643-1999",
        names=("GB 11643-1999", "GB 11643"),
        title="公民身份号码",
        kind="国家标准 national standard",
        why="a standard, not a statute: the check character of 居民身份证号码",
    ),
    OtherSource(
        key="GB/T 9704-2012",
        names=("GB/T 9704-2012", "GB/T 9704"),
        title="党政机关公文格式",
        kind="国家标准 national standard",
        why="a standard, not a statute: the layout and numbering of notices",
    ),
    OtherSource(
        key="本局规定",
        names=(
            "本局规定",
            "本局法制审核工作规则",
            "本局三项制度实施方案",
            "本局案件承办制度",
        ),
        title="本局规定（本机关的工作制度，期限等见 config.yaml）",
        kind="本机关规定 the office's own rules",
        why="the office's own rules and its config.yaml settings (e.g. config: "
        "periods.statement_window_days), not a published statute",
    ),
)


def find_other(text: str) -> tuple[OtherSource, str] | None:
    """The accepted source `text` starts with, and the name it was written with, or None."""
    names = sorted(((n, s) for s in ACCEPTED for n in s.names), key=lambda p: -len(p[0]))
    for name, source in names:
        if text.startswith(name):
            return source, name
    return None


def other_named(name: str) -> OtherSource | None:
    """The accepted source whose name is exactly `name` (as a law's name in a citation)."""
    for source in ACCEPTED:
        if name in source.names:
            return source
    return None
