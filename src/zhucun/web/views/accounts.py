"""账号管理 (issue 9, point 6): the accounts a manager may manage (useradmin.scope),
create one, open accounts for every posted cadre of a jurisdiction (an .xlsx of initial
passwords), disable/enable, reset a password (shown once); the change-password page of every
user (also the forced change at first login); API tokens (own, or of a managed account)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from zhucun.accounts import services as account_services
from zhucun.accounts import throttle
from zhucun.accounts.models import JURISDICTION_ROLES, User, UserRole
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry.models import Jurisdiction, Posting, PostingStatus
from zhucun.useradmin import services
from zhucun.useradmin.exports import initial_passwords_xlsx

from ._common import page_view, paginate
from ._sorting import in_order, sort_param
from .imports import xlsx_response

STATUS_CHOICES = [
    ("active", "正常"),
    ("disabled", "已停用"),
    ("must_change", "待修改初始密码"),
]
ROLE_ORDER = [r for r in UserRole]
ACCOUNT_SORTS = {
    "username": "username",
    "name": ("display_name", "username"),
    "role": (in_order("role", [r.value for r in ROLE_ORDER]), "username"),
    "status": ("-is_active", "username"),
    "login": ("last_login", "username"),
}


def _manager(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not services.is_manager(user):
        raise Forbidden("您的角色无权管理账号")
    return user


def creatable_roles(actor: User) -> list[UserRole]:
    """Roles the actor may create: an administrator all; an office user its own level and
    the levels below, units (if they may edit units), cadres and village secretaries."""
    if actor.role == UserRole.ADMIN:
        return ROLE_ORDER
    levels = list(JURISDICTION_ROLES)
    own = levels[levels.index(actor.role) :] if actor.role in levels else []
    unit = [UserRole.UNIT] if actor.role in (UserRole.PREFECTURE, UserRole.COUNTY) else []
    return [*own, *unit, UserRole.FIRST_SECRETARY, UserRole.TEAM_MEMBER, UserRole.VILLAGE_SECRETARY]


@page_view
def account_list(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    f = {k: request.GET.get(k, "").strip() for k in ("role", "status", "q")}
    qs = services.users_manageable(actor).select_related("jurisdiction", "unit", "cadre", "village")
    if f["role"] in UserRole.values:
        qs = qs.filter(role=f["role"])
    if f["status"] == "active":
        qs = qs.filter(is_active=True)
    elif f["status"] == "disabled":
        qs = qs.filter(is_active=False)
    elif f["status"] == "must_change":
        qs = qs.filter(must_change_password=True)
    if f["q"]:
        qs = qs.filter(Q(username__icontains=f["q"]) | Q(display_name__icontains=f["q"]))
    sort = sort_param(request, ACCOUNT_SORTS, "role")
    page = paginate(request, sort.apply(qs))
    return render(
        request,
        "web/accounts/list.html",
        {
            "nav_key": "accounts",
            "page": page,
            "sort": sort,
            "f": f,
            "roles": [(r.value, r.label) for r in ROLE_ORDER],
            "statuses": STATUS_CHOICES,
            "bulk_code": actor.jurisdiction.code if actor.jurisdiction_id else "",
            "actor": actor,
        },
    )


@page_view
def account_new(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    roles = creatable_roles(actor)
    values = {"username": "", "role": "", "scope": "", "display_name": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        if values["role"] not in [r.value for r in roles]:
            errors["role"] = "请选择您可以创建的角色"
        else:
            try:
                user, raw = services.user_create(
                    actor=actor,
                    username=values["username"],
                    role=values["role"],
                    scope_code=values["scope"],
                    display_name=values["display_name"],
                )
            except ValidationFailed as exc:
                errors = exc.errors
            else:
                return _show_password(request, user, raw, "账号已创建")
    return render(
        request,
        "web/accounts/new.html",
        {
            "nav_key": "accounts",
            "values": values,
            "errors": errors,
            "roles": [(r.value, r.label, services.SCOPE_HELP[r]) for r in roles],
        },
        status=400 if errors else 200,
    )


def _show_password(request: HttpRequest, user: User, raw: str, title: str) -> HttpResponse:
    response = render(
        request,
        "web/accounts/password_once.html",
        {"nav_key": "accounts", "account": user, "password": raw, "title": title},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@page_view
def account_disable(request: HttpRequest, pk: int) -> HttpResponse:
    user = services.user_disable(actor=_manager(request), user_id=pk)
    messages.success(request, f"已停用账号 {user.username}")
    return HttpResponseRedirect("/accounts/")


@require_POST
@page_view
def account_enable(request: HttpRequest, pk: int) -> HttpResponse:
    user = services.user_enable(actor=_manager(request), user_id=pk)
    messages.success(request, f"已启用账号 {user.username}")
    return HttpResponseRedirect("/accounts/")


@require_POST
@page_view
def account_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user, raw = services.user_password_reset(actor=_manager(request), user_id=pk)
    return _show_password(request, user, raw, "密码已重置")


@require_POST
@page_view
def account_bulk(request: HttpRequest) -> HttpResponse:
    actor = _manager(request)
    code = request.POST.get("jurisdiction", "").strip()
    jurisdiction = Jurisdiction.objects.filter(code=code).first()
    if jurisdiction is None:
        raise NotFound("区划不存在或不在您的管辖范围内")
    created = services.users_create_for_cadres(actor=actor, jurisdiction=jurisdiction)
    if not created:
        messages.info(request, f"{jurisdiction.name}的在岗驻村干部均已有账号,未新开通账号")
        return HttpResponseRedirect("/accounts/")
    villages = dict(
        Posting.objects.filter(
            cadre_id__in=[u.cadre_id for u, _ in created], status=PostingStatus.ACTIVE
        ).values_list("cadre_id", "village__jurisdiction__name")
    )
    rows = [(u, villages.get(u.cadre_id, ""), raw) for u, raw in created]
    day = timezone.localdate().isoformat()
    return xlsx_response(initial_passwords_xlsx(rows), f"{jurisdiction.name}驻村干部账号{day}.xlsx")


def _safe_next(request: HttpRequest, value: str) -> str:
    ok = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if value and ok and not value.startswith("/accounts/password/") else "/"


@page_view
def password_change_page(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    errors: dict[str, str] = {}
    if request.method == "POST":
        address = throttle.client_address(request)
        refusal = throttle.login_refusal(username=user.username, address=address)
        if refusal is not None:
            errors = {"old_password": refusal}
        else:
            try:
                account_services.password_change(
                    user=user,
                    old=request.POST.get("old_password", ""),
                    new=request.POST.get("new_password", ""),
                    confirm=request.POST.get("confirm_password", ""),
                )
            except ValidationFailed as exc:
                errors = exc.errors
                if "old_password" in errors:  # a guess at the password: counts as a failure
                    throttle.login_failed(username=user.username, address=address)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, "密码已修改")
                return HttpResponseRedirect(next_url)
    return render(
        request,
        "web/accounts/password_change.html",
        {"nav_key": "", "errors": errors, "next": next_url, "forced": user.must_change_password},
        status=400 if errors else 200,
    )


@page_view
def token_list_page(request: HttpRequest) -> HttpResponse:
    actor: User = request.user  # type: ignore[assignment]
    holder = actor
    if request.GET.get("user"):
        try:
            user_id = int(request.GET["user"])
        except ValueError:
            raise NotFound(services.scope.NO_SUCH_USER) from None
        if user_id != actor.pk:
            holder = services.user_managed(actor, user_id=user_id)
    tokens = services.tokens_list(actor=actor, user=holder)
    now = timezone.now()
    rows = [{"token": t, "state": token_state(t, now)} for t in tokens[:200]]
    return render(
        request,
        "web/accounts/tokens.html",
        {"nav_key": "accounts" if holder != actor else "", "holder": holder, "rows": rows},
    )


def token_state(token: Any, now: Any) -> str:
    if token.revoked_at is not None:
        return "已撤销"
    if token.expires_at is not None and token.expires_at <= now:
        return "已过期"
    return "有效"


@require_POST
@page_view
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = services.token_revoke(actor=request.user, token_id=pk)  # type: ignore[arg-type]
    messages.success(request, f"已撤销令牌 {token.prefix}…")
    back = "" if token.user_id == request.user.pk else f"?user={token.user_id}"
    return HttpResponseRedirect("/accounts/tokens/" + back)
