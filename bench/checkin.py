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

from bench import cpu
from bench.bare_wsgi import BareServer
from bench.checkin_report import QUEUE, results_of
from bench.common import (
    DATA_DIR,
    Context,
    Result,
    driver_main,
    percentile,
    run_driver,
)
from bench.pages import Server

NAME = "checkin"

PROFILE_BATCH, PROFILE_ROUNDS = 10, 300
VACUUMED = (
    "attendance_checkin",
    "attendance_checkinkey",
    "attendance_fraudsignal",
    "audit_event",
    "accounts_apitoken",
)
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

    def load(mode: str, port: int, pid: int) -> dict[str, Any]:
        args = [str(phones), str(port), str(seconds), str(pid), mode]
        return run_driver("checkin", "load", *args, database_url=url, timeout=seconds * 4 + 60)

    server = Server(url, ctx, workers=workers, threads=threads, log_name="checkin-server.log")
    with server:
        assert server.proc is not None
        ours = load("single", server.port, server.proc.pid)
        queue = load("queue", server.port, server.proc.pid)
    with BareServer(url, ctx, workers=workers, threads=threads) as bare_server:
        bare = load("bare", bare_server.port, bare_server.pid)
    profile = run_driver("checkin", "profile", str(phones), database_url=url, timeout=300)
    stored = run_driver(
        "checkin", "count", ours["keys_file"], queue["keys_file"], database_url=url, timeout=600
    )
    ctx.details[NAME] = {
        "scale": scale,
        "server": f"zhucun serve --workers {workers} --threads {threads}",
        "concurrency": CONCURRENCY,
        "raw_connections": RAW_CONNECTIONS,
        "seconds": seconds,
        "prepared": prepared,
        "raw": raw,
        "ours": {k: v for k, v in ours.items() if k != "keys_file"},
        "queue": {k: v for k, v in queue.items() if k != "keys_file"},
        "bare": bare,
        "profile": profile,
        "stored": stored,
    }
    return results_of(scale, workers, threads, raw, ours, queue, bare, profile, stored)


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
    # Earlier runs added tens of thousands of check-ins and a bench server may run without
    # autovacuum: fresh statistics, or the writer's plans go stale (measured: PostgreSQL's
    # CPU per batch 2.6 ms after ANALYZE, 13 ms before)
    from django.db import connection

    with connection.cursor() as cur:
        for table in VACUUMED:
            cur.execute(f"VACUUM ANALYZE {table}")
    return {"phones": len(phones)}


def _jitter(phone: dict[str, Any], rnd: random.Random) -> tuple[float, float]:
    # within ~30 m of the point: inside every fence, and never the same coordinates twice
    return (
        round(phone["lat"] + rnd.uniform(-0.00025, 0.00025), 6),
        round(phone["lng"] + rnd.uniform(-0.00025, 0.00025), 6),
    )


def _checkin(phone: dict[str, Any], rnd: random.Random, when: dt.datetime, **extra: Any) -> str:
    lat, lng = _jitter(phone, rnd)
    more = "".join(f',"{k}":{json.dumps(v)}' for k, v in extra.items())
    return (
        f'{{"client_key":"{uuid.uuid4()}","lat":{lat},"lng":{lng},"accuracy_m":12,'
        f'"device_time":"{when.isoformat(timespec="seconds")}",'
        f'"device_id":"bench-{phone["cadre_id"]}"{more}}}'
    )


def drive_load(args: list[str]) -> dict[str, Any]:
    """CONCURRENCY keep-alive connections posting for ``seconds`` after a warm-up. Modes:
    ``single`` (one check-in per request to /api/v1/checkins), ``queue`` (a phone's queue of
    QUEUE check-ins made over the last hours, to /api/v1/checkins/batch), ``bare``
    (bench/bare_wsgi.py). Also the CPU each part spent during the measured window."""
    phones = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    port, seconds, server_pid, mode = int(args[1]), float(args[2]), int(args[3]), args[4]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    acked: list[str] = []
    errors = {"n": 0}
    path = "/api/v1/checkins/batch" if mode == "queue" else "/api/v1/checkins"
    window: dict[str, cpu.Snapshot] = {}

    def request_body(phone: dict[str, Any], rnd: random.Random) -> tuple[bytes, list[str]]:
        now = dt.datetime.now(dt.UTC)
        if mode != "queue":
            text = _checkin(phone, rnd, now)
            return text.encode(), [text[15:51]]
        items = [
            _checkin(phone, rnd, now - dt.timedelta(minutes=17 * (QUEUE - i)), offline=True)
            for i in range(QUEUE)
        ]
        return f'{{"items":[{",".join(items)}]}}'.encode(), [t[15:51] for t in items]

    async def connection(k: int, stop_at: float, warm_until: float) -> None:
        rnd = random.Random(k)
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        i = k
        while time.perf_counter() < stop_at:
            phone = phones[i % len(phones)]
            i += CONCURRENCY
            body, keys = request_body(phone, rnd)
            head = (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Bearer {phone['token']}\r\nContent-Type: application/json\r\n"
                f"X-Bench-Ids: {phone['cadre_id']},{phone['village_id']}\r\n"
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
                answer = await reader.readexactly(length)
                status = int(status_line.split()[1])
            except (OSError, asyncio.IncompleteReadError, IndexError, ValueError):
                errors["n"] += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            if warm_until <= t0 < stop_at:
                latencies.append(time.perf_counter() - t0)
                statuses[status] = statuses.get(status, 0) + 1
            if mode == "single" and status == 201:
                acked.extend(keys)
            elif mode == "queue" and status == 200:
                results = json.loads(answer)["results"]
                for key, result in zip(keys, results, strict=True):
                    if result["status"] == 201:
                        acked.append(key)
                    else:
                        errors["n"] += 1
        writer.close()

    async def meter(warm_until: float, stop_at: float) -> None:
        await asyncio.sleep(max(0.0, warm_until - time.perf_counter()))
        window["start"] = cpu.snapshot(server_pid)
        await asyncio.sleep(max(0.0, stop_at - time.perf_counter()))
        window["end"] = cpu.snapshot(server_pid)

    async def main() -> float:
        start = time.perf_counter()
        warm_until = start + min(2.0, seconds / 5)
        stop_at = warm_until + seconds
        await asyncio.gather(
            meter(warm_until, stop_at),
            *(connection(k, stop_at, warm_until) for k in range(CONCURRENCY)),
        )
        return stop_at - warm_until

    measured = asyncio.run(main())
    keys_file = DATA_DIR / f"checkin-acked-{mode}.json"
    keys_file.write_text(json.dumps(acked), encoding="utf-8")
    ms = [x * 1000 for x in latencies]
    per_request = QUEUE if mode == "queue" else 1
    done = len(latencies) * per_request
    return {
        "mode": mode,
        "rate": done / measured,
        "requests": len(latencies),
        "statuses": statuses,
        "errors": errors["n"] + sum(n for s, n in statuses.items() if s >= 300),
        "acknowledged": len(acked),
        "p50_ms": percentile(ms, 50),
        "p99_ms": percentile(ms, 99),
        "max_ms": max(ms) if ms else 0.0,
        "cpu": cpu.split(window["start"], window["end"], done),
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
    # the measuring thread joins both gates: CPU is read while every connection (and its
    # PostgreSQL backend, whose CPU is counted) is open
    start_gate = threading.Barrier(RAW_CONNECTIONS + 1)
    end_gate = threading.Barrier(RAW_CONNECTIONS + 1)

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
            end_gate.wait()
            end_gate.wait()  # the measuring thread has read the CPU: close

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(RAW_CONNECTIONS)]
    for t in threads:
        t.start()
    start_gate.wait()
    before = cpu.snapshot()
    end_gate.wait()
    after = cpu.snapshot()
    end_gate.wait()
    for t in threads:
        t.join()
    ms = [x * 1000 for lat in latencies for x in lat]
    return {
        "rate": len(ms) / seconds,
        "rows": len(ms),
        "p50_ms": percentile(ms, 50),
        "p99_ms": percentile(ms, 99),
        "cpu": cpu.split(before, after, len(ms)),
    }


def drive_count(args: list[str]) -> dict[str, Any]:
    """How many of the acknowledged client keys (of every file given) are stored, and how
    many twice."""
    from django.db import connection

    keys = [k for name in args for k in json.loads(Path(name).read_text(encoding="utf-8"))]
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*), count(*) - count(DISTINCT (cadre_id, client_key))"
            " FROM attendance_checkin WHERE client_key = ANY(%s::uuid[])",
            [keys],
        )
        found, twice = cur.fetchone()
    return {"acknowledged": len(keys), "found": found, "duplicates": twice}


def drive_profile(args: list[str]) -> dict[str, Any]:
    """The writer's own cost, in process: ``api.fastpath.record_batch`` on batches of
    PROFILE_BATCH check-ins (as the group-commit writer receives them), with this process's
    CPU (Python) and its PostgreSQL backend's CPU per check-in."""
    from django.db import connection

    from zhucun.accounts.models import ApiToken
    from zhucun.api.checkin_batch import payload_clean
    from zhucun.api.fastpath import record_batch

    phones = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    rnd = random.Random(7)
    start = rnd.randrange(len(phones))

    def batch(n: int) -> list[tuple[str, Any]]:
        now = dt.datetime.now(dt.UTC)
        picked = [
            phones[(start + n * PROFILE_BATCH + i) % len(phones)] for i in range(PROFILE_BATCH)
        ]
        return [
            (ApiToken.hash(p["token"]), payload_clean(json.loads(_checkin(p, rnd, now))))
            for p in picked
        ]

    batches = [batch(n) for n in range(PROFILE_ROUNDS + 10)]
    for b in batches[:10]:
        record_batch(b)  # warm: connection, prepared statements, parameters
    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    p0, c0, t0 = cpu.tree_cpu(backend), time.process_time(), time.perf_counter()
    for b in batches[10:]:
        record_batch(b)
    wall, python = time.perf_counter() - t0, time.process_time() - c0
    pg = cpu.tree_cpu(backend) - p0
    n = PROFILE_ROUNDS * PROFILE_BATCH
    return {
        "batch": PROFILE_BATCH,
        "rounds": PROFILE_ROUNDS,
        "per_checkin": {
            "wall_ms": wall * 1000 / n,
            "python_ms": python * 1000 / n,
            "postgres_ms": pg * 1000 / n,
        },
    }


if __name__ == "__main__":
    driver_main(
        {
            "prepare": drive_prepare,
            "load": drive_load,
            "raw": drive_raw,
            "count": drive_count,
            "profile": drive_profile,
        },
        plain=("load", "raw"),
    )
