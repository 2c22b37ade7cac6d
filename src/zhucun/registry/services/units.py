from __future__ import annotations

from typing import Any

from django.db import transaction

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, ValidationFailed

from .. import scopes, validation
from ..models import DispatchingUnit, Jurisdiction
from ._common import apply, cleaned_or_raise, get_in_scope


def _resolve(actor: User, c: dict[str, Any]) -> dict[str, Any]:
    code = c.pop("jurisdiction_code", None)
    if code:
        j = scopes.jurisdictions_visible(actor).filter(code=code).first() or (
            Jurisdiction.objects.filter(code=code).first()
            if actor.role in (UserRole.ADMIN, UserRole.PREFECTURE)
            else None
        )
        if j is None:
            raise ValidationFailed({"jurisdiction_code": f"区划{code}不存在或不在您的管辖范围内"})
        c["jurisdiction"] = j
    elif code == "":
        c["jurisdiction"] = None
    return c


# What decides who reviews a unit's nominations (SEL.METHOD.FLOW: the same-level body is the
# county for a county-level unit of that county, the prefecture otherwise): not the unit's own.
REVIEW_FIELDS = {"level": "层级", "kind": "性质", "jurisdiction_code": "所在地区"}


def _refuse_review_fields(unit: DispatchingUnit, c: dict[str, Any]) -> None:
    """A unit edits its own descriptive fields (name, address, location); its level, kind and
    place are changed by the organisation departments only (a value sent unchanged passes)."""
    now = {
        "level": unit.level,
        "kind": unit.kind,
        "jurisdiction_code": unit.jurisdiction.code if unit.jurisdiction_id else "",
    }
    changed = [label for f, label in REVIEW_FIELDS.items() if f in c and (c[f] or "") != now[f]]
    if changed:
        raise Forbidden(
            f"派出单位不能修改本单位的{'、'.join(changed)}:"
            "这些信息决定由哪一级驻村工作领导协调机构审核(SEL.METHOD.FLOW),请联系组织部门修改"
        )


@transaction.atomic
def unit_create(*, actor: User, data: dict[str, Any]) -> DispatchingUnit:
    if actor.role not in (UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY):
        raise Forbidden("只有州、县组织部门可以登记派出单位")
    c = _resolve(actor, cleaned_or_raise(validation.UNIT_FIELDS, data))
    if actor.role == UserRole.COUNTY and (
        c.get("jurisdiction") is None
        or not c["jurisdiction"].path.startswith(actor.jurisdiction.path)
    ):
        raise ValidationFailed({"jurisdiction_code": "县级用户只能登记本县(市)内的单位"})
    if DispatchingUnit.objects.filter(name=c["name"]).exists():
        raise ValidationFailed({"name": f"单位“{c['name']}”已存在"})
    unit = DispatchingUnit.objects.create(**c)
    event_record(actor=actor, action="unit.create", obj=unit, after=model_snapshot(unit))
    return unit


@transaction.atomic
def unit_update(*, actor: User, unit_id: int, data: dict[str, Any]) -> DispatchingUnit:
    unit = get_in_scope(scopes.units_visible(actor), scopes.units_editable(actor), unit_id)
    cleaned = cleaned_or_raise(validation.UNIT_FIELDS, data, partial=True)
    if actor.role == UserRole.UNIT:
        _refuse_review_fields(unit, cleaned)
    c = _resolve(actor, cleaned)
    if "name" in c and DispatchingUnit.objects.filter(name=c["name"]).exclude(pk=unit.pk).exists():
        raise ValidationFailed({"name": f"单位“{c['name']}”已存在"})
    before = model_snapshot(unit)
    apply(unit, c)
    unit.save()
    after = model_snapshot(unit)
    if after != before:
        event_record(actor=actor, action="unit.update", obj=unit, before=before, after=after)
    return unit
