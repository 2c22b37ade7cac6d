"""驻村工作: one nav entry leads every role to its part of the team's work."""

from __future__ import annotations

import re

import pytest

from tests.web.helpers import ROLES, html, login

PHONE = {"work_meeting_new", "work_visit_new", "work_urgent_new"}


@pytest.mark.parametrize("role", ROLES)
def test_hub_links_by_role_and_every_link_opens(client, world, role):
    login(client, world, role)
    assert 'href="/work/"' in html(client.get("/"))
    r = client.get("/work/")
    assert r.status_code == 200
    text = html(r)
    links = re.findall(r'<li><a id="hub-([a-z-]+)" href="([^"]+)"', text)
    names = {n.replace("-", "_") for n, _ in links}
    assert ("work_meeting_new" in names) == (role == "first_secretary")
    assert bool(names & {"work_visit_new", "work_urgent_new"}) == (
        role in ("first_secretary", "team_member")
    )
    assert ("work_risks" in names) == (role in ("admin", "prefecture", "county", "township"))
    for _, href in links:
        assert client.get(href).status_code == 200, (role, href)
