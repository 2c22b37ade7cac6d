"""集中培训 pages (MGT.7): the events of a year with the organisers' form, an event's
participants (ticked on the page, filtered by township, or imported from the sign-in sheet),
each cadre's concentrated training days (MGT.7.DAYS) and the coverage gaps (MGT.7.COVER),
both also as .xlsx. Every write calls its service; scope and rules are decided there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from openpyxl.styles import Alignment

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.core.files_out import BORDER, Book, Style
from zhucun.registry.models import Jurisdiction, Level
from zhucun.support.scope import ORGANISERS, READERS, cadre_q
from zhucun.support.selectors import training as read
from zhucun.support.services import training as write

from ._common import Field, SimpleForm, page_view, paginate
from ._sorting import sort_param
from .imports import max_upload, upload_too_large, xlsx_response

NAV = "support"
READERS_TEXT = "集中培训由州、县(市)组织,组织部门、乡镇(街道)和派出单位查阅(MGT.7)"
INTRO = (
    "州、县每年至少组织1次驻村干部全员轮训(MGT.7.ANNUAL);州级对第一书记、县级对第一书记和"
    "工作队员每年全覆盖培训(MGT.7.COVER)。参训期间计为在岗,无需另行请假(MGT.1.DAYS)。"
)
TRAINING_SORTS = {
    "title": ("title", "-start"),
    "organiser": ("organiser__code", "-start"),
    "start": ("start", "title"),
    "days": ("days", "-start"),
}

LABELS = {"cadre_ids": "参训人员", "file": "签到表"}


def _reader(user: Any) -> None:
    if user.role not in READERS:
        raise Forbidden(READERS_TEXT)


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "").strip()
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this + 1, this - 6, -1))


def _event_fields() -> list[Field]:
    return [
        Field("title", "培训名称", attrs={"maxlength": "200"}),
        Field("start", "开始日期", kind="date"),
        Field("end", "结束日期", kind="date"),
        Field("days", "集中培训天数", kind="number", help="可为半天,如2.5", attrs={"step": "0.5"}),
        Field("content", "培训内容", kind="textarea", attrs={"maxlength": "2000", "rows": "3"}),
    ]


@page_view
def training_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _reader(user)
    year = _year(request)
    can_create = user.role in ORGANISERS
    form = SimpleForm(_event_fields(), {}) if can_create else None
    if request.method == "POST":
        if form is None:
            raise Forbidden("集中培训由州级或县级驻村工作领导协调机构组织和登记(MGT.7.ANNUAL)")
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        try:
            event = write.training_event_create(actor=user, **values)
        except ValidationFailed as exc:
            form.add_errors(exc.errors, LABELS)
        else:
            messages.success(request, "已登记集中培训,请登记参训人员。")
            return redirect("web:training_detail", pk=event.pk)
    sort = sort_param(request, TRAINING_SORTS, "-start")
    page = paginate(request, sort.apply(read.training_event_list(user=user, year=year)))
    return render(
        request,
        "web/support/training_list.html",
        {
            "nav_key": NAV,
            "page": page,
            "sort": sort,
            "year": year,
            "years": _years(),
            "form": form,
            "intro": INTRO,
        },
    )


def _can_write(user: Any, event: Any) -> bool:
    if user.role not in ORGANISERS:
        return False
    try:
        return write.event_for_writing(user, event.pk) is not None
    except Forbidden:
        return False


@page_view
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _reader(user)
    event = read.training_event_get(user=user, pk=pk)
    can_write = _can_write(user, event)
    errors: list[str] = []
    township = request.GET.get("township", "").strip()
    if request.method == "POST":
        if not can_write:
            raise Forbidden("只有主办该培训的州或县(市)可以登记参训人员")
        try:
            if request.POST.get("action") == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationFailed({"file": "请选择签到表(.xlsx 或 .csv)"})
                if upload.size > max_upload():
                    raise ValidationFailed({"file": upload_too_large()})
                added = write.training_attendance_import(
                    actor=user, event_id=event.pk, data=upload.read(), filename=upload.name or ""
                )
                messages.success(request, f"已导入签到表,新增参训人员{len(added)}名。")
            else:
                shown = {int(x) for x in request.POST.getlist("shown") if x.isdigit()}
                ticked = {int(x) for x in request.POST.getlist("cadre") if x.isdigit()}
                current = set(read.attendance_list(event=event).values_list("cadre_id", flat=True))
                write.training_attendance_set(
                    actor=user, event_id=event.pk, cadre_ids=(current - shown) | (ticked & shown)
                )
                messages.success(request, "已保存参训人员;参训期间计为在岗。")
        except ValidationFailed as exc:
            errors = [f"{LABELS[k]}:{v}" if k in LABELS else v for k, v in exc.errors.items()]
        else:
            return redirect(request.get_full_path())
    attendance = read.attendance_list(event=event).filter(cadre_q(user))
    ctx: dict[str, Any] = {
        "nav_key": NAV,
        "event": event,
        "attendance": None if can_write else paginate(request, attendance),
        "attending": attendance.count(),
        "can_write": can_write,
        "errors": errors,
        "township": township,
        "intro": INTRO,
    }
    if can_write:
        eligible = write.event_postings(event).select_related(
            "cadre__unit", "village__jurisdiction"
        )
        if township:
            eligible = eligible.filter(village__township__code=township)
        eligible = eligible.order_by("village__jurisdiction__path", "cadre__name", "pk")
        tick = paginate(request, eligible, per_page=50)
        ids = [p.cadre_id for p in tick.object_list]
        have = set(attendance.filter(cadre_id__in=ids).values_list("cadre_id", flat=True))
        ctx["tick"] = tick
        ctx["ticked"] = have
        ctx["townships"] = Jurisdiction.objects.filter(
            level=Level.TOWNSHIP, path__startswith=event.organiser.path
        ).order_by("code")
    return render(request, "web/support/training_detail.html", ctx)


@page_view
def training_template(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _reader(user)
    event = read.training_event_get(user=user, pk=pk)
    data = write.training_template_for(actor=user, event_id=event.pk)
    return xlsx_response(data, f"{event.title}签到表.xlsx")


@page_view
def training_days(request: HttpRequest) -> HttpResponse:
    user = request.user
    _reader(user)
    year = _year(request)
    short = request.GET.get("short") == "1"
    qs = read.training_days(user=user, year=year, short_only=short)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_days_book(qs, year), f"{year}年驻村干部集中培训天数.xlsx")
    return render(
        request,
        "web/support/training_days.html",
        {
            "nav_key": NAV,
            "page": paginate(request, qs),
            "year": year,
            "years": _years(),
            "short": short,
        },
    )


def _days_book(qs: Any, year: int) -> bytes:
    headers = [
        "县(市)",
        "驻村村(社区)",
        "姓名",
        "驻村职务",
        "派出单位",
        "集中培训天数",
        "最少天数",
        "是否达标",
    ]
    cell = Style(border=BORDER, alignment=Alignment(vertical="top"))
    with Book() as book:
        sh = book.sheet("集中培训天数")
        sh.table_layout(headers, [12, 18, 10, 10, 20, 12, 10, 10])
        sh.title(f"{year}年驻村干部集中培训天数(MGT.7.DAYS,导出于{timezone.localdate():%Y-%m-%d})")
        sh.header(headers)
        for p in qs.iterator(chunk_size=500):
            county = p.village.township.parent
            sh.append(
                [
                    county.name if county else "",
                    p.village.jurisdiction.name,
                    p.cadre.name,
                    p.get_role_display(),
                    p.cadre.unit.name,
                    p.days,
                    p.limit,
                    "不足" if p.short else "达标",
                ],
                cell,
            )
        return book.to_bytes()


@page_view
def training_gaps(request: HttpRequest) -> HttpResponse:
    user = request.user
    _reader(user)
    year = _year(request)
    county = request.GET.get("county", "").strip()
    unit = request.GET.get("unit", "").strip()
    qs = read.coverage_gaps(user=user, year=year, county=county or None, unit=unit or None)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(_gaps_book(qs, year), f"{year}年驻村干部培训覆盖缺口.xlsx")
    return render(
        request,
        "web/support/training_gaps.html",
        {
            "nav_key": NAV,
            "page": paginate(request, qs),
            "year": year,
            "years": _years(),
            "county": county,
            "unit": unit,
            "counties": read.gap_counties(user=user),
        },
    )


def _gaps_book(qs: Any, year: int) -> bytes:
    headers = ["县(市)", "派出单位", "姓名", "驻村职务", "驻村村(社区)", "缺州级培训", "缺县级培训"]
    cell = Style(border=BORDER, alignment=Alignment(vertical="top"))
    with Book() as book:
        sh = book.sheet("培训覆盖缺口")
        sh.table_layout(headers, [12, 20, 10, 10, 18, 12, 12])
        sh.title(f"{year}年驻村干部培训覆盖缺口(MGT.7.COVER,导出于{timezone.localdate():%Y-%m-%d})")
        sh.header(headers)
        for p in qs.iterator(chunk_size=500):
            county = p.village.township.parent
            sh.append(
                [
                    county.name if county else "",
                    p.cadre.unit.name,
                    p.cadre.name,
                    p.get_role_display(),
                    p.village.jurisdiction.name,
                    "缺" if p.no_prefecture else "",
                    "缺" if p.no_county else "",
                ],
                cell,
            )
        return book.to_bytes()


urlpatterns = [
    path("training/", training_list, name="training_list"),
    path("training/days/", training_days, name="training_days"),
    path("training/gaps/", training_gaps, name="training_gaps"),
    path("training/<int:pk>/", training_detail, name="training_detail"),
    path("training/<int:pk>/template/", training_template, name="training_template"),
]
