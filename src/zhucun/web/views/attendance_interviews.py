"""约谈 (MGT.3.TALK) for the organisation departments: the interview list of the cadres they
manage by the level of the dispatching unit (county-level units: the county; prefecture- and
province-level units: the prefecture), supplied by the townships' month close, and the record
of each interview with its three parties."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhucun.attendance import selectors
from zhucun.attendance import services as att
from zhucun.policy.attendance import INTERVIEWEES

from ._common import page_view, paginate
from .attendance_cadre import pct
from .attendance_common import (
    UPPER,
    month_choices,
    month_label,
    month_param,
    refuse_unless,
    run_action,
)


@page_view
def interviews_page(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, UPPER)) is not None:
        return refused
    user = request.user
    month = month_param(request)
    back = f"/attendance/interviews/?month={month:%Y-%m}"
    if request.method == "POST":
        return run_action(
            request,
            lambda: att.interview_record(
                actor=user,
                cadre_id=request.POST.get("cadre_id"),
                month=month,
                township_leader=request.POST.get("township_leader", ""),
                unit_leader=request.POST.get("unit_leader", ""),
                held_on=request.POST.get("held_on", ""),
                record=request.POST.get("record", ""),
            ),
            lambda i: f"已记录约谈(MGT.3.TALK):{i.held_on}",
            back,
        )
    page = paginate(request, selectors.interview_list_managed(user=user, month=month), per_page=50)
    for r in page.object_list:
        r.pct = pct(r.rate)
    records = selectors.interview_records(user=user, month=month)
    return render(
        request,
        "web/attendance/interviews.html",
        {
            "nav_key": "interviews",
            "month": month,
            "label": month_label(month),
            "months": month_choices(month),
            "page": page,
            "talk": page.object_list,
            "records": records,
            "interviewees": "、".join(INTERVIEWEES),
        },
    )
