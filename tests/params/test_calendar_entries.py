"""Holiday years an administrator enters make deadlines in that year computable (SEL.METHOD.APPOINT10)."""

import datetime as dt

import pytest

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.params.calendar import holiday_year_set, work_calendar
from zhucun.policy import CalendarUnknownError


def test_unknown_year_says_enter_the_schedule(world):
    with pytest.raises(CalendarUnknownError, match="请录入2027年节假日安排"):
        work_calendar().is_workday(dt.date(2027, 3, 1))


def test_entered_year_becomes_known(world):
    holiday_year_set(
        actor=world.admin,
        year=2027,
        source="国办发明电〔2026〕X号",
        entries=[(dt.date(2027, 1, 1), False, "元旦"), (dt.date(2027, 2, 7), True, "春节调休")],
        confirm_few=True,
    )
    cal = work_calendar()
    assert cal.is_workday(dt.date(2027, 1, 1)) is False
    assert cal.is_workday(dt.date(2027, 2, 7)) is True  # a Sunday worked (调休)
    assert cal.is_workday(dt.date(2027, 1, 4)) is True


def test_wrong_entries_are_refused(world):
    with pytest.raises(ValidationFailed) as exc:
        holiday_year_set(
            actor=world.admin, year=2027, source="x", entries=[(dt.date(2027, 1, 4), True, "")]
        )
    assert "entries" in exc.value.errors
    with pytest.raises(ValidationFailed):
        holiday_year_set(
            actor=world.admin, year=2025, source="x", entries=[(dt.date(2025, 1, 1), False, "")]
        )
    with pytest.raises(Forbidden):
        holiday_year_set(
            actor=world.users["county"],
            year=2027,
            source="x",
            entries=[(dt.date(2027, 1, 1), False, "")],
        )


SCHEDULE_2027 = """日期,休/班,名称
2027-01-01,休,元旦
2027-02-05,休,春节
2027-02-08,休,春节
2027-02-09,休,春节
2027-02-10,休,春节
2027-02-11,休,春节
2027-02-20,班,春节调休
2027-04-05,休,清明节
2027-05-03,休,劳动节
2027-05-04,休,劳动节
2027-06-09,休,端午节
2027-09-15,休,中秋节
2027-10-01,休,国庆节
2027-10-04,休,国庆节
2027-10-05,休,国庆节
2027-10-09,班,国庆调休
"""


def test_a_year_with_implausibly_few_holidays_needs_confirming(world):
    """Issue 10: a half-typed schedule would silently turn holidays into working days."""
    few = [(dt.date(2027, 1, 1), False, "元旦")]
    with pytest.raises(ValidationFailed) as exc:
        holiday_year_set(actor=world.admin, year=2027, source="国办发明电", entries=few)
    assert "只登记了1天工作日放假" in exc.value.errors["confirm_few"]
    with pytest.raises(CalendarUnknownError):  # nothing was saved
        work_calendar().is_workday(dt.date(2027, 3, 1))
    holiday_year_set(
        actor=world.admin, year=2027, source="国办发明电", entries=few, confirm_few=True
    )
    assert work_calendar().is_workday(dt.date(2027, 3, 1)) is True


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_a_year_is_loaded_from_a_csv_file(world, encoding):
    from zhucun.params.calendar_file import parse_file

    entries, errors = parse_file(SCHEDULE_2027.encode(encoding))
    assert errors == [] and len(entries) == 16
    assert (dt.date(2027, 2, 20), True, "春节调休") in entries
    holiday_year_set(actor=world.admin, year=2027, source="国办发明电〔2026〕X号", entries=entries)
    cal = work_calendar()
    assert cal.is_workday(dt.date(2027, 10, 1)) is False and cal.is_workday(dt.date(2027, 10, 9))


def test_a_bad_csv_file_names_its_lines(world):
    from zhucun.params.calendar_file import parse_file

    entries, errors = parse_file(
        "2027-01-01,休,元旦\n2027-02-30,休,x\n2027-03-01,放,y\nabc".encode()
    )
    assert len(entries) == 1
    assert [e[:3] for e in errors] == ["第2行", "第3行", "第4行"]
    big = parse_file(b"x" * 100_000)
    assert big == ([], [big[1][0]]) and "文件过大" in big[1][0]


def test_calendar_page_takes_a_csv_upload_and_is_in_the_navigation(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.users["prefecture"])
    page = client.get("/").content.decode()
    assert 'href="/calendar/"' in page  # in the navigation
    upload = SimpleUploadedFile("2027.csv", SCHEDULE_2027.encode("gbk"), "text/csv")
    r = client.post(
        "/calendar/",
        {"year": "2027", "source": "国办发明电〔2026〕X号", "entries": "", "file": upload},
        follow=True,
    )
    assert "已录入2027年节假日安排(16天)" in r.content.decode()
    assert work_calendar().is_workday(dt.date(2027, 2, 8)) is False
