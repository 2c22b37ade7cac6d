"""The Markdown report of ``bench/failover.py`` (in the style of the soak's report)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

from soak_client import OK_KINDS, Ledger
from soak_report import (
    fault_windows,
    git_info,
    is_error,
    key_proof_rows,
    kinds_text,
    ms,
    pct,
    server_log_summary,
)

FAULT_LABEL = {"kill": " kill -9 ", "freeze": "冻结(kill -STOP)"}


def _machine() -> str:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(
            int(x.split()[1]) // 1024 // 1024
            for x in Path("/proc/meminfo").read_text().splitlines()
            if x.startswith("MemTotal")
        )
    except (OSError, StopIteration, ValueError):
        mem = 0
    return f"{model},{os.cpu_count()} 核,内存 {mem} GiB;{platform.platform()}"


def _versions() -> str:
    parts = [f"Python {sys.version.split()[0]}"]
    for pkg in ("Django", "psycopg", "gunicorn", "dj-database-url"):
        try:
            parts.append(f"{pkg} {metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(parts)


def timeline(led: Ledger) -> dict[str, Any]:
    """The failover's moments (seconds from the start of the check-ins) and what the phones
    saw around them."""
    [fault] = [f for f in led.faults if f["name"] == "failover"]
    t0 = led.t0
    kill = fault["at"]
    out: dict[str, Any] = {"kill": kill, "fault": fault}
    for key in ("dead", "promote", "promoted"):
        if f"{key}_mono" in fault:
            out[key] = fault[f"{key}_mono"] - t0
    errors = [a for a in led.attempts if is_error(a[2]) and a[1] >= kill]
    out["first_error"] = min((a[1] for a in errors), default=None)
    out["last_error"] = max((a[1] for a in errors), default=None)
    oks = sorted(a[1] for a in led.attempts if a[2] in OK_KINDS)
    before = [t for t in oks if t < (out["first_error"] or kill)]
    out["last_ack_before"] = before[-1] if before else None
    fe = out["first_error"]
    if fe is not None:
        after = [a[1] for a in led.attempts if a[2] in OK_KINDS and a[0] >= fe]
        out["first_ack_after"] = min(after) if after else None
    else:
        out["first_ack_after"] = None
    out["errors"] = Counter(a[2] for a in errors)
    out["in_flight"] = Counter(a[2] for a in errors if a[0] < kill)
    out["acked_before_kill"] = sum(1 for a in led.acks.values() if a.at < kill)
    out["retried_acked"] = sum(1 for a in led.acks.values() if a.failures)
    return out


def prober_table(samples: list[tuple[float, str]], t0: float, tl: dict[str, Any]) -> list[str]:
    kill = tl["kill"]
    back = tl.get("first_ack_after") or tl.get("promoted") or kill
    phases: dict[str, Counter[str]] = {
        "故障前": Counter(),
        "故障中": Counter(),
        "恢复后": Counter(),
    }
    first_ok_after: float | None = None
    for t, outcome in samples:
        rel = t - t0
        if rel < kill:
            phases["故障前"][outcome] += 1
        elif rel < back or (first_ok_after is None and outcome != "200"):
            phases["故障中"][outcome] += 1
            continue
        else:
            phases["恢复后"][outcome] += 1
        if rel >= kill and outcome == "200" and first_ok_after is None:
            first_ok_after = rel
    rows = ["| 阶段 | 请求 | 应答 |", "|---|---:|---|"]
    for name, c in phases.items():
        rows.append(f"| {name} | {sum(c.values())} | {kinds_text(c)} |")
    errs_after = sum(n for k, n in phases["恢复后"].items() if k != "200")
    rows.append("")
    rows.append(
        f"故障后第一次 200:{'—' if first_ok_after is None else f'{first_ok_after:.2f} s'};"
        f"恢复后的错误应答:**{errs_after}**(应为 0)。"
    )
    return rows


def write_report(
    path: Path,
    *,
    args: argparse.Namespace,
    cmdline: str,
    started: dt.datetime,
    led: Ledger,
    res: dict[str, Any],
    audit: tuple[int, str],
    verdict: dict[str, Any],
    base: dict[str, int],
    prober: list[tuple[float, str]],
    server: Any,
    pg_before: dict[str, Any],
    pg_after: dict[str, Any],
    timings: dict[str, float],
    gen_out: str,
    phones: int,
    cpu: float,
    workdir: Path,
) -> None:
    L: list[str] = []
    w = L.append
    tl = timeline(led)
    fw = fault_windows(led)[0]
    acked = len(led.acks)
    first201 = sum(1 for a in led.acks.values() if a.status == 201)
    refused = (
        tl["first_ack_after"] - tl["first_error"]
        if tl["first_ack_after"] is not None and tl["first_error"] is not None
        else None
    )
    ok = verdict["ok"]
    w(f"# 数据库服务器宕机演练(同步流复制,强行终止主库、提升备库)— {started:%Y-%m-%d %H:%M}\n")
    w(
        f"**结论:lost={verdict['lost']} duplicated={verdict['duplicated']},"
        f"拒绝写入 {'—' if refused is None else f'{refused:.2f} s'}** — "
        + ("通过" if ok else "**未通过**")
        + "\n"
    )
    w("## 命令行\n")
    w(f"```\n{cmdline}\n```\n")
    w(f"(工作目录 `{workdir}`,结束时连同两个集群删除)\n")
    w("## 配置\n")
    s0 = pg_before["settings"]
    repl = ", ".join(f"{a} {st} {sy}" for a, st, sy in pg_before["replication"]) or "—"
    cfg = [
        ("机器", _machine()),
        ("负载", f"开始时 {os.getloadavg()[0]:.2f}(机器与其他任务共用);测试客户端 CPU {cpu:.1f} s"),
        ("软件", f"PostgreSQL {s0.get('server_version', '?')};{_versions()}"),
        ("代码", git_info()),
        (
            "主库",
            f"127.0.0.1:{args.port_pair[0]},initdb 新建;`synchronous_standby_names` = "
            f"`{s0.get('synchronous_standby_names')}`,`synchronous_commit` = "
            f"`{s0.get('synchronous_commit')}`,`wal_level` = `{s0.get('wal_level')}`",
        ),
        (
            "备库",
            f"127.0.0.1:{args.port_pair[1]},`pg_basebackup -R -X stream -C -S standby1`;"
            f"故障前复制状态:{repl};备库自身 `synchronous_standby_names = ''`(提升后没有备库可等)",
        ),
        (
            "数据库设置",
            "deploy/postgresql-zhucun.conf(PG_RAM_GB=1):"
            + ",".join(
                f"{k} {s0.get(k)}"
                for k in ("shared_buffers", "max_connections", "max_wal_size", "jit", "fsync")
            ),
        ),
        (
            "集群与数据准备",
            f"集群 {timings.get('clusters_s', 0):.1f} s;migrate + gen {timings.get('load_s', 0):.1f} s",
        ),
        (
            "数据",
            f"`zhucun gen --scale {args.gen} --seed {args.seed}`;开始前签到 {base['rows']} 行,审计事件 {base['audit_seq']} 个",
        ),
        ("DATABASE_URL", f"`{args.database_url}`"),
        (
            "服务",
            f"{server.cmd};CONN_MAX_AGE 60 s,CONN_HEALTH_CHECKS "
            + ("关(--no-health-checks)" if args.no_health_checks else "开"),
        ),
        ("时长与速率", f"{args.duration:g} s,{args.rate:g} 条新签到/秒;{phones} 台模拟手机"),
        (
            "重复补传",
            f"已确认签到的 {args.dup_rate:.0%} 在 1–30 s 后原样重发一次(应答 200、同一条记录)",
        ),
        (
            "超时与重发",
            f"请求超时 {args.timeout:g} s;连接错误、超时、5xx/503 后保留原 client_key,1–5 s 退避后重发,直到确认",
        ),
        (
            "故障",
            f"{args.fault_at:g} s 时{FAULT_LABEL[args.fault]}主库全部进程;{args.promote_after:g} s 后(模拟故障检测的延迟)"
            "`pg_ctl promote -w` 备库;旧主库不再启动",
        ),
    ]
    w("| 项目 | 值 |\n|---|---|")
    for k, v in cfg:
        w(f"| {k} | {v} |")
    w("")
    w("## 时间线(秒,自签到开始)\n")
    rows = [
        (f"主库全部进程{FAULT_LABEL[args.fault]}", tl["kill"], tl["fault"].get("detail", "")),
        ("主库进程全部退出" if args.fault == "kill" else "信号已发出", tl.get("dead"), ""),
        ("故障前最后一次确认", tl["last_ack_before"], ""),
        ("第一次写入失败(应答)", tl["first_error"], kinds_text(tl["errors"])),
        ("开始提升备库", tl.get("promote"), "`pg_ctl promote -w`"),
        ("提升完成(备库可写)", tl.get("promoted"), ""),
        ("提升后第一次确认", tl["first_ack_after"], "该请求在第一次失败之后才发出"),
        ("最后一次写入失败", tl["last_error"], ""),
        ("签到结束(不再有新点击)", led.end_at, ""),
        ("全部队列清空", led.drained_at, "补传阶段结束" if led.drained_at else "**未清空**"),
    ]
    w("| 事件 | 时刻 (s) | 说明 |\n|---|---:|---|")
    for name, t, note in rows:
        w(f"| {name} | {'—' if t is None else f'{t:.2f}'} | {note} |")
    w("")
    if refused is not None:
        since_kill = tl["first_ack_after"] - tl["kill"]
        since_promoted = tl["first_ack_after"] - tl["promoted"] if tl.get("promoted") else None
        w(
            f"**拒绝写入 {refused:.2f} s**(第一次失败到其后第一次确认);自主库终止起 {since_kill:.2f} s,"
            f"其中等待“故障检测” {args.promote_after:g} s、提升 "
            f"{(tl['promoted'] - tl['promote']) if tl.get('promoted') else 0:.2f} s,提升完成到第一次确认 "
            f"{'—' if since_promoted is None else f'{since_promoted:.2f}'} s。\n"
        )
    w(
        f"故障后积压(在线手机上待发送的签到):故障前一分钟 p90 {fw.get('backlog_before', 0):.0f},峰值 "
        f"{fw.get('backlog_peak', 0):.0f},"
        + (
            f"+{fw['backlog_back']:.1f} s 回落到故障前水平"
            if fw.get("backlog_back") is not None
            else "未回落到故障前水平(至签到结束)"
        )
        + f";补传结束时未确认 {sum(1 for k in led.sent if k not in led.acks and k not in led.refused)} 条。\n"
    )
    w(f"## 数据核对(在新主库 127.0.0.1:{args.port_pair[1]} 上用 SQL)\n")
    stored_unacked = len(res["stored_unacked"])
    checks = [
        ("已确认的签到(不同 client_key)", acked, ""),
        (
            "  其中在主库终止之前确认",
            tl["acked_before_kill"],
            "旧主库已不存在:它们必须来自同步备库",
        ),
        ("  其中首次确认为 201(新建)", first201, ""),
        (
            "  其中首次确认为 200(之前某次请求已提交但应答丢失,重发时确认)",
            acked - first201,
            f"{led.ack_lost} 条此前有失败请求",
        ),
        (
            "  其中此前的失败全是 503 却已存储",
            len(led.stored_after_503),
            "提交已到备库、应答未回到服务器的批次;服务器答 503(“未确认保存”),重发以同一 client_key 得到同一条",
        ),
        ("  曾失败、重发后确认", tl["retried_acked"], "手机的队列重发"),
        ("已确认但新主库中没有(丢失)", len(res["missing"]), "应为 0"),
        *key_proof_rows(res),
        (
            "本次新增签到行",
            res["run_rows"],
            f"开始前 {base['rows']} 行,结束后 {res['rows_after']} 行",
        ),
        (
            "  其中属于本次发送的 client_key",
            res["run_rows_ours"],
            f"= 已确认 {acked} + 已存储未确认 {stored_unacked}",
        ),
        (
            "补传结束仍未确认",
            len(led.sent) - acked - len(led.refused),
            f"其中已存储 {stored_unacked} 条",
        ),
        ("被拒绝(4xx,不再重发)", len(led.refused), "应为 0"),
        ("重复补传", led.dup_sent, f"应答正确(200、同一记录){led.dup_ok} 次"),
        ("审计:新签到缺少 checkin.record 事件", len(res["audit_missing"]), "应为 0"),
        ("审计:同一签到多个 checkin.record 事件", len(res["audit_multi"]), "应为 0"),
        (
            "`zhucun audit verify`(新主库)",
            "通过" if audit[0] == 0 else "**失败**",
            audit[1].splitlines()[-1][:200] if audit[1] else "",
        ),
    ]
    w("| 检查 | 结果 | 说明 |\n|---|---:|---|")
    for name, value, note in checks:
        w(f"| {name} | {value} | {note} |")
    w("")
    w(
        f"**lost = {verdict['lost']}**(丢失 {len(res['missing'])} + id 不符 {len(res['wrong_id'])}),"
        f"**duplicated = {verdict['duplicated']}**。\n"
    )
    w("## 故障前后每秒\n")
    w("| 秒(相对主库终止) | 确认 | 错误 | p99 ms | 在线待发 |\n|---:|---:|---|---:|---:|")
    for s, n_ok, errs, p99, backlog in fw["seconds"]:
        w(
            f"| {s:+.0f} | {n_ok} | {kinds_text(errs)} | {ms(p99)} | {'—' if backlog is None else backlog} |"
        )
    w("")
    w(
        "错误类型:conn_refused 连接被拒;conn_closed / stale_conn 连接在应答前断开;timeout 超时;"
        "http_503 服务器答“未确认保存,请重发”(签到写入线程连不上可写的数据库)。\n"
    )
    w("## Django 请求路径(`GET /api/v1/me`,持久连接,客户端超时 10 s)\n")
    for line in prober_table(prober, led.t0, tl):
        w(line)
    w("")
    w("## 延迟\n")
    kill = tl["kill"]
    back = tl["first_ack_after"] or kill
    pre = [a[1] - a[0] for a in led.attempts if a[2] in OK_KINDS and a[1] < kill]
    post = [a[1] - a[0] for a in led.attempts if a[2] in OK_KINDS and a[0] >= back + 10]
    tap = [a.at - a.born for a in led.acks.values()]
    hit = [a.at - a.born for a in led.acks.values() if a.failures]
    w("| 请求 | 次数 | p50 ms | p99 ms | 最大 ms |\n|---|---:|---:|---:|---:|")
    for name, xs in (
        ("成功请求,故障前", pre),
        ("成功请求,恢复 10 s 之后", post),
        ("点击到确认(全部)", tap),
        ("点击到确认(曾失败、重发的)", hit),
    ):
        w(
            f"| {name} | {len(xs)} | {ms(pct(xs, 50))} | {ms(pct(xs, 99))} | {ms(max(xs) if xs else None)} |"
        )
    w("")
    w("## 发现的问题\n")
    if verdict["problems"]:
        for title, items in verdict["problems"]:
            w(f"- {title}:{len(items)}")
            for item in items[:10]:
                w(f"  - `{item}`")
    else:
        w("无:每一条已确认的签到在新主库中恰好一条、id 相符;没有重复;审计链完好。")
    w("")
    w("## 服务日志摘要\n")
    for line in server_log_summary(server.log_path):
        w(f"- {line}")
    w("")
    w("## 说明\n")
    if args.fault == "freeze":
        w(
            "- 本次是“挂住”而不是终止:主库进程全部 SIGSTOP,本机内核仍接受连接、确认收到的数据,"
            "但不会有任何应答(像卡在磁盘上的数据库)。签到写入线程的批次由看门狗在 "
            "`ZHUCUN_CHECKIN_STALL_SECONDS`(默认 20 s)后切断连接;新连接由 `connect_timeout` 限时后"
            "转到备库。Django 请求线程的连接没有这样的看门狗:正在查询的线程一直等到冻结的主库被真正停掉"
            "(连接被重置)为止,之后的请求由其他线程新建连接(见上面“Django 请求路径”)。所以提升备库之前"
            "必须先停掉旧主库(关机、断网或 kill -9),docs/DEPLOY.md §8.3。\n"
        )
    if args.fault == "kill":
        w(
            "- 演练终止的是主库的进程(postmaster 与全部后端同时 SIGKILL),不是机器:本机内核随即关闭其"
            "套接字,客户端立刻得到“连接被拒/断开”。整台机器断电或断网时没有这样的回答:新连接由 "
            "`connect_timeout`(这里 3 s)限时;已发出的查询要靠 TCP 超时(`keepalives_*`、"
            "`tcp_user_timeout`,docs/DEPLOY.md)才会失败,本演练没有覆盖这种情形(`--fault freeze` "
            "演练的是进程挂住而机器仍应答 TCP 的情形)。"
        )
    w(
        "- “故障检测”的延迟是给定的(`--promote-after`);生产中由值班人员或 Patroni 等工具决定何时提升,"
        "提升之前写入一直被拒绝(手机保留队列,之后补传)。\n"
        "- 提升后的新主库没有备库,提交不再等待复制:应尽快用 `pg_basebackup`(或 `pg_rewind`)把旧主库重建为"
        "新的备库;旧主库绝不能按原样再启动为主库(会出现两个主库)。\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(L) + "\n", encoding="utf-8")
