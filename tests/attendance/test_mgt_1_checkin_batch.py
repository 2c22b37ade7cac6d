"""MGT.1.CHECKIN / MGT.1.FRAUD: recording check-ins in batches (the group-commit hot path).

A batch is one transaction with a fixed number of queries, whatever its size; each item gets
its own outcome; resends and duplicates inside a batch store nothing twice; the fraud rules
see check-ins judged earlier in the same batch as if they had been stored one by one."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhucun.attendance import services as att
from zhucun.attendance.models import CheckIn, FraudSignal
from zhucun.audit.models import Event
from zhucun.audit.services import chain_verify
from zhucun.core.errors import Forbidden

from .conftest import A_POINT_WGS, add_member, at, south_of


def item(user, when, *, pos=A_POINT_WGS, key=None, device_id=""):
    return (
        user,
        att.checkin_clean(
            client_key=key or uuid.uuid4(),
            lat=None if pos is None else round(pos[0], 6),
            lng=None if pos is None else round(pos[1], 6),
            accuracy_m=None if pos is None else 15.0,
            device_time=when,
            received_at=when + dt.timedelta(minutes=1),
            device_id=device_id,
            no_position_reason="" if pos else "定位失败",
        ),
    )


def test_mgt_1_checkin_batch_queries_do_not_grow_with_the_batch(world, users):
    members = [add_member(world, f"批量{i}号") for i in range(8)]
    for m in members:  # each has a previous check-in, as on an ordinary morning
        att.checkins_record(items=[item(m, at(2025, 3, 2))])
    with CaptureQueriesContext(connection) as one:
        (single,) = att.checkins_record(items=[item(members[0], at(2025, 3, 3), device_id="P0")])
    with CaptureQueriesContext(connection) as many:
        outcomes = att.checkins_record(
            items=[
                item(m, at(2025, 3, 4), pos=south_of(A_POINT_WGS, 20), device_id=f"P{i}")
                for i, m in enumerate(members)
            ]
        )
    assert single.created and all(o.created and o.error is None for o in outcomes)
    assert len({o.checkin.pk for o in outcomes}) == 8
    # (a single check-in also looks for a resend before taking the lock: one query more)
    assert len(many) <= len(one), [q["sql"][:60] for q in many.captured_queries]
    assert CheckIn.objects.filter(day=dt.date(2025, 3, 4)).count() == 8


def test_mgt_1_checkin_batch_audits_each_checkin_as_its_cadre(world, users):
    a, b = add_member(world, "审计甲"), add_member(world, "审计乙")
    outcomes = att.checkins_record(items=[item(a, at(2025, 3, 3)), item(b, at(2025, 3, 3))])
    for user, o in zip((a, b), outcomes, strict=True):
        event = Event.objects.get(action="checkin.record", object_id=str(o.checkin.pk))
        assert event.actor_id == user.pk
        assert event.after["client_key"] == str(o.checkin.client_key)
    checked, broken, reason = chain_verify()
    assert broken is None and reason == "" and checked == Event.objects.count()


def test_mgt_1_checkin_batch_same_key_twice_is_stored_once(world, users):
    tm, key = users["team_member"], uuid.uuid4()
    first, again = att.checkins_record(
        items=[item(tm, at(2025, 3, 3), key=key), item(tm, at(2025, 3, 3), key=key)]
    )
    assert first.created and not again.created
    assert first.checkin.pk == again.checkin.pk
    assert CheckIn.objects.filter(client_key=key).count() == 1
    (resend,) = att.checkins_record(items=[item(tm, at(2025, 3, 3), key=key)])
    assert not resend.created and resend.checkin.pk == first.checkin.pk


def test_mgt_1_checkin_batch_refusals_are_per_item(world, users):
    township = users["township"]
    unposted = add_member(world, "已离任")
    unposted.cadre.postings.update(status="ended")
    ok_user = users["team_member"]
    refused, no_post, ok = att.checkins_record(
        items=[
            item(township, at(2025, 3, 3)),
            item(unposted, at(2025, 3, 3)),
            item(ok_user, at(2025, 3, 3)),
        ]
    )
    assert isinstance(refused.error, Forbidden) and "驻村干部" in refused.error.message
    assert isinstance(no_post.error, Forbidden) and "没有在岗" in no_post.error.message
    assert ok.created and ok.error is None
    assert CheckIn.objects.count() == 1
    assert Event.objects.filter(action="checkin.record").count() == 1


def test_mgt_1_fraud_shared_device_seen_within_one_batch(world, users):
    """MGT.1.FRAUD: two cadres on one phone in the same batch — the second is flagged."""
    a, b = add_member(world, "共机甲"), add_member(world, "共机乙")
    first, second = att.checkins_record(
        items=[
            item(a, at(2025, 3, 3, 9, 0), device_id="SHARED-1"),
            item(b, at(2025, 3, 3, 9, 5), device_id="SHARED-1"),
        ]
    )
    kinds_b = set(FraudSignal.objects.filter(checkin=second.checkin).values_list("kind", flat=True))
    kinds_a = set(FraudSignal.objects.filter(checkin=first.checkin).values_list("kind", flat=True))
    assert "shared_device" in kinds_b and "shared_device" not in kinds_a
    message = FraudSignal.objects.get(checkin=second.checkin, kind="shared_device").message
    assert "共机甲" in message


def test_mgt_1_fraud_speed_between_checkins_of_one_batch(world, users):
    """MGT.1.FRAUD: the same cadre 300 km apart within ten minutes, both in one batch (an
    offline queue replayed at once): the later one is flagged, judged in device-time order."""
    tm = users["team_member"]
    far = south_of(A_POINT_WGS, 300_000)
    later, earlier = att.checkins_record(
        items=[item(tm, at(2025, 3, 3, 9, 10), pos=far), item(tm, at(2025, 3, 3, 9, 0))]
    )
    assert FraudSignal.objects.filter(checkin=later.checkin, kind="speed").exists()
    assert not FraudSignal.objects.filter(checkin=earlier.checkin).exists()


def test_mgt_1_checkin_database_refuses_a_second_copy_of_a_key(world, users):
    """Even a writer that bypasses the service's lock cannot store (cadre, client_key) twice:
    the unpartitioned key table's unique constraint refuses it."""
    from django.db import IntegrityError, transaction

    from zhucun.attendance.models import CheckInKey

    tm, key = users["team_member"], uuid.uuid4()
    (first,) = att.checkins_record(items=[item(tm, at(2025, 3, 3), key=key)])
    stored = CheckInKey.objects.get(cadre_id=tm.cadre_id, client_key=key)
    assert stored.checkin_id == first.checkin.pk and stored.day == first.checkin.day
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckInKey.objects.create(
            cadre_id=tm.cadre_id,
            client_key=key,
            checkin_id=first.checkin.pk + 1000,
            day=dt.date(2025, 4, 3),
        )


def test_checkin_keys_fill_covers_bulk_loaded_checkins(world, users):
    from zhucun.attendance.models import CheckInKey

    tm = users["team_member"]
    (o,) = att.checkins_record(items=[item(tm, at(2025, 3, 3))])
    CheckInKey.objects.all().delete()  # as if a bulk loader had written the check-in alone
    assert att.checkin_keys_fill() == 1
    assert att.checkin_keys_fill() == 0
    (again,) = att.checkins_record(items=[item(tm, at(2025, 3, 3), key=o.checkin.client_key)])
    assert not again.created and again.checkin.pk == o.checkin.pk


def test_mgt_1_fraud_speed_sees_a_previous_checkin_days_old(world, users):
    """MGT.1.FRAUD: the speed rule's look-back covers any distance on Earth at the limit
    (120 km/h): a check-in at the antipode six days earlier is still an impossible move
    (20,000 km in 144 h ≈ 139 km/h), seven days earlier it is not (≈ 119 km/h)."""
    tm = users["team_member"]
    lat, lng = A_POINT_WGS
    antipode = (round(-lat, 6), round(lng - 180, 6))
    att.checkins_record(items=[item(tm, at(2025, 3, 3), pos=antipode)])
    (six,) = att.checkins_record(items=[item(tm, at(2025, 3, 9))])
    assert FraudSignal.objects.filter(checkin=six.checkin, kind="speed").exists()
    other = add_member(world, "对照")
    att.checkins_record(items=[item(other, at(2025, 3, 3), pos=antipode)])
    (seven,) = att.checkins_record(items=[item(other, at(2025, 3, 10))])
    assert not FraudSignal.objects.filter(checkin=seven.checkin, kind="speed").exists()


@pytest.mark.parametrize("bad", ["\x7f", "\x85", "\x00"])
def test_mgt_1_checkin_texts_refuse_control_characters(bad):
    """DEL and C1 controls are refused like C0 ones: a device id is text a person may read."""
    from zhucun.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as info:
        att.checkin_clean(
            client_key=uuid.uuid4(),
            lat=None,
            lng=None,
            accuracy_m=None,
            device_time=at(2025, 3, 3),
            received_at=at(2025, 3, 3),
            device_id=f"phone{bad}1",
            no_position_reason="定位失败",
        )
    assert "控制字符" in info.value.errors["device_id"]
