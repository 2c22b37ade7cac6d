from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record, model_snapshot
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.policy import Override
from zhucun.policy.errors import InvalidOverride, UnknownParameter
from zhucun.registry import scopes
from zhucun.registry.models import Level

from .models import ParameterValue
from .selectors import base_parameters, parameters_forget

MAX_ABS_VALUE = 1_000_000_000  # a sanity bound for typed-in values, not a policy figure
SETTER_ROLES = {UserRole.ADMIN, UserRole.PREFECTURE, UserRole.COUNTY}


@transaction.atomic
def parameter_set(
    *, actor: User, name: str, jurisdiction_code: str, effective: dt.date, value: Any, note: str
) -> ParameterValue:
    """A prefecture or county sets a parameter for its jurisdiction from ``effective`` on."""
    if actor.role not in SETTER_ROLES:
        raise Forbidden("只有州、县组织部门可以设置政策参数")
    errors: dict[str, str] = {}
    j = scopes.jurisdictions_editable(actor).filter(code=jurisdiction_code).first()
    if j is None or j.level not in (Level.PREFECTURE, Level.COUNTY):
        errors["jurisdiction_code"] = "只能为本人管辖的州(市)或县(市)设置参数"
    if not note.strip():
        errors["note"] = "请填写设置依据(文件名称、文号)"
    try:
        base_parameters().entry(name)
    except UnknownParameter:
        errors["name"] = f"未定义的参数“{name}”"
    if (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and abs(value) > MAX_ABS_VALUE
    ):
        errors["value"] = f"数值过大(不能超过{MAX_ABS_VALUE})"
    if not errors:
        try:
            base_parameters().with_overrides(
                [Override(name, jurisdiction_code, effective, value, note)]
            )
        except InvalidOverride as exc:
            errors["value"] = str(exc)
    if errors:
        raise ValidationFailed(errors)
    row = ParameterValue.objects.create(
        name=name,
        jurisdiction=j,
        effective=effective,
        value=value,
        note=note.strip(),
        created_by=actor,
    )
    event_record(actor=actor, action="parameter.set", obj=row, after=model_snapshot(row), note=note)
    parameters_forget()  # this process sees the value at once (and again after the commit)
    transaction.on_commit(parameters_forget)
    return row
