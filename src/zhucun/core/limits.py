"""Lengths of free text, from one place: the model field's ``max_length``. Services, API
schemas, forms and imports read it from here, so a remark has the same limit everywhere
(issue 10: a 10,000-character remark made a 9,563-px page)."""

from __future__ import annotations

from typing import Any


def max_length(model: Any, field: str) -> int:
    """The ``max_length`` of ``model.field`` (every free-text field of the project has one)."""
    value = model._meta.get_field(field).max_length
    if not value:  # pragma: no cover - tests/core/test_text_limits.py keeps this from happening
        raise LookupError(f"{model.__name__}.{field} has no max_length")
    return int(value)
