"""Read side of the registry: scoped, filtered querysets for lists, details and exports.
Web pages and the API paginate these in the database; nothing here loads every row."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from zhucun.accounts.models import User
from zhucun.core.errors import NotFound
from zhucun.policy.needs import NEED_LABELS

from . import matching, scopes
from .models import (
    Cadre,
    CadreFileEntry,
    DispatchingUnit,
    Jurisdiction,
    Posting,
    PostingStatus,
    Village,
)

CATEGORIES = {
    "former_poor": "原建档立卡贫困村",
    "relocation": "易地扶贫搬迁安置村",
    "border": "抵边村",
}


def village_list(
    *,
    user: User,
    q: str = "",
    county: str = "",
    township: str = "",
    category: str = "",
    cat3: bool | None = None,
    key: bool | None = None,
    need: str = "",
) -> QuerySet[Village]:
    """Villages in scope. ``county``/``township`` are division codes; ``category`` one of
    CATEGORIES; ``cat3`` True/False filters 3类村 (any category flag); ``need`` a code of
    ``zhucun.policy.needs.NEEDS`` (SEL.METHOD.NEED; an unknown code filters nothing)."""
    qs = scopes.villages_visible(user).select_related(
        "jurisdiction", "township", "township__parent"
    )
    if q:
        qs = qs.filter(matching.village_q(q))
    if county:
        qs = qs.filter(township__parent__code=county)
    if township:
        qs = qs.filter(township__code=township)
    if category in CATEGORIES:
        qs = qs.filter(**{category: True})
    if need in NEED_LABELS:
        qs = with_need(qs, need)
    any_cat = Q(former_poor=True) | Q(relocation=True) | Q(border=True)
    if cat3 is True:
        qs = qs.filter(any_cat)
    elif cat3 is False:
        qs = qs.exclude(any_cat)
    if key is not None:
        qs = (
            qs.filter(Q(key_village=True) | Q(weak_village=True))
            if key
            else qs.filter(key_village=False, weak_village=False)
        )
    return qs.annotate(
        active_count=Count("postings", filter=Q(postings__status=PostingStatus.ACTIVE))
    ).order_by("jurisdiction__code")


def with_need(qs: QuerySet[Village], need: str) -> QuerySet[Village]:
    """The villages of ``qs`` that record ``need`` (a code of NEEDS), in SQL: the codes are
    stored as a JSON list of distinct words, so the quoted code occurs in its text exactly when
    it is in the list (the same on SQLite and PostgreSQL, where JSON containment is not
    portable)."""
    return qs.filter(needs__icontains=f'"{need}"')


def village_get(*, user: User, pk: Any) -> Village:
    try:
        return village_list(user=user).get(pk=pk)
    except (Village.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def jurisdiction_list(
    *, user: User, level: str = "", parent: str = "", q: str = ""
) -> QuerySet[Jurisdiction]:
    qs = scopes.jurisdictions_visible(user).select_related("parent")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    return qs.order_by("code")


def unit_list(
    *, user: User, q: str = "", level: str = "", kind: str = ""
) -> QuerySet[DispatchingUnit]:
    qs = scopes.units_visible(user).select_related("jurisdiction")
    if q:
        qs = qs.filter(matching.unit_q(q))
    if level:
        qs = qs.filter(level=level)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("level", "name")


def unit_get(*, user: User, pk: Any) -> DispatchingUnit:
    try:
        return unit_list(user=user).get(pk=pk)
    except (DispatchingUnit.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def cadre_list(
    *,
    user: User,
    q: str = "",
    unit: Any = None,
    party_status: str = "",
    posted: bool | None = None,
    village: Any = None,
    county: str = "",
    township: str = "",
) -> QuerySet[Cadre]:
    """Cadres in scope. ``q`` matches the name or the ID number as far as ``user`` reads it
    (``matching.cadre_q``); ``county``/``township`` (division codes) where the cadre is posted
    now."""
    qs = scopes.cadres_visible(user).select_related("unit")
    if q:
        qs = qs.filter(matching.cadre_q(user, q)[0])
    if county or township:
        where = Q(cadre=OuterRef("pk"), status=PostingStatus.ACTIVE)
        if county:
            where &= Q(village__township__parent__code=county)
        if township:
            where &= Q(village__township__code=township)
        qs = qs.filter(Exists(Posting.objects.filter(where)))
    if unit:
        qs = qs.filter(unit_id=unit)
    if party_status:
        qs = qs.filter(party_status=party_status)
    if posted is not None:
        active = Q(postings__status=PostingStatus.ACTIVE)
        qs = qs.filter(active).distinct() if posted else qs.exclude(active)
    if village:
        qs = qs.filter(postings__village_id=village, postings__status=PostingStatus.ACTIVE)
    return qs.order_by("unit__name", "name", "id")


def cadre_get(*, user: User, pk: Any) -> Cadre:
    try:
        return cadre_list(user=user).get(pk=pk)
    except (Cadre.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def posting_list(
    *,
    user: User,
    village: Any = None,
    status: str = "",
    role: str = "",
    county: str = "",
    township: str = "",
    q: str = "",
    arrived_from: Any = None,
    arrived_to: Any = None,
) -> QuerySet[Posting]:
    """Postings in scope. ``q``: the cadre's name (or ID number, as ``matching.cadre_q``
    reads it for ``user``) or the village's name or code; ``arrived_from``/``arrived_to``:
    到岗日期 within (inclusive)."""
    qs = scopes.postings_visible(user).select_related(
        "cadre",
        "cadre__unit",
        "village__jurisdiction",
        "village__township",
        "village__township__parent",
    )
    if village:
        qs = qs.filter(village_id=village)
    if status:
        qs = qs.filter(status=status)
    if role:
        qs = qs.filter(role=role)
    if county:
        qs = qs.filter(village__township__parent__code=county)
    if township:
        qs = qs.filter(village__township__code=township)
    if q:
        cadres = scopes.cadres_visible(user).filter(matching.cadre_q(user, q)[0])
        villages = Village.objects.filter(matching.village_q(q))
        qs = qs.filter(Q(cadre__in=cadres.values("pk")) | Q(village__in=villages.values("pk")))
    if arrived_from:
        qs = qs.filter(arrival_date__gte=arrived_from)
    if arrived_to:
        qs = qs.filter(arrival_date__lte=arrived_to)
    return qs.order_by("village__jurisdiction__code", "role", "arrival_date", "id")


def posting_get(*, user: User, pk: Any) -> Posting:
    try:
        return posting_list(user=user).get(pk=pk)
    except (Posting.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def cadre_promotion_ban(*, cadre_id: int, on: Any) -> CadreFileEntry | None:
    """MGT.4.CONSEQ: the file entry whose promotion ban still runs on ``on`` (the latest
    ending one), or ``None``. Not scoped: callers have the cadre in scope already."""
    return (
        CadreFileEntry.objects.filter(cadre_id=cadre_id, ban_until__gte=on)
        .order_by("-ban_until", "-id")
        .first()
    )


def cadre_file(*, user: User, cadre_id: Any) -> QuerySet[CadreFileEntry]:
    """The cadre's 干部管理档案 entries, for a cadre ``user`` may see (404 otherwise)."""
    cadre = cadre_get(user=user, pk=cadre_id)
    return CadreFileEntry.objects.filter(cadre=cadre).order_by("-recorded_on", "-id")


def postings_in_period(*, area_path: str, first: Any, last: Any) -> QuerySet[Posting]:
    """The postings in villages under ``area_path`` that overlap [first, last], one per
    cadre: the latest arrival (ties: the higher id). The reviews (MGT.4.REVIEW) and the
    assessments (MGT.5.ANNUAL) list the cadres of a county and a period with it."""
    overlapping = Posting.objects.filter(
        village__jurisdiction__path__startswith=area_path, arrival_date__lte=last
    ).filter(Q(actual_end__isnull=True) | Q(actual_end__gte=first))
    later = overlapping.filter(cadre_id=OuterRef("cadre_id")).filter(
        Q(arrival_date__gt=OuterRef("arrival_date"))
        | Q(arrival_date=OuterRef("arrival_date"), pk__gt=OuterRef("pk"))
    )
    return overlapping.filter(~Exists(later))
