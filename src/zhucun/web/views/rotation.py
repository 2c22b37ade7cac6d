"""调整轮换 (MGT.9.APPLY, MGT.9.DOCS) pages: the list (scoped by role), the cadre's application,
the detail page with one form per step the user may take now (the township seals, the unit
decides — replacement chosen from its unposted cadres with their screening shown — and fills
the 审批表, the organisation department reviews), the attachments, and the 审批表 as a print
page and .xlsx. Every step calls its service; scope and rules are decided there."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone

from zhucun.accounts.models import UserRole
from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.policy import PolicyError
from zhucun.registry import validation
from zhucun.registry.models import Posting, PostingStatus
from zhucun.rotation import approval_form, services, storage
from zhucun.rotation.models import AttachmentKind, Cause, RotationApplication, State
from zhucun.rotation.scope import applications_visible, may_act
from zhucun.rotation.selectors import application_list
from zhucun.rotation.workflow import TRANSITIONS, allowed_actions

from ._common import Field, SimpleForm, page_view, paginate, place_filters
from ._sorting import in_order, sort_param
from .selection import _reasons, _show_failure, finding_rows

STATE_LABELS = dict(State.choices)
STEP_LABELS = {"apply": "个人申请"} | {k: t.label for k, t in TRANSITIONS.items()}
CADRE_ROLES = (UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER)
FLOW_TEXT = (
    "个人申请 → 乡镇党委签章 → 派出单位集体研究(会议记录)并确定接替人员 → 填审批表 → "
    "组织部门审查(MGT.9.APPLY);须附证明材料及接替人员体检报告、承诺书(MGT.9.DOCS)"
)


def _own_posting(user) -> Posting | None:
    if user.role not in CADRE_ROLES or not user.cadre_id:
        return None
    return (
        Posting.objects.filter(cadre_id=user.cadre_id, status=PostingStatus.ACTIVE)
        .select_related("village__jurisdiction")
        .first()
    )


ROTATION_SORTS = {
    "name": ("cadre__name", "-updated_at"),
    "unit": ("cadre__unit__name", "cadre__name"),
    "village": ("posting__village__jurisdiction__code", "cadre__name"),
    "cause": (in_order("cause", Cause.values), "-updated_at"),
    "replacement": ("replacement__name", "cadre__name"),
    "state": (in_order("state", State.values), "-updated_at"),
    "updated": "updated_at",
}


@page_view
def rotation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    f = {k: request.GET.get(k, "").strip() for k in ("q", "state", "cause", "county", "township")}
    qs = application_list(
        user=user,
        state=f["state"] if f["state"] in State.values else "",
        cause=f["cause"] if f["cause"] in Cause.values else "",
        q=f["q"],
        county=f["county"],
        township=f["township"],
    )
    sort = sort_param(request, ROTATION_SORTS, "-updated")
    page = paginate(request, sort.apply(qs))
    for a in page.object_list:
        a.todo = bool(allowed_actions(a.state, user.role)) and may_act(user, a)
    return render(
        request,
        "web/rotation/list.html",
        {
            "nav_key": "rotation",
            "page": page,
            "f": f,
            "sort": sort,
            "states": State.choices,
            "causes": Cause.choices,
            **place_filters(user, f["county"]),
            "flow_text": FLOW_TEXT,
            "can_apply": _own_posting(user) is not None,
        },
    )


@page_view
def rotation_new(request: HttpRequest) -> HttpResponse:
    """个人申请: the cadre's own active posting, the cause, the statement."""
    user = request.user
    posting = _own_posting(user)
    if posting is None:
        raise NotFound("调整轮换由在岗的驻村干部本人申请")
    form = SimpleForm(
        [
            Field("cause", "调整原因", kind="select", choices=[("", "请选择"), *Cause.choices]),
            Field(
                "statement",
                "申请理由",
                kind="textarea",
                help="请写明具体情况;证明材料在提交申请后上传",
                attrs={"maxlength": "2000"},
            ),
        ],
        {},
    )
    if request.method == "POST":
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        try:
            a = services.rotation_apply(
                actor=user,
                posting_id=posting.pk,
                cause=values["cause"],
                statement=values["statement"],
            )
        except ValidationFailed as exc:
            form.add_errors(exc.errors, {"posting_id": "任职"})
        else:
            messages.success(request, "已提交调整轮换申请,请上传证明材料。")
            return redirect("web:rotation_detail", pk=a.pk)
    return render(
        request,
        "web/rotation/new.html",
        {"nav_key": "rotation", "form": form, "posting": posting, "flow_text": FLOW_TEXT},
    )


def _date(errors: dict[str, str], values: dict[str, Any], name: str, required: bool = True):
    try:
        return validation.date(values.get(name, ""), required=required)
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return None


def _replacement_choices(a: RotationApplication, on) -> list[tuple[str, str]]:
    """The unit's unposted cadres, each with the clauses they fail on ``on`` (screening and
    the team re-check with the leaver out), so the unit sees it before naming one."""
    out = [("", "请选择")]
    for c in services.replacements_available(a):
        label = c.name + (f"({c.post})" if c.post else "")
        try:
            deciding, _ = services.replacement_findings(
                application=a, replacement=c, handover_date=on, planned_end=None
            )
        except PolicyError:
            deciding = []
        failed = dict.fromkeys(f.clause for f in deciding if f.severity == "error")
        if failed:
            label += " —— 不符合:" + "、".join(failed)
        out.append((str(c.pk), label))
    return out


def _action_fields(action: str, a: RotationApplication, on) -> list[Field]:
    if action == "seal":
        return [
            Field("opinion", "乡镇党委意见", kind="textarea", attrs={"maxlength": "500"}),
            Field("sealed_by", "签章经办人"),
            Field("sealed_on", "签章日期", kind="date"),
        ]
    if action == "decide":
        return [
            Field("meeting_name", "研究会议", help="如:院党委会2025年第5次会议"),
            Field("meeting_date", "会议日期", kind="date"),
            Field("minutes_number", "会议纪要号"),
            Field(
                "replacement_id",
                "接替人员(本单位未在岗驻村干部)",
                kind="select",
                choices=_replacement_choices(a, on),
                help="按交接日期审查资格,并以“一进一出”后的工作队复核组成(SEL.COND.MUST2)",
            ),
            Field("handover_date", "交接日期", kind="date"),
            Field("replacement_planned_end", "接替人员计划期满日期(可选)", kind="date"),
            Field("note", "研究意见", kind="textarea"),
        ]
    if action == "submit":
        return [
            Field(
                "unit_opinion",
                "派出单位党委(党组)意见",
                kind="textarea",
                attrs={"maxlength": "500"},
            ),
            Field("form_handler", "填表人"),
            Field("form_date", "填表日期", kind="date"),
        ]
    if action == "grant":
        return [
            Field("opinion", "组织部门审查意见", kind="textarea", attrs={"maxlength": "500"}),
            Field("reviewer_name", "审查人"),
            Field("reviewed_on", "审查日期", kind="date"),
        ]
    if action == "reject":
        return [Field("note", "不予同意的理由", kind="textarea")]
    return [Field("note", "撤回说明(可选)", kind="textarea")]


def _action_form(action: str, a: RotationApplication, on) -> SimpleForm:
    today = timezone.localdate()
    initial = {
        "seal": {"sealed_on": today},
        "decide": {"handover_date": a.handover_date or on, "meeting_date": today},
        "submit": {"form_date": today},
        "grant": {"reviewed_on": today},
    }.get(action, {})
    form = SimpleForm(_action_fields(action, a, on), initial)
    form.action = action
    form.label = TRANSITIONS[action].label
    form.errors_by_clause = []
    form.warnings = []
    return form


def _call(action: str, a: RotationApplication, user, values: dict[str, Any], reasons):
    common = {"actor": user, "application_id": a.pk}
    errors: dict[str, str] = {}
    if action == "seal":
        day = _date(errors, values, "sealed_on", required=False)
        if errors:
            raise ValidationFailed(errors)
        return services.rotation_seal(
            **common, opinion=values["opinion"], sealed_by=values["sealed_by"], sealed_on=day
        )
    if action == "decide":
        meeting = _date(errors, values, "meeting_date")
        handover = _date(errors, values, "handover_date")
        end = _date(errors, values, "replacement_planned_end", required=False)
        rid = values["replacement_id"]
        if not rid.isdigit():
            errors["replacement_id"] = "请选择接替人员"
        if errors:
            raise ValidationFailed(errors)
        return services.rotation_decide(
            **common,
            meeting_name=values["meeting_name"],
            meeting_date=meeting,
            minutes_number=values["minutes_number"],
            replacement_id=int(rid),
            handover_date=handover,
            replacement_planned_end=end,
            reasons=reasons,
            note=values["note"],
        )
    if action == "submit":
        day = _date(errors, values, "form_date", required=False)
        if errors:
            raise ValidationFailed(errors)
        return services.rotation_submit(
            **common,
            unit_opinion=values["unit_opinion"],
            form_handler=values["form_handler"],
            form_date=day,
        )
    if action == "grant":
        day = _date(errors, values, "reviewed_on", required=False)
        if errors:
            raise ValidationFailed(errors)
        return services.rotation_grant(
            **common,
            opinion=values["opinion"],
            reviewer_name=values["reviewer_name"],
            reviewed_on=day,
        )
    if action == "reject":
        return services.rotation_reject(**common, note=values["note"])
    return services.rotation_withdraw(**common, note=values["note"])


def _upload_form(a: RotationApplication, user) -> SimpleForm | None:
    kinds = [(k, label) for k, label in AttachmentKind.choices if services.may_upload(user, a, k)]
    if not kinds:
        return None
    form = SimpleForm([Field("kind", "材料类别", kind="select", choices=kinds)], {})
    form.file_error = ""
    return form


def _load(user, pk: int) -> RotationApplication:
    a = applications_visible(user).filter(pk=pk).first()
    if a is None:
        raise NotFound(services.NOT_FOUND)
    return a


@page_view
def rotation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    a = _load(user, pk)
    acting = may_act(user, a)
    actions = allowed_actions(a.state, user.role) if acting else []
    try:
        on = validation.date(request.GET.get("on") or "", required=False)
    except validation.FieldError:
        on = None
    on = on or a.handover_date or timezone.localdate()
    forms = {x: _action_form(x, a, on) for x in actions}
    upload = _upload_form(a, user)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "upload" and upload is not None:
            upload.bind(request.POST)
            f = request.FILES.get("file")
            try:
                if f is None:
                    raise ValidationFailed({"file": "请选择文件"})
                services.attachment_upload(
                    actor=user,
                    application_id=a.pk,
                    kind=upload.fields[0].value,
                    name=f.name or "",
                    data=f.read(int(_max_bytes()) + 1),
                )
            except ValidationFailed as exc:
                upload.file_error = exc.errors.pop("file", "")
                upload.add_errors(exc.errors)
            else:
                messages.success(request, "材料已上传。")
                return redirect("web:rotation_detail", pk=a.pk)
        elif action in forms:
            form = forms[action]
            form.bind(request.POST)
            reasons = _reasons(request.POST)
            try:
                done = _call(action, a, user, {f.name: f.value for f in form.fields}, reasons)
            except ValidationFailed as exc:
                _show_failure(form, exc, reasons)
            else:
                messages.success(
                    request, f"已{TRANSITIONS[action].label},当前状态“{done.get_state_display()}”。"
                )
                return redirect("web:rotation_detail", pk=a.pk)
        else:
            raise NotFound("没有这个办理环节")
    steps = [
        {
            "step": s,
            "label": STEP_LABELS.get(s.action, s.action),
            "state": STATE_LABELS.get(s.to_state),
        }
        for s in a.steps.all()
    ]
    return render(
        request,
        "web/rotation/detail.html",
        {
            "nav_key": "rotation",
            "a": a,
            "flow_text": FLOW_TEXT,
            "findings": finding_rows(a.findings),
            "reasons_given": sorted(a.warning_reasons.items()),
            "missing": services.missing_documents(a),
            "attachments": a.attachments.all(),
            "upload": upload,
            "forms": list(forms.values()),
            "steps": steps,
        },
    )


def _max_bytes() -> int:
    from django.conf import settings

    return int(settings.ZHUCUN_ATTACHMENT_MAX_BYTES)


@page_view
def rotation_attachment(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    x = services.attachment_get(actor=request.user, application_id=pk, attachment_id=attachment_id)
    return storage.download_response(x)


@page_view
def rotation_form(request: HttpRequest, pk: int) -> HttpResponse:
    a = _load(request.user, pk)
    handler, day = approval_form.signature(a)
    return render(
        request,
        "web/rotation/form.html",
        {
            "a": a,
            "title": approval_form.TITLE,
            "rows": approval_form.rows(a),
            "handler": handler,
            "day": day,
        },
    )


@page_view
def rotation_form_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    from urllib.parse import quote

    a = _load(request.user, pk)
    response = HttpResponse(
        approval_form.xlsx(a),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"调整轮换审批表-{a.cadre.name}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def print_stylesheet(request: HttpRequest) -> HttpResponse:
    """The 审批表's page and print styles (A4), from this origin as the CSP requires."""
    response = HttpResponse(
        render_to_string("web/rotation/form.css"), content_type="text/css; charset=utf-8"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


urlpatterns = [
    path("rotation/", rotation_list, name="rotation_list"),
    path("rotation/new/", rotation_new, name="rotation_new"),
    path("rotation/form.css", print_stylesheet, name="rotation_form_css"),
    path("rotation/<int:pk>/", rotation_detail, name="rotation_detail"),
    path(
        "rotation/<int:pk>/attachments/<int:attachment_id>/",
        rotation_attachment,
        name="rotation_attachment",
    ),
    path("rotation/<int:pk>/form/", rotation_form, name="rotation_form"),
    path("rotation/<int:pk>/form.xlsx", rotation_form_xlsx, name="rotation_form_xlsx"),
]
