"""MGT.1.FRAUD: what the fraud rules need to know about a batch of check-ins (the previous
check-in by device time, leave, repeated coordinates, shared devices), read in the batch's one
round trip (``checkin_sql.batch_read``) and kept up to date as the batch's own check-ins are
judged in device-time order. Used by ``checkin_record.checkins_record``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from zhucun.accounts.models import User
from zhucun.policy.fraud import CheckinFact

from ..models import CheckIn
from .checkin_input import CheckInInput
from .checkin_sql import Facts, Post

_MAX_OTHERS = 20


@dataclass(slots=True)
class Item:
    """One submitted check-in on its way through a batch."""

    index: int
    actor: User  # who records it: the cadre, or the official importing another app's records
    data: CheckInInput
    cadre_id: int  # whose check-in it is
    number: int = -1  # its place in the batch's read (``Facts.previous``)
    posting: Post | None = None
    day: dt.date | None = None
    checkin: CheckIn | None = None
    signals: list[Any] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)  # later items with the same key


class FraudFacts:
    """What the MGT.1.FRAUD rules need about a batch (from ``Facts``), kept up to date as the
    batch's own check-ins are judged in device-time order."""

    def __init__(self, facts: Facts) -> None:
        self.stored = facts.previous
        self.batch: dict[int, list[CheckinFact]] = defaultdict(list)  # judged in this batch
        self.leave = facts.leave
        self.same: dict[tuple[int, float, float], int] = defaultdict(int, facts.same)
        self.device_users: dict[str, dict[int, str]] = defaultdict(dict)
        for device, users in facts.devices.items():
            self.device_users[device].update(users)

    @staticmethod
    def current(it: Item) -> CheckinFact:
        d, post = it.data, it.posting
        assert post is not None
        return CheckinFact(
            post.cadre_id,
            post.cadre_name,
            float(d.lat) if d.lat is not None else None,
            float(d.lng) if d.lng is not None else None,
            d.device_time,
            d.received_at,
            d.device_id,
        )

    def previous(self, it: Item) -> CheckinFact | None:
        """The cadre's check-in just before this one by device time (stored, or judged
        earlier in this batch; on equal times the later-recorded one)."""
        moment = it.data.device_time
        best = self.stored.get(it.number)
        for fact in self.batch.get(it.cadre_id, []):
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
        return self.same[(it.cadre_id, float(it.data.lat), float(it.data.lng))] + 1  # and this

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
            self.same[(cadre_id, float(it.data.lat), float(it.data.lng))] += 1
        if it.data.device_id:
            self.device_users[it.data.device_id][cadre_id] = fact.name
