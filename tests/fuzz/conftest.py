"""Shared setup of the fuzz tests (issue #5, item 6).

* ``EXAMPLES`` — examples per operation per role (schemathesis) and per hypothesis test,
  from the environment variable ``ZHUCUN_FUZZ_EXAMPLES`` (default 5, kept small for CI).
* the hypothesis profile ``zhucun-fuzz``: ``max_examples=EXAMPLES``, derandomized (the same
  examples on every run, so CI is reproducible), no example database, no deadline. It is
  registered here but never *loaded* (that would change the other packages' hypothesis
  tests); the tests apply it with ``@FUZZ``.
* ``fuzz_world`` — tests/world.py plus a record of every kind the API lists (check-ins, an
  open fraud signal, an exception awaiting review, leave in several states, a diary, a closed
  month with rankings, a summary, an interview, a special period, nominations, a composition
  exception, a parameter value, milestones) and a bearer token per role. Built once for the
  package inside a transaction rolled back at the end (as tests/demo does); every test runs
  in a savepoint of it, so whatever a test writes is gone before the next one.
* ``wsgi_in_test_transaction`` — Django's real WSGI handler fires ``request_started`` /
  ``request_finished``, whose ``close_old_connections`` would drop the connection holding the
  test transaction (autocommit is off inside it). The test ``Client`` switches the signal off
  around each request; for in-process WSGI calls this fixture does the same.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import override_settings
from hypothesis import HealthCheck, settings

EXAMPLES = max(1, int(os.environ.get("ZHUCUN_FUZZ_EXAMPLES", "5") or "5"))

settings.register_profile(
    "zhucun-fuzz",
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
)
FUZZ = settings(settings.get_profile("zhucun-fuzz"))

ROLES = (
    "admin",
    "prefecture",
    "county",
    "township",
    "unit",
    "first_secretary",
    "team_member",
    "village_secretary",
)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CLOSED_MONTH = dt.date(2024, 10, 1)
TZ = dt.timezone(dt.timedelta(hours=8))


@dataclass
class FuzzWorld:
    world: Any
    tokens: dict[str, str]

    def header(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def _checkin(user: Any, when: dt.datetime, pos: tuple[float, float] | None, **kw: Any) -> Any:
    from zhucun.attendance import services as att

    return att.checkin_record(
        actor=user,
        client_key=uuid.uuid4(),
        lat=None if pos is None else round(pos[0], 6),
        lng=None if pos is None else round(pos[1], 6),
        accuracy_m=None if pos is None else 12.0,
        device_time=when,
        received_at=when + dt.timedelta(minutes=1),
        **kw,
    )[0]


def build_fuzz_world() -> FuzzWorld:
    from django.utils import timezone

    from tests.selection.flow import FIVE, ON
    from tests.world import build_world, cadre_data
    from zhucun.attendance import services as att
    from zhucun.params.calendar import work_calendar
    from zhucun.params.services import parameter_set
    from zhucun.policy.geo import gcj02_to_wgs84
    from zhucun.registry import services as reg
    from zhucun.selection import services as sel
    from zhucun.selection.deadlines import posting_record_milestone
    from zhucun.useradmin.services import token_create

    w = build_world()
    users = w.users
    fs, tm, township = users["first_secretary"], users["team_member"], users["township"]
    point = gcj02_to_wgs84(24.256, 98.276)  # village A's check-in point, in WGS-84
    far = (point[0] - 0.05, point[1])  # ~5.5 km south: outside the fence

    # October 2024 on duty in village A, then the month closed (rankings, summary, interview)
    cal = work_calendar()
    days = [CLOSED_MONTH + dt.timedelta(days=i) for i in range(31)]
    work = [d for d in days if cal.is_workday(d)]
    for d in work:
        _checkin(fs, dt.datetime(d.year, d.month, d.day, 9, tzinfo=TZ), point)
    for d in work[:8]:
        _checkin(tm, dt.datetime(d.year, d.month, d.day, 9, tzinfo=TZ), point)
    att.month_close(month=CLOSED_MONTH)
    att.summary_prepare(actor=fs, month=CLOSED_MONTH, note="本月开展入户走访")
    att.interview_record(
        actor=users["county"],
        cadre_id=w.cadres["tm_a"].pk,
        month=CLOSED_MONTH,
        township_leader="遮放镇党委副书记 张明",
        unit_leader="芒市人民医院副院长 李红",
        held_on=dt.date(2024, 11, 5),
        record="指出出勤不足,本人表示整改。",
    )

    # the last days: an ordinary check-in, one off the fence awaiting the township's review,
    # one without a position, and a phone shared by two cadres (a fraud signal)
    now = timezone.now()
    _checkin(fs, now - dt.timedelta(days=2), point, device_id="PHONE-SHARED")
    _checkin(tm, now - dt.timedelta(days=2), point, device_id="PHONE-SHARED")
    _checkin(tm, now - dt.timedelta(days=1), far, device_id="PHONE-TM")
    _checkin(fs, now - dt.timedelta(hours=1), None, no_position_reason="浏览器拒绝定位权限")

    # leave: pending, approved, cancelled; a special period; the diary
    today = timezone.localdate()
    soon = today + dt.timedelta(days=40)
    att.leave_request_create(  # left pending
        actor=tm, kind="personal", start=soon, end=soon + dt.timedelta(days=1), reason="家中有事"
    )
    approved = att.leave_request_create(
        actor=tm,
        kind="training",
        start=soon + dt.timedelta(days=10),
        end=soon + dt.timedelta(days=12),
        reason="参加培训",
    )
    att.leave_decide(actor=fs, leave_id=approved.pk, approve=True, note="同意")
    cancelled = att.leave_request_create(
        actor=fs,
        kind="business_trip",
        start=soon + dt.timedelta(days=20),
        end=soon + dt.timedelta(days=21),
        reason="到州里汇报",
    )
    att.leave_cancel(actor=fs, leave_id=cancelled.pk, reason="行程取消")
    att.special_period_declare(
        actor=users["county"],
        jurisdiction_code="533103000000",
        start=soon + dt.timedelta(days=60),
        end=soon + dt.timedelta(days=70),
        reason="防汛救灾",
    )
    for back in (1, 2):
        att.diary_save(
            actor=tm,
            day=today - dt.timedelta(days=back),
            duties=["DUT.2", "DUT.5"],
            text="入户走访5户",
        )

    # selection: a nomination just created, one decided, a composition exception, a
    # parameter value, the milestones of a posting
    unit = users["unit"]
    extra = reg.cadre_create(
        actor=w.admin,
        data=cadre_data(name="杨晓东", serial=61, unit_name="芒市人民医院"),
    )
    sel.nomination_create(
        actor=unit,
        cadre_id=w.cadres["spare"].pk,
        role="team_member",
        source="recommendation",
        dispatch_date=ON,
    )
    n = sel.nomination_create(
        actor=unit, cadre_id=extra.pk, role="team_member", source="application", dispatch_date=ON
    )
    sel.nomination_propose(
        actor=unit,
        nomination_id=n.pk,
        basic_attested=True,
        no1_attested=True,
        attested_by="人事科 王敏",
    )
    sel.nomination_review(
        actor=users["county"], nomination_id=n.pk, checkpoints=FIVE, reviewer_name="县驻村办 李华"
    )
    sel.composition_exception_create(
        actor=users["county"],
        village_id=w.villages["B"].pk,
        reason="人口少,一名第一书记即可",
        valid_from=dt.date(2024, 1, 1),
        valid_until=dt.date(2030, 12, 31),
        min_team_members=0,
    )
    posting_record_milestone(
        actor=township,
        posting_id=w.postings["fs_a"].pk,
        kind="appoint",
        on=dt.date(2024, 3, 8),
        note="遮放镇党委任命",
    )
    parameter_set(
        actor=users["county"],
        name="min_days_on_duty_per_year",
        jurisdiction_code="533103000000",
        effective=dt.date(2024, 1, 1),
        value=200,
        note="芒组通〔2024〕12号",
    )

    tokens = {role: token_create(actor=None, user=u, name="模糊测试") for role, u in users.items()}
    return FuzzWorld(world=w, tokens=tokens)


def real_ids() -> dict[str, list[Any]]:
    """Keys of the rows in the database now, per kind of path parameter."""
    from zhucun.attendance.models import CheckIn, FraudSignal, LeaveRequest, MonthlySummary
    from zhucun.registry.models import Cadre, DispatchingUnit, Jurisdiction, Posting, Village
    from zhucun.selection.models import Nomination

    def pks(model: Any) -> list[int]:
        return list(model.objects.order_by("pk").values_list("pk", flat=True)[:50])

    return {
        "villages": pks(Village),
        "units": pks(DispatchingUnit),
        "cadres": pks(Cadre),
        "postings": pks(Posting),
        "nominations": pks(Nomination),
        "checkins": pks(CheckIn),
        "fraud-signals": pks(FraudSignal),
        "leave": pks(LeaveRequest),
        "summaries": pks(MonthlySummary),
        "jurisdictions": list(
            Jurisdiction.objects.order_by("code").values_list("code", flat=True)[:50]
        ),
    }


@pytest.fixture(scope="package")
def fuzz_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        with transaction.atomic():
            yield build_fuzz_world()
            transaction.set_rollback(True)


@pytest.fixture
def fw(fuzz_world, db):
    """The package's world, inside this test's savepoint."""
    return fuzz_world


@pytest.fixture
def wsgi_in_test_transaction():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
