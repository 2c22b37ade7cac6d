"""工作例会与任务清单 (MGT.2) pages: the first secretary's phone page to record the week's
meeting (/m/meeting/: date today, the team ticked, up to three tasks, one tap), the meeting
list with the weeks without a meeting, the meeting's detail and print page, the month's
会议记录 as .xlsx, and the task list with the overdue tasks and a done button. Every write
calls zhucun.work.services.meetings; scope and rules are decided there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone

from zhucun.accounts.models import UserRole
from zhucun.attendance.models import DUTY_CODES
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.core.files_out import BORDER, Book, Style
from zhucun.policy.dates import month_label
from zhucun.policy.work import TASK_STATE_LABELS, week_label
from zhucun.registry.models import Village
from zhucun.work.scope import team_village_id, villages_readable
from zhucun.work.selectors import meetings as read
from zhucun.work.services import meetings as svc

from ._common import PER_PAGE, page_view, paginate
from ._sorting import sort_param
from .attendance_common import month_choices, month_param, refuse_unless
from .imports import xlsx_response

TASK_ROWS = 3
MISSING_ROLES = frozenset(
    {
        UserRole.ADMIN,
        UserRole.PREFECTURE,
        UserRole.COUNTY,
        UserRole.TOWNSHIP,
        UserRole.FIRST_SECRETARY,
    }
)
MEETING_SORTS = {
    "held": "held_on",
    "village": ("village__jurisdiction__code", "-held_on"),
    "recorded": "recorded_at",
}
TASK_SORTS = {
    "village": ("village__jurisdiction__code", "due"),
    "title": ("title", "due"),
    "owner": ("owner__name", "due"),
    "due": ("due", "village__jurisdiction__code"),
    "duty": ("duty", "due"),
    "state": ("state", "due"),
}

FIELD_NAMES = {
    "held_on": "会议日期",
    "attendee_ids": "参会人员",
    "topics": "议题",
    "decisions": "议定事项",
    "tasks": "任务",
    "title": "任务",
    "owner_id": "责任人",
    "due": "完成时限",
    "duty": "职责任务类别",
    "done_on": "完成日期",
    "done_note": "完成情况",
    "task_id": "任务",
}
MGT2_TEXT = "第一书记每周召集1次工作例会,研究工作、开列任务清单、明确责任主体(MGT.2)。"


def error_list(errors: dict[str, str]) -> list[str]:
    """Reasons with Chinese field names (``tasks.1.owner_id`` → 第2项任务 责任人)."""
    out = []
    for key, reason in errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit():  # noqa: PLR2004
            label = f"第{int(parts[1]) + 1}项{FIELD_NAMES.get(parts[0], '')}的{FIELD_NAMES.get(parts[2], '')}"
        else:
            label = FIELD_NAMES.get(key, "")
        out.append(f"{label}:{reason}" if label else reason)
    return out


def duty_choices() -> list[tuple[str, str]]:
    return [(code, f"{name}({code})") for code, name in DUTY_CODES.items()]


def _village_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("village", "").strip()
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**63 else None


# ---- the phone page ---------------------------------------------------------------------------


@page_view
def meeting_new(request: HttpRequest) -> HttpResponse:
    if (refused := refuse_unless(request, (UserRole.FIRST_SECRETARY,))) is not None:
        return refused
    user = request.user
    today = timezone.localdate()
    posting = None
    team: list[Any] = []
    try:
        posting = svc.fs_posting(user)
        team = list(
            svc.team_cadre_ids(posting.village_id, today)
            .select_related("cadre")
            .order_by("role", "cadre__name")
        )
    except Forbidden:  # a first secretary without a posting sees the notice
        posting = None
    values: dict[str, Any] = {"held_on": today.isoformat(), "topics": "", "decisions": ""}
    picked = {p.cadre_id for p in team}
    rows = [{"title": "", "owner_id": "", "due": "", "duty": ""} for _ in range(TASK_ROWS)]
    errors: list[str] = []
    if request.method == "POST" and posting is not None:
        values = {k: request.POST.get(k, "") for k in ("held_on", "topics", "decisions")}
        picked_raw = request.POST.getlist("attendee_ids")
        picked = {int(x) for x in picked_raw if x.isdigit() and len(x) < 19}
        rows = [
            {
                k: request.POST.get(f"task{i}_{k}", "").strip()
                for k in ("title", "owner_id", "due", "duty")
            }
            for i in range(TASK_ROWS)
        ]
        tasks = [r for r in rows if r["title"]]
        try:
            m = svc.meeting_record(
                actor=user,
                held_on=values["held_on"],
                attendee_ids=picked_raw,
                topics=values["topics"],
                decisions=values["decisions"],
                tasks=tasks,
            )
        except ValidationFailed as exc:
            errors = error_list(exc.errors)
        else:
            messages.success(
                request, f"已保存{m.held_on:%Y-%m-%d}的工作例会记录,任务{len(tasks)}项(MGT.2)"
            )
            return redirect("web:work_meeting_detail", pk=m.pk)
    return render(
        request,
        "web/work/meeting_new.html",
        {
            "nav_key": "work",
            "posting": posting,
            "today": today,
            "values": values,
            "team": [
                (p.cadre_id, p.cadre.name, p.get_role_display(), p.cadre_id in picked) for p in team
            ],
            "owners": [(p.cadre_id, p.cadre.name) for p in team],
            "rows": [{"n": i, **r} for i, r in enumerate(rows)],
            "duties": duty_choices(),
            "errors": errors,
            "mgt2_text": MGT2_TEXT,
        },
    )


# ---- list, detail, print, xlsx ------------------------------------------------------------------


@page_view
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    month = month_param(request, default=today.replace(day=1))
    village = _village_param(request)
    sort = sort_param(request, MEETING_SORTS, "-held")
    page = paginate(request, sort.apply(read.meeting_list(user=user, village=village, month=month)))
    missing = (
        read.missing_meeting_weeks(user=user, month=month, today=today)
        if user.role in MISSING_ROLES
        else []
    )
    for r in missing:
        r["week_label"] = week_label(r["week"])
    own = team_village_id(user)
    export_village = village or own
    return render(
        request,
        "web/work/meeting_list.html",
        {
            "nav_key": "work",
            "page": page,
            "sort": sort,
            "months": month_choices(month),
            "month": month,
            "month_label": month_label(month),
            "missing": missing,
            "show_missing": user.role in MISSING_ROLES,
            "can_record": user.role == UserRole.FIRST_SECRETARY and own is not None,
            "export_village": export_village,
            "mgt2_text": MGT2_TEXT,
        },
    )


def _detail_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    m = read.meeting_get(user=request.user, pk=pk)
    return {
        "nav_key": "work",
        "m": m,
        "week_label": week_label(m.week),
        "attendees": sorted(m.attendees.all(), key=lambda c: c.name),
        "tasks": [
            {
                "t": t,
                "duty": DUTY_CODES.get(t.duty, t.duty),
                "state": TASK_STATE_LABELS.get(t.state, t.state),
            }
            for t in m.tasks.all()
        ],
    }


@page_view
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "web/work/meeting_detail.html", _detail_context(request, pk))


@page_view
def meeting_print(request: HttpRequest, pk: int) -> HttpResponse:
    ctx = _detail_context(request, pk)
    ctx["day"] = timezone.localdate()
    return render(request, "web/work/meeting_print.html", ctx)


@page_view
def meeting_xlsx(request: HttpRequest) -> HttpResponse:
    """会议记录: a village's meetings of a month (the village read by the user)."""
    user = request.user
    today = timezone.localdate()
    month = month_param(request, default=today.replace(day=1))
    vid = _village_param(request) or team_village_id(user)
    village = (
        villages_readable(user).select_related("jurisdiction", "township").filter(pk=vid).first()
        if vid
        else None
    )
    if village is None:
        return render(
            request,
            "web/404.html",
            {"message": "请选择您可查看的村后再导出会议记录"},
            status=404,
        )
    qs = read.meeting_list(user=user, village=village.pk, month=month).prefetch_related(
        "attendees", "tasks__owner"
    )
    return xlsx_response(
        meeting_workbook(village, month, qs),
        f"会议记录_{village.jurisdiction.name}_{month:%Y-%m}.xlsx",
    )


def meeting_workbook(village: Village, month: dt.date, qs: Any) -> bytes:
    headers = ["会议日期", "所在周", "参会人员", "议题", "议定事项", "任务(责任人、时限、类别)"]
    cell = Style(border=BORDER)
    with Book() as book:
        sh = book.sheet("会议记录")
        sh.table_layout(headers, [12, 26, 24, 40, 40, 48])
        town = village.township.name if village.township_id else ""
        sh.title(
            f"{town}{village.jurisdiction.name}驻村工作队工作例会记录({month_label(month)},MGT.2)"
        )
        sh.header(headers)
        for m in qs:
            tasks = ";".join(
                f"{t.title}({t.owner.name},{t.due:%Y-%m-%d}前,{DUTY_CODES.get(t.duty, t.duty)})"
                for t in m.tasks.all()
            )
            sh.append(
                [
                    m.held_on,
                    week_label(m.week),
                    "、".join(sorted(c.name for c in m.attendees.all())),
                    m.topics,
                    m.decisions,
                    tasks,
                ],
                cell,
            )
        sh.signature(unit=f"{village.jurisdiction.name}驻村工作队")
        return book.to_bytes()


# ---- tasks -------------------------------------------------------------------------------------


@page_view
def tasks_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    state = request.GET.get("state", "").strip()
    if state not in TASK_STATE_LABELS:
        state = ""
    own = team_village_id(user)
    sort = sort_param(request, TASK_SORTS, "state")
    tasks = paginate(
        request, sort.apply(read.task_list(user=user, village=own, state=state or None))
    )
    overdue = Paginator(read.tasks_overdue(user=user, today=today), PER_PAGE).get_page(
        request.GET.get("opage")
    )
    for t in [*tasks.object_list, *overdue.object_list]:
        t.duty_label = DUTY_CODES.get(t.duty, t.duty)
        t.state_label = TASK_STATE_LABELS.get(t.state, t.state)
        t.days_overdue = (today - t.due).days
        t.may_finish = t.state == "open" and (
            (user.role == UserRole.FIRST_SECRETARY and own == t.village_id)
            or (user.cadre_id is not None and user.cadre_id == t.owner_id)
        )
    return render(
        request,
        "web/work/task_list.html",
        {
            "nav_key": "work",
            "tasks": tasks,
            "page": tasks,
            "sort": sort,
            "overdue": overdue,
            "state": state,
            "states": list(TASK_STATE_LABELS.items()),
            "today": today,
            "mgt2_text": MGT2_TEXT,
        },
    )


@page_view
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method != "POST":
        return redirect("web:work_tasks")
    try:
        t = svc.task_done(
            actor=request.user,
            task_id=pk,
            done_on=request.POST.get("done_on") or timezone.localdate(),
            done_note=request.POST.get("done_note", ""),
        )
    except ValidationFailed as exc:
        messages.error(request, ";".join(error_list(exc.errors)))
    else:
        messages.success(request, f"任务“{t.title}”已标记完成")
    return redirect("web:work_tasks")


urlpatterns = [
    path("m/meeting/", meeting_new, name="work_meeting_new"),
    path("work/meetings/", meeting_list, name="work_meeting_list"),
    path("work/meetings/export.xlsx", meeting_xlsx, name="work_meeting_xlsx"),
    path("work/meetings/<int:pk>/", meeting_detail, name="work_meeting_detail"),
    path("work/meetings/<int:pk>/print/", meeting_print, name="work_meeting_print"),
    path("work/tasks/", tasks_page, name="work_tasks"),
    path("work/tasks/<int:pk>/done/", task_done, name="work_task_done"),
]
