"""Issue 9 point 4 through the web uploads (导入 and 资格审查 pages): each hostile file is
refused within seconds with the Chinese message naming the limit (HTTP 413 on the page),
and nothing is written. (The time bound is a loose resource guard, not a benchmark.)"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import hostile_xlsx as h
from zhucun.audit.models import Event
from zhucun.registry import validation
from zhucun.registry.models import Cadre
from zhucun.selection.screening import SPEC

from .helpers import html, login

SECONDS = 10
IMPORT_CASES = h.cases([label for label, _c in validation.CADRE_FIELDS.values()], ["张三"])
SCREENING_CASES = h.cases([label for label, _ in SPEC.values()], ["张三"])


@pytest.mark.parametrize(
    "key,filename,builder,words,status", IMPORT_CASES, ids=[c[0] for c in IMPORT_CASES]
)
def test_import_page(client, world, key, filename, builder, words, status):
    data = h.build(key, builder)
    login(client, world, "county")
    before, events = Cadre.objects.count(), Event.objects.count()
    start = time.monotonic()
    response = client.post(
        "/import/", {"kind": "cadres", "file": SimpleUploadedFile(filename, data)}
    )
    assert time.monotonic() - start < SECONDS
    assert response.status_code == (413 if status == 413 else 200)
    assert words in html(response) and "未写入任何数据" in html(response)
    assert Cadre.objects.count() == before and Event.objects.count() == events


@pytest.mark.parametrize(
    "key,filename,builder,words,status", SCREENING_CASES, ids=[c[0] for c in SCREENING_CASES]
)
def test_screening_page(client, world, key, filename, builder, words, status):
    data = h.build(key, builder)
    login(client, world, "unit")
    events = Event.objects.count()
    start = time.monotonic()
    response = client.post("/screening/", {"file": SimpleUploadedFile(filename, data)})
    assert time.monotonic() - start < SECONDS
    assert response.status_code == (413 if status == 413 else 200)
    assert words in html(response)
    assert "web_screening_result" not in client.session
    assert Event.objects.count() == events
