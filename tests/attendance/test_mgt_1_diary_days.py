"""MGT.1.DIARY (one entry per on-duty day, edits audited, the missing list) and MGT.1.DAYS
(on-duty days per year in SQL, business trips included, "未设置" while the minimum is unset)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhucun.attendance import selectors as sel
from zhucun.attendance import services as att
from zhucun.attendance.models import DiaryEntry, DiaryPhoto
from zhucun.audit.models import Event
from zhucun.core.errors import Forbidden, NotFound, ValidationFailed
from zhucun.params.services import parameter_set
from zhucun.registry.models import Cadre

from .conftest import at, checkin

D = dt.date


def test_mgt_1_diary_save_and_edit_audited(world, users):
    tm = users["team_member"]
    e = att.diary_save(
        actor=tm,
        day=D(2025, 3, 3),
        duties=["DUT.2", "DUT.5"],
        text="走访弄坎一组脱贫户5户,开展返贫监测。",
    )
    assert e.cadre_id == world.cadres["tm_a"].pk and e.duties == ["DUT.2", "DUT.5"]
    again = att.diary_save(
        actor=tm, day=D(2025, 3, 3), duties=["DUT.2"], text="走访弄坎一组脱贫户6户。"
    )
    assert again.pk == e.pk and DiaryEntry.objects.count() == 1
    edit = Event.objects.get(action="diary.edit")
    assert edit.before["text"].startswith("走访弄坎一组脱贫户5户") and edit.after["duties"] == [
        "DUT.2"
    ]
    n = Event.objects.count()
    att.diary_save(actor=tm, day=D(2025, 3, 3), duties=["DUT.2"], text="走访弄坎一组脱贫户6户。")
    assert Event.objects.count() == n  # nothing changed, nothing audited


def test_mgt_1_diary_bad_input(world, users):
    with pytest.raises(ValidationFailed) as exc:
        att.diary_save(actor=users["team_member"], day=D(2099, 1, 1), duties=["DUT.9"], text="")
    assert {"day", "duties", "text"} <= set(exc.value.errors)
    with pytest.raises(Forbidden):
        att.diary_save(actor=users["township"], day=D(2025, 3, 3), duties=[], text="x")


def test_mgt_1_diary_photo(world, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    e = att.diary_save(actor=users["team_member"], day=D(2025, 3, 3), duties=[], text="入户")
    photo = att.diary_photo_add(
        actor=users["team_member"],
        entry_id=e.pk,
        file=SimpleUploadedFile("a.jpg", b"\xff\xd8\xff" + b"0" * 100, content_type="image/jpeg"),
        caption="入户走访",
    )
    assert photo.file.name.startswith("diary/") and (tmp_path / photo.file.name).exists()
    with pytest.raises(ValidationFailed):
        att.diary_photo_add(
            actor=users["team_member"],
            entry_id=e.pk,
            file=SimpleUploadedFile("a.exe", b"MZ", content_type="application/x"),
        )
    with pytest.raises(Forbidden):  # the FS sees the team's diary but adds to their own only
        att.diary_photo_add(
            actor=users["first_secretary"],
            entry_id=e.pk,
            file=SimpleUploadedFile("b.png", b"x", content_type="image/png"),
        )
    with pytest.raises(NotFound):
        att.diary_photo_add(
            actor=users["unit"],
            entry_id=e.pk + 999,
            file=SimpleUploadedFile("b.png", b"x", content_type="image/png"),
        )
    assert DiaryPhoto.objects.count() == 1


def test_mgt_1_diary_missing_lists_on_duty_days_without_entry(world, users):
    tm, fs = users["team_member"], users["first_secretary"]
    for day in (3, 4, 5):
        checkin(tm, when=at(2025, 3, day))
    checkin(tm, when=at(2025, 3, 6), accuracy_m=900)  # not counted: not an on-duty day
    trip = att.leave_request_create(
        actor=tm,
        kind="business_trip",
        start=D(2025, 3, 10),
        end=D(2025, 3, 11),
        reason="到州里培训",
    )
    att.leave_decide(actor=fs, leave_id=trip.pk, approve=True, note="同意")
    att.diary_save(actor=tm, day=D(2025, 3, 4), duties=["DUT.1"], text="组织党员学习")
    missing = sel.diary_missing(cadre=world.cadres["tm_a"], month=D(2025, 3, 1))
    assert missing == [D(2025, 3, 3), D(2025, 3, 5), D(2025, 3, 10), D(2025, 3, 11)]


def test_mgt_1_days_counted_in_sql_with_business_trips(world, users):
    tm, fs = users["team_member"], users["first_secretary"]
    for day in (3, 4, 5):
        checkin(tm, when=at(2025, 3, day))
    checkin(tm, when=at(2025, 3, 5, 18))  # same day twice: one day
    trip = att.leave_request_create(
        actor=tm, kind="meeting", start=D(2025, 3, 5), end=D(2025, 3, 8), reason="州里会议"
    )
    att.leave_decide(actor=fs, leave_id=trip.pk, approve=True, note="同意")
    sick = att.leave_request_create(
        actor=tm, kind="sick", start=D(2025, 3, 10), end=D(2025, 3, 11), reason="感冒"
    )
    att.leave_decide(actor=fs, leave_id=sick.pk, approve=True, note="同意")
    counts = sel.duty_days_by_cadre(Cadre.objects.all(), start=D(2025, 1, 1), end=D(2025, 12, 31))
    assert counts == {world.cadres["tm_a"].pk: 6}  # 3, 4, 5 + 6, 7, 8


def test_mgt_1_days_minimum_unset_says_so(world, users):
    checkin(users["team_member"], when=at(2025, 3, 3))
    [row] = sel.duty_days_rows(cadres=[world.cadres["tm_a"]], year=2025, as_of=D(2025, 6, 30))
    assert row.days == 1 and row.status == "未设置"
    assert row.findings[0].severity == "info" and "原文缺失" in row.findings[0].message
    parameter_set(
        actor=users["county"],
        name="min_days_on_duty_per_year",
        jurisdiction_code="533103000000",
        effective=D(2025, 1, 1),
        value=200,
        note="芒组通〔2025〕1号",
    )
    [row] = sel.duty_days_rows(cadres=[world.cadres["tm_a"]], year=2025, as_of=D(2025, 6, 30))
    assert row.status == "进度落后" and row.findings[0].severity == "warning"
