"""DUT.2: households are recorded minimally and their names are personal data — the unit sees
them masked (first character + *) in pages, API answers and the 走访台账 .xlsx; the team, the
village secretary and the township see them in full."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from tests.api.conftest import ApiClient
from tests.web.helpers import html, login
from tests.work.visit_helpers import group, visit
from zhucun.work.selectors.visits import mask_name

NAME, MASKED = "岩温香", "岩**"
MONTH = "2025-06"


@pytest.fixture
def visited(world):
    a1 = group(world, "A", 1)
    return visit(
        world,
        a1,
        dt.date(2025, 6, 3),
        new_households=[{"head_name": NAME, "risk_return_to_poverty": True}],
        risk_found=True,
        follow_up="纳入监测",
    )


def test_dut2_mask_name():
    assert mask_name("岩温香") == "岩**" and mask_name("李") == "李*" and mask_name("") == ""


def _pages(client, world, visit_pk):
    village = world.villages["A"].pk
    texts = [
        html(client.get("/work/visits/", {"month": MONTH})),
        html(client.get(f"/work/visits/{visit_pk}/")),
        html(client.get("/work/risks/")),
        html(client.get("/work/visits/ledger/", {"village": village, "month": MONTH})),
    ]
    r = client.get("/work/visits/ledger/", {"village": village, "month": MONTH, "format": "xlsx"})
    ws = load_workbook(io.BytesIO(r.content)).active
    cells = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    return texts, cells


def test_dut2_unit_sees_masked_names(client, world, visited):
    login(client, world, "unit")
    texts, cells = _pages(client, world, visited.pk)
    for text in texts:
        assert NAME not in text and MASKED in text
    assert NAME not in cells and MASKED in cells


@pytest.mark.parametrize("role", ["team_member", "first_secretary", "township", "county"])
def test_dut2_team_and_township_see_names(client, world, visited, role):
    login(client, world, role)
    texts, cells = _pages(client, world, visited.pk)
    for text in texts:
        assert NAME in text
    assert NAME in cells


def test_dut2_api_masks_for_the_unit(world, visited):
    from zhucun.useradmin.services import token_create

    def api(role):
        return ApiClient(token_create(actor=None, user=world.users[role], name="测试"))

    for role, shown in (("unit", MASKED), ("township", NAME), ("team_member", NAME)):
        body = api(role).get("/visits").json()
        assert body["results"][0]["households"][0]["head_name"] == shown
        assert api(role).get("/households").json()["results"][0]["head_name"] == shown
        risks = api(role).get("/visits/risks").json()["results"]
        assert risks[0]["households"][0]["head_name"] == shown
