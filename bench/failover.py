"""Losing the database server (issue 18): PostgreSQL's own synchronous streaming replication,
a hard stop of the primary in the middle of check-ins, the standby promoted — and then, in
the new primary: every check-in the server acknowledged is there, none twice, the audit
chain verifies; how long writes were refused; the phones' queues drained.

    .venv/bin/python bench/failover.py                      # as root (or the postgres user)
    .venv/bin/python bench/failover.py --duration 120 --fault-at 40 --promote-after 5

What it does (everything in a temporary directory, removed at the end, also on failure):

1. ``initdb`` a primary (127.0.0.1:55432) with the deployment's PostgreSQL settings
   (deploy/postgresql-zhucun.conf rendered for 1 GB), ``pg_basebackup -R`` a standby
   (:55433) with a replication slot, ``synchronous_standby_names`` = the standby,
   ``synchronous_commit = on``: a commit returns only when the standby has the WAL on disk.
2. ``zhucun migrate`` and ``zhucun gen --scale prefecture --seed 1`` through the multi-host
   URL ``postgresql://postgres@127.0.0.1:55432,127.0.0.1:55433/zhucun?target_session_attrs=
   read-write&connect_timeout=3`` (libpq keeps the first host that accepts writes); a bearer
   token per phone.
3. ``zhucun serve`` (2 workers × 8 threads) with that URL; simulated phones (bench/soak_client.py:
   one keep-alive connection each, a UUID client key per check-in, a 503/connection error keeps
   the check-in queued and resends it with the same key after 1–5 s) check in at a steady rate;
   a prober GETs ``/api/v1/me`` (the Django request path, persistent connections) 4×/s.
4. At ``--fault-at`` s: SIGKILL to the primary's postmaster and every backend at once. After
   ``--promote-after`` s (what a failure detector would take) ``pg_ctl promote`` the standby.
5. After the run and the drain: the soak's checks (bench/soak.py ``verify``) against the NEW
   primary directly (port 55433), ``zhucun audit verify``; a Markdown report in
   ``bench/results/failover-<time>.md``.

Exit code: 0 all checks passed; 1 an acknowledged check-in lost or a check-in stored twice;
2 another check failed; 3 the run could not be set up."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.client
import json
import os
import resource
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

import soak  # noqa: E402
from failover_pg import Cluster, make_pair, pg_bindir, port_free  # noqa: E402
from failover_report import write_report  # noqa: E402
from soak_client import Phones  # noqa: E402

RESULTS_DIR = BENCH_DIR / "results"


def log(msg: str) -> None:
    print(msg, flush=True)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench/failover.py",
        description="数据库服务器宕机演练:同步流复制的主备两个集群,签到进行中强行终止主库、提升备库,"
        "核对每一条已确认的签到都在新主库上(0 丢失、0 重复),并测量拒绝写入的时长。",
    )
    p.add_argument("--duration", type=float, default=90.0, help="seconds of check-ins (90)")
    p.add_argument("--fault-at", type=float, default=30.0, help="kill the primary at (30 s)")
    p.add_argument(
        "--promote-after",
        type=float,
        default=5.0,
        help="seconds between the kill and `pg_ctl promote` (a failure detector's delay; 5)",
    )
    p.add_argument(
        "--fault",
        choices=["kill", "freeze"],
        default="kill",
        help="kill: SIGKILL the primary's processes (default); freeze: SIGSTOP them (a hung "
        "server whose kernel still answers TCP)",
    )
    p.add_argument("--rate", type=float, default=60.0, help="new check-ins per second (60)")
    p.add_argument("--phones", type=int, default=200, help="simulated phones (200)")
    p.add_argument("--dup-rate", type=float, default=0.10, help="share of acknowledged resent")
    p.add_argument("--drain", type=float, default=120.0, help="max seconds to deliver the rest")
    p.add_argument("--timeout", type=float, default=15.0, help="request timeout, seconds")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--ports", default="55432,55433", help="primary,standby ports")
    p.add_argument("--pg-bindir", default=None, help="default: newest /usr/lib/postgresql/*/bin")
    p.add_argument("--gen", default="prefecture", help="zhucun gen --scale (prefecture)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--report", default=None, help="Markdown report path")
    p.add_argument("--keep", action="store_true", help="keep the work directory (logs)")
    p.add_argument(
        "--no-health-checks",
        action="store_true",
        help="run the server with ZHUCUN_CONN_HEALTH_CHECKS=0 (to compare)",
    )
    p.add_argument(
        "--pythonpath", default=None, help="development: import zhucun from this src directory"
    )
    args = p.parse_args(argv)
    a, _, b = args.ports.partition(",")
    args.port_pair = (int(a), int(b))
    return args


# ---- the database URL, the environment, zhucun commands ----------------------------------------


def multi_host_url(ports: tuple[int, int], db: str = "zhucun") -> str:
    hosts = ",".join(f"127.0.0.1:{p}" for p in ports)
    return f"postgresql://postgres@{hosts}/{db}?target_session_attrs=read-write&connect_timeout=3"


def zhucun_cmd(args: argparse.Namespace, workdir: Path, *cmd: str, timeout: float = 1800) -> str:
    r = subprocess.run(
        [sys.executable, "-m", "zhucun.cli", *cmd],
        cwd=workdir,
        env=soak.child_env(args, workdir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if r.returncode != 0:
        raise RuntimeError(f"zhucun {' '.join(cmd)} failed:\n{r.stdout[-1500:]}{r.stderr[-3000:]}")
    return r.stdout


def render_pg_conf(workdir: Path) -> Path:
    """The deployment's PostgreSQL settings (deploy/render.py), for a 1 GB share each."""
    out = workdir / "deploy"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "deploy" / "render.py"),
            "--out",
            str(out),
            "--var",
            "SERVER_NAME=failover.invalid",
            "--var",
            "PG_RAM_GB=1",
        ],
        check=True,
        capture_output=True,
    )
    return out / "postgresql-zhucun.conf"


# ---- the failover itself -----------------------------------------------------------------------


def failover_action(
    primary: Cluster, standby: Cluster, promote_after: float, fault: str = "kill"
) -> Callable[[], dict[str, Any]]:
    def act() -> dict[str, Any]:
        t_kill = time.monotonic()
        pids = primary.kill9() if fault == "kill" else primary.freeze()
        t_dead = time.monotonic()
        time.sleep(max(0.0, promote_after - (t_dead - t_kill)))
        t_promote = time.monotonic()
        standby.promote()
        t_promoted = time.monotonic()
        return {
            "t_inject": t_kill,
            "detail": f"{'kill -9' if fault == 'kill' else 'kill -STOP(冻结)'} 主库 postmaster 与全部后端进程 {pids};"
            f"{promote_after:g} s 后 pg_ctl promote 备库",
            "killed": pids,
            "dead_mono": t_dead,
            "promote_mono": t_promote,
            "promoted_mono": t_promoted,
        }

    return act


class Prober(threading.Thread):
    """GET /api/v1/me (bearer token, the ordinary Django request path with its persistent
    connections) every ``every`` s; records (t, status or error)."""

    def __init__(self, host: str, port: int, token: str, every: float = 0.25) -> None:
        super().__init__(daemon=True, name="prober")
        self.host, self.port, self.token, self.every = host, port, token, every
        self.samples: list[tuple[float, str]] = []
        self.stop_flag = threading.Event()

    def run(self) -> None:
        conn: http.client.HTTPConnection | None = None
        while not self.stop_flag.is_set():
            t = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                conn.request("GET", "/api/v1/me", headers={"Authorization": f"Bearer {self.token}"})
                resp = conn.getresponse()
                resp.read()
                outcome = str(resp.status)
            except (OSError, http.client.HTTPException) as exc:
                outcome = type(exc).__name__
                if conn is not None:
                    conn.close()
                conn = None
            self.samples.append((t, outcome))
            self.stop_flag.wait(max(0.0, self.every - (time.monotonic() - t)))
        if conn is not None:
            conn.close()


def pg_facts(url: str) -> dict[str, Any]:
    import psycopg

    names = (
        "server_version",
        "synchronous_commit",
        "synchronous_standby_names",
        "shared_buffers",
        "max_connections",
        "wal_level",
        "fsync",
        "max_wal_size",
        "jit",
    )
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)",
            [list(names)],
        ).fetchall()
        repl = conn.execute(
            "SELECT application_name, state, sync_state FROM pg_stat_replication"
        ).fetchall()
    return {"settings": dict(rows), "replication": repl}


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    cmdline = shlex.join(getattr(sys, "orig_argv", [sys.executable, *sys.argv]))
    started = dt.datetime.now()
    stamp = started.strftime("%Y%m%d-%H%M%S")
    report = Path(args.report) if args.report else RESULTS_DIR / f"failover-{stamp}.md"
    for port in args.port_pair:
        if not port_free(port):
            log(f"port {port} is in use: choose others with --ports")
            return 3
    workdir = Path(tempfile.mkdtemp(prefix="zhucun-failover-"))
    os.chmod(workdir, 0o755)
    args.url = None
    args.path = "api"
    args.database_url = multi_host_url(args.port_pair)
    if args.no_health_checks:
        os.environ["ZHUCUN_CONN_HEALTH_CHECKS"] = "0"
    primary = standby = None
    server: soak.Server | None = None
    prober: Prober | None = None
    timings: dict[str, float] = {}
    log(f"failover: work dir {workdir}; database URL {args.database_url}")
    try:
        t = time.monotonic()
        conf = render_pg_conf(workdir)
        bindir = pg_bindir(args.pg_bindir)
        primary = Cluster("primary", workdir / "pg", args.port_pair[0], bindir)
        standby = Cluster("standby", workdir / "pg", args.port_pair[1], bindir)
        make_pair(primary, standby, conf)
        timings["clusters_s"] = time.monotonic() - t
        log(
            f"primary :{primary.port} and synchronous standby :{standby.port} up ({timings['clusters_s']:.1f} s)"
        )
        import psycopg

        with psycopg.connect(primary.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE zhucun")
        t = time.monotonic()
        zhucun_cmd(args, workdir, "migrate", "--no-input", "-v", "0")
        gen_out = zhucun_cmd(args, workdir, "gen", "--scale", args.gen, "--seed", str(args.seed))
        timings["load_s"] = time.monotonic() - t
        log(f"migrated and generated ({args.gen}) in {timings['load_s']:.1f} s")
        pg_before = pg_facts(primary.url("zhucun"))
        soak.django_setup(args, workdir)
        specs, _ = soak.choose_phones(args, stamp)
        server = soak.Server(args, workdir)
        server.wait_ready()
        log(f"server {server.cmd} ready on {server.host}:{server.port}")
        base = soak.db_baseline(args.database_url)
        phones = Phones(
            mode="api",
            host=server.host,
            port=server.port,
            specs=specs,
            rate=args.rate,
            duration=args.duration,
            drain=args.drain,
            dup_rate=args.dup_rate,
            timeout=args.timeout,
            seed=args.seed,
            faults=[
                (
                    args.fault_at,
                    "failover",
                    failover_action(primary, standby, args.promote_after, args.fault),
                )
            ],
            log=log,
        )
        prober = Prober(server.host, server.port, specs[0].token)
        prober.start()
        cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        led = asyncio.run(phones.run())
        cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        prober.stop_flag.set()
        prober.join(15)
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        log(f"run over: {len(led.acks)} acknowledged, {len(led.sent)} sent; stopping the server")
        server.stop()
        new_primary = standby.url("zhucun")
        pg_after = pg_facts(new_primary)
        res = soak.verify(new_primary, led, base, "api")
        args_new = argparse.Namespace(**{**vars(args), "database_url": new_primary})
        audit = soak.audit_verify(args_new, workdir)
        verdict = soak.judge(led, res, audit)
        (workdir / "acks.json").write_text(
            json.dumps({k: [a.cadre_id, a.row_id, a.status] for k, a in led.acks.items()}),
            encoding="utf-8",
        )
        write_report(
            report,
            args=args,
            cmdline=cmdline,
            started=started,
            led=led,
            res=res,
            audit=audit,
            verdict=verdict,
            base=base,
            prober=prober.samples,
            server=server,
            pg_before=pg_before,
            pg_after=pg_after,
            timings=timings,
            gen_out=gen_out,
            phones=len(specs),
            cpu=cpu,
            workdir=workdir,
        )
        return soak.verdict_exit(verdict, report, log)
    except Exception:
        traceback.print_exc()
        return 3
    finally:
        if prober is not None:
            prober.stop_flag.set()
        if server is not None:
            server.stop()
        for cluster in (primary, standby):
            if cluster is not None:
                cluster.stop()
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
