"""考核评议: one nav entry leads every role with assessment work to its pages."""

from __future__ import annotations

import pytest

from tests.web.helpers import ROLES, html, login

LINKS = {
    "admin": {
        "sjsp_list",
        "sjsp_rectifications",
        "sjsp_missing",
        "sjsp_summary",
        "assessment_list",
        "assessment_results",
    },
    "prefecture": {
        "sjsp_list",
        "sjsp_rectifications",
        "sjsp_missing",
        "sjsp_summary",
        "assessment_list",
        "assessment_results",
    },
    "county": {
        "sjsp_list",
        "sjsp_rectifications",
        "sjsp_missing",
        "sjsp_summary",
        "assessment_list",
        "assessment_results",
    },
    "township": {
        "sjsp_list",
        "sjsp_rectifications",
        "sjsp_missing",
        "sjsp_summary",
        "assessment_list",
        "assessment_results",
    },
    "unit": {"sjsp_list", "sjsp_rectifications", "assessment_results"},
    "first_secretary": {"sjsp_list", "sjsp_rectifications"},
}


@pytest.mark.parametrize("role", ROLES)
def test_hub_links_by_role_and_every_link_opens(client, world, role):
    login(client, world, role)
    r = client.get("/assessment/")
    if role not in LINKS:
        assert r.status_code == 403
        assert "考核评议" not in html(client.get("/")).split("</nav>")[0]
        return
    text = html(r)
    assert r.status_code == 200 and "MGT.5.ANNUAL" in text
    shown = {name for name in LINKS["admin"] if f'id="hub-{name.replace("_", "-")}"' in text}
    assert shown == LINKS[role]
    import re

    for href in re.findall(r'<li><a id="hub-[a-z-]+" href="([^"]+)"', text):
        assert client.get(href).status_code == 200, href
    assert 'href="/assessment/"' in html(client.get("/"))
