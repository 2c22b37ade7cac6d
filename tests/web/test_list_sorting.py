"""Issue 16 point 6: every list sortable by its column headers (a whitelist of keys mapped to an
ORDER BY in the database; an unknown key is ignored, never a 500) and filterable, the order and
the filters kept across pages."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.utils import timezone

from tests.world import cadre_data
from zhucun.attendance.models import CheckIn, LeaveRequest
from zhucun.registry import services
from zhucun.registry.models import Cadre, DispatchingUnit, Posting, Village
from zhucun.selection.models import Nomination
from zhucun.web.views._sorting import sort_param

from .helpers import html, login

# ---- the helper ------------------------------------------------------------------------------


def _req(query: str):
    return RequestFactory().get("/x/" + query)


ALLOWED = {"name": "name", "unit": ("unit__name", "name")}


@pytest.mark.parametrize(
    ("query", "key", "descending", "param"),
    [
        ("", "unit", False, ""),
        ("?sort=name", "name", False, "name"),
        ("?sort=-name", "name", True, "-name"),
        ("?sort=-unit", "unit", True, "-unit"),
        ("?sort=bogus", "unit", False, ""),
        ("?sort=--name", "unit", False, ""),
        ("?sort=-", "unit", False, ""),
        ("?sort=__class__", "unit", False, ""),
        ("?sort=name;DROP%20TABLE", "unit", False, ""),
        ("?sort=unit__name", "unit", False, ""),  # a field, not a key of the whitelist
    ],
)
def test_sort_param_reads_only_whitelisted_keys(query, key, descending, param):
    sort = sort_param(_req(query), ALLOWED, "unit")
    assert (sort.key, sort.descending, sort.param) == (key, descending, param)


def test_sort_param_default_must_be_allowed():
    with pytest.raises(ValueError):
        sort_param(_req(""), ALLOWED, "bogus")


# ---- the lists ---------------------------------------------------------------------------------


def row_pks(response, table_id: str) -> list[int]:
    """The ``data-pk`` of each row of the table, in the order shown."""
    text = html(response)
    start = text.index(f'id="{table_id}"')
    end = text.index("</table>", start)
    return [int(pk) for pk in re.findall(r'data-pk="(\d+)"', text[start:end])]


def expected_order(objects, fields: list[Callable], descending: bool) -> list[int]:
    """What ``Sort.ordering`` asks of the database, computed in Python: each field ascending
    (or each descending), empty values last either way, the primary key last."""
    items = list(objects)
    for field in reversed([*fields, lambda o: o.pk]):
        present = sorted((o for o in items if field(o) is not None), key=field, reverse=descending)
        items = present + [o for o in items if field(o) is None]
    return [o.pk for o in items]


def rank(codes):
    return lambda value: list(codes).index(value)


def _active_village_code(cadre):
    p = cadre.postings.filter(status="active").order_by("-arrival_date", "-id").first()
    return p.village.jurisdiction.code if p else None


PARTY = rank(["full", "probationary", "none"])
ROLE = rank(["first_secretary", "team_leader", "team_member"])
STATUS = rank(["planned", "active", "ended"])
LEVEL = rank(["province", "prefecture", "county"])

CADRE_KEYS = {
    "name": [lambda c: c.name],
    "gender": [lambda c: c.gender, lambda c: c.name],
    "ethnicity": [lambda c: c.ethnicity, lambda c: c.name],
    "unit": [lambda c: c.unit.name, lambda c: c.name],
    "post": [lambda c: c.post, lambda c: c.name],
    "party": [lambda c: PARTY(c.party_status), lambda c: c.name],
    "village": [_active_village_code, lambda c: c.name],
}
VILLAGE_KEYS = {
    "code": [lambda v: v.jurisdiction.code],
    "name": [lambda v: v.jurisdiction.name, lambda v: v.jurisdiction.code],
    "township": [lambda v: v.township.code, lambda v: v.jurisdiction.code],
    "county": [lambda v: v.township.parent.code, lambda v: v.jurisdiction.code],
    "active": [
        lambda v: v.postings.filter(status="active").count(),
        lambda v: v.jurisdiction.code,
    ],
}
POSTING_KEYS = {
    "name": [lambda p: p.cadre.name, lambda p: p.arrival_date],
    "unit": [lambda p: p.cadre.unit.name, lambda p: p.cadre.name],
    "village": [
        lambda p: p.village.jurisdiction.code,
        lambda p: ROLE(p.role),
        lambda p: p.arrival_date,
    ],
    "township": [lambda p: p.village.township.code, lambda p: p.village.jurisdiction.code],
    "county": [lambda p: p.village.township.parent.code, lambda p: p.village.jurisdiction.code],
    "role": [lambda p: ROLE(p.role), lambda p: p.village.jurisdiction.code],
    "arrival": [lambda p: p.arrival_date, lambda p: p.village.jurisdiction.code],
    "planned": [lambda p: p.planned_end, lambda p: p.village.jurisdiction.code],
    "status": [lambda p: STATUS(p.status), lambda p: p.village.jurisdiction.code],
}
UNIT_KEYS = {
    "name": [lambda u: u.name],
    "level": [lambda u: LEVEL(u.level), lambda u: u.name],
    "kind": [lambda u: u.kind, lambda u: u.name],
    "place": [lambda u: u.jurisdiction.code if u.jurisdiction else None, lambda u: u.name],
}


def _vary_registry(world):
    """Values that differ in every sorted column: another planned posting, other dates."""
    spare = world.cadres["spare"]
    services.cadre_update(actor=world.admin, cadre_id=spare.pk, data={"post": "主任"})
    services.posting_create(
        actor=world.admin,
        data={
            "id_number": spare.id_number,
            "village_code": "533103102002",
            "role": "team_member",
            "arrival_date": dt.date(2025, 6, 1),
            "planned_end": dt.date(2027, 6, 1),
            "status": "planned",
        },
    )
    Posting.objects.filter(pk=world.postings["fs_c"].pk).update(
        arrival_date=dt.date(2023, 1, 5), planned_end=None
    )


LISTS = [
    ("/cadres/", "cadre-table", Cadre, CADRE_KEYS, "unit"),
    ("/villages/", "village-table", Village, VILLAGE_KEYS, "code"),
    ("/postings/", "posting-table", Posting, POSTING_KEYS, "village"),
    ("/units/", "unit-table", DispatchingUnit, UNIT_KEYS, "level"),
]


@pytest.mark.parametrize(("url", "table", "model", "keys", "default"), LISTS)
def test_each_sort_key_orders_the_list(client, world, url, table, model, keys, default):
    _vary_registry(world)
    login(client, world, "admin")
    objects = list(model.objects.all())
    for key, fields in keys.items():
        for descending in (False, True):
            response = client.get(url, {"sort": f"-{key}" if descending else key})
            assert response.status_code == 200
            shown = row_pks(response, table)
            assert shown == expected_order(objects, fields, descending), (key, descending)
    # the default order, and an unknown key falls back to it
    default_order = row_pks(client.get(url), table)
    assert default_order == expected_order(objects, keys[default], False)
    for bad in ("bogus", "-", "--name", "__class__", "pk", "id", "cadre__id_number"):
        response = client.get(url, {"sort": bad})
        assert response.status_code == 200, bad
        assert row_pks(response, table) == default_order, bad


def test_header_links_keep_the_filters_and_toggle_the_direction(client, world):
    login(client, world, "admin")
    unit = world.units["pref"].pk
    text = html(client.get("/cadres/", {"unit": unit, "sort": "name", "page": "1"}))
    head = text[text.index("<thead>") : text.index("</thead>")]
    assert f'href="?unit={unit}&amp;sort=-name"' in head  # sorted ascending → next: descending
    assert 'aria-sort="ascending"' in head and "▲" in head
    assert f'href="?unit={unit}&amp;sort=gender"' in head
    assert f'href="?unit={unit}"' in head  # the default column: no sort parameter
    assert "page=" not in head
    # the filter form keeps the order
    assert '<input type="hidden" name="sort" value="name">' in text
    text = html(client.get("/cadres/", {"sort": "-name"}))
    assert 'aria-sort="descending"' in text and "▼" in text


def test_pages_keep_the_order_and_the_filters(client, world):
    for n in range(27):
        services.cadre_create(
            actor=world.admin,
            data=cadre_data(name=f"甲{n:02d}", serial=200 + n, unit_name="芒市人民医院"),
        )
    login(client, world, "admin")
    unit = world.units["mangshi"].pk
    first = client.get("/cadres/", {"unit": unit, "sort": "-name"})
    text = html(first)
    assert f'href="?unit={unit}&amp;sort=-name&amp;page=2"' in text
    second = client.get("/cadres/", {"unit": unit, "sort": "-name", "page": 2})
    pks = row_pks(first, "cadre-table") + row_pks(second, "cadre-table")
    expected = list(
        Cadre.objects.filter(unit_id=unit).order_by("-name", "-pk").values_list("pk", flat=True)
    )
    assert pks == expected and len(pks) == 29


# ---- filters -----------------------------------------------------------------------------------


def pk_set(response, table):
    return set(row_pks(response, table))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"township": "533103102000"}, {"fs_a", "tm_a", "fs_b"}),
        ({"county": "533102000000"}, {"fs_c"}),
        ({"county": "533103000000", "posted": "1"}, {"fs_a", "tm_a", "fs_b"}),
        ({"q": "线美"}, {"tm_a"}),
    ],
)
def test_cadre_filters(client, world, params, expected):
    login(client, world, "prefecture")
    response = client.get("/cadres/", params)
    assert pk_set(response, "cadre-table") == {world.cadres[k].pk for k in expected}


def test_cadre_list_q_reads_the_id_number_as_the_search_does(client, world):
    cadre = world.cadres["tm_a"]
    login(client, world, "county")
    assert pk_set(client.get("/cadres/", {"q": cadre.id_number[-4:]}), "cadre-table") == {cadre.pk}
    login(client, world, "township")  # reads numbers masked: the hidden digits find nobody
    assert pk_set(client.get("/cadres/", {"q": cadre.id_number[-4:]}), "cadre-table") == set()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "岳文华"}, {"fs_a"}),
        ({"q": "拉勐"}, {"fs_b"}),
        ({"q": "533102001001"}, {"fs_c"}),
        ({"from": "2024-03-01", "to": "2024-03-01"}, {"fs_a", "tm_a", "fs_b", "fs_c"}),
        ({"from": "2024-03-02"}, set()),
        ({"township": "533103102000", "role": "first_secretary"}, {"fs_a", "fs_b"}),
    ],
)
def test_posting_filters(client, world, params, expected):
    login(client, world, "prefecture")
    response = client.get("/postings/", params)
    assert pk_set(response, "posting-table") == {world.postings[k].pk for k in expected}


def test_a_date_that_does_not_read_is_ignored_and_said(client, world):
    login(client, world, "prefecture")
    response = client.get("/postings/", {"from": "2024-13-45", "sort": "arrival"})
    assert response.status_code == 200
    assert 'id="filter-problems"' in html(response) and "已忽略" in html(response)
    assert len(pk_set(response, "posting-table")) == 4


# nominations -------------------------------------------------------------------------------------


def _nominations(world):
    made = {}
    for key, cadre, role, state, village, day in (
        ("n1", "spare", "team_member", "proposed", "B", dt.date(2026, 3, 2)),
        ("n2", "fs_a", "first_secretary", "filed", None, dt.date(2026, 1, 5)),
        ("n3", "fs_c", "team_leader", "applied", "C", dt.date(2026, 6, 1)),
    ):
        c = world.cadres[cadre]
        made[key] = Nomination.objects.create(
            cadre=c,
            unit=c.unit,
            role=role,
            state=state,
            source="recommendation" if key != "n3" else "application",
            dispatch_date=day,
            village=world.villages[village] if village else None,
        )
    return made


NOMINATION_KEYS = {
    "name": [lambda n: n.cadre.name, lambda n: -n.updated_at.timestamp()],
    "unit": [lambda n: n.unit.name, lambda n: n.cadre.name],
    "role": [lambda n: ROLE(n.role), lambda n: n.cadre.name],
    "village": [
        lambda n: n.village.jurisdiction.code if n.village else None,
        lambda n: n.cadre.name,
    ],
    "source": [lambda n: rank(["application", "recommendation"])(n.source), lambda n: n.cadre.name],
    "dispatch": [lambda n: n.dispatch_date, lambda n: n.cadre.name],
    "state": [
        lambda n: rank(["applied", "recommended", "proposed", "filed", "decided", "posted"])(
            n.state
        ),
        lambda n: -n.updated_at.timestamp(),
    ],
    "updated": [lambda n: n.updated_at],
}


def test_nomination_sorting(client, world):
    made = _nominations(world)
    login(client, world, "admin")
    objects = list(Nomination.objects.filter(pk__in=[n.pk for n in made.values()]))
    for key, fields in NOMINATION_KEYS.items():
        for descending in (False, True):
            response = client.get("/nominations/", {"sort": f"-{key}" if descending else key})
            assert row_pks(response, "nomination-table") == expected_order(
                objects, fields, descending
            ), key
    default = row_pks(client.get("/nominations/"), "nomination-table")
    assert default == expected_order(objects, NOMINATION_KEYS["updated"], True)
    assert row_pks(client.get("/nominations/", {"sort": "x"}), "nomination-table") == default


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"role": "team_leader"}, {"n3"}),
        ({"township": "533103102000"}, {"n1"}),
        ({"county": "533102000000"}, {"n3"}),
        ({"from": "2026-02-01", "to": "2026-05-31"}, {"n1"}),
        ({"state": "filed"}, {"n2"}),
        ({"q": "李国"}, {"n3"}),
        ({"role": "bogus"}, {"n1", "n2", "n3"}),
    ],
)
def test_nomination_filters(client, world, params, expected):
    made = _nominations(world)
    login(client, world, "prefecture")
    response = client.get("/nominations/", params)
    assert response.status_code == 200
    assert pk_set(response, "nomination-table") == {made[k].pk for k in expected}


def test_nomination_unit_filter(client, world):
    made = _nominations(world)
    login(client, world, "prefecture")
    response = client.get("/nominations/", {"unit": world.units["pref"].pk})
    assert pk_set(response, "nomination-table") == {made["n2"].pk}


# check-in exceptions and decided leave (the township's daily lists) --------------------------


def _exception(world, key, day, status, hour=9, distance=None):
    cadre = world.cadres[key]
    posting = world.postings[key]
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())
    return CheckIn.objects.create(
        cadre=cadre,
        village=posting.village,
        client_key=uuid.uuid4(),
        day=day,
        device_time=moment,
        received_at=moment,
        lat=Decimal("24.3"),
        lng=Decimal("98.3"),
        accuracy_m=10,
        distance_m=distance,
        status=status,
        counts=False,
    )


def _exceptions(world):
    return {
        "e1": _exception(world, "fs_a", dt.date(2025, 3, 3), "off_fence", distance=900),
        "e2": _exception(world, "tm_a", dt.date(2025, 3, 4), "low_accuracy"),
        "e3": _exception(world, "fs_b", dt.date(2025, 3, 3), "late", hour=11),
        "e4": _exception(world, "fs_c", dt.date(2025, 3, 5), "off_fence"),  # 瑞丽: not ours
    }


CHECKIN_KEYS = {
    "day": [lambda c: c.day, lambda c: c.device_time],
    "name": [lambda c: c.cadre.name, lambda c: -c.day.toordinal()],
    "village": [lambda c: c.village.jurisdiction.code, lambda c: -c.day.toordinal()],
    "status": [
        lambda c: rank(["ok", "off_fence", "low_accuracy", "no_position", "late", "no_point"])(
            c.status
        ),
        lambda c: -c.day.toordinal(),
    ],
}


def test_exception_sorting(client, world):
    made = _exceptions(world)
    login(client, world, "township")
    objects = [made[k] for k in ("e1", "e2", "e3")]
    for key, fields in CHECKIN_KEYS.items():
        for descending in (False, True):
            response = client.get(
                "/township/exceptions/", {"sort": f"-{key}" if descending else key}
            )
            assert row_pks(response, "exception-table") == expected_order(
                objects, fields, descending
            ), key
    default = row_pks(client.get("/township/exceptions/"), "exception-table")
    assert default == expected_order(objects, CHECKIN_KEYS["day"], True)
    bad = client.get("/township/exceptions/", {"sort": "device_time"})
    assert row_pks(bad, "exception-table") == default


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "off_fence"}, {"e1"}),
        ({"q": "排早"}, {"e3"}),
        ({"from": "2025-03-04"}, {"e2"}),
        ({"to": "2025-03-03"}, {"e1", "e3"}),
        ({"status": "ok"}, set()),
    ],
)
def test_exception_filters(client, world, params, expected):
    made = _exceptions(world)
    login(client, world, "township")
    response = client.get("/township/exceptions/", params)
    assert pk_set(response, "exception-table") == {made[k].pk for k in expected}


def test_exception_village_filter(client, world):
    made = _exceptions(world)
    login(client, world, "township")
    response = client.get("/township/exceptions/", {"village": world.villages["B"].pk})
    assert pk_set(response, "exception-table") == {made["e3"].pk}
    # a village outside the township: nothing of it, and no error
    response = client.get("/township/exceptions/", {"village": world.villages["C"].pk})
    assert response.status_code == 200 and pk_set(response, "exception-table") == set()


def _decided(world):
    now = timezone.now()
    rows = {}
    for key, cadre, kind, start, state, hours in (
        ("l1", "fs_a", "personal", dt.date(2025, 4, 7), "approved", 5),
        ("l2", "fs_b", "sick", dt.date(2025, 5, 12), "rejected", 1),
        ("l3", "fs_a", "training", dt.date(2025, 3, 3), "returned", 9),
    ):
        posting = world.postings[cadre]
        rows[key] = LeaveRequest.objects.create(
            cadre=world.cadres[cadre],
            posting=posting,
            village=posting.village,
            kind=kind,
            start=start,
            end=start + dt.timedelta(days=1),
            reason="家中有事",
            state=state,
            approver_level="township",
            decided_by=world.users["township"],
            decided_at=now - dt.timedelta(hours=hours),
        )
    return rows


LEAVE_KEYS = {
    "name": [lambda v: v.cadre.name, lambda v: -v.start.toordinal()],
    "kind": [
        lambda v: rank(["personal", "sick", "business_trip", "training", "meeting"])(v.kind),
        lambda v: -v.start.toordinal(),
    ],
    "start": [lambda v: v.start, lambda v: v.cadre.name],
    "state": [
        lambda v: rank(["pending", "approved", "rejected", "returned", "cancelled"])(v.state),
        lambda v: -v.start.toordinal(),
    ],
    "decided": [lambda v: v.decided_at, lambda v: v.cadre.name],
}


def test_decided_leave_sorting_and_filters(client, world):
    made = _decided(world)
    login(client, world, "township")
    objects = list(made.values())
    for key, fields in LEAVE_KEYS.items():
        for descending in (False, True):
            response = client.get(
                "/township/approvals/", {"sort": f"-{key}" if descending else key}
            )
            assert row_pks(response, "decided-table") == expected_order(
                objects, fields, descending
            ), key
    assert row_pks(client.get("/township/approvals/"), "decided-table") == expected_order(
        objects, LEAVE_KEYS["start"], True
    )
    for params, expected in (
        ({"kind": "sick"}, {"l2"}),
        ({"state": "returned"}, {"l3"}),
        ({"q": "岳文华"}, {"l1", "l3"}),
        ({"from": "2025-04-01", "to": "2025-04-30"}, {"l1"}),
        ({"state": "pending"}, set()),
    ):
        response = client.get("/township/approvals/", params)
        assert pk_set(response, "decided-table") == {made[k].pk for k in expected}, params
