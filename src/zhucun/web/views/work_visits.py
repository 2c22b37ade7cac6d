"""到组到户走访 pages (MGT.8.VISITS, DUT.2): the team's phone page to record a visit (/m/visit/,
360 px, one hand, no script), the visits of a month with the groups not visited enough and the
groups without a contact, a visit's detail (the township acknowledges a risk there), the
township's list of return-to-poverty risks and the 走访台账 (print page and .xlsx). Every
change calls zhucun.work.services.visits, which decides scope and rules; household names are
masked for the roles that may not see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.params.selectors import parameters_current
from zhucun.policy.dates import month_label
from zhucun.policy.work import VISIT_PURPOSE_LABELS
from zhucun.work import visit_ledger as ledger
from zhucun.work.models import GroupContact
from zhucun.work.scope import team_village_id, villages_readable
from zhucun.work.selectors import visits as sel
from zhucun.work.services import visits as svc

from ._common import forbidden, page_view, paginate
from ._sorting import sort_param
from .attendance_common import first_of, month_choices, month_param
from .imports import xlsx_response
from .work_groups import groups_page

NAV = "work"
TEAM_ROLES = frozenset({UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER})
RISK_TEXT = (
    "走访中发现返贫致贫风险的,报乡镇(街道)确认,并写明跟进措施;乡镇确认前一直列在此处"
    "(MGT.8.VISITS、DUT.2)。"
)
VISIT_SORTS = {
    "visited": "visited_on",
    "village": ("village__jurisdiction__code", "-visited_on"),
    "group": ("group__code", "-visited_on"),
    "cadre": ("cadre__name", "-visited_on"),
}

TABS = (("visits", "走访记录"), ("unvisited", "走访不足的小组"), ("nocontact", "无联系人的小组"))


def _int(value: Any) -> int | None:
    s = str(value or "").strip()
    return int(s) if s.isdigit() and len(s) < 12 else None


def _village_choices(user: User, selected: int | None) -> list[tuple[str, str, bool]]:
    qs = villages_readable(user).select_related("jurisdiction").order_by("jurisdiction__code")
    return [(str(v.pk), v.jurisdiction.name, v.pk == selected) for v in qs[:300]]


# ---- the phone page -----------------------------------------------------------------------


def _visit_groups(user: User, village_id: int) -> list[Any]:
    """The village's groups, the user's own contact groups first."""
    today = timezone.localdate()
    mine = GroupContact.objects.filter(
        group_id=OuterRef("pk"), cadre_id=user.cadre_id, since__lte=today
    ).filter(Q(until__isnull=True) | Q(until__gte=today))
    return list(
        sel.village_groups(user=user, village=village_id)
        .annotate(mine=Exists(mine))
        .order_by("-mine", "code")[:200]
    )


@page_view
def visit_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    village_id = team_village_id(user)
    if user.role not in TEAM_ROLES or village_id is None:
        return forbidden(request, svc.VISIT_WRITERS_TEXT)
    groups = _visit_groups(user, village_id)
    chosen = _int(request.POST.get("group") or request.GET.get("group"))
    group = next((g for g in groups if g.pk == chosen), groups[0] if groups else None)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    post = request.POST if request.method == "POST" else None
    if post is not None and groups:
        fresh = [
            {"head_name": name, "risk_return_to_poverty": f"new_risk_{i}" in post}
            for i in (1, 2)
            if (name := post.get(f"new_name_{i}", "").strip())
        ]
        try:
            visit = svc.visit_record(
                actor=user,
                group_id=chosen or 0,  # the service decides (another village's: 404)
                visited_on=post.get("visited_on", ""),
                purposes=post.getlist("purposes"),
                household_ids=post.getlist("households"),
                new_households=fresh,
                findings=post.get("findings", ""),
                risk_found="risk_found" in post,
                follow_up=post.get("follow_up", ""),
            )
        except ValidationFailed as exc:
            errors = exc.errors
        else:
            note = "已报乡镇(街道)确认" if visit.risk_found else ""
            messages.success(request, f"走访记录已保存。{note}")
            return redirect(reverse("web:work_visit_new") + f"?group={visit.group_id}")
    households = (
        list(sel.household_list(user=user, group=group.pk)[:200]) if group is not None else []
    )
    picked = set(post.getlist("households")) if post is not None else set()
    purposes = set(post.getlist("purposes")) if post is not None else set()
    return render(
        request,
        "web/work/visit_new.html",
        {
            "nav_key": NAV,
            "groups": groups,
            "group": group,
            "today": today,
            "day": post.get("visited_on", "") if post is not None else today.isoformat(),
            "purpose_options": [
                (code, label, code in purposes) for code, label in VISIT_PURPOSE_LABELS.items()
            ],
            "households": [(h, str(h.pk) in picked) for h in households],
            "post": post or {},
            "risk_open": post is not None and "risk_found" in post,
            "errors": [
                {"label": svc.FIELD_LABELS.get(k, ""), "message": v} for k, v in errors.items()
            ],
            "recent": list(
                sel.visit_list(user=user, village=village_id).filter(cadre_id=user.cadre_id)[:5]
            ),
        },
    )


# ---- lists --------------------------------------------------------------------------------


@page_view
def visit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    month = month_param(request, default=first_of(timezone.localdate()))
    village = _int(request.GET.get("village"))
    tab = request.GET.get("show", "visits")
    tab = tab if tab in dict(TABS) else "visits"
    params = parameters_current()
    counts = {
        "visits": sel.visit_list(user=user, village=village, month=month).count(),
        "unvisited": _unvisited(user, month, village, params).count(),
        "nocontact": _nocontact(user, village).count(),
    }
    ctx: dict[str, Any] = {
        "nav_key": NAV,
        "month": month,
        "month_label": month_label(month),
        "months": month_choices(month),
        "village": village,
        "villages": _village_choices(user, village),
        "tab": tab,
        "tabs": [(code, label, counts[code]) for code, label in TABS],
        "today": timezone.localdate(),
        "can_record": user.role in TEAM_ROLES and team_village_id(user) is not None,
    }
    if tab == "visits":
        sort = sort_param(request, VISIT_SORTS, "-visited")
        ctx["sort"] = sort
        page = paginate(
            request, sort.apply(sel.visit_list(user=user, village=village, month=month))
        )
        ctx["rows"] = [sel.visit_row(user, v) for v in page.object_list]
    elif tab == "unvisited":
        page = paginate(request, _unvisited(user, month, village, params))
        ctx["rows"] = sel.unvisited_rows(page.object_list, month=month, params=params)
    else:
        page = paginate(request, _nocontact(user, village))
        ctx["rows"] = list(page.object_list)
    ctx["page"] = page
    return render(request, "web/work/visit_list.html", ctx)


def _unvisited(user: User, month: dt.date, village: int | None, params: Any) -> Any:
    qs = sel.unvisited_groups(user=user, month=month, params=params)
    return qs.filter(parent__village__id=village) if village else qs


def _nocontact(user: User, village: int | None) -> Any:
    qs = sel.groups_without_contact(user=user, on=timezone.localdate())
    return qs.filter(parent__village__id=village) if village else qs


@page_view
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    visit = sel.visit_get(user=user, pk=pk)
    can_ack = user.role == UserRole.TOWNSHIP and visit.risk_found and visit.acknowledged_at is None
    error = ""
    if request.method == "POST":
        try:
            svc.visit_risk_acknowledge(
                actor=user, visit_id=visit.pk, note=request.POST.get("note", "")
            )
        except ValidationFailed as exc:
            error = ";".join(exc.errors.values())
        else:
            messages.success(request, "已确认该返贫致贫风险。")
            return redirect("web:work_visit_detail", pk=visit.pk)
    return render(
        request,
        "web/work/visit_detail.html",
        {"nav_key": NAV, "row": sel.visit_row(user, visit), "can_ack": can_ack, "error": error},
    )


@page_view
def risk_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    show_all = request.GET.get("all") == "1"
    error = ""
    if request.method == "POST":
        try:
            svc.visit_risk_acknowledge(
                actor=user,
                visit_id=_int(request.POST.get("visit")) or 0,
                note=request.POST.get("note", ""),
            )
        except ValidationFailed as exc:
            error = ";".join(exc.errors.values())
        else:
            messages.success(request, "已确认该返贫致贫风险。")
            return redirect("web:work_risks")
    sort = sort_param(request, VISIT_SORTS, "visited")
    page = paginate(request, sort.apply(sel.risk_visits(user=user, open_only=not show_all)))
    return render(
        request,
        "web/work/visit_risks.html",
        {
            "nav_key": NAV,
            "page": page,
            "rows": [sel.visit_row(user, v) for v in page.object_list],
            "sort": sort,
            "can_ack": user.role == UserRole.TOWNSHIP,
            "show_all": show_all,
            "clause": RISK_TEXT,
            "error": error,
        },
    )


# ---- 走访台账 --------------------------------------------------------------------------------


@page_view
def visit_ledger(request: HttpRequest) -> HttpResponse:
    user = request.user
    month = month_param(request, default=first_of(timezone.localdate()))
    village_id = _int(request.GET.get("village")) or team_village_id(user)
    if village_id is None and user.role == UserRole.VILLAGE_SECRETARY:
        village_id = user.village_id
    village = (
        villages_readable(user).select_related("jurisdiction").filter(pk=village_id).first()
        if village_id
        else None
    )
    if village_id and village is None:
        raise NotFound()
    if village is not None and request.GET.get("format") == "xlsx":
        return xlsx_response(
            ledger.ledger_workbook(user, village, month),
            ledger.ledger_title(village, month) + ".xlsx",
        )
    return render(
        request,
        "web/work/visit_ledger.html",
        {
            "nav_key": NAV,
            "village": village,
            "villages": _village_choices(user, village.pk if village else None),
            "months": month_choices(month),
            "month": month,
            "title": ledger.ledger_title(village, month) if village else "走访台账",
            "headers": ledger.HEADERS,
            "rows": list(ledger.ledger_rows(user, village, month)) if village else [],
        },
    )


urlpatterns = [
    path("m/visit/", visit_new, name="work_visit_new"),
    path("work/visits/", visit_list, name="work_visit_list"),
    path("work/visits/ledger/", visit_ledger, name="work_visit_ledger"),
    path("work/visits/<int:pk>/", visit_detail, name="work_visit_detail"),
    path("work/groups/", groups_page, name="work_groups"),
    path("work/risks/", risk_list, name="work_risks"),
]
