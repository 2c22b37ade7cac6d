"""The working-day calendar as the system uses it: the State Council schedule from the
package plus the holiday years an administrator entered (params.HolidayYear)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction

from zhucun.accounts.models import User, UserRole
from zhucun.audit.services import event_record
from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.policy import WorkCalendar
from zhucun.policy.calendar import package_years

from .models import HolidayEntry, HolidayYear


def work_calendar() -> WorkCalendar:
    entries = HolidayEntry.objects.values_list("day", "is_workday")
    years = HolidayYear.objects.values_list("year", flat=True)
    return WorkCalendar(extra=dict(entries), extra_years=list(years))


def known_years() -> list[int]:
    return sorted(set(package_years()) | set(HolidayYear.objects.values_list("year", flat=True)))


@transaction.atomic
def holiday_year_set(
    *,
    actor: User,
    year: int,
    source: str,
    entries: Iterable[tuple[dt.date, bool, str]],
    confirm_few: bool = False,
) -> HolidayYear:
    """Enter (or replace) a year's schedule: the holidays on weekdays and the 调休 workdays.
    A year with implausibly few weekday holidays (fewer than
    ``ZHUCUN_CALENDAR_MIN_WEEKDAY_HOLIDAYS``: every State Council schedule since 2008 has had
    more) is refused unless ``confirm_few``: a half-typed schedule would silently turn
    holidays into working days."""
    if actor.role not in (UserRole.ADMIN, UserRole.PREFECTURE):
        raise Forbidden("只有系统管理员或州级用户可以录入节假日安排")
    rows = list(entries)
    errors: dict[str, str] = {}
    if year in package_years():
        errors["year"] = f"{year}年的节假日安排已由国务院办公厅通知内置,无需录入"
    if not source.strip():
        errors["source"] = "请填写依据(国务院办公厅通知文号)"
    for day, is_workday, _name in rows:
        if day.year != year:
            errors["entries"] = f"{day} 不属于{year}年"
            break
        if is_workday and day.weekday() < 5:
            errors["entries"] = f"{day} 本是工作日,调休上班只应登记周末"
            break
        if not is_workday and day.weekday() >= 5:
            errors["entries"] = f"{day} 本是周末,无需登记为休息日"
            break
    if len({d for d, _, _ in rows}) != len(rows):
        errors["entries"] = "同一日期登记了多次"
    if not rows:
        errors["entries"] = "请至少登记一天(法定节假日或调休上班日)"
    if errors:
        raise ValidationFailed(errors)
    holidays = sum(1 for _, is_workday, _ in rows if not is_workday)
    least = settings.ZHUCUN_CALENDAR_MIN_WEEKDAY_HOLIDAYS
    if holidays < least and not confirm_few:
        raise ValidationFailed(
            {
                "confirm_few": f"{year}年只登记了{holidays}天工作日放假,历年国务院办公厅安排"
                f"通常不少于{least}天;请核对是否漏登(元旦、春节、清明、劳动节、端午、中秋、"
                "国庆),确认无误请勾选“确认无误”后再保存"
            },
            message="节假日安排天数明显偏少",
        )
    old = HolidayYear.objects.filter(year=year).first()
    before = None
    if old:
        before = {"source": old.source, "entries": [str(e.day) for e in old.entries.all()]}
        old.delete()
    hy = HolidayYear.objects.create(year=year, source=source.strip(), entered_by=actor)
    HolidayEntry.objects.bulk_create(
        HolidayEntry(year=hy, day=d, is_workday=w, name=n) for d, w, n in rows
    )
    event_record(
        actor=actor,
        action="calendar.year_set",
        obj=hy,
        before=before,
        after={"year": year, "source": hy.source, "entries": [[str(d), w, n] for d, w, n in rows]},
    )
    return hy


def workday_or_none(day: dt.date) -> bool | None:
    """Whether ``day`` is a working day; ``None`` when the calendar does not know its year.
    No query for a year the package knows; two small ones otherwise."""
    if day.year in package_years():
        return WorkCalendar().is_workday(day)
    entries = HolidayEntry.objects.filter(day=day).values_list("day", "is_workday")
    years = HolidayYear.objects.filter(year=day.year).values_list("year", flat=True)
    calendar = WorkCalendar(extra=dict(entries), extra_years=list(years))
    return calendar.is_workday(day) if calendar.knows(day.year) else None
