"""Portal search latency over 1,000,000 published items, SQLite and PostgreSQL, against a LIKE scan.

For each database a fresh one is created, filled with a synthetic corpus of published items (titles,
bodies of about 120 characters and, for some, document numbers, drawn with Zipf-like word frequencies
from a vocabulary of government phrases) and indexed through ``gongkai.search``. Then every query of
one to four characters is timed through ``search()`` (count + first page + highlighted snippets) and
through the plain implementation it replaces: ``LIKE '%…%'`` over title, document number and body of
the same table, counted and ordered by publication date for the first page.

Targets (issue 5): p95 under 50 ms on SQLite and at least 20× faster than the scan.

``GONGKAI_BENCH_SCALE`` (default 1) scales the corpus, e.g. 0.01 for a quick run of 10,000 items.
PostgreSQL runs on a throwaway cluster of its own (scripts/pg-throwaway.sh) when it is installed.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCALE = float(os.environ.get("GONGKAI_BENCH_SCALE") or 1)
ITEMS = max(1000, int(1_000_000 * SCALE))
REPEAT = 5
SCAN_REPEAT = 1
P95_TARGET_MS = 50
SPEEDUP_TARGET = 20

# Phrases of a 街道's published items; earlier ones are drawn more often (Zipf-like).
_VOCABULARY_TEXT = (
    "关于 通知 工作 社区 街道 办事处 服务 开展 实施方案 东花市 居民 管理 公告 情况 安全 建设 做好 进一步 "
    "加强 环境 整治 垃圾分类 养老 疫情防控 公示 检查 组织 活动 党建 文明 志愿者 物业 老旧小区 改造 停车 "
    "背街小巷 疏解 消防 安全生产 食品 药品 卫生 健康 就业 培训 低保 救助 残疾人 退役军人 优抚 教育 "
    "预算 决算 采购 招标 中标 结果 行政处罚 行政许可 行政检查 行政强制 收费 标准 依据 程序 规划 统计 "
    "数据 年度 报告 政策 解读 会议 纪要 领导 分工 机构 职能 办公 地址 时间 电话 应急 预案 防汛 供暖 "
    "燃气 电梯 加装 绿化 美化 拆除 违法建设 占道经营 网格 热线 诉求 接诉即办 满意率 考核 评议 人口 "
    "普查 征兵 助餐 驿站 托育 儿童 青少年 妇女 老年人 家庭 医生 签约 疫苗 接种 核酸 检测 宣传 培训班 "
    "志愿服务 文化 体育 健身 图书 社区活动 议事 协商 物业管理 业委会 房屋 租赁 流动人口 登记 信访 "
    "调解 法律 援助 普法 禁毒 反诈 平安 综治 交通 道路 施工 占用 审批 公开 信息 目录 指南 制度"
)
VOCABULARY = _VOCABULARY_TEXT.split()
CHARS_PER_BODY = 120
RARE_QUERIES: dict[int, list[str]] = {1: [], 2: [], 3: [], 4: []}

# 1 to 4 characters: very common, common, rare and absent (plus four rare ones per length taken from the corpus).
QUERIES = {
    1: ["区", "务", "养", "罚", "疫", "汛", "诉", "梯", "禁", "龘"],
    2: ["养老", "通知", "社区", "消防", "低保", "电梯", "反诈", "助餐", "垃圾", "量子"],
    3: ["东花市", "垃圾分", "老旧小", "接诉即", "办事处", "疫情防", "违法建", "流动人", "背街小", "火星车"],
    4: [
        "垃圾分类",
        "养老服务",
        "背街小巷",
        "疫情防控",
        "老旧小区",
        "行政处罚",
        "接诉即办",
        "加装电梯",
        "核酸检测",
        "量子计算",
    ],
}


def _corpus(n: int, seed: int = 20240612):
    """Deterministic synthetic published items as gongkai.search IndexRows, oldest first."""
    import datetime as dt
    import itertools

    from gongkai.search.backends import IndexRow
    from gongkai.search.tokens import is_han

    rng = random.Random(seed)
    cum = list(itertools.accumulate(1 / (i + 1) ** 0.9 for i in range(len(VOCABULARY))))
    # A long tail of rare words (names of places, firms, people): random pairs of Han characters.
    pool = [chr(c) for c in rng.sample(range(0x4E00, 0x9FA6), 3000)]
    categories = [f"art20_{i}" for i in range(1, 16)]
    start = dt.date(2008, 1, 1)
    days = (dt.date(2024, 12, 31) - start).days
    endings = ["的通知", "的公告", "情况", "工作方案", "的公示"]
    samples = {n // 3, 2 * n // 3}
    for pid in range(1, n + 1):
        title = (
            "关于"
            + "".join(rng.choices(VOCABULARY, cum_weights=cum, k=rng.randint(3, 6)))
            + rng.choice(endings)
        )
        words = rng.choices(VOCABULARY, cum_weights=cum, k=CHARS_PER_BODY // 3)
        rares = [rng.choice(pool) + rng.choice(pool) for _ in range(2)]
        for rare in rares:
            words.insert(rng.randrange(len(words)), rare)
        for i in range(7, len(words), 8):
            words[i] += rng.choice("，。；、")
        body = "".join(words) + "。"
        if pid in samples:
            # Rare queries of 1–4 characters that certainly occur: a pool character, the rare word, and the
            # rare word with the Han characters next to it (on whichever side punctuation does not cut).
            for rare in rares:
                at = body.index(rare)
                after, before = body[at : at + 4], body[max(0, at - 2) : at + 2]
                use_after = all(is_han(c) for c in after)
                window = after if use_after else before
                RARE_QUERIES[1].append(rare[0])
                RARE_QUERIES[2].append(rare)
                if len(window) == 4 and all(is_han(c) for c in window):
                    RARE_QUERIES[3].append(window[:3] if use_after else window[1:])
                    RARE_QUERIES[4].append(window)
        published = start + dt.timedelta(days=days * pid // n)
        doc_number = f"东花市发〔{published.year}〕{pid % 97 + 1}号" if rng.random() < 0.2 else ""
        yield IndexRow(
            publication_id=pid,
            title=title,
            doc_number=doc_number,
            body=body,
            category=rng.choice(categories),
            department_id=rng.randint(1, 12),
            published_on=published,
        )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def _like_scan(cursor, q: str) -> None:
    pattern = f"%{q}%"
    where = "title LIKE %s OR doc_number LIKE %s OR body LIKE %s"
    cursor.execute(f"SELECT count(*) FROM search_doc WHERE {where}", [pattern] * 3)
    cursor.fetchone()
    cursor.execute(
        f"SELECT key, title, doc_number, body FROM search_doc WHERE {where} ORDER BY published_on DESC LIMIT 20",
        [pattern] * 3,
    )
    cursor.fetchall()


def worker() -> None:
    """Runs in a subprocess whose environment already chose the database."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.config.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from gongkai.search.index import clear_index, index_rows, search

    call_command("migrate", "search", verbosity=0)
    clear_index()
    t0 = time.perf_counter()
    n = index_rows(_corpus(ITEMS), batch_size=5000)
    load_s = time.perf_counter() - t0
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("VACUUM ANALYZE search_doc")
        else:
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cur.execute("ANALYZE")

    per_len: dict[int, dict[str, list[float]]] = {}
    matches: dict[str, int] = {}
    for length, common in QUERIES.items():
        queries = common + RARE_QUERIES[length]
        idx_times: list[float] = []
        scan_times: list[float] = []
        for q in queries:
            page = search(q)  # warm the caches once, as a live site's would be
            matches[q] = page.total
            for _ in range(REPEAT):
                t = time.perf_counter()
                search(q)
                idx_times.append(time.perf_counter() - t)
            with connection.cursor() as cur:
                for _ in range(SCAN_REPEAT):
                    t = time.perf_counter()
                    _like_scan(cur, q)
                    scan_times.append(time.perf_counter() - t)
        per_len[length] = {"index": idx_times, "scan": scan_times}
    print(
        json.dumps(
            {
                "vendor": connection.vendor,
                "items": n,
                "load_s": load_s,
                "per_len": per_len,
                "matches": matches,
            }
        )
    )


def _run(vendor: str, env: dict[str, str]) -> dict | None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench.portal_search", "--worker"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        print(f"  {vendor}: worker failed\n{proc.stderr[-3000:]}")
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _report(result: dict) -> bool:
    ms = 1000.0
    print(f"  {result['vendor']}: {result['items']:,} items indexed in {result['load_s']:.0f} s")
    print(
        f"    {'chars':>5} {'index median':>13} {'index p95':>10} {'LIKE median':>12} {'LIKE p95':>10} {'speed-up':>9}"
    )
    all_idx: list[float] = []
    all_scan: list[float] = []
    for length, t in sorted(result["per_len"].items(), key=lambda kv: int(kv[0])):
        idx, scan = t["index"], t["scan"]
        all_idx += idx
        all_scan += scan
        speed = statistics.median(scan) / statistics.median(idx)
        print(
            f"    {length:>5} {statistics.median(idx) * ms:10.2f} ms {_percentile(idx, 0.95) * ms:7.2f} ms"
            f" {statistics.median(scan) * ms:9.1f} ms {_percentile(scan, 0.95) * ms:7.1f} ms {speed:8.0f}×"
        )
    p95 = _percentile(all_idx, 0.95) * ms
    speed = statistics.median(all_scan) / statistics.median(all_idx)
    print(
        f"    {'all':>5} {statistics.median(all_idx) * ms:10.2f} ms {p95:7.2f} ms"
        f" {statistics.median(all_scan) * ms:9.1f} ms {_percentile(all_scan, 0.95) * ms:7.1f} ms {speed:8.0f}×"
    )
    counts = ", ".join(f"{q}:{n}" for q, n in result["matches"].items())
    print(f"    results per query (capped per tier): {counts}")
    ok = p95 < P95_TARGET_MS and speed >= SPEEDUP_TARGET
    if result["vendor"] == "sqlite":
        verdict = "meets" if ok else "MISSES"
        print(f"    → {verdict} the SQLite targets (p95 < {P95_TARGET_MS} ms, ≥ {SPEEDUP_TARGET}× the scan)")
    return ok


def main() -> None:
    print(f"== portal search: {ITEMS:,} published items (GONGKAI_BENCH_SCALE={SCALE:g}) ==")
    base_env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GONGKAI_HOME")}
    base_env["UV_PYTHON_DOWNLOADS"] = "never"
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
        result = _run("sqlite", {**base_env, "GONGKAI_HOME": tmp})
        if result:
            _report(result)
    pg_script = ROOT / "scripts" / "pg-throwaway.sh"
    pg_env = {**base_env, "GONGKAI_PG_DIR": "/tmp/gongkai-pg-bench"}
    started = subprocess.run([str(pg_script), "start"], env=pg_env, capture_output=True, text=True)
    if started.returncode != 0:
        print("  postgresql: not available, skipped (" + started.stderr.strip().splitlines()[-1] + ")")
        return
    try:
        with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as tmp:
            url = started.stdout.strip()
            result = _run("postgresql", {**base_env, "GONGKAI_HOME": tmp, "DATABASE_URL": url})
            if result:
                _report(result)
    finally:
        subprocess.run([str(pg_script), "stop"], env=pg_env, capture_output=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--worker"]:
        worker()
    else:
        main()
