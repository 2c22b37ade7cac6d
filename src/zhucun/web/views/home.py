"""首页: one template per role (web/home/<role>.html); later issues add to each."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from zhucun.accounts.models import UserRole
from zhucun.audit.models import Event
from zhucun.registry import selectors
from zhucun.registry.models import PostingStatus
from zhucun.selection.selectors import nomination_list
from zhucun.selection.workflow import OPEN_STATES
from zhucun.tenure.selectors import coverage_gaps

from . import coverage
from ._common import page_view
from .attendance_home import attendance_home
from .cadres import with_active_posting
from .inbox import home_todo
from .review_home import review_home

HOME_LIMIT = 50


def _coverage(user) -> dict[str, int]:
    villages = selectors.village_list(user=user)
    return {
        "villages": villages.count(),
        "cat3": selectors.village_list(user=user, cat3=True).count(),
        "gap": villages.filter(active_count=0).count(),
        "in_post": selectors.posting_list(user=user, status=PostingStatus.ACTIVE).count(),
    }


def _team(user) -> dict[str, object]:
    village = selectors.village_list(user=user).first()
    team = (
        selectors.posting_list(user=user, village=village.pk, status=PostingStatus.ACTIVE)
        if village
        else []
    )
    return {"village": village, "team": team}


@page_view
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    role = user.role
    ctx: dict[str, object] = {"nav_key": "home"}
    if role in (UserRole.PREFECTURE, UserRole.COUNTY, UserRole.TOWNSHIP):
        ctx["stats"] = _coverage(user)
        ctx["selection_box"] = coverage.home_box(user)
        if role == UserRole.COUNTY:  # MGT.9.HANDOVER: gaps flagged before they happen
            ctx["gaps"] = coverage_gaps(user=user, today=timezone.localdate())
    elif role == UserRole.ADMIN:
        ctx["stats"] = _coverage(user)
        ctx["cadre_count"] = selectors.cadre_list(user=user).count()
        ctx["unit_count"] = selectors.unit_list(user=user).count()
        ctx["recent_events"] = Event.objects.order_by("-seq")[:10]
    elif role == UserRole.UNIT:
        cadres = selectors.cadre_list(user=user)
        ctx["cadre_count"] = cadres.count()
        ctx["cadres"] = with_active_posting(cadres)[:HOME_LIMIT]
        ctx["limit"] = HOME_LIMIT
        ctx["open_nominations"] = (
            nomination_list(user=user).filter(state__in=list(OPEN_STATES)).count()
        )
    elif role in (UserRole.FIRST_SECRETARY, UserRole.VILLAGE_SECRETARY):
        ctx.update(_team(user))
    elif role == UserRole.TEAM_MEMBER:
        ctx["posting"] = selectors.posting_list(user=user, status=PostingStatus.ACTIVE).first()
    # 待办: what waits for this user across every module (also the urgent reports, overdue
    # monthly reports and visit risks of the township, the unit's results to sign for)
    ctx.update(home_todo(user))
    ctx.update(attendance_home(user))
    ctx.update(review_home(user))
    template = f"web/home/{role}.html" if role in UserRole.values else "web/home/none.html"
    return render(request, template, ctx)
