"""MGT.3 month close: per township and month, every cadre's on-duty working days, rate,
ranking, bottom three and interview flag — computed in the database.

How a row is computed (one ``WITH … INSERT … SELECT`` for all townships being closed; the
month's working days from ``work_calendar()`` are passed in as a ``VALUES`` list):

* the cadre's **home** posting is the latest-arrived posting overlapping the month (its
  village and township own the row); cadres whose postings cover no working day get no row;
* ``workdays`` = the month's working days (调休 included) on which the cadre was in post
  (any posting; from the arrival date to the actual end) — a full month's posting gives the
  month's working days;
* ``duty_workdays`` = COUNT(DISTINCT day) over those days of (counted check-ins ∪ days of
  approved or returned business_trip / training / meeting leave, up to the 销假 day);
  several check-ins of one day count once;
* ``rate`` = duty_workdays / workdays; rankings compare the exact rate through an integer
  key (duty × LCM(1..31) / workdays, exact because workdays ≤ 31) — never rounded floats;
  ``rank`` = RANK() by rate DESC, ``bottom_rank`` = RANK() by rate ASC, per township;
  ``is_bottom`` = bottom_rank ≤ ``rank_bottom_count`` and below full attendance; ``tie`` / ``boundary_tie`` as in
  ``policy.rank_township``;
* ``excused_workdays`` = of the remaining (not on duty) days, those covered by approved or
  returned personal / sick leave or rotation rest; **valid reason** (MGT.3.TALK 正常理由) =
  duty + excused days reach ``workdays × talk_min_attendance_ratio``, i.e. every missing
  day the ratio needs is explained by approved leave; ``needs_interview`` = duty days below
  the threshold and no valid reason (``policy.needs_interview``).

Where the rows go: on PostgreSQL a month's first close (nothing of the month stored yet)
builds the month's partition of ``attendance_monthlyattendance`` and attaches it
(``monthclose_fresh``); every other close deletes the townships' rows and inserts them
(``monthclose_sql.rewrite``).

Parameters (``rank_bottom_count``, ``talk_min_attendance_ratio``) are read once per township
(its division code, on the month's first day) and passed as a ``VALUES`` list.

Idempotent: the computed rows are compared with the stored ones in SQL (joined on the cadre);
only townships whose rows differ (or that were never closed) are rewritten, get version + 1
and one audit event. A later correction (``month_reclose_touched``) re-closes just the
township-months it touches. A month is closed only after it has ended; a month in a year the
calendar does not know says "请录入YYYY年节假日安排" and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import (
    EventSpec,
    chain_head_create,
    events_chain,
    events_statements,
)
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.core.pipeline import statements_run
from zhucun.params.calendar import work_calendar
from zhucun.params.selectors import parameters_current
from zhucun.policy import CalendarUnknownError
from zhucun.policy.dates import month_label
from zhucun.registry.models import Jurisdiction, Level

from ..models import MonthClose, MonthlyAttendance
from ._common import days_between, month_end, month_start, months_of
from .monthclose_fresh import first_close
from .monthclose_sql import NARROW, changed_townships, int_rows, rewrite

CLOSE_ROLES = (UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP)


@dataclass
class TownshipClose:
    township_id: int
    code: str
    name: str
    version: int
    changed: bool
    rows: int


@dataclass
class MonthCloseResult:
    month: dt.date
    workdays: int
    townships: list[TownshipClose] = field(default_factory=list)

    @property
    def changed(self) -> list[TownshipClose]:
        return [t for t in self.townships if t.changed]


# ---- public services -----------------------------------------------------------------------


def working_days_of(month: dt.date) -> list[dt.date]:
    """The month's working days on the State Council calendar (调休 included); a year the
    calendar does not know ⇒ ValidationFailed "请录入YYYY年节假日安排"."""
    calendar = work_calendar()
    try:
        return [d for d in days_between(month, month_end(month)) if calendar.is_workday(d)]
    except CalendarUnknownError as exc:
        raise ValidationFailed(
            {"month": f"请录入{exc.year}年节假日安排"}, message="节假日安排缺失"
        ) from None


@transaction.atomic
def month_close(
    *, actor: User | None = None, month: dt.date, township_id: int | None = None
) -> MonthCloseResult:
    """Close ``month`` for ``township_id`` or for every township in the actor's scope
    (``actor`` None: the command line, every township)."""
    month = month_start(month)
    if month_end(month) >= timezone.localdate():
        raise ValidationFailed({"month": f"{month_label(month)}尚未结束,不能结账"})
    if actor is not None and actor.role not in CLOSE_ROLES:
        raise Forbidden("月度考勤由乡镇(街道)党(工)委统计(MGT.3.RANK)")
    workdays = working_days_of(month)
    townships = _townships(actor, township_id)
    return _close(actor=actor, month=month, workdays=workdays, townships=townships, note="")


def lock_township(township_id: int) -> None:
    """Take the township's close lock. Corrections call this before their own audit event,
    so that every path locks township → audit chain head, in the month close's order."""
    Jurisdiction.objects.select_for_update().filter(pk=township_id).first()


def month_reclose_touched(
    *, actor: User | None, township_id: int, days: Iterable[dt.date], reason: str
) -> list[TownshipClose]:
    """After a correction (a check-in accepted late, a leave decided or returned later),
    re-close the township-months already closed that contain ``days``. Call inside the
    correction's transaction. Unchanged rows ⇒ no new version."""
    done: list[TownshipClose] = []
    for month in months_of(days):
        if not MonthClose.objects.filter(month=month, township_id=township_id).exists():
            continue
        township = Jurisdiction.objects.get(pk=township_id)
        result = _close(
            actor=actor,
            month=month,
            workdays=working_days_of(month),
            townships=[township],
            note=reason,
        )
        done.extend(result.townships)
    return done


# ---- the close -----------------------------------------------------------------------------


def _townships(actor: User | None, township_id: int | None) -> list[Jurisdiction]:
    qs = Jurisdiction.objects.filter(level=Level.TOWNSHIP)
    if actor is not None and actor.role != UserRole.ADMIN:
        qs = qs.filter(path__startswith=actor.jurisdiction.path if actor.jurisdiction_id else "\0")
    if township_id is not None:
        found = qs.filter(pk=township_id).first()
        if found is None:
            raise NotFound("乡镇不存在或不在您的管辖范围内")
        return [found]
    return list(qs.filter(township_villages__isnull=False).distinct().order_by("code"))


def _close(
    *,
    actor: User | None,
    month: dt.date,
    workdays: Sequence[dt.date],
    townships: Sequence[Jurisdiction],
    note: str,
) -> MonthCloseResult:
    result = MonthCloseResult(month=month, workdays=len(workdays))
    if not townships:
        return result
    # Serialise closes (and corrections) of these townships.
    locked = list(
        Jurisdiction.objects.select_for_update()
        .filter(pk__in=[t.pk for t in townships])
        .order_by("pk")
        .only("id", "code", "name")
    )
    params = parameters_current()
    tp = []
    for t in locked:
        ratio = params.fraction_value("talk_min_attendance_ratio", on=month, jurisdiction=t.code)
        bottom = params.int_value("rank_bottom_count", on=month, jurisdiction=t.code)
        tp.append((t.pk, bottom, ratio.numerator, ratio.denominator))
    closes = {
        c.township_id: c
        for c in MonthClose.objects.select_for_update().filter(
            month=month, township_id__in=[t.pk for t in locked]
        )
    }
    # A township never closed for the month is written anyway: compare only the others.
    compared = [row for row in tp if row[0] in closes]
    changed = changed_townships(month, workdays, compared) if workdays and compared else set()
    changed |= {t.pk for t in locked if t.pk not in closes}
    now = timezone.now()
    if changed and workdays:
        written = [row for row in tp if row[0] in changed]
        if not first_close(month, workdays, written, now):
            rewrite(month, workdays, written, now)
    elif changed:
        MonthlyAttendance.objects.filter(month=month, township_id__in=changed).delete()
    counts = _row_counts(month, [t.pk for t in locked])
    records = _record_closes(
        actor,
        month,
        [t for t in locked if t.pk in changed],
        closes,
        len(workdays),
        counts,
        now,
        note,
    )
    for t in locked:
        version = records.get(t.pk) or closes[t.pk].version
        result.townships.append(
            TownshipClose(t.pk, t.code, t.name, version, t.pk in changed, counts.get(t.pk, 0))
        )
    return result


RECORD_CHUNK = 2000  # townships whose close records and events are built at a time


def _record_closes(
    actor: User | None,
    month: dt.date,
    townships: Sequence[Jurisdiction],
    closes: dict[int, MonthClose],
    workdays: int,
    counts: dict[int, int],
    now: dt.datetime,
    note: str,
) -> dict[int, int]:
    """The close records of the townships whose rows were (re)written — version 1 for a
    first close, + 1 for a re-close — and one audit event each, in township order, written
    in bulk a chunk of townships at a time (memory stays flat for a national close).
    Returns each township's new version."""
    versions: dict[int, int] = {}
    lists = _bottom_and_interview(month, [t.pk for t in townships])
    for i in range(0, len(townships), RECORD_CHUNK):
        chunk = townships[i : i + RECORD_CHUNK]
        versions.update(
            _record_chunk(actor, month, chunk, closes, workdays, counts, lists, now, note)
        )
    return versions


def _record_chunk(
    actor: User | None,
    month: dt.date,
    townships: Sequence[Jurisdiction],
    closes: dict[int, MonthClose],
    workdays: int,
    counts: dict[int, int],
    lists: dict[int, tuple[list[int], list[int]]],
    now: dt.datetime,
    note: str,
) -> dict[int, int]:
    by_pk: dict[int, MonthClose] = {}
    before: dict[int, dict[str, object]] = {}
    for t in townships:
        close = closes.get(t.pk)
        if close is None:
            close = MonthClose(month=month, township=t, version=1)
        else:
            before[t.pk] = {"version": close.version, "closed_at": close.closed_at}
            close.version += 1
        close.workdays = workdays
        close.closed_at = now
        close.closed_by = actor if actor is not None and actor.pk else None
        close.reopen_note = note[:300]
        by_pk[t.pk] = close
    _closes_insert([c for c in by_pk.values() if c.pk is None])
    MonthClose.objects.bulk_update(
        [by_pk[pk] for pk in before],
        ["version", "workdays", "closed_at", "closed_by", "reopen_note"],
    )
    _events_write(
        [
            EventSpec(
                actor=actor,
                action="attendance.month_reclose" if t.pk in before else "attendance.month_close",
                obj=by_pk[t.pk],
                before=before.get(t.pk),
                after={
                    "month": month,
                    "township": t.code,
                    "version": by_pk[t.pk].version,
                    "workdays": workdays,
                    "rows": counts.get(t.pk, 0),
                    "bottom": lists.get(t.pk, ([], []))[0],
                    "interview": lists.get(t.pk, ([], []))[1],
                },
                note=note,
            )
            for t in townships
        ]
    )
    return {pk: close.version for pk, close in by_pk.items()}


def _events_write(events: list[EventSpec]) -> None:
    """The events appended to the audit chain as ``events_record`` appends them (the chain
    head locked, the same hashed rows from ``events_chain``), written the way the check-in
    writer writes its own: the rows as one JSON parameter (``events_statements``) rather
    than ~13 bound values each — for 2,000 events a statement, psycopg's client-side
    binding and the server's parsing of 26,000 literals cost most of the events' time."""
    seq, prev = chain_head_create()
    statements_run(events_statements(events_chain(events=events, seq=seq, prev=prev)))


def _closes_insert(closes: Sequence[MonthClose]) -> None:
    """INSERT the new close records (one township each, the rest alike) with one statement
    whose township ids are written as literals, and set their ids: ~37,000 × 7 bound values
    through ``bulk_create`` cost a national close 1.7 s."""
    if not closes:
        return
    c = closes[0]
    q = connection.ops.quote_name
    ops = connection.ops
    columns = ("month", "township_id", "version", "workdays", "closed_at")
    head = ", ".join(q(x) for x in (*columns, "closed_by_id", "reopen_note"))
    ids = int_rows([(x.township_id,) for x in closes])
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {q(MonthClose._meta.db_table)} ({head})"
            f" SELECT %s, t.column1, %s, %s, %s, %s, %s FROM (VALUES {ids}) AS t"
            f" RETURNING {q('id')}, {q('township_id')}",
            [
                ops.adapt_datefield_value(c.month),
                c.version,
                c.workdays,
                ops.adapt_datetimefield_value(c.closed_at),
                c.closed_by_id,
                c.reopen_note,
            ],
        )
        pks = dict((township_id, pk) for pk, township_id in cur.fetchall())
    for x in closes:
        x.pk = pks[x.township_id]
        x._state.adding = False


def _bottom_and_interview(
    month: dt.date, township_ids: list[int]
) -> dict[int, tuple[list[int], list[int]]]:
    """Per township: the cadres at the bottom and those to interview, by rank then cadre.
    Many townships (a monthly close): the month's flagged rows in one pass, kept to them
    here (no IN list of tens of thousands of ids)."""
    out: dict[int, tuple[list[int], list[int]]] = {}
    qs = MonthlyAttendance.objects.filter(month=month)
    wanted = set(township_ids)
    if len(township_ids) <= NARROW:
        qs = qs.filter(township_id__in=township_ids)
    rows = (
        qs.filter(Q(is_bottom=True) | Q(needs_interview=True))
        .order_by("township_id", "rank", "cadre_id")
        .values_list("township_id", "cadre_id", "is_bottom", "needs_interview")
        .iterator(chunk_size=20000)
    )
    for township_id, cadre_id, bottom, interview in rows:
        if township_id not in wanted:
            continue
        lists = out.setdefault(township_id, ([], []))
        if bottom:
            lists[0].append(cadre_id)
        if interview:
            lists[1].append(cadre_id)
    return out


def _row_counts(month: dt.date, township_ids: list[int]) -> dict[int, int]:
    """Rows per township. Many townships (a monthly close): the month's counts, kept to
    them here — cheaper than tens of thousands of ids sent in an IN list."""
    qs = MonthlyAttendance.objects.filter(month=month)
    if len(township_ids) <= NARROW:
        return dict(
            qs.filter(township_id__in=township_ids)
            .values("township_id")
            .annotate(n=Count("pk"))
            .values_list("township_id", "n")
        )
    wanted = set(township_ids)
    counts = qs.values("township_id").annotate(n=Count("pk")).values_list("township_id", "n")
    return {t: n for t, n in counts if t in wanted}


__all__ = [
    "MonthCloseResult",
    "TownshipClose",
    "month_close",
    "lock_township",
    "month_reclose_touched",
    "working_days_of",
]
