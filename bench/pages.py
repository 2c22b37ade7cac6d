"""县、州报表页: at province scale, p50/p95 latency of the township ranking page
(``/attendance/rankings/``) and the coverage report (``/coverage/``), and their API counterparts
(``/api/v1/months/{month}/rankings``, ``/api/v1/coverage``), as a prefecture user and as a county
user, through the real HTTP stack: ``zhucun serve`` (gunicorn, 2 workers × 4 threads) with a
logged-in session, N sequential GETs per page after a warm-up, including first pages with
filters. Target: p95 < 300 ms. The baseline is the same client fetching the stylesheet (the
HTTP stack and middleware, no database) in the same run.

A page over target is profiled in a separate process: the SQL it runs (Django's
CaptureQueriesContext through the test client) and EXPLAIN ANALYZE of its slowest queries."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from .common import (
    Context,
    Result,
    argv_value,
    bench_env,
    driver_main,
    percentile,
    ratio,
    run_driver,
    scale_label,
)

NAME = "pages"
SCALE = "province"
TARGET_P95_MS = 300.0
PASSWORD = "bench-Pass-2026"
WORKERS, THREADS = 2, 4


@dataclass
class Page:
    key: str  # short id
    label: str  # Chinese
    user: str  # "prefecture" | "county"
    path: str


def pages_for(info: dict[str, Any]) -> list[Page]:
    m = info["month"]
    c, t = info["county_code"], info["township_code"]
    qm = f"month={m}"
    out = []
    for who, extra in (("prefecture", f"&county={c}"), ("county", f"&township={t}")):
        name = "州" if who == "prefecture" else "县"
        out += [
            Page(f"{who}-rankings", f"{name}:乡镇排名页", who, f"/attendance/rankings/?{qm}"),
            Page(
                f"{who}-rankings-filtered",
                f"{name}:乡镇排名页(筛选首页)",
                who,
                f"/attendance/rankings/?{qm}{extra}",
            ),
            Page(f"{who}-coverage", f"{name}:覆盖情况报表", who, "/coverage/"),
            Page(
                f"{who}-coverage-filtered",
                f"{name}:覆盖情况报表(筛选首页)",
                who,
                f"/coverage/?{extra[1:]}",
            ),
            Page(
                f"{who}-coverage-problems",
                f"{name}:覆盖情况(只看问题)",
                who,
                "/coverage/?problems=1",
            ),
            Page(
                f"{who}-api-rankings",
                f"{name}:API 排名",
                who,
                f"/api/v1/months/{m}/rankings",
            ),
            Page(f"{who}-api-coverage", f"{name}:API 覆盖情况", who, "/api/v1/coverage"),
        ]
    return out


def run(ctx: Context) -> list[Result]:
    scale = ctx.scale_for(SCALE)
    url = ctx.database_url(scale)
    info = run_driver(NAME, "prepare", database_url=url, timeout=3600)
    if info.get("closed_now"):
        print(f"  排名页需要已结账的月份:已为全部乡镇结账 {info['month']}")
    print(
        f"  州用户 {info['prefecture_user']}({info['prefecture_name']},"
        f"{info['prefecture_villages']:,} 个村);县用户 {info['county_user']}"
        f"({info['county_name']},{info['county_villages']:,} 个村);月份 {info['month']}"
    )
    n, warm = (10, 2) if ctx.quick else (50, 5)
    pages = pages_for(info)
    timings: dict[str, dict[str, Any]] = {}
    with Server(url, ctx) as server:
        clients = {
            "prefecture": server.client(info["prefecture_user"]),
            "county": server.client(info["county_user"]),
        }
        floor = clients["prefecture"].measure("/assets/zhucun.css", n, warm)
        for page in pages:
            timings[page.key] = clients[page.user].measure(page.path, n, warm)
            s = timings[page.key]
            print(
                f"    {page.label:<24} p50 {s['p50_ms']:7.1f} ms  p95 {s['p95_ms']:7.1f} ms"
                f"  {s['bytes']:>8,} B  {page.path}"
            )
    details: dict[str, Any] = {"info": info, "floor": floor, "pages": {}, "n": n, "warmup": warm}
    results = []
    for page in pages:
        s = timings[page.key]
        details["pages"][page.key] = {"path": page.path, "label": page.label, **s}
        ok = s["status"] == 200 and s["p95_ms"] < TARGET_P95_MS
        note = (
            f"p50 {s['p50_ms']:.0f} ms,最大 {s['max_ms']:.0f} ms,{s['bytes']:,} 字节,"
            f"n={n};{page.path}"
        )
        if s["status"] != 200:
            note = f"HTTP {s['status']}!" + note
        results.append(
            Result(
                f"{scale_label(scale)}·{page.label}",
                "p95(毫秒)",
                s["p95_ms"],
                floor["p95_ms"],
                ratio(s["p95_ms"], floor["p95_ms"]),
                "p95 < 300 ms(基准 = 同一HTTP栈取样式表)",
                ok,
                note,
            )
        )
        if not ok and s["status"] == 200:
            user = info[f"{page.user}_user"]
            prof = run_driver(
                NAME, "queries", "--user", user, "--path", page.path, database_url=url
            )
            details["pages"][page.key]["profile"] = prof
            print(
                f"      未达标,SQL {prof['count']} 条共 {prof['sql_ms']:.0f} ms"
                f"(请求 {prof['request_ms']:.0f} ms),已记录最慢语句的 EXPLAIN ANALYZE"
            )
    ctx.details[NAME] = details
    return results


# ---- server and client --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``zhucun serve`` in a subprocess for the duration of a ``with`` block."""

    def __init__(
        self,
        database_url: str,
        ctx: Context,
        *,
        workers: int = WORKERS,
        threads: int = THREADS,
        log_name: str = "pages-server.log",
    ):
        self.url = database_url
        self.port = free_port()
        self.workers, self.threads = workers, threads
        self.log_path = ctx.workdir / log_name
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        exe = zhucun_exe()
        log = self.log_path.open("wb")
        self.proc = subprocess.Popen(
            [
                *exe,
                "serve",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--threads",
                str(self.threads),
            ],
            cwd=self.log_path.parent,
            env=bench_env(self.url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"zhucun serve 退出了,见 {self.log_path}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/login/")
                conn.getresponse().read()
                conn.close()
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"zhucun serve 90 秒内未就绪,见 {self.log_path}")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def client(self, username: str) -> Client:
        c = Client(self.port)
        c.login(username, PASSWORD)
        return c


def zhucun_exe() -> list[str]:
    from pathlib import Path

    from .common import PYTHON

    exe = Path(PYTHON).with_name("zhucun")
    return [str(exe)] if exe.exists() else [PYTHON, "-m", "zhucun.cli"]


class Client:
    """A keep-alive HTTP/1.1 client with a cookie jar of its own (session + CSRF)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, http.client.HTTPResponse]:
        hdrs = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=hdrs)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 2:
                    raise
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for key, morsel in jar.items():
                self.cookies[key] = morsel.value
        return resp.status, data, resp

    def login(self, username: str, password: str) -> None:
        status, body, _ = self.request("GET", "/login/")
        m = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not m:
            raise RuntimeError(f"登录页异常:HTTP {status}")
        form = urllib.parse.urlencode(
            {
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": m.group(1).decode(),
                "next": "/",
            }
        ).encode()
        status, body, _ = self.request(
            "POST",
            "/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"以 {username} 登录失败:HTTP {status}")

    def measure(self, path: str, n: int, warm: int) -> dict[str, Any]:
        status, size = 0, 0
        for _ in range(warm):
            status, body, _ = self.request("GET", path)
        times, statuses = [], set()
        for _ in range(n):
            t0 = time.perf_counter()
            status, body, _ = self.request("GET", path)
            times.append((time.perf_counter() - t0) * 1000)
            statuses.add(status)
            size = len(body)
        return {
            "status": max(statuses, key=lambda s: s != 200),  # a non-200 if there was one
            "bytes": size,
            "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95),
            "max_ms": max(times),
            "mean_ms": sum(times) / len(times),
            "samples_ms": [round(x, 2) for x in times],
        }


# ---- drivers -----------------------------------------------------------------------------------


def driver_prepare(args: list[str]) -> dict[str, Any]:
    """A prefecture user and a county user under it get a known password; the month the
    ranking page shows (the latest closed one; if no month is closed yet, the latest ended
    month with check-ins is closed for every township first)."""
    from django.db import connection
    from django.utils import timezone

    from zhucun.accounts.models import User, UserRole
    from zhucun.attendance.models import CheckIn, MonthClose
    from zhucun.attendance.services import month_close
    from zhucun.registry.models import Jurisdiction, Level, Village

    pref = (
        User.objects.filter(role=UserRole.PREFECTURE, is_active=True, jurisdiction__isnull=False)
        .select_related("jurisdiction")
        .order_by("pk")
        .first()
    )
    if pref is None:
        raise SystemExit("库中没有州级用户")
    county = (
        User.objects.filter(
            role=UserRole.COUNTY,
            is_active=True,
            jurisdiction__path__startswith=pref.jurisdiction.path,
        )
        .select_related("jurisdiction")
        .order_by("pk")
        .first()
    )
    if county is None:
        raise SystemExit(f"{pref.jurisdiction.name}下没有县级用户")
    for u in (pref, county):
        u.set_password(PASSWORD)
        u.save(update_fields=["password"])
    township = (
        Jurisdiction.objects.filter(
            level=Level.TOWNSHIP, parent=county.jurisdiction, township_villages__isnull=False
        )
        .distinct()
        .order_by("code")
        .first()
    )
    closed_now = False
    month = MonthClose.objects.order_by("-month").values_list("month", flat=True).first()
    if month is None:
        today = timezone.localdate()
        with connection.cursor() as cur:
            cur.execute(
                f"SELECT max(day) FROM {CheckIn._meta.db_table} WHERE day < %s",
                [today.replace(day=1)],
            )
            last = cur.fetchone()[0]
        if last is None:
            raise SystemExit("库中没有签到,排名页无内容")
        month = last.replace(day=1)
        month_close(month=month)
        closed_now = True
    return {
        "prefecture_user": pref.username,
        "prefecture_name": pref.jurisdiction.name,
        "prefecture_villages": Village.objects.filter(
            jurisdiction__path__startswith=pref.jurisdiction.path
        ).count(),
        "county_user": county.username,
        "county_name": county.jurisdiction.name,
        "county_code": county.jurisdiction.code,
        "county_villages": Village.objects.filter(
            jurisdiction__path__startswith=county.jurisdiction.path
        ).count(),
        "township_code": township.code if township else "",
        "month": f"{month:%Y-%m}",
        "closed_now": closed_now,
        "villages": Village.objects.count(),
    }


def driver_queries(args: list[str]) -> dict[str, Any]:
    """The SQL one page runs (test client, logged in), the slowest statements with EXPLAIN
    (ANALYZE, BUFFERS). The second of two requests is the one reported (warm caches)."""
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    from zhucun.accounts.models import User

    path = argv_value(args, "--path") or "/"
    user = User.objects.get(username=argv_value(args, "--user"))
    client = DjangoClient()
    client.force_login(user)
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        resp = client.get(path)
        request_ms = (time.perf_counter() - t0) * 1000
    queries = [{"ms": float(q["time"]) * 1000, "sql": q["sql"]} for q in ctx.captured_queries]
    slowest = sorted(queries, key=lambda q: -q["ms"])[:3]
    for q in slowest:
        if q["sql"].lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cur:
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                q["plan"] = "\n".join(r[0] for r in cur.fetchall())
    return {
        "status": resp.status_code,
        "request_ms": request_ms,
        "count": len(queries),
        "sql_ms": sum(q["ms"] for q in queries),
        "slowest": slowest,
        "all": [{"ms": round(q["ms"], 2), "sql": q["sql"][:300]} for q in queries],
    }


if __name__ == "__main__":
    driver_main({"prepare": driver_prepare, "queries": driver_queries})
