"""A labelled search set: over 200 generated cases and hand-written decided ones, with queries of
2 to 6 characters and the cases each must find (those whose recorded text holds the query).

Generated cases are opened through the office like any case (title, party, source, violation);
the hand-written ones run the demo's penalty case to its end with evidence files whose text
(PDF, DOCX, plain text) is only in the files.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from states.penalty import PENALTY
from workflow.scenarios import PENALTY_WITH_HEARING
from workflow.service import Office

PROJECTS = (
    "冷链", "光伏", "校舍", "养老", "路灯", "供暖", "水库", "茶园", "渔港", "桥梁", "药品", "教材",
    "牧草", "滑坡治理", "棚户区", "污水管网", "垃圾分类", "农机", "种粮", "稳岗", "孵化器", "电商",
    "民宿", "文旅", "体育场", "图书馆", "博物馆", "幼儿园", "卫生院", "敬老院", "人才公寓", "充电桩",
    "公交", "港口", "物流园", "粮库", "棉花", "甜菜", "大豆", "水稻", "蔬菜大棚", "奶牛", "生猪",
    "肉牛", "森林防火", "河道清淤", "饮水安全", "危房改造", "厕所革命", "电网",
)  # fmt: skip
NAMES = ("鸿运", "恒泰", "金桥", "瑞丰", "华昌", "宏达", "兴隆", "永安", "盛源", "嘉禾", "德润",
         "昌盛", "远航", "天成", "新峰", "汇通", "广源", "富民", "安康", "祥和")  # fmt: skip
TRADES = ("物流", "建设", "科技", "农业", "商贸", "能源", "环保", "医药", "食品", "置业")
VIOLATIONS = ("以虚假材料申领", "虚报冒领", "挪用", "违规使用", "截留", "私存私放")
CREDIT_CODE = "91230200MA1B2C3D4E"


def generated(count: int = 210, seed: int = 17) -> list[dict[str, Any]]:
    """Opening data of `count` cases; each project word is used by a few cases only."""
    rng = random.Random(seed)
    cases = []
    for n in range(count):
        project = PROJECTS[n % len(PROJECTS)]
        name, trade = NAMES[(n // len(PROJECTS) * 7 + n) % len(NAMES)], TRADES[n % len(TRADES)]
        party = f"铁锋{name}{trade}有限公司"
        violation = rng.choice(VIOLATIONS)
        amount = rng.randrange(5, 500)
        cases.append({
            "title": f"{party}{violation}{project}项目资金案", "party": party, "party_type": "unit",
            "party_id": CREDIT_CODE, "party_address": f"铁锋区{name}路{n + 1}号",
            "source": f"专项审计发现{party}在{project}项目中{violation}财政资金{amount}万元",
            "power": "SJ-CF-003", "violation": f"{violation}{project}项目财政资金",
            "violation_on": (date(2025, 1, 1) + timedelta(days=n)).isoformat(),
            "discovered_on": "2026-02-26",
        })  # fmt: skip
    return cases


#: Hand-written decided cases: their title and the text only their evidence files hold.
HAND_WRITTEN = (
    ("铁锋凌云冷库运营有限公司骗取冷链补贴案", "txt", "冷库租赁合同约定租期三年，租金按季度支付。"),
    ("铁锋北辰光电有限公司骗取光伏扶贫资金案", "docx", "电费结算单显示并网发电量远低于申报数。"),
    ("铁锋南山牧业有限公司虚报牧草补贴案", "pdf", "Contract HT0417 signed for grassland lease."),
)
#: Queries over those texts, with the hand-written case (by position) they must find.
HAND_QUERIES = (("冷库租赁", 0), ("电费结算单", 1), ("并网发电", 1), ("HT0417", 2), ("凌云冷库", 0),
                ("北辰光电", 1), ("南山牧业", 2))  # fmt: skip


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer says `text` (ASCII), with a correct cross-reference."""
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def evidence_file(folder: Path, n: int, kind: str, text: str) -> Path:
    path = folder / f"证据{n}.{kind}"
    if kind == "txt":
        path.write_text(text, encoding="utf-8")
    elif kind == "docx":
        import docx

        document = docx.Document()
        document.add_paragraph(text)
        document.save(str(path))
    else:
        path.write_bytes(minimal_pdf(text))
    return path


def decided(office: Office, n: int, title: str, kind: str, text: str, folder: Path) -> str:
    """The demo's penalty case to its end, for another party, with an evidence file."""
    case_id = ""
    party = title.split("有限公司")[0] + "有限公司"
    for step in PENALTY_WITH_HEARING.steps:
        if step.action == "open":
            data = {**step.data, "title": title, "party": party,
                    "violation_on": (date(2025, 10, 1) + timedelta(days=n)).isoformat()}  # fmt: skip
            case_id = office.open_case(PENALTY.id, step.actor, data, step.on)[1].id
        elif step.action == "add_evidence" and step.data["type"] == "documentary":
            path = evidence_file(folder, n, kind, text)
            office.act_with_files(case_id, "add_evidence", step.actor, [str(path)], step.data, step.on)
        else:
            office.do(case_id, step.action, step.actor, replace(step).data, step.on)
    return case_id


def build(office: Office, folder: Path) -> tuple[list[tuple[str, set[str]]], dict[str, str]]:
    """Open the corpus in `office`; the labelled queries (text, expected ids) and each case's text."""
    texts: dict[str, str] = {}
    for data in generated():
        case = office.open_case(PENALTY.id, "王明", data, date(2026, 3, 2))[1]
        texts[case.id] = " ".join(str(data[k]) for k in ("title", "party", "source", "violation"))
    hand = [decided(office, n, title, kind, text, folder)
            for n, (title, kind, text) in enumerate(HAND_WRITTEN)]  # fmt: skip
    for case_id, (title, _, text) in zip(hand, HAND_WRITTEN, strict=True):
        texts[case_id] = f"{title} {text}"
    labelled: list[tuple[str, set[str]]] = []
    candidates = [*PROJECTS, *(f"{n}{t}" for n in NAMES for t in TRADES), *NAMES]
    for query in dict.fromkeys(candidates):
        expected = {cid for cid, text in texts.items() if query in text}
        if 1 <= len(expected) <= 10 and 2 <= len(query) <= 6:
            labelled.append((query, expected))
    labelled += [(q, {hand[i]}) for q, i in HAND_QUERIES]
    return labelled, texts
