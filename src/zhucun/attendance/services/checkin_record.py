"""MGT.1.CHECKIN / MGT.1.LIVE / MGT.1.FRAUD: recording one-tap check-ins — the hot path.

``checkins_record`` records a batch of check-ins (from any number of cadres) in ONE
transaction with a fixed number of queries, whatever the batch size: the group-commit writer
(``zhucun.core.groupcommit``, behind ``api/fastpath.py``) hands it the check-ins that arrived while the previous batch was
committing, so concurrent phones share one commit. ``checkin_record`` is the same for one.

``checkins_import`` records check-ins made with another app (``attendance.imports``: the
「云岭先锋」 export) the same way — same judgement, same fraud facts, same idempotency — with
the app's name in ``source`` and the importing official as the audit actor. Where a
jurisdiction switched this system's check-in off (``builtin_checkin_enabled``, MGT.1.CHECKIN),
its cadres' own check-ins are refused naming the app (``attendance.switch``).

Idempotent on (cadre, client_key): a resend returns the stored check-in with ``created``
False and writes nothing. On PostgreSQL the check-in table is partitioned by month and its
own unique key must include ``day``, so every check-in also writes a row of ``CheckInKey``
(unique on cadre + client_key, unpartitioned): the database refuses a second copy whatever
happens, and resends are looked up there. When two requests race with the same key, the
second one's INSERT waits on the unique index until the first commits, fails, and the batch
runs again, finding the key stored (a resend). SQLite serialises writers anyway.

Round trips per batch on PostgreSQL (the statements are in ``checkin_sql.py``, constant
text, prepared, sent in pipelines by ``core/pipeline.py``; tests/attendance/
test_mgt_1_checkin_batch.py counts the statements): (1) the reads — active postings, stored
keys (resends), each check-in's previous one, leave, identical coordinates, shared devices;
(2) the check-ins and their keys (one statement) with the audit chain head's lock; (3) any
fraud signals, the audit events and the head's new position, sent with the COMMIT. A single
check-in first looks for a resend before the transaction (a resend costs one query). The
parameters' freshness is checked at most every 2 s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from zhucun.accounts.models import CADRE_ROLES, User, UserRole
from zhucun.audit.services import (
    EventSpec,
    chain_head_create,
    chain_head_statement,
    events_chain,
    events_statements,
)
from zhucun.core.errors import Forbidden, ValidationFailed, ZhucunError
from zhucun.core.pipeline import (
    Statement,
    commit_together,
    postgres,
    statements_run,
    statements_send,
)
from zhucun.params.selectors import parameters_current
from zhucun.policy.checkin import checkin_day, judge_checkin
from zhucun.policy.errors import CalendarUnknownError, ParameterUnset
from zhucun.policy.fraud import fraud_signals
from zhucun.registry import scopes as registry_scopes
from zhucun.registry.models import PostingStatus

from ..models import CheckIn, CheckInKey, FraudSignal
from ..switch import builtin_enabled, builtin_off_message_for
from ._common import findings_json
from .checkin_facts import FraudFacts
from .checkin_facts import Item as _Item  # noqa: N814 - private in this module
from .checkin_input import CheckInInput, checkin_clean
from .checkin_sql import (
    batch_read,
    checkins_statements,
    keys_statement_sqlite,
    signals_statement,
    uuid_of,
)

NOT_A_CADRE = "只有驻村干部(第一书记、工作队员)本人可以签到"
NO_POSTING = "您当前没有在岗的驻村任职"


@dataclass(slots=True)
class CheckInOutcome:
    """What became of one submitted check-in: stored (``created``), found stored (a resend),
    or refused with a Chinese ``error`` (nothing written for it)."""

    checkin: CheckIn | None = None
    created: bool = False
    error: ZhucunError | None = None


def checkin_record(
    *,
    actor: User,
    client_key: Any,
    lat: Any,
    lng: Any,
    accuracy_m: Any,
    device_time: Any,
    device_id: str = "",
    no_position_reason: str = "",
    received_at: Any = None,
    offline: bool | None = None,
) -> tuple[CheckIn, bool]:
    """Record the actor's check-in; returns (check-in, created). Resends return the stored
    one with created False and write nothing. The result is returned after the commit."""
    data = checkin_clean(
        client_key=client_key,
        lat=lat,
        lng=lng,
        accuracy_m=accuracy_m,
        device_time=device_time,
        received_at=received_at,
        device_id=device_id,
        no_position_reason=no_position_reason,
        offline=offline,
    )
    return checkin_record_input(actor=actor, data=data)


def checkin_record_input(*, actor: User, data: CheckInInput) -> tuple[CheckIn, bool]:
    """``checkin_record`` for a check-in already cleaned (``checkin_clean``)."""
    (outcome,) = checkins_record(items=[(actor, data)])
    if outcome.error is not None:
        raise outcome.error
    assert outcome.checkin is not None
    return outcome.checkin, outcome.created


def checkins_record(*, items: Sequence[tuple[User, CheckInInput]]) -> list[CheckInOutcome]:
    """Record a batch of cleaned check-ins in one transaction; one outcome per item, in order.
    Refusals (not a cadre, no posting, a date whose rules are unknown, this system's check-in
    switched off for the village — ``builtin_checkin_enabled``) are per item and write
    nothing for that item; a database error fails the whole batch (nothing written)."""
    outcomes = [CheckInOutcome() for _ in items]
    todo: list[_Item] = []
    for i, (actor, data) in enumerate(items):
        if actor.role not in CADRE_ROLES or not actor.cadre_id:
            outcomes[i].error = Forbidden(NOT_A_CADRE)
        else:
            todo.append(_Item(i, actor, data, actor.cadre_id))
    if len(todo) == 1:  # a phone's resend costs one query and no lock
        todo = _drop_resends(todo, outcomes)
    if not todo:
        return outcomes
    return _record(todo, outcomes, allowed=None, no_posting=NO_POSTING)


IMPORT_ROLES = frozenset({UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP})
NOT_AN_IMPORTER = "其他APP的签到记录由县(市)、乡镇(街道)或州组织部门导入(MGT.1.CHECKIN)"
NOT_POSTED_HERE = "该干部当前没有在您管辖范围内在岗的驻村任职"


def checkins_import(
    *, actor: User, items: Sequence[tuple[int, CheckInInput]]
) -> list[CheckInOutcome]:
    """MGT.1.CHECKIN: record check-ins another app made (``data.source`` names it), as
    ``checkins_record`` records the phone's — the same judgement (geofence, accuracy,
    lateness, fraud signals) and the same idempotency on (cadre, client_key): a record
    imported before is answered as stored (``created`` False). ``items`` are (cadre id,
    cleaned check-in); only cadres posted now in ``actor``'s jurisdiction. The check-in is
    audited as recorded by ``actor``. One outcome per item, in order; refusals per item."""
    outcomes = [CheckInOutcome() for _ in items]
    if actor.role not in IMPORT_ROLES:
        for outcome in outcomes:
            outcome.error = Forbidden(NOT_AN_IMPORTER)
        return outcomes
    todo = []
    for i, (cadre_id, data) in enumerate(items):
        if not data.source:
            raise ValueError("imported check-ins name their source")
        todo.append(_Item(i, actor, data, cadre_id))
    if not todo:
        return outcomes
    allowed = set(
        registry_scopes.postings_visible(actor)
        .filter(cadre_id__in={it.cadre_id for it in todo}, status=PostingStatus.ACTIVE)
        .values_list("pk", flat=True)
    )
    return _record(todo, outcomes, allowed=allowed, no_posting=NOT_POSTED_HERE)


def _record(
    todo: list[_Item],
    outcomes: list[CheckInOutcome],
    *,
    allowed: set[int] | None,
    no_posting: str,
) -> list[CheckInOutcome]:
    for attempt in (1, 2):
        for it in todo:
            it.duplicates = []
            outcomes[it.index] = CheckInOutcome()
        try:
            with commit_together(), transaction.atomic():
                _record_batch(todo, outcomes, allowed=allowed, no_posting=no_posting)
            return outcomes
        except IntegrityError:
            # a racing request stored one of these keys first (its transaction committed
            # while ours waited on the key's unique index): nothing of ours was written;
            # look again — that check-in is a resend now
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _drop_resends(todo: list[_Item], outcomes: list[CheckInOutcome]) -> list[_Item]:
    """A single check-in: answer a resend from what is stored (one query, no lock)."""
    (it,) = todo
    key = (
        CheckInKey.objects.filter(cadre_id=it.cadre_id, client_key=it.data.client_key)
        .select_related("checkin")
        .first()
    )
    if key is None:
        return todo
    outcomes[it.index].checkin = key.checkin
    return []


def _answer_stored(
    todo: list[_Item],
    outcomes: list[CheckInOutcome],
    stored: dict[tuple[int, Any], tuple[int, Any]],
) -> list[_Item]:
    """Answer resends (stored, or earlier in this batch) from what is stored — ``stored`` maps
    (cadre, key) to (check-in id, day); the check-ins are read only when there are some —
    and return the rest."""
    found = (
        {
            (c.cadre_id, c.client_key): c
            for c in CheckIn.objects.filter(pk__in=[i for i, _ in stored.values()]).filter(
                day__in={d for _, d in stored.values()}
            )
        }
        if stored
        else {}
    )
    fresh: list[_Item] = []
    first: dict[tuple[int, Any], _Item] = {}
    for it in todo:
        key = (it.cadre_id, it.data.client_key)
        if key in found:
            for index in (it.index, *it.duplicates):
                outcomes[index].checkin = found[key]
        elif key in first:
            first[key].duplicates.append(it.index)
        else:
            first[key] = it
            fresh.append(it)
    return fresh


def _record_batch(
    todo: list[_Item],
    outcomes: list[CheckInOutcome],
    *,
    allowed: set[int] | None,
    no_posting: str,
) -> None:
    tz = timezone.get_current_timezone()
    for n, it in enumerate(todo):
        it.number = n
    facts = batch_read(items=[(it.cadre_id, it.data) for it in todo], tz=tz)
    fresh = _answer_stored(todo, outcomes, facts.stored)
    params = parameters_current(max_age=2.0)  # a new value reaches the writer within 2 s
    tz_name = settings.TIME_ZONE
    ready: list[_Item] = []
    for it in fresh:
        post = facts.posts.get(it.cadre_id)
        if post is None or (allowed is not None and post.posting_id not in allowed):
            _refuse(it, outcomes, Forbidden(no_posting))
            continue
        it.posting = post
        try:
            it.day = checkin_day(
                it.data.device_time,
                it.data.received_at,
                tz=tz_name,
                params=params,
                jurisdiction=post.code,
            )
            if not it.data.source and not builtin_enabled(params, on=it.day, code=post.code):
                message = builtin_off_message_for(
                    cadre_id=post.cadre_id, village_id=post.village_id, village=post.village_name
                )
                _refuse(it, outcomes, Forbidden(message))
                continue
            it.checkin = _judged(it, params, tz_name)
        except (ParameterUnset, CalendarUnknownError) as exc:
            _refuse(it, outcomes, _rules_unknown(exc, it.data))
            continue
        ready.append(it)
    if not ready:
        return
    fraud = FraudFacts(facts)
    for it in sorted(ready, key=lambda x: (x.data.device_time, x.index)):
        assert it.posting is not None and it.checkin is not None and it.day is not None
        code = it.posting.code
        try:
            # the speed rule needs its limit; without one in force there is no "previous"
            params.int_value("fraud_max_speed_kmh", on=it.day, jurisdiction=code)
            previous = fraud.previous(it)
        except (ParameterUnset, CalendarUnknownError):
            previous = None
        try:
            found = fraud_signals(
                current=fraud.current(it),
                previous=previous,
                other_cadres_on_device=fraud.others(it),
                identical_coordinates_count=fraud.identical(it),
                on_leave=fraud.on_leave(it),
                params=params,
                jurisdiction=code,
                offline=it.data.offline,
            )
        except (ParameterUnset, CalendarUnknownError):
            found = []  # a gap in the fraud parameters never refuses a check-in
        fraud.add(it)
        it.signals = found
    _write(ready)
    for it in ready:
        outcomes[it.index].checkin, outcomes[it.index].created = it.checkin, True
        for dup in it.duplicates:
            outcomes[dup].checkin = it.checkin


def _write(ready: list[_Item]) -> None:
    """The check-ins, their keys, fraud signals and audit events: two round trips."""
    # in key order: two batches that share keys lock them in the same order (no deadlock)
    checkins = sorted(
        (it.checkin for it in ready if it.checkin is not None),
        key=lambda c: (c.cadre_id, str(c.client_key)),
    )
    first = checkins_statements(checkins)
    inserted, head = statements_run([*first, chain_head_statement()])
    ids = {(cadre_id, uuid_of(key)): pk for pk, cadre_id, key in inserted}
    for c in checkins:
        c.pk = ids[(c.cadre_id, c.client_key)]
        c._state.adding = False
    later: list[Statement] = []
    if not postgres():
        later.append(keys_statement_sqlite(checkins))
    now = timezone.now()
    signals = [
        fraud_signal_of(f, cadre_id=c.cadre_id, village_id=c.village_id, checkin_id=c.pk)
        for it in ready
        if (c := it.checkin) is not None
        for f in it.signals
    ]
    for signal in signals:
        signal.created_at = now  # auto_now_add is bulk_create's job; set here
    if signals:
        later.append(signals_statement(signals))
    seq, prev = head[0] if head else chain_head_create()
    events = events_chain(events=[_event(it) for it in ready], seq=seq, prev=prev, now=now)
    # sent with the COMMIT (one round trip less while the audit chain's head is locked)
    statements_send([*later, *events_statements(events)])


def fraud_signal_of(
    finding: Any, *, cadre_id: int | None, village_id: int | None, checkin_id: int | None
) -> FraudSignal:
    """The stored form of one MGT.1.FRAUD finding about a check-in (also for bulk loaders)."""
    return FraudSignal(
        cadre_id=cadre_id,
        village_id=village_id,
        checkin_id=checkin_id,
        clause=finding.clause,
        kind=str(finding.data.get("signal", "")),
        severity=finding.severity,
        message=finding.message[:300],
        data=findings_json([finding])[0]["data"],
    )


def _refuse(it: _Item, outcomes: list[CheckInOutcome], error: ZhucunError) -> None:
    for index in (it.index, *it.duplicates):
        outcomes[index].error = error


def _rules_unknown(exc: ParameterUnset | CalendarUnknownError, data: CheckInInput) -> ZhucunError:
    """No rule in force on the check-in's date. A date before the rules took effect while
    the server's date has them is the phone's clock: say so on ``device_time``."""
    if isinstance(exc, ParameterUnset) and not exc.gap and exc.on < data.received_at.date():
        message = (
            f"设备时间 {data.device_time:%Y-%m-%d} 早于签到规则的生效日期,"
            "请把手机日期和时间设为自动获取后重新签到"
        )
        return ValidationFailed({"device_time": message}, message="签到数据无效")
    field = exc.clause if isinstance(exc, ParameterUnset) else "calendar"
    return ValidationFailed({field: str(exc)}, str(exc))


def _judged(it: _Item, params: Any, tz: str) -> CheckIn:
    post, d = it.posting, it.data
    assert post is not None and it.day is not None
    judgement = judge_checkin(
        name=post.cadre_name,
        lat=float(d.lat) if d.lat is not None else None,
        lng=float(d.lng) if d.lng is not None else None,
        accuracy_m=d.accuracy_m,
        point=post.point,
        radius_m=post.radius_m,
        device_time=d.device_time,
        received_at=d.received_at,
        params=params,
        jurisdiction=post.code,
        village=post.village_name,
        tz=tz,
    )
    return CheckIn(
        cadre_id=post.cadre_id,
        village_id=post.village_id,
        day=it.day,
        status=judgement.status,
        counts=judgement.counts,
        distance_m=judgement.distance_m,
        findings=findings_json(judgement.findings),
        client_key=d.client_key,
        lat=d.lat,
        lng=d.lng,
        accuracy_m=d.accuracy_m,
        device_time=d.device_time,
        received_at=d.received_at,
        device_id=d.device_id,
        no_position_reason=d.no_position_reason,
        source=d.source,
        address=d.address,
    )


def _event(it: _Item) -> EventSpec:
    c = it.checkin
    assert c is not None
    after: dict[str, Any] = {
        "day": c.day,
        "status": c.status,
        "counts": c.counts,
        "distance_m": c.distance_m,
        "client_key": str(c.client_key),
        "device_time": c.device_time,
        "received_at": c.received_at,
        "signals": [str(f.data.get("signal", "")) for f in it.signals],
    }
    if c.source:  # imported from another app: whose, and the position as the sheet gave it
        after.update(source=c.source, cadre_id=c.cadre_id, address=c.address)
        if it.data.original is not None:
            lat, lng, datum = it.data.original
            after["original"] = {"lat": lat, "lng": lng, "datum": datum}
    return EventSpec(actor=it.actor, action="checkin.record", obj=c, after=after)


def checkin_keys_fill() -> int:
    """For bulk loaders (demo, ``zhucun gen``) that INSERT check-ins directly: write the
    missing ``CheckInKey`` rows in one statement. Returns how many were written."""
    key, checkin = CheckInKey._meta.db_table, CheckIn._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {key} (cadre_id, client_key, checkin_id, day)"
            f" SELECT c.cadre_id, c.client_key, c.id, c.day FROM {checkin} c"
            f" WHERE NOT EXISTS (SELECT 1 FROM {key} k"
            f" WHERE k.cadre_id = c.cadre_id AND k.client_key = c.client_key)"
        )
        return int(cur.rowcount)
