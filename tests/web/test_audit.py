"""审计日志: admin and prefecture only (404 for others), newest first, with diffs."""

import pytest

from zhucun.audit.models import Event
from zhucun.registry import services

from .helpers import ROLES, html, login


@pytest.mark.parametrize("role", ROLES)
def test_audit_page_access(client, world, role):
    login(client, world, role)
    response = client.get("/audit/")
    assert response.status_code == (200 if role in ("admin", "prefecture") else 404)


def test_audit_newest_first_with_diff(client, world):
    for n in range(5):
        services.unit_update(
            actor=world.users["county"],
            unit_id=world.units["mangshi"].pk,
            data={"address": f"勐焕路{n}号"},
        )
    assert Event.objects.count() > 25
    login(client, world, "prefecture")
    response = client.get("/audit/")
    rows = [r["event"].seq for r in response.context["rows"]]
    assert rows == sorted(rows, reverse=True) and len(rows) == 25
    assert rows[0] == Event.objects.order_by("-seq").first().seq
    text = html(response)
    assert "修改" in text and "派出单位" in text and "county" in text
    assert '<th>地址</th><td class="old">勐焕路3号</td><td class="new">勐焕路4号</td>' in text
    page2 = client.get("/audit/", {"page": "2"})
    assert page2.status_code == 200 and page2.context["rows"][0]["event"].seq == rows[-1] - 1


def test_audit_filters(client, world):
    login(client, world, "admin")
    response = client.get("/audit/", {"action": "posting."})
    assert {r["event"].action for r in response.context["rows"]} == {"posting.create"}
    response = client.get("/audit/", {"object_type": "registry.dispatchingunit"})
    assert len(response.context["rows"]) == 3
