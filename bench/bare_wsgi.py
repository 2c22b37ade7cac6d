"""The ceiling of any Python HTTP path on this machine: a bare WSGI function on the same
gunicorn (gthread, same workers and threads as ``zhucun serve`` in the bench) that answers each
POST with one INSERT of the row our endpoint stores, committed, and nothing else — no parsing,
no rules, no audit. ``bench/checkin.py`` measures it in the same run as ours and the raw
insert: what ours loses to it is our code; what it loses to the raw insert is HTTP."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

import psycopg

from bench.common import PYTHON, ROOT, Context, bench_env
from bench.pages import free_port

URL = os.environ.get("ZHUCUN_BENCH_BARE_URL", "").replace("postgres://", "postgresql://", 1)
SQL = (
    "INSERT INTO attendance_checkin (cadre_id, village_id, client_key, day, device_time,"
    " received_at, lat, lng, accuracy_m, distance_m, status, counts, device_id,"
    " no_position_reason, findings) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)"
)
FINDINGS = json.dumps([{"clause": "MGT.1.CHECKIN", "severity": "info", "message": "x" * 60}])
_local = threading.local()


def _cursor() -> psycopg.Cursor[Any]:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = psycopg.connect(URL, autocommit=True)
    return conn.cursor()


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    environ["wsgi.input"].read(length)
    cadre, village = (int(x) for x in environ.get("HTTP_X_BENCH_IDS", "1,1").split(","))
    now = dt.datetime.now(dt.UTC)
    _cursor().execute(
        SQL,
        (
            cadre,
            village,
            uuid.uuid4(),
            now.date(),
            now,
            now,
            24.0,
            98.0,
            12.0,
            10.0,
            "ok",
            True,
            f"bare-{cadre}",
            "",
            FINDINGS,
        ),
    )
    body = b'{"status":"ok"}'
    start_response(
        "201 Created", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]


class BareServer:
    """``bench/bare_wsgi.py`` on gunicorn (gthread), configured as ``zhucun serve`` is."""

    def __init__(self, url: str, ctx: Context, *, workers: int, threads: int) -> None:
        self.url, self.ctx, self.workers, self.threads = url, ctx, workers, threads
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def __enter__(self) -> BareServer:
        log = (self.ctx.workdir / "checkin-bare.log").open("wb")
        self.proc = subprocess.Popen(
            [
                PYTHON, "-m", "gunicorn", "--worker-class", "gthread",
                "--workers", str(self.workers), "--threads", str(self.threads),
                "--keep-alive", "30", "--bind", f"127.0.0.1:{self.port}",
                "bench.bare_wsgi:application",
            ],
            cwd=ROOT,
            env=bench_env(self.url, ZHUCUN_BENCH_BARE_URL=self.url),
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("bench/bare_wsgi.py 未能在60秒内启动")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
