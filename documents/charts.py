"""Pictures for published pages: bar charts and the procedure flowchart (执法流程图), each with
the same facts as a text table beside it.

Bar charts are HTML and CSS (no script): their labels are text at the page's own size, so they
stay readable on a 390-px phone, and the table beside them carries the figures for a reader or
a screen reader. The flowchart is SVG drawn from the procedure definition itself, so what is
published is the process the engine runs (domain.md §3, §7); it shows Chinese labels only,
and its layout keeps every label clear of every other: moves between neighbouring states are
labelled beside their arrow, all other moves run in lanes of their own, their labels written
down the lane (vertical Chinese), one lane apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from states.definition import NEW, SAME, Procedure

FONT = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif\""
RED, INK, MUTED = "#a4161a", "#1a1a1a", "#4a4a4a"


def bar_chart(title: str, rows: Sequence[tuple[str, float]], unit: str = "") -> str:
    """A horizontal bar chart (HTML) and its table; an empty one says so."""
    top = max((v for _, v in rows), default=0) or 1
    bars = "".join(
        f'<div class="bar-row"><span class="bar-label">{escape(label)}</span>'
        f'<span class="bar-track"><span class="bar" style="width:{100 * value / top:.1f}%">'
        f'</span></span><span class="bar-value">{value:g}{escape(unit)}</span></div>'
        for label, value in rows
    )
    cells = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{value:g}{escape(unit)}</td></tr>'
        for label, value in rows
    )
    if not rows:
        bars = '<p class="empty">（无数据）</p>'
        cells = '<tr><td colspan="2">（无数据）</td></tr>'
    return (
        f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
        f'<div class="chart-body"><div class="bars" aria-hidden="true">{bars}</div>'
        f'<table class="data"><caption>{escape(title)}（数据表）</caption>'
        f'<thead><tr><th scope="col">项目</th><th scope="col">数值</th></tr></thead>'
        f"<tbody>{cells}</tbody></table></div></figure>"
    )


# -- the flowchart ------------------------------------------------------------------------------
BOX_W, GAP, LANE, SIDE = 240, 64, 22, 16
TITLE_H, LINE_H, CHAR_H = 84, 18, 14  # CHAR_H: one character of a vertical label (12 px)


@dataclass(frozen=True)
class Move:
    """Actions that move a case from one state to another, as one labelled edge."""

    src: str
    dst: str
    label: str


def _moves(proc: Procedure) -> list[Move]:
    edges: dict[tuple[str, str], list[str]] = {}
    for a in proc.actions:
        for target in sorted(a.targets()):
            for src in a.sources:
                if target not in (SAME, src):
                    edges.setdefault((src, target), []).append(a.label)
    return [Move(src, dst, "／".join(labels)) for (src, dst), labels in edges.items()]


def _stays(proc: Procedure, state: str) -> list[str]:
    return [a.label for a in proc.actions if state in a.sources and SAME in a.targets()]


def flow_rows(proc: Procedure) -> list[dict[str, str]]:
    """The flowchart as a table: each state, what can be done in it, where each move leads."""
    moves = _moves(proc)
    return [
        {
            "state": s.label,
            "stays": "、".join(_stays(proc, s.id)) or "—",
            "moves": "；".join(
                f"{m.label} → {proc.state_label(m.dst)}" for m in moves if m.src == s.id
            )
            or "（办结）",  # fmt: skip
            "start": "、".join(m.label for m in moves if m.src == NEW and m.dst == s.id),
        }
        for s in proc.states
    ]


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` characters, broken after 、 or ／ where possible."""
    lines, line = [], ""
    for part in text.replace("／", "／\n").replace("、", "、\n").split("\n"):
        if line and len(line) + len(part) > width:
            lines.append(line)
            line = ""
        line += part
        while len(line) > width:
            lines.append(line[:width])
            line = line[width:]
    return [*lines, line] if line else lines


@dataclass
class _Plan:
    order: list[str]
    ys: dict[str, float]
    heights: dict[str, float]
    lanes: dict[Move, int]  # lane number, right (forward) positive, left (back) negative
    width: float
    height: float
    x: float  # the column's centre


def _assign_lanes(moves: list[Move], index: dict[str, int]) -> dict[Move, int]:
    """Each long move its own lane on its side, shorter spans nearer the boxes."""
    lanes: dict[Move, int] = {}
    for forward in (True, False):
        side = [m for m in moves if (index[m.dst] > index[m.src]) == forward]
        side.sort(key=lambda m: (abs(index[m.dst] - index[m.src]), index[m.src]))
        for n, m in enumerate(side, start=1):
            lanes[m] = n if forward else -n
    return lanes


def _plan(proc: Procedure) -> _Plan:
    order = [s.id for s in proc.states]
    index = {s: i for i, s in enumerate(order)}
    moves = [m for m in _moves(proc) if m.src != NEW]
    long = [m for m in moves if index[m.dst] != index[m.src] + 1]
    lanes = _assign_lanes(long, index)
    left = max((-n for n in lanes.values() if n < 0), default=0)
    right = max((n for n in lanes.values() if n > 0), default=0)
    ys: dict[str, float] = {}
    heights: dict[str, float] = {}
    y = float(TITLE_H)
    for s in order:
        heights[s] = 40 + LINE_H * len(_wrap("、".join(_stays(proc, s)), 14))
        ys[s] = y
        y += heights[s] + GAP
    x = SIDE + left * LANE + 24 + BOX_W / 2
    width = x + BOX_W / 2 + 24 + right * LANE + SIDE
    return _Plan(order, ys, heights, lanes, width, y - GAP + SIDE, x)


def _ports(plan: _Plan) -> dict[tuple[str, int, Move], float]:
    """Where each lane move leaves and enters a box side, spread along the side."""
    wanted: dict[tuple[str, int], list[tuple[int, Move]]] = {}
    for m, lane in plan.lanes.items():
        side = 1 if lane > 0 else -1
        wanted.setdefault((m.src, side), []).append((abs(lane), m))
        wanted.setdefault((m.dst, side), []).append((abs(lane), m))
    ports = {}
    for (state, side), users in wanted.items():
        users.sort(key=lambda u: (u[0], u[1].src == state))
        top, h = plan.ys[state], plan.heights[state]
        for k, (_, m) in enumerate(users, start=1):
            ports[(state, side, m)] = top + h * k / (len(users) + 1)
    return ports


def _vertical_label(x: float, y1: float, y2: float, text: str, blocked: list[float]) -> str:
    """A label written down a lane between y1 and y2, kept off lines crossing the lane."""
    chars = list(text)
    need = len(chars) * CHAR_H
    lo, hi = min(y1, y2) + 6, max(y1, y2) - 6
    stops = sorted([lo, *(b for b in blocked if lo < b < hi), hi])
    gaps = [(b - a, a, b) for a, b in zip(stops, stops[1:], strict=False)]
    size, a, b = max(gaps)
    start = a + max(0.0, (size - need) / 2) if size >= need else lo + max(0.0, (hi - lo - need) / 2)
    spans = "".join(
        f'<tspan x="{x:.0f}" y="{start + CHAR_H * (i + 1) - 2:.0f}">{escape(ch)}</tspan>'
        for i, ch in enumerate(chars)
    )
    return (f'<text class="lane-label" aria-label="{escape(text)}" font-size="12" '
            f'fill="{INK}">{spans}</text>')  # fmt: skip


def flowchart(proc: Procedure) -> str:
    """States top to bottom in the definition's order, each listing what can be done in it;
    arrows carry the actions that move the case, with their Chinese labels."""
    plan = _plan(proc)
    index = {s: i for i, s in enumerate(plan.order)}
    x, half = plan.x, BOX_W / 2
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="flowchart" viewBox="0 0 {plan.width:.0f} '
           f'{plan.height:.0f}" width="{plan.width:.0f}" height="{plan.height:.0f}" role="img" '
           f'aria-label="{escape(proc.label)}流程图" {FONT} font-size="14">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           f'markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="{INK}"/></marker></defs>',
           f'<text x="{x:.0f}" y="28" text-anchor="middle" font-size="18" '
           f'font-weight="bold" fill="{INK}">{escape(proc.label)}执法流程图</text>']  # fmt: skip
    for m in _moves(proc):
        if m.src == NEW:
            out.append(f'<text x="{x:.0f}" y="{plan.ys[m.dst] - 12:.0f}" text-anchor="middle" '
                       f'fill="{RED}">▼ {escape(m.label)}</text>')  # fmt: skip
        elif index[m.dst] == index[m.src] + 1:
            y1, y2 = plan.ys[m.src] + plan.heights[m.src], plan.ys[m.dst]
            out.append(f'<path d="M{x:.0f},{y1:.0f} L{x:.0f},{y2:.0f}" stroke="{INK}" '
                       'marker-end="url(#arrow)"/>')  # fmt: skip
            lines = _wrap(m.label, 8)
            for k, line in enumerate(lines):
                ty = (y1 + y2) / 2 + 5 + (k - (len(lines) - 1) / 2) * 16
                out.append(f'<text x="{x + 8:.0f}" y="{ty:.0f}" font-size="13" fill="{INK}">'
                           f"{escape(line)}</text>")  # fmt: skip
    out += _lanes(plan)
    for s in plan.order:
        out += _box(proc, s, x, half, plan.ys[s], plan.heights[s])
    out.append("</svg>")
    return "".join(out)


def _lanes(plan: _Plan) -> list[str]:
    ports = _ports(plan)
    out, labels = [], []
    crossings: dict[int, list[float]] = {}  # lane -> ys of horizontal segments across it
    geometry = []
    for m, lane in plan.lanes.items():
        side = 1 if lane > 0 else -1
        edge = plan.x + side * BOX_W / 2
        lx = edge + side * (24 + (abs(lane) - 1) * LANE)
        y1, y2 = ports[(m.src, side, m)], ports[(m.dst, side, m)]
        geometry.append((m, lane, edge, lx, y1, y2))
        for other in plan.lanes.values():
            if other * lane > 0 and abs(other) < abs(lane):
                crossings.setdefault(other, []).extend([y1, y2])
    for m, lane, edge, lx, y1, y2 in geometry:
        forward = lane > 0
        style = f'stroke="{INK}"' if forward else f'stroke="{MUTED}" stroke-dasharray="5 3"'
        out.append(f'<path d="M{edge:.0f},{y1:.0f} L{lx:.0f},{y1:.0f} L{lx:.0f},{y2:.0f} '
                   f'L{edge:.0f},{y2:.0f}" fill="none" {style} marker-end="url(#arrow)"/>')  # fmt: skip
        tx = lx + 4 if forward else lx - 16
        labels.append(_vertical_label(tx, y1, y2, m.label, crossings.get(lane, [])))
    return out + labels


def _box(proc: Procedure, s: str, x: float, half: float, y: float, h: float) -> list[str]:
    state = proc.state(s)
    label = state.label if state else s
    parts = [f'<rect x="{x - half:.0f}" y="{y:.0f}" width="{2 * half:.0f}" height="{h:.0f}" rx="8" '
             f'fill="#fff7f0" stroke="{RED}"/>',
             f'<text x="{x:.0f}" y="{y + 26:.0f}" text-anchor="middle" font-weight="bold" '
             f'fill="{INK}">{escape(label)}</text>']  # fmt: skip
    for k, line in enumerate(_wrap("、".join(_stays(proc, s)), 14)):
        parts.append(f'<text x="{x:.0f}" y="{y + 46 + LINE_H * k:.0f}" text-anchor="middle" '
                     f'font-size="12" fill="{MUTED}">{escape(line)}</text>')  # fmt: skip
    return parts
