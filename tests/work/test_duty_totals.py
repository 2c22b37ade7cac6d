"""DUT.1–DUT.5 totals per village, township and county and month (run on SQLite and PG:
the diary's duty tags are read through a text cast that behaves the same on both)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from zhucun.attendance.models import DiaryEntry
from zhucun.registry.models import Jurisdiction
from zhucun.work.models import Report, Task, Visit
from zhucun.work.selectors.duty_totals import duty_totals

pytestmark = pytest.mark.django_db
SEPT = dt.date(2025, 9, 1)


def _diary(world, cadre, village, day, duties):
    DiaryEntry.objects.create(
        cadre=world.cadres[cadre],
        village=world.villages[village],
        day=day,
        duties=duties,
        text="工作",
        created_by=world.admin,
    )


def _seed(world):
    _diary(world, "fs_a", "A", dt.date(2025, 9, 2), ["DUT.1", "DUT.3"])
    _diary(world, "tm_a", "A", dt.date(2025, 9, 2), ["DUT.3"])
    _diary(world, "fs_a", "A", dt.date(2025, 9, 3), [])
    _diary(world, "fs_a", "A", dt.date(2025, 10, 1), ["DUT.1"])  # another month
    _diary(world, "fs_b", "B", dt.date(2025, 9, 2), ["DUT.5"])
    _diary(world, "fs_c", "C", dt.date(2025, 9, 2), ["DUT.1"])
    for due, duty in ((dt.date(2025, 9, 20), "DUT.4"), (dt.date(2025, 9, 25), "DUT.4")):
        Task.objects.create(
            village=world.villages["A"],
            title="t",
            owner=world.cadres["tm_a"],
            due=due,
            duty=duty,
            created_by=world.admin,
        )
    group = Jurisdiction.objects.get(code="533103102001001")
    for day in (dt.date(2025, 9, 5), dt.date(2025, 9, 6), dt.date(2025, 8, 30)):
        Visit.objects.create(
            village=world.villages["A"],
            group=group,
            cadre=world.cadres["tm_a"],
            visited_on=day,
            recorded_by=world.admin,
        )
    Report.objects.create(
        kind="monthly",
        period_start=dt.date(2025, 8, 1),
        period_end=dt.date(2025, 8, 31),
        village=world.villages["A"],
        subject_key=f"village:{world.villages['A'].pk}",
        title="八月",
        author=world.users["first_secretary"],
        submitted_at=timezone.make_aware(dt.datetime(2025, 9, 4, 10)),
    )


def _grid(row):
    return {c["code"]: (c["diary"], c["tasks"], c["visits"]) for c in row["cells"]}


def test_dut_totals_per_village(world):
    """DUT.1–5 per village: diary per tag, tasks per duty, visits under DUT.2, reports apart."""
    _seed(world)
    pg = duty_totals(user=world.users["county"], month=SEPT, level="village")
    rows = {r["area"].name: r for r in pg.object_list}
    assert set(rows) == {"弄坎村", "拉勐村"}
    assert _grid(rows["弄坎村"]) == {
        "DUT.1": (1, 0, 0),
        "DUT.2": (0, 0, 2),
        "DUT.3": (2, 0, 0),
        "DUT.4": (0, 2, 0),
        "DUT.5": (0, 0, 0),
    }
    assert rows["弄坎村"]["reports"] == 1
    assert _grid(rows["拉勐村"])["DUT.5"] == (1, 0, 0)
    assert connection.vendor in ("sqlite", "postgresql")


def test_dut_totals_per_township_and_county(world):
    _seed(world)
    (town,) = duty_totals(user=world.users["county"], month=SEPT, level="township").object_list
    assert town["area"].name == "遮放镇"
    assert _grid(town)["DUT.1"] == (1, 0, 0) and _grid(town)["DUT.5"] == (1, 0, 0)
    rows = duty_totals(user=world.users["prefecture"], month=SEPT, level="county").object_list
    got = {r["area"].name: _grid(r)["DUT.1"][0] for r in rows}
    assert got == {"芒市": 1, "瑞丽市": 1}


def test_dut_totals_scoped_and_bounded(world, django_assert_max_num_queries):
    _seed(world)
    with django_assert_max_num_queries(8):
        pg = duty_totals(user=world.users["township"], month=SEPT, level="village")
        list(pg.object_list)
    assert {r["area"].name for r in pg.object_list} == {"弄坎村", "拉勐村"}
    rows = duty_totals(user=world.users["first_secretary"], month=SEPT, level="county")
    assert [r["area"].name for r in rows.object_list] == ["芒市"]
