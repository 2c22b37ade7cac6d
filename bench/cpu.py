"""Where the CPU goes during a measured window (Linux ``/proc``): the whole machine's busy
time, a process tree's (the server: gunicorn's master and workers), every PostgreSQL process's,
and the measuring process's own — so that a bench can say, per request, how many milliseconds
of CPU each part spent (``bench/checkin.py``: ours against the raw insert). Elsewhere than
Linux every figure is None."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
PROC = Path("/proc")


@dataclass(frozen=True)
class Snapshot:
    at: float
    machine_busy: float | None  # CPU-seconds busy, all cores
    server: float | None
    postgres: float | None
    own: float


def _stat_cpu(pid: int) -> float:
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for task in (PROC / str(pid) / "task").iterdir():
            text = (task / "children").read_text().split()
            out += [int(c) for c in text]
    except OSError:
        return out
    return out


def tree_cpu(root: int) -> float:
    """CPU-seconds of ``root`` and its descendants (living ones)."""
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += _stat_cpu(pid)
        todo += _children(pid)
    return total


def postgres_cpu() -> float:
    total = 0.0
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    total += _stat_cpu(int(entry.name))
            except OSError:
                continue
    return total


def machine_busy() -> float:
    first = (PROC / "stat").read_text().splitlines()[0].split()[1:]
    values = [int(v) for v in first]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return (sum(values[:8]) - idle) / _TICK


def snapshot(server_pid: int | None = None) -> Snapshot:
    linux = (PROC / "stat").exists()
    return Snapshot(
        at=time.perf_counter(),
        machine_busy=machine_busy() if linux else None,
        server=tree_cpu(server_pid) if linux and server_pid else None,
        postgres=postgres_cpu() if linux else None,
        own=time.process_time(),
    )


def split(a: Snapshot, b: Snapshot, count: int) -> dict[str, float | None]:
    """Milliseconds of CPU per unit of work (``count``) between two snapshots, and how busy the
    machine was (cores' worth)."""

    def per(x: float | None, y: float | None) -> float | None:
        return None if x is None or y is None or count <= 0 else (y - x) * 1000 / count

    seconds = b.at - a.at
    busy = (
        None
        if a.machine_busy is None or b.machine_busy is None or seconds <= 0
        else (b.machine_busy - a.machine_busy) / seconds
    )
    return {
        "server_ms": per(a.server, b.server),
        "postgres_ms": per(a.postgres, b.postgres),
        "client_ms": per(a.own, b.own),
        "machine_ms": per(a.machine_busy, b.machine_busy),
        "busy_cores": busy,
    }
