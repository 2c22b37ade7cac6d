from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from zhucun.accounts.models import User
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed

from .. import scopes, validation
from ..models import LEVEL_ORDER, Jurisdiction, Level, Village
from ._common import apply, cleaned_or_raise, get_in_scope

# significant digits of a statistical division code per level (GB/T 2260, 统计用区划代码)
CODE_PREFIX = {
    Level.PREFECTURE: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.VILLAGE_GROUP: 15,
}


def _check_parent(*, code: str, level: str, parent: Jurisdiction | None) -> dict[str, str]:
    if parent is None:
        return {} if level == Level.PREFECTURE else {"parent_code": "除州(市)外必须填写上级区划"}
    expected = (
        LEVEL_ORDER[LEVEL_ORDER.index(parent.level) + 1]
        if parent.level != Level.VILLAGE_GROUP
        else None
    )
    if expected != level:
        return {
            "level": f"{parent.name}({parent.get_level_display()})的下级应为{Level(expected).label if expected else '无'}"
        }
    prefix = parent.code[: CODE_PREFIX[Level(parent.level)]]
    if not code.startswith(prefix):
        return {"code": f"区划代码{code}应以上级{parent.name}的代码前缀{prefix}开头"}
    return {}


@transaction.atomic
def jurisdiction_create(
    *, actor: User, code: str, name: str, level: str, parent_code: str = ""
) -> Jurisdiction:
    if actor.role not in scopes.EDIT_REGISTRY_ROLES:
        raise Forbidden("只有州、县组织部门可以登记行政区划和村(社区)")
    c = cleaned_or_raise(
        validation.JURISDICTION_FIELDS,
        {"code": code, "name": name, "level": level, "parent_code": parent_code},
    )
    parent = None
    if c["parent_code"]:
        parent = scopes.jurisdictions_editable(actor).filter(code=c["parent_code"]).first()
        if parent is None:
            raise ValidationFailed(
                {"parent_code": f"上级区划{c['parent_code']}不存在或不在您的管辖范围内"}
            )
    elif actor.role != "admin":
        raise Forbidden("只有系统管理员可以创建顶级区划")
    errors = _check_parent(code=c["code"], level=c["level"], parent=parent)
    if Jurisdiction.objects.filter(code=c["code"]).exists():
        errors["code"] = f"区划代码{c['code']}已存在"
    if errors:
        raise ValidationFailed(errors)
    j = Jurisdiction(code=c["code"], name=c["name"], level=c["level"], parent=parent)
    j.path = (parent.path if parent else "/") + c["code"] + "/"
    j.save()
    event_record(actor=actor, action="jurisdiction.create", obj=j, after=model_snapshot(j))
    return j


@transaction.atomic
def village_create(
    *, actor: User, code: str, name: str, township_code: str, **attrs: Any
) -> Village:
    """Create the village's jurisdiction node and its village record in one step."""
    if actor.role not in scopes.EDIT_REGISTRY_ROLES:
        raise Forbidden("只有州、县组织部门可以登记行政区划和村(社区)")
    c = cleaned_or_raise(validation.VILLAGE_FIELDS, attrs, partial=True)
    j = jurisdiction_create(
        actor=actor, code=code, name=name, level=Level.VILLAGE, parent_code=township_code
    )
    village = Village(jurisdiction=j, township=j.parent, **c)
    errors = _village_checks(village)
    if errors:
        raise ValidationFailed(errors)
    village.save()
    event_record(actor=actor, action="village.create", obj=village, after=model_snapshot(village))
    return village


def _village_checks(village: Village) -> dict[str, str]:
    if (village.checkin_lat is None) != (village.checkin_lng is None):
        return {"checkin_lat": "签到点经纬度须同时填写"}
    return {}


@transaction.atomic
def village_update(*, actor: User, village_id: int, data: dict[str, Any]) -> Village:
    village = get_in_scope(
        scopes.villages_visible(actor), scopes.villages_editable(actor), village_id
    )
    name = data.pop("name", None) if "name" in data else None
    c = cleaned_or_raise(validation.VILLAGE_FIELDS, data, partial=True)
    before = model_snapshot(village)
    apply(village, c)
    errors = _village_checks(village)
    if errors:
        raise ValidationFailed(errors)
    village.save()
    if name is not None:
        j = village.jurisdiction
        new_name = cleaned_or_raise(validation.JURISDICTION_FIELDS, {"name": name}, partial=True)[
            "name"
        ]
        if new_name != j.name:
            event_record(
                actor=actor,
                action="jurisdiction.rename",
                obj=j,
                before={"name": j.name},
                after={"name": new_name},
            )
            j.name = new_name
            j.save(update_fields=["name"])
    after = model_snapshot(village)
    if after != before:
        event_record(actor=actor, action="village.update", obj=village, before=before, after=after)
    return village


def jurisdiction_get(*, actor: User, code: str) -> Jurisdiction:
    j = scopes.jurisdictions_visible(actor).filter(code=code).first()
    if j is None:
        raise NotFound()
    return j


__all__ = [
    "jurisdiction_create",
    "village_create",
    "village_update",
    "jurisdiction_get",
    "IntegrityError",
]
