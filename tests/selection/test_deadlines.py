"""SEL.METHOD.APPOINT10 / SEL.METHOD.TRANSFER15 deadlines on the State Council calendar."""

import datetime as dt

import pytest

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.params.calendar import holiday_year_set
from zhucun.registry.models import Posting, Village
from zhucun.selection.deadlines import deadline_queryset, deadline_rows, posting_record_milestone


def _arrive(world, key, day, *, ordinary=True):
    """Move a posting's arrival; ``ordinary``: village A as a non-3类村, whose team is in place
    with its first secretary alone, so that the clock starts on the arrival (APPOINT10)."""
    Posting.objects.filter(pk=world.postings[key].pk).update(arrival_date=day)
    if ordinary:
        Village.objects.filter(pk=world.villages["A"].pk).update(
            border=False, former_poor=False, relocation=False
        )


def test_sel_method_appoint10_clock_starts_when_the_border_team_is_in_place(world):
    """Settled reading: the clock starts on the first day the village's composition rule
    holds (抵边村: 1 FS + 2 TM), or the FS's arrival if later."""
    _arrive(world, "fs_a", dt.date(2025, 9, 1), ordinary=False)
    Posting.objects.filter(pk=world.postings["tm_a"].pk).update(arrival_date=dt.date(2025, 9, 1))
    fs_a = Posting.objects.get(pk=world.postings["fs_a"].pk)
    (row,) = deadline_rows([fs_a], kind="appoint", today=dt.date(2025, 10, 20))
    assert row.team_short and row.due is None and row.findings == []
    assert row.status == "工作队尚未配齐,任命时限未开始计算"
    Posting.objects.create(
        cadre=world.cadres["fs_b"],  # an ended stint elsewhere is enough to count the day
        village=world.villages["A"],
        role="team_member",
        arrival_date=dt.date(2025, 9, 26),
        status="ended",
        actual_end=dt.date(2026, 1, 1),
    )
    (row,) = deadline_rows([fs_a], kind="appoint", today=dt.date(2025, 10, 17))
    assert row.start == dt.date(2025, 9, 26) and row.due == dt.date(2025, 10, 16)
    assert row.status == "已逾期"


def test_sel_method_appoint10_only_the_township_records_the_appointment(world):
    with pytest.raises(Forbidden):
        posting_record_milestone(
            actor=world.users["county"],
            posting_id=world.postings["fs_a"].pk,
            kind="appoint",
            on=dt.date(2024, 3, 8),
        )


def test_sel_method_appoint10_crosses_national_day(world):
    """Arrival Fri 2025-09-26: 9-28 (Sun) is a 调休 workday, 10-01..08 holidays, 10-11 (Sat) worked."""
    _arrive(world, "fs_a", dt.date(2025, 9, 26))
    rows = deadline_rows(
        list(deadline_queryset(user=world.users["township"], kind="appoint")),
        kind="appoint",
        today=dt.date(2025, 10, 1),
    )
    row = next(r for r in rows if r.posting.pk == world.postings["fs_a"].pk)
    # 9-28, 9-29, 9-30, 10-09, 10-10, 10-11, 10-13, 10-14, 10-15, 10-16 → the 10th working day
    assert row.due == dt.date(2025, 10, 16)
    assert row.status == "未到期"
    late = deadline_rows([row.posting], kind="appoint", today=dt.date(2025, 10, 17))[0]
    assert late.status == "已逾期" and late.findings[0].clause == "SEL.METHOD.APPOINT10"


def test_sel_method_transfer15_for_party_members_only(world):
    rows = deadline_rows(
        list(deadline_queryset(user=world.users["county"], kind="transfer")),
        kind="transfer",
        today=dt.date(2026, 6, 1),
    )
    names = {r.posting.cadre.name for r in rows}
    assert "线美玲" not in names  # not a party member
    assert "岳文华" in names
    assert all(r.findings and r.findings[0].clause == "SEL.METHOD.TRANSFER15" for r in rows)


def test_unknown_year_is_shown_not_guessed(world):
    _arrive(world, "fs_a", dt.date(2027, 1, 4))
    rows = deadline_rows(
        list(deadline_queryset(user=world.users["township"], kind="appoint")),
        kind="appoint",
        today=dt.date(2027, 1, 5),
    )
    row = next(r for r in rows if r.posting.pk == world.postings["fs_a"].pk)
    assert row.due is None and row.status == "请录入2027年节假日安排"
    holiday_year_set(
        actor=world.admin,
        year=2027,
        source="国办发明电",
        entries=[(dt.date(2027, 1, 1), False, "元旦")],
        confirm_few=True,
    )
    row = deadline_rows([row.posting], kind="appoint", today=dt.date(2027, 1, 5))[0]
    assert row.due == dt.date(2027, 1, 18)


def test_recording_the_appointment_closes_the_item(world):
    p = world.postings["fs_a"]
    posting_record_milestone(
        actor=world.users["township"], posting_id=p.pk, kind="appoint", on=dt.date(2024, 3, 8)
    )
    assert (
        not deadline_queryset(user=world.users["township"], kind="appoint").filter(pk=p.pk).exists()
    )
    with pytest.raises(ValidationFailed):
        posting_record_milestone(
            actor=world.users["township"],
            posting_id=world.postings["tm_a"].pk,
            kind="appoint",
            on=dt.date(2024, 3, 8),
        )
    with pytest.raises(Forbidden):
        posting_record_milestone(
            actor=world.users["unit"], posting_id=p.pk, kind="transfer", on=dt.date(2024, 3, 8)
        )
