"""The fonts a notice is printed in (GB/T 9704-2012 §5.2: body 仿宋, title 小标宋, headings 黑体).

An office names its fonts by role in config.yaml (`documents.fonts`); the first one installed
is used. Where none is, any font that covers Chinese stands in (serif for body and title,
sans for headings) and export says so: a PDF in the wrong typeface is still a readable legal
document, one with empty boxes is not (documents/pdf.py refuses that).
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

#: What GB/T 9704 asks for, under the names Windows, macOS and the font makers give them.
DEFAULT_FONTS: dict[str, tuple[str, ...]] = {
    "body": ("FangSong", "仿宋", "FangSong_GB2312", "仿宋_GB2312", "STFangsong", "华文仿宋"),
    "title": ("FZXiaoBiaoSong-B05S", "方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"),
    "heading": ("SimHei", "黑体", "STHeiti", "华文黑体"),
}
ROLE_LABELS = {"body": "正文 body", "title": "标题 title", "heading": "标题层次 heading"}
#: Stand-ins by preference when none of an office's fonts is installed.
_SERIF = ("Noto Serif CJK SC", "Source Han Serif SC", "Noto Serif SC", "AR PL UMing CN")
_SANS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei")
_GENERIC = {"body": "serif", "title": "serif", "heading": "sans-serif"}


@lru_cache(maxsize=1)
def installed_cjk() -> tuple[tuple[str, ...], ...]:
    """Every font family fontconfig offers for Chinese, each with all its names (a family
    may be listed as `FangSong,仿宋`), in fontconfig's order; empty without fontconfig."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    done = subprocess.run(
        [fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False, timeout=30
    )
    names = {tuple(n.strip() for n in line.split(",")) for line in done.stdout.splitlines()}
    return tuple(sorted(n for n in names if n and n[0]))


@dataclass(frozen=True)
class FontChoice:
    """The font a role is printed in, and whether it is a stand-in for the office's fonts."""

    role: str
    wanted: tuple[str, ...]
    used: str | None  # None: no font for Chinese at all
    fell_back: bool

    def describe(self) -> str:
        label = ROLE_LABELS.get(self.role, self.role)
        if self.used is None:
            return f"{label}: 无中文字体 no CJK font"
        if not self.fell_back:
            return f"{label}: {self.used}"
        wanted = "、".join(self.wanted[:2]) + (" 等" if len(self.wanted) > 2 else "")
        return f"{label}: {self.used}（未安装 {wanted}，已改用此字体 not installed, fell back）"


def choose(
    wanted: Mapping[str, Sequence[str]] | None = None,
    installed: Sequence[Sequence[str]] | None = None,
) -> dict[str, FontChoice]:
    """For each role, the first wanted family installed, else the best stand-in."""
    have = installed_cjk() if installed is None else installed
    by_name = {name.casefold(): names[0] for names in have for name in names}
    chosen = {}
    for role, default in DEFAULT_FONTS.items():
        names = tuple((wanted or {}).get(role) or default)
        used = next((by_name[n.casefold()] for n in names if n.casefold() in by_name), None)
        if used is not None:
            chosen[role] = FontChoice(role, names, used, False)
            continue
        prefer = _SANS if role == "heading" else _SERIF
        stand_in = next((by_name[n.casefold()] for n in prefer if n.casefold() in by_name), None)
        if stand_in is None and have:
            stand_in = have[0][0]
        chosen[role] = FontChoice(role, names, stand_in, stand_in is not None)
    return chosen


def _quoted(name: str) -> str:
    """A family name as a CSS string; characters that could end it or the style are dropped."""
    return '"' + "".join(ch for ch in name if ch not in "\\\"'<>;{}") + '"'


def css_stacks(choices: Mapping[str, FontChoice] | None = None) -> dict[str, Markup]:
    """CSS font-family lists by role: the chosen family first (so the PDF is printed in what
    export reports), then the office's own fonts (for a browser that has them), then generic;
    and `title_weight`, bold only where a stand-in replaces 小标宋."""
    chosen = choices or choose()
    # 小标宋 is a heavy face of its own; a stand-in for it is set bold to look its weight
    title = chosen.get("title")
    stacks = {"title_weight": Markup("bold" if title is None or title.fell_back else "normal")}
    for role, choice in chosen.items():
        names = ([choice.used] if choice.used else []) + [
            n for n in choice.wanted if n != choice.used
        ]
        # Markup: safe CSS by construction (_quoted), so the page template prints it as is
        stacks[role] = Markup(", ".join([*(_quoted(n) for n in names), _GENERIC[role]]))
    return stacks
