"""The SQL of the check-in writer (``checkin_record.py``): what a batch reads, in one round
trip, and what it writes, in two — statements whose text never depends on the batch's size
(``core/pipeline.py``: prepared once per connection on PostgreSQL, sent together in a
pipeline).

Reads, for the batch's cadres, keys, devices and positions: the stored keys (resends), the
active postings with what judging needs (the cadre's name, the village's point, radius and
division code), and the MGT.1.FRAUD facts — for each check-in the cadre's stored check-in
just before it by device time, the approved leave around its day, how often the cadre already
checked in at exactly these coordinates, and who else checked in with the same device.
Writes: the check-ins and their keys (one statement on PostgreSQL: a data-modifying CTE), the
chain head's lock in the same round trip; then the fraud signals, the audit events and the
head's new position."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.dateparse import parse_date, parse_datetime

from zhucun.core import pipeline
from zhucun.core.pipeline import Statement, in_list, sql_value, values_table
from zhucun.policy.fraud import CheckinFact
from zhucun.registry.models import Cadre, Jurisdiction, Posting, PostingStatus, Village

from ..models import CheckIn, CheckInKey, FraudSignal
from ..models.leave import EXCUSED_KINDS, TAKEN_STATES, LeaveRequest
from .checkin_input import CheckInInput

CHECKIN, KEY = CheckIn._meta.db_table, CheckInKey._meta.db_table


@dataclass(frozen=True, slots=True)
class Post:
    """An active posting, as judging a check-in needs it."""

    posting_id: int
    cadre_id: int
    cadre_name: str
    village_id: int
    village_name: str
    code: str  # the village's division code: parameters are looked up for it
    point: tuple[float, float, str] | None  # the fixed point (lat, lng, datum)
    radius_m: int | None


@dataclass(slots=True)
class Facts:
    """What one round trip read for a batch."""

    stored: dict[tuple[int, Any], tuple[int, dt.date]] = field(default_factory=dict)
    posts: dict[int, Post] = field(default_factory=dict)
    previous: dict[int, CheckinFact] = field(default_factory=dict)  # by item number
    leave: dict[int, list[tuple[dt.date, dt.date]]] = field(default_factory=dict)
    same: dict[tuple[int, float, float], int] = field(default_factory=dict)
    devices: dict[str, dict[int, str]] = field(default_factory=dict)


def _stored_keys_statement(pairs: Sequence[tuple[int, Any]]) -> Statement:
    """(cadre_id, client_key, checkin_id, day) of the pairs already stored."""
    table, params = values_table("p", (("cadre_id", "bigint"), ("client_key", "uuid")), pairs)
    return (
        f"SELECT k.cadre_id, k.client_key, k.checkin_id, k.day FROM {table}"
        f" JOIN {KEY} k ON k.cadre_id = p.cadre_id AND k.client_key = p.client_key",
        params,
    )


def batch_read(*, items: Sequence[tuple[int, CheckInInput]], tz: dt.tzinfo) -> Facts:
    """Everything a batch of (cadre id, check-in) needs, in one round trip."""
    cadres = sorted({c for c, _ in items})
    numbered = [(n, c, d) for n, (c, d) in enumerate(items)]
    statements: list[Statement] = [
        _posts_statement(cadres),
        _previous_statement(numbered),
        _leave_statement(cadres, [d for _, d in items], tz),
        _same_statement(numbered),
        _devices_statement(sorted({d.device_id for _, d in items if d.device_id})),
        _stored_keys_statement(sorted({(c, d.client_key) for c, d in items})),
    ]
    results = pipeline.statements_run(statements, oltp=True)
    facts = Facts()
    for pid, cid, cname, vid, vname, code, lat, lng, datum, radius in results[0]:
        point = None if lat is None or lng is None else (float(lat), float(lng), datum)
        facts.posts[cid] = Post(pid, cid, cname, vid, vname, code, point, radius)
    for n, lat, lng, device_time, received_at, device_id in results[1]:
        cadre_id = items[n][0]
        post = facts.posts.get(cadre_id)
        facts.previous[n] = CheckinFact(
            cadre_id,
            post.cadre_name if post else "",
            None if lat is None else float(lat),
            None if lng is None else float(lng),
            _moment(device_time),
            _moment(received_at),
            device_id,
        )
    leave: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
    for cadre_id, start, end in results[2]:
        leave[cadre_id].append((_date(start), _date(end)))
    facts.leave = dict(leave)
    facts.same = {(c, float(la), float(ln)): int(n) for c, la, ln, n in results[3]}
    devices: dict[str, dict[int, str]] = defaultdict(dict)
    for device_id, cadre_id in results[4]:
        devices[device_id][cadre_id] = ""
    facts.devices = dict(devices)
    device_names(facts)
    facts.stored = {(c, uuid_of(k)): (i, _date(d)) for c, k, i, d in results[5]}
    return facts


def _posts_statement(cadres: Sequence[int]) -> Statement:
    posting, village = Posting._meta.db_table, Village._meta.db_table
    cadre, division = Cadre._meta.db_table, Jurisdiction._meta.db_table
    table, params = values_table("i", (("cadre_id", "bigint"),), [(c,) for c in cadres])
    return (
        f"SELECT p.id, p.cadre_id, c.name, v.id, j.name, j.code, v.checkin_lat, v.checkin_lng,"
        f" v.checkin_datum, v.checkin_radius_m FROM {table}"
        f" JOIN {posting} p ON p.cadre_id = i.cadre_id AND p.status = %s"
        f" JOIN {cadre} c ON c.id = p.cadre_id JOIN {village} v ON v.id = p.village_id"
        f" JOIN {division} j ON j.id = v.jurisdiction_id",
        [*params, PostingStatus.ACTIVE.value],
    )


def _previous_statement(numbered: Sequence[tuple[int, int, CheckInInput]]) -> Statement:
    """For each item, the cadre's stored check-in just before it by device time (on equal
    times the later-recorded one) — the speed rule's "previous" (MGT.1.FRAUD). PostgreSQL:
    a LATERAL probe of each month partition's (cadre, device_time) index; SQLite (one table,
    no LATERAL): the same as a correlated subquery."""
    table, params = values_table(
        "i",
        (("n", "int"), ("cadre_id", "bigint"), ("moment", "timestamptz")),
        [(n, c, d.device_time) for n, c, d in numbered],
    )
    cols = "lat, lng, device_time, received_at, device_id"
    latest = (
        f"FROM {CHECKIN} b WHERE b.cadre_id = i.cadre_id AND b.device_time <= i.moment"
        f" ORDER BY b.device_time DESC, b.id DESC LIMIT 1"
    )
    if pipeline.postgres():
        return (
            f"SELECT i.n, c.* FROM {table} CROSS JOIN LATERAL (SELECT {cols} {latest}) c",
            params,
        )
    return (
        f"SELECT i.n, c.lat, c.lng, c.device_time, c.received_at, c.device_id FROM {table}"
        f" JOIN {CHECKIN} c ON c.id = (SELECT b.id {latest})",
        params,
    )


def _leave_statement(
    cadres: Sequence[int], data: Sequence[CheckInInput], tz: dt.tzinfo
) -> Statement:
    """Approved (or returned) leave of an excused kind around the batch's days — a day before
    the earliest and after the latest local date the check-ins can fall on."""
    dates = [m.astimezone(tz).date() for d in data for m in (d.device_time, d.received_at)]
    first, last = min(dates) - dt.timedelta(days=1), max(dates) + dt.timedelta(days=1)
    where, params = in_list("l.cadre_id", cadres)
    leave = LeaveRequest._meta.db_table
    states = ", ".join(f"'{s}'" for s in TAKEN_STATES)
    kinds = ", ".join(f"'{k}'" for k in EXCUSED_KINDS)
    end = '"end"'
    return (
        f"SELECT l.cadre_id, l.start, COALESCE(l.actual_end, l.{end}) FROM {leave} l"
        f" WHERE {where} AND l.state IN ({states})"
        f" AND l.kind IN ({kinds}) AND l.start <= %s AND COALESCE(l.actual_end, l.{end}) >= %s",
        [*params, sql_value(last), sql_value(first)],
    )


def _same_statement(numbered: Sequence[tuple[int, int, CheckInInput]]) -> Statement:
    """How many stored check-ins of the cadre have exactly each item's coordinates: one probe
    of the (cadre, lat, lng) index per item (and month partition)."""
    triples = sorted({(c, d.lat, d.lng) for _, c, d in numbered if d.lat is not None})
    table, params = values_table(
        "i", (("cadre_id", "bigint"), ("lat", "numeric"), ("lng", "numeric")), triples
    )
    return (
        f"SELECT i.cadre_id, i.lat, i.lng, (SELECT COUNT(*) FROM {CHECKIN} c"
        f" WHERE c.cadre_id = i.cadre_id AND c.lat = i.lat AND c.lng = i.lng) FROM {table}",
        params,
    )


def _devices_statement(devices: Sequence[str]) -> Statement:
    """Which cadres checked in with each of the batch's devices (names: ``device_names``)."""
    where, params = in_list("c.device_id", devices)
    return f"SELECT DISTINCT c.device_id, c.cadre_id FROM {CHECKIN} c WHERE {where}", params


def device_names(facts: Facts) -> None:
    """The names of the other cadres on the batch's devices — read only when a device was
    used by a cadre not in the batch (a shared device, rare)."""
    names = {p.cadre_id: p.cadre_name for p in facts.posts.values()}
    strangers = {c for users in facts.devices.values() for c in users if c not in names}
    if strangers:
        names.update(Cadre.objects.filter(pk__in=strangers).values_list("pk", "name"))
    for users in facts.devices.values():
        for cadre_id in users:
            users[cadre_id] = names.get(cadre_id, "")


# ---- writes ----------------------------------------------------------------------------------

_CHECKIN_COLUMNS = (
    ("cadre_id", "bigint"),
    ("village_id", "bigint"),
    ("client_key", "uuid"),
    ("day", "date"),
    ("device_time", "timestamptz"),
    ("received_at", "timestamptz"),
    ("lat", "numeric"),
    ("lng", "numeric"),
    ("accuracy_m", "float8"),
    ("distance_m", "float8"),
    ("status", "text"),
    ("counts", "boolean"),
    ("device_id", "text"),
    ("no_position_reason", "text"),
    ("findings", "jsonb"),
    ("source", "text"),
    ("address", "text"),
)


def checkins_statements(checkins: Sequence[CheckIn]) -> list[Statement]:
    """INSERT the check-ins and their keys; the first statement returns (id, cadre_id,
    client_key) of each check-in. In the order given (the caller sorts by key: two batches
    sharing keys then wait on them in the same order)."""
    attnames = [name for name, _ in _CHECKIN_COLUMNS]
    table, params = values_table(
        "v", _CHECKIN_COLUMNS, ([getattr(c, a) for a in attnames] for c in checkins)
    )
    names = ", ".join(attnames)
    insert = f"INSERT INTO {CHECKIN} ({names}) SELECT {names} FROM {table}"
    if pipeline.postgres():
        return [
            (
                f"WITH c AS ({insert} RETURNING id, cadre_id, client_key, day),"
                f" k AS (INSERT INTO {KEY} (cadre_id, client_key, checkin_id, day)"
                f" SELECT cadre_id, client_key, id, day FROM c)"
                f" SELECT id, cadre_id, client_key FROM c",
                params,
            )
        ]
    return [(f"{insert} RETURNING id, cadre_id, client_key", params)]


def keys_statement_sqlite(checkins: Sequence[CheckIn]) -> Statement:
    """SQLite has no data-modifying CTE: the keys, once the check-ins have their ids."""
    table, params = values_table(
        "v",
        (("cadre_id", "bigint"), ("client_key", "uuid"), ("checkin_id", "bigint"), ("day", "date")),
        [(c.cadre_id, c.client_key, c.pk, c.day) for c in checkins],
    )
    return (
        f"INSERT INTO {KEY} (cadre_id, client_key, checkin_id, day)"
        f" SELECT cadre_id, client_key, checkin_id, day FROM {table}",
        params,
    )


_SIGNAL_COLUMNS = (
    ("cadre_id", "bigint"),
    ("village_id", "bigint"),
    ("checkin_id", "bigint"),
    ("clause", "text"),
    ("kind", "text"),
    ("severity", "text"),
    ("message", "text"),
    ("data", "jsonb"),
    ("created_at", "timestamptz"),
    ("resolution_note", "text"),
)


def signals_statement(signals: Sequence[FraudSignal]) -> Statement:
    attnames = [name for name, _ in _SIGNAL_COLUMNS]
    table, params = values_table(
        "v", _SIGNAL_COLUMNS, ([getattr(s, a) for a in attnames] for s in signals)
    )
    names = ", ".join(attnames)
    return (
        f"INSERT INTO {FraudSignal._meta.db_table} ({names}) SELECT {names} FROM {table}",
        params,
    )


# ---- values read back ------------------------------------------------------------------------


def uuid_of(value: Any) -> uuid.UUID:
    """A UUID as read back: psycopg gives a UUID, SQLite its hex text."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _moment(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _date(value: Any) -> dt.date:
    if isinstance(value, str):
        parsed = parse_date(value)
        assert parsed is not None
        return parsed
    assert isinstance(value, dt.date)
    return value
