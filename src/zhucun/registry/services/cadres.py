from __future__ import annotations

from typing import Any

from django.db import transaction

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, ValidationFailed

from .. import disclosure, scopes, validation
from ..models import Cadre
from ._common import apply, cleaned_or_raise, get_in_scope


def spouse_not_found(number: str) -> str:
    """The one answer for a spouse's ID number that is not registered or not in scope."""
    return f"配偶(身份证号{disclosure.mask_id_number(number)})未登记或不在您的管辖范围内"


def _resolve(actor: User, c: dict[str, Any], *, cadre: Cadre | None = None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "unit_name" in c:
        name = c.pop("unit_name")
        unit = scopes.units_visible(actor).filter(name=name).first()
        if unit is None:
            errors["unit_name"] = f"派出单位“{name}”不存在或不在您的管辖范围内"
        elif actor.role == UserRole.UNIT and unit.pk != actor.unit_id:
            errors["unit_name"] = "只能登记本单位的干部"
        else:
            c["unit"] = unit
    if "spouse_id_number" in c:
        number = c.pop("spouse_id_number")
        if number:
            # Looked up inside the actor's scope: a cadre the actor cannot see answers exactly
            # like one that is not registered (no name, no link made to it; issue 9).
            spouse = scopes.cadres_visible(actor).filter(id_number=number).first()
            if spouse is None:
                errors["spouse_id_number"] = spouse_not_found(number)
            else:
                c["spouse"] = spouse
        else:
            c["spouse"] = None
    if "id_number" in c:
        clash = Cadre.objects.filter(id_number=c["id_number"])
        if cadre is not None:
            clash = clash.exclude(pk=cadre.pk)
        if clash.exists():
            errors["id_number"] = "该身份证号已登记"
    if errors:
        raise ValidationFailed(errors)
    return c


def _link_spouse(actor: User, cadre: Cadre, old_spouse_id: int | None) -> None:
    """Spouse links are mutual (SEL.COND.NO5 looks at both sides)."""
    if cadre.spouse_id == old_spouse_id:
        return
    if old_spouse_id:
        Cadre.objects.filter(pk=old_spouse_id, spouse_id=cadre.pk).update(spouse=None)
    if cadre.spouse_id:
        other = Cadre.objects.select_for_update().get(pk=cadre.spouse_id)
        if other.spouse_id not in (None, cadre.pk):
            raise ValidationFailed({"spouse_id_number": f"{other.name}已登记了其他配偶"})
        if other.spouse_id != cadre.pk:
            other.spouse = cadre
            other.save(update_fields=["spouse"])
            event_record(
                actor=actor, action="cadre.spouse_link", obj=other, after={"spouse_id": cadre.pk}
            )


@transaction.atomic
def cadre_create(*, actor: User, data: dict[str, Any]) -> Cadre:
    if actor.role not in scopes.CADRE_CREATE_ROLES:
        raise Forbidden("只有组织部门和派出单位可以登记干部")
    c = cleaned_or_raise(validation.CADRE_FIELDS, data)
    errors = validation.cadre_cross_checks(c)
    if errors:
        raise ValidationFailed(errors)
    c = _resolve(actor, c)
    cadre = Cadre.objects.create(**c)
    _link_spouse(actor, cadre, None)
    event_record(actor=actor, action="cadre.create", obj=cadre, after=model_snapshot(cadre))
    return cadre


@transaction.atomic
def cadre_update(*, actor: User, cadre_id: int, data: dict[str, Any]) -> Cadre:
    cadre = get_in_scope(scopes.cadres_visible(actor), scopes.cadres_editable(actor), cadre_id)
    c = cleaned_or_raise(validation.CADRE_FIELDS, data, partial=True)
    merged = {
        f: getattr(cadre, f)
        for f in ("id_number", "birth_date", "party_status", "full_member_since", "work_start_date")
    }
    merged.update(c)
    errors = validation.cadre_cross_checks(merged)
    if errors:
        raise ValidationFailed(errors)
    c = _resolve(actor, c, cadre=cadre)
    if c.get("spouse") is not None and c["spouse"].pk == cadre.pk:
        raise ValidationFailed({"spouse_id_number": "配偶不能是本人"})
    before = model_snapshot(cadre)
    old_spouse = cadre.spouse_id
    apply(cadre, c)
    cadre.save()
    _link_spouse(actor, cadre, old_spouse)
    after = model_snapshot(cadre)
    if after != before:
        event_record(actor=actor, action="cadre.update", obj=cadre, before=before, after=after)
    return cadre


def cadre_can_edit(actor: User, cadre: Cadre) -> bool:
    return scopes.cadres_editable(actor).filter(pk=cadre.pk).exists()


__all__ = ["cadre_create", "cadre_update", "cadre_can_edit", "Forbidden"]
