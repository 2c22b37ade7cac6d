"""Shared pieces of the benchmarks: the result and context types every bench module uses, the
scale databases (created, migrated and generated with ``zhucun gen`` on first use, reused
afterwards), and subprocess helpers (Django settings are process-global, so every measured
thing runs in its own process with ``DATABASE_URL`` set).

A bench module exposes ``NAME: str`` and ``run(ctx: Context) -> list[Result]``; its measured
parts usually live in the same module behind ``python -m bench.<module> <driver> …`` (see
``driver_main``), which sets Django up, does one thing and prints one JSON line."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"  # git-ignored scratch
RESULTS_DIR = BENCH_DIR / "results"
PYTHON = sys.executable
SCALES = ("prefecture", "province", "national")
GEN_SEED = 1
# Server part of the URLs of the bench databases (trust auth, user postgres by default).
PG_SERVER = os.environ.get("ZHUCUN_BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")
# Names of the scale databases; another prefix (ZHUCUN_BENCH_DB_PREFIX) lets a second engineer
# measure a branch whose migrations change the schema on a copy, without touching the shared ones.
DB_PREFIX = os.environ.get("ZHUCUN_BENCH_DB_PREFIX", "zhucun_bench_")
JSON_MARK = "@@BENCH@@"  # prefix of the one result line a driver prints


@dataclass
class Result:
    bench: str  # Chinese name, e.g. "月度考勤结算(全国规模)"
    metric: str  # e.g. "耗时(秒)"
    ours: float
    baseline: float | None  # the database's/library's own limit measured in the same run
    ratio: float | None  # ours / baseline (or baseline/ours — say which in `target`)
    target: str  # e.g. "≤ 2× 基准"
    met: bool | None
    note: str = ""


@dataclass
class Context:
    # scale ("prefecture"|"province"|"national") -> DATABASE_URL of a PostgreSQL DB generated
    # at that scale (creates + migrates + generates on first use, reuses afterwards)
    database_url: Callable[[str], str]
    workdir: Path  # scratch dir (bench/data/, git-ignored)
    quick: bool  # --quick: smaller durations/sample counts for a smoke run
    # what happened while preparing databases in this run (scale -> gen record), for the report
    generated: dict[str, dict[str, Any]] = field(default_factory=dict)
    # bench module name -> free-form details (latencies, EXPLAIN excerpts…) for the JSON file
    details: dict[str, Any] = field(default_factory=dict)
    # the scales this run may use (--scales); see scale_for
    scales: tuple[str, ...] = SCALES

    def scale_for(self, wanted: str) -> str:
        """The scale a bench that wants ``wanted`` runs at: ``wanted`` if this run allows it,
        else the nearest allowed smaller scale (else the nearest larger one)."""
        return substitute_scale(wanted, self.scales)


def substitute_scale(wanted: str, allowed: Sequence[str]) -> str:
    if wanted in allowed or not allowed:
        return wanted
    order = list(SCALES)
    smaller = [s for s in allowed if order.index(s) < order.index(wanted)]
    if smaller:
        return max(smaller, key=order.index)
    return min(allowed, key=order.index)


def ratio(ours: float, baseline: float | None) -> float | None:
    if baseline is None or baseline <= 0:
        return None
    return ours / baseline


def result_dict(r: Result) -> dict[str, Any]:
    return asdict(r)


# ---- small measurements ----------------------------------------------------------------------


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: Sequence[float], p: float) -> float:
    """Linear-interpolated percentile (p in 0..100), as numpy's default."""
    if not values:
        raise ValueError("no values")
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


class Timer:
    """``with Timer() as t: …`` then ``t.seconds`` (perf_counter)."""

    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        self.seconds = 0.0
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


# ---- subprocesses ------------------------------------------------------------------------------


def bench_env(database_url: str | None = None, **extra: str) -> dict[str, str]:
    """Environment of a measured subprocess: DATABASE_URL, a fixed SECRET_KEY (so nothing
    writes .zhucun-secret), ZHUCUN_HOME in the scratch dir, the repo on PYTHONPATH (for
    ``bench``), warnings only."""
    env = dict(os.environ)
    env.pop("ZHUCUN_DEBUG", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env.setdefault("SECRET_KEY", "zhucun-bench-not-secret")
    env["ZHUCUN_HOME"] = str(DATA_DIR)
    env["DJANGO_SETTINGS_MODULE"] = "zhucun.settings"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.setdefault("ZHUCUN_LOG_LEVEL", "ERROR")
    env.update(extra)
    return env


class SubprocessFailed(RuntimeError):
    pass


def run_driver(
    module: str,
    *args: str,
    database_url: str | None = None,
    timeout: float | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Runs ``python -m bench.<module> <args>`` and returns the JSON its driver printed."""
    cmd = [PYTHON, "-m", f"bench.{module}", *args]
    proc = subprocess.run(
        cmd,
        cwd=DATA_DIR,
        env=env or bench_env(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(JSON_MARK):
            out: dict[str, Any] = json.loads(line[len(JSON_MARK) :])
            if proc.returncode != 0:
                out.setdefault("error", proc.stderr[-2000:])
            return out
    raise SubprocessFailed(
        f"{' '.join(cmd[2:])} 失败(退出码 {proc.returncode}):\n"
        f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    )


def emit(payload: dict[str, Any]) -> None:
    """What a driver prints: one marked JSON line (with this process's peak RSS)."""
    payload.setdefault("peak_rss_mb", round(peak_rss_mb(), 1))
    print(JSON_MARK + json.dumps(payload, ensure_ascii=False, default=str), flush=True)


def driver_main(
    drivers: dict[str, Callable[[list[str]], dict[str, Any]]], *, plain: Sequence[str] = ()
) -> None:
    """``python -m bench.<module> <driver> [args…]``: set Django up (not for the ``plain``
    drivers, which measure a library on its own), run the driver, emit its JSON line."""
    if len(sys.argv) < 2 or sys.argv[1] not in drivers:
        sys.exit(f"usage: python -m bench.<module> {'|'.join(drivers)} [options]")
    if sys.argv[1] not in plain:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhucun.settings")
        import django

        django.setup()
    emit(drivers[sys.argv[1]](sys.argv[2:]))


def zhucun(*args: str, database_url: str, timeout: float | None = None) -> str:
    """Runs ``zhucun <args>`` (the installed console command) against ``database_url``."""
    exe = Path(PYTHON).with_name("zhucun")
    cmd = [str(exe)] if exe.exists() else [PYTHON, "-m", "zhucun.cli"]
    proc = subprocess.run(
        [*cmd, *args],
        cwd=DATA_DIR,
        env=bench_env(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise SubprocessFailed(
            f"zhucun {' '.join(args)} 失败(退出码 {proc.returncode}):\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        )
    return proc.stdout


# ---- PostgreSQL ------------------------------------------------------------------------------


def pg_url(dbname: str) -> str:
    return f"{PG_SERVER}/{dbname}"


def pg_connect(dbname: str = "postgres", **kwargs: Any) -> Any:
    import psycopg

    return psycopg.connect(pg_url(dbname), **kwargs)


def pg_exists(dbname: str) -> bool:
    with pg_connect(autocommit=True) as conn:
        return (
            conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
            is not None
        )


def pg_create(dbname: str, *, template: str | None = None) -> None:
    from psycopg import sql

    stmt = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname))
    if template:
        stmt = sql.SQL("{} TEMPLATE {}").format(stmt, sql.Identifier(template))
    with pg_connect(autocommit=True) as conn:
        conn.execute(stmt)


def pg_sessions(dbname: str) -> int:
    """Other sessions connected to ``dbname``."""
    with pg_connect(autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [dbname],
        ).fetchone()
    return int(row[0])


def pg_drop(dbname: str) -> None:
    """Drops ``dbname`` — refuses while someone else is connected to it (the machine and the
    server are shared: a bench never kills another engineer's sessions)."""
    from psycopg import sql

    if pg_exists(dbname) and (n := pg_sessions(dbname)):
        raise RuntimeError(f"数据库 {dbname} 有 {n} 个其他会话在使用,不删除;请稍后再试")
    with pg_connect(autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(dbname)))


def pg_server_info(dbname: str = "postgres") -> dict[str, str]:
    names = (
        "server_version",
        "shared_buffers",
        "synchronous_commit",
        "max_connections",
        "work_mem",
        "effective_cache_size",
        "max_wal_size",
        "jit",
    )
    with pg_connect(dbname, autocommit=True) as conn:
        info = {name: str(conn.execute(f"SHOW {name}").fetchone()[0]) for name in names}
        rows = conn.execute(
            "SELECT name, setting, unit FROM pg_settings WHERE source NOT IN "
            "('default', 'override', 'client', 'session') ORDER BY name"
        ).fetchall()
    info["non_default"] = ", ".join(f"{n}={s}{u or ''}" for n, s, u in rows)
    return info


# ---- the scale databases ---------------------------------------------------------------------


def db_name(scale: str) -> str:
    return f"{DB_PREFIX}{scale}"


def gen_marker(scale: str) -> Path:
    return DATA_DIR / f"gen-{scale}.json"


class Databases:
    """``Context.database_url``: ``zhucun_bench_<scale>``, made on first use in this run or
    an earlier one (the marker ``bench/data/gen-<scale>.json`` is the gen's ``--json`` output,
    written only when the gen finished). ``regen``: rebuild the scales named."""

    def __init__(
        self,
        *,
        regen: Sequence[str] = (),
        allowed: Sequence[str] = SCALES,
        log: Callable[[str], None] = print,
    ):
        self.regen = set(regen)
        self.allowed = tuple(allowed)
        self.generated: dict[str, dict[str, Any]] = {}
        self.log = log
        self._ready: dict[str, str] = {}

    def __call__(self, scale: str) -> str:
        if scale not in SCALES:
            raise ValueError(f"unknown scale {scale!r}; one of {', '.join(SCALES)}")
        wanted, scale = scale, substitute_scale(scale, self.allowed)
        if scale != wanted and scale not in self._ready:
            self.log(f"  (--scales 未包含 {wanted},改用 {scale})")
        if scale in self._ready:
            return self._ready[scale]
        name, marker = db_name(scale), gen_marker(scale)
        url = pg_url(name)
        if scale in self.regen or not marker.exists() or not pg_exists(name):
            self._build(scale, name, url, marker)
        else:
            self.log(f"  复用数据库 {name}(生成记录 {marker.name});迁移到最新……")
            zhucun("migrate", "--no-input", "-v", "0", database_url=url)
        self._ready[scale] = url
        return url

    def _build(self, scale: str, name: str, url: str, marker: Path) -> None:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        marker.unlink(missing_ok=True)
        self.log(f"  建立数据库 {name}:createdb、migrate、zhucun gen --scale {scale} ……")
        pg_drop(name)
        pg_create(name)
        with Timer() as t_migrate:
            zhucun("migrate", "--no-input", "-v", "0", database_url=url)
        tmp = marker.with_suffix(".partial.json")
        tmp.unlink(missing_ok=True)
        args = ["gen", "--scale", scale, "--seed", str(GEN_SEED), "--json", str(tmp)]
        with Timer() as t_gen:
            out = zhucun(*args, database_url=url)
        record: dict[str, Any] = {}
        if tmp.exists():
            try:
                record = json.loads(tmp.read_text(encoding="utf-8"))
            except ValueError:
                record = {}
        info = {
            "scale": scale,
            "seed": GEN_SEED,
            "seconds": round(t_gen.seconds, 1),
            "migrate_seconds": round(t_migrate.seconds, 1),
            "rows": gen_rows(record, url),
            "gen_json": record,
            "stdout_tail": out[-1500:],
            "generated_at": time.strftime("%Y-%m-%d %H:%M:%S"),
        }
        total = record.get("total") if isinstance(record.get("total"), dict) else {}
        if isinstance(total.get("rows_per_second"), int | float):
            info["rows_per_second"] = round(total["rows_per_second"])  # the gen's own figure
            info["gen_seconds"] = total.get("seconds")
        else:
            info["rows_per_second"] = round(info["rows"] / t_gen.seconds) if t_gen.seconds else None
        self.generated[scale] = info
        with pg_connect(name, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        marker.write_text(json.dumps(info, ensure_ascii=False, indent=1, default=str), "utf-8")
        tmp.unlink(missing_ok=True)
        self.log(
            f"  {name}:生成 {info['rows']:,} 行,{t_gen.seconds:.0f} 秒"
            f"({info['rows_per_second'] or 0:,} 行/秒)"
        )


def gen_rows(record: dict[str, Any], url: str) -> int:
    """Rows the gen wrote: its own total if the --json says, else the sum of its per-table
    counts, else the live row estimate of the database."""
    total = record.get("total")
    if isinstance(total, dict) and isinstance(total.get("rows"), int):
        return int(total["rows"])
    for key in ("total_rows", "rows_total", "rows"):
        value = record.get(key)
        if isinstance(value, int):
            return value
    for key in ("counts", "tables", "rows"):
        value = record.get(key)
        if isinstance(value, dict):
            nums = [v for v in value.values() if isinstance(v, int)]
            if nums:
                return sum(nums)
    dbname = url.rsplit("/", 1)[1]
    with pg_connect(dbname, autocommit=True) as conn:
        conn.execute("ANALYZE")
        row = conn.execute(
            "SELECT COALESCE(SUM(n_live_tup), 0) FROM pg_stat_user_tables"
        ).fetchone()
    return int(row[0])


def scale_label(scale: str) -> str:
    return {"prefecture": "州级规模", "province": "省级规模", "national": "全国规模"}[scale]


def fmt(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.{digits}g}" if abs(value) < 1 else f"{value:.2f}"


def now_stamp() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S %z")


def argv_value(args: list[str], name: str, default: str | None = None) -> str | None:
    """``--name value`` from a driver's argv."""
    if name in args:
        i = args.index(name)
        if i + 1 < len(args):
            return args[i + 1]
    return default


__all__ = [
    "Context",
    "Databases",
    "Result",
    "Timer",
    "argv_value",
    "bench_env",
    "driver_main",
    "emit",
    "median",
    "peak_rss_mb",
    "percentile",
    "ratio",
    "run_driver",
    "zhucun",
]
