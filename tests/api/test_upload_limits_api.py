"""Issue 9 point 4 through POST /api/v1/screening: each hostile file answers 4xx (413 with
field "file" and the Chinese message naming the limit; 400 for a corrupt one) within seconds
and writes nothing. (The time bound is a loose resource guard, not a benchmark.)"""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import hostile_xlsx as h
from tests.api.conftest import PREFIX
from zhucun.audit.models import Event
from zhucun.selection.screening import SPEC

SECONDS = 10
CASES = h.cases([label for label, _ in SPEC.values()], ["张三"])


@pytest.mark.parametrize("key,filename,builder,words,status", CASES, ids=[c[0] for c in CASES])
def test_screening_refuses_hostile_file_quickly(api, world, key, filename, builder, words, status):
    data = h.build(key, builder)
    client = api("unit")
    events = Event.objects.count()
    start = time.monotonic()
    r = client.client.post(
        PREFIX + "/screening",
        {"file": SimpleUploadedFile(filename, data)},
        headers=client.headers,
    )
    assert time.monotonic() - start < SECONDS
    assert r.status_code == status, r.content[:300]
    body = r.json()
    assert words in body["detail"]
    assert body["errors"] == [{"field": "file", "reason": body["detail"]}]
    assert Event.objects.count() == events


def test_upload_size_limit_is_a_setting(api, world, settings):
    settings.ZHUCUN_UPLOAD_MAX_BYTES = 1024
    client = api("unit")
    r = client.client.post(
        PREFIX + "/screening",
        {"file": SimpleUploadedFile("名单.csv", b"x" * 2048)},
        headers=client.headers,
    )
    assert r.status_code == 413 and "最大大小" in r.json()["detail"]


@pytest.mark.parametrize(
    "role", ["first_secretary", "team_member", "township", "village_secretary"]
)
def test_screening_refused_before_the_file_is_read(api, world, role):
    """Issue 9: screening belongs to unit, county, prefecture and admin; the others get 403
    even for a hostile file (which is never opened)."""
    client = api(role)
    start = time.monotonic()
    r = client.client.post(
        PREFIX + "/screening",
        {"file": SimpleUploadedFile("a.xlsx", h.one_cell_at("ZZZZZZ1"))},
        headers=client.headers,
    )
    assert time.monotonic() - start < SECONDS
    assert r.status_code == 403
    assert r.json()["detail"] == "只有派出单位和县(市)、州组织部门可以进行批量资格审查"
