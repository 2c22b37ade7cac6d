"""驻村干部: list, detail (personal data as ``disclosure.cadre_view`` shows it), edit."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.policy import PolicyError
from zhucun.registry import disclosure, scopes, selectors, services, validation
from zhucun.registry.models import (
    CadreFileEntry,
    Gender,
    OccupationCode,
    PartyStatus,
    Posting,
    PostingStatus,
)

from ..words import failure_errors
from ._common import Field, SimpleForm, in_queryset, page_view, paginate, tristate
from .assessment_feedback import attach_excellent, cadre_priority_notes


def with_active_posting(qs):
    """Attach each cadre's active posting (one extra query for the whole page)."""
    active = Posting.objects.filter(status=PostingStatus.ACTIVE).select_related(
        "village__jurisdiction", "village__township"
    )
    return qs.prefetch_related(Prefetch("postings", queryset=active, to_attr="active_postings"))


def with_running_ban(qs):
    """MGT.4.CONSEQ: each cadre's promotion ban still running today (``ban_running_until``)."""
    running = CadreFileEntry.objects.filter(
        cadre_id=OuterRef("pk"), ban_until__gte=timezone.localdate()
    ).order_by("-ban_until", "-id")
    return qs.annotate(ban_running_until=Subquery(running.values("ban_until")[:1]))


@page_view
def cadre_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    f = {k: request.GET.get(k, "").strip() for k in ("q", "unit", "party_status", "posted")}
    unit = f["unit"] if f["unit"].isdigit() else None
    qs = selectors.cadre_list(
        user=user,
        q=f["q"],
        unit=unit,
        party_status=f["party_status"],
        posted=tristate(f["posted"]),
    )
    page = paginate(request, with_active_posting(with_running_ban(qs)))
    attach_excellent(user, page.object_list)  # GUA.3.PRIORITY: one query for the page
    return render(
        request,
        "web/cadre_list.html",
        {
            "nav_key": "cadres",
            "page": page,
            "f": f,
            "units": selectors.unit_list(user=user),
            "party_statuses": PartyStatus.choices,
        },
    )


@page_view
def cadre_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cadre = selectors.cadre_get(user=user, pk=pk)
    view = disclosure.cadre_view(user, cadre)
    personal = view.personal()
    spouse = None
    if personal["spouse_id"]:
        spouse = selectors.cadre_list(user=user).filter(pk=personal["spouse_id"]).first()
    postings = selectors.posting_list(user=user).filter(cadre_id=cadre.pk)
    ban = selectors.cadre_promotion_ban(cadre_id=cadre.pk, on=timezone.localdate())
    return render(
        request,
        "web/cadre_detail.html",
        {
            "nav_key": "cadres",
            "cadre": cadre,
            "personal": personal,
            "birth_display": view.birth_display,
            "birth_label": "出生日期" if view.full_id else "出生年份",
            "spouse_allowed": "spouse" in scopes.personal_fields_visible(user, cadre),
            "spouse": spouse,
            "postings": postings,
            "can_edit": in_queryset(scopes.cadres_editable(user), cadre.pk),
            # MGT.4.CONSEQ: the ban while it runs, and the 干部管理档案 entries
            "ban": ban,
            "file_entries": selectors.cadre_file(user=user, cadre_id=cadre.pk)[:FILE_ROWS],
            # GUA.3.PRIORITY: the 优秀 results, wherever the cadre is considered for promotion
            "priority_notes": cadre_priority_notes(user, cadre),
        },
    )


FILE_ROWS = 100


@page_view
def cadre_file_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """干部管理档案记载 (MGT.4.CONSEQ) of a cadre the user sees, for the personnel file."""
    from urllib.parse import quote

    from zhucun.review.cadre_file_export import cadre_file_workbook

    user = request.user
    cadre = selectors.cadre_get(user=user, pk=pk)
    response = HttpResponse(
        cadre_file_workbook(user=user, cadre=cadre),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"干部管理档案记载-{cadre.name}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


_CHOICES = {
    "gender": Gender.choices,
    "party_status": PartyStatus.choices,
    "occupation_code": OccupationCode.choices,
}
_DATES = {"birth_date", "full_member_since", "work_start_date"}
_PERSONAL = {
    "id_number": "id_number",
    "birth_date": "id_number",  # the birth date is half the ID number (disclosure.py)
    "phone": "phone",
    "health_fit": "health_fit",
    "family_hardship": "family_hardship",
    "spouse_id_number": "spouse",
}


def _cadre_form(user, cadre) -> SimpleForm:
    allowed = scopes.personal_fields_visible(user, cadre)
    units = [(u.name, u.name) for u in selectors.unit_list(user=user)]
    if cadre.unit.name not in dict(units):
        units.insert(0, (cadre.unit.name, cadre.unit.name))
    fields = []
    for name, (label, _cleaner) in validation.CADRE_FIELDS.items():
        if name in _PERSONAL and _PERSONAL[name] not in allowed:
            continue  # never show or send personal data the user may not read
        if name == "unit_name":
            fields.append(Field(name, label, kind="select", choices=units))
        elif name in _CHOICES:
            fields.append(Field(name, label, kind="select", choices=_CHOICES[name]))
        elif name in _DATES:
            fields.append(Field(name, label, kind="date"))
        elif validation.CADRE_FIELDS[name][1] is validation.boolean:
            fields.append(Field(name, label, kind="checkbox"))
        else:
            fields.append(Field(name, label))
    initial = {f.name: getattr(cadre, f.name) for f in fields if hasattr(cadre, f.name)}
    initial["unit_name"] = cadre.unit.name
    # the spouse may be outside the user's scope: shown as disclosure lets this user see it
    spouse = cadre.spouse if cadre.spouse_id else None
    initial["spouse_id_number"] = disclosure.cadre_view(user, spouse).id_number if spouse else ""
    return SimpleForm(fields, initial)


@page_view
def cadre_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    cadre = selectors.cadre_get(user=user, pk=pk)
    if not in_queryset(scopes.cadres_editable(user), cadre.pk):
        raise Forbidden("您可以查看但无权修改此干部信息")
    form = _cadre_form(user, cadre)
    if request.method == "POST":
        form.bind(request.POST)
        data = form.changed()
        try:
            if data:
                services.cadre_update(actor=user, cadre_id=cadre.pk, data=data)
        except (ValidationFailed, PolicyError) as exc:
            labels = {k: v[0] for k, v in validation.CADRE_FIELDS.items()}
            form.add_errors(failure_errors(exc), labels)
        else:
            return redirect("web:cadre_detail", pk=cadre.pk)
    return render(
        request,
        "web/edit_form.html",
        {
            "nav_key": "cadres",
            "title": f"编辑干部信息:{cadre.name}",
            "form": form,
            "cancel_url": f"/cadres/{cadre.pk}/",
        },
    )
