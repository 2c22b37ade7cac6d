"""GUA.2.LIVING / TRAVEL / PAY: the monthly subsidy table and the overdue payments.

The table lists, per cadre in post during the month in the user's scope, the on-duty days (the
attendance app's ``duty_days_by_cadre``, one query per page), the living subsidy (days × the
daily standard), the communication subsidy (per month), the transport subsidy (round trips ×
2 × one-way km × rate, from the posting's distance) and what was paid per kind (SQL Sum). A
standard that is not set gives its gap text, never a number; the total is then incomplete.

Overdue (GUA.2.PAY settled reading): a month in post with no payment of a kind is overdue from
``pay_overdue_from(month)``. Only the months of the last ``LOOKBACK_QUARTERS`` whole quarters
before the current one (and the months of the current quarter) are considered, and only kinds
whose standard is set for the village's county in that month: an unset standard cannot be
overdue, since nobody can say what is owed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    DateField,
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

from zhucun.accounts.models import User, UserRole
from zhucun.attendance.selectors import duty_days_by_cadre
from zhucun.params.selectors import parameters_current
from zhucun.policy.dates import date_label, month_label
from zhucun.policy.parameters import Parameters
from zhucun.policy.support import (
    Amount,
    communication_subsidy,
    living_subsidy,
    pay_overdue_from,
    transport_subsidy,
)
from zhucun.registry.models import Cadre, Jurisdiction, Level, Posting

from ..models import SubsidyKind, SubsidyPayment
from ..scope import READERS

NOTHING = Q(pk__in=[])
LOOKBACK_QUARTERS = 4
NO_DISTANCE = "未登记里程"
KINDS = [k.value for k in SubsidyKind]
KIND_LABELS = dict(SubsidyKind.choices)
MONEY = DecimalField(max_digits=14, decimal_places=2)


def month_last(first: dt.date) -> dt.date:
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def postings_scope_q(user: User) -> Q:
    """The postings whose subsidies ``user`` reads: a unit its own cadres', an area body the
    postings in villages of its area, the admin all."""
    if user.role == UserRole.ADMIN:
        return Q()
    if user.role not in READERS:
        return NOTHING
    if user.role == UserRole.UNIT:
        return Q(cadre__unit_id=user.unit_id) if user.unit_id else NOTHING
    if not user.jurisdiction_id:
        return NOTHING
    return Q(village__jurisdiction__path__startswith=user.jurisdiction.path)


def postings_in_post(user: User, first: dt.date, last: dt.date) -> QuerySet[Posting]:
    """The postings in ``user``'s scope overlapping [first, last], one per cadre (the latest
    arrival; ties the higher id)."""
    overlapping = (
        Posting.objects.filter(postings_scope_q(user))
        .filter(arrival_date__lte=last)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=first))
    )
    later = overlapping.filter(cadre_id=OuterRef("cadre_id")).filter(
        Q(arrival_date__gt=OuterRef("arrival_date"))
        | Q(arrival_date=OuterRef("arrival_date"), pk__gt=OuterRef("pk"))
    )
    return overlapping.filter(~Exists(later))


def _paid(kind: str, first: dt.date) -> Subquery:
    paid = (
        SubsidyPayment.objects.filter(cadre_id=OuterRef("cadre_id"), month=first, kind=kind)
        .values("cadre_id")
        .annotate(s=Sum("amount"))
        .values("s")[:1]
    )
    return Subquery(paid, output_field=MONEY)


def subsidy_table(*, user: User, month: dt.date, unit: int | None = None) -> QuerySet[Posting]:
    """The cadres in post during ``month`` in ``user``'s scope (optionally one unit's), with
    the one-way km and the paid sums per kind annotated; ``subsidy_rows`` computes a page."""
    first = month.replace(day=1)
    qs = postings_in_post(user, first, month_last(first))
    if unit is not None:
        qs = qs.filter(cadre__unit_id=unit)
    return (
        qs.select_related("cadre__unit", "village__jurisdiction")
        .annotate(
            one_way_km=F("distance__one_way_km"),
            paid_living=_paid(SubsidyKind.LIVING, first),
            paid_communication=_paid(SubsidyKind.COMMUNICATION, first),
            paid_transport=_paid(SubsidyKind.TRANSPORT, first),
        )
        .order_by("cadre__unit__name", "village__jurisdiction__code", "role", "cadre__name", "pk")
    )


@dataclass
class SubsidyRow:
    posting: Posting
    cadre: Cadre
    month: dt.date
    duty_days: int
    living: Amount
    communication: Amount
    transport: Amount
    paid: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def amounts(self) -> list[Amount]:
        return [self.living, self.communication, self.transport]

    @property
    def total(self) -> Decimal:
        """The sum of the known amounts (see ``incomplete``)."""
        return sum((a.value for a in self.amounts if a.value is not None), Decimal("0.00"))

    @property
    def incomplete(self) -> bool:
        return any(not a.known for a in self.amounts)

    @property
    def gaps(self) -> list[str]:
        return [a.unset for a in self.amounts if not a.known]


def subsidy_rows(
    postings: Iterable[Posting], *, month: dt.date, params: Parameters | None = None
) -> list[SubsidyRow]:
    """The figures of a page of ``subsidy_table``: one duty-days query for the page."""
    items = list(postings)
    first = month.replace(day=1)
    params = params or parameters_current()
    days = duty_days_by_cadre(
        Cadre.objects.filter(pk__in=[p.cadre_id for p in items]),
        start=first,
        end=month_last(first),
    )
    rows = []
    for p in items:
        code = p.village.jurisdiction.code
        n = days.get(p.cadre_id, 0)
        km = getattr(p, "one_way_km", None)
        transport = (
            Amount(None, NO_DISTANCE)
            if km is None
            else transport_subsidy(one_way_km=km, on=first, params=params, jurisdiction=code)
        )
        rows.append(
            SubsidyRow(
                posting=p,
                cadre=p.cadre,
                month=first,
                duty_days=n,
                living=living_subsidy(duty_days=n, on=first, params=params, jurisdiction=code),
                communication=communication_subsidy(on=first, params=params, jurisdiction=code),
                transport=transport,
                paid={k: getattr(p, f"paid_{k}", None) for k in KINDS},
            )
        )
    return rows


# ---- overdue (GUA.2.PAY) ------------------------------------------------------------------


def _month_add(first: dt.date, n: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def considered_months(today: dt.date) -> list[dt.date]:
    """The months looked at: from the first month of the quarter ``LOOKBACK_QUARTERS`` quarters
    before today's up to today's month."""
    quarter_start = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    start = _month_add(quarter_start, -3 * LOOKBACK_QUARTERS)
    months = []
    m = start
    while m <= today:
        months.append(m)
        m = _month_add(m, 1)
    return months


def _county_paths(user: User) -> list[tuple[str, str]]:
    counties = Jurisdiction.objects.filter(level=Level.COUNTY)
    if user.role in (UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP):
        if not user.jurisdiction_id:
            return []
        j = user.jurisdiction
        if user.role == UserRole.PREFECTURE:
            counties = counties.filter(path__startswith=j.path)
        else:
            counties = counties.filter(code__in=j.chain_codes())
    return list(counties.order_by("path").values_list("path", "code"))


def _standard_set(kind: str, month: dt.date, params: Parameters, code: str) -> bool:
    if kind == SubsidyKind.LIVING:
        return living_subsidy(duty_days=0, on=month, params=params, jurisdiction=code).known
    if kind == SubsidyKind.COMMUNICATION:
        return communication_subsidy(on=month, params=params, jurisdiction=code).known
    return True  # GUA.2.TRAVEL: the rate per km is in the parameter file


# the columns of an overdue row: what overdue_rows reads and what the list sorts by (an ORDER BY
# of a UNION names selected columns only)
OVERDUE_COLUMNS = (
    "pk",
    "cadre_id",
    "due_month",
    "due_kind",
    "cadre__name",
    "cadre__unit__name",
    "village__jurisdiction__code",
)


def overdue_payments(
    *, user: User, today: dt.date, params: Parameters | None = None
) -> QuerySet[Any]:
    """(posting, cadre, month, kind) rows, as dicts, of the months in post with no payment of a
    kind whose standard is set, overdue on ``today`` — one SQL UNION of anti-joins, oldest
    month first; the caller paginates (``overdue_rows`` names a page)."""
    params = params or parameters_current()
    counties = _county_paths(user)
    parts: list[QuerySet[Any]] = []
    for first in considered_months(today):
        for kind in KINDS:
            paths = [
                path
                for path, code in counties
                if pay_overdue_from(month=first, params=params, jurisdiction=code) <= today
                and _standard_set(kind, first, params, code)
            ]
            if not paths:
                continue
            where = Q()
            for path in paths:
                where |= Q(village__jurisdiction__path__startswith=path)
            unpaid = ~Exists(
                SubsidyPayment.objects.filter(cadre_id=OuterRef("cadre_id"), month=first, kind=kind)
            )
            parts.append(
                postings_in_post(user, first, month_last(first))
                .filter(where)
                .filter(unpaid)
                .annotate(
                    due_month=Value(first, output_field=DateField()),
                    due_kind=Value(kind),
                )
                .values(*OVERDUE_COLUMNS)
                .order_by()
            )
    if not parts:
        return Posting.objects.none().values("pk", "cadre_id")
    if len(parts) == 1:
        return parts[0].order_by("due_month", "due_kind", "cadre_id")
    union = parts[0].union(*parts[1:], all=True)
    return union.order_by("due_month", "due_kind", "cadre_id")


def overdue_rows(
    items: Sequence[dict[str, Any]], *, params: Parameters | None = None
) -> list[dict[str, Any]]:
    """A page of ``overdue_payments`` with the cadre, unit, village and the overdue date (one
    query for the page's postings)."""
    params = params or parameters_current()
    postings = Posting.objects.select_related("cadre__unit", "village__jurisdiction").in_bulk(
        [x["pk"] for x in items]
    )
    rows = []
    for x in items:
        p = postings[x["pk"]]
        month = x["due_month"]
        if isinstance(month, str):  # a UNION's literal column on SQLite
            month = dt.date.fromisoformat(month)
        code = p.village.jurisdiction.code
        since = pay_overdue_from(month=month, params=params, jurisdiction=code)
        delay = params.int_value("subsidy_pay_max_delay_quarters", on=month, jurisdiction=code)
        label = KIND_LABELS.get(x["due_kind"], x["due_kind"])
        rows.append(
            {
                "posting": p,
                "cadre": p.cadre,
                "month": month,
                "kind": x["due_kind"],
                "kind_label": label,
                "overdue_from": since,
                "clause": "GUA.2.PAY",
                "message": (
                    f"{p.cadre.name} {month_label(month)}的{label}尚未发放,"
                    f"自{date_label(since)}起逾期(相关补助原则上每月兑付,"
                    f"最迟不得超过{delay}个季度,GUA.2.PAY)"
                ),
            }
        )
    return rows
