"""Field cleaners that collect errors into a ``{field: 中文原因}`` dict instead of raising, for
services that validate every field of a form before refusing (ValidationFailed lists them all).
Built on the registry's one set of field rules (validation.py): free text without invisible
characters or formula starts, names, past dates, codes given as code or Chinese label."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from . import validation


def clean_text(
    errors: dict[str, str], name: str, value: Any, *, limit: int, required: bool = True
) -> str:
    """Free text (may hold line breaks): no control or invisible characters, and no leading
    = + - @ (a spreadsheet would take the exported cell for a formula)."""
    try:
        s = validation.text(value, max_length=limit, required=required)
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return ""
    if s.lstrip(" \u3000").startswith(validation.FORMULA_LEADS):
        errors[name] = validation.FORMULA_MESSAGE
    return s


def clean_name(
    errors: dict[str, str], name: str, value: Any, *, limit: int, required: bool = True
) -> str:
    """A name (who found it, who talked): one line, as the registry's names."""
    try:
        return validation.identity_text(value, max_length=limit, required=required)
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return ""


def clean_past_date(
    errors: dict[str, str], name: str, value: Any, *, required: bool = True
) -> dt.date | None:
    """A day that has happened: from 2000 on (validation.EVENT_FLOOR), not after today."""
    return clean_day(errors, name, value, past=True, required=required)


def clean_label(errors: dict[str, str], name: str, value: Any, labels: dict[str, str]) -> str:
    """A code of ``labels`` given as the code or its Chinese label."""
    s = "" if value is None else str(value).strip()
    for code, label in labels.items():
        if s in (code, label):
            return code
    allowed = "、".join(labels.values())
    errors[name] = f"“{s}”不是有效值,应为:{allowed}" if s else f"不能为空,应为:{allowed}"
    return ""


def clean_day(
    errors: dict[str, str], name: str, value: Any, *, past: bool, required: bool = True
) -> dt.date | None:
    """A day; with ``past`` not after today."""
    try:
        day = validation.date(value, required=required)
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return None
    if past and day is not None and day > timezone.localdate():
        errors[name] = "不能晚于今天"
    return day


def clean_flag(errors: dict[str, str], name: str, value: Any) -> bool:
    try:
        return validation.boolean(value)
    except validation.FieldError as exc:
        errors[name] = str(exc)
        return False
