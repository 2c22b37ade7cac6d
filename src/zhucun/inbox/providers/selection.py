"""选派 (SEL.*): nominations waiting at this user's step of SEL.METHOD.FLOW, first secretaries
to appoint (SEL.METHOD.APPOINT10) and party relations to transfer (SEL.METHOD.TRANSFER15),
villages without a team (SEL.SCOPE.COVER)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Count, Exists, OuterRef, Q

from zhucun.accounts.models import User, UserRole
from zhucun.core.links import page_url
from zhucun.params.calendar import work_calendar
from zhucun.registry import scopes
from zhucun.registry.models import Posting, PostingStatus, UnitLevel
from zhucun.selection.coverage import CAT3
from zhucun.selection.deadlines import deadline_dues, deadline_queryset
from zhucun.selection.models import NominationState as S
from zhucun.selection.selectors import nominations_visible
from zhucun.selection.workflow import TRANSITIONS

from ..items import TodoItem
from ..registry import provider

R = UserRole
FLOW = "SEL.METHOD.FLOW"
# (action, title, states) per role: the steps of SEL.METHOD.FLOW the role takes
STEPS = {
    R.UNIT: (
        ("propose", "待提出人选的选派报名和推荐"),
        ("decide", "待党委(党组)研究确定的选派人选"),
    ),
    R.COUNTY: (("review", "待审核备案的选派人选"), ("post", "待派驻到村的选派人选")),
    R.PREFECTURE: (("review", "待审核备案的选派人选"), ("post", "待派驻到村的选派人选")),
}
# SEL.METHOD.APPOINT10 / TRANSFER15: who records the milestone (web/views/deadlines.py
# RECORD_ROLES) sees every open item; the organisation departments that guide the
# townships ("指导乡镇党委…完成任命") see those already overdue.
DEADLINES = (  # kind, clause, actors, watchers, title for actors, title for watchers
    (
        "appoint",
        "SEL.METHOD.APPOINT10",
        {R.TOWNSHIP},
        {R.COUNTY, R.PREFECTURE},
        "待任命的第一书记",
        "逾期未任命的第一书记",
    ),
    (
        "transfer",
        "SEL.METHOD.TRANSFER15",
        {R.TOWNSHIP, R.COUNTY},
        {R.PREFECTURE},
        "待转接党组织关系的驻村党员",
        "逾期未转接党组织关系的驻村党员",
    ),
)
# The deadlines are worked out per posting on the calendar (the clock of APPOINT10 starts when
# the village's team is in place): the inbox reads this many of the earliest arrivals for the
# nearest deadline and the overdue ones; the count itself is the database's.
FIRST_ROWS = 50


def _same_level_q(user: User) -> Q:
    """SEL.METHOD.FLOW 同级驻村工作领导协调机构: the county reviews and posts its county
    units' nominations, the prefecture those of prefecture- and province-level units
    (``selection.services.nominations._check_same_level_body``)."""
    if user.role == R.COUNTY:
        return Q(
            unit__level=UnitLevel.COUNTY,
            unit__jurisdiction__path__startswith=user.jurisdiction.path,
        )
    return ~Q(unit__level=UnitLevel.COUNTY)


@provider(R.UNIT, R.COUNTY, R.PREFECTURE)
def nominations_to_act(user: User, today: dt.date) -> Iterator[TodoItem]:
    """SEL.METHOD.FLOW: the nominations at the user's step, one query."""
    if user.role != R.UNIT and not user.jurisdiction_id:
        return
    qs = nominations_visible(user)
    if user.role != R.UNIT:
        qs = qs.filter(_same_level_q(user))
    steps = STEPS[user.role]
    counts = qs.aggregate(
        **{
            action: Count("pk", filter=Q(state__in=list(TRANSITIONS[action].sources)))
            for action, _ in steps
        },
        applied=Count("pk", filter=Q(state=S.APPLIED)),
    )
    base = page_url("web:nomination_list")
    for action, title in steps:
        states = sorted(TRANSITIONS[action].sources)
        if action == "propose":  # one state of two on the list's filter when only one waits
            states = [S.APPLIED] if counts["applied"] == counts[action] else states
            states = [S.RECOMMENDED] if counts["applied"] == 0 else states
        url = base + (f"?state={states[0]}" if len(states) == 1 else "")
        yield TodoItem(f"nomination_{action}", title, counts[action], url, FLOW)


@provider(R.TOWNSHIP, R.COUNTY, R.PREFECTURE)
def deadlines_due(user: User, today: dt.date) -> Iterator[TodoItem]:
    """SEL.METHOD.APPOINT10 / TRANSFER15: open items (actors) or overdue ones (watchers)."""
    calendar = None
    for kind, clause, actors, watchers, title, watch_title in DEADLINES:
        if user.role not in actors | watchers:
            continue
        qs = deadline_queryset(user=user, kind=kind)
        n = qs.count()
        if not n:
            continue
        calendar = calendar or work_calendar()
        found = deadline_dues(list(qs[:FIRST_ROWS]), kind=kind, calendar=calendar).values()
        dues = [due for due in found if due is not None]
        late = [due for due in dues if due < today]
        overdue = len(late)
        url = page_url("web:deadlines") + f"?kind={kind}"
        note = f"按到岗最早的{FIRST_ROWS}项核算" if n > FIRST_ROWS else ""
        if user.role in actors:
            yield TodoItem(
                f"deadline_{kind}", title, n, url, clause, min(dues, default=None), overdue, note
            )
        elif overdue:
            yield TodoItem(
                f"deadline_{kind}_overdue",
                watch_title,
                overdue,
                url,
                clause,
                min(late, default=None),
                overdue,
                note,
            )


@provider(R.COUNTY, R.PREFECTURE)
def villages_uncovered(user: User, today: dt.date) -> Iterator[TodoItem]:
    """SEL.SCOPE.COVER: villages in scope without any cadre in post (3类村 counted apart:
    SEL.SCOPE.CAT3 asks for a whole team there). The bodies that post teams see them."""
    counts = (
        scopes.villages_visible(user)
        .filter(
            ~Exists(Posting.objects.filter(village=OuterRef("pk"), status=PostingStatus.ACTIVE))
        )
        .aggregate(n=Count("pk"), cat3=Count("pk", filter=CAT3))
    )
    note = f"其中3类村{counts['cat3']}个" if counts["cat3"] else ""
    url = page_url("web:coverage") + "?problems=1"
    yield TodoItem(
        "villages_uncovered",
        "尚未选派驻村工作队的村(社区)",
        counts["n"],
        url,
        "SEL.SCOPE.COVER",
        note=note,
    )
