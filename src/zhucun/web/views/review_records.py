"""纪律处理记录 (MGT.10) and 谈心谈话 (GUA.3.TALK) pages: the lists (scoped by role, paginated,
the discipline list also as .xlsx), entry forms with the cadre chosen among those in scope
(``?cadre=<id>`` prefills it), the record's detail with its correction chain and a
correction form, and the cadres due a talk. Every write calls its service; scope and rules
are decided there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import DateField, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from openpyxl.styles import Alignment

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.core.files_out import BORDER, Book, Style
from zhucun.params.selectors import parameters_current
from zhucun.policy.review import OUTCOME_LABELS, PROHIBITION_LABELS
from zhucun.registry.models import Role
from zhucun.review.models import DisciplineRecord, RecorderKind
from zhucun.review.scope import (
    DISCIPLINE_WRITERS,
    TALK_WRITERS,
    discipline_cadres,
    talk_cadres,
)
from zhucun.review.selectors import discipline as discipline_read
from zhucun.review.selectors import talks as talk_read
from zhucun.review.services import discipline as discipline_write
from zhucun.review.services import talks as talk_write

from ._common import Field, SimpleForm, date_filter, page_view, paginate, tristate
from ._sorting import in_order, sort_param
from .imports import xlsx_response

NAV = "review"
DISCIPLINE_READERS = DISCIPLINE_WRITERS | {UserRole.UNIT}
DISCIPLINE_READERS_TEXT = (
    "纪律处理记录由乡镇(街道)党(工)委、县级驻村工作领导协调机构和州委组织部录入,"
    "派出单位查阅本单位干部的记录(MGT.10)"
)
TALK_READERS_TEXT = "谈心谈话由派出单位、乡镇(街道)党(工)委和组织部门录入和查阅(GUA.3.TALK)"
KIND_LABELS = dict(RecorderKind.choices)
DISCIPLINE_SORTS = {
    "name": ("cadre__name", "-occurred_on"),
    "unit": ("cadre__unit__name", "cadre__name"),
    "occurred": "occurred_on",
    "prohibition": ("prohibition", "-occurred_on"),
    "outcome": ("outcome", "-occurred_on"),
    "decided": ("decided_on", "-occurred_on"),
}
TALK_SORTS = {
    "name": ("cadre__name", "-held_on"),
    "unit": ("cadre__unit__name", "cadre__name"),
    "held": "held_on",
    "talker": ("talker", "-held_on"),
    "kind": (in_order("talker_kind", RecorderKind.values), "-held_on"),
}
# 待谈心谈话: the last talk with the never-talked first (before any date), as the list's
# default (the most overdue first); descending, the most recent talk first
_LAST_TALK = Coalesce("last_talk", Value(dt.date.min, output_field=DateField()))
TALK_OVERDUE_SORTS = {
    "name": ("cadre__name", _LAST_TALK),
    "unit": ("cadre__unit__name", "cadre__name"),
    "village": ("village__jurisdiction__code", in_order("role", Role.values), "cadre__name"),
    "last": (_LAST_TALK, "cadre__name"),
}
MGT10_TEXT = (
    "驻村干部须遵守“八必须、八严禁”(MGT.10);违纪违法受到处理的,由县级驻村工作领导协调机构"
    "研判召回(MGT.4.CAUSE)。记录不删除,更正以新记录取代原记录。"
)
LABELS = {
    "cadre_id": "干部",
    "record_id": "原记录",
    "occurred_on": "发生日期",
    "decided_on": "处理日期",
    "held_on": "谈话日期",
}


def _cadre_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("cadre", "").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**63 else None


def _cadre_choices(cadres: Any) -> list[tuple[str, str]]:
    rows = cadres.order_by("unit__name", "name", "id").values_list("pk", "name", "unit__name")
    return [("", "请选择干部"), *((str(pk), f"{name}({unit})") for pk, name, unit in rows)]


def _record_fields() -> list[Field]:
    return [
        Field("occurred_on", "发生日期", kind="date"),
        Field(
            "prohibition",
            "八必须、八严禁类别",
            kind="select",
            choices=[("", "请选择"), *PROHIBITION_LABELS.items()],
        ),
        Field(
            "description",
            "违纪违法事实",
            kind="textarea",
            attrs={"maxlength": "2000"},
        ),
        Field("found_by", "发现人或发现途径", help="如:县纪委监委督查组、群众举报"),
        Field(
            "outcome",
            "处理结果",
            kind="select",
            choices=[("", "请选择"), *OUTCOME_LABELS.items()],
        ),
        Field("decided_on", "处理日期(可选)", kind="date"),
    ]


def _record_values(values: dict[str, Any]) -> dict[str, Any]:
    """The form's values as the service takes them (it reads the dates with the rest)."""
    return {
        name: values[name]
        for name in (
            "occurred_on",
            "description",
            "found_by",
            "outcome",
            "prohibition",
            "decided_on",
        )
    }


# ---- discipline -------------------------------------------------------------------------------


@page_view
def discipline_list_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in DISCIPLINE_READERS:
        raise Forbidden(DISCIPLINE_READERS_TEXT)
    cadre = _cadre_param(request)
    standing = tristate(request.GET.get("standing")) is True
    outcome = request.GET.get("outcome", "").strip()
    outcome = outcome if outcome in OUTCOME_LABELS else ""
    prohibition = request.GET.get("prohibition", "").strip()
    prohibition = prohibition if prohibition in PROHIBITION_LABELS else ""
    f = {k: request.GET.get(k, "").strip() for k in ("q", "from", "to")}
    problems: list[str] = []
    qs = discipline_read.discipline_list(
        user=user,
        cadre=cadre,
        standing_only=standing,
        outcome=outcome,
        prohibition=prohibition,
        q=f["q"],
        since=date_filter(request, "from", "发生日期自", problems),
        until=date_filter(request, "to", "发生日期至", problems),
    )
    sort = sort_param(request, DISCIPLINE_SORTS, "-occurred")
    qs = sort.apply(qs)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_discipline_workbook(qs), "纪律处理记录.xlsx")
    page = paginate(request, qs)
    export = request.GET.copy()
    export.pop("page", None)
    export["format"] = "xlsx"
    return render(
        request,
        "web/review/discipline_list.html",
        {
            "nav_key": NAV,
            "page": page,
            "f": f,
            "sort": sort,
            "problems": problems,
            "intro": MGT10_TEXT,
            "can_write": user.role in DISCIPLINE_WRITERS,
            "cadre": cadre,
            "standing": standing,
            "outcome": outcome,
            "prohibition": prohibition,
            "outcomes": list(OUTCOME_LABELS.items()),
            "prohibitions": list(PROHIBITION_LABELS.items()),
            "outcome_labels": OUTCOME_LABELS,
            "export_query": export.urlencode(),
        },
    )


def _discipline_workbook(qs: Any) -> bytes:
    headers = [
        "干部",
        "派出单位",
        "发生日期",
        "八必须、八严禁类别",
        "违纪违法事实",
        "发现人或发现途径",
        "处理结果",
        "处理日期",
        "录入机构",
        "状态",
        "更正理由",
    ]
    cell = Style(border=BORDER, alignment=Alignment(wrap_text=True, vertical="top"))
    with Book() as book:
        sh = book.sheet("纪律处理记录")
        sh.table_layout(headers, [10, 18, 12, 22, 40, 16, 12, 12, 16, 8, 24])
        sh.title(f"驻村干部纪律处理记录(MGT.10,导出于{timezone.localdate():%Y-%m-%d})")
        sh.header(headers)
        for r in qs.iterator(chunk_size=500):
            sh.append(
                [
                    r.cadre.name,
                    r.cadre.unit.name,
                    r.occurred_on,
                    PROHIBITION_LABELS.get(r.prohibition, r.prohibition),
                    r.description,
                    r.found_by,
                    OUTCOME_LABELS.get(r.outcome, r.outcome),
                    r.decided_on,
                    _recorder(r),
                    "有效" if r.standing else "已更正",
                    r.correction_reason,
                ],
                cell,
            )
        return book.to_bytes()


def _recorder(r: DisciplineRecord) -> str:
    kind = KIND_LABELS.get(r.recorder_kind, "")
    return f"{r.jurisdiction.name}{kind}" if r.jurisdiction_id else kind


@page_view
def discipline_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    cadres = discipline_cadres(user)
    if user.role not in DISCIPLINE_WRITERS:
        raise Forbidden(discipline_write.WRITERS_TEXT)
    initial: dict[str, Any] = {"cadre_id": _cadre_param(request) or ""}
    form = SimpleForm(
        [Field("cadre_id", "干部", kind="select", choices=_cadre_choices(cadres))]
        + _record_fields(),
        initial,
    )
    if request.method == "POST":
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        try:
            if not str(values["cadre_id"]).isdigit():
                raise ValidationFailed({"cadre_id": "请选择干部"})
            r = discipline_write.discipline_record_create(
                actor=user, cadre_id=int(values["cadre_id"]), **_record_values(values)
            )
        except ValidationFailed as exc:
            form.add_errors(exc.errors, LABELS)
        else:
            messages.success(request, "已录入纪律处理记录。")
            return redirect("web:review_discipline_detail", pk=r.pk)
    return render(
        request,
        "web/review/discipline_new.html",
        {"nav_key": NAV, "form": form, "intro": MGT10_TEXT},
    )


@page_view
def discipline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    record = discipline_read.discipline_get(user=user, pk=pk)
    chain = discipline_read.discipline_chain(record)
    form = None
    if user.role in DISCIPLINE_WRITERS and record.standing:
        form = SimpleForm(
            [
                Field(
                    "reason",
                    "更正理由",
                    kind="textarea",
                    attrs={"maxlength": "300", "rows": "2"},
                )
            ]
            + _record_fields(),
            {
                "occurred_on": record.occurred_on,
                "prohibition": record.prohibition,
                "description": record.description,
                "found_by": record.found_by,
                "outcome": record.outcome,
                "decided_on": record.decided_on,
            },
        )
    if request.method == "POST":
        if form is None:
            if user.role not in DISCIPLINE_WRITERS:
                raise Forbidden(discipline_write.WRITERS_TEXT)
            messages.error(request, "该记录已被更正,不再有效,不能再次更正;请更正最新的记录。")
            return redirect("web:review_discipline_detail", pk=record.pk)
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        try:
            new = discipline_write.discipline_record_supersede(
                actor=user,
                record_id=record.pk,
                reason=values["reason"],
                **_record_values(values),
            )
        except ValidationFailed as exc:
            form.add_errors(exc.errors, LABELS)
        else:
            messages.success(request, "已更正:新记录取代原记录,原记录保留备查。")
            return redirect("web:review_discipline_detail", pk=new.pk)
    return render(
        request,
        "web/review/discipline_detail.html",
        {
            "nav_key": NAV,
            "r": record,
            "recorder": _recorder(record),
            "outcome_label": OUTCOME_LABELS.get(record.outcome, record.outcome),
            "prohibition_label": PROHIBITION_LABELS.get(record.prohibition, record.prohibition),
            "chain": [
                {
                    "r": x,
                    "current": x.pk == record.pk,
                    "standing": x.pk == chain[-1].pk,
                    "outcome_label": OUTCOME_LABELS.get(x.outcome, x.outcome),
                    "prohibition_label": PROHIBITION_LABELS.get(x.prohibition, x.prohibition),
                    "recorder": _recorder(x),
                }
                for x in chain
            ],
            "form": form,
            "intro": MGT10_TEXT,
        },
    )


# ---- talks --------------------------------------------------------------------------------------


@page_view
def talk_list_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in TALK_WRITERS:
        raise Forbidden(TALK_READERS_TEXT)
    cadre = _cadre_param(request)
    f = {k: request.GET.get(k, "").strip() for k in ("q", "kind", "from", "to")}
    problems: list[str] = []
    qs = talk_read.talk_list(
        user=user,
        cadre=cadre,
        q=f["q"],
        talker_kind=f["kind"] if f["kind"] in KIND_LABELS else "",
        since=date_filter(request, "from", "谈话日期自", problems),
        until=date_filter(request, "to", "谈话日期至", problems),
    )
    sort = sort_param(request, TALK_SORTS, "-held")
    page = paginate(request, sort.apply(qs))
    return render(
        request,
        "web/review/talk_list.html",
        {
            "nav_key": NAV,
            "page": page,
            "f": f,
            "sort": sort,
            "problems": problems,
            "kinds": list(KIND_LABELS.items()),
            "cadre": cadre,
            "can_write": user.role in TALK_WRITERS,
            "kind_labels": KIND_LABELS,
        },
    )


@page_view
def talk_new(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in TALK_WRITERS:
        raise Forbidden(talk_write.WRITERS_TEXT)
    form = SimpleForm(
        [
            Field("cadre_id", "干部", kind="select", choices=_cadre_choices(talk_cadres(user))),
            Field("held_on", "谈话日期", kind="date"),
            Field("talker", "谈话人(姓名、职务)"),
            Field("topics", "谈话内容", kind="textarea", attrs={"maxlength": "2000"}),
            Field("follow_up", "跟进事项(可选)", kind="textarea", attrs={"maxlength": "2000"}),
        ],
        {"cadre_id": _cadre_param(request) or "", "held_on": timezone.localdate()},
    )
    if request.method == "POST":
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        try:
            if not str(values["cadre_id"]).isdigit():
                raise ValidationFailed({"cadre_id": "请选择干部"})
            talk_write.talk_create(
                actor=user,
                cadre_id=int(values["cadre_id"]),
                held_on=values["held_on"],
                talker=values["talker"],
                topics=values["topics"],
                follow_up=values["follow_up"],
            )
        except ValidationFailed as exc:
            form.add_errors(exc.errors, LABELS)
        else:
            messages.success(request, "已录入谈心谈话记录。")
            return redirect("web:review_talk_list")
    return render(request, "web/review/talk_new.html", {"nav_key": NAV, "form": form})


@page_view
def talk_overdue_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role not in TALK_WRITERS:
        raise Forbidden(TALK_READERS_TEXT)
    today = timezone.localdate()
    params = parameters_current()
    sort = sort_param(request, TALK_OVERDUE_SORTS, "last")
    page = paginate(
        request, sort.apply(talk_read.talks_overdue(user=user, today=today, params=params))
    )
    rows = talk_read.overdue_rows(page.object_list, today=today, params=params)
    return render(
        request,
        "web/review/talk_overdue.html",
        {
            "nav_key": NAV,
            "page": page,
            "rows": rows,
            "today": today,
            "sort": sort,
            "can_write": user.role in TALK_WRITERS,
        },
    )


urlpatterns = [
    path("review/discipline/", discipline_list_page, name="review_discipline_list"),
    path("review/discipline/new/", discipline_new, name="review_discipline_new"),
    path("review/discipline/<int:pk>/", discipline_detail, name="review_discipline_detail"),
    path("review/talks/", talk_list_page, name="review_talk_list"),
    path("review/talks/new/", talk_new, name="review_talk_new"),
    path("review/talks/overdue/", talk_overdue_page, name="review_talk_overdue"),
]
