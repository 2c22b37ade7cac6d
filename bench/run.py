"""Runs the benchmarks and writes the report.

    .venv/bin/python -m bench.run [--only importer,pages] [--quick] [--scales prefecture,province]
                                  [--regen province]

Discovers the bench modules (``MODULES``; one that does not exist yet is skipped with a note),
prepares the scale databases they ask for (``zhucun_bench_<scale>``: createdb, ``zhucun migrate``,
``zhucun gen --scale <scale> --seed 1``, reused by later runs), runs each bench, prints a table and
writes ``bench/results/<YYYY-MM-DD>-<hostname>.md`` and ``.json`` and ``bench/results/latest.md``
with the machine, the versions, the PostgreSQL settings and the git commit. A run with ``--only``
merges its modules into the day's existing results (the other modules keep their last figures
and say when they were measured)."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import importlib.metadata
import importlib.util
import json
import os
import platform
import socket
import subprocess
import sys
import time
import traceback
import unicodedata
from pathlib import Path
from typing import Any

from .common import (
    DATA_DIR,
    RESULTS_DIR,
    ROOT,
    SCALES,
    Context,
    Databases,
    Result,
    fmt,
    pg_server_info,
    result_dict,
)

MODULES = ("importer", "pages", "monthclose", "checkin")
HEADERS = ("基准测试", "指标", "本系统", "基准", "比值", "目标", "达标", "说明")


# ---- environment -----------------------------------------------------------------------------


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def machine_info() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in _read("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem_kb = next(
        (
            int(line.split()[1])
            for line in _read("/proc/meminfo").splitlines()
            if line.startswith("MemTotal:")
        ),
        0,
    )
    os_name = next(
        (
            line.split("=", 1)[1].strip().strip('"')
            for line in _read("/etc/os-release").splitlines()
            if line.startswith("PRETTY_NAME=")
        ),
        platform.system(),
    )
    return {
        "hostname": socket.gethostname(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kb / 2**20, 1),
        "os": f"{os_name} (Linux {platform.release()})",
        "loadavg": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("django", "psycopg", "gunicorn", "openpyxl", "django-ninja"):
        try:
            out[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            out[dist] = "—"
    return out


def git_commit() -> str:
    def git(*args: str) -> str:
        proc = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return proc.stdout.strip() if proc.returncode == 0 else ""

    commit = git("rev-parse", "--short=12", "HEAD") or "?"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{commit}(工作区有未提交改动)" if dirty else commit


def environment() -> dict[str, Any]:
    env: dict[str, Any] = {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": machine_info(),
        "versions": versions(),
        "git": git_commit(),
    }
    try:
        env["postgresql"] = pg_server_info()
    except Exception as exc:  # noqa: BLE001 - the report says what went wrong
        env["postgresql"] = {"error": str(exc)}
    return env


# ---- running -----------------------------------------------------------------------------------


def available(name: str) -> bool:
    return importlib.util.find_spec(f"bench.{name}") is not None


def run_module(name: str, ctx: Context) -> dict[str, Any]:
    record: dict[str, Any] = {"started": time.strftime("%Y-%m-%d %H:%M:%S"), "results": []}
    t0 = time.perf_counter()
    try:
        module = importlib.import_module(f"bench.{name}")
        results: list[Result] = module.run(ctx)
        record["title"] = getattr(module, "NAME", name)
        record["results"] = [result_dict(r) for r in results]
    except Exception as exc:  # noqa: BLE001 - one failing bench must not lose the others
        traceback.print_exc()
        record["error"] = f"{type(exc).__name__}: {exc}"[:4000]
    record["seconds"] = round(time.perf_counter() - t0, 1)
    if name in ctx.details:
        record["details"] = ctx.details[name]
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description="运行基准测试")
    parser.add_argument("--only", default="", help="只运行这些模块(逗号分隔):" + ",".join(MODULES))
    parser.add_argument("--quick", action="store_true", help="冒烟运行:更少的样本和更短的时长")
    parser.add_argument(
        "--scales",
        default=",".join(SCALES),
        help="本次允许使用的规模(逗号分隔);要求更大规模的测试改用其中最接近的较小规模",
    )
    parser.add_argument("--regen", default="", help="重新生成这些规模的数据库(逗号分隔)")
    parser.add_argument("--no-write", action="store_true", help="只打印,不写 bench/results/")
    args = parser.parse_args(argv)

    names = [n.strip() for n in args.only.split(",") if n.strip()] or list(MODULES)
    unknown = [n for n in names if n not in MODULES]
    if unknown:
        parser.error(f"未知模块:{', '.join(unknown)}(可选 {', '.join(MODULES)})")
    scales = tuple(s.strip() for s in args.scales.split(",") if s.strip())
    bad = [s for s in scales if s not in SCALES]
    if bad:
        parser.error(f"未知规模:{', '.join(bad)}(可选 {', '.join(SCALES)})")
    regen = [s.strip() for s in args.regen.split(",") if s.strip()]

    DATA_DIR.mkdir(parents=True, exist_ok=True)
    env = environment()
    m = env["machine"]
    print(f"机器:{m['cpu']},{m['cores']} 核,{m['ram_gib']} GiB;负载 {m['loadavg']}")
    print(f"提交:{env['git']};PostgreSQL {env['postgresql'].get('server_version', '?')}")
    dbs = Databases(regen=regen, allowed=scales)
    ctx = Context(database_url=dbs, workdir=DATA_DIR, quick=args.quick, scales=scales)
    ctx.generated = dbs.generated
    modules: dict[str, Any] = {}
    for name in names:
        if not available(name):
            print(f"\n== {name}:模块 bench/{name}.py 尚不存在,跳过")
            modules[name] = {"skipped": "模块尚不存在"}
            continue
        print(f"\n== {name}")
        modules[name] = run_module(name, ctx)
        print(f"   ({modules[name]['seconds']:.0f} 秒)")
    env["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    report = {
        "environment": env,
        "quick": args.quick,
        "scales": list(scales),
        "generated": dbs.generated,
        "modules": modules,
    }
    print()
    print(console_table(report))
    if args.no_write:
        return 0
    paths = write_report(report, merge=bool(args.only.strip()))
    print("\n已写入:" + "、".join(str(p.relative_to(ROOT)) for p in paths))
    return 0 if all("error" not in m for m in modules.values()) else 1


# ---- output ----------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _met(value: bool | None) -> str:
    return {True: "✓", False: "✗", None: "—"}[value]


def rows_of(report: dict[str, Any]) -> list[list[str]]:
    rows = []
    for name, mod in report["modules"].items():
        if "skipped" in mod:
            rows.append([name, "", "", "", "", "", "—", f"跳过:{mod['skipped']}"])
            continue
        if "error" in mod:
            rows.append([name, "", "", "", "", "", "✗", f"出错:{mod['error'][:200]}"])
        for r in mod.get("results", []):
            rows.append(
                [
                    r["bench"],
                    r["metric"],
                    fmt(r["ours"]),
                    fmt(r["baseline"]),
                    f"{r['ratio']:.2f}×" if r["ratio"] is not None else "—",
                    r["target"],
                    _met(r["met"]),
                    r["note"],
                ]
            )
    return rows


def console_table(report: dict[str, Any]) -> str:
    rows = [list(HEADERS), *rows_of(report)]
    short = [[*row[:7], row[7][:60]] for row in rows]
    widths = [max(_width(r[i]) for r in short) for i in range(len(HEADERS))]
    lines = []
    for i, row in enumerate(short):
        lines.append("  ".join(_pad(c, w) for c, w in zip(row, widths, strict=True)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(report: dict[str, Any]) -> str:
    env = report["environment"]
    m, v, pg = env["machine"], env["versions"], env.get("postgresql", {})
    out = [
        f"# 基准测试结果 {env['date'][:10]}({m['hostname']})",
        "",
        "由 `.venv/bin/python -m bench.run` 生成;说明见 `bench/README.md`。"
        + ("**冒烟运行(--quick)**,样本较少。" if report.get("quick") else ""),
        "",
        "## 环境",
        "",
        f"- 日期:{env['date']}",
        f"- 机器:{m['cpu']},{m['cores']} 核,内存 {m['ram_gib']} GiB;{m['os']}",
        f"- 负载(开始/结束,1/5/15 分钟):{m['loadavg']} / {env.get('loadavg_end', '?')}"
        "(本机与其他工程师共用,数字受其负载影响)",
        f"- Python {v['python']},Django {v['django']},psycopg {v['psycopg']},"
        f"gunicorn {v['gunicorn']},openpyxl {v['openpyxl']},django-ninja {v['django-ninja']}",
        f"- PostgreSQL {pg.get('server_version', '?')}:shared_buffers={pg.get('shared_buffers')},"
        f" synchronous_commit={pg.get('synchronous_commit')},"
        f" max_connections={pg.get('max_connections')}, work_mem={pg.get('work_mem')},"
        f" effective_cache_size={pg.get('effective_cache_size')}, jit={pg.get('jit')}",
        f"- PostgreSQL 非默认设置:{pg.get('non_default') or pg.get('error', '—')}",
        f"- git 提交:{env['git']}",
        f"- 允许的规模:{', '.join(report.get('scales', []))}",
        "",
        "## 结果",
        "",
        "比值 = 本系统 / 基准(基准为同一次运行中数据库或程序库自身的下限,见各行说明)。",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "|" + "---|" * len(HEADERS),
    ]
    out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows_of(report)]
    out += ["", "各模块测量时间:"]
    for name, mod in report["modules"].items():
        if "started" in mod:
            out.append(f"- {name}:{mod['started']} 开始,用时 {mod['seconds']} 秒")
    gens = report.get("generated_all") or report.get("generated") or {}
    if gens:
        out += [
            "",
            "## 数据生成(`zhucun gen`)",
            "",
            "| 规模 | 行数 | 耗时(秒) | 行/秒 | 生成时间 |",
            "|---|---|---|---|---|",
        ]
        for scale, g in gens.items():
            out.append(
                f"| {scale} | {g.get('rows', 0):,} | {g.get('seconds')} | "
                f"{g.get('rows_per_second') or '—':,} | {g.get('generated_at', '')} |"
                if isinstance(g.get("rows_per_second"), int)
                else f"| {scale} | {g.get('rows', 0):,} | {g.get('seconds')} | — | "
                f"{g.get('generated_at', '')} |"
            )
    pages = report["modules"].get("pages", {}).get("details", {}).get("pages")
    if pages:
        out += [
            "",
            "## 报表页延迟明细(毫秒)",
            "",
            "| 页面 | p50 | p95 | 最大 | 字节 | 地址 |",
            "|---|---|---|---|---|---|",
        ]
        for p in pages.values():
            out.append(
                f"| {p['label']} | {p['p50_ms']:.1f} | {p['p95_ms']:.1f} | {p['max_ms']:.1f} | "
                f"{p['bytes']:,} | `{p['path']}` |"
            )
    notes = report.get("remarks")
    if notes:
        out += ["", "## 说明", "", notes]
    return "\n".join(out) + "\n"


def write_report(report: dict[str, Any], *, merge: bool) -> list[Path]:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    host = report["environment"]["machine"]["hostname"]
    stem = f"{report['environment']['date'][:10]}-{host}"
    json_path, md_path = RESULTS_DIR / f"{stem}.json", RESULTS_DIR / f"{stem}.md"
    generated_all: dict[str, Any] = {}
    for scale in SCALES:
        marker = DATA_DIR / f"gen-{scale}.json"
        if marker.exists():
            try:
                g = json.loads(marker.read_text(encoding="utf-8"))
                generated_all[scale] = {
                    k: g.get(k) for k in ("rows", "seconds", "rows_per_second", "generated_at")
                }
            except ValueError:
                pass
    if merge and json_path.exists():
        try:
            old = json.loads(json_path.read_text(encoding="utf-8"))
        except ValueError:
            old = {}
        modules = {**old.get("modules", {}), **report["modules"]}
        report = {**report, "modules": {k: modules[k] for k in MODULES if k in modules}}
    report["generated_all"] = generated_all
    json_path.write_text(
        json.dumps(report, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
    )
    text = markdown(report)
    md_path.write_text(text, encoding="utf-8")
    (RESULTS_DIR / "latest.md").write_text(text, encoding="utf-8")
    return [md_path, json_path, RESULTS_DIR / "latest.md"]


if __name__ == "__main__":
    sys.exit(main())
