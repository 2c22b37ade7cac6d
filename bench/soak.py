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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from soak_client import Ledger, Phones, PhoneSpec, browser_login  # noqa: E402
from soak_report import _pair, parse_faults, write_report  # noqa: E402

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


def verdict_exit(verdict: dict, report: object, say) -> int:
    """The run's exit code: 1 lost or duplicated, 2 another problem, 0 all well."""
    say(f"report: {report}")
    say(
        f"lost={verdict['lost']} duplicated={verdict['duplicated']} "
        f"problems={[t for t, _ in verdict['problems']]}"
    )
    if verdict["lost"] or verdict["duplicated"]:
        return 1
    return 0 if verdict["ok"] else 2


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
    # a fixed audit key: the soak database is reused by later runs, whose work dirs (where
    # the key would otherwise be generated) are new — their verify would name event #1
    env.setdefault("ZHUCUN_AUDIT_KEY", "zhucun-soak-audit-key-not-secret")
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
        if k in (
            "DATABASE_URL",
            "SECRET_KEY",
            "ZHUCUN_AUDIT_KEY",
            "ZHUCUN_HOME",
            "DJANGO_SETTINGS_MODULE",
        ):
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
    from zhucun.registry.models import Posting, PostingStatus
    from zhucun.useradmin.tokens import token_create

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
        return verdict_exit(verdict, report, log)
    except Exception:
        traceback.print_exc()
        return 3
    finally:
        if server is not None:
            server.stop()
        ensure_pg_online(cluster)


if __name__ == "__main__":
    sys.exit(main())
