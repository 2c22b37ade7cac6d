"""The rows of ``bench/checkin.py`` in the report: the rate against the raw insert (and, when
the target is missed, why — from the run's own CPU figures), p99, the queue endpoint, the bare
WSGI ceiling and the CPU per check-in."""

from __future__ import annotations

import os
from typing import Any

from bench.common import Result, ratio

QUEUE = 10  # check-ins in a phone's offline queue (the queue mode of bench/checkin.py)


def _why(ours: dict[str, Any], raw: dict[str, Any]) -> str:
    """Why the rate stays below the target, from this run's figures: the CPU ceiling this
    cost per check-in allows on this machine, and whether the run reached it."""
    cores = os.cpu_count() or 1
    machine, busy = ours["cpu"].get("machine_ms"), ours["cpu"].get("busy_cores")
    if not machine or busy is None:
        return "未达标:本机无法读取CPU用量(非Linux),原因见 bench/README.md"
    ceiling = cores * 1000 / machine
    text = (
        f"未达标:每次签到整机CPU {machine:.2f} ms,{cores}核上限约 {ceiling:,.0f} 次/秒"
        f"(原生插入的 {ceiling / raw['rate']:.2f}×)"
    )
    if busy < 0.8 * cores:
        return text + (
            f";本次整机只忙 {busy:.2f} 核,未到CPU上限——各进程写入批次在审计链头行锁上排队"
            "(锁持有到提交落盘),见 bench/README.md「Findings」"
        )
    return text + ";已到CPU上限"


def _cpu_note(cpu: dict[str, Any]) -> str:
    def ms(key: str) -> str:
        v = cpu.get(key)
        return "—" if v is None else f"{v:.2f}"

    return (
        f"服务进程 {ms('server_ms')} ms、PostgreSQL {ms('postgres_ms')} ms、"
        f"压测客户端 {ms('client_ms')} ms;整机忙 {cpu.get('busy_cores') or 0:.2f} 核"
    )


def results_of(
    scale: str,
    workers: int,
    threads: int,
    raw: dict[str, Any],
    ours: dict[str, Any],
    queue: dict[str, Any],
    bare: dict[str, Any],
    profile: dict[str, Any],
    stored: dict[str, Any],
) -> list[Result]:
    r = ratio(ours["rate"], raw["rate"])
    acked = ours["acknowledged"] + queue["acknowledged"]
    note = (
        f"{scale}规模;gunicorn {workers}进程×{threads}线程;已确认 {acked} 条(单条+队列),"
        f"库中找到 {stored['found']} 条(缺 {acked - stored['found']},重复 {stored['duplicates']});"
        f"错误 {ours['errors'] + queue['errors']}"
    )
    per = profile["per_checkin"]
    machine = ours["cpu"].get("machine_ms")
    raw_machine = raw["cpu"].get("machine_ms")
    if r is not None and r < 0.5:
        note += ";" + _why(ours, raw)
    return [
        Result(
            bench="签到吞吐(HTTP,并发16)",
            metric="次/秒",
            ours=ours["rate"],
            baseline=raw["rate"],
            ratio=r,
            target="≥ 50% 原生插入(psycopg 8连接逐条提交)",
            met=None if r is None else r >= 0.5,
            note=note,
        ),
        Result(
            bench="签到延迟 p99(HTTP,并发16)",
            metric="毫秒",
            ours=ours["p99_ms"],
            baseline=raw["p99_ms"],
            ratio=ratio(ours["p99_ms"], raw["p99_ms"]),
            target="< 100 ms",
            met=ours["p99_ms"] < 100,
            note=f"p50 {ours['p50_ms']:.1f} ms;原生插入 p50 {raw['p50_ms']:.1f} ms",
        ),
        Result(
            bench=f"手机补传队列(每请求{QUEUE}条,并发16)",
            metric="条/秒",
            ours=queue["rate"],
            baseline=raw["rate"],
            ratio=ratio(queue["rate"], raw["rate"]),
            target="参考(POST /api/v1/checkins/batch,逐条判定逐条答复)",
            met=None,
            note=f"每请求 p50 {queue['p50_ms']:.1f} ms、p99 {queue['p99_ms']:.1f} ms",
        ),
        Result(
            bench="裸WSGI上限(同一gunicorn,每请求一条INSERT)",
            metric="次/秒",
            ours=bare["rate"],
            baseline=raw["rate"],
            ratio=ratio(bare["rate"], raw["rate"]),
            target="参考(任何Python HTTP路径的上限:无解析、无规则、无审计)",
            met=None,
            note=f"p99 {bare['p99_ms']:.1f} ms;{_cpu_note(bare['cpu'])}(每请求)",
        ),
        Result(
            bench="每次签到的CPU(HTTP,并发16)",
            metric="毫秒CPU",
            ours=float("nan") if machine is None else machine,
            baseline=raw_machine,
            ratio=None if machine is None else ratio(machine, raw_machine),
            target="参考(整机CPU÷已处理;基准为原生插入每行)",
            met=None,
            note=(
                f"本系统:{_cpu_note(ours['cpu'])};原生插入:{_cpu_note(raw['cpu'])};"
                f"写入线程剖析(每批{profile['batch']}条):Python {per['python_ms']:.2f} ms、"
                f"PostgreSQL {per['postgres_ms']:.2f} ms(每条)"
            ),
        ),
    ]
