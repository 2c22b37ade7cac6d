"""Helpers shared by the page views: the page decorator, pagination and simple forms."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhucun.core.errors import Forbidden, NotFound

PER_PAGE = 25


def page_view(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """``login_required`` plus Chinese 403/404 pages for the services' Forbidden/NotFound."""

    @functools.wraps(func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return func(request, *args, **kwargs)
        except Forbidden as exc:
            return forbidden(request, exc.message)
        except NotFound as exc:
            return not_found(request, exc.message)

    return login_required(wrapper)


def forbidden(request: HttpRequest, message: str = "您的角色无权执行此操作") -> HttpResponse:
    return render(request, "web/403.html", {"message": message}, status=403)


def not_found(
    request: HttpRequest, message: str = "对象不存在或不在您的管辖范围内"
) -> HttpResponse:
    return render(request, "web/404.html", {"message": message}, status=404)


def paginate(request: HttpRequest, queryset: Any, per_page: int = PER_PAGE) -> Any:
    """A page of ``queryset``: COUNT and LIMIT/OFFSET run in the database."""
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.window = _window(page.number, page.paginator.num_pages)
    return page


def _window(current: int, last: int, radius: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and a few around the current one (None = gap)."""
    shown = sorted({1, last, *range(max(1, current - radius), min(last, current + radius) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and out[-1] is not None and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def tristate(value: str | None) -> bool | None:
    """GET "1"/"0"/"" → True/False/None."""
    return {"1": True, "0": False}.get(value or "")


def place_filters(user: Any, county: str = "") -> dict[str, Any]:
    """The 县(市) and 乡镇(街道) choices of a list's filter form, within the user's scope (the
    townships of ``county`` once one is chosen): ``counties`` and ``townships``. A user whose
    scope holds one county (or one township) gets one option."""
    from zhucun.registry import selectors
    from zhucun.registry.models import Level

    return {
        "counties": selectors.jurisdiction_list(user=user, level=Level.COUNTY),
        "townships": selectors.jurisdiction_list(user=user, level=Level.TOWNSHIP, parent=county),
    }


def date_filter(request: HttpRequest, name: str, label: str, problems: list[str]) -> Any:
    """A date of a list's filter (``?name=YYYY-MM-DD``), or None; a date that does not read is
    left out and said in ``problems`` (shown above the list), never a 500."""
    from zhucun.registry import validation

    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return validation.date(raw)
    except validation.FieldError as exc:
        problems.append(f"{label}:{exc},已忽略")
        return None


def in_queryset(queryset: Any, pk: Any) -> bool:
    return queryset.filter(pk=pk).exists()


# ---- forms -------------------------------------------------------------------------------


@dataclass
class Field:
    """One input of a form whose values go to a service as raw data."""

    name: str
    label: str
    kind: str = "text"  # text | checkbox | select | date | number
    choices: Iterable[tuple[str, str]] = ()
    help: str = ""
    value: Any = ""
    error: str = ""
    attrs: dict[str, str] = field(default_factory=dict)

    @property
    def options(self) -> list[tuple[str, str, bool]]:
        current = "" if self.value is None else str(self.value)
        return [(str(code), label, str(code) == current) for code, label in self.choices]


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


class SimpleForm:
    """Fields with initial values from an object and submitted values from POST. ``changed``
    returns only what the user altered, so a service sees a partial update."""

    def __init__(self, fields: list[Field], initial: dict[str, Any]) -> None:
        self.fields = fields
        self.initial = initial
        self.non_field_errors: list[str] = []
        for f in fields:
            v = initial.get(f.name)
            f.value = bool(v) if f.kind == "checkbox" else as_text(v)

    def bind(self, post: Any) -> None:
        for f in self.fields:
            f.value = f.name in post if f.kind == "checkbox" else post.get(f.name, "").strip()

    def changed(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in self.fields:
            old = self.initial.get(f.name)
            if f.kind == "checkbox":
                if bool(old) != f.value:
                    data[f.name] = f.value
            elif as_text(old) != f.value:
                data[f.name] = f.value
        return data

    def add_errors(self, errors: dict[str, str], labels: dict[str, str] | None = None) -> None:
        by_name = {f.name: f for f in self.fields}
        for name, reason in errors.items():
            if name in by_name:
                by_name[name].error = reason
            else:  # a key without a label is never shown: the reason alone
                from ..words import field_label

                label = (labels or {}).get(name) or field_label(name)
                self.non_field_errors.append(f"{label}:{reason}" if label else reason)
