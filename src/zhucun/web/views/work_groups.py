"""分片联系 page (MGT.8.GROUPS): the village groups in scope with their contact cadre; the
first secretary (own village) and the township assign one from the team in post. The change
calls zhucun.work.services.visits.group_contact_assign, which decides scope and rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.registry.models import Posting, PostingStatus
from zhucun.work.scope import team_village_id, villages_readable
from zhucun.work.selectors import visits as sel
from zhucun.work.services import visits as svc

from ._common import page_view, paginate

NAV = "work"
CLAUSE_TEXT = (
    "驻村工作队员分片联系村(居)民小组,每个小组应有一名联系人(MGT.8.GROUPS);"
    "联系人由第一书记或乡镇(街道)从本村在岗工作队员中指定,更换时原联系人于新联系人起始日前一天结束。"
)


def _int(value: Any) -> int | None:
    s = str(value or "").strip()
    return int(s) if s.isdigit() and len(s) < 12 else None


def assigner(user: User) -> Any:
    """Whether ``user`` assigns contacts in a village: the township (every village it reads)
    or the first secretary (own village); one query at most."""
    if user.role == UserRole.TOWNSHIP:
        return lambda village_id: True
    own = team_village_id(user) if user.role == UserRole.FIRST_SECRETARY else None
    return lambda village_id: own is not None and village_id == own


def _team(village_id: int) -> list[Posting]:
    return list(
        Posting.objects.filter(village_id=village_id, status=PostingStatus.ACTIVE)
        .select_related("cadre")
        .order_by("role", "cadre__name")[:50]
    )


@page_view
def groups_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    village = _int(request.GET.get("village"))
    assign_id = _int(request.POST.get("group") or request.GET.get("assign"))
    form: dict[str, Any] | None = None
    can_assign = assigner(user)
    if assign_id is not None:
        target = sel.village_groups(user=user).filter(pk=assign_id).first()
        if target is None:
            raise NotFound(svc.GROUP_NOT_FOUND)
        village_id = target.village_id  # type: ignore[attr-defined]
        if can_assign(village_id):
            form = {
                "group": target,
                "team": _team(village_id),
                "cadre": _int(request.POST.get("cadre")) or target.contact_cadre_id,  # type: ignore[attr-defined]
                "since": request.POST.get("since") or timezone.localdate().isoformat(),
                "errors": [],
            }
    if request.method == "POST" and form is not None:
        try:
            svc.group_contact_assign(
                actor=user,
                group_id=form["group"].pk,
                cadre_id=form["cadre"] or 0,
                since=request.POST.get("since", ""),
            )
        except ValidationFailed as exc:
            form["errors"] = [
                {"label": svc.FIELD_LABELS.get(k, ""), "message": v} for k, v in exc.errors.items()
            ]
        else:
            messages.success(request, f"已指定{form['group'].name}的联系人。")
            query = f"?village={village}" if village else ""
            return redirect(reverse("web:work_groups") + query)
    page = paginate(request, sel.village_groups(user=user, village=village))
    rows = [
        {"group": g, "can_assign": can_assign(g.village_id)}  # type: ignore[attr-defined]
        for g in page.object_list
    ]
    villages = villages_readable(user).select_related("jurisdiction").order_by("jurisdiction__code")
    return render(
        request,
        "web/work/group_list.html",
        {
            "nav_key": NAV,
            "page": page,
            "rows": rows,
            "form": form,
            "village": village,
            "villages": [(str(v.pk), v.jurisdiction.name, v.pk == village) for v in villages[:300]],
            "clause": CLAUSE_TEXT,
            "today": timezone.localdate(),
        },
    )
