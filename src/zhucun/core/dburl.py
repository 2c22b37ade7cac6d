"""``DATABASE_URL`` → Django's database settings, including libpq's multi-host form.

``postgresql://user@db1:5432,db2:5432/zhucun?target_session_attrs=read-write`` names a primary
and its standby: libpq tries the hosts in order and keeps the first that accepts writes, so
after a failover (the standby promoted) new connections reach the new primary without
changing the configuration. ``dj_database_url`` refuses a netloc with several hosts; Django's
PostgreSQL backend hands ``HOST`` and ``PORT`` to libpq unchanged, and libpq accepts comma
lists there. So the hosts are split off here, the rest is parsed by ``dj_database_url``.

Imported by settings.py: no Django imports."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import dj_database_url

POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "postgis")
DEFAULT_PORT = "5432"


def _host_port(item: str) -> tuple[str, str]:
    """``host[:port]`` or ``[v6]:port`` → (host, port or '')."""
    item = item.strip()
    if item.startswith("["):
        host, _, rest = item[1:].partition("]")
        return host, rest.lstrip(":")
    host, sep, port = item.rpartition(":")
    if not sep:
        return item, ""
    return host, port


def split_hosts(url: str) -> tuple[str, list[tuple[str, str]]]:
    """(url with one placeholder host, [(host, port), …]) when ``url`` names several hosts;
    (url, []) otherwise."""
    parts = urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        return url, []
    userinfo, at, hostlist = parts.netloc.rpartition("@")
    if "," not in hostlist:
        return url, []
    hosts = [_host_port(h) for h in hostlist.split(",") if h.strip()]
    for host, port in hosts:
        if not host or (port and not port.isdigit()):
            raise ValueError(f"DATABASE_URL: 无法识别的主机 {host!r}:{port!r}")
    netloc = f"{userinfo}{at}multi-host.invalid"
    return urlunsplit(parts._replace(netloc=netloc)), hosts


def database_config(url: str, *, conn_max_age: int, health_checks: bool) -> dict[str, Any]:
    single, hosts = split_hosts(url)
    config: dict[str, Any] = dj_database_url.parse(
        single, conn_max_age=conn_max_age, conn_health_checks=health_checks
    )
    if hosts:
        config["HOST"] = ",".join(unquote(h) for h, _ in hosts)
        ports = [p for _, p in hosts]
        if any(ports):
            config["PORT"] = ",".join(p or DEFAULT_PORT for p in ports)
        else:
            config["PORT"] = ""
    return config
