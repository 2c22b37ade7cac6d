"""任期与交接 (issue 11): upcoming term ends with the replacement's status (MGT.9.HANDOVER), the
handover record (交接清单) form, print page and .xlsx, and a cadre's own history with the leave
after the term (GUA.3.LEAVE15) — shown also to a cadre whose posting has ended."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhucun.accounts.models import UserRole
from zhucun.attendance.models import LeaveKind, LeaveRequest
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.registry import scopes, selectors
from zhucun.tenure import selectors as tenure
from zhucun.tenure.exports import handover_facts, handover_workbook
from zhucun.tenure.services import handover_save

from ._common import Field, SimpleForm, in_queryset, not_found, page_view
from .imports import xlsx_response

CADRE_ROLES = (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER)


@require_GET
@page_view
def term_ends_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in tenure.TERM_END_ROLES:
        return not_found(request, "页面不存在或您的角色无需使用此功能")
    today = timezone.localdate()
    rows = tenure.term_ends_upcoming(user=user, today=today)
    return render(
        request,
        "web/tenure/term_ends.html",
        {
            "nav_key": "term_ends",
            "today": today,
            "until": tenure.notice_until(today=today),
            "rows": rows,
            "can_handover": user.role in scopes.EDIT_REGISTRY_ROLES,
        },
    )


@page_view
def handover_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    posting = selectors.posting_get(user=user, pk=pk)
    if not in_queryset(scopes.postings_editable(user), posting.pk):
        raise Forbidden("您可以查看但无权填写此交接清单")
    record = getattr(posting, "handover", None)
    initial = {
        "handover_date": record.handover_date if record else timezone.localdate(),
        "ongoing_tasks": record.ongoing_tasks if record else "",
        "households": record.households if record else "",
        "documents": record.documents if record else "",
        "funds": record.funds if record else "",
        "receiver_name": record.receiver_name if record else "",
        "received_on": record.received_on if record else None,
    }
    form = SimpleForm(
        [
            Field("handover_date", "交接日期", kind="date"),
            Field("ongoing_tasks", "在办工作事项", kind="textarea"),
            Field("households", "联系走访农户情况", kind="textarea"),
            Field("documents", "移交文件资料", kind="textarea"),
            Field("funds", "经手资金、物资情况", kind="textarea"),
            Field("receiver_name", "接收人签名", help="接替人员签收后填写"),
            Field("received_on", "接收日期", kind="date"),
        ],
        initial,
    )
    if request.method == "POST":
        form.bind(request.POST)
        data = {f.name: f.value for f in form.fields}
        try:
            saved = handover_save(actor=user, posting_id=posting.pk, data=data)
        except ValidationFailed as exc:
            form.add_errors(exc.errors, {"successor_id": "接替人员"})
        else:
            return redirect("web:handover_print", pk=saved.pk)
    return render(
        request,
        "web/edit_form.html",
        {
            "nav_key": "postings",
            "title": f"交接清单:{posting.cadre.name} @ {posting.village.jurisdiction.name}",
            "form": form,
            "submit_label": "保存交接清单",
            "cancel_url": f"/postings/{posting.pk}/",
        },
    )


def _record(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return tenure.handover_get(user=request.user, pk=pk)


@require_GET
@page_view
def handover_print(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    if record is None:
        return not_found(request)
    return render(
        request,
        "web/tenure/handover_print.html",
        {"nav_key": "postings", "record": record, "facts": handover_facts(record)},
    )


@require_GET
@page_view
def handover_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    record = _record(request, pk)
    if record is None:
        return not_found(request)
    name = record.posting.cadre.name
    return xlsx_response(handover_workbook(record), f"交接清单_{name}.xlsx")


@require_GET
@page_view
def my_history(request: HttpRequest) -> HttpResponse:
    """A cadre's own postings (current and ended) and their leave after the term."""
    user = request.user
    if user.role not in CADRE_ROLES:
        return not_found(request, "页面不存在或您的角色无需使用此功能")
    postings = list(tenure.own_history(user=user))
    leaves = LeaveRequest.objects.filter(
        cadre_id=user.cadre_id, kind=LeaveKind.AFTER_TERM
    ).order_by("-start")
    return render(
        request,
        "web/tenure/my_history.html",
        {"nav_key": "my_history", "postings": postings, "leaves": leaves},
    )
