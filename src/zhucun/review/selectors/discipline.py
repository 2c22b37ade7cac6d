"""MGT.10: reading discipline records within the user's scope (the writers' area, the cadre's
unit; never the cadres). A record "stands" while no later record supersedes it."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from zhucun.accounts.models import User
from zhucun.core.errors import NotFound

from ..models import DisciplineRecord
from ..scope import discipline_visible_q
from ..services.discipline import NOT_FOUND


def discipline_list(
    *,
    user: User,
    cadre: int | None = None,
    standing_only: bool = False,
    outcome: str = "",
    prohibition: str = "",
    q: str = "",
    since: Any = None,
    until: Any = None,
) -> QuerySet[DisciplineRecord]:
    """The records ``user`` may see, newest first, each annotated ``standing``; a queryset
    for the caller to paginate. ``q``: the cadre's name; ``since``/``until``: 发生日期 within
    (inclusive)."""
    qs = (
        DisciplineRecord.objects.filter(discipline_visible_q(user))
        .select_related("cadre__unit", "jurisdiction")
        .annotate(standing=~Exists(DisciplineRecord.objects.filter(supersedes_id=OuterRef("pk"))))
    )
    if cadre is not None:
        qs = qs.filter(cadre_id=cadre)
    if standing_only:
        qs = qs.filter(standing=True)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if prohibition:
        qs = qs.filter(prohibition=prohibition)
    if q:
        qs = qs.filter(cadre__name__contains=q)
    if since:
        qs = qs.filter(occurred_on__gte=since)
    if until:
        qs = qs.filter(occurred_on__lte=until)
    return qs.order_by("-occurred_on", "-id")


def discipline_get(*, user: User, pk: int) -> DisciplineRecord:
    """One record within the scope (NotFound outside it, as for one never written)."""
    record = discipline_list(user=user).filter(pk=pk).first()
    if record is None:
        raise NotFound(NOT_FOUND)
    return record


def discipline_chain(record: DisciplineRecord) -> list[DisciplineRecord]:
    """The record's corrections in order, the first record first and the standing one last
    (one query per correction: a chain is a handful of rows)."""
    back: list[DisciplineRecord] = []
    current = record
    while current.supersedes_id is not None:
        earlier = DisciplineRecord.objects.select_related("recorded_by").get(
            pk=current.supersedes_id
        )
        back.append(earlier)
        current = earlier
    forward: list[DisciplineRecord] = []
    current = record
    while (later := DisciplineRecord.objects.filter(supersedes_id=current.pk).first()) is not None:
        forward.append(later)
        current = later
    return [*reversed(back), record, *forward]
