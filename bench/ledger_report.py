"""The annual report over a big generated ledger, on SQLite and PostgreSQL, against hand-written SQL.

The ledger: 1,000,000 requests, 1,000,000 publications and 1,000,000 channel posts (with the smaller
tables in proportion) over 2013–2026; the report year is 2024. The baseline computes the same figures
with one hand-written SQL statement per ledger table (conditional aggregates, a single pass each) in
the same run on the same database; the target is ``build_annual_report`` within 2× of it. Absolute
times, the ratio and peak memory (tracemalloc during the build, and the process's maxrss) are printed.

``GONGKAI_BENCH_SCALE=0.01`` runs a hundredth of the volume. The SQLite ledger is cached in
``/tmp/gongkai-bench`` between runs; PostgreSQL runs on its own throwaway cluster, deleted afterwards.
Each backend runs in a child process because Django's settings pick the database at start-up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2024
FIRST_DAY, LAST_DAY = dt.date(2013, 1, 1), dt.date(2026, 10, 31)
CACHE = Path(os.environ.get("GONGKAI_BENCH_DIR", "/tmp/gongkai-bench"))
PG_DIR = "/tmp/gongkai-pg-bench"
DATA_VERSION = 1  # bump when the generator changes, so a cached SQLite ledger is rebuilt
TARGET_RATIO = 2.0


def scale() -> float:
    value = float(os.environ.get("GONGKAI_BENCH_SCALE", "1"))
    if not 0 < value <= 10:
        raise SystemExit("GONGKAI_BENCH_SCALE 应在 (0, 10] 之间")
    return value


def sizes(s: float) -> dict[str, int]:
    def n(base: int, floor: int = 10) -> int:
        return max(floor, int(base * s))

    return {
        "requests": n(1_000_000),
        "publications": n(1_000_000),
        "posts": n(1_000_000),
        "interpretations": n(50_000),
        "appeals": n(10_000),
        "fees": n(5_000),
        "matters": n(2_000),
        "decisions": n(100_000),
        "fee_collections": n(20_000),
        "procurement": n(20_000),
    }


# -- parent: one child per backend ---------------------------------------------------------------------


def main() -> None:
    s = scale()
    counts = sizes(s)
    print(
        f"== ledger → annual report {YEAR}: {counts['requests']:,} requests, "
        f"{counts['publications']:,} publications + {counts['posts']:,} channel posts (scale {s:g}) =="
    )
    backends = os.environ.get("GONGKAI_BENCH_BACKENDS", "sqlite,postgresql").split(",")
    if "sqlite" in backends:
        _child({"GONGKAI_HOME": str(CACHE / f"sqlite-{s:g}")}, "SQLite")
    if "postgresql" not in backends:
        return
    pg = ROOT / "scripts" / "pg-throwaway.sh"
    if not list(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")):
        print("PostgreSQL 未安装：跳过（Debian: apt-get install postgresql）")
        return
    env = {**os.environ, "GONGKAI_PG_DIR": PG_DIR}
    url = subprocess.run(
        [str(pg), "start"], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    try:
        bench_url = url.rsplit("/", 1)[0] + "/gongkai_bench"
        subprocess.run(
            [sys.executable, "-c", _CREATE_DB, url, "gongkai_bench"],
            check=True,
            capture_output=True,
            text=True,
        )
        _child({"DATABASE_URL": bench_url}, "PostgreSQL")
    finally:
        subprocess.run([str(pg), "stop"], env=env, capture_output=True, text=True)


_CREATE_DB = """
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    c.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}"')
    c.execute(f'CREATE DATABASE "{sys.argv[2]}"')
"""


def _child(extra_env: dict[str, str], label: str) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "GONGKAI_HOME")}
    env.update(extra_env, GONGKAI_LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="gongkai.config.settings")
    print(f"-- {label}", flush=True)
    subprocess.run([sys.executable, "-m", "bench.ledger_report"], env=env, cwd=ROOT, check=True)


# -- child: build (or reuse) the ledger, then time both ways ------------------------------------------


def child() -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    s = scale()
    counts = sizes(s)
    marker = _marker_path()
    wanted = {"version": DATA_VERSION, "sizes": counts, "migrations": _applied_migrations()}
    if marker is not None and marker.exists() and json.loads(marker.read_text()) == wanted:
        print(f"   reusing the generated ledger in {connection.settings_dict['NAME']}", flush=True)
    else:
        started = time.perf_counter()
        _generate(counts)
        print(f"   generated the ledger in {time.perf_counter() - started:.0f} s", flush=True)
        if marker is not None:
            marker.write_text(json.dumps(wanted))
    _measure()
    from bench import ranking

    ranking.measure()  # the quarterly 考核排名 on the same ledger (issue 14)


def _marker_path() -> Path | None:
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    return Path(str(connection.settings_dict["NAME"])).with_suffix(".bench.json")


def _applied_migrations() -> list[str]:
    from django.db.migrations.recorder import MigrationRecorder

    return sorted(
        f"{app}.{name}" for app, name in MigrationRecorder.Migration.objects.values_list("app", "name")
    )


def _measure() -> None:
    from django.db import connection, reset_queries

    from gongkai.reporting.selectors import build_annual_report

    build_annual_report(YEAR)  # warm the caches and the connection once
    baseline_figures = baseline(YEAR)
    report = build_annual_report(YEAR)
    _assert_same_figures(report, baseline_figures)

    ours = _best(lambda: build_annual_report(YEAR))
    base = _best(lambda: baseline(YEAR))
    reset_queries()
    tracemalloc.start()
    build_annual_report(YEAR)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ratio = ours / base
    verdict = "OK" if ratio <= TARGET_RATIO else f"over the {TARGET_RATIO:g}× target"
    print(f"   database            {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"   build_annual_report {ours * 1000:9.1f} ms   (best of 3)")
    print(f"   hand-written SQL    {base * 1000:9.1f} ms   (best of 3)")
    print(f"   ratio               {ratio:9.2f}×      {verdict}")
    print(
        f"   peak memory         {peak / 1024:9.1f} KiB traced during one build; process maxrss {rss:.0f} MiB"
    )
    print(
        f"   figures             新收 {report.requests['new_received']['total']:,}  "
        f"上年结转 {report.requests['carried_over']['total']:,}  办结 {report.requests['total']['total']:,}  "
        f"结转下年度 {report.requests['carried_forward']['total']:,}",
        flush=True,
    )


def _best(fn: Callable[[], object], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


# -- the baseline: one hand-written statement per ledger table -------------------------------------------


def baseline(year: int) -> dict[str, Any]:
    """The report's figures by hand-written SQL: a single conditional-aggregate pass over each table."""
    from django.db import connection

    a, b = dt.date(year, 1, 1).isoformat(), dt.date(year, 12, 31).isoformat()
    month = (
        "strftime('%%m', transferred_on)"
        if connection.vendor == "sqlite"
        else "EXTRACT(MONTH FROM transferred_on)"
    )
    true = "1" if connection.vendor == "sqlite" else "TRUE"
    statements = {
        "items": (
            f"SELECT COUNT(*), SUM(CASE WHEN key_area = {true} THEN 1 ELSE 0 END) FROM publications_publication"
            " WHERE published_on BETWEEN %s AND %s",
            [a, b],
        ),
        "documents": (
            "SELECT doc_kind,"
            " SUM(CASE WHEN formed_on BETWEEN %s AND %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN published_on BETWEEN %s AND %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN published_on <= %s AND (withdrawn_on IS NULL OR withdrawn_on > %s)"
            "  AND (repealed_on IS NULL OR repealed_on > %s) THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN repealed_on BETWEEN %s AND %s THEN 1 ELSE 0 END)"
            " FROM publications_publication WHERE category = 'art20_1' AND doc_kind IN ('rules', 'normative_documents')"
            " GROUP BY doc_kind",
            [a, b, a, b, b, b, b, a, b],
        ),
        "posts": (
            "SELECT channel, COUNT(*) FROM publications_channelpost WHERE posted_on BETWEEN %s AND %s GROUP BY channel",
            [a, b],
        ),
        "interpretations": (
            "SELECT COUNT(*) FROM publications_policyinterpretation WHERE published_on BETWEEN %s AND %s",
            [a, b],
        ),
        "archive": (
            f"SELECT recipient, SUM(copies), COUNT(*), COUNT(DISTINCT {month}) FROM publications_archivetransfer"
            " WHERE transferred_on BETWEEN %s AND %s GROUP BY recipient",
            [a, b],
        ),
        "matters": (
            "SELECT kind,"
            " SUM(CASE WHEN established_on < %s AND (abolished_on IS NULL OR abolished_on >= %s) THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN established_on >= %s THEN 1 ELSE 0 END)"
            " - SUM(CASE WHEN abolished_on BETWEEN %s AND %s THEN 1 ELSE 0 END)"
            " FROM publications_servicematter WHERE established_on <= %s GROUP BY kind",
            [a, a, a, a, b, b],
        ),
        "decisions": (
            "SELECT kind, SUM(count) FROM publications_administrativedecision WHERE decided_on BETWEEN %s AND %s"
            " GROUP BY kind",
            [a, b],
        ),
        "procurement": (
            "SELECT COUNT(*), SUM(amount_wan) FROM publications_procurementproject WHERE contracted_on BETWEEN %s AND %s",
            [a, b],
        ),
        "fee_collections": (
            "SELECT SUM(amount_wan) FROM publications_feecollection WHERE collected_on BETWEEN %s AND %s",
            [a, b],
        ),
        "requests": (
            "SELECT applicant_type, outcome,"
            " SUM(CASE WHEN received_on >= %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN received_on < %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN closed_on <= %s THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN closed_on IS NULL OR closed_on > %s THEN 1 ELSE 0 END)"
            " FROM inforequests_inforequest WHERE received_on <= %s AND (closed_on IS NULL OR closed_on >= %s)"
            " GROUP BY applicant_type, outcome",
            [a, a, b, b, b, a],
        ),
        "appeals": (
            "SELECT kind, result, COUNT(*), SUM(CASE WHEN decided_on <= %s THEN 1 ELSE 0 END)"
            " FROM appeals_appeal WHERE filed_on BETWEEN %s AND %s GROUP BY kind, result",
            [b, a, b],
        ),
        "fees": (
            f"SELECT SUM(amount_yuan) FROM inforequests_fee WHERE paid_on BETWEEN %s AND %s AND waived <> {true}",
            [a, b],
        ),
    }
    out: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for name, (sql, params) in statements.items():
            cursor.execute(sql, params)
            out[name] = cursor.fetchall()
    return out


def _assert_same_figures(report: Any, figures: dict[str, Any]) -> None:
    """The roll-up and the baseline must agree, or the timing compares different work."""
    new = sum(int(r[2] or 0) for r in figures["requests"])
    over = sum(int(r[3] or 0) for r in figures["requests"])
    closed = sum(int(r[4] or 0) for r in figures["requests"] if r[1] is not None)
    forward = sum(int(r[5] or 0) for r in figures["requests"])
    got = (
        report.requests["new_received"]["total"],
        report.requests["carried_over"]["total"],
        report.requests["total"]["total"],
        report.requests["carried_forward"]["total"],
    )
    assert got == (new, over, closed, forward), (got, (new, over, closed, forward))
    appeals = sum(int(r[2]) for r in figures["appeals"])
    assert sum(g["total"] for g in report.appeals.values()) == appeals
    docs = {r[0]: r for r in figures["documents"]}
    nd = docs.get("normative_documents")
    if nd is not None and report.format == "2021":
        assert report.proactive["art20_1.normative_documents"] == {
            "issued": int(nd[1]),
            "repealed": int(nd[4]),
            "in_force": int(nd[3]),
        }


# -- the generator: raw multi-row inserts (SQLite) or COPY (PostgreSQL) --------------------------------


def _generate(counts: dict[str, int]) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("flush", interactive=False, verbosity=0)
    rng = random.Random(20240101)
    days = [FIRST_DAY + dt.timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]
    iso = [d.isoformat() for d in days]
    dept_ids, user_id = _organisation()
    pub_start = _next_id("publications_publication")
    _load("publications", "Publication", _publications(rng, iso, counts["publications"], dept_ids, user_id))
    _load("publications", "ChannelPost", _posts(rng, iso, counts["posts"]))
    _load(
        "publications",
        "PolicyInterpretation",
        (
            {
                "title": "解读",
                "policy_id": rng.randrange(pub_start, pub_start + counts["publications"]),
                "published_on": rng.choice(iso),
            }
            for _ in range(counts["interpretations"])
        ),
    )
    _load("publications", "ArchiveTransfer", _transfers())
    _load("publications", "ServiceMatter", _matters(rng, days, counts["matters"], dept_ids))
    _load(
        "publications",
        "AdministrativeDecision",
        (
            {
                "kind": rng.choice(_DECISION_KINDS),
                "department_id": rng.choice(dept_ids),
                "decided_on": rng.choice(iso),
                "count": rng.randint(1, 5),
            }
            for _ in range(counts["decisions"])
        ),
    )
    _load(
        "publications",
        "FeeCollection",
        (
            {
                "department_id": rng.choice(dept_ids),
                "collected_on": rng.choice(iso),
                "amount_wan": _money(rng),
            }
            for _ in range(counts["fee_collections"])
        ),
    )
    _load(
        "publications",
        "ProcurementProject",
        (
            {
                "name": "采购项目",
                "department_id": rng.choice(dept_ids),
                "contracted_on": rng.choice(iso),
                "amount_wan": _money(rng),
            }
            for _ in range(counts["procurement"])
        ),
    )
    req_start = _next_id("inforequests_inforequest")
    closed_ids: list[int] = []
    _load(
        "inforequests",
        "InfoRequest",
        _requests(rng, days, counts["requests"], dept_ids, req_start, closed_ids),
    )
    _load("inforequests", "Fee", _fees(rng, closed_ids[: counts["fees"]]))
    _load("appeals", "Appeal", _appeals(rng, days, counts["appeals"]))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _organisation() -> tuple[list[int], int]:
    from django.contrib.auth import get_user_model

    from gongkai.org.models import Department, Organisation

    org = Organisation.objects.create(name="基准测试区人民政府办公室", kind="department")
    depts = [Department.objects.create(organisation=org, name=f"科室{i}").pk for i in range(1, 9)]
    user = get_user_model().objects.create_user("bench", password=None)
    return depts, user.pk


def _next_id(table: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return int(cursor.fetchone()[0])


_CATEGORIES = [f"art20_{i}" for i in range(1, 16)]
_CHANNELS = ("website", "website", "weibo", "wechat")
_APPLICANTS = ("natural_person",) * 17 + (
    "commercial",
    "commercial",
    "legal_service",
    "research",
    "public_interest",
    "other",
)
_OUTCOMES = (
    ("granted",) * 40
    + ("partial",) * 10
    + ("refused.state_secret", "refused.third_party", "refused.internal", "refused.process", "refused.query")
    + ("unavailable.not_held",) * 20
    + (
        "unavailable.needs_creation",
        "unavailable.unclear",
        "not_processed.complaint",
        "not_processed.repeated",
    )
    + ("not_processed.publication", "not_processed.excessive", "not_processed.confirm")
    + ("other.no_correction", "other.unpaid_fee", "other.other")
)
_DECISION_KINDS = ("licensing", "inspection", "confirmation", "penalty", "enforcement")
_MATTER_KINDS = ("licensing", "inspection", "confirmation", "penalty", "enforcement", "fee_item")


def _money(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(1, 5_000_000)).scaleb(-4)


def _publications(
    rng: random.Random, iso: list[str], n: int, depts: list[int], user: int
) -> Iterator[dict[str, Any]]:
    last = len(iso) - 1
    for _ in range(n):
        category = rng.choice(_CATEGORIES)
        doc_kind = ""
        if category == "art20_1":
            doc_kind = rng.choice(("normative_documents", "normative_documents", "rules", ""))
        formed = rng.randrange(0, last)
        row: dict[str, Any] = {
            "title": "信息",
            "category": category,
            "doc_kind": doc_kind,
            "key_area": rng.random() < 0.15,
            "department_id": rng.choice(depts),
            "formed_on": iso[formed],
            "drafter_id": user,
        }
        roll = rng.random()
        if roll < 0.08:
            row["status"] = "draft"
        else:
            published = min(last, formed + rng.randint(0, 20))
            row["published_on"] = iso[published]
            if roll < 0.10:
                row["status"] = "withdrawn"
                row["withdrawn_on"] = iso[min(last, published + rng.randint(1, 300))]
            else:
                row["status"] = "published"
            if doc_kind and rng.random() < 0.2:
                row["repealed_on"] = iso[min(last, published + rng.randint(30, 2000))]
        yield row


def _posts(rng: random.Random, iso: list[str], n: int) -> Iterator[dict[str, Any]]:
    for _ in range(n):
        yield {"channel": rng.choice(_CHANNELS), "title": "推送", "posted_on": rng.choice(iso)}


def _transfers() -> Iterator[dict[str, Any]]:
    for year in range(FIRST_DAY.year, LAST_DAY.year + 1):
        for month in range(1, 13):
            on = dt.date(year, month, 25)
            if on > LAST_DAY:
                return
            for recipient in ("区档案馆", "区图书馆", "区政务服务中心"):
                yield {"transferred_on": on.isoformat(), "recipient": recipient, "copies": 1}


def _matters(rng: random.Random, days: list[dt.date], n: int, depts: list[int]) -> Iterator[dict[str, Any]]:
    for _ in range(n):
        established = rng.randrange(0, len(days))
        row = {
            "kind": rng.choice(_MATTER_KINDS),
            "name": "事项",
            "department_id": rng.choice(depts),
            "established_on": days[established].isoformat(),
        }
        if rng.random() < 0.3:
            row["abolished_on"] = days[min(len(days) - 1, established + rng.randint(0, 2000))].isoformat()
        yield row


def _requests(
    rng: random.Random, days: list[dt.date], n: int, depts: list[int], first_id: int, closed_ids: list[int]
) -> Iterator[dict[str, Any]]:
    last = len(days) - 1
    for i in range(n):
        received = rng.randrange(0, last)
        row: dict[str, Any] = {
            "reference": f"B{i}",
            "channel": "in_person",
            "submitted_on": days[received].isoformat(),
            "applicant_type": rng.choice(_APPLICANTS),
            "applicant_name": "申请人",
            "description": "申请",
            "department_id": rng.choice(depts),
        }
        roll = rng.random()
        if roll < 0.01:
            row["status"] = "awaiting_confirmation"
        else:
            row["received_on"] = days[received].isoformat()
            if roll < 0.05:
                row["status"] = "open"
            else:
                outcome = rng.choice(_OUTCOMES)
                row["outcome"] = outcome
                row["closed_on"] = days[min(last, received + rng.randint(1, 60))].isoformat()
                row["status"] = (
                    "closed" if outcome in ("other.no_correction", "other.unpaid_fee") else "answered"
                )
                closed_ids.append(first_id + i)
        yield row


def _fees(rng: random.Random, request_ids: list[int]) -> Iterator[dict[str, Any]]:
    for pk in request_ids:
        day = (FIRST_DAY + dt.timedelta(days=rng.randrange(0, 4000))).isoformat()
        yield {
            "request_id": pk,
            "method": "per_page",
            "quantity": 60,
            "amount_yuan": Decimal("300.00"),
            "notified_on": day,
            "paid_on": day if rng.random() < 0.8 else None,
        }


def _appeals(rng: random.Random, days: list[dt.date], n: int) -> Iterator[dict[str, Any]]:
    last = len(days) - 1
    for _ in range(n):
        filed = rng.randrange(0, last)
        row = {
            "kind": rng.choice(("review", "review", "litigation_direct", "litigation_after_review")),
            "appellant": "申请人",
            "filed_on": days[filed].isoformat(),
        }
        result = rng.choice(("upheld", "upheld", "corrected", "other", "pending"))
        row["result"] = result
        if result != "pending":
            row["decided_on"] = days[min(last, filed + rng.randint(10, 200))].isoformat()
        yield row


def _default(field: Any) -> Any:
    from django.db import connection, models
    from django.utils import timezone

    if field.has_default():
        value = field.get_default()
    elif field.null:
        return None
    elif isinstance(field, models.DateTimeField):
        value = timezone.now()  # auto_now fields: save() would have set them
    else:
        value = field.get_default()  # "" for text
    return field.get_db_prep_save(value, connection)


def _load(app: str, model_name: str, rows: Iterator[dict[str, Any]], batch: int = 20_000) -> None:
    """Insert plain rows fast: COPY on PostgreSQL, multi-row executemany on SQLite; defaults filled in once."""
    from django.apps import apps
    from django.db import connection, transaction

    model = apps.get_model(app, model_name)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    names = [f.attname for f in fields]
    defaults = [_default(f) for f in fields]
    index = {name: i for i, name in enumerate(names)}
    table = model._meta.db_table

    def tuples() -> Iterator[list[Any]]:
        for row in rows:
            values = list(defaults)
            for key, value in row.items():
                values[index[key]] = value
            yield values

    with transaction.atomic():
        _insert(connection, table, columns, tuples(), batch)


def _insert(connection: Any, table: str, columns: list[str], tuples: Iterator[list[Any]], batch: int) -> None:
    # One transaction per table: PostgreSQL queues a deferred foreign-key check per row until COMMIT.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    raw = connection.connection
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for values in tuples:
                copy.write_row(values)
        return
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    cursor = raw.cursor()
    chunk: list[list[Any]] = []
    for values in tuples:
        chunk.append([str(v) if isinstance(v, Decimal) else v for v in values])
        if len(chunk) >= batch:
            cursor.executemany(sql, chunk)
            chunk.clear()
    if chunk:
        cursor.executemany(sql, chunk)


if __name__ == "__main__":
    child()
