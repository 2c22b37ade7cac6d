"""季度分析研判 (MGT.4.REVIEW) at county scale: one county of 2,000 posted cadres (500
villages) with three closed months of ``MonthlyAttendance`` (about one cadre in ten below
working days without a valid reason in two months) and some discipline records. Measured,
in this process (Django test client, a logged-in county user, no HTTP server):

* ``review_start`` — one row per posted cadre (INSERT of 2,000 entries, audited);
* the review page, first page (50 rows: facts in SQL, evidence and suggestions of the page);
* the same page filtered to the rows with a suggestion (仅显示有召回情形提示的);
* the 研判表 .xlsx of all 2,000 rows.

Target: the page renders in well under a second (p95 < 300 ms, like bench/pages.py).

    .venv/bin/python -m bench.review_bench            # database zhucun_quarterly (created)
    ZHUCUN_REVIEW_BENCH_DB=other .venv/bin/python -m bench.review_bench

The data are written once (kept while the database exists); each run deletes the previous
run's review first. Results: bench/results/review-<date>-<host>.md and .json. Not part of the
test suite: timings are printed, never asserted."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import random
import socket
import sys
import time
from decimal import Decimal
from typing import Any

from .common import (
    RESULTS_DIR,
    Timer,
    bench_env,
    median,
    percentile,
    pg_create,
    pg_exists,
    pg_url,
    zhucun,
)

DB = os.environ.get("ZHUCUN_REVIEW_BENCH_DB", "zhucun_quarterly")
CADRES = 2000
PER_VILLAGE = 4
TOWNSHIPS = 10
RUNS = 20
TARGET_P95_MS = 300.0
COUNTY_CODE = "533103000000"


def _setup() -> None:
    url = pg_url(DB)
    if not pg_exists(DB):
        pg_create(DB)
    zhucun("migrate", "--noinput", database_url=url)
    for key, value in bench_env(url).items():
        if key.startswith(("DATABASE_URL", "SECRET_KEY", "ZHUCUN_", "DJANGO_")):
            os.environ[key] = value
    import django

    django.setup()


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id_number(serial: int) -> str:
    """A valid 18-digit ID number (check digit of GB 11643), distinct per serial."""
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=serial // 1000 * 400 + serial % 1000 * 7)
    body = f"533103{birth:%Y%m%d}{serial % 1000:03d}"
    check = sum(int(d) * w for d, w in zip(body, _ID_WEIGHTS, strict=True)) % 11
    return body + "10X98765432"[check]


def _seed() -> Any:
    """The county, its villages, cadres, postings, three months and discipline records."""
    from django.db import transaction
    from django.utils import timezone

    from zhucun.accounts.models import User, UserRole
    from zhucun.attendance.models import MonthlyAttendance
    from zhucun.registry import services as S
    from zhucun.registry.models import Cadre, Jurisdiction, Posting, Village
    from zhucun.review.models import DisciplineRecord

    county = Jurisdiction.objects.filter(code=COUNTY_CODE).first()
    user = User.objects.filter(username="bench_review_county").first()
    if county is not None and user is not None:
        return user
    admin = User.objects.filter(username="bench_review_admin").first() or (
        User.objects.create_user("bench_review_admin", password="x", role=UserRole.ADMIN)
    )
    print("  写入数据:1个县、500个村、2,000名驻村干部、3个月出勤、纪律处理记录……")
    S.jurisdiction_create(
        actor=admin, code="533100000000", name="德宏傣族景颇族自治州", level="prefecture"
    )
    S.jurisdiction_create(
        actor=admin, code=COUNTY_CODE, name="芒市", level="county", parent_code="533100000000"
    )
    for t in range(TOWNSHIPS):
        S.jurisdiction_create(
            actor=admin,
            code=f"533103{t + 101:03d}000",
            name=f"第{t + 1}镇",
            level="township",
            parent_code=COUNTY_CODE,
        )
    villages = CADRES // PER_VILLAGE
    for v in range(villages):
        t = v % TOWNSHIPS
        S.village_create(
            actor=admin,
            code=f"533103{t + 101:03d}{v // TOWNSHIPS + 1:03d}",
            name=f"第{t + 1}镇{v // TOWNSHIPS + 1}村",
            township_code=f"533103{t + 101:03d}000",
        )
    unit = S.unit_create(
        actor=admin,
        data={
            "name": "芒市人民医院",
            "level": "county",
            "kind": "institution",
            "jurisdiction_code": COUNTY_CODE,
        },
    )
    rng = random.Random(1)
    village_list = list(Village.objects.filter(jurisdiction__path__startswith=_path(COUNTY_CODE)))
    with transaction.atomic():
        cadres = Cadre.objects.bulk_create(
            Cadre(
                name=f"干部{i:04d}",
                gender="男" if i % 2 else "女",
                ethnicity="汉族",
                id_number=_id_number(1000 + i),
                birth_date=dt.date(1985, 1, 1),
                unit=unit,
                party_status="full",
                work_start_date=dt.date(2008, 8, 1),
            )
            for i in range(CADRES)
        )
        postings = Posting.objects.bulk_create(
            Posting(
                cadre=c,
                village=village_list[i // PER_VILLAGE],
                role="first_secretary" if i % PER_VILLAGE == 0 else "team_member",
                arrival_date=dt.date(2024, 3, 1),
                status="active",
            )
            for i, c in enumerate(cadres)
        )
        now = timezone.now()
        months = _quarter_months()
        rows = []
        for p in postings:
            short_months = set(rng.sample(range(3), 2)) if rng.random() < 0.1 else set()
            for k, m in enumerate(months):
                short = k in short_months
                duty = 12 if short else 21
                rows.append(
                    MonthlyAttendance(
                        month=m,
                        township_id=p.village.township_id,
                        village=p.village,
                        cadre_id=p.cadre_id,
                        workdays=21,
                        duty_workdays=duty,
                        rate=(Decimal(duty) / 21).quantize(Decimal("0.0001")),
                        rank=1,
                        bottom_rank=1,
                        is_bottom=short,
                        tie=False,
                        needs_interview=short,
                        computed_at=now,
                    )
                )
        MonthlyAttendance.objects.bulk_create(rows, batch_size=2000)
        DisciplineRecord.objects.bulk_create(
            DisciplineRecord(
                cadre=cadres[rng.randrange(CADRES)],
                occurred_on=months[1] + dt.timedelta(days=rng.randrange(28)),
                description="基准测试:工作日不在村",
                found_by="乡镇督查",
                outcome="admonition",
                prohibition="reside",
                recorder_kind="county",
                recorded_by=admin,
            )
            for _ in range(60)
        )
    return User.objects.create_user(
        "bench_review_county",
        password="bench-Pass-2026",
        role=UserRole.COUNTY,
        jurisdiction=Jurisdiction.objects.get(code=COUNTY_CODE),
    )


def _path(code: str) -> str:
    from zhucun.registry.models import Jurisdiction

    return Jurisdiction.objects.get(code=code).path


def _last_quarter() -> tuple[int, int]:
    today = dt.date.today()
    q = (today.month - 1) // 3  # the last complete quarter
    return (today.year, q) if q else (today.year - 1, 4)


def _quarter_months() -> tuple[dt.date, ...]:
    from zhucun.policy.review import quarter_months

    return quarter_months(*_last_quarter())


def _timed(client: Any, url: str, runs: int) -> list[float]:
    client.get(url)  # warm-up
    out = []
    for _ in range(runs):
        with Timer() as t:
            r = client.get(url)
        assert r.status_code == 200, (url, r.status_code)
        out.append(t.seconds * 1000)
    return out


def main() -> int:
    _setup()
    from django.db import connection, transaction
    from django.test import Client

    from zhucun.review.models import QuarterlyReview, ReviewCorrection, ReviewEntry
    from zhucun.review.services.quarterly import review_start

    user = _seed()
    year, quarter = _last_quarter()
    with transaction.atomic():  # the previous run's review (untimed)
        old = QuarterlyReview.objects.filter(county__code=COUNTY_CODE, year=year, quarter=quarter)
        ReviewCorrection.objects.filter(entry__review__in=old).delete()
        ReviewEntry.objects.filter(review__in=old).delete()
        old.delete()
    with Timer() as t_start:
        review = review_start(actor=user, year=year, quarter=quarter)
    entries = review.entries.count()
    client = Client()
    client.force_login(user)
    url = f"/review/quarterly/{review.pk}/"
    first = _timed(client, url, RUNS)
    suggested = _timed(client, url + "?suggested=1", RUNS)
    queries: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(url)
    with Timer() as t_xlsx:
        x = client.get(url + "xlsx/")
    assert x.status_code == 200
    figures = {
        "database": DB,
        "quarter": f"{year}Q{quarter}",
        "entries": entries,
        "review_start_ms": round(t_start.seconds * 1000, 1),
        "page_first_p50_ms": round(median(first), 1),
        "page_first_p95_ms": round(percentile(first, 95), 1),
        "page_suggested_p50_ms": round(median(suggested), 1),
        "page_suggested_p95_ms": round(percentile(suggested, 95), 1),
        "page_queries": len(queries),
        "xlsx_ms": round(t_xlsx.seconds * 1000, 1),
        "xlsx_bytes": len(x.content),
        "target_p95_ms": TARGET_P95_MS,
        "met": max(percentile(first, 95), percentile(suggested, 95)) < TARGET_P95_MS,
    }
    lines = [
        f"# 季度分析研判基准({time.strftime('%Y-%m-%d %H:%M')},{socket.gethostname()})",
        "",
        f"Python {platform.python_version()},{os.cpu_count()} 核;数据库 {DB};"
        f"{figures['quarter']},研判对象 {entries:,} 人(一个县)。页面在本进程内以测试客户端渲染"
        "(无 HTTP 服务器)。",
        "",
        "| 项目 | 结果 |",
        "|---|---|",
        f"| 开始研判 review_start(写入 {entries:,} 行) | {figures['review_start_ms']} ms |",
        f"| 研判页第一页 p50 / p95 | {figures['page_first_p50_ms']} / "
        f"{figures['page_first_p95_ms']} ms |",
        f"| 仅显示有召回情形提示的 p50 / p95 | {figures['page_suggested_p50_ms']} / "
        f"{figures['page_suggested_p95_ms']} ms |",
        f"| 研判页查询数 | {figures['page_queries']} |",
        f"| 研判表 xlsx(全部 {entries:,} 行) | {figures['xlsx_ms']} ms,"
        f"{figures['xlsx_bytes']:,} 字节 |",
        f"| 目标 p95 < {TARGET_P95_MS:.0f} ms | {'达到' if figures['met'] else '未达到'} |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    RESULTS_DIR.mkdir(exist_ok=True)
    stem = RESULTS_DIR / f"review-{time.strftime('%Y-%m-%d')}-{socket.gethostname()}"
    stem.with_suffix(".md").write_text(text, encoding="utf-8")
    stem.with_suffix(".json").write_text(
        json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
