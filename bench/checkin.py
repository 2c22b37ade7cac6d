"""Check-in throughput through the real HTTP stack, side by side with the database's own limit.

Ours: ``zhucun serve`` (gunicorn, production settings) with PostgreSQL; a separate load
process keeps 16 keep-alive connections busy with ``POST /api/v1/checkins`` (a different
cadre's bearer token and a fresh client key each time, positions on the village's point),
and times every request. Baseline, in the same run: the same row INSERTed and COMMITted one
at a time directly with psycopg over 8 connections. Target: ours ≥ 50 % of the raw rate, and
p99 < 100 ms. Every acknowledged (201) check-in is then counted in the database."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import random
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from bench.common import (
    DATA_DIR,
    Context,
    Result,
    driver_main,
    percentile,
    ratio,
    run_driver,
)
from bench.pages import Server

NAME = "checkin"
CONCURRENCY = 16
RAW_CONNECTIONS = 8
PHONES = 50_000  # every cadre of a province: about one check-in each per run, as on a real morning


def run(ctx: Context) -> list[Result]:
    scale = ctx.scale_for("province")
    url = ctx.database_url(scale)
    seconds = 5.0 if ctx.quick else 20.0
    phones = DATA_DIR / "checkin-phones.json"
    prepared = run_driver("checkin", "prepare", str(phones), database_url=url, timeout=600)
    raw = run_driver(
        "checkin", "raw", str(phones), url, str(seconds), database_url=url, timeout=seconds * 4
    )
    workers = int(os.environ.get("ZHUCUN_BENCH_WORKERS", "2"))
    threads = int(os.environ.get("ZHUCUN_BENCH_THREADS", "8"))
    server = Server(url, ctx, workers=workers, threads=threads, log_name="checkin-server.log")
    with server:
        ours = run_driver(
            "checkin",
            "load",
            str(phones),
            str(server.port),
            str(seconds),
            database_url=url,
            timeout=seconds * 4 + 60,
        )
    stored = run_driver("checkin", "count", ours["keys_file"], database_url=url, timeout=600)
    r = ratio(ours["rate"], raw["rate"])
    ctx.details[NAME] = {
        "scale": scale,
        "server": f"zhucun serve --workers {workers} --threads {threads}",
        "concurrency": CONCURRENCY,
        "raw_connections": RAW_CONNECTIONS,
        "seconds": seconds,
        "prepared": prepared,
        "raw": raw,
        "ours": {k: v for k, v in ours.items() if k != "keys_file"},
        "stored": stored,
    }
    lost = ours["acknowledged"] - stored["found"]
    note = (
        f"{scale}规模;gunicorn {workers}进程×{threads}线程;已确认 {ours['acknowledged']} 条,"
        f"库中找到 {stored['found']} 条(缺 {lost});错误 {ours['errors']}"
    )
    return [
        Result(
            bench="签到吞吐(HTTP,并发16)",
            metric="次/秒",
            ours=ours["rate"],
            baseline=raw["rate"],
            ratio=r,
            target="≥ 50% 原生插入(psycopg 8连接逐条提交)",
            met=None if r is None else r >= 0.5,
            note=note,
        ),
        Result(
            bench="签到延迟 p99(HTTP,并发16)",
            metric="毫秒",
            ours=ours["p99_ms"],
            baseline=raw["p99_ms"],
            ratio=ratio(ours["p99_ms"], raw["p99_ms"]),
            target="< 100 ms",
            met=ours["p99_ms"] < 100,
            note=f"p50 {ours['p50_ms']:.1f} ms;原生插入 p50 {raw['p50_ms']:.1f} ms",
        ),
    ]


# ---- drivers --------------------------------------------------------------------------------


def drive_prepare(args: list[str]) -> dict[str, Any]:
    """Tokens for up to PHONES posted cadres (old bench tokens replaced) and each one's
    village point in WGS-84, written to a JSON file for the load and raw drivers."""
    from django.db import transaction

    from zhucun.accounts.models import CADRE_ROLES, ApiToken, User
    from zhucun.policy.geo import gcj02_to_wgs84
    from zhucun.registry.models import Posting, PostingStatus

    postings = (
        Posting.objects.filter(status=PostingStatus.ACTIVE, village__checkin_lat__isnull=False)
        .select_related("village")
        .order_by("pk")
    )
    users = {
        u.cadre_id: u
        for u in User.objects.filter(role__in=CADRE_ROLES, is_active=True, cadre__isnull=False)
        .filter(cadre__postings__status=PostingStatus.ACTIVE)
        .order_by("pk")[: PHONES * 2]
    }
    phones: list[dict[str, Any]] = []
    tokens: list[ApiToken] = []
    for p in postings.filter(cadre_id__in=list(users)).iterator():
        if len(phones) >= PHONES:
            break
        v = p.village
        lat, lng = float(v.checkin_lat), float(v.checkin_lng)
        if v.checkin_datum == "gcj02":
            lat, lng = gcj02_to_wgs84(lat, lng)
        raw = ApiToken.generate()
        tokens.append(
            ApiToken(
                user=users[p.cadre_id], name="bench", key_hash=ApiToken.hash(raw), prefix=raw[:8]
            )
        )
        phones.append(
            {"token": raw, "lat": lat, "lng": lng, "cadre_id": p.cadre_id, "village_id": v.pk}
        )
    with transaction.atomic():
        ApiToken.objects.filter(name="bench").delete()
        ApiToken.objects.bulk_create(tokens)
    Path(args[0]).write_text(json.dumps(phones), encoding="utf-8")
    return {"phones": len(phones)}


def _jitter(phone: dict[str, Any], rnd: random.Random) -> tuple[float, float]:
    # within ~30 m of the point: inside every fence, and never the same coordinates twice
    return (
        round(phone["lat"] + rnd.uniform(-0.00025, 0.00025), 6),
        round(phone["lng"] + rnd.uniform(-0.00025, 0.00025), 6),
    )


def drive_load(args: list[str]) -> dict[str, Any]:
    phones = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    port, seconds = int(args[1]), float(args[2])
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    acked: list[str] = []
    errors = {"n": 0}

    async def connection(k: int, stop_at: float, warm_until: float) -> None:
        rnd = random.Random(k)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = k
        while time.perf_counter() < stop_at:
            phone = phones[i % len(phones)]
            i += CONCURRENCY
            lat, lng = _jitter(phone, rnd)
            key = str(uuid.uuid4())
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            body = (
                f'{{"client_key":"{key}","lat":{lat},"lng":{lng},"accuracy_m":12,'
                f'"device_time":"{now}","device_id":"bench-{phone["cadre_id"]}"}}'
            ).encode()
            head = (
                f"POST /api/v1/checkins HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {phone['token']}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            t0 = time.perf_counter()
            try:
                writer.write(head + body)
                status_line = await reader.readline()
                length = 0
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                await reader.readexactly(length)
                status = int(status_line.split()[1])
            except (OSError, asyncio.IncompleteReadError, IndexError, ValueError):
                errors["n"] += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            if t0 >= warm_until:
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
            if status == 201:
                acked.append(key)
        writer.close()

    async def main() -> float:
        start = time.perf_counter()
        warm_until = start + min(2.0, seconds / 5)
        stop_at = warm_until + seconds
        await asyncio.gather(*(connection(k, stop_at, warm_until) for k in range(CONCURRENCY)))
        return stop_at - warm_until

    measured = asyncio.run(main())
    keys_file = DATA_DIR / "checkin-acked.json"
    keys_file.write_text(json.dumps(acked), encoding="utf-8")
    ms = [x * 1000 for x in latencies]
    return {
        "rate": len(latencies) / measured,
        "requests": len(latencies),
        "statuses": statuses,
        "errors": errors["n"] + sum(n for s, n in statuses.items() if s >= 300),
        "acknowledged": len(acked),
        "p50_ms": percentile(ms, 50),
        "p99_ms": percentile(ms, 99),
        "max_ms": max(ms) if ms else 0.0,
        "keys_file": str(keys_file),
    }


def drive_raw(args: list[str]) -> dict[str, Any]:
    """The database's own limit: the row our endpoint stores, inserted and committed one at
    a time over RAW_CONNECTIONS psycopg connections."""
    import psycopg

    phones = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    url, seconds = args[1], float(args[2])
    url = url.replace("postgres://", "postgresql://", 1)
    findings = json.dumps([{"clause": "MGT.1.CHECKIN", "severity": "info", "message": "x" * 60}])
    sql = (
        "INSERT INTO attendance_checkin (cadre_id, village_id, client_key, day, device_time,"
        " received_at, lat, lng, accuracy_m, distance_m, status, counts, device_id,"
        " no_position_reason, findings) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
    )
    latencies: list[list[float]] = [[] for _ in range(RAW_CONNECTIONS)]
    start_gate = threading.Barrier(RAW_CONNECTIONS)

    def worker(k: int) -> None:
        rnd = random.Random(1000 + k)
        with psycopg.connect(url) as conn:
            cur = conn.cursor()
            start_gate.wait()
            stop_at = time.perf_counter() + seconds
            i = k
            while time.perf_counter() < stop_at:
                phone = phones[i % len(phones)]
                i += RAW_CONNECTIONS
                lat, lng = _jitter(phone, rnd)
                now = dt.datetime.now(dt.UTC)
                t0 = time.perf_counter()
                cur.execute(
                    sql,
                    (
                        phone["cadre_id"],
                        phone["village_id"],
                        uuid.uuid4(),
                        now.date(),
                        now,
                        now,
                        lat,
                        lng,
                        12.0,
                        10.0,
                        "ok",
                        True,
                        f"raw-{phone['cadre_id']}",
                        "",
                        findings,
                    ),
                )
                conn.commit()
                latencies[k].append(time.perf_counter() - t0)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(RAW_CONNECTIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ms = [x * 1000 for lat in latencies for x in lat]
    return {
        "rate": len(ms) / seconds,
        "rows": len(ms),
        "p50_ms": percentile(ms, 50),
        "p99_ms": percentile(ms, 99),
    }


def drive_count(args: list[str]) -> dict[str, Any]:
    """How many of the acknowledged client keys are stored, and how many twice."""
    from django.db import connection

    keys = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(*) - count(DISTINCT (cadre_id, client_key))"
            " FROM attendance_checkin WHERE client_key = ANY(%s::uuid[])",
            [keys],
        )
        found, twice = cur.fetchone()
    return {"acknowledged": len(keys), "found": found, "duplicates": twice}


if __name__ == "__main__":
    driver_main(
        {"prepare": drive_prepare, "load": drive_load, "raw": drive_raw, "count": drive_count},
        plain=("load", "raw"),
    )
