"""What a page says when a policy rule cannot be applied: the parameter's Chinese description,
its clause and the place by name — never the parameter key or the division codes that the
exception's own message carries for the log."""

from __future__ import annotations

import re

from zhucun.policy import PolicyError
from zhucun.policy.errors import ParameterUnset

CLAUSE_ID = re.compile(r"^[A-Z]{3}\.[A-Z0-9_.]+$")  # as views.selection.CLAUSE_ID


def policy_message(exc: PolicyError) -> str:
    if not isinstance(exc, ParameterUnset):
        return str(exc)  # CalendarUnknownError and the others speak plain Chinese
    from zhucun.registry.models import Jurisdiction

    codes = [c for c in exc.jurisdiction if c]
    names = dict(Jurisdiction.objects.filter(code__in=codes).values_list("code", "name"))
    place = names.get(codes[0], "本辖区") if codes else "本辖区"  # most specific first
    from zhucun.params.selectors import base_parameters

    try:
        what = base_parameters().entry(exc.name).description
    except LookupError:
        what = "所需的政策参数"
    text = (
        f"“{what}”(条款 {exc.clause})在{exc.on.year}年{exc.on.month}月{exc.on.day}日"
        f"对{place}没有生效的取值。"
    )
    if exc.gap:
        return text + "政策原文缺少这一数值,须由本辖区在“政策参数”页设置。"
    return text + "请检查所填日期,或在“政策参数”页补充该参数的取值。"


def _field_labels() -> dict[str, str]:
    from zhucun.registry import validation as v

    labels: dict[str, str] = {}
    for spec in (v.JURISDICTION_FIELDS, v.VILLAGE_FIELDS, v.UNIT_FIELDS, v.CADRE_FIELDS):
        labels.update({k: label for k, (label, _) in spec.items()})
    labels.update({k: label for k, (label, _) in v.POSTING_FIELDS.items()})
    labels.update(
        {
            "state": "状态",
            "status": "状态",
            "village_id": "村(社区)",
            "cadre_id": "干部",
            "posting_id": "驻村任职",
            "unit_id": "派出单位",
            "dispatch_date": "选派日期",
            "effective": "生效日期",
            "value": "取值",
            "note": "说明",
            "reason": "理由",
            "valid_from": "生效日期",
            "valid_until": "截止日期",
            "jurisdiction_code": "辖区",
            "calendar": "节假日安排",
            "on": "日期",
            "kind": "类别",
        }
    )
    return labels


def field_label(key: str) -> str:
    """The Chinese name of a service's error key, or "" when it has none (then the reason is
    shown alone: a key is never shown)."""
    if CLAUSE_ID.match(key):
        return key
    return _field_labels().get(key, "")


def errors_text(errors: dict[str, str]) -> str:
    parts = []
    for key, reason in errors.items():
        label = field_label(key)
        parts.append(f"{label}:{reason}" if label else reason)
    return ";".join(parts)


def failure_errors(exc: Exception) -> dict[str, str]:
    """A refusal's errors by field: a ValidationFailed's own, a PolicyError's Chinese sentence
    under the empty key (shown above the form)."""
    from zhucun.core.errors import ValidationFailed

    if isinstance(exc, ValidationFailed):
        return exc.errors
    if isinstance(exc, PolicyError):
        return {"": policy_message(exc)}
    return {"": str(exc)}
