"""培训保障: one nav entry leads the back office and the units to training and GUA.2's pages."""

from __future__ import annotations

import re

import pytest

from tests.web.helpers import ROLES, html, login

READERS = {"admin", "prefecture", "county", "township", "unit"}


@pytest.mark.parametrize("role", ROLES)
def test_hub_links_by_role_and_every_link_opens(client, world, role):
    login(client, world, role)
    home = html(client.get("/"))
    r = client.get("/support/")
    if role not in READERS:
        assert r.status_code == 403 and 'href="/support/"' not in home
        return
    assert r.status_code == 200 and 'href="/support/"' in home
    links = re.findall(r'<li><a id="hub-[a-z-]+" href="([^"]+)"', html(r))
    assert len(links) == 8
    for href in links:
        assert client.get(href).status_code == 200, href
