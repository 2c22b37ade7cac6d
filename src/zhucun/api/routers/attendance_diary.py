"""工作日志 (MGT.1.DIARY): one entry per day, tagged with the duties DUT.1–DUT.5; the list in
scope and the days on duty still without an entry."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Path, Query, Router

from zhucun.attendance import selectors
from zhucun.attendance import services as att
from zhucun.attendance.models import DUTY_CODES, DiaryEntry

from ..attendance_schemas import DiaryOut, DiaryPage, DiaryQuery, DiarySave
from ..common import paginate, read_dates, responses, user_of
from .attendance_common import local, optional_month

router = Router(tags=["工作日志"])
DayPath: Any = Path(..., max_length=40, description="日期(YYYY-MM-DD)")  # type: ignore[type-arg]


def diary_out(e: DiaryEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "cadre_id": e.cadre_id,
        "cadre_name": e.cadre.name,
        "village_id": e.village_id,
        "day": e.day,
        "duties": [{"code": c, "label": DUTY_CODES.get(c, c)} for c in e.duties or []],
        "text": e.text,
        "photos": [{"id": p.pk, "url": p.file.url, "caption": p.caption} for p in e.photos.all()],
        "created_at": local(e.created_at),
        "updated_at": local(e.updated_at),
    }


@router.get("/diary", response=responses(DiaryPage), summary="工作日志")
def diary_list(request: HttpRequest, filters: Query[DiaryQuery]) -> dict[str, Any]:
    qs = selectors.diary_list(
        user=user_of(request), cadre=filters.cadre, month=optional_month(filters.month)
    )
    return paginate(qs, filters, diary_out)


@router.put("/diary/{day}", response=responses(DiaryOut), summary="写或修改本人某日的工作日志")
def diary_save(
    request: HttpRequest,
    payload: DiarySave,
    day: str = DayPath,
) -> dict[str, Any]:
    user = user_of(request)
    d = read_dates({"day": day})["day"]
    entry = att.diary_save(actor=user, day=d, duties=payload.duties, text=payload.text)
    fresh = selectors.diary_list(user=user).filter(pk=entry.pk).first()
    return diary_out(fresh or entry)
