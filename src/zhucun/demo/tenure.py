"""The end of a posting in the demo (issue 11), through zhucun.tenure's services:

* a first secretary whose term ends within the notice window with the replacement already
  posted (arriving two days before the end: 压茬交接, no gap);
* another whose term ends within the window with nobody on the way (the gap is flagged on the
  coverage page and the county's home page) — the demo's batches already hold one; nothing
  is written for it;
* a predecessor whose two-year term ended on the day a village's first secretary arrived
  (before the attendance months): closed by term (GUA.3.LEAVE15 leave granted from the next day) with a
  completed handover record (交接清单).

The cadres used are registered cadres with no posting and no nomination."""

from __future__ import annotations

import datetime as dt

from zhucun.accounts.models import User
from zhucun.policy.dates import anniversary
from zhucun.registry import services as registry
from zhucun.registry.models import Cadre, Posting, PostingStatus
from zhucun.tenure.selectors import term_ends_upcoming
from zhucun.tenure.services import handover_save, posting_close

from .accounts import DEMO_VILLAGE
from .timeline import Timeline

FS = "first_secretary"


def _free_cadres() -> list[Cadre]:
    return list(
        Cadre.objects.filter(postings__isnull=True, nominations__isnull=True).order_by("pk")[:2]
    )


def _post(admin: User, cadre: Cadre, village_code: str, arrival: dt.date, status: str) -> Posting:
    return registry.posting_create(
        actor=admin,
        data={
            "id_number": cadre.id_number,
            "village_code": village_code,
            "role": FS,
            "arrival_date": arrival,
            "planned_end": None,
            "status": status,
        },
    )


def load(*, admin: User, timeline: Timeline) -> list[str]:
    """Write the cases above; the lines say where to look."""
    today = timeline.today
    free = _free_cadres()
    if len(free) < 2:
        return []
    lines: list[str] = []
    ending = [
        e
        for e in term_ends_upcoming(user=admin, today=today)
        if e.posting.role == FS
        and e.replacement is None
        and e.posting.village.jurisdiction.code != DEMO_VILLAGE
    ]
    if ending:
        e = ending[0]
        arrival = max(e.end - dt.timedelta(days=2), today + dt.timedelta(days=1))
        new = _post(admin, free[0], e.posting.village.jurisdiction.code, arrival, "planned")
        lines.append(
            f"期满轮换:{e.posting.village.jurisdiction.name} {e.posting.cadre.name} "
            f"{e.end:%Y-%m-%d}期满,接替人员{new.cadre.name}{arrival:%Y-%m-%d}到岗"
        )
    if len(ending) > 1:
        e = ending[1]
        lines.append(
            f"交接空档:{e.posting.village.jurisdiction.name} {e.posting.cadre.name} "
            f"{e.end:%Y-%m-%d}期满,尚无接替人员"
        )
    # a predecessor whose whole posting lies before the attendance months (no month changes)
    latest = (
        Posting.objects.filter(
            role=FS,
            status=PostingStatus.ACTIVE,
            arrival_date__lt=timeline.start - dt.timedelta(days=30),
        )
        .exclude(village__jurisdiction__code=DEMO_VILLAGE)
        .select_related("village__jurisdiction")
        .order_by("-arrival_date", "pk")
        .first()
    )
    if latest is not None:
        code = latest.village.jurisdiction.code
        start = anniversary(latest.arrival_date, -2)
        old = _post(admin, free[1], code, start, PostingStatus.ACTIVE)
        posting_close(
            actor=admin,
            posting_id=old.pk,
            end_date=latest.arrival_date,
            cause="term",
            note="任期届满,与接替人员压茬交接",
        )
        handover_save(
            actor=admin,
            posting_id=old.pk,
            data={
                "handover_date": latest.arrival_date,
                "successor_id": latest.pk,
                "ongoing_tasks": "1. 村集体经济茶叶初制所建设(已完成土建,待设备安装);\n"
                "2. 防返贫监测户季度走访。",
                "households": "联系脱贫户38户、监测户6户,走访记录见工作日志。",
                "documents": "驻村工作日志2本、村情民情台账1册、帮扶项目资料1盒。",
                "funds": "未经手村集体资金;派出单位帮扶物资已全部发放,清单附后。",
                "receiver_name": latest.cadre.name,
                "received_on": latest.arrival_date,
            },
        )
        lines.append(
            f"已交接:{latest.village.jurisdiction.name} {old.cadre.name} "
            f"{latest.arrival_date:%Y-%m-%d}任期届满,补假15天,交接清单已签收"
        )
    return lines
