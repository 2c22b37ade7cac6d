"""Recalls (MGT.4.CAUSE) and the replacements they make due (MGT.4.CONSEQ), read in the DB.

Scope (``review.scope.recall_visible_q``): the county, the prefecture and the township by the
village of the ended posting; the unit by the recalled cadre's unit; the administrator all;
nobody else (their lists are empty and a detail is 404).

When is a replacement posted? ("派出单位要另行选派符合条件的人员顶替")
    A recall counts as replaced once a posting exists — in any status (待到岗, 在岗 or already
    ended) — in the SAME village, of ANOTHER cadre of the SAME dispatching unit (the recalled
    cadre's unit), arriving on or after the recall's decision day. The role is not compared
    (the unit may send a team member where a first secretary was recalled; the team's
    composition rules speak for themselves). A posting of the unit that arrived before the
    recall was already there and does not replace anyone. Until such a posting is recorded
    the recall stays on the list; from the day after ``replacement_due`` it is overdue.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When

from zhucun.accounts.models import User
from zhucun.core.errors import NotFound
from zhucun.registry.models import Posting

from ..models import Recall
from ..scope import recall_visible_q


def _base(user: User) -> QuerySet[Recall]:
    return Recall.objects.filter(recall_visible_q(user)).select_related(
        "cadre__unit",
        "posting__village__jurisdiction",
        "posting__village__township",
        "recorded_by",
        "review_entry__review",
    )


def replacement_postings() -> QuerySet[Posting]:
    """The postings that replace the recall at ``OuterRef`` (see the module doc)."""
    return Posting.objects.filter(
        village_id=OuterRef("posting__village_id"),
        cadre__unit_id=OuterRef("cadre__unit_id"),
        arrival_date__gte=OuterRef("decided_on"),
    ).exclude(cadre_id=OuterRef("cadre_id"))


def with_replacement(qs: QuerySet[Recall], *, today: dt.date) -> QuerySet[Recall]:
    """``replaced`` (a replacement posting exists) and ``overdue`` (not replaced and
    ``today`` is after ``replacement_due``), both computed in SQL."""
    return qs.annotate(replaced=Exists(replacement_postings())).annotate(
        overdue=Case(
            When(Q(replaced=False) & Q(replacement_due__lt=today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def recall_list(
    *, user: User, cadre_id: int | None = None, today: dt.date | None = None
) -> QuerySet[Recall]:
    """The recalls ``user`` may read, newest decision first (annotated when ``today``)."""
    qs = _base(user)
    if cadre_id is not None:
        qs = qs.filter(cadre_id=cadre_id)
    if today is not None:
        qs = with_replacement(qs, today=today)
    return qs.order_by("-decided_on", "-id")


def recall_get(*, user: User, pk: int, today: dt.date | None = None) -> Recall:
    qs = _base(user)
    if today is not None:
        qs = with_replacement(qs, today=today)
    recall = qs.filter(pk=pk).first()
    if recall is None:
        raise NotFound("召回撤换记录不存在或不在您的管辖范围内")
    return recall


def replacements_due(*, user: User, today: dt.date) -> QuerySet[Recall]:
    """Recalls still waiting for the unit's replacement, the earliest deadline first."""
    return (
        with_replacement(_base(user), today=today)
        .filter(replaced=False)
        .order_by("replacement_due", "id")
    )


def replacement_posting_of(recall: Recall) -> Posting | None:
    """The posting that replaced ``recall`` (the earliest arrival), or None."""
    return (
        Posting.objects.filter(
            village_id=recall.posting.village_id,
            cadre__unit_id=recall.cadre.unit_id,
            arrival_date__gte=recall.decided_on,
        )
        .exclude(cadre_id=recall.cadre_id)
        .select_related("cadre")
        .order_by("arrival_date", "pk")
        .first()
    )
