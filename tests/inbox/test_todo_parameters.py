"""The prefecture's item: figures the source lost (GAP, e.g. MGT.1.DAYS) still to set."""

import datetime as dt

from zhucun.inbox.selectors import todo_list
from zhucun.params.selectors import parameter_table


def test_gap_parameters_unset_are_asked_for_MGT_1_DAYS(client, world):
    today = dt.date(2026, 12, 7)
    gaps = [
        r
        for r in parameter_table(on=today, jurisdiction="533100000000")
        if r["gap"] and r["value"] is None
    ]
    assert any(r["name"] == "min_days_on_duty_per_year" for r in gaps)
    for role in ("admin", "prefecture"):
        items = {i.kind: i for i in todo_list(user=world.users[role], today=today)}
        assert items["parameters_unset"].count == len(gaps)
        assert client.get(items["parameters_unset"].url).status_code in (200, 302)
    county = {i.kind for i in todo_list(user=world.users["county"], today=today)}
    assert "parameters_unset" not in county
