"""Benchmark: case search and `assist` at office scale. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_search.py [--cases N] [--queries N] [--url URL]

- builds an office of N opened cases (default 10,000, through the office like any case) and a
  library of N/20 典型案例 with power items, tiers and fines, and brings the index up to date;
- search: p50/p95 latency of queries of 2 to 6 characters (goal: p95 < 200 ms at 10,000);
- assist: 类案推送 (five nearest, the distribution of like cases) and a proposed draft, per case.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench_engine import staffed  # run from benchmarks/: same clock and staff as the others

from states.penalty import PENALTY
from workflow.assist import Assistant, TypicalCase, import_library
from workflow.config import PublicitySettings, Settings
from workflow.search import Filters
from workflow.service import Office
from workflow.store import Store

STARTER = Path(__file__).resolve().parent.parent / "terminal" / "starter"
WORDS = ("冷链", "光伏", "校舍", "养老", "路灯", "供暖", "水库", "茶园", "渔港", "桥梁", "药品", "教材",
         "牧草", "棚户区", "污水管网", "垃圾分类", "农机", "种粮", "稳岗", "孵化器", "电商", "民宿",
         "文旅", "体育场", "图书馆", "幼儿园", "卫生院", "敬老院", "人才公寓", "充电桩", "港口",
         "物流园", "粮库", "蔬菜大棚", "奶牛", "生猪", "森林防火", "河道清淤", "饮水安全", "危房改造")  # fmt: skip
NAMES = ("鸿运", "恒泰", "金桥", "瑞丰", "华昌", "宏达", "兴隆", "永安", "盛源", "嘉禾", "德润", "昌盛")
TRADES = ("物流", "建设", "科技", "农业", "商贸", "能源", "环保", "医药", "食品", "置业")
VIOLATIONS = ("以虚假材料申领", "虚报冒领", "挪用", "违规使用", "截留", "私存私放")


def opening(n: int, rng: random.Random) -> dict[str, str]:
    word, name, trade = WORDS[n % len(WORDS)], NAMES[n % len(NAMES)], TRADES[(n // 7) % len(TRADES)]
    party = f"铁锋{name}{trade}{n}号有限公司"
    violation = rng.choice(VIOLATIONS)
    return {
        "title": f"{party}{violation}{word}项目资金案", "party": party, "party_type": "unit",
        "party_id": "91230200MA1B2C3D4E", "party_address": f"铁锋区{name}路{n}号",
        "source": f"专项审计发现{party}在{word}项目中{violation}财政资金{rng.randrange(5, 900)}万元",
        "power": "SJ-CF-003", "violation": f"{violation}{word}项目财政资金",
        "violation_on": (date(2024, 1, 1) + timedelta(days=n % 700)).isoformat(),
        "discovered_on": "2026-02-26",
    }  # fmt: skip


def typical(n: int, rng: random.Random) -> TypicalCase:
    base = rng.randrange(100_000, 5_000_000)
    tier, (low, high) = rng.choice([("lighter", (0.10, 0.22)), ("general", (0.22, 0.34)),
                                    ("heavier", (0.34, 0.50)), ("reduced", (0.05, 0.10))])  # fmt: skip
    return TypicalCase(
        id=f"B-{n}", source="基准测试（生成）", title=f"第{n}号典型案例：骗取{WORDS[n % len(WORDS)]}补贴",
        power="SJ-CF-003", benchmark="SJ-CF-003-01", tier=tier,
        facts=f"以虚假材料骗取{WORDS[n % len(WORDS)]}项目财政资金{base}元",
        amount=round(base * rng.uniform(low, high), -2), base_amount=base,
        decision_number=f"示审罚〔2025〕{n}号", decided_on=date(2025, 1, 1) + timedelta(days=n % 300),
    )  # fmt: skip


def make_office(folder: Path, url: str | None) -> Office:
    store = Store(url or f"sqlite:///{folder / 'bench.db'}")
    store.migrate()
    settings = Settings(publicity=PublicitySettings(powers=str(STARTER / "powers.yaml"),
                                                    discretion=str(STARTER / "discretion.yaml")))  # fmt: skip
    return staffed(store, settings)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--url", default=None, help="a database URL (default: SQLite in a temp dir)")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        office = make_office(Path(tmp), args.url)
        start = time.perf_counter()
        ids = [office.open_case(PENALTY.id, "王明", opening(n, rng), date(2026, 3, 2))[1].id
               for n in range(args.cases)]  # fmt: skip
        print(f"opened {args.cases} cases (each indexed by its act): {time.perf_counter() - start:8.1f} s")
        helper = Assistant.of(office)
        start = time.perf_counter()
        import_library(helper.index, [typical(n, rng) for n in range(max(args.cases // 20, 5))])
        print(f"imported the library:    {time.perf_counter() - start:8.1f} s")

        queries = [rng.choice(WORDS) if i % 3 else f"{rng.choice(NAMES)}{rng.choice(TRADES)}"
                   for i in range(args.queries)]  # fmt: skip
        queries += [f"{rng.choice(NAMES)}{rng.choice(TRADES)}{rng.randrange(args.cases)}号"[:6]
                    for _ in range(args.queries // 4)]  # fmt: skip
        latencies = []
        for query in queries:
            start = time.perf_counter()
            helper.search(query, Filters(), 10)
            latencies.append((time.perf_counter() - start) * 1000)
        print(f"search p50 / p95 ({len(queries)} queries, 2–6 chars): "
              f"{statistics.median(latencies):6.1f} / {percentile(latencies, 0.95):6.1f} ms "
              f"(goal p95 < 200 ms at 10,000 cases)")  # fmt: skip

        draft = {"amount_involved": "1500000", "harm": "slight", "first_offence": True,
                 "benchmark": "SJ-CF-003-01"}  # fmt: skip
        timings = []
        for case_id in ids[: min(20, len(ids))]:
            case = office.case(case_id)
            start = time.perf_counter()
            helper.similar(case)
            helper.propose(case, office.engine.procedure(case.procedure), draft, date(2026, 3, 9))
            timings.append((time.perf_counter() - start) * 1000)
        print(f"assist (similar cases + proposed draft): p50 {statistics.median(timings):6.1f} ms, "
              f"max {max(timings):6.1f} ms")  # fmt: skip
        office.store.dispose()


if __name__ == "__main__":
    main()
