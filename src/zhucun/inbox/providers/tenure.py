"""任期与交接 (MGT.TERM, MGT.9.HANDOVER): terms ending within the notice window with nobody yet
arranged to follow, and the 交接清单 still to write for the leavers whose replacement is posted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Min, Q

from zhucun.accounts.models import User, UserRole
from zhucun.core.links import page_url
from zhucun.params.selectors import parameters_current
from zhucun.policy.dates import anniversary
from zhucun.registry.models import PostingStatus
from zhucun.tenure.models import Cause
from zhucun.tenure.selectors import LIVE, endings_queryset, notice_until

from ..items import TodoItem
from ..registry import provider

R = UserRole
CLAUSE = "MGT.9.HANDOVER"


@provider(R.COUNTY, R.UNIT)
def term_ends(user: User, today: dt.date) -> Iterator[TodoItem]:
    """MGT.9.HANDOVER (term_end_notice_days: "提示派出单位和县委组织部安排接替人员"): the
    postings in scope ending within the window with neither a replacement posted nor a
    nomination open for the village and role (a recall's replacement is
    ``review.recall_replacement``'s); the due date is the earliest last day.
    The county writes the handover record (tenure.services.handover_save) of each leaver
    whose replacement is posted. One query."""
    years = parameters_current().int_value("term_min_years", on=today)
    qs = endings_queryset(
        user=user, today=today, until=notice_until(today=today), years=years, earliest_arrival=True
    )
    # a recalled cadre's replacement is owed under MGT.4.CONSEQ, with its own item and date
    open_ = Q(repl_id__isnull=True, nominated=False) & ~Q(closure__cause=Cause.RECALL)
    handover = Q(repl_id__isnull=False, handover__isnull=True)
    live, planned = Q(status__in=LIVE), Q(planned_end__isnull=False)
    agg = qs.aggregate(
        n=Count("pk", filter=open_),
        planned=Min("planned_end", filter=open_ & live & planned),
        regular=Min("arrival_date", filter=open_ & live & ~planned),
        ended=Min("actual_end", filter=open_ & Q(status=PostingStatus.ENDED)),
        to_hand=Count("pk", filter=handover),
        h_planned=Min("planned_end", filter=handover & live & planned),
        h_regular=Min("arrival_date", filter=handover & live & ~planned),
        h_ended=Min("actual_end", filter=handover & Q(status=PostingStatus.ENDED)),
    )
    url = page_url("web:term_ends")
    yield TodoItem(
        "term_end_unarranged",
        "即将期满尚未安排接替人员的驻村干部",
        agg["n"],
        url,
        CLAUSE,
        _earliest(agg["planned"], agg["regular"], agg["ended"], years),
    )
    if user.role == R.COUNTY:
        yield TodoItem(
            "handover_record",
            "待填写交接清单的期满干部",
            agg["to_hand"],
            url,
            CLAUSE,
            _earliest(agg["h_planned"], agg["h_regular"], agg["h_ended"], years),
        )


def _earliest(
    planned: dt.date | None, arrival: dt.date | None, ended: dt.date | None, years: int
) -> dt.date | None:
    """The earliest last day: a planned end, a regular end (arrival + the term), an end
    already recorded."""
    regular = anniversary(arrival, years) if arrival else None
    return min((d for d in (planned, regular, ended) if d is not None), default=None)
