"""驻村任职: list with filters, detail, and 结束任职 through ``tenure.services.posting_close``
(cause "term": an end before the regular end is refused, MGT.TERM)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.policy import PolicyError
from zhucun.registry import scopes, selectors, validation
from zhucun.registry.models import PostingStatus, Role
from zhucun.review.scope import recall_postings
from zhucun.tenure.models import HandoverRecord
from zhucun.tenure.selectors import closure_of
from zhucun.tenure.services import posting_close

from ..words import failure_errors
from ._common import (
    Field,
    SimpleForm,
    date_filter,
    in_queryset,
    page_view,
    paginate,
    place_filters,
)
from ._sorting import in_order, sort_param

POSTING_SORTS = {
    "name": ("cadre__name", "arrival_date"),
    "unit": ("cadre__unit__name", "cadre__name"),
    "village": ("village__jurisdiction__code", in_order("role", Role.values), "arrival_date"),
    "township": ("village__township__code", "village__jurisdiction__code"),
    "county": ("village__township__parent__code", "village__jurisdiction__code"),
    "role": (in_order("role", Role.values), "village__jurisdiction__code"),
    "arrival": ("arrival_date", "village__jurisdiction__code"),
    "planned": ("planned_end", "village__jurisdiction__code"),
    "status": (in_order("status", PostingStatus.values), "village__jurisdiction__code"),
}


@page_view
def posting_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    keys = ("q", "status", "role", "county", "township", "from", "to")
    f = {k: request.GET.get(k, "").strip() for k in keys}
    problems: list[str] = []
    qs = selectors.posting_list(
        user=user,
        status=f["status"],
        role=f["role"],
        county=f["county"],
        township=f["township"],
        q=f["q"],
        arrived_from=date_filter(request, "from", "到岗日期自", problems),
        arrived_to=date_filter(request, "to", "到岗日期至", problems),
    )
    sort = sort_param(request, POSTING_SORTS, "village")
    return render(
        request,
        "web/posting_list.html",
        {
            "nav_key": "postings",
            "page": paginate(request, sort.apply(qs)),
            "f": f,
            "sort": sort,
            "problems": problems,
            "statuses": PostingStatus.choices,
            "roles": Role.choices,
            **place_filters(user, f["county"]),
        },
    )


# posting_close's error keys → the form's fields
_ON_FIELD = {"end_date": "actual_end", "MGT.TERM": "actual_end", "MGT.9.HANDOVER": "gap_reason"}


def _can_end(user, posting) -> bool:
    return posting.status != PostingStatus.ENDED and in_queryset(
        scopes.postings_editable(user), posting.pk
    )


@page_view
def posting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    posting = selectors.posting_get(user=user, pk=pk)
    return render(
        request,
        "web/posting_detail.html",
        {
            "nav_key": "postings",
            "posting": posting,
            "can_end": _can_end(user, posting),
            "can_edit": in_queryset(scopes.postings_editable(user), posting.pk),
            "closure": closure_of(posting),
            "handover": HandoverRecord.objects.filter(posting=posting).first(),
            "can_recall": posting.status == PostingStatus.ACTIVE
            and in_queryset(recall_postings(user), posting.pk),
        },
    )


@page_view
def posting_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    posting = selectors.posting_get(user=user, pk=pk)
    if not in_queryset(scopes.postings_editable(user), posting.pk):
        raise Forbidden("您可以查看但无权结束此任职")
    form = SimpleForm(
        [
            Field("actual_end", "结束日期", kind="date"),
            Field("note", "说明", help="任期届满结束;提前结束须经批准的轮换调整申请或召回撤换"),
            Field(
                "gap_reason",
                "交接空档例外理由",
                help="接替人员到岗前离岗时必填(MGT.9.HANDOVER 压茬交接)",
            ),
        ],
        {"actual_end": timezone.localdate()},
    )
    if request.method == "POST":
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        try:
            end_date = validation.date(values["actual_end"])
        except validation.FieldError as exc:
            form.add_errors({"actual_end": str(exc)})
        else:
            try:
                posting_close(
                    actor=user,
                    posting_id=posting.pk,
                    end_date=end_date,
                    cause="term",
                    note=values["note"],
                    gap_reason=values["gap_reason"],
                )
            except (ValidationFailed, PolicyError) as exc:
                form.add_errors(
                    {_ON_FIELD.get(k, k): v for k, v in failure_errors(exc).items()},
                    {"status": "状态"},
                )
            else:
                return redirect("web:posting_detail", pk=posting.pk)
    return render(
        request,
        "web/edit_form.html",
        {
            "nav_key": "postings",
            "title": f"结束任职:{posting.cadre.name} @ {posting.village.jurisdiction.name}",
            "form": form,
            "submit_label": "确认结束任职",
            "cancel_url": f"/postings/{posting.pk}/",
        },
    )
