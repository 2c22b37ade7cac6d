"""Writing audit events. Call ``event_record`` inside the transaction of the change.

Each event's ``hash`` is HMAC-SHA256 under the audit key (``settings.ZHUCUN_AUDIT_KEY``, kept
outside the database) over the previous hash and the event's canonical content: whoever can
write the database but does not hold the key cannot recompute a rewritten chain. The database
refuses UPDATE and DELETE on the events (``guard.py``); a signed head kept outside the database
(``head.py``) catches a chain cut short at its end."""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import hmac
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from zhucun.core import pipeline
from zhucun.core.pipeline import Statement
from zhucun.core.rows import rows_insert

from .models import ChainHead, Event

GENESIS = "0" * 64


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    raise TypeError(f"cannot serialise {type(value).__name__}")


def to_jsonable(data: Mapping[str, Any] | None) -> Any:
    if data is None:
        return None
    return json.loads(json.dumps(data, default=_default, ensure_ascii=False))


def audit_key() -> bytes:
    """The audit chain's HMAC key (never stored in the database)."""
    key = settings.ZHUCUN_AUDIT_KEY
    if not key:
        raise RuntimeError("ZHUCUN_AUDIT_KEY is empty")
    return key.encode("utf-8") if isinstance(key, str) else bytes(key)


def canonical(fields: Mapping[str, Any]) -> str:
    return json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_default
    )


def event_digest(*, prev_hash: str, fields: Mapping[str, Any], key: bytes | None = None) -> str:
    """HMAC-SHA256(audit key, prev_hash + canonical content): the one digest of the chain."""
    message = (prev_hash + canonical(fields)).encode("utf-8")
    return hmac.new(key or audit_key(), message, hashlib.sha256).hexdigest()


def unkeyed_digest(*, prev_hash: str, fields: Mapping[str, Any]) -> str:
    """The chain's digest before the key (plain SHA-256): only to name what verify found."""
    return hashlib.sha256((prev_hash + canonical(fields)).encode("utf-8")).hexdigest()


def event_content(event: Event) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "before": event.before,
        "after": event.after,
        "note": event.note,
    }


def model_snapshot(instance: models.Model, *, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` as JSON-able data (FKs as ids)."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname] = getattr(instance, field.attname)
    return to_jsonable(data)


def event_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    note: str = "",
) -> Event:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("event_record must be called inside transaction.atomic()")
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_obj = actor if getattr(actor, "pk", None) else None
    event = Event(
        seq=head.last_seq + 1,
        at=timezone.now(),
        actor=actor_obj,
        actor_name=str(actor) if actor is not None else "系统",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        before=to_jsonable(before),
        after=to_jsonable(after),
        note=note,
        prev_hash=head.last_hash,
    )
    event.hash = event_digest(prev_hash=event.prev_hash, fields=event_content(event))
    event.save(force_insert=True)
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


@dataclass(frozen=True)
class EventSpec:
    """One event for ``events_record``: who did what to which object."""

    actor: Any
    action: str
    obj: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    before: Mapping[str, Any] | None = None
    after: Mapping[str, Any] | None = None
    note: str = ""


def events_record(*, events: Sequence[EventSpec]) -> list[Event]:
    """Append several events to the chain at once: one lock of the chain head, one INSERT,
    one UPDATE — the same chain as that many ``event_record`` calls. Must run inside the
    caller's transaction."""
    if not events:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events_record must be called inside transaction.atomic()")
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    rows = events_chain(events=events, seq=head.last_seq, prev=head.last_hash)
    rows_insert(Event, rows, with_pk=True)
    head.last_seq, head.last_hash = rows[-1].seq, rows[-1].hash
    head.save(update_fields=["last_seq", "last_hash"])
    return rows


def events_chain(
    *, events: Sequence[EventSpec], seq: int, prev: str, now: dt.datetime | None = None
) -> list[Event]:
    """The events that follow the head (``seq``, ``prev``) of the chain, hashed, not saved."""
    now = now or timezone.now()
    rows: list[Event] = []
    for spec in events:
        obj = spec.obj
        seq += 1
        event = Event(
            seq=seq,
            at=now,
            actor_id=spec.actor.pk if getattr(spec.actor, "pk", None) else None,
            actor_name=str(spec.actor) if spec.actor is not None else "系统",
            action=spec.action,
            object_type=spec.object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=str(spec.object_id or (obj.pk if obj is not None else "")),
            before=to_jsonable(spec.before),
            after=to_jsonable(spec.after),
            note=spec.note,
            prev_hash=prev,
        )
        event.hash = prev = event_digest(prev_hash=prev, fields=event_content(event))
        rows.append(event)
    return rows


# ---- the same as statements, for writers that send their SQL in one round trip ----------------
# (the check-in writer: attendance/services/checkin_sql.py, through core/pipeline.py)

_EVENT_COLUMNS = (
    ("seq", "bigint"),
    ("at", "timestamptz"),
    ("actor_id", "bigint"),
    ("actor_name", "text"),
    ("action", "text"),
    ("object_type", "text"),
    ("object_id", "text"),
    ("before", "jsonb"),
    ("after", "jsonb"),
    ("note", "text"),
    ("prev_hash", "text"),
    ("hash", "text"),
)


def chain_head_statement() -> Statement:
    """Lock the chain's head and read it: one row (last_seq, last_hash), none before the
    first event ever (then call ``chain_head_create``)."""
    lock = " FOR UPDATE" if pipeline.postgres() else ""  # SQLite has one writer anyway
    return f"SELECT last_seq, last_hash FROM {ChainHead._meta.db_table} WHERE id = 1{lock}", []


def chain_head_create() -> tuple[int, str]:
    """The head of an empty chain, created and locked."""
    head, _ = ChainHead.objects.select_for_update().get_or_create(id=1)
    return head.last_seq, head.last_hash


def events_statements(rows: Sequence[Event]) -> list[Statement]:
    """INSERT ``rows`` (from ``events_chain``) and move the head to the last one: two
    statements whose text does not depend on the number of events."""
    names = [name for name, _ in _EVENT_COLUMNS]
    table, params = pipeline.values_table(
        "e", _EVENT_COLUMNS, ([getattr(e, a) for a in names] for e in rows)
    )
    listed = ", ".join(names)
    last = rows[-1]
    return [
        (f"INSERT INTO {Event._meta.db_table} ({listed}) SELECT {listed} FROM {table}", params),
        (
            f"UPDATE {ChainHead._meta.db_table} SET last_seq = %s, last_hash = %s WHERE id = 1",
            [last.seq, last.hash],
        ),
    ]


def chain_verify(*, chunk: int = 2000) -> tuple[int, Event | None, str]:
    """Walk the chain in order. Returns (events checked, first broken event or None, reason)."""
    key = audit_key()
    prev = GENESIS
    expected_seq = 1
    checked = 0
    for event in _iter_events(chunk):
        if event.seq != expected_seq:
            return checked, event, f"序号不连续:应为 {expected_seq},实为 {event.seq}(有事件被删除)"
        if event.prev_hash != prev:
            return checked, event, "前序哈希不符(前一事件被篡改或删除)"
        content = event_content(event)
        if event_digest(prev_hash=prev, fields=content, key=key) != event.hash:
            if unkeyed_digest(prev_hash=prev, fields=content) == event.hash:
                return (
                    checked,
                    event,
                    "哈希不是用本系统的审计密钥计算的(链被人用公开算法重算,"
                    "或是启用密钥之前建立的数据库,须重建)",
                )
            return checked, event, "内容哈希不符(本事件被篡改,或审计密钥不对)"
        prev = event.hash
        expected_seq += 1
        checked += 1
    head = ChainHead.objects.filter(id=1).first()
    if head and (head.last_seq != checked or head.last_hash != prev):
        return (
            checked,
            None,
            f"链尾不符:记录的最后序号 {head.last_seq},实际 {checked}(末尾事件被删除)",
        )
    return checked, None, ""


def _iter_events(chunk: int) -> Iterator[Event]:
    last = 0
    while True:
        batch = list(Event.objects.filter(seq__gt=last).order_by("seq")[:chunk])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
