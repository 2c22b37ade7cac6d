"""Soak and fault test of the check-in path (issue #5): check-ins at a steady rate (default half
the measured capacity) from many simulated phones, 10 % of the acknowledged ones resent, a
``kill -9`` of an application worker at about 1/3 of the run and a restart of PostgreSQL at
about 2/3. Then, in the database: every check-in the server acknowledged is stored exactly
once, with the row id it was acknowledged with; no (cadre, client_key) is stored twice; the
audit chain verifies. A Markdown report goes to ``bench/results/soak-<path>-<time>.md``.

    .venv/bin/python bench/soak.py --database-url postgres://postgres@127.0.0.1:5432/DB \\
        --path api --duration 600                 # or --path replay (the offline queue)

The script starts its own server (``zhucun serve --workers 2 --threads 8``, from this
checkout) on a free port unless ``--url`` and ``--pid-file`` name a running one, makes a
bearer token (``--path api``) or a password and a browser login (``--path replay``) for each
phone's user (cadre users with an active posting, as ``zhucun gen``/the demo create them),
and restarts PostgreSQL with ``pg_ctlcluster --skip-systemctl-redirect VER NAME restart``
(needs root or postgres; PostgreSQL is started again if it is found stopped at any point).

The run writes into the database (the check-ins, one API token per phone, for ``replay`` a new
password of each phone's user): give it a database of its own. The default, ``zhucun_soak``,
is created on first use (createdb, migrate, ``zhucun gen --scale prefecture --seed 1``).

Exit code: 0 all checks passed; 1 an acknowledged check-in is lost or a check-in is stored
twice; 2 any other check failed (audit chain, resend answers, undelivered check-ins left
after the drain, refused check-ins); 3 the run could not be set up."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import re
import resource
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from soak_client import OK_KINDS, Ledger, Phones, PhoneSpec, browser_login  # noqa: E402

RESULTS_DIR = BENCH_DIR / "results"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/zhucun_soak"
FALLBACK_RATE = 20.0  # check-ins/s when neither --rate nor a measured capacity is known
DEFAULT_LAT, DEFAULT_LNG = 24.433, 98.585  # 芒市, for villages without a check-in point


def log(msg: str) -> None:
    print(msg, flush=True)


# ---- options ---------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench/soak.py",
        description="签到浸泡与故障测试:按半数容量持续签到,中途 kill -9 应用进程、重启 PostgreSQL,"
        "最后在数据库中核对每一条已确认的签到恰好存储一次。",
    )
    p.add_argument(
        "--database-url",
        default=DEFAULT_DB,
        help=f"PostgreSQL database of its own (default {DEFAULT_DB}; not $DATABASE_URL: the "
        "run writes check-ins, tokens and passwords into it)",
    )
    p.add_argument(
        "--gen",
        default="prefecture",
        help="when the database does not exist: create it, migrate, `zhucun gen --scale GEN "
        "--seed 1` (default prefecture; 'none': fail instead)",
    )
    p.add_argument("--duration", type=float, default=600.0, help="seconds of check-ins (600)")
    p.add_argument(
        "--rate",
        type=float,
        default=None,
        help="new check-ins per second (default: half the check-in capacity in the newest "
        f"bench/results/*.json, else {FALLBACK_RATE:g})",
    )
    p.add_argument(
        "--capacity", type=float, default=None, help="measured capacity (check-ins/s) to halve"
    )
    p.add_argument("--dup-rate", type=float, default=0.10, help="share of acknowledged resent")
    p.add_argument("--path", choices=["api", "replay"], default="api")
    p.add_argument(
        "--faults",
        default="kill,pgrestart",
        help="comma list of kill, pgrestart (optionally NAME@SECONDS); 'none' for none. "
        "Default: kill at 1/3, pgrestart at 2/3 of the duration",
    )
    p.add_argument("--report", default=None, help="Markdown report path")
    p.add_argument("--phones", type=int, default=100, help="simulated phones (100)")
    p.add_argument("--drain", type=float, default=120.0, help="max seconds to deliver the rest")
    p.add_argument("--timeout", type=float, default=15.0, help="request timeout, seconds")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--workers", type=int, default=2, help="server worker processes (2)")
    p.add_argument("--threads", type=int, default=8, help="threads per worker (8)")
    p.add_argument("--url", default=None, help="use this running server (http://host:port)")
    p.add_argument("--pid-file", default=None, help="gunicorn master pid file of --url")
    p.add_argument("--pg-cluster", default=None, help="VERSION/NAME (default: by port)")
    p.add_argument(
        "--offline",
        default="5,40",
        help="replay: seconds a phone stays offline, min,max (5,40)",
    )
    p.add_argument(
        "--online", default="5,20", help="replay: seconds a phone stays online, min,max (5,20)"
    )
    p.add_argument(
        "--max-age-h",
        type=float,
        default=72.0,
        help="replay: device times of offline taps are up to this many hours old (72)",
    )
    p.add_argument(
        "--pythonpath",
        default=None,
        help="development: import zhucun from this src directory (server, setup, audit)",
    )
    args = p.parse_args(argv)
    args.offline_s = _pair(args.offline, "--offline")
    args.online_s = _pair(args.online, "--online")
    return args


def _pair(text: str, name: str) -> tuple[float, float]:
    try:
        a, b = (float(x) for x in text.split(","))
    except ValueError:
        sys.exit(f"{name}: expected MIN,MAX seconds")
    return (min(a, b), max(a, b))


def parse_faults(spec: str, duration: float) -> list[tuple[str, float]]:
    spec = spec.strip().lower()
    if spec in ("", "none", "no"):
        return []
    names = [s.strip() for s in spec.split(",") if s.strip()]
    out: list[tuple[str, float]] = []
    for i, item in enumerate(names):
        name, _, at = item.partition("@")
        if name not in ("kill", "pgrestart"):
            sys.exit(f"--faults: unknown fault {name!r} (kill, pgrestart)")
        when = float(at) if at else duration * (i + 1) / (len(names) + 1)
        out.append((name, when))
    return out


# ---- the rate: half the measured capacity ------------------------------------------------------

_CHECKIN = re.compile(r"签到|check[-_ ]?ins?\b|checkin", re.I)
_THROUGHPUT = re.compile(r"吞吐|容量|capacity|throughput|/秒|/\s*s\b|per[_ ]?s(ec)?\b|rps", re.I)


def capacity_from_results(results_dir: Path = RESULTS_DIR) -> tuple[float, str] | None:
    """The check-in throughput in the newest ``bench/results/*.json`` that has one: a result
    entry (``{"bench", "metric", "ours"}`` as bench/common.Result) whose bench/metric text says
    check-in and throughput, or a numeric key saying both (e.g. ``checkin_throughput``)."""
    files = sorted(results_dir.glob("*.json"), key=lambda f: f.stat().st_mtime, reverse=True)
    for f in files:
        try:
            data = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        entries: list[tuple[float, str]] = []  # result entries (preferred)
        found: list[tuple[float, str]] = []  # numeric keys

        def walk(
            node: Any,
            path: str,
            found: list[tuple[float, str]] = found,
            entries: list[tuple[float, str]] = entries,
        ) -> None:
            if isinstance(node, dict):
                text = " ".join(str(node.get(k, "")) for k in ("bench", "metric", "name"))
                ours = node.get("ours")
                if (
                    isinstance(ours, int | float)
                    and ours > 0
                    and _CHECKIN.search(text)
                    and _THROUGHPUT.search(text)
                ):
                    entries.append((float(ours), f"{node.get('bench')} / {node.get('metric')}"))
                for k, v in node.items():
                    where = f"{path}.{k}" if path else str(k)
                    if (
                        isinstance(v, int | float)
                        and not isinstance(v, bool)
                        and v > 0
                        and _CHECKIN.search(where)
                        and _THROUGHPUT.search(where)
                    ):
                        found.append((float(v), where))
                    walk(v, where)
            elif isinstance(node, list):
                for i, v in enumerate(node):
                    walk(v, f"{path}[{i}]")

        walk(data, "")
        if entries or found:
            value, where = (entries or found)[0]
            return value, f"{f.relative_to(ROOT)}: {where} = {value:g}"
    return None


# ---- PostgreSQL ------------------------------------------------------------------------------


def pg_cluster(url: str, given: str | None) -> tuple[str, str] | None:
    """(version, name) of the local cluster serving ``url``'s port."""
    if given:
        ver, _, name = given.partition("/")
        return ver, name or "main"
    parts = urlsplit(url)
    if parts.hostname not in (None, "", "127.0.0.1", "localhost", "::1"):
        return None
    port = parts.port or 5432
    try:
        out = subprocess.run(
            ["pg_lsclusters", "--no-header"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    for line in out.splitlines():
        cols = line.split()
        if len(cols) >= 3 and cols[2] == str(port):
            return cols[0], cols[1]
    versions = (
        sorted(Path("/etc/postgresql").glob("*/main")) if Path("/etc/postgresql").exists() else []
    )
    if versions:
        return versions[-1].parent.name, "main"
    return None


def pg_running(cluster: tuple[str, str]) -> bool:
    r = subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "status"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return r.returncode == 0


def ensure_pg_online(cluster: tuple[str, str] | None) -> bool:
    """Start the cluster if it is stopped (never leave PostgreSQL down)."""
    if cluster is None:
        return True
    try:
        if pg_running(cluster):
            return True
        log(f"PostgreSQL {'/'.join(cluster)} is not running: starting it")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "start"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        return pg_running(cluster)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log(f"could not check/start PostgreSQL: {exc}")
        return False


def ensure_database(args: argparse.Namespace, workdir: Path) -> str:
    """Create, migrate and generate the database when it does not exist (``--gen``)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(args.database_url)
    name = parts.path.lstrip("/")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            return f"已有数据库 {name}"
        if args.gen in ("", "none", "no"):
            raise RuntimeError(f"database {name} does not exist (and --gen none)")
        log(f"creating database {name}: migrate, zhucun gen --scale {args.gen} --seed 1 …")
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    env = child_env(args, workdir)
    zhucun = [sys.executable, "-m", "zhucun.cli"]
    for cmd in (["migrate", "--no-input", "-v", "0"], ["gen", "--scale", args.gen, "--seed", "1"]):
        r = subprocess.run([*zhucun, *cmd], cwd=workdir, env=env, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(
                f"zhucun {' '.join(cmd)} failed:\n{r.stdout[-1500:]}{r.stderr[-3000:]}"
            )
    return f"本次新建数据库 {name}(migrate;zhucun gen --scale {args.gen} --seed 1)"


def wait_db(url: str, seconds: float = 60.0) -> None:
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(url, connect_timeout=5) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


# ---- faults ----------------------------------------------------------------------------------


def worker_pids(master: int) -> set[int]:
    """Children of the gunicorn master (its workers), from /proc."""
    pids: set[int] = set()
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1 and fields[1] == str(master):
            pids.add(int(d.name))
    return pids


def fault_kill(pid_file: Path, rng: random.Random) -> Callable[[], dict[str, Any]]:
    def act() -> dict[str, Any]:
        master = int(pid_file.read_text().strip())
        before = worker_pids(master)
        if not before:
            return {"error": f"no worker processes under master {master}"}
        victim = rng.choice(sorted(before))
        t = time.monotonic()
        os.kill(victim, signal.SIGKILL)
        out: dict[str, Any] = {
            "t_inject": t,
            "detail": f"kill -9 {victim} (workers {sorted(before)}, master {master})",
            "killed_pid": victim,
        }
        while time.monotonic() - t < 60:
            fresh = worker_pids(master) - before
            if fresh:
                out["replacement_pid"] = min(fresh)
                out["replacement_after_s"] = round(time.monotonic() - t, 2)
                break
            time.sleep(0.05)
        return out

    return act


def fault_pgrestart(cluster: tuple[str, str]) -> Callable[[], dict[str, Any]]:
    def act() -> dict[str, Any]:
        cmd = ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "restart"]
        t = time.monotonic()
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
            rc, output = r.returncode, (r.stdout + r.stderr).strip()
        except subprocess.TimeoutExpired:
            rc, output = -1, "timed out"
        took = time.monotonic() - t
        online = ensure_pg_online(cluster)
        return {
            "t_inject": t,
            "detail": f"{shlex.join(cmd)} → rc {rc}, {took:.1f} s"
            + (f" ({output[-200:]})" if output else ""),
            "restart_s": round(took, 2),
            "online_after": online,
        }

    return act


# ---- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def child_env(args: argparse.Namespace, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ZHUCUN_DEBUG", None)
    env["DATABASE_URL"] = args.database_url
    env.setdefault("SECRET_KEY", "zhucun-soak-not-secret")
    env["ZHUCUN_HOME"] = str(workdir)
    env["DJANGO_SETTINGS_MODULE"] = "zhucun.settings"
    env.setdefault("ZHUCUN_LOG_LEVEL", "WARNING")
    if args.pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(Path(args.pythonpath).resolve()), env.get("PYTHONPATH", "")) if p
        )
    return env


class Server:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / "server.log"
        if args.url:
            u = urlsplit(args.url)
            self.host, self.port = u.hostname or "127.0.0.1", u.port or 80
            self.pid_file = Path(args.pid_file) if args.pid_file else None
            self.cmd = f"(running server {args.url})"
            return
        self.host, self.port = "127.0.0.1", free_port()
        self.pid_file = workdir / "server.pid"
        cmd = [sys.executable, "-m", "zhucun.cli", "serve", "--bind", f"{self.host}:{self.port}"]
        cmd += ["--workers", str(args.workers), "--threads", str(args.threads)]
        cmd += ["--pid", str(self.pid_file)]
        self.cmd = "zhucun " + shlex.join(cmd[3:])
        with open(self.log_path, "wb") as out:
            self.proc = subprocess.Popen(
                cmd,
                cwd=workdir,
                env=child_env(args, workdir),
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_ready(self, seconds: float = 90.0) -> None:
        import http.client

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}); see {self.log_path}")
            try:
                c = http.client.HTTPConnection(self.host, self.port, timeout=5)
                c.request("GET", "/login/")
                if c.getresponse().status == 200 and (
                    self.pid_file is None or self.pid_file.exists()
                ):
                    c.close()
                    return
                c.close()
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"server not ready after {seconds:g} s; see {self.log_path}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)  # our own session: master + workers
            self.proc.wait(10)


# ---- setup (Django, in this process) ------------------------------------------------------------


def django_setup(args: argparse.Namespace, workdir: Path) -> None:
    for k, v in child_env(args, workdir).items():
        if k in ("DATABASE_URL", "SECRET_KEY", "ZHUCUN_HOME", "DJANGO_SETTINGS_MODULE"):
            os.environ[k] = v
    if args.pythonpath:
        sys.path.insert(0, str(Path(args.pythonpath).resolve()))
    import django

    django.setup()


def choose_phones(args: argparse.Namespace, stamp: str) -> tuple[list[PhoneSpec], str]:
    """Cadre users with an active posting; a token each (api) or one shared new password
    (replay; returned)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connections

    from zhucun.accounts.models import User, UserRole
    from zhucun.accounts.services import token_create
    from zhucun.registry.models import Posting, PostingStatus

    rows = (
        Posting.objects.filter(
            status=PostingStatus.ACTIVE,
            cadre__user__is_active=True,
            cadre__user__role__in=[UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER],
        )
        .order_by("cadre_id")
        .values_list("cadre_id", "cadre__user__id", "village__checkin_lat", "village__checkin_lng")
    )
    by_cadre: dict[int, tuple[int, float, float]] = {}
    for cadre_id, user_id, lat, lng in rows:
        if cadre_id not in by_cadre:
            by_cadre[cadre_id] = (
                user_id,
                float(lat) if lat is not None else DEFAULT_LAT,
                float(lng) if lng is not None else DEFAULT_LNG,
            )
    if not by_cadre:
        raise RuntimeError(
            "no cadre users with an active posting in this database "
            "(make one with `zhucun gen --scale prefecture` or the demo loader)"
        )
    chosen = random.Random(args.seed).sample(sorted(by_cadre), min(args.phones, len(by_cadre)))
    if len(chosen) < args.phones:
        log(f"  only {len(chosen)} cadre users with an active posting: using all of them")
    specs = [PhoneSpec(by_cadre[c][0], c, by_cadre[c][1], by_cadre[c][2]) for c in chosen]
    users = User.objects.in_bulk([s.user_id for s in specs])
    password = ""
    if args.path == "api":
        for s in specs:
            s.token = token_create(actor=None, user=users[s.user_id], name=f"soak {stamp}")
    else:
        password = "soak-" + secrets.token_urlsafe(12)
        User.objects.filter(pk__in=[s.user_id for s in specs]).update(
            password=make_password(password)
        )
        for s in specs:
            s.username = users[s.user_id].username
    connections.close_all()
    return specs, password


async def login_all(server: Server, specs: list[PhoneSpec], password: str) -> None:
    sem = asyncio.Semaphore(4)

    async def one(s: PhoneSpec) -> None:
        async with sem:
            for attempt in range(3):
                try:
                    jar, csrf, user = await browser_login(
                        server.host, server.port, s.username, password
                    )
                    break
                except Exception:
                    if attempt == 2:
                        raise
                    await asyncio.sleep(1)
            if user != str(s.user_id):
                raise RuntimeError(f"logged in as {user}, expected user {s.user_id}")
            s.cookies, s.csrf = jar, csrf

    await asyncio.gather(*(one(s) for s in specs))


# ---- verification ------------------------------------------------------------------------------


def db_baseline(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        max_id, n = conn.execute(
            "SELECT coalesce(max(id), 0), count(*) FROM attendance_checkin"
        ).fetchone()  # type: ignore[misc]
        (seq,) = conn.execute("SELECT coalesce(max(seq), 0) FROM audit_event").fetchone()  # type: ignore[misc]
    return {"max_id": int(max_id), "rows": int(n), "audit_seq": int(seq)}


def verify(url: str, led: Ledger, base: dict[str, int], mode: str) -> dict[str, Any]:
    import psycopg

    res: dict[str, Any] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "CREATE TEMP TABLE soak_keys (client_key uuid PRIMARY KEY, cadre_id bigint NOT NULL, "
            "device_time timestamptz NOT NULL, acked boolean NOT NULL, ack_id bigint)"
        )
        with conn.cursor() as cur:
            with cur.copy(
                "COPY soak_keys (client_key, cadre_id, device_time, acked, ack_id) FROM STDIN"
            ) as cp:
                for key, (cadre, moment) in led.sent.items():
                    ack = led.acks.get(key)
                    cp.write_row((key, cadre, moment, ack is not None, ack.row_id if ack else None))
        conn.execute("ANALYZE soak_keys")
        per_key = conn.execute(
            """
            SELECT k.client_key::text, k.cadre_id, k.acked, k.ack_id, count(c.id),
                   array_agg(c.id ORDER BY c.id) FILTER (WHERE c.id IS NOT NULL),
                   bool_and(c.device_time = k.device_time)
            FROM soak_keys k
            LEFT JOIN attendance_checkin c ON c.cadre_id = k.cadre_id AND c.client_key = k.client_key
            GROUP BY k.client_key, k.cadre_id, k.acked, k.ack_id
            """
        ).fetchall()
        res["missing"] = [r for r in per_key if r[2] and r[4] == 0]
        res["wrong_id"] = [
            r for r in per_key if r[2] and r[3] is not None and r[4] >= 1 and r[3] not in r[5]
        ]
        res["dup_keys"] = [r for r in per_key if r[4] > 1]
        res["bad_device_time"] = [r for r in per_key if r[4] >= 1 and r[6] is False]
        res["stored_unacked"] = [r for r in per_key if not r[2] and r[4] >= 1]
        res["unacked_not_stored"] = [r for r in per_key if not r[2] and r[4] == 0]
        res["run_ids"] = {i for r in per_key for i in (r[5] or [])}
        res["global_dups"] = conn.execute(
            """
            SELECT cadre_id, client_key::text, count(*), array_agg(id ORDER BY id)
            FROM attendance_checkin GROUP BY cadre_id, client_key HAVING count(*) > 1
            ORDER BY 3 DESC LIMIT 50
            """
        ).fetchall()
        (res["global_dup_groups"],) = conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM attendance_checkin "
            "GROUP BY cadre_id, client_key HAVING count(*) > 1) d"
        ).fetchone()  # type: ignore[misc]
        (res["other_cadre"],) = conn.execute(
            "SELECT count(*) FROM attendance_checkin c JOIN soak_keys k "
            "ON c.client_key = k.client_key AND c.cadre_id <> k.cadre_id"
        ).fetchone()  # type: ignore[misc]
        run_rows, ours = conn.execute(
            "SELECT count(*), count(k.client_key) FROM attendance_checkin c LEFT JOIN soak_keys k "
            "ON k.client_key = c.client_key AND k.cadre_id = c.cadre_id WHERE c.id > %s",
            [base["max_id"]],
        ).fetchone()  # type: ignore[misc]
        res["run_rows"], res["run_rows_ours"] = int(run_rows), int(ours)
        (res["rows_after"],) = conn.execute("SELECT count(*) FROM attendance_checkin").fetchone()  # type: ignore[misc]
        events = conn.execute(
            "SELECT object_id, count(*) FROM audit_event WHERE seq > %s "
            "AND action = 'checkin.record' GROUP BY object_id",
            [base["audit_seq"]],
        ).fetchall()
    ev = {str(o): int(n) for o, n in events}
    ids = {str(i) for i in res["run_ids"]}
    res["audit_missing"] = sorted(ids - set(ev), key=int)
    res["audit_multi"] = sorted((o for o, n in ev.items() if n > 1 and o in ids), key=int)
    res["audit_orphan"] = sorted(set(ev) - ids)
    return res


def audit_verify(args: argparse.Namespace, workdir: Path) -> tuple[int, str]:
    cmd = [sys.executable, "-m", "zhucun.cli", "audit", "verify"]
    try:
        r = subprocess.run(
            cmd,
            cwd=workdir,
            env=child_env(args, workdir),
            capture_output=True,
            text=True,
            timeout=1800,
        )
    except subprocess.TimeoutExpired:
        return -1, "timed out after 30 min"
    return r.returncode, (r.stdout + r.stderr).strip()[-1500:]


# ---- analysis ----------------------------------------------------------------------------------


def pct(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def ms(v: float | None) -> str:
    return "—" if v is None else f"{v * 1000:.0f}"


def is_error(kind: str) -> bool:
    return kind not in OK_KINDS and kind not in ("refused", "resend_bad")


def is_outage(a: tuple[float, float, str, bool, int], tf: float) -> bool:
    """A failed request that shows the service unavailable: not a stale keep-alive connection
    found dead when the request was sent after the fault (retried at once on a new one)."""
    return is_error(a[2]) and not (a[2] == "stale_conn" and a[0] >= tf)


def fault_windows(led: Ledger) -> list[dict[str, Any]]:
    """Per fault: errors after it, the time to recover (until the first acknowledgement after
    the last failed request before the next fault), the backlog, and a per-second table."""
    out = []
    faults = sorted(led.faults, key=lambda f: f["at"])
    horizon = max([a[1] for a in led.attempts] + [led.end_at])
    for i, f in enumerate(faults):
        tf = f["at"]
        nxt = faults[i + 1]["at"] if i + 1 < len(faults) else horizon + 1
        window = [a for a in led.attempts if tf <= a[1] < nxt]
        errors = [a for a in window if is_outage(a, tf)]
        info: dict[str, Any] = {
            **f,
            "errors": Counter(a[2] for a in window if is_error(a[2])),
            "in_flight": Counter(a[2] for a in window if is_error(a[2]) and a[0] < tf),
            "stale_after": sum(1 for a in window if a[2] == "stale_conn" and a[0] >= tf),
        }
        if errors:
            last = max(a[1] for a in errors)
            after = [a[1] for a in window if a[2] in OK_KINDS and a[1] > last]
            info["last_error"] = last - tf
            info["recovered"] = (min(after) - tf) if after else None
            first_err = min(a[1] for a in errors)
            info["first_error"] = first_err - tf
        else:
            info["last_error"] = info["first_error"] = None
            info["recovered"] = 0.0
        # acknowledgements stop / resume: longest gap between acknowledgements after the fault
        oks = sorted(a[1] for a in window if a[2] in OK_KINDS and a[1] < min(led.end_at, tf + 60))
        gaps = [b - a for a, b in zip([tf, *oks], oks, strict=False)]
        info["longest_ack_gap"] = max(gaps) if gaps else None
        # normal level: the 90th percentile of the minute before (phones coming online with
        # their offline queue make it bursty on the replay path)
        pre = [b for t, b, *_ in led.backlog if tf - 60 <= t < tf]
        post = [(t, b) for t, b, *_ in led.backlog if tf <= t < nxt]
        base = pct(pre, 90) or 0.0
        info["backlog_before"] = base
        if post:
            peak_t, peak = max(post, key=lambda x: x[1])
            info["backlog_peak"] = peak
            back = next(
                (t for t, b in post if t >= peak_t and b <= max(base * 1.2, base + 5)), None
            )
            info["backlog_back"] = None if back is None else back - tf
        end = tf + max(info["recovered"] or 0, info["last_error"] or 0) + 6
        end = min(max(end, tf + 10), nxt, tf + 60)
        rows = []
        for s in range(int(tf) - 3, int(end) + 1):
            sec = [a for a in led.attempts if s <= a[1] < s + 1]
            oks_s = [a[1] - a[0] for a in sec if a[2] in OK_KINDS]
            errs = Counter(a[2] for a in sec if is_error(a[2]))
            backlog = next((b for t, b, *_ in led.backlog if s <= t < s + 1), None)
            rows.append((s - tf, len(oks_s), errs, pct(oks_s, 99), backlog))
        info["seconds"] = rows
        out.append(info)
    return out


def summarize(led: Ledger, duration: float) -> dict[str, Any]:
    span = 60.0 if duration >= 300 else 10.0
    buckets: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"taps": 0, "fresh": 0, "resend": 0, "lat": [], "errors": Counter(), "refused": 0}
    )
    for t in led.tap_times:
        buckets[int(t // span)]["taps"] += 1
    for t0, t1, kind, _dup, _st in led.attempts:
        b = buckets[int(t1 // span)]
        if kind in ("created", "stored"):
            b["fresh"] += 1
            b["lat"].append(t1 - t0)
        elif kind == "resend_ok":
            b["resend"] += 1
            b["lat"].append(t1 - t0)
        elif kind == "refused":
            b["refused"] += 1
        elif is_error(kind):
            b["errors"][kind] += 1
    lat_fresh = [a[1] - a[0] for a in led.attempts if a[2] == "created"]
    lat_stored = [a[1] - a[0] for a in led.attempts if a[2] in ("stored", "resend_ok")]
    lat_ok = [a[1] - a[0] for a in led.attempts if a[2] in OK_KINDS]
    lat_err = [a[1] - a[0] for a in led.attempts if is_error(a[2])]
    quiet = [
        a[1] - a[0]
        for a in led.attempts
        if a[2] in OK_KINDS
        and a[0] < led.end_at
        and not any(f["at"] - 1 <= a[1] <= f["at"] + 30 for f in led.faults)
    ]
    to_ack = [a.at - a.born for a in led.acks.values()]
    return {
        "span": span,
        "buckets": dict(sorted(buckets.items())),
        "lat_fresh": lat_fresh,
        "lat_stored": lat_stored,
        "lat_ok": lat_ok,
        "lat_err": lat_err,
        "lat_quiet": quiet,
        "to_ack": to_ack,
        "errors": Counter(a[2] for a in led.attempts if is_error(a[2])),
    }


# ---- report ----------------------------------------------------------------------------------


def git_info() -> str:
    try:
        head = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout.splitlines()
        return f"{head}" + (f" + {len(dirty)} modified files (uncommitted)" if dirty else "")
    except OSError:
        return "?"


def server_log_summary(path: Path) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text("utf-8", "replace")
    lines = text.splitlines()
    out = [f"Tracebacks in the server log: {text.count('Traceback (most recent call last)')}"]
    exc = Counter(
        ln.strip()[:160]
        for ln in lines
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Interrupt)\b", ln)
    )
    for line, n in exc.most_common(8):
        out.append(f"{n} × `{line}`")
    gc = [ln for ln in lines if "group commit" in ln]
    if gc:
        out.append(f"group-commit warnings: {len(gc)} (first: `{gc[0].strip()[:160]}`)")
    marks = [
        ln.strip()[:200]
        for ln in lines
        if re.search(r"\[(CRITICAL|ERROR)\]|Booting worker|was sent|Worker exiting|TIMEOUT", ln)
    ]
    if marks:
        out.append("gunicorn: " + " · ".join(f"`{m}`" for m in marks[:12]))
    return out


def kinds_text(c: Counter[str]) -> str:
    return ", ".join(f"{k} {n}" for k, n in sorted(c.items(), key=lambda x: -x[1])) or "—"


def write_report(
    path: Path,
    *,
    args: argparse.Namespace,
    cmdline: str,
    rate_source: str,
    server: Server,
    started: dt.datetime,
    base: dict[str, int],
    led: Ledger,
    res: dict[str, Any],
    audit: tuple[int, str],
    verdict: dict[str, Any],
    workdir: Path,
    phones: int,
    cpu: float,
    cluster: tuple[str, str] | None,
    db_note: str,
) -> None:
    s = summarize(led, args.duration)
    fw = fault_windows(led)
    acked = len(led.acks)
    first201 = sum(1 for a in led.acks.values() if a.status == 201)
    path_label = {
        "api": "API `POST /api/v1/checkins`(Bearer 令牌)",
        "replay": "离线队列补传 `POST /m/checkin/submit/`(会话 Cookie + CSRF,checkin.js 的 flush)",
    }[args.path]
    L: list[str] = []
    w = L.append
    ok = verdict["ok"]
    w(f"# 签到浸泡与故障测试 — {args.path}({started:%Y-%m-%d %H:%M})\n")
    w(
        f"**结论:lost={verdict['lost']} duplicated={verdict['duplicated']}**"
        + (" — 通过" if ok else " — **未通过**,见“发现的问题”")
        + "\n"
    )
    w("## 命令行\n")
    w(f"```\n{cmdline}\n```\n")
    w(f"(工作目录 `{os.getcwd()}`;服务日志与确认记录在 `{workdir}`)\n")
    w("## 配置\n")
    cfg = [
        ("路径", path_label),
        (
            "数据库",
            re.sub(r"//([^:@/]+):[^@/]*@", r"//\1:***@", args.database_url) + f"({db_note})",
        ),
        ("服务", server.cmd),
        ("代码", git_info() + (f";zhucun 取自 `{args.pythonpath}`" if args.pythonpath else "")),
        (
            "时长",
            f"{args.duration:g} s;之后补传剩余的签到,至多 {args.drain:g} s(仍在进展时至多 {4 * args.drain:g} s)",
        ),
        ("速率", f"{args.rate:g} 条新签到/秒 — {rate_source}"),
        (
            "重复补传",
            f"已确认签到的 {args.dup_rate:.0%} 在 1–30 s 后原样重发一次(应答 200、同一条记录)",
        ),
        ("模拟手机", f"{phones} 台(每台一个驻村干部账号、一个 keep-alive 连接,按顺序发送)"),
        (
            "超时与重发",
            f"请求超时 {args.timeout:g} s;连接错误、超时、5xx/503 后保留原 client_key,1–5 s 退避后重发,直到确认",
        ),
        (
            "故障",
            ", ".join(f"{n} @ {t:.0f} s" for n, t in parse_faults(args.faults, args.duration))
            or "无",
        ),
        ("PostgreSQL 集群", "/".join(cluster) if cluster else "—"),
        (
            "机器",
            f"{os.cpu_count()} 核,开始时负载 {os.getloadavg()[0]:.2f};测试客户端 CPU {cpu:.1f} s",
        ),
    ]
    if args.path == "replay":
        cfg.append(
            (
                "离线/在线",
                f"每台手机离线 {args.offline_s[0]:g}–{args.offline_s[1]:g} s(期间签到存入队列,offline=true,"
                f"设备时间为 0–{args.max_age_h:g} 小时前),在线 {args.online_s[0]:g}–{args.online_s[1]:g} s,"
                "上线时按顺序连续补传,遇到失败即停(与 checkin.js 相同)",
            )
        )
    w("| 项目 | 值 |\n|---|---|")
    for k, v in cfg:
        w(f"| {k} | {v} |")
    w("")
    w("## 数据核对(SQL)\n")
    checks = [
        ("已确认的签到(不同 client_key)", acked, ""),
        ("  其中首次确认为 201(新建)", first201, ""),
        (
            "  其中首次确认为 200(之前某次请求已提交但应答丢失,重发时确认)",
            acked - first201,
            f"{led.ack_lost} 条此前有失败请求",
        ),
        (
            "  其中此前的失败全是 503(“未存储”)却已存储",
            len(led.stored_after_503),
            "应为 0(503 表示未存储);重发是安全的,不算丢失或重复",
        ),
        ("已确认但数据库中没有(丢失)", len(res["missing"]), "应为 0"),
        ("已确认的 id 与库中记录不符", len(res["wrong_id"]), "应为 0"),
        ("本次 client_key 在库中多于一条", len(res["dup_keys"]), "应为 0"),
        (
            "全库 GROUP BY cadre_id, client_key HAVING count(*) > 1",
            res["global_dup_groups"],
            "应为 0 行",
        ),
        ("本次 client_key 存在其他干部名下", res["other_cadre"], "应为 0"),
        ("设备时间与发送的不符", len(res["bad_device_time"]), "应为 0"),
        (
            "本次新增签到行(id > 开始时最大 id)",
            res["run_rows"],
            f"开始前共 {base['rows']} 行,结束后 {res['rows_after']} 行",
        ),
        (
            "  其中属于本次发送的 client_key",
            res["run_rows_ours"],
            f"= 已确认 {acked} + 已存储未确认 {len(res['stored_unacked'])}",
        ),
        ("  其他来源的新行", res["run_rows"] - res["run_rows_ours"], "应为 0(无其他写入)"),
        (
            "补传结束仍未确认",
            len(led.sent) - acked - len(led.refused),
            f"其中已存储 {len(res['stored_unacked'])} 条",
        ),
        ("被拒绝(4xx,不再重发)", len(led.refused), "应为 0"),
        ("重复补传", led.dup_sent, f"应答正确(200、同一记录){led.dup_ok} 次"),
        ("审计:新签到缺少 checkin.record 事件", len(res["audit_missing"]), "应为 0"),
        ("审计:同一签到多个 checkin.record 事件", len(res["audit_multi"]), "应为 0"),
        (
            "`zhucun audit verify`",
            "通过" if audit[0] == 0 else f"失败(退出码 {audit[0]})",
            audit[1].splitlines()[-1] if audit[1] else "",
        ),
    ]
    w("| 检查 | 结果 | 说明 |\n|---|---:|---|")
    for k, v, note in checks:
        w(f"| {k} | {v} | {note} |")
    w("")
    w(
        f"**lost = {verdict['lost']}**(丢失 {len(res['missing'])} + id 不符 {len(res['wrong_id'])}),"
        f"**duplicated = {verdict['duplicated']}**(全库重复组 {res['global_dup_groups']},本次重复 key {len(res['dup_keys'])})。\n"
    )

    label = "每分钟" if s["span"] >= 60 else f"每 {s['span']:g} 秒"
    w(f"## 速率与错误({label})\n")
    w(
        "| 时段 (s) | 点击 | 新签到确认 | 确认速率 (/s) | 重复补传确认 | 错误(按类型) | 被拒 | p50 ms | p99 ms | 故障 |\n"
        "|---|---:|---:|---:|---:|---|---:|---:|---:|---|"
    )
    for b, row in s["buckets"].items():
        lo, hi = b * s["span"], (b + 1) * s["span"]
        mark = ", ".join(f["name"] for f in led.faults if lo <= f["at"] < hi)
        if lo >= led.end_at - 1:
            mark = (mark + " 补传阶段").strip()
        w(
            f"| {lo:.0f}–{hi:.0f} | {row['taps']} | {row['fresh']} | {row['fresh'] / s['span']:.1f} | {row['resend']} | "
            f"{kinds_text(row['errors'])} | {row['refused']} | {ms(pct(row['lat'], 50))} | "
            f"{ms(pct(row['lat'], 99))} | {mark} |"
        )
    total_s = led.end_at or args.duration
    in_run = sum(1 for a in led.acks.values() if a.at <= total_s)
    w(
        f"\n整体:{len(led.sent)} 条新签到在 {total_s:.0f} s 内产生(点击),其中 {in_run} 条在此期间确认"
        f"(平均 {in_run / total_s:.1f}/s),其余 {acked - in_run} 条在补传阶段确认"
        f"(目标 {args.rate:g}/s);错误共 {sum(s['errors'].values())} 次({kinds_text(s['errors'])})。"
        f"全部队列清空于 {f'{led.drained_at:.1f} s' if led.drained_at is not None else '补传超时,未清空'}。\n"
    )
    w(
        "错误类型:conn_refused 连接被拒;conn_closed 新连接上发出请求后未收到任何应答字节即断开;"
        "stale_conn 复用的 keep-alive 连接上同样情况(手机当即在新连接上重发一次,浏览器也这样做);"
        "conn_reset 应答中途断开;timeout 超时;http_5xx 服务器错误应答(503 表示未存储)。\n"
    )

    w("## 故障与恢复\n")
    if not fw:
        w("本次未注入故障。\n")
    for f in fw:
        w(f"### {f['name']} @ {f['at']:.1f} s\n")
        w(f"- 操作:{f.get('detail') or f.get('error')}")
        if f["name"] == "kill" and f.get("replacement_pid"):
            w(
                f"- 主进程在 {f['replacement_after_s']:.2f} s 后启动了新工作进程 {f['replacement_pid']}"
            )
        if f["name"] == "pgrestart":
            w(
                f"- 重启命令用时 {f.get('restart_s', '?')} s,之后 PostgreSQL 在线:{f.get('online_after')}"
            )
        w(f"- 故障后失败的请求:{kinds_text(f['errors'])}")
        w(f"  - 其中故障时正在处理的请求(故障前发出、故障后失败):{kinds_text(f['in_flight'])}")
        if f["stale_after"]:
            w(
                f"  - 其中 {f['stale_after']} 次是故障后才发出、发现 keep-alive 连接已断(stale_conn),"
                "当即在新连接上重发,不计入恢复用时"
            )
        if f["last_error"] is not None:
            rec = "未恢复" if f["recovered"] is None else f"{f['recovered']:.2f} s"
            w(
                f"- 第一次错误 +{f['first_error']:.2f} s,最后一次错误 +{f['last_error']:.2f} s;"
                f"**恢复用时 {rec}**"
                "(注入故障到最后一次错误之后的第一个确认)"
            )
        else:
            w("- 没有失败的请求(恢复用时 0)")
        if f.get("longest_ack_gap") is not None:
            w(f"- 故障后两次确认之间最长间隔 {f['longest_ack_gap']:.2f} s")
        if "backlog_peak" in f:
            back = f.get("backlog_back")
            w(
                f"- 在线手机上待发送的签到:故障前一分钟 p90 {f['backlog_before']:.0f},故障后峰值 {f['backlog_peak']},"
                + (f"+{back:.1f} s 回落到故障前水平" if back is not None else "未回落到故障前水平")
            )
        w("\n| 秒(相对故障) | 确认 | 错误 | p99 ms | 在线待发 |\n|---:|---:|---|---:|---:|")
        for rel, n_ok, errs, p99, backlog in f["seconds"]:
            w(
                f"| {rel:+.0f} | {n_ok} | {kinds_text(errs)} | {ms(p99)} | {'' if backlog is None else backlog} |"
            )
        w("")

    w("## 延迟\n")
    w("| 请求 | 次数 | p50 ms | p90 ms | p99 ms | 最大 ms |\n|---|---:|---:|---:|---:|---:|")
    for name, xs in (
        ("新签到(201)", s["lat_fresh"]),
        ("已存储的重发(200)", s["lat_stored"]),
        ("全部成功请求", s["lat_ok"]),
        ("全部成功请求,除去故障后 30 s", s["lat_quiet"]),
        ("失败的请求(到出错为止)", s["lat_err"]),
        ("点击到确认(含排队、离线、重发)", s["to_ack"]),
    ):
        w(
            f"| {name} | {len(xs)} | {ms(pct(xs, 50))} | {ms(pct(xs, 90))} | {ms(pct(xs, 99))} | {ms(max(xs) if xs else None)} |"
        )
    w("")

    w("## 发现的问题\n")
    problems = verdict["problems"]
    if not problems:
        w("无:每一条已确认的签到在数据库中恰好一条、id 相符;没有重复;审计链完好。\n")
    for title, rows in problems:
        w(f"- **{title}**")
        for r in rows[:15]:
            w(f"  - `{r}`")
        if len(rows) > 15:
            w(f"  - …共 {len(rows)} 条")
    w("")
    w("## 服务日志摘要\n")
    for line in server_log_summary(server.log_path) or ["(外部服务,无日志)"]:
        w(f"- {line}")
    w("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(L) + "\n", encoding="utf-8")


# ---- main ------------------------------------------------------------------------------------


def judge(led: Ledger, res: dict[str, Any], audit: tuple[int, str]) -> dict[str, Any]:
    lost = len(res["missing"]) + len(res["wrong_id"])
    dup_keys = {r[0] for r in res["dup_keys"]} | {r[1] for r in res["global_dups"]}
    duplicated = max(len(dup_keys), res["global_dup_groups"]) + res["other_cadre"]
    problems: list[tuple[str, list[Any]]] = []

    def add(title: str, rows: list[Any]) -> None:
        if rows:
            problems.append((title, rows))

    add(
        "已确认但数据库中没有 (client_key, cadre_id, 确认的 id)",
        [(r[0], r[1], r[3]) for r in res["missing"]],
    )
    add(
        "已确认的 id 与库中记录不符 (client_key, cadre_id, 确认的 id, 库中 id)",
        [(r[0], r[1], r[3], r[5]) for r in res["wrong_id"]],
    )
    add(
        "同一 (cadre_id, client_key) 存储多条 (cadre_id, client_key, 条数, ids)",
        [tuple(r) for r in res["global_dups"]],
    )
    add(
        "本次 client_key 存储多条 (client_key, cadre_id, 条数, ids)",
        [(r[0], r[1], r[4], r[5]) for r in res["dup_keys"]],
    )
    if res["other_cadre"]:
        add("client_key 存在其他干部名下", [res["other_cadre"]])
    add("设备时间与发送的不符", [(r[0], r[1]) for r in res["bad_device_time"]])
    add("服务器应答异常 (类型, client_key, 说明)", led.anomalies)
    add("新签到缺少审计事件(签到 id)", res["audit_missing"])
    add("同一签到多个审计事件(签到 id)", res["audit_multi"])
    unacked = [k for k in led.sent if k not in led.acks and k not in led.refused]
    add("补传结束仍未确认的签到 (client_key)", unacked)
    if audit[0] != 0:
        add("zhucun audit verify 失败", [audit[1]])
    ok = not problems
    return {"lost": lost, "duplicated": duplicated, "problems": problems, "ok": ok}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cmdline = shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv]))
    started = dt.datetime.now()
    stamp = started.strftime("%Y%m%d-%H%M%S")
    report = Path(args.report) if args.report else RESULTS_DIR / f"soak-{args.path}-{stamp}.md"
    faults = parse_faults(args.faults, args.duration)
    if args.rate is None:
        cap = (args.capacity, "--capacity") if args.capacity else capacity_from_results()
        if cap:
            args.rate = cap[0] / 2
            rate_source = f"测得容量的一半(容量 {cap[0]:g}/s,来自 {cap[1]})"
        else:
            args.rate = FALLBACK_RATE
            rate_source = f"bench/results 中没有签到吞吐量,使用默认 {FALLBACK_RATE:g}/s"
    else:
        rate_source = "--rate"
    if args.path == "replay" and args.rate is not None and "容量" in rate_source:
        rate_source += ";注意:该容量是 API 快速路径测得的,补传路径经过完整的 Django 请求处理"
    cluster = pg_cluster(args.database_url, args.pg_cluster)
    if any(n == "pgrestart" for n, _ in faults) and cluster is None:
        log("pgrestart needs a local PostgreSQL cluster (give --pg-cluster VER/NAME)")
        return 3
    if args.url and any(n == "kill" for n, _ in faults) and not args.pid_file:
        log("kill needs --pid-file of the running server")
        return 3
    workdir = Path(tempfile.mkdtemp(prefix=f"zhucun-soak-{args.path}-"))
    log(
        f"soak {args.path}: {args.duration:g} s at {args.rate:g}/s ({rate_source}); work dir {workdir}"
    )
    server: Server | None = None
    try:
        ensure_pg_online(cluster)
        db_note = ensure_database(args, workdir)
        wait_db(args.database_url)
        django_setup(args, workdir)
        log(f"setup: {args.phones} phones ({'tokens' if args.path == 'api' else 'passwords'})…")
        specs, password = choose_phones(args, stamp)
        server = Server(args, workdir)
        server.wait_ready()
        log(f"server {server.cmd} ready on {server.host}:{server.port}")
        if args.path == "replay":
            t = time.monotonic()
            asyncio.run(login_all(server, specs, password))
            log(f"logged in {len(specs)} phones in {time.monotonic() - t:.1f} s")
        rng = random.Random(args.seed)
        actions: list[tuple[float, str, Callable[[], dict[str, Any]]]] = []
        for name, at in faults:
            if name == "kill":
                assert server.pid_file is not None
                actions.append((at, name, fault_kill(server.pid_file, rng)))
            else:
                assert cluster is not None
                actions.append((at, name, fault_pgrestart(cluster)))
        base = db_baseline(args.database_url)
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        phones = Phones(
            mode=args.path,
            host=server.host,
            port=server.port,
            specs=specs,
            rate=args.rate,
            duration=args.duration,
            drain=args.drain,
            dup_rate=args.dup_rate,
            timeout=args.timeout,
            seed=args.seed,
            faults=actions,
            offline_s=args.offline_s,
            online_s=args.online_s,
            max_age_h=args.max_age_h,
            log=log,
        )
        led = asyncio.run(phones.run())
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        log(f"run over: {len(led.acks)} acknowledged, {len(led.sent)} sent; stopping the server")
        server.stop()
        ensure_pg_online(cluster)
        wait_db(args.database_url)
        res = verify(args.database_url, led, base, args.path)
        log("audit verify…")
        audit = audit_verify(args, workdir)
        verdict = judge(led, res, audit)
        (workdir / "acks.json").write_text(
            json.dumps(
                {k: [a.cadre_id, a.row_id, a.status, a.device_time] for k, a in led.acks.items()}
            ),
            encoding="utf-8",
        )
        write_report(
            report,
            args=args,
            cmdline=cmdline,
            rate_source=rate_source,
            server=server,
            started=started,
            base=base,
            led=led,
            res=res,
            audit=audit,
            verdict=verdict,
            workdir=workdir,
            phones=len(specs),
            cpu=cpu,
            cluster=cluster,
            db_note=db_note,
        )
        log(f"report: {report}")
        log(
            f"lost={verdict['lost']} duplicated={verdict['duplicated']} "
            f"problems={[t for t, _ in verdict['problems']]}"
        )
        if verdict["lost"] or verdict["duplicated"]:
            return 1
        return 0 if verdict["ok"] else 2
    except Exception:
        traceback.print_exc()
        return 3
    finally:
        if server is not None:
            server.stop()
        ensure_pg_online(cluster)


if __name__ == "__main__":
    sys.exit(main())
