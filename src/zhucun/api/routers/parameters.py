"""政策参数: every parameter with its clause, source sentence and the value in force for the
caller's jurisdiction (zhucun.params.selectors.parameter_table) — or why there is none: a GAP
is never given a silent default; and setting a value for one's own prefecture or county from a
date on (zhucun.params.services.parameter_set, which checks role and jurisdiction)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from zhucun.params.models import ParameterValue
from zhucun.params.selectors import base_parameters, parameter_table
from zhucun.params.services import parameter_set

from ..common import read_dates, responses, user_of
from ..selection_schemas import (
    ParameterQuery,
    ParameterSet,
    ParameterTableOut,
    ParameterValueSetOut,
)

router = Router(tags=["政策参数"])


def plain(value: Any) -> bool | int | str | None:
    """A parameter value as JSON: amounts ("1.25") and ratios ("1/3") as text."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}" if value.denominator != 1 else str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


@router.get("/parameters", response=responses(ParameterTableOut), summary="政策参数及现行取值")
def parameter_list(request: HttpRequest, filters: Query[ParameterQuery]) -> dict[str, Any]:
    user = user_of(request)
    on = read_dates({"on": filters.on}, optional=frozenset({"on"}))["on"] or timezone.localdate()
    code = user.jurisdiction.code if user.jurisdiction_id else base_parameters().home_jurisdiction
    table = parameter_table(on=on, jurisdiction=code)
    return {
        "jurisdiction_code": code,
        "on": on,
        "results": [{**row, "value": plain(row["value"])} for row in table],
    }


def value_out(row: ParameterValue) -> dict[str, Any]:
    return {
        "id": row.pk,
        "name": row.name,
        "jurisdiction_code": row.jurisdiction.code,
        "jurisdiction_name": row.jurisdiction.name,
        "effective": row.effective,
        "value": row.value,
        "note": row.note,
        "created_by": str(row.created_by),
        "created_at": row.created_at,
    }


@router.post(
    "/parameters", response=responses(ParameterValueSetOut, 201), summary="设置本辖区政策参数"
)
def parameter_create(request: HttpRequest, payload: ParameterSet) -> Status[dict[str, Any]]:
    effective = read_dates({"effective": payload.effective})["effective"]
    row = parameter_set(
        actor=user_of(request),
        name=payload.name,
        jurisdiction_code=payload.jurisdiction_code,
        effective=effective,
        value=payload.value,
        note=payload.note,
    )
    return Status(201, value_out(row))
