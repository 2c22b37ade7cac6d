"""Every response and request schema of the API has its own name: django-ninja names an
OpenAPI component after the class, so two classes called alike silently share one schema and
one endpoint answers against the other's (found by the fuzzing: /sjsp-missing validated
against the meetings' schema)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from pydantic import BaseModel

import zhucun.api
import zhucun.api.routers


def _modules():
    for package in (zhucun.api, zhucun.api.routers):
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
            yield importlib.import_module(info.name)


def test_no_two_schema_classes_share_a_name():
    seen: dict[str, set[str]] = defaultdict(set)
    for module in _modules():
        for name, obj in vars(module).items():
            if (
                inspect.isclass(obj)
                and issubclass(obj, BaseModel)
                and obj.__module__ == module.__name__
            ):
                seen[obj.__name__].add(f"{obj.__module__}.{name}")
    clashes = {name: places for name, places in seen.items() if len(places) > 1}
    assert not clashes, clashes


def test_the_openapi_document_has_a_schema_per_class(client):
    from zhucun.api.main import api

    names = set(api.get_openapi_schema()["components"]["schemas"])
    assert {"MeetingWeekMissingOut", "SjspVillageMissingOut"} <= names
