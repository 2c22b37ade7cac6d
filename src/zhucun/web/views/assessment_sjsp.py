"""“三讲三评” pages (MGT.8.SJSP): the events of a quarter, a new event, an event with its tally
grid (every team member × voter group), the import of a township's sheet and its template,
the rectifications with their plan and close forms, the villages without an event and the
township summary (page, print, .xlsx). Every write calls its service; scope and rules are
decided there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from zhucun.accounts.models import User
from zhucun.assessment import sjsp_exports
from zhucun.assessment.scope import SJSP_READERS, SJSP_WRITERS, sjsp_villages
from zhucun.assessment.selectors import sjsp as read
from zhucun.assessment.services import sjsp as write
from zhucun.assessment.services import sjsp_import
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.policy.assessment import VOTE_LABELS, VOTER_GROUP_LABELS, VOTER_GROUPS, VOTES, percent
from zhucun.policy.review import quarter_label

from ._common import Field, SimpleForm, page_view, paginate
from ._sorting import sort_param
from .imports import max_upload, upload_too_large, xlsx_response

SJSP_SORTS = {
    "quarter": (
        "-year",
        "-quarter",
        "village__township__code",
        "village__jurisdiction__code",
    ),
    "township": ("village__township__code", "village__jurisdiction__code", "-year", "-quarter"),
    "village": ("village__jurisdiction__code", "-year", "-quarter"),
    "held": ("held_on", "village__jurisdiction__code"),
    "cadres": ("cadres_evaluated", "-year", "-quarter"),
    "open": ("open_rectifications", "-year", "-quarter"),
}

NAV = "assessment"
READERS_TEXT = (
    "“三讲三评”由乡镇(街道)党(工)委和县级驻村工作领导协调机构录入,州委组织部、村第一书记和"
    "派出单位查阅(MGT.8.SJSP)"
)
INTRO = (
    "每季度开展“三讲三评”:驻村干部讲帮扶措施、评帮扶成效;村组干部讲履职情况、评工作成效;"
    "村群众讲发展变化、评内生动力。村(社区)干部、党员和群众代表对每名驻村干部评“好”“较好”"
    "“一般”“差”,满意度=(好+较好)÷全部票数;评价结果纳入年度考核和驻村期满考核(MGT.8.SJSP)。"
)
LABELS = {
    "village_id": "村(社区)",
    "year": "年度",
    "quarter": "季度",
    "held_on": "活动日期",
    "plan": "整改措施",
    "due": "整改期限",
    "closed_on": "整改完成日期",
    "closing_note": "整改情况",
    "file": "导入文件",
    "rows": "票数",
}


def _reader(user: User) -> None:
    if user.role not in SJSP_READERS:
        raise Forbidden(READERS_TEXT)


def _int(raw: str | None, low: int, high: int) -> int | None:
    s = (raw or "").strip()
    return int(s) if s.isdigit() and low <= int(s) <= high else None


def _current() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, (today.month - 1) // 3 + 1


def _quarter_choice(request: HttpRequest, *, default: bool) -> tuple[int | None, int | None]:
    this_year, this_quarter = _current()
    year = _int(request.GET.get("year"), 2000, this_year)
    quarter = _int(request.GET.get("quarter"), 1, 4)
    if default and (year is None or quarter is None):
        return year or this_year, quarter or this_quarter
    return year, quarter


def _filter_ctx(year: int | None, quarter: int | None) -> dict[str, Any]:
    this_year, _q = _current()
    return {
        "year": year,
        "quarter": quarter,
        "years": list(range(this_year, 2020, -1)),
        "quarters": [1, 2, 3, 4],
    }


def _threshold_ctx(threshold: Any) -> dict[str, Any]:
    """The threshold as the page says it (None: 本辖区尚未设置)."""
    return {
        "threshold_set": threshold is not None,
        "threshold_percent": percent(threshold) if threshold is not None else "",
    }


def _user_threshold(user: User) -> Any:
    """The threshold where ``user`` works, as ``{% param %}`` reads it (None: unset), so that
    the page quotes the parameter only when it has a value."""
    from zhucun.params.selectors import parameters_current
    from zhucun.policy.assessment import threshold

    from ..templatetags.web import _place_code

    return threshold(
        params=parameters_current(), on=timezone.localdate(), jurisdiction=_place_code(user)
    )


# ---- events -----------------------------------------------------------------------------------


@page_view
def sjsp_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _reader(user)
    year, quarter = _quarter_choice(request, default=False)
    sort = sort_param(request, SJSP_SORTS, "quarter")
    page = paginate(
        request, sort.apply(read.sjsp_event_list(user=user, year=year, quarter=quarter))
    )
    for e in page.object_list:
        e.label = quarter_label(e.year, e.quarter)
    return render(
        request,
        "web/assessment/sjsp_list.html",
        {
            "nav_key": NAV,
            "page": page,
            "sort": sort,
            "intro": INTRO,
            "can_write": user.role in SJSP_WRITERS,
            **_filter_ctx(year, quarter),
            **_threshold_ctx(_user_threshold(user)),
        },
    )


@page_view
def sjsp_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    write.require_writer(user)
    villages = sjsp_villages(user).select_related("jurisdiction", "township")
    choices = [("", "请选择村(社区)")] + [
        (str(v.pk), f"{v.township.name} {v.jurisdiction.name}")
        for v in villages.order_by("township__code", "jurisdiction__code")[:2000]
    ]
    year, quarter = _current()
    form = SimpleForm(
        [
            Field("village_id", "村(社区)", kind="select", choices=choices),
            Field("year", "年度", help="如:2026"),
            Field(
                "quarter",
                "季度",
                kind="select",
                choices=[(str(q), f"第{q}季度") for q in (1, 2, 3, 4)],
            ),
            Field("held_on", "活动日期", kind="date"),
            Field(
                "summary",
                "三讲情况(讲帮扶措施、讲履职情况、讲发展变化)",
                kind="textarea",
                attrs={"maxlength": "2000"},
            ),
        ],
        {
            "village_id": request.GET.get("village", ""),
            "year": year,
            "quarter": quarter,
            "held_on": timezone.localdate(),
        },
    )
    if request.method == "POST":
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        try:
            if not str(values["village_id"]).isdigit():
                raise ValidationFailed({"village_id": "请选择村(社区)"})
            event = write.sjsp_event_record(
                actor=user,
                village_id=int(values["village_id"]),
                year=values["year"],
                quarter=values["quarter"],
                held_on=values["held_on"],
                summary=values["summary"],
            )
        except ValidationFailed as exc:
            form.add_errors(exc.errors, LABELS)
        else:
            messages.success(request, "已录入“三讲三评”活动,请录入票数。")
            return redirect("web:sjsp_detail", pk=event.pk)
    return render(
        request, "web/assessment/sjsp_new.html", {"nav_key": NAV, "form": form, "intro": INTRO}
    )


def _grid_rows(post: Any, team: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The grid's filled groups as service rows: a group whose four boxes are empty is left
    as it was; in a group with some counts an empty box is 0."""
    rows = []
    for r in team:
        pk = r["cadre"].pk
        for g in VOTER_GROUPS:
            cells = {v: post.get(f"t-{pk}-{g}-{v}", "").strip() for v in VOTES}
            if not any(cells.values()):
                continue
            rows.append({"cadre_id": pk, "group": g, **{v: c or "0" for v, c in cells.items()}})
    return rows


def _can_write_event(user: User, event: Any) -> bool:
    return user.role in SJSP_WRITERS and sjsp_villages(user).filter(pk=event.village_id).exists()


@page_view
def sjsp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _reader(user)
    event = read.sjsp_event_get(user=user, pk=pk)
    can_write = _can_write_event(user, event)
    errors: list[str] = []
    if request.method == "POST":
        if not can_write:
            raise Forbidden(write.WRITERS_TEXT)
        action = request.POST.get("action", "")
        try:
            if action == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationFailed({"file": "请选择要导入的票数表(.xlsx 或 .csv)"})
                if upload.size > max_upload():
                    raise ValidationFailed({"file": upload_too_large()})
                sjsp_import.sjsp_tallies_import(
                    actor=user, event_id=event.pk, data=upload.read(), filename=upload.name or ""
                )
                messages.success(request, "已导入票数,满意度已重新计算。")
            else:
                rows = _grid_rows(request.POST, read.event_rows(event, user))
                write.sjsp_tallies_record(actor=user, event_id=event.pk, rows=rows)
                messages.success(request, "已保存票数,满意度已重新计算。")
        except ValidationFailed as exc:
            errors = [
                f"{LABELS.get(k, '')}{':' if k in LABELS else ''}{v}" for k, v in exc.errors.items()
            ]
        else:
            return redirect("web:sjsp_detail", pk=event.pk)
    rows = read.event_rows(event, user)
    for r in rows:
        r["percent"] = percent(r["satisfaction"]) if r["satisfaction"] is not None else ""
        r["satisfaction_text"] = (
            f"{r['total'].satisfied}/{r['total'].total}" if r["total"].total else ""
        )
    threshold = read.event_threshold(event)
    return render(
        request,
        "web/assessment/sjsp_detail.html",
        {
            "nav_key": NAV,
            "event": event,
            "label": quarter_label(event.year, event.quarter),
            "rows": rows,
            "errors": errors,
            "can_write": can_write,
            "groups": [(g, VOTER_GROUP_LABELS[g]) for g in VOTER_GROUPS],
            "votes": [(v, VOTE_LABELS[v]) for v in VOTES],
            "intro": INTRO,
            **_threshold_ctx(threshold),
        },
    )


@page_view
def sjsp_template(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    _reader(user)
    event = read.sjsp_event_get(user=user, pk=pk)
    if not _can_write_event(user, event):
        raise Forbidden(write.WRITERS_TEXT)
    name = f"{event.village.jurisdiction.name}{quarter_label(event.year, event.quarter)}三讲三评票数.xlsx"
    return xlsx_response(sjsp_import.sjsp_template(event), name)


# ---- lists ---------------------------------------------------------------------------------------


@page_view
def sjsp_missing(request: HttpRequest) -> HttpResponse:
    user = request.user
    _reader(user)
    year, quarter = _quarter_choice(request, default=True)
    assert year is not None and quarter is not None
    page = paginate(request, read.missing_events(user=user, year=year, quarter=quarter))
    return render(
        request,
        "web/assessment/sjsp_missing.html",
        {
            "nav_key": NAV,
            "page": page,
            "label": quarter_label(year, quarter),
            "can_write": user.role in SJSP_WRITERS,
            **_filter_ctx(year, quarter),
        },
    )


@page_view
def sjsp_summary(request: HttpRequest) -> HttpResponse:
    user = request.user
    _reader(user)
    year, quarter = _quarter_choice(request, default=True)
    assert year is not None and quarter is not None
    title = sjsp_exports.summary_title(user, year, quarter)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(sjsp_exports.summary_workbook(user, year, quarter), f"{title}.xlsx")
    rows, total = sjsp_exports.summary_rows(user, year, quarter)
    template = (
        "web/assessment/sjsp_summary_print.html"
        if request.GET.get("print") == "1"
        else "web/assessment/sjsp_summary.html"
    )
    return render(
        request,
        template,
        {
            "nav_key": NAV,
            "title": title,
            "headers": sjsp_exports.HEADERS,
            "rows": rows,
            "total": total,
            "today": timezone.localdate(),
            **_filter_ctx(year, quarter),
        },
    )


@page_view
def sjsp_rectifications(request: HttpRequest) -> HttpResponse:
    user = request.user
    _reader(user)
    show_all = request.GET.get("all") == "1"
    errors: dict[int, list[str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        rid = _int(request.POST.get("id"), 1, 2**62)
        try:
            if rid is None:
                raise ValidationFailed({"id": "请选择整改记录"})
            if action == "close":
                write.rectification_close(
                    actor=user,
                    rectification_id=rid,
                    closed_on=request.POST.get("closed_on", ""),
                    closing_note=request.POST.get("closing_note", ""),
                )
                messages.success(request, "已记录整改完成。")
            else:
                write.rectification_plan_set(
                    actor=user,
                    rectification_id=rid,
                    plan=request.POST.get("plan", ""),
                    due=request.POST.get("due", ""),
                )
                messages.success(request, "已保存整改措施和期限。")
        except ValidationFailed as exc:
            errors[rid or 0] = [
                f"{LABELS.get(k, '')}{':' if k in LABELS else ''}{v}" for k, v in exc.errors.items()
            ]
        else:
            return redirect(request.get_full_path())
    page = paginate(request, read.rectification_list(user=user, open_only=not show_all))
    for r in page.object_list:
        r.label = quarter_label(r.event.year, r.event.quarter)
        r.errors = errors.get(r.pk, [])
        r.percent = _fraction_percent(r.satisfaction)
        r.threshold_percent = _fraction_percent(r.threshold)
    return render(
        request,
        "web/assessment/sjsp_rectifications.html",
        {
            "nav_key": NAV,
            "page": page,
            "show_all": show_all,
            "can_write": user.role in SJSP_WRITERS,
            "today": timezone.localdate(),
            "other_errors": errors.get(0, []),
        },
    )


def _fraction_percent(text: str) -> str:
    from fractions import Fraction

    try:
        return percent(Fraction(text))
    except (ValueError, ZeroDivisionError):
        return ""


urlpatterns = [
    path("sjsp/", sjsp_list, name="sjsp_list"),
    path("sjsp/new/", sjsp_new, name="sjsp_new"),
    path("sjsp/missing/", sjsp_missing, name="sjsp_missing"),
    path("sjsp/summary/", sjsp_summary, name="sjsp_summary"),
    path("sjsp/rectifications/", sjsp_rectifications, name="sjsp_rectifications"),
    path("sjsp/<int:pk>/", sjsp_detail, name="sjsp_detail"),
    path("sjsp/<int:pk>/template.xlsx", sjsp_template, name="sjsp_template"),
]
