"""Two PostgreSQL clusters on this machine for ``bench/failover.py``: a primary and a
synchronous streaming standby made with ``pg_basebackup -R`` (PostgreSQL's own replication).

Run as root (each command as the ``postgres`` OS user through ``runuser``) or as the user
that owns the clusters. Each cluster listens on 127.0.0.1 on its own port and on a Unix
socket in the work directory; nothing of the machine's own clusters is touched."""

from __future__ import annotations

import os
import pwd
import signal
import socket
import subprocess
import time
from pathlib import Path

from soak import worker_pids as children  # the children of a process, from /proc

STANDBY_NAME = "standby1"


def pg_bindir(given: str | None = None) -> Path:
    if given:
        return Path(given)
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin)")
    return found[-1].parent


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as PostgreSQL does
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


class Cluster:
    def __init__(self, name: str, root: Path, port: int, bindir: Path, owner: str = "postgres"):
        self.name, self.port, self.bindir = name, port, bindir
        self.data = root / name
        self.sock = root / "sock"
        self.log = root / f"{name}.log"
        self.owner = owner
        self.as_owner = os.geteuid() == 0 and pwd.getpwuid(os.geteuid()).pw_name != owner

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{db}"

    def run(self, *cmd: str, timeout: float = 300, check: bool = True) -> str:
        full = [str(self.bindir / cmd[0]), *cmd[1:]]
        if self.as_owner:
            full = ["runuser", "-u", self.owner, "--", *full]
        r = subprocess.run(full, capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:2])} failed ({r.returncode}): {r.stderr[-2000:]}")
        return r.stdout + r.stderr

    def chown(self, path: Path) -> None:
        if self.as_owner:
            pw = pwd.getpwnam(self.owner)
            os.chown(path, pw.pw_uid, pw.pw_gid)

    def configure(self, lines: list[str]) -> None:
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as f:
            f.write("\n# bench/failover.py\n" + "\n".join(lines) + "\n")

    def initdb(self) -> None:
        self.run("initdb", "-D", str(self.data), "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "120", "start")

    def promote(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-w", "-t", "120", "promote")

    def postmaster_pid(self) -> int | None:
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        return pid

    def kill9(self) -> list[int]:
        """SIGKILL to the postmaster and every backend at once: the server is gone, as with a
        power cut of its machine (no shutdown checkpoint, no goodbye to clients)."""
        pid = self.postmaster_pid()
        if pid is None:
            return []
        pids = [pid, *sorted(children(pid))]
        for p in pids:
            try:
                os.kill(p, signal.SIGKILL)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(_alive(p) for p in pids):
            time.sleep(0.02)
        return pids

    def freeze(self) -> list[int]:
        """SIGSTOP to the postmaster and every backend: the server hangs while its machine's
        kernel still accepts connections and acknowledges what is sent (as with a server
        stuck on its disk) — nobody gets an error, nobody gets an answer."""
        pid = self.postmaster_pid()
        if pid is None:
            return []
        pids = [pid, *sorted(children(pid))]
        for p in pids:
            try:
                os.kill(p, signal.SIGSTOP)
            except ProcessLookupError:
                pass
        return pids

    def stop(self) -> None:
        """Stop it if it runs (cleanup): immediate, then SIGKILL if that did not work; a
        frozen server is killed at once (it could not act on pg_ctl's signal)."""
        pid = self.postmaster_pid()
        if pid is None:
            return
        if _state(pid) == "T":
            self.kill9()
            return
        try:
            self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
        except (RuntimeError, subprocess.TimeoutExpired):
            self.kill9()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def make_pair(primary: Cluster, standby: Cluster, conf_file: Path | None) -> None:
    """initdb the primary, start it, pg_basebackup the standby (-R, a replication slot),
    start it, and wait until the primary reports it as its synchronous standby."""
    import psycopg

    root = primary.data.parent
    root.mkdir(parents=True, exist_ok=True)
    primary.sock.mkdir(exist_ok=True)
    primary.chown(root)
    primary.chown(primary.sock)
    primary.initdb()
    common = [
        "listen_addresses = '127.0.0.1'",
        f"unix_socket_directories = '{primary.sock}'",
    ]
    if conf_file is not None:
        target = primary.data / "zhucun.conf"
        target.write_text(conf_file.read_text(encoding="utf-8"), encoding="utf-8")
        primary.chown(target)
        common.append("include 'zhucun.conf'")
    primary.configure(
        [
            *common,
            f"port = {primary.port}",
            "cluster_name = 'primary'",
            "wal_level = replica",
            "max_wal_senders = 5",
            "max_replication_slots = 5",
            "wal_keep_size = '256MB'",
            f"synchronous_standby_names = '{STANDBY_NAME}'",
            "synchronous_commit = on",
            "hot_standby = on",
        ]
    )
    primary.start()
    primary.run(
        "pg_basebackup",
        "-D",
        str(standby.data),
        "-h",
        "127.0.0.1",
        "-p",
        str(primary.port),
        "-U",
        "postgres",
        "-X",
        "stream",
        "-R",
        "-C",
        "-S",
        STANDBY_NAME,
        "-c",
        "fast",
    )
    # the copy carries the primary's settings; the standby's own come after them. After its
    # promotion it has no standby of its own: it must not wait for one (synchronous_standby_names
    # empty), or every commit would hang.
    standby.configure(
        [
            f"port = {standby.port}",
            f"cluster_name = '{STANDBY_NAME}'",
            "synchronous_standby_names = ''",
        ]
    )
    standby.start()
    deadline = time.monotonic() + 120
    while True:
        with psycopg.connect(primary.url(), autocommit=True) as conn:
            row = conn.execute(
                "SELECT sync_state FROM pg_stat_replication WHERE application_name = %s",
                [STANDBY_NAME],
            ).fetchone()
        if row and row[0] == "sync":
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"standby not synchronous after 120 s: {row}")
        time.sleep(0.3)
