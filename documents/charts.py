"""Small SVG pictures for published pages: bar charts and the procedure flowchart (执法流程图).

Plain SVG, no script: labels are escaped text. The flowchart is drawn from the procedure
definition itself, so what is published is the process the engine runs (domain.md §3, §7).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from states.definition import NEW, SAME, Procedure

FONT = "font-family=\"'Noto Sans CJK SC','Microsoft YaHei',sans-serif\""


def bar_chart(title: str, rows: Sequence[tuple[str, float]], unit: str = "") -> str:
    """A horizontal bar chart; an empty one says so."""
    width, left, bar_h, gap = 560, 170, 20, 10
    height = 40 + max(1, len(rows)) * (bar_h + gap)
    top = max((v for _, v in rows), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{escape(title)}" {FONT} font-size="14">',
             f'<text x="0" y="20" font-weight="bold">{escape(title)}</text>']  # fmt: skip
    if not rows:
        parts.append('<text x="0" y="50" fill="#666">（无数据）</text>')
    for i, (label, value) in enumerate(rows):
        y = 34 + i * (bar_h + gap)
        length = (width - left - 90) * value / top
        parts.append(f'<text x="{left - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        parts.append(
            f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar_h}" fill="#b22"/>'
        )
        parts.append(
            f'<text x="{left + length + 6:.1f}" y="{y + 15}">{value:g}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _layout(
    proc: Procedure,
) -> tuple[list[str], dict[str, list[str]], dict[str, float], dict[str, float]]:
    """State order, the actions that stay in each state, and each box's top and height."""
    order = [s.id for s in proc.states]
    stays = {
        s: [a.label for a in proc.actions if s in a.sources and a.target == SAME] for s in order
    }
    ys: dict[str, float] = {}
    heights: dict[str, float] = {}
    y = 70.0
    for s in order:
        heights[s] = 44 + 18 * -(-len(stays[s]) // 3)
        ys[s] = y
        y += heights[s] + 46
    return order, stays, ys, heights


def _moves(proc: Procedure, order: list[str]) -> list[tuple[str, str, str]]:
    """(from, to, labels) for every action that moves a case, in a stable order."""
    edges: dict[tuple[str, str], list[str]] = {}
    for a in proc.actions:
        if a.target == SAME:
            continue
        for src in a.sources:
            edges.setdefault((src, a.target), []).append(a.label)

    def key(edge: tuple[str, str]) -> tuple[int, int]:
        src, dst = edge
        return (order.index(dst) if src == NEW else order.index(src), order.index(dst))

    return [
        (src, dst, escape("／".join(labels)))
        for (src, dst), labels in sorted(edges.items(), key=lambda e: key(e[0]))
    ]


def flowchart(proc: Procedure) -> str:
    """States top to bottom in the definition's order; each state lists the actions that stay
    in it; arrows carry the actions that move the case, with their Chinese labels."""
    order, stays, ys, heights = _layout(proc)
    box_w, x = 260, 420
    height = ys[order[-1]] + heights[order[-1]] + 56
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 980 {height:.0f}" role="img" '
           f'aria-label="{escape(proc.label)}流程图" {FONT} font-size="14">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
           'markerHeight="7" orient="auto"><path d="M0,0L10,5L0,10z" fill="#333"/></marker></defs>',
           f'<text x="{x}" y="28" text-anchor="middle" font-size="20" font-weight="bold">'
           f'{escape(proc.label)} 执法流程图</text>']  # fmt: skip
    lanes = {True: 0, False: 0}
    from_here: dict[str, int] = {}
    for src, dst, text in _moves(proc, order):
        if src == NEW:
            out.append(
                f'<text x="{x}" y="{ys[dst] - 12}" text-anchor="middle" fill="#b22">▼ {text}</text>'
            )
            continue
        i, j = order.index(src), order.index(dst)
        if j == i + 1:
            y1, y2 = ys[src] + heights[src], ys[dst]
            out.append(f'<path d="M{x},{y1} L{x},{y2}" stroke="#333" marker-end="url(#arrow)"/>')
            out.append(f'<text x="{x + 8}" y="{(y1 + y2) / 2 + 5}">{text}</text>')
            continue
        forward = j > i
        lanes[forward] += 1
        sign = 1 if forward else -1
        side = x + sign * box_w / 2
        lane = side + sign * 18 * lanes[forward]
        nth = from_here[src] = from_here.get(src, 0) + 1
        y1 = ys[src] + heights[src] / 2 + sign * 8 * nth
        y2 = ys[dst] + heights[dst] / 2 + sign * 6
        style = 'stroke="#333"' if forward else 'stroke="#888" stroke-dasharray="4 3"'
        out.append(f'<path d="M{side},{y1} L{lane},{y1} L{lane},{y2} L{side},{y2}" fill="none" '
                   f'{style} marker-end="url(#arrow)"/>')  # fmt: skip
        ty = ys[src] + heights[src] + 14 * nth if forward else ys[src] - 4 - 14 * (nth - 1)
        anchor = "start" if forward else "end"
        out.append(
            f'<text x="{lane + sign * 4}" y="{ty}" text-anchor="{anchor}" font-size="12">{text}</text>'
        )
    for s in order:
        out += _box(proc, s, stays[s], x, box_w, ys[s], heights[s])
    out.append("</svg>")
    return "".join(out)


def _box(
    proc: Procedure, s: str, stays: list[str], x: float, w: float, y: float, h: float
) -> list[str]:
    state = proc.state(s)
    label = state.label if state else s
    parts = [f'<rect x="{x - w / 2}" y="{y}" width="{w}" height="{h}" rx="8" fill="#fff7f0" stroke="#b22"/>',
             f'<text x="{x}" y="{y + 26}" text-anchor="middle" font-weight="bold">'
             f'{escape(label)}（{escape(s)}）</text>']  # fmt: skip
    for k in range(0, len(stays), 3):
        line = "、".join(stays[k : k + 3])
        parts.append(f'<text x="{x}" y="{y + 46 + 18 * (k // 3)}" text-anchor="middle" '
                     f'font-size="12" fill="#555">{escape(line)}</text>')  # fmt: skip
    return parts
