"""``zhucun gen`` without a database: the sizes of the larger scales, unique unit names and ID
numbers, and the parameters the prefectures outside 德宏 adopt."""

from __future__ import annotations

import datetime as dt
import json
import random

from zhucun.gen import people, world
from zhucun.gen.ids import IdIssuer, id_valid
from zhucun.gen.scales import SCALES
from zhucun.params.selectors import base_parameters
from zhucun.policy import Override

MONTH = [dt.date(2026, 10, 1)]


def _walk(scale: str) -> world.World:
    w = world.World(scale=SCALES[scale], seed=3, months=MONTH)
    rows = list(world.jurisdiction_rows(w))
    assert len({r[1] for r in rows}) == len(rows)  # codes unique
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))
    return w


def test_province_scale_is_about_14000_villages_and_50000_cadres():
    w = _walk("province")
    assert len(w.prefectures) == 16 and len(w.counties) == 129
    assert 13_000 <= w.villages <= 15_500
    units = [r[1] for r in world.unit_rows(w)]
    assert len(set(units)) == len(units)
    cadres = sum(1 for _ in people.cadre_rows(w))
    assert 47_000 <= cadres <= 53_000
    assert all(w.village_fs[v] for v in range(w.villages))


def test_national_scale_is_about_250000_villages_and_900000_cadres():
    w = _walk("national")
    assert 230_000 <= w.villages <= 270_000
    mean_team = sum(s * p for s, p in SCALES["national"].team_sizes)
    assert 830_000 <= w.villages * mean_team <= 970_000
    assert {p.province.code for p in w.prefectures} >= {"11", "53", "65"}
    units = [r[1] for r in world.unit_rows(w)]
    assert len(set(units)) == len(units)  # DispatchingUnit.name is unique


def test_villages_lie_inside_their_provinces_box():
    w = _walk("national")
    for v in range(0, w.villages, 97):
        province = w.village_prefecture(v).province
        assert province.lat[0] <= w.v_lat[v] <= province.lat[1]
        assert province.lng[0] <= w.v_lng[v] <= province.lng[1]


def test_id_issuer_never_repeats_within_an_area():
    issuer = IdIssuer(first_birth=dt.date(1982, 1, 1), last_birth=dt.date(2001, 12, 31), seed=5)
    rng = random.Random(1)
    numbers = set()
    for _ in range(200_000):
        number, birth = issuer.issue("533103", rng.random() < 0.3)
        assert dt.date(1982, 1, 1) <= birth <= dt.date(2001, 12, 31)
        numbers.add(number)
    assert len(numbers) == 200_000
    assert all(id_valid(n) for n in list(numbers)[:5000])


def test_prefectures_outside_the_home_adopt_the_home_parameters():
    w = _walk("province")
    rows = list(people.parameter_rows(w))
    home = base_parameters().home_jurisdiction
    by_jid = {p.jid: p.code for p in w.prefectures}
    assert rows and home not in {by_jid[r[2]] for r in rows}
    assert len({by_jid[r[2]] for r in rows}) == 15
    params = base_parameters().with_overrides(
        Override(r[1], by_jid[r[2]], dt.date.fromisoformat(r[3]), json.loads(r[4]), r[5])
        for r in rows
    )
    kunming_township = w.t_code[0]
    assert kunming_township.startswith("5301")
    on = dt.date(2026, 10, 1)
    for name in ("rank_bottom_count", "talk_min_attendance_ratio", "checkin_default_radius_m"):
        assert params.value(name, on=on, jurisdiction=kunming_township) == params.value(
            name, on=on, jurisdiction=home
        )


def test_no_generated_value_needs_escaping_in_copy_text_format():
    """The large tables are written without escaping (loader.TableSpec escape=()/all_text)."""
    from zhucun.gen import activity
    from zhucun.policy import WorkCalendar

    calendar = WorkCalendar()
    w = world.World(scale=SCALES["tiny"], seed=3, months=MONTH)
    month = MONTH[0]
    workdays = [
        d
        for d in (month + dt.timedelta(days=i) for i in range(31))
        if d.month == month.month and calendar.is_workday(d)
    ]
    months = [(month, workdays)]
    tables = [
        world.jurisdiction_rows(w),
        world.village_rows(w),
        world.unit_rows(w),
        people.cadre_rows(w),
        people.posting_rows(w),
        people.user_rows(w),
        activity.checkin_rows(w, months),
        activity.leave_rows(w, months),
        activity.diary_rows(w, months),
    ]
    checkins = 0
    for rows in tables:
        for row in rows:
            for value in row:
                if isinstance(value, str):
                    assert not any(ch in value for ch in "\t\n\r\\"), value
    for row in activity.checkin_rows(w, months):
        assert all(isinstance(v, str) for v in row)  # TableSpec(all_text=True)
        checkins += 1
    assert checkins > 500
