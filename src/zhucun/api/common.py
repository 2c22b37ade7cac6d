"""Helpers shared by the routers: pagination in the database and response declarations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Path

from zhucun.accounts.models import User
from zhucun.core.errors import ValidationFailed
from zhucun.registry import validation

from .schemas import MAX_ID, ErrorOut, PageQuery

ObjectId = Path(..., ge=1, le=MAX_ID, description="编号")


def responses(ok: Any, status: int = 200) -> dict[int, Any]:
    """Success schema plus the error shape for 400/401/403/404."""
    return {status: ok, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


def user_of(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined, no-any-return]


def paginate(
    qs: QuerySet[Any], query: PageQuery, serialize: Callable[[Any], Any]
) -> dict[str, Any]:
    """One COUNT and one LIMIT/OFFSET query; never loads the whole list."""
    start = (query.page - 1) * query.page_size
    return {
        "count": qs.count(),
        "page": query.page,
        "page_size": query.page_size,
        "results": [serialize(obj) for obj in qs[start : start + query.page_size]],
    }


EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2099, 12, 31)


def read_dates(values: dict[str, str | None], *, optional: frozenset[str] = frozenset()) -> Any:
    """The dates of a body ("YYYY-MM-DD" and the forms zhucun.registry.validation.date reads),
    keyed as given; one ValidationFailed listing every bad field. Dates outside 1900–2099 are
    refused (no record of this system lies there, and date arithmetic would overflow)."""
    out: dict[str, dt.date | None] = {}
    errors: dict[str, str] = {}
    for name, raw in values.items():
        try:
            day = validation.date(raw, required=name not in optional)
        except validation.FieldError as exc:
            errors[name] = str(exc)
            continue
        if day is not None and not EARLIEST <= day <= LATEST:
            errors[name] = "日期应在1900年至2099年之间"
        out[name] = day
    if errors:
        raise ValidationFailed(errors)
    return out
