"""选派提名 (SEL.METHOD.FLOW): list, new, and the detail page with one form per action the
user may take now (``workflow.allowed_actions``). Every step calls its service; the services
decide scope and rules and answer with clause-cited errors or warnings needing a reason."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from zhucun.core.errors import NotFound, ValidationFailed
from zhucun.policy import PolicyError
from zhucun.registry import scopes, validation
from zhucun.registry.models import Role
from zhucun.selection import ranking, services
from zhucun.selection.models import Nomination, NominationSource, NominationState
from zhucun.selection.selectors import nominations_visible
from zhucun.selection.workflow import TRANSITIONS, allowed_actions

from ..words import failure_errors
from ._common import Field, SimpleForm, not_found, page_view

# ---- findings, shared by the selection pages ---------------------------------------------

SEVERITY = {"error": "错误", "warning": "提示", "info": "信息"}
CLAUSE_ID = re.compile(r"^[A-Z]{3}\.[A-Z0-9_.]+$")
WARNING_SUFFIX = " —— 如确需继续,请填写理由"


# CoverageRow.status → badge colour
COVERAGE_STATUS_CLASS = {
    "未覆盖": "error",
    "不符合": "error",
    "例外": "info",
    "需说明": "warning",
    "符合": "ok",
}


def finding_rows(findings: Iterable[Any]) -> list[dict[str, str]]:
    """Findings (policy ``Finding`` objects or their JSON form) as rows for the page."""
    rows = []
    for f in findings:
        get = f.get if isinstance(f, Mapping) else lambda k, f=f: getattr(f, k, "")
        severity = get("severity") or "info"
        rows.append(
            {
                "clause": get("clause"),
                "severity": severity,
                "label": SEVERITY.get(severity, severity),
                "message": get("message"),
            }
        )
    return rows


def is_clause(key: str) -> bool:
    return bool(CLAUSE_ID.match(key))


# ---- list -----------------------------------------------------------------------------------

PAGE_ROLES = set(TRANSITIONS["review"].roles | TRANSITIONS["propose"].roles)


def _no_business(request: HttpRequest) -> HttpResponse | None:
    """Roles with no part in the workflow get a 404, as for any object outside their scope."""
    if request.user.role not in PAGE_ROLES:
        return not_found(request, "页面不存在或您的角色无需使用此功能")
    return None


def _can_create(user) -> bool:
    return user.role in TRANSITIONS["propose"].roles


# ---- new ------------------------------------------------------------------------------------


def unposted_cadres(user):
    """The cadres the user may nominate (``selection.ranking.unposted_cadres``)."""
    return ranking.unposted_cadres(user).order_by("name", "id")


def _new_form(user, initial: dict[str, Any], failed: Mapping[int, str] | None = None) -> SimpleForm:
    """``failed``: cadre id → the clauses they fail on the chosen date (marked in the list)."""
    failed = failed or {}
    cadres = [("", "请选择")] + [
        (
            str(c.pk),
            f"{c.name}({c.unit.name})"
            + (f" —— 不符合选派条件:{failed[c.pk]}" if c.pk in failed else ""),
        )
        for c in unposted_cadres(user)
    ]
    villages = [("", "暂不指定")] + [
        (str(v.pk), f"{v.township.name} · {v.jurisdiction.name}")
        for v in scopes.villages_visible(user)
        .filter(pk__in=scopes.villages_nominable(user).values("pk"))
        .select_related("jurisdiction", "township")
        .order_by("jurisdiction__code")
    ]
    return SimpleForm(
        [
            Field("cadre_id", "人选(本单位未在岗干部)", kind="select", choices=cadres),
            Field("role", "拟任驻村职务", kind="select", choices=Role.choices),
            Field(
                "source",
                "产生方式",
                kind="select",
                choices=NominationSource.choices,
                help="个人报名和组织推荐相结合(SEL.METHOD.FLOW)",
            ),
            Field(
                "dispatch_date", "拟派出日期", kind="date", help="年龄、党龄、工作年限按此日期审查"
            ),
            Field("village_id", "拟派驻村(可选)", kind="select", choices=villages),
            Field("note", "备注"),
        ],
        initial,
    )


def _optional_int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _context(values: Mapping[str, str]) -> tuple[int | None, str, Any, dict[str, str]]:
    """(village id, role, date, errors) for ranking, from GET or POST values."""
    errors: dict[str, str] = {}
    village_id = _optional_int(values.get("village_id", ""))
    if values.get("village_id") and village_id is None:
        errors["village_id"] = "拟派驻村不存在或不在您的管辖范围内"
    role = values.get("role") or Role.TEAM_MEMBER
    if role not in Role.values:
        errors["role"] = "拟任职务应为第一书记、工作队长或工作队员"
        role = Role.TEAM_MEMBER
    try:
        on = validation.date(values.get("dispatch_date") or timezone.localdate())
    except validation.FieldError as exc:
        errors["dispatch_date"] = str(exc)
        on = timezone.localdate()
    return village_id, role, on, errors


def _ranked(user, village_id, role, on) -> tuple[Any, str]:
    """(VillageCandidates or None, a message when the ranking could not be made)."""
    try:
        return ranking.village_candidates(user=user, village_id=village_id, role=role, on=on), ""
    except NotFound as exc:
        return None, exc.message
    except ValidationFailed as exc:
        return None, ";".join(exc.errors.values())
    except PolicyError as exc:  # e.g. no parameter value in force on that date
        return None, str(exc)


def ranking_rows(result) -> list[dict[str, Any]]:
    """The ranked candidates as rows: 排序, 姓名, 理由, and the screening marks."""
    rows = []
    for row in result.rows if result else []:
        r = row.ranked
        rows.append(
            {
                "rank": r.rank,
                "cadre": row.cadre,
                "eligible": r.eligible,
                "needs_reason": r.needs_reason,
                "reasons": finding_rows(r.reasons),
                "screening": [f for f in finding_rows(r.screening) if f["severity"] != "info"],
            }
        )
    return rows


@page_view
def nomination_new(request: HttpRequest) -> HttpResponse:
    """录入提名. With a village (and role, date) chosen, the unit's unposted cadres are ranked
    for it with reasons (SEL.METHOD.NEED, SEL.SRC.POOL, SEL.SRC.FS_PRIORITY), and those who fail
    screening are marked, before any nomination is created."""
    if (refused := _no_business(request)) is not None:
        return refused
    user = request.user
    if not _can_create(user):
        return not_found(request, "提名由派出单位录入(SEL.METHOD.FLOW)")
    source = request.POST if request.method == "POST" else request.GET
    village_id, role, on, context_errors = _context(source)
    result, rank_message = _ranked(user, village_id, role, on)
    failed = {
        row.cadre.pk: "、".join(
            dict.fromkeys(f.clause for f in row.ranked.screening if f.severity == "error")
        )
        for row in (result.rows if result else [])
        if not row.ranked.eligible
    }
    form = _new_form(
        user,
        {
            "cadre_id": request.GET.get("cadre_id", ""),
            "role": role,
            "source": NominationSource.RECOMMENDATION,
            "dispatch_date": on,
            "village_id": village_id or "",
        },
        failed,
    )
    if request.method == "GET" and context_errors:
        form.add_errors(context_errors)
    if request.method == "POST":
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        errors: dict[str, str] = {}
        cadre_id = _optional_int(values["cadre_id"])
        if cadre_id is None:
            errors["cadre_id"] = "请选择人选"
        try:
            dispatch_date = validation.date(values["dispatch_date"])
        except validation.FieldError as exc:
            errors["dispatch_date"] = str(exc)
        if values["village_id"] and _optional_int(values["village_id"]) is None:
            errors["village_id"] = "拟派驻村不存在或不在您的管辖范围内"
        if not errors:
            try:
                n = services.nomination_create(
                    actor=user,
                    cadre_id=cadre_id,
                    role=values["role"],
                    source=values["source"],
                    dispatch_date=dispatch_date,
                    village_id=_optional_int(values["village_id"]),
                    note=values["note"],
                )
            except (ValidationFailed, PolicyError) as exc:
                errors = failure_errors(exc)
            except NotFound as exc:
                errors = {"cadre_id": exc.message}
            else:
                messages.success(request, f"已录入{n.cadre.name}的提名,请审查后提出人选。")
                return redirect("web:nomination_detail", pk=n.pk)
        form.add_errors(errors, {"state": "状态"})
    return render(
        request,
        "web/selection/nomination_new.html",
        {
            "nav_key": "nominations",
            "title": "新建选派提名",
            "form": form,
            "submit_label": "录入提名",
            "cancel_url": "/nominations/",
            "result": result,
            "rank_message": rank_message,
            "ranking": ranking_rows(result),
            "role_label": dict(Role.choices).get(role, role),
            "on": on,
        },
    )


# ---- detail and actions ---------------------------------------------------------------------

FIVE = [
    ("political", "政治关"),
    ("conduct", "品行关"),
    ("ability", "能力关"),
    ("style", "作风关"),
    ("integrity", "廉洁关"),
]


def _action_fields(action: str, n: Nomination, user) -> list[Field]:
    if action == "propose":
        return [
            Field(
                "basic_attested",
                "已审查人选基本条件:政治素质好、工作能力强、事业心强、具备正常履职的身体条件"
                "(SEL.COND.BASIC)",
                kind="checkbox",
            ),
            Field(
                "no1_attested",
                "已审查人选不属于“素质不高、能力不强”的情形(SEL.COND.NO1)",
                kind="checkbox",
            ),
            Field("attested_by", "审查人", help="单位组织人事部门经办人姓名"),
            Field("note", "意见"),
        ]
    if action == "review":
        return [
            *[Field(key, f"{label}(SEL.METHOD.FIVE)", kind="checkbox") for key, label in FIVE],
            Field("reviewer_name", "审核人", help="驻村工作领导协调机构经办人姓名"),
            Field("note", "审核意见"),
        ]
    if action == "decide":
        return [Field("note", "研究意见", help="如:党委会2026年第3次会议研究同意")]
    if action == "post":
        villages = [
            (str(v.pk), f"{v.township.parent.name} · {v.township.name} · {v.jurisdiction.name}")
            for v in scopes.villages_editable(user)
            .select_related("jurisdiction", "township__parent")
            .order_by("jurisdiction__code")
        ]
        return [
            Field("village_id", "派驻村(社区)", kind="select", choices=[("", "请选择"), *villages]),
            Field("arrival_date", "到岗日期", kind="date"),
            Field("planned_end", "计划期满日期(可选)", kind="date", help="留空则按任期参数计算"),
            Field("note", "意见"),
        ]
    if action == "reject":
        return [Field("note", "不予通过的理由")]
    return [Field("note", "撤回说明(可选)")]


def _action_form(action: str, n: Nomination, user) -> SimpleForm:
    initial: dict[str, Any] = {}
    if action == "propose":
        initial = {
            "basic_attested": n.basic_attested,
            "no1_attested": n.no1_attested,
            "attested_by": n.attested_by,
        }
    elif action == "post":
        initial = {"village_id": n.village_id or "", "arrival_date": timezone.localdate()}
    form = SimpleForm(_action_fields(action, n, user), initial)
    form.action = action
    form.label = TRANSITIONS[action].label
    form.errors_by_clause = []
    form.warnings = []
    return form


def _reasons(post: Mapping[str, str]) -> dict[str, str]:
    return {
        k[len("reason_") :]: v.strip()
        for k, v in post.items()
        if k.startswith("reason_") and v.strip()
    }


def _call(action: str, n: Nomination, user, values: dict[str, Any], reasons: dict[str, str]):
    common = {"actor": user, "nomination_id": n.pk}
    note = values.get("note", "")
    if action == "propose":
        return services.nomination_propose(
            **common,
            basic_attested=values["basic_attested"],
            no1_attested=values["no1_attested"],
            attested_by=values["attested_by"],
            reasons=reasons,
            note=note,
        )
    if action == "review":
        return services.nomination_review(
            **common,
            checkpoints={key: values[key] for key, _ in FIVE},
            reviewer_name=values["reviewer_name"],
            reasons=reasons,
            note=note,
        )
    if action == "decide":
        return services.nomination_decide(**common, reasons=reasons, note=note)
    if action == "post":
        errors = {}
        village_id = _optional_int(values["village_id"])
        if village_id is None:
            errors["village_id"] = "请选择派驻村(社区)"
        try:
            arrival = validation.date(values["arrival_date"])
        except validation.FieldError as exc:
            errors["arrival_date"] = str(exc)
        try:
            planned_end = validation.date(values["planned_end"], required=False)
        except validation.FieldError as exc:
            errors["planned_end"] = str(exc)
        if errors:
            raise ValidationFailed(errors)
        return services.nomination_post(
            **common,
            village_id=village_id,
            arrival_date=arrival,
            planned_end=planned_end,
            reasons=reasons,
            note=note,
        )
    if action == "reject":
        return services.nomination_reject(**common, note=note)
    return services.nomination_withdraw(**common, note=note)


def _show_failure(form: SimpleForm, exc: ValidationFailed, reasons: dict[str, str]) -> None:
    """Clause errors as a red list, warnings with a textarea each, other keys on the fields."""
    warning = exc.needs_reason
    other: dict[str, str] = {}
    for key, message in exc.errors.items():
        if not is_clause(key):
            other[key] = message
        elif warning:
            form.warnings.append(
                {
                    "clause": key,
                    "message": message.removesuffix(WARNING_SUFFIX),
                    "reason": reasons.get(key, ""),
                }
            )
        else:
            form.errors_by_clause.append({"clause": key, "message": message})
    form.add_errors(other, {"state": "状态", "village_id": "派驻村(社区)"})


STATE_LABELS = dict(NominationState.choices)
STEP_LABELS = {"create": "录入", **{k: t.label for k, t in TRANSITIONS.items()}}


@page_view
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (refused := _no_business(request)) is not None:
        return refused
    user = request.user
    n = nominations_visible(user).select_related("posting", "cadre__unit").filter(pk=pk).first()
    if n is None:
        raise NotFound("提名不存在或不在您的管辖范围内")
    actions = allowed_actions(n.state, user.role)
    forms = {a: _action_form(a, n, user) for a in actions}
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in TRANSITIONS:
            return not_found(request, "没有这个办理环节")
        form = forms.get(action) or _action_form(action, n, user)
        form.bind(request.POST)
        values = {f.name: f.value for f in form.fields}
        reasons = _reasons(request.POST)
        try:
            done = _call(action, n, user, values, reasons)
        except ValidationFailed as exc:
            _show_failure(form, exc, reasons)
            forms[action] = form
        except PolicyError as exc:  # e.g. no parameter in force on the dates given
            form.add_errors(failure_errors(exc))
            forms[action] = form
        else:
            messages.success(
                request,
                f"已{TRANSITIONS[action].label}:{done.cadre.name},当前状态“{done.get_state_display()}”。",
            )
            return redirect("web:nomination_detail", pk=n.pk)
    steps = [
        {
            "step": s,
            "label": STEP_LABELS.get(s.action, s.action),
            "state": STATE_LABELS.get(s.to_state, s.to_state),
        }
        for s in n.steps.order_by("at", "id")
    ]
    return render(
        request,
        "web/selection/nomination_detail.html",
        {
            "nav_key": "nominations",
            "n": n,
            "steps": steps,
            "findings": finding_rows(n.findings),
            "forms": list(forms.values()),
            "checkpoints": [(label, bool(n.checkpoints.get(key))) for key, label in FIVE],
            "reasons_given": sorted(n.warning_reasons.items()),
            "posted": n.posting if n.posting_id else None,
        },
    )
