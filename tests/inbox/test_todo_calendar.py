"""The administrator's item: next year's holiday schedule (every working-day deadline, e.g.
SEL.METHOD.APPOINT10, needs it)."""

import datetime as dt

from zhucun.inbox.selectors import todo_list
from zhucun.params.calendar import work_calendar


def test_next_years_schedule_is_asked_for_from_november_SEL_METHOD_APPOINT10(client, world):
    admin = world.users["admin"]
    year = max(y for y in range(2020, 2040) if work_calendar().knows(y)) + 1
    november = dt.date(year - 1, 11, 20)
    items = {i.kind: i for i in todo_list(user=admin, today=november)}
    assert f"calendar_{year}" in items
    assert items[f"calendar_{year}"].deadline_text == f"请录入{year}年节假日安排"
    assert client.get(items[f"calendar_{year}"].url).status_code in (200, 302)
    assert f"calendar_{year}" not in {
        i.kind for i in todo_list(user=admin, today=dt.date(year - 1, 6, 1))
    }
    county = world.users["county"]
    assert not any(i.kind.startswith("calendar_") for i in todo_list(user=county, today=november))
