"""村(社区): list with filters, detail with the team, edit through ``services.village_update``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.policy.needs import NEEDS
from zhucun.registry import scopes, selectors, services, validation
from zhucun.registry.models import Datum, Level, PostingStatus

from ._common import Field, SimpleForm, in_queryset, page_view, paginate, tristate
from ._sorting import sort_param

VILLAGE_SORTS = {
    "code": "jurisdiction__code",
    "name": ("jurisdiction__name", "jurisdiction__code"),
    "township": ("township__code", "jurisdiction__code"),
    "county": ("township__parent__code", "jurisdiction__code"),
    "active": ("active_count", "jurisdiction__code"),
}


def _filters(request: HttpRequest) -> dict[str, str]:
    keys = ("q", "county", "township", "category", "cat3", "key", "gap", "need")
    return {k: request.GET.get(k, "").strip() for k in keys}


@page_view
def village_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    f = _filters(request)
    qs = selectors.village_list(
        user=user,
        q=f["q"],
        county=f["county"],
        township=f["township"],
        category=f["category"],
        cat3=tristate(f["cat3"]),
        key=tristate(f["key"]),
        need=f["need"],
    )
    if f["gap"] == "1":  # 覆盖缺口: villages without any active posting
        qs = qs.filter(active_count=0)
    sort = sort_param(request, VILLAGE_SORTS, "code")
    counties = selectors.jurisdiction_list(user=user, level=Level.COUNTY)
    townships = selectors.jurisdiction_list(user=user, level=Level.TOWNSHIP, parent=f["county"])
    return render(
        request,
        "web/village_list.html",
        {
            "nav_key": "villages",
            "page": paginate(request, sort.apply(qs)),
            "f": f,
            "sort": sort,
            "counties": counties,
            "townships": townships,
            "categories": selectors.CATEGORIES.items(),
            "needs": [(n.code, n.label) for n in NEEDS],
        },
    )


@page_view
def village_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    village = selectors.village_get(user=user, pk=pk)
    postings = selectors.posting_list(user=user, village=village.pk)
    return render(
        request,
        "web/village_detail.html",
        {
            "nav_key": "villages",
            "village": village,
            "active": [p for p in postings if p.status == PostingStatus.ACTIVE],
            "others": [p for p in postings if p.status != PostingStatus.ACTIVE],
            "can_edit": in_queryset(scopes.villages_editable(user), village.pk),
            # the unit ranks its cadres for this village on the new-nomination page
            "can_rank": in_queryset(scopes.villages_nominable(user), village.pk),
        },
    )


def _village_form(village) -> SimpleForm:
    spec = validation.VILLAGE_FIELDS
    fields = [Field("name", "村名")]
    for name in ("former_poor", "relocation", "border", "key_village", "weak_village"):
        fields.append(Field(name, spec[name][0], kind="checkbox"))
    fields += [
        Field("checkin_lat", spec["checkin_lat"][0], help="如 24.256000"),
        Field("checkin_lng", spec["checkin_lng"][0], help="如 98.276000"),
        Field("checkin_datum", spec["checkin_datum"][0], kind="select", choices=Datum.choices),
        Field("checkin_radius_m", spec["checkin_radius_m"][0], help="1~20000"),
    ]
    # SEL.METHOD.NEED: one checkbox per need of the catalogue
    needs = set(village.needs or [])
    fields += [
        Field(f"{NEED_PREFIX}{n.code}", f"村需求:{n.label}", kind="checkbox", help=n.source)
        for n in NEEDS
    ]
    initial = {f.name: getattr(village, f.name, None) for f in fields}
    initial["name"] = village.jurisdiction.name
    initial |= {f"{NEED_PREFIX}{n.code}": n.code in needs for n in NEEDS}
    return SimpleForm(fields, initial)


NEED_PREFIX = "need__"


def _needs_changed(form: SimpleForm, data: dict) -> dict:
    """The need checkboxes as one ``needs`` list, when any of them changed."""
    changed = [k for k in data if k.startswith(NEED_PREFIX)]
    for k in changed:
        data.pop(k)
    if changed:
        data["needs"] = [
            f.name.removeprefix(NEED_PREFIX)
            for f in form.fields
            if f.name.startswith(NEED_PREFIX) and f.value
        ]
    return data


@page_view
def village_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    village = selectors.village_get(user=user, pk=pk)
    if not in_queryset(scopes.villages_editable(user), village.pk):
        raise Forbidden("您可以查看但无权修改此村(社区)")
    form = _village_form(village)
    if request.method == "POST":
        form.bind(request.POST)
        data = _needs_changed(form, form.changed())
        try:
            if data:
                services.village_update(actor=user, village_id=village.pk, data=data)
        except ValidationFailed as exc:
            form.add_errors(exc.errors)
        else:
            return redirect("web:village_detail", pk=village.pk)
    return render(
        request,
        "web/edit_form.html",
        {
            "nav_key": "villages",
            "title": f"编辑村(社区):{village.jurisdiction.name}",
            "form": form,
            "cancel_url": f"/villages/{village.pk}/",
        },
    )
