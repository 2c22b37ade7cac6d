"""Issue 10: every free-text field has a length limit, the same in model, form, API schema
and service; a 10,000-character remark is refused everywhere, never stored."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from zhucun.api.selection_schemas import NOTE_MAX
from zhucun.attendance.models import DiaryEntry, Interview, MonthlySummary
from zhucun.core.limits import max_length
from zhucun.selection.models import Nomination, NominationStep


def test_every_text_field_of_the_project_has_a_max_length() -> None:
    unbounded = [
        f"{m.__name__}.{f.name}"
        for m in apps.get_models()
        if m.__module__.startswith("zhucun.")
        for f in m._meta.get_fields()
        if isinstance(f, models.CharField | models.TextField) and not f.max_length
    ]
    assert unbounded == []


def test_the_api_schema_and_the_model_agree() -> None:
    assert NOTE_MAX == max_length(Nomination, "note") == max_length(NominationStep, "note")
    assert max_length(MonthlySummary, "note") == NOTE_MAX
    assert max_length(DiaryEntry, "text") == max_length(Interview, "record") == 5000


@pytest.mark.django_db
def test_every_string_the_api_accepts_is_bounded(client) -> None:
    """No request-body property of type string without maxLength in /api/v1/openapi.json
    (what the API stores; query filters are not stored)."""
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    unbounded = []

    def walk(where: str, schema: dict) -> None:
        if "$ref" in schema:
            return
        if schema.get("type") == "string" and "maxLength" not in schema:
            if "enum" not in schema and "format" not in schema and "pattern" not in schema:
                unbounded.append(where)
        for key in ("anyOf", "allOf", "oneOf"):
            for i, sub in enumerate(schema.get(key, [])):
                walk(f"{where}[{i}]", sub)
        if isinstance(schema.get("items"), dict):
            walk(f"{where}[]", schema["items"])
        if isinstance(schema.get("additionalProperties"), dict):
            walk(f"{where}{{}}", schema["additionalProperties"])
        for name, sub in schema.get("properties", {}).items():
            walk(f"{where}.{name}", sub)

    bodies = set()
    for path in doc["paths"].values():
        for op in path.values():
            content = op.get("requestBody", {}).get("content", {})
            for media in content.values():
                ref = media.get("schema", {}).get("$ref", "")
                if ref:
                    bodies.add(ref.rsplit("/", 1)[1])
    for name in sorted(bodies):
        walk(name, schemas[name])
    assert unbounded == []
