"""The inbox reads a bounded number of queries (issue 16, point 1: "counts come from the
database in a bounded number of queries"): with waiting facts in every module — nominations,
deadlines, uncovered villages, term ends, rotation applications, recalls, talks, leave — each
role's ``todo_list`` stays under a fixed bound, and three times the facts cost no more."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.selection.flow import ON
from tests.world import cadre_data
from zhucun.attendance.services.leave import leave_request_create
from zhucun.inbox.selectors import todo_list
from zhucun.registry import services as reg
from zhucun.review.services.recall import recall_record
from zhucun.rotation import services as rs
from zhucun.selection import services as sel

from ..web.helpers import ROLES

# todo_list of the busiest role (the county: attendance, selection, tenure, rotation, review,
# assessment, work, support) measured at 37 queries with every module's providers merged (the
# township 30, the prefecture 22); the bound leaves room for a provider's small change, not
# for a query per row — the test also checks the count does not grow with the facts.
BOUND = 40


@pytest.fixture(autouse=True)
def _attachments_dir(settings, tmp_path):
    settings.ZHUCUN_ATTACHMENTS_DIR = tmp_path / "files"


def _posted(world, name: str, serial: int, **posting) -> int:
    cadre = reg.cadre_create(
        actor=world.admin, data=cadre_data(name=name, serial=serial, unit_name="芒市人民医院")
    )
    return reg.posting_create(
        actor=world.admin,
        data={
            "id_number": cadre.id_number,
            "village_code": world.villages["B"].jurisdiction.code,
            "role": "team_member",
            "arrival_date": dt.date(2025, 1, 6),
            **posting,
        },
    ).pk


def add_facts(world, i: int) -> None:
    """One more of everything that waits for somebody, in 芒市 and for 芒市人民医院."""
    today = timezone.localdate()
    unit, county = world.users["unit"], world.users["county"]
    # a nomination proposed (the county reviews) and an application (the unit proposes)
    for k, source in enumerate(("recommendation", "application")):
        cadre = reg.cadre_create(
            actor=unit,
            data=cadre_data(name=f"候选{i}{k}", serial=100 + 10 * i + k, unit_name="芒市人民医院"),
        )
        n = sel.nomination_create(
            actor=unit, cadre_id=cadre.pk, role="team_member", source=source, dispatch_date=ON
        )
        if k == 0:
            sel.nomination_propose(
                actor=unit,
                nomination_id=n.pk,
                basic_attested=True,
                no1_attested=True,
                attested_by="x",
            )
    # a village without a team
    reg.village_create(
        actor=world.admin, code=f"5331031021{60 + i}", name=f"空村{i}", township_code="533103102000"
    )
    # a term ending within the notice window, whose cadre has also applied to rotate
    ending = _posted(world, f"期满{i}", 200 + i, planned_end=today + dt.timedelta(days=30 + i))
    rs.rotation_apply(actor=world.admin, posting_id=ending, cause="health", statement="需要治疗")
    # a recall: the unit owes a replacement
    recalled = _posted(world, f"召回{i}", 220 + i)
    recall_record(
        actor=county,
        posting_id=recalled,
        cause="absent",
        evidence="长期不在岗",
        deciding_body="芒市驻村工作领导协调机构",
        decided_on=dt.date(2026, 3, 15),
        reference=f"芒驻村〔2026〕{i}号",
    )
    # a leave request for the first secretary (attendance)
    start = today + dt.timedelta(days=30 + 7 * i)
    leave_request_create(
        actor=world.users["team_member"],
        kind="personal",
        start=start,
        end=start,
        reason="家中有事",
    )


def _queries(world) -> dict[str, tuple[int, int]]:
    """Per role: (queries, items)."""
    out = {}
    today = timezone.localdate()
    for role in ROLES:
        user = world.users[role]
        with CaptureQueriesContext(connection) as ctx:
            n = len(todo_list(user=user, today=today))
        out[role] = (len(ctx.captured_queries), n)
    return out


def test_todo_queries_are_bounded_and_do_not_grow_with_the_facts(world):
    add_facts(world, 0)
    once = _queries(world)
    assert once["county"][1] >= 8 and once["unit"][1] >= 4 and once["township"][1] >= 4
    for i in (1, 2):
        add_facts(world, i)
    thrice = _queries(world)
    assert {r: q for r, (q, _) in thrice.items()} == {r: q for r, (q, _) in once.items()}
    assert max(q for q, _ in thrice.values()) <= BOUND, thrice


@pytest.mark.parametrize("role", ROLES)
def test_todo_with_facts_everywhere_stays_under_the_bound(
    world, role, django_assert_max_num_queries
):
    add_facts(world, 0)
    with django_assert_max_num_queries(BOUND):
        todo_list(user=world.users[role], today=timezone.localdate())
