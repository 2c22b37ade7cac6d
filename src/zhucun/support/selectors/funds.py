"""Fund entitlements of a year (GUA.2.FS_FUND, GUA.2.VILLAGE_FUND, GUA.2.UNIT_FUND), computed
from the registry and the postings, never typed: what is allocated and spent against them comes
from ``FundRecord`` (summed in SQL).

Readings (documented here and in the page's note):

* A posting is in post until its ``actual_end``; a posting not yet ended counts to the end of
  the year (a term prolonged past its planned end is still in post). A posting overlaps
  ``year`` when it arrived by 31 December and did not end before 1 January.
* Months are whole calendar months (``policy.support.whole_months_in_post``). A cadre with
  several postings in the year (two FS postings, or a team member who became first secretary)
  counts the months covered by any of them once: the union, which is the sum capped at 12 when
  the postings do not overlap. A village counts the months during which at least one of its
  postings covered the whole month (the union of the team's presence).
* fs: one row per cadre with a first-secretary posting overlapping the year; unit: one row per
  cadre with any posting overlapping the year (the level of the cadre's unit decides); village:
  one row per village with a posting overlapping the year (the village's 重点村 / 薄弱村 flags
  decide). The parameters are those of the village (for a cadre: the village of the latest
  posting in the year).

Rows are fetched in SQL, a page at a time (``EntitlementList`` slices like a queryset, so the
paginator asks for one page); the months and amounts of a page's rows are computed in Python
with one more query for the page's postings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from zhucun.accounts.models import User
from zhucun.params.selectors import parameters_current
from zhucun.policy.parameters import Parameters
from zhucun.policy.support import Amount, fs_fund, unit_fund, village_fund, whole_months_in_post
from zhucun.registry import scopes
from zhucun.registry.models import Cadre, Posting, Role, UnitLevel, Village

from ..models import FundKind, FundRecord
from ..scope import READERS

KINDS = tuple(FundKind.values)
CHUNK = 500
ZERO = Decimal("0.00")
_MONEY = DecimalField(max_digits=14, decimal_places=2)
LEVEL_LABELS = dict(UnitLevel.choices)


@dataclass(frozen=True)
class FundRow:
    """One entitlement: the standard for a whole year, the months, the amount due (or the
    reason it cannot be computed) and what was allocated and spent."""

    kind: str
    cadre_id: int | None
    village_id: int | None
    name: str  # 姓名 or 村
    unit_name: str
    level: str  # the unit's level (label) or the village's category
    village_name: str
    months: int
    standard: Amount
    entitled: Amount
    allocated: Decimal
    spent: Decimal

    @property
    def target_id(self) -> int:
        return int(self.cadre_id if self.cadre_id is not None else self.village_id or 0)

    @property
    def shortfall(self) -> Decimal | None:
        """应安排 − 已拨付 (None when the entitlement cannot be computed)."""
        if self.entitled.value is None:
            return None
        return self.entitled.value - self.allocated

    @property
    def unspent(self) -> Decimal:
        return self.allocated - self.spent


def overlap_q(year: int, prefix: str = "") -> Q:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return Q(**{f"{prefix}arrival_date__lte": last}) & (
        Q(**{f"{prefix}actual_end__isnull": True}) | Q(**{f"{prefix}actual_end__gte": first})
    )


def postings_scope(user: User) -> QuerySet[Posting]:
    """The postings whose funds ``user`` reads (support.scope.READERS; others: none)."""
    if user.role not in READERS:
        return Posting.objects.none()
    return scopes.postings_visible(user)


def _sum(kind: str, year: int, field: str, outer: str) -> Coalesce:
    records = (
        FundRecord.objects.filter(year=year, kind=kind, **{outer: OuterRef("pk")})
        .order_by()
        .values(outer)
        .annotate(total=Sum(field))
        .values("total")[:1]
    )
    return Coalesce(Subquery(records, output_field=_MONEY), Value(ZERO), output_field=_MONEY)


def base_queryset(*, user: User, year: int, kind: str) -> QuerySet[Any]:
    """The rows of ``kind`` in ``user``'s scope, with the allocated and spent sums (SQL)."""
    if kind not in KINDS:
        raise ValueError(kind)
    postings = postings_scope(user).filter(overlap_q(year))
    if kind == FundKind.VILLAGE:
        here = postings.filter(village_id=OuterRef("pk"))
        return (
            Village.objects.filter(Exists(here))
            .select_related("jurisdiction", "township")
            .annotate(
                allocated_sum=_sum(kind, year, "allocated", "village"),
                spent_sum=_sum(kind, year, "spent", "village"),
            )
            .order_by("jurisdiction__code", "pk")
        )
    mine = postings.filter(cadre_id=OuterRef("pk"))
    if kind == FundKind.FS:
        mine = mine.filter(role=Role.FIRST_SECRETARY)
    return (
        Cadre.objects.filter(Exists(mine))
        .select_related("unit")
        .annotate(
            allocated_sum=_sum(kind, year, "allocated", "cadre"),
            spent_sum=_sum(kind, year, "spent", "cadre"),
        )
        .order_by("unit__name", "name", "pk")
    )


def months_covered(*, year: int, arrival: dt.date, end: dt.date | None) -> set[int]:
    """The calendar months of ``year`` a posting covers whole (whole_months_in_post per month)."""
    out: set[int] = set()
    for m in range(1, 13):
        first = dt.date(year, m, 1)
        last = (dt.date(year + m // 12, m % 12 + 1, 1)) - dt.timedelta(days=1)
        a = max(arrival, first)
        e = last if end is None else min(end, last)
        if e >= a and whole_months_in_post(year=year, arrival=a, end=e):
            out.add(m)
    return out


def _page_postings(kind: str, year: int, ids: list[int]) -> dict[int, list[Posting]]:
    if not ids:
        return {}
    key = "village_id" if kind == FundKind.VILLAGE else "cadre_id"
    qs = Posting.objects.filter(overlap_q(year), **{f"{key}__in": ids})
    if kind == FundKind.FS:
        qs = qs.filter(role=Role.FIRST_SECRETARY)
    out: dict[int, list[Posting]] = {}
    for p in qs.select_related("village__jurisdiction").order_by("arrival_date", "pk"):
        out.setdefault(getattr(p, key), []).append(p)
    return out


def _amount(
    kind: str, *, obj: Any, year: int, months: int, params: Parameters, code: str
) -> Amount:
    if kind == FundKind.FS:
        return fs_fund(year=year, months=months, params=params, jurisdiction=code)
    if kind == FundKind.VILLAGE:
        return village_fund(
            key_or_weak=bool(obj.key_village or obj.weak_village),
            year=year,
            months=months,
            params=params,
            jurisdiction=code,
        )
    return unit_fund(
        unit_level=obj.unit.level, year=year, months=months, params=params, jurisdiction=code
    )


def compute_rows(kind: str, year: int, objs: list[Any], params: Parameters) -> list[FundRow]:
    """The rows of one page: one more query (the page's postings), then pure policy."""
    by_target = _page_postings(kind, year, [o.pk for o in objs])
    rows: list[FundRow] = []
    for obj in objs:
        postings = by_target.get(obj.pk, [])
        months: set[int] = set()
        for p in postings:
            months |= months_covered(year=year, arrival=p.arrival_date, end=p.actual_end)
        if kind == FundKind.VILLAGE:
            code = obj.jurisdiction.code
            name = obj.jurisdiction.name
            unit_name = obj.township.name
            level = "重点村/薄弱村" if obj.key_village or obj.weak_village else "其他村"
            village_name = name
        else:
            latest = postings[-1] if postings else None
            code = latest.village.jurisdiction.code if latest else ""
            name = obj.name
            unit_name = obj.unit.name
            level = LEVEL_LABELS.get(obj.unit.level, "其他层级")
            village_name = latest.village.jurisdiction.name if latest else ""
        args = {"obj": obj, "year": year, "params": params, "code": code}
        rows.append(
            FundRow(
                kind=kind,
                cadre_id=None if kind == FundKind.VILLAGE else obj.pk,
                village_id=obj.pk if kind == FundKind.VILLAGE else None,
                name=name,
                unit_name=unit_name,
                level=level,
                village_name=village_name,
                months=len(months),
                standard=_amount(kind, months=12, **args),
                entitled=_amount(kind, months=len(months), **args),
                allocated=obj.allocated_sum,
                spent=obj.spent_sum,
            )
        )
    return rows


class EntitlementList:
    """The entitlements of one kind, sliced a page at a time (Paginator-compatible)."""

    def __init__(self, qs: QuerySet[Any], *, kind: str, year: int) -> None:
        self.qs, self.kind, self.year = qs, kind, year
        self._params: Parameters | None = None

    @property
    def params(self) -> Parameters:
        if self._params is None:
            self._params = parameters_current()
        return self._params

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[FundRow]:
        if not isinstance(key, slice):
            raise TypeError("slice only")
        return compute_rows(self.kind, self.year, list(self.qs[key]), self.params)

    def chunks(self, size: int = CHUNK) -> Iterator[list[FundRow]]:
        """Every row, ``size`` at a time (keyset on the primary key: 2 queries per chunk)."""
        qs = self.qs.order_by("pk")
        last = 0
        while True:
            objs = list(qs.filter(pk__gt=last)[:size])
            if not objs:
                return
            yield compute_rows(self.kind, self.year, objs, self.params)
            last = objs[-1].pk


def entitlements(*, user: User, year: int, kind: str) -> EntitlementList:
    """The entitlements of ``kind`` for ``year`` in ``user``'s scope (a non-reader: none)."""
    return EntitlementList(base_queryset(user=user, year=year, kind=kind), kind=kind, year=year)


@dataclass(frozen=True)
class FundTotal:
    kind: str
    label: str
    rows: int
    entitled: Decimal  # of the rows whose entitlement is known
    unset_rows: int  # rows whose entitlement cannot be computed (reason on the rows)
    allocated: Decimal
    spent: Decimal

    @property
    def shortfall(self) -> Decimal:
        return self.entitled - self.allocated

    @property
    def unspent(self) -> Decimal:
        return self.allocated - self.spent


def fund_total(*, user: User, year: int, kind: str) -> FundTotal:
    """One kind's totals: 2 queries per chunk of ``CHUNK`` rows, one that finds no more rows,
    one aggregate for the allocated and spent sums and the parameters' freshness check."""
    items = entitlements(user=user, year=year, kind=kind)
    entitled, unset, rows = ZERO, 0, 0
    for chunk in items.chunks():
        for r in chunk:
            rows += 1
            if r.entitled.value is None:
                unset += 1
            else:
                entitled += r.entitled.value
    sums = items.qs.order_by().aggregate(a=Sum("allocated_sum"), s=Sum("spent_sum"))
    return FundTotal(
        kind=kind,
        label=FundKind(kind).label,
        rows=rows,
        entitled=entitled,
        unset_rows=unset,
        allocated=sums["a"] or ZERO,
        spent=sums["s"] or ZERO,
    )


def fund_totals(*, user: User, year: int) -> list[FundTotal]:
    """Per kind (fs, village, unit): for N rows of a kind, 2 × ⌈N / CHUNK⌉ + 3 queries (15 in
    all while every kind has at most CHUNK rows)."""
    return [fund_total(user=user, year=year, kind=k) for k in KINDS]


def shortfalls(*, user: User, year: int, kind: str) -> list[FundRow]:
    """Rows whose allocations are below the computed entitlement (allocated < entitled). The
    entitlement is computed, so the rows are found chunk by chunk; only the gaps are kept."""
    out: list[FundRow] = []
    for chunk in entitlements(user=user, year=year, kind=kind).chunks():
        out.extend(
            r for r in chunk if r.entitled.value is not None and r.allocated < r.entitled.value
        )
    return out


def unspent(*, user: User, year: int, kind: str) -> EntitlementList:
    """Rows with an unspent balance (allocated − spent > 0), filtered in SQL."""
    qs = base_queryset(user=user, year=year, kind=kind).filter(allocated_sum__gt=F("spent_sum"))
    return EntitlementList(qs, kind=kind, year=year)


def fund_records(*, user: User, year: int, kind: str) -> QuerySet[FundRecord]:
    """The allocations and spending of ``kind`` in ``year`` against rows ``user`` reads."""
    qs = FundRecord.objects.filter(year=year, kind=kind).select_related(
        "cadre", "village__jurisdiction", "recorded_by"
    )
    base = base_queryset(user=user, year=year, kind=kind).values("pk")
    if kind == FundKind.VILLAGE:
        return qs.filter(village_id__in=base).order_by("-on", "-id")
    return qs.filter(cadre_id__in=base).order_by("-on", "-id")
