"""MGT.1.FRAUD: what the fraud rules need to know about a batch of check-ins (the
previous check-in within the speed window, leave, repeated coordinates, shared devices), read
in four queries and kept up to date as the batch's own check-ins are judged in device-time
order. Used by ``checkin_record.checkins_record``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from zhucun.accounts.models import User
from zhucun.policy.errors import CalendarUnknownError, ParameterUnset
from zhucun.policy.fraud import CheckinFact
from zhucun.registry.models import Cadre, Posting

from ..models import CheckIn
from ..models.leave import EXCUSED_KINDS, LeaveRequest, LeaveState
from .checkin_input import CheckInInput

_MAX_OTHERS = 20


@dataclass(slots=True)
class Item:
    """One submitted check-in on its way through a batch."""

    index: int
    actor: User  # who records it: the cadre, or the official importing another app's records
    data: CheckInInput
    cadre_id: int  # whose check-in it is
    posting: Posting | None = None
    day: dt.date | None = None
    checkin: CheckIn | None = None
    signals: list[Any] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)  # later items with the same key


class FraudFacts:
    """What the MGT.1.FRAUD rules need about a batch, in four queries, kept up to date as
    the batch's own check-ins are judged in device-time order."""

    def __init__(self, items: list[Item], params: Any) -> None:
        cadres = {it.cadre_id for it in items}
        days = [it.day for it in items if it.day is not None]
        self.batch: dict[int, list[CheckinFact]] = defaultdict(list)  # judged in this batch
        # Stored check-ins that could be "the previous one" of the speed rule: only those
        # within the time in which even the slowest speed limit of the batch covers any
        # distance on Earth — an older one can never be an impossible move (so this window
        # changes no finding, and the query reads a few days, not the whole history).
        self.stored: dict[int, list[tuple[dt.datetime, int, CheckinFact]]] = defaultdict(list)
        window = _speed_window(items, params)
        if window is not None:
            moments = [it.data.device_time for it in items]
            recent = CheckIn.objects.filter(
                cadre_id__in=cadres,
                device_time__gte=min(moments) - window,
                device_time__lte=max(moments),
            ).order_by()
            names = {it.cadre_id: it.posting.cadre.name for it in items if it.posting}
            for row in recent.values(
                "id",
                "cadre_id",
                "lat",
                "lng",
                "device_time",
                "received_at",
                "device_id",
            ):
                fact = _fact(row, names.get(row["cadre_id"], ""))
                self.stored[row["cadre_id"]].append((row["device_time"], row["id"], fact))
        self.leave: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for row in (
            LeaveRequest.objects.filter(
                cadre_id__in=cadres,
                state__in=[LeaveState.APPROVED, LeaveState.RETURNED],
                kind__in=list(EXCUSED_KINDS),
                start__lte=max(days),
            )
            .filter(Q(actual_end__gte=min(days)) | Q(actual_end__isnull=True, end__gte=min(days)))
            .values("cadre_id", "start", "end", "actual_end")
        ):
            self.leave[row["cadre_id"]].append((row["start"], row["actual_end"] or row["end"]))
        placed = [it for it in items if it.data.lat is not None]
        self.same: dict[tuple[int, Any, Any], int] = defaultdict(int)
        if placed:
            for row in (
                CheckIn.objects.filter(
                    cadre_id__in={it.cadre_id for it in placed},
                    lat__in={it.data.lat for it in placed},
                    lng__in={it.data.lng for it in placed},
                )
                .order_by()
                .values("cadre_id", "lat", "lng")
                .annotate(n=Count("pk"))
            ):
                self.same[(row["cadre_id"], row["lat"], row["lng"])] = row["n"]
        devices = {it.data.device_id for it in items if it.data.device_id}
        # devices → cadres: ids first (no join: the names are needed only for a shared one)
        self.device_users: dict[str, dict[int, str]] = defaultdict(dict)
        if devices:
            pairs = set(
                CheckIn.objects.filter(device_id__in=devices)
                .order_by()
                .values_list("device_id", "cadre_id")
                .distinct()
            )
            own = {(it.data.device_id, it.cadre_id) for it in items}
            strangers = {c for d, c in pairs if (d, c) not in own}
            names = dict(Cadre.objects.filter(pk__in=strangers).values_list("pk", "name"))
            names.update({it.cadre_id: it.posting.cadre.name for it in items if it.posting})
            for device, cadre_id in pairs:
                self.device_users[device][cadre_id] = names.get(cadre_id, "")

    @staticmethod
    def current(it: Item) -> CheckinFact:
        d, cadre = it.data, it.posting.cadre  # type: ignore[union-attr]
        return CheckinFact(
            cadre.pk,
            cadre.name,
            float(d.lat) if d.lat is not None else None,
            float(d.lng) if d.lng is not None else None,
            d.device_time,
            d.received_at,
            d.device_id,
        )

    def previous(self, it: Item) -> CheckinFact | None:
        """The cadre's check-in just before this one by device time (stored, or judged
        earlier in this batch; on equal times the later-recorded one)."""
        cadre_id, moment = it.cadre_id, it.data.device_time
        assert cadre_id is not None
        earlier = [(t, i, f) for t, i, f in self.stored.get(cadre_id, []) if t <= moment]
        stored = max(earlier, key=lambda e: (e[0], e[1]))[2] if earlier else None
        best = stored
        for fact in self.batch.get(cadre_id, []):
            if fact.device_time <= moment and (
                best is None or fact.device_time >= best.device_time
            ):
                best = fact
        return best

    def others(self, it: Item) -> list[str]:
        users = self.device_users.get(it.data.device_id, {}) if it.data.device_id else {}
        return sorted(n for c, n in users.items() if c != it.cadre_id)[:_MAX_OTHERS]

    def identical(self, it: Item) -> int:
        if it.data.lat is None:
            return 1
        return self.same[(it.cadre_id, it.data.lat, it.data.lng)] + 1  # with this one

    def on_leave(self, it: Item) -> bool:
        day = it.day
        assert day is not None
        return any(s <= day <= e for s, e in self.leave.get(it.cadre_id, []))  # type: ignore[arg-type]

    def add(self, it: Item) -> None:
        """Count this batch's check-in for the ones judged after it."""
        cadre_id = it.cadre_id
        assert cadre_id is not None
        fact = self.current(it)
        self.batch[cadre_id].append(fact)
        if it.data.lat is not None:
            self.same[(cadre_id, it.data.lat, it.data.lng)] += 1
        if it.data.device_id:
            self.device_users[it.data.device_id][cadre_id] = fact.name


EARTH_FARTHEST_KM = 20_016  # geography, not policy: half the Earth's circumference


def _speed_window(items: list[Item], params: Any) -> dt.timedelta | None:
    """How far back a previous check-in can matter to the speed rule (MGT.1.FRAUD): the time
    the batch's slowest limit needs for the farthest distance on Earth; None when no limit
    is in force (then the rule does not run)."""
    limits = []
    for it in items:
        assert it.posting is not None and it.day is not None
        try:
            limits.append(
                params.int_value(
                    "fraud_max_speed_kmh",
                    on=it.day,
                    jurisdiction=it.posting.village.jurisdiction.code,
                )
            )
        except (ParameterUnset, CalendarUnknownError):
            continue
    positive = [v for v in limits if v > 0]
    if not positive:
        return None if not limits else dt.timedelta(days=36_500)  # a zero limit: look back far
    return dt.timedelta(hours=EARTH_FARTHEST_KM / min(positive)) + dt.timedelta(days=1)


def _fact(row: dict[str, Any], name: str) -> CheckinFact:
    return CheckinFact(
        row["cadre_id"],
        name,
        float(row["lat"]) if row["lat"] is not None else None,
        float(row["lng"]) if row["lng"] is not None else None,
        row["device_time"],
        row["received_at"],
        row["device_id"],
    )
