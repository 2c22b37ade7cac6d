"""Accounts: create (one at a time, or for every posted cadre of a jurisdiction), disable,
enable, password reset by a manager, password change by the holder. Passwords and hashes never
go into audit events."""

from __future__ import annotations

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction

from zhucun.accounts.models import JURISDICTION_ROLES, LoginFailure, User, UserRole
from zhucun.accounts.services.passwords import (
    one_time_hash,
    one_time_password,
    snapshot,
)
from zhucun.audit.services import EventSpec, event_record, events_record
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.registry import scopes
from zhucun.registry.models import (
    Cadre,
    DispatchingUnit,
    Jurisdiction,
    Level,
    Posting,
    PostingStatus,
    Role,
    Village,
)

from .scope import NOT_A_MANAGER, cadres_manageable_q, is_manager, user_managed

ROLE_LEVEL = {
    UserRole.PREFECTURE: Level.PREFECTURE,
    UserRole.COUNTY: Level.COUNTY,
    UserRole.TOWNSHIP: Level.TOWNSHIP,
}
SCOPE_HELP = {
    UserRole.ADMIN: "无需管辖范围",
    UserRole.PREFECTURE: "州(市)12位区划代码",
    UserRole.COUNTY: "县(市)12位区划代码",
    UserRole.TOWNSHIP: "乡镇(街道)12位区划代码",
    UserRole.UNIT: "派出单位名称",
    UserRole.FIRST_SECRETARY: "干部身份证号",
    UserRole.TEAM_MEMBER: "干部身份证号",
    UserRole.VILLAGE_SECRETARY: "村(社区)12位区划代码",
}


def _require_manager(actor: User | None) -> None:
    if not is_manager(actor):
        raise Forbidden(NOT_A_MANAGER)


def _in_subtree(actor: User | None, jurisdiction: Jurisdiction) -> bool:
    if actor is None or actor.role == UserRole.ADMIN:
        return True
    return bool(actor.jurisdiction_id) and jurisdiction.path.startswith(actor.jurisdiction.path)


def _scope(actor: User | None, role: str, code: str) -> dict[str, object]:
    """The scope field of a new account of ``role``, from the identifier ``code``."""
    code = (code or "").strip()
    if role == UserRole.ADMIN:
        if actor is not None and actor.role != UserRole.ADMIN:
            raise Forbidden("只有系统管理员可以创建系统管理员账号")
        return {}
    if not code:
        raise ValidationFailed({"scope": f"请填写管辖范围({SCOPE_HELP[UserRole(role)]})"})
    if role in JURISDICTION_ROLES:
        j = Jurisdiction.objects.filter(code=code).first()
        if j is None or not _in_subtree(actor, j):
            raise ValidationFailed({"scope": f"区划代码“{code}”不存在或不在您的管辖范围内"})
        if j.level != ROLE_LEVEL[role]:
            raise ValidationFailed(
                {"scope": f"{j.name}是{j.get_level_display()},与角色“{UserRole(role).label}”不符"}
            )
        return {"jurisdiction": j}
    if role == UserRole.VILLAGE_SECRETARY:
        village = Village.objects.select_related("jurisdiction").filter(jurisdiction__code=code)
        v = village.first()
        if v is None or not _in_subtree(actor, v.jurisdiction):
            raise ValidationFailed({"scope": f"村(社区)“{code}”不存在或不在您的管辖范围内"})
        return {"village": v}
    if role == UserRole.UNIT:
        units = DispatchingUnit.objects.filter(name=code)
        if actor is not None and actor.role != UserRole.ADMIN:
            units = units.filter(pk__in=scopes.units_editable(actor).values("pk"))
        unit = units.first()
        if unit is None:
            raise ValidationFailed({"scope": f"派出单位“{code}”不存在或不在您的管辖范围内"})
        return {"unit": unit}
    cadres = Cadre.objects.filter(id_number=code.upper())
    if actor is not None and actor.role != UserRole.ADMIN:
        cadres = cadres.filter(cadres_manageable_q(actor))
    cadre = cadres.first()
    if cadre is None:
        raise ValidationFailed({"scope": "该身份证号的干部不存在或不在您的管辖范围内"})
    if User.objects.filter(cadre=cadre).exists():
        raise ValidationFailed({"scope": f"{cadre.name}已有账号"})
    posting = Posting.objects.filter(cadre=cadre, status=PostingStatus.ACTIVE).first()
    if posting is not None and _cadre_role(posting.role) != role:
        raise ValidationFailed(
            {
                "role": f"{cadre.name}现任{posting.get_role_display()},角色应为“{UserRole(_cadre_role(posting.role)).label}”"
            }
        )
    return {"cadre": cadre}


def _cadre_role(posting_role: str) -> str:
    return (
        UserRole.FIRST_SECRETARY if posting_role == Role.FIRST_SECRETARY else UserRole.TEAM_MEMBER
    )


def _username_check(username: str) -> str:
    username = (username or "").strip()
    if not username:
        raise ValidationFailed({"username": "请填写用户名"})
    if len(username) > 150:
        raise ValidationFailed({"username": "用户名不能超过150个字符"})
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise ValidationFailed({"username": "用户名只能包含字母、数字和 @ . + - _ 字符"}) from None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationFailed({"username": f"用户名“{username}”已被使用"})
    return username


@transaction.atomic
def user_create(
    *, actor: User | None, username: str, role: str, scope_code: str = "", display_name: str = ""
) -> tuple[User, str]:
    """A new account with a one-time password (returned; the holder must change it at the
    first login)."""
    _require_manager(actor)
    if role not in UserRole.values:
        raise ValidationFailed({"role": f"角色“{role}”不存在"})
    username = _username_check(username)
    scope = _scope(actor, role, scope_code)
    display_name = (display_name or "").strip()[:64] or _default_name(scope) or username
    raw = one_time_password()
    user = User(username=username, role=role, display_name=display_name, **scope)
    user.password = one_time_hash(raw)
    user.must_change_password = True
    user.save()
    event_record(actor=actor, action="user.create", obj=user, after=snapshot(user))
    return user, raw


def _default_name(scope: dict[str, object]) -> str:
    for value in scope.values():
        return str(value)
    return ""


def _bulk_username(cadre: Cadre, taken: set[str]) -> str:
    """``zc`` + the cadre's number; a suffix in the rare case someone already holds it."""
    base = name = f"zc{cadre.pk:06d}"
    n = 1
    while name in taken or (n > 1 and User.objects.filter(username__iexact=name).exists()):
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


@transaction.atomic
def users_create_for_cadres(
    *, actor: User | None, jurisdiction: Jurisdiction
) -> list[tuple[User, str]]:
    """An account for every cadre with an active posting in ``jurisdiction``'s subtree who has
    none yet: role from the posting (first secretary, else team member), username ``zc`` + the
    cadre's number, a one-time password each. Returns (user, password) in village order."""
    _require_manager(actor)
    if not _in_subtree(actor, jurisdiction):
        raise NotFound("区划不存在或不在您的管辖范围内")
    postings = list(
        Posting.objects.select_related("cadre", "village__jurisdiction")
        .filter(
            status=PostingStatus.ACTIVE,
            village__jurisdiction__path__startswith=jurisdiction.path,
            cadre__user__isnull=True,
        )
        .order_by("village__jurisdiction__code", "role", "cadre_id")
    )
    wanted = [f"zc{p.cadre_id:06d}" for p in postings]
    taken = {
        u.lower()
        for u in User.objects.filter(username__in=wanted).values_list("username", flat=True)
    }
    created: list[tuple[User, str]] = []
    for p in postings:
        raw = one_time_password()
        user = User(
            username=_bulk_username(p.cadre, taken),
            role=_cadre_role(p.role),
            display_name=p.cadre.name,
            cadre=p.cadre,
            must_change_password=True,
        )
        user.password = one_time_hash(raw)
        created.append((user, raw))
    User.objects.bulk_create([u for u, _ in created])
    if not any(u.pk for u, _ in created):  # backends that do not return ids
        ids = dict(
            User.objects.filter(username__in=[u.username for u, _ in created]).values_list(
                "username", "pk"
            )
        )
        for u, _ in created:
            u.pk = u.id = ids[u.username]
    events_record(
        events=[
            EventSpec(
                actor=actor,
                action="user.create",
                obj=u,
                after=snapshot(u),
                note=f"为{jurisdiction.name}在岗驻村干部批量开通账号",
            )
            for u, _ in created
        ]
    )
    return created


def _set_active(actor: User | None, user_id: int, active: bool) -> User:
    user = user_managed(actor, user_id=user_id)
    if actor is not None and user.pk == actor.pk:
        raise Forbidden("不能停用或启用自己的账号")
    before = snapshot(user)
    if user.is_active == active:
        return user
    User.objects.filter(pk=user.pk).update(is_active=active)
    user.is_active = active
    event_record(
        actor=actor,
        action="user.enable" if active else "user.disable",
        obj=user,
        before=before,
        after=snapshot(user),
    )
    return user


@transaction.atomic
def user_disable(*, actor: User | None, user_id: int) -> User:
    """The account can no longer log in; its API tokens stop working (live() filters on it)."""
    return _set_active(actor, user_id, False)


@transaction.atomic
def user_enable(*, actor: User | None, user_id: int) -> User:
    return _set_active(actor, user_id, True)


@transaction.atomic
def user_password_reset(*, actor: User | None, user_id: int) -> tuple[User, str]:
    """A new one-time password for an account the actor manages (not their own)."""
    user = user_managed(actor, user_id=user_id)
    if actor is not None and user.pk == actor.pk:
        raise Forbidden("不能重置自己的密码,请在“修改密码”页面修改")
    raw = one_time_password()
    user.password = one_time_hash(raw)
    user.must_change_password = True
    user.save(update_fields=["password", "must_change_password"])
    LoginFailure.objects.filter(kind=LoginFailure.Kind.USER, key=user.username).delete()
    event_record(actor=actor, action="user.password_reset", obj=user, after=snapshot(user))
    return user, raw
