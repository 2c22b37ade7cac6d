"""召回撤换 (MGT.4.CAUSE, MGT.4.CONSEQ) pages: the list (scoped by role), the county's form
(one of the five causes, evidence, deciding body, date, document number; prefilled from a
posting or a quarterly review's entry), the detail with the ban end and the replacement
deadline, and the replacement-due list of the county, prefecture, township and unit. Every
write goes through ``review.services.recall.recall_record``; scope and rules are decided there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.policy import PolicyError
from zhucun.policy.dates import date_label
from zhucun.policy.review import RECALL_CAUSE_LABELS
from zhucun.registry import validation
from zhucun.registry.models import PostingStatus
from zhucun.review.models import ReviewEntry
from zhucun.review.scope import RECALL_READERS, RECALL_WRITERS, recall_postings
from zhucun.review.selectors import recall as sel
from zhucun.review.services.recall import FORBIDDEN, recall_record

from ..words import failure_errors
from ._common import Field, SimpleForm, page_view, paginate
from ._sorting import sort_param

NAV = "review"
CONSEQ_TEXT = (
    "凡被召回撤换的第一书记和工作队员,计入个人干部管理档案,三年内不得提拔使用和晋升职级,"
    "派出单位要另行选派符合条件的人员顶替(MGT.4.CONSEQ)"
)
LABELS = {
    "posting_id": "任职",
    "cause": "召回情形",
    "evidence": "事实依据",
    "deciding_body": "决定机构",
    "decided_on": "召回决定日期",
    "reference": "召回文号",
    "review_entry_id": "所依据的季度研判",
}
POSTING_CHOICES_MAX = 500
RECALL_SORTS = {
    "name": ("cadre__name", "-decided_on"),
    "unit": ("cadre__unit__name", "cadre__name"),
    "village": ("posting__village__jurisdiction__code", "-decided_on"),
    "cause": ("cause", "-decided_on"),
    "decided": "decided_on",
    "ban": ("ban_until", "cadre__name"),
    "replacement": ("replaced", "replacement_due"),
}
REPLACEMENT_SORTS = {
    "name": ("cadre__name", "replacement_due"),
    "unit": ("cadre__unit__name", "replacement_due"),
    "village": ("posting__village__jurisdiction__code", "replacement_due"),
    "decided": ("decided_on", "replacement_due"),
    "due": "replacement_due",
}


def _readers_only(user) -> None:
    if user.role not in RECALL_READERS:
        raise Forbidden("召回撤换记录由县、州驻村工作领导协调机构、乡镇和派出单位查看")


@page_view
def recall_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _readers_only(user)
    today = timezone.localdate()
    sort = sort_param(request, RECALL_SORTS, "-decided")
    return render(
        request,
        "web/review/recall_list.html",
        {
            "nav_key": NAV,
            "page": paginate(request, sort.apply(sel.recall_list(user=user, today=today))),
            "sort": sort,
            "can_record": user.role in RECALL_WRITERS,
            "conseq_text": CONSEQ_TEXT,
        },
    )


def _entry(user, raw: str) -> ReviewEntry | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise NotFound("季度研判记录不存在")
    entry = (
        ReviewEntry.objects.filter(
            pk=int(raw), posting__in=recall_postings(user).filter(status=PostingStatus.ACTIVE)
        )
        .select_related("review", "posting")
        .first()
    )
    if entry is None:
        raise NotFound("季度研判记录不存在、任职已结束或不在您的管辖范围内")
    return entry


def _initial(user, request: HttpRequest, entry: ReviewEntry | None) -> dict[str, Any]:
    today = timezone.localdate()
    initial: dict[str, Any] = {"decided_on": today, "deciding_body": ""}
    if user.jurisdiction_id:
        initial["deciding_body"] = f"{user.jurisdiction.name}驻村工作领导协调机构"
    posting = request.GET.get("posting", "")
    if posting.isdigit():
        initial["posting_id"] = posting
    if entry is not None:
        initial["posting_id"] = str(entry.posting_id)
        suggestions = [s for s in entry.suggestions or [] if isinstance(s, dict)]
        datas = [s.get("data") for s in suggestions]
        causes = [d.get("cause") for d in datas if isinstance(d, dict)]
        causes = [c for c in causes if c in RECALL_CAUSE_LABELS]
        if causes:
            initial["cause"] = causes[0]
        evidence = [str(s.get("message", "")) for s in suggestions if s.get("message")]
        if evidence:
            initial["evidence"] = "\n".join(evidence)[:2000]
    return initial


def _form(user, initial: dict[str, Any]) -> SimpleForm:
    postings = (
        recall_postings(user)
        .filter(status=PostingStatus.ACTIVE)
        .select_related("cadre", "village__jurisdiction", "village__township")
        .order_by("village__jurisdiction__code", "role", "pk")[:POSTING_CHOICES_MAX]
    )
    choices = [("", "请选择")] + [
        (
            str(p.pk),
            f"{p.cadre.name}({p.village.township.name} · {p.village.jurisdiction.name} · "
            f"{p.get_role_display()},到岗 {p.arrival_date:%Y-%m-%d})",
        )
        for p in postings
    ]
    fields = [
        Field("posting_id", "被召回的驻村任职", kind="select", choices=choices),
        Field(
            "cause",
            "召回情形(MGT.4.CAUSE)",
            kind="select",
            choices=[("", "请选择"), *RECALL_CAUSE_LABELS.items()],
        ),
        Field(
            "evidence",
            "事实依据",
            kind="textarea",
            help="写明具体事实和证明材料(如处理决定、出勤统计、民主评议结果)",
            attrs={"maxlength": "2000"},
        ),
        Field("deciding_body", "决定机构"),
        Field("decided_on", "召回决定日期", kind="date", help="即任职结束日期"),
        Field("reference", "召回文号"),
    ]
    return SimpleForm(fields, initial)


@page_view
def recall_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in RECALL_WRITERS:
        raise Forbidden(FORBIDDEN)
    entry = _entry(user, request.GET.get("entry", "").strip())
    form = _form(user, _initial(user, request, entry))
    if request.method == "POST":
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        errors: dict[str, str] = {}
        if not str(values.get("posting_id", "")).isdigit():
            errors["posting_id"] = "请选择被召回的驻村任职"
        try:
            decided_on = validation.date(values.get("decided_on", ""))
        except validation.FieldError as exc:
            errors["decided_on"] = str(exc)
        try:
            if errors:
                raise ValidationFailed(errors)
            recall = recall_record(
                actor=user,
                posting_id=int(values["posting_id"]),
                cause=values["cause"],
                evidence=values["evidence"],
                deciding_body=values["deciding_body"],
                decided_on=decided_on,  # type: ignore[arg-type]
                reference=values["reference"],
                review_entry_id=entry.pk if entry is not None else None,
            )
        except (ValidationFailed, PolicyError) as exc:
            form.add_errors(dict(failure_errors(exc)), LABELS)
        else:
            messages.success(
                request,
                f"已登记召回撤换:{recall.cadre.name} 至{date_label(recall.ban_until)}(含)"
                f"不得提拔使用和晋升职级;派出单位应于{date_label(recall.replacement_due)}前"
                "另行选派顶替人员。",
            )
            return redirect("web:review_recall_detail", pk=recall.pk)
    return render(
        request,
        "web/review/recall_new.html",
        {"nav_key": NAV, "form": form, "entry": entry, "conseq_text": CONSEQ_TEXT},
    )


@page_view
def recall_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _readers_only(user)
    recall = sel.recall_get(user=user, pk=pk, today=timezone.localdate())
    return render(
        request,
        "web/review/recall_detail.html",
        {
            "nav_key": NAV,
            "r": recall,
            "cause_label": RECALL_CAUSE_LABELS.get(recall.cause, ""),
            "replacement": sel.replacement_posting_of(recall) if recall.replaced else None,
            "conseq_text": CONSEQ_TEXT,
        },
    )


@page_view
def replacements(request: HttpRequest) -> HttpResponse:
    user = request.user
    _readers_only(user)
    today = timezone.localdate()
    sort = sort_param(request, REPLACEMENT_SORTS, "due")
    return render(
        request,
        "web/review/recall_replacements.html",
        {
            "nav_key": NAV,
            "page": paginate(request, sort.apply(sel.replacements_due(user=user, today=today))),
            "sort": sort,
            "today": today,
            "conseq_text": CONSEQ_TEXT,
        },
    )


urlpatterns = [
    path("review/recalls/", recall_list, name="review_recall_list"),
    path("review/recalls/new/", recall_new, name="review_recall_new"),
    path("review/recalls/<int:pk>/", recall_detail, name="review_recall_detail"),
    path("review/replacements/", replacements, name="review_replacements"),
]
