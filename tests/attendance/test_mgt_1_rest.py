"""MGT.1.REST: once a quarter, ≤ 7 days, ⅓ of the team, the small-team warning with the
township's reason, special periods — and the rules under concurrent approvals (PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import is_postgres
from zhucun.attendance import services as att
from zhucun.attendance.models import LeaveRequest
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, ValidationFailed

from .conftest import add_member, run_concurrently

D = dt.date


def rest(user, start, end, reason="轮休"):
    return att.leave_request_create(
        actor=user, kind="rotation_rest", start=start, end=end, reason=reason
    )


@pytest.fixture
def team6(world, users):
    """Village A with FS 岳文华, 线美玲 and four more team members: 6 people, ⅓ → 2."""
    return [users["team_member"]] + [add_member(world, n) for n in ("刀玉", "岩温", "玉香", "金山")]


def approve(users, leave, **kw):
    return att.leave_decide(
        actor=users["first_secretary"], leave_id=leave.pk, approve=True, note="同意", **kw
    )


def test_mgt_1_rest_at_most_seven_days(world, users, team6):
    with pytest.raises(ValidationFailed) as exc:
        rest(team6[0], D(2025, 4, 7), D(2025, 4, 14))
    assert "MGT.1.REST" in exc.value.errors and "7" in exc.value.errors["MGT.1.REST"]
    approve(users, rest(team6[0], D(2025, 4, 7), D(2025, 4, 13)))


def test_mgt_1_rest_once_per_quarter(world, users, team6):
    approve(users, rest(team6[0], D(2025, 4, 7), D(2025, 4, 9)))
    with pytest.raises(ValidationFailed) as exc:
        rest(team6[0], D(2025, 5, 12), D(2025, 5, 14))
    assert "季度" in exc.value.errors["MGT.1.REST"]
    approve(users, rest(team6[0], D(2025, 7, 7), D(2025, 7, 9)))  # next quarter


def test_mgt_1_rest_once_per_quarter_rechecked_at_approval(world, users, team6):
    a = rest(team6[0], D(2025, 4, 7), D(2025, 4, 9))
    b = rest(team6[0], D(2025, 5, 12), D(2025, 5, 14))  # both pending: allowed to ask
    approve(users, a)
    with pytest.raises(ValidationFailed):
        approve(users, b)
    assert LeaveRequest.objects.get(pk=b.pk).state == "pending"


def test_mgt_1_rest_third_of_the_team(world, users, team6):
    start, end = D(2025, 4, 7), D(2025, 4, 11)
    approve(users, rest(team6[0], start, end))
    approve(users, rest(team6[1], D(2025, 4, 9), D(2025, 4, 15)))
    with pytest.raises(ValidationFailed) as exc:  # a third person on 9–11 April
        rest(team6[2], D(2025, 4, 11), D(2025, 4, 12))
    assert "2025-04-11" in exc.value.errors["MGT.1.REST"]
    approve(users, rest(team6[2], D(2025, 4, 16), D(2025, 4, 18)))


def test_mgt_1_rest_small_team_rests_one_at_a_time(world, users):
    """MGT.1.REST settled reading: ⅓ rounds down but never below one person. Village A as
    built: FS + one TM = 2 people → one may rest, with no reason to record; not both at once."""
    tm, fs, township = users["team_member"], users["first_secretary"], users["township"]
    leave = rest(tm, D(2025, 4, 7), D(2025, 4, 9))
    assert leave.findings == []
    approve(users, leave)
    assert LeaveRequest.objects.get(pk=leave.pk).state == "approved"
    with pytest.raises(ValidationFailed) as exc:  # the FS on a day the TM rests
        rest(fs, D(2025, 4, 9), D(2025, 4, 10))
    assert "2025-04-09" in exc.value.errors["MGT.1.REST"]
    assert "上限1人" in exc.value.errors["MGT.1.REST"]
    # the FS's own rest on other days: the township approves, no reason needed
    own = rest(fs, D(2025, 5, 12), D(2025, 5, 14))
    att.leave_decide(actor=township, leave_id=own.pk, approve=True, note="同意")
    own.refresh_from_db()
    assert own.state == "approved" and own.override_reason == ""


def test_mgt_1_rest_special_period(world, users, team6):
    with pytest.raises(Forbidden):
        att.special_period_declare(
            actor=users["township"],
            jurisdiction_code="533103000000",
            start=D(2025, 4, 1),
            end=D(2025, 4, 30),
            reason="x",
        )
    att.special_period_declare(
        actor=users["county"],
        jurisdiction_code="533103000000",
        start=D(2025, 4, 1),
        end=D(2025, 4, 30),
        reason="边境管控特殊时期",
    )
    assert Event.objects.filter(action="special_period.declare").count() == 1
    with pytest.raises(ValidationFailed) as exc:
        rest(team6[0], D(2025, 4, 28), D(2025, 5, 2))
    assert "边境管控特殊时期" in exc.value.errors["MGT.1.REST"]
    rest(team6[0], D(2025, 5, 5), D(2025, 5, 9))
    # other kinds of leave are not affected
    att.leave_request_create(
        actor=team6[1], kind="sick", start=D(2025, 4, 7), end=D(2025, 4, 8), reason="发烧"
    )


needs_pg = pytest.mark.skipif(not is_postgres(), reason="concurrent approvals need PostgreSQL")


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_mgt_1_rest_concurrent_approvals_keep_the_third(world, users, team6):
    """Five rests for the same days approved at the same moment: ⅓ of 6 = 2 get through."""
    extra = add_member(world, "岩香")  # 7 people: ⌊7/3⌋ = 2
    leaves = [rest(u, D(2025, 4, 7), D(2025, 4, 11)) for u in [*team6, extra]]
    results = run_concurrently([lambda lv=lv: approve(users, lv) for lv in leaves])
    ok = [r for r in results if isinstance(r, LeaveRequest)]
    refused = [r for r in results if isinstance(r, ValidationFailed)]
    assert len(ok) == 2 and len(refused) == len(leaves) - 2, results
    assert LeaveRequest.objects.filter(state="approved").count() == 2


@needs_pg
@pytest.mark.django_db(transaction=True)
def test_mgt_1_rest_concurrent_approvals_keep_once_a_quarter(world, users, team6):
    """One person's four pending rests in one quarter approved at once: one gets through."""
    tm = team6[0]
    leaves = [
        rest(tm, D(2025, 4, 7), D(2025, 4, 8)),
        rest(tm, D(2025, 4, 21), D(2025, 4, 22)),
        rest(tm, D(2025, 5, 12), D(2025, 5, 13)),
        rest(tm, D(2025, 6, 9), D(2025, 6, 10)),
    ]
    results = run_concurrently([lambda lv=lv: approve(users, lv) for lv in leaves])
    assert sum(isinstance(r, LeaveRequest) for r in results) == 1, results
    assert sum(isinstance(r, ValidationFailed) for r in results) == 3, results
    assert LeaveRequest.objects.filter(cadre=tm.cadre, state="approved").count() == 1
