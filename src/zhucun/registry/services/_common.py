from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from zhucun.core.errors import Forbidden, NotFound, ValidationFailed

from .. import validation


def cleaned_or_raise(
    spec: validation.FieldSpec, data: dict[str, Any], *, partial: bool = False
) -> dict[str, Any]:
    cleaned, errors = validation.clean(spec, data, partial=partial)
    if errors:
        raise ValidationFailed(errors)
    return cleaned


def get_in_scope(visible: QuerySet[Any], editable: QuerySet[Any], pk: Any) -> Any:
    """404 when the object is outside what the user may see; 403 when it is visible but
    the user may not change it."""
    try:
        obj = editable.select_for_update(of=("self",)).get(pk=pk)
    except (editable.model.DoesNotExist, ValueError, TypeError):
        if visible.filter(pk=pk).exists():
            raise Forbidden("您可以查看但无权修改此记录") from None
        raise NotFound() from None
    return obj


def apply(obj: Model, values: dict[str, Any]) -> None:
    for field, value in values.items():
        setattr(obj, field, value)
