"""The soak test's analysis and its Markdown report (see soak.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from soak_client import OK_KINDS, Ledger

ROOT = Path(__file__).resolve().parent.parent


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
    server: Any,  # soak.Server
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
        *key_proof_rows(res),
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


def key_proof_rows(res: dict) -> list[tuple[str, object, str]]:
    """The rows that prove each acknowledged key is stored once, under its cadre, as sent
    (the soak's and the failover drill's reports share them)."""
    return [
        ("已确认的 id 与库中记录不符", len(res["wrong_id"]), "应为 0"),
        ("本次 client_key 在库中多于一条", len(res["dup_keys"]), "应为 0"),
        (
            "全库 GROUP BY cadre_id, client_key HAVING count(*) > 1",
            res["global_dup_groups"],
            "应为 0 行",
        ),
        ("本次 client_key 存在其他干部名下", res["other_cadre"], "应为 0"),
        ("设备时间与发送的不符", len(res["bad_device_time"]), "应为 0"),
    ]
