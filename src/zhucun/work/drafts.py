"""The drafts of the reports (MGT.6.*, GUA.1.BIND), assembled from what is recorded — the
"later rule" 指尖上的形式主义: a fact typed once feeds every summary, no report asks for what
the system knows.

Every draft is JSON-able: ``{"kind", "title", "period": {start, end}, "subject": {...},
"sections": [{"key", "title", "clause", "total", "rows": [...]}]}``; each section carries
its numbers AND the rows they were counted from. A section without records has ``rows ==
[]`` and prints "本月无记录" (or 本期无记录) — nothing is invented. Each draft costs a fixed
number of queries (one per section), never one per day, cadre or village.

``draft_text(draft)`` is the Chinese text the author starts from.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from zhucun.attendance.models import DUTY_CODES, DiaryEntry, FraudSignal, LeaveRequest
from zhucun.attendance.models.leave import TAKEN_STATES, LeaveKind
from zhucun.attendance.selectors import duty_days_by_cadre
from zhucun.policy.dates import date_label, month_label
from zhucun.policy.work import REPORT_KIND_LABELS, VISIT_PURPOSE_LABELS, half_year_bounds
from zhucun.registry.models import (
    Cadre,
    DispatchingUnit,
    Jurisdiction,
    Posting,
    PostingStatus,
    Role,
    Village,
)

from .models import Meeting, Report, Task, Visit

EMPTY_MONTH = "本月无记录"
EMPTY_PERIOD = "本期无记录"
NO_DUTY = "未标注职责任务"
LEAVE_LABELS = dict(LeaveKind.choices)
ROLE_LABELS = dict(Role.choices)
FIRST_LINE_MAX = 120


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - dt.timedelta(days=1)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * quarter - 2, 1)
    return first, month_bounds(dt.date(year, 3 * quarter, 1))[1]


def first_line(text: str) -> str:
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    return line[:FIRST_LINE_MAX]


def _postings_in(village_ids: Any, first: dt.date, last: dt.date) -> Any:
    """Postings in ``village_ids`` that overlap ``first``..``last`` (planned ones excluded)."""
    return (
        Posting.objects.filter(village_id__in=village_ids, arrival_date__lte=last)
        .exclude(status=PostingStatus.PLANNED)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=first))
    )


def _section(key: str, title: str, clause: str, rows: list[Any], total: int) -> dict[str, Any]:
    return {"key": key, "title": title, "clause": clause, "total": total, "rows": rows}


def village_sections(village_ids: list[int], first: dt.date, last: dt.date) -> dict[str, Any]:
    """The facts of a period for the villages (one query per section)."""
    postings = list(
        _postings_in(village_ids, first, last)
        .select_related("cadre")
        .order_by("village_id", "role", "cadre__name", "pk")
    )
    days = duty_days_by_cadre(
        Cadre.objects.filter(pk__in={p.cadre_id for p in postings}), start=first, end=last
    )
    duty_rows = [
        {
            "village_id": p.village_id,
            "cadre_id": p.cadre_id,
            "cadre": p.cadre.name,
            "role": ROLE_LABELS.get(p.role, p.role),
            "days": days.get(p.cadre_id, 0),
        }
        for p in postings
    ]
    diaries = list(
        DiaryEntry.objects.filter(village_id__in=village_ids, day__range=(first, last))
        .order_by("day", "cadre__name", "pk")
        .values("pk", "village_id", "day", "duties", "text", "cadre__name")
    )
    by_duty: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in diaries:
        line = {
            "id": d["pk"],
            "village_id": d["village_id"],
            "day": d["day"].isoformat(),
            "cadre": d["cadre__name"],
            "line": first_line(d["text"]),
        }
        codes = [c for c in (d["duties"] or []) if c in DUTY_CODES] or [""]
        for code in codes:
            by_duty[code].append(line)
    diary_rows = [
        {
            "duty": code,
            "label": DUTY_CODES[code],
            "count": len(by_duty[code]),
            "lines": by_duty[code],
        }
        for code in DUTY_CODES
        if by_duty.get(code)
    ]
    if by_duty.get(""):
        diary_rows.append(
            {"duty": "", "label": NO_DUTY, "count": len(by_duty[""]), "lines": by_duty[""]}
        )
    meetings = [
        {
            "id": m["pk"],
            "village_id": m["village_id"],
            "held_on": m["held_on"].isoformat(),
            "topics": first_line(m["topics"]),
            "decisions": first_line(m["decisions"]),
        }
        for m in Meeting.objects.filter(village_id__in=village_ids, held_on__range=(first, last))
        .order_by("held_on", "pk")
        .values("pk", "village_id", "held_on", "topics", "decisions")
    ]
    tasks = [
        {
            "id": t["pk"],
            "village_id": t["village_id"],
            "title": t["title"],
            "owner": t["owner__name"],
            "done_on": t["done_on"].isoformat(),
            "duty": DUTY_CODES.get(t["duty"], ""),
        }
        for t in Task.objects.filter(
            village_id__in=village_ids, state="done", done_on__range=(first, last)
        )
        .order_by("done_on", "pk")
        .values("pk", "village_id", "title", "owner__name", "done_on", "duty")
    ]
    visits = [
        {
            "id": v["pk"],
            "village_id": v["village_id"],
            "visited_on": v["visited_on"].isoformat(),
            "group": v["group__name"],
            "cadre": v["cadre__name"],
            "purposes": [VISIT_PURPOSE_LABELS.get(p, p) for p in (v["purposes"] or [])],
            "households": v["n_households"],
            "risk_found": bool(v["risk_found"]),
            "findings": first_line(v["findings"]),
        }
        for v in Visit.objects.filter(village_id__in=village_ids, visited_on__range=(first, last))
        .order_by("visited_on", "pk")
        .annotate(n_households=Count("households"))
        .values(
            "pk",
            "village_id",
            "visited_on",
            "group__name",
            "cadre__name",
            "purposes",
            "n_households",
            "risk_found",
            "findings",
        )
    ]
    leave = []
    for r in (
        LeaveRequest.objects.filter(
            village_id__in=village_ids, state__in=TAKEN_STATES, start__lte=last, end__gte=first
        )
        .order_by("start", "pk")
        .values("pk", "village_id", "cadre__name", "kind", "start", "end", "actual_end")
    ):
        end = min(r["actual_end"] or r["end"], r["end"], last)
        start = max(r["start"], first)
        if end < start:
            continue
        leave.append(
            {
                "id": r["pk"],
                "village_id": r["village_id"],
                "cadre": r["cadre__name"],
                "kind": LEAVE_LABELS.get(r["kind"], r["kind"]),
                "start": start.isoformat(),
                "end": end.isoformat(),
                "days": (end - start).days + 1,
            }
        )
    fraud = [
        {
            "id": f["pk"],
            "village_id": f["village_id"],
            "cadre": f["cadre__name"],
            "message": f["message"],
            "resolved_on": f["resolved_at"].date().isoformat(),
            "note": f["resolution_note"],
        }
        for f in FraudSignal.objects.filter(
            village_id__in=village_ids,
            resolved_at__date__gte=first,
            resolved_at__date__lte=last,
        )
        .order_by("resolved_at", "pk")
        .values("pk", "village_id", "cadre__name", "message", "resolved_at", "resolution_note")
    ]
    return {
        "duty_days": duty_rows,
        "diary": diary_rows,
        "diary_entries": len(diaries),
        "meetings": meetings,
        "tasks": tasks,
        "visits": visits,
        "leave": leave,
        "fraud": fraud,
    }


def _sections_of(facts: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        _section(
            "duty_days",
            "在岗天数",
            "MGT.1.DAYS",
            facts["duty_days"],
            sum(r["days"] for r in facts["duty_days"]),
        ),
        _section(
            "diary",
            "驻村工作日志(按职责任务)",
            "MGT.1.DIARY",
            facts["diary"],
            facts["diary_entries"],
        ),
        _section("meetings", "工作例会", "MGT.2", facts["meetings"], len(facts["meetings"])),
        _section("tasks", "完成的任务", "MGT.2", facts["tasks"], len(facts["tasks"])),
        _section("visits", "走访农户", "MGT.8.VISITS", facts["visits"], len(facts["visits"])),
        _section("leave", "请假与轮休", "MGT.1.LEAVE", facts["leave"], len(facts["leave"])),
        _section(
            "fraud", "已处理的异常签到提示", "MGT.1.FRAUD", facts["fraud"], len(facts["fraud"])
        ),
    ]


def _village_name(village: Village) -> str:
    return f"{village.township.name}{village.jurisdiction.name}"


def monthly_draft(*, village: Village, month: dt.date) -> dict[str, Any]:
    """MGT.6.MONTHLY: the first secretary's report of ``month`` for ``village``."""
    first, last = month_bounds(month)
    facts = village_sections([village.pk], first, last)
    return {
        "kind": "monthly",
        "title": f"{_village_name(village)}{month_label(first)}{REPORT_KIND_LABELS['monthly']}",
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "subject": {"village_id": village.pk, "name": _village_name(village)},
        "empty_text": EMPTY_MONTH,
        "sections": _sections_of(facts),
    }


def _monthly_status(village_ids: list[int], months: list[dt.date]) -> dict[tuple[int, str], Any]:
    """(village id, month iso) → the monthly report's (submitted_at, due) — one query."""
    keys = [f"village:{v}" for v in village_ids]
    out: dict[tuple[int, str], Any] = {}
    for r in Report.objects.filter(
        kind="monthly", period_start__in=months, subject_key__in=keys
    ).values("village_id", "period_start", "submitted_at", "due"):
        out[(r["village_id"], r["period_start"].isoformat())] = r
    return out


def _report_state(row: Any, due: dt.date | None = None) -> str:
    if row is None or row["submitted_at"] is None:
        return "未报送"
    due = due or row["due"]
    if due is not None and row["submitted_at"].date() > due:
        return "逾期报送"
    return "按时报送"


def quarterly_draft(*, township: Jurisdiction, year: int, quarter: int) -> dict[str, Any]:
    """MGT.6.QUARTERLY: per village of ``township``, its monthly reports of the quarter and
    the totals of what was recorded."""
    first, last = quarter_bounds(year, quarter)
    villages = list(
        Village.objects.filter(township=township)
        .select_related("jurisdiction")
        .order_by("jurisdiction__code")
    )
    ids = [v.pk for v in villages]
    facts = village_sections(ids, first, last)
    months = [dt.date(year, 3 * quarter - 2 + i, 1) for i in range(3)]
    status = _monthly_status(ids, months)
    rows = []
    for v in villages:
        mine = {
            k: [r for r in facts[k] if r["village_id"] == v.pk]
            for k in facts
            if k != "diary_entries"
        }
        diary_n = len({ln["id"] for d in mine["diary"] for ln in d["lines"]})
        rows.append(
            {
                "village_id": v.pk,
                "village": v.jurisdiction.name,
                "reports": [
                    {
                        "month": m.isoformat(),
                        "state": _report_state(status.get((v.pk, m.isoformat()))),
                    }
                    for m in months
                ],
                "duty_days": sum(r["days"] for r in mine["duty_days"]),
                "cadres": len(mine["duty_days"]),
                "diary_entries": diary_n,
                "meetings": len(mine["meetings"]),
                "tasks_done": len(mine["tasks"]),
                "visits": len(mine["visits"]),
                "risk_visits": sum(1 for r in mine["visits"] if r["risk_found"]),
                "leave": len(mine["leave"]),
                "fraud_resolved": len(mine["fraud"]),
            }
        )
    return {
        "kind": "quarterly",
        "title": f"{township.name}{year}年第{quarter}季度{REPORT_KIND_LABELS['quarterly']}",
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "subject": {"township_id": township.pk, "name": township.name},
        "empty_text": EMPTY_PERIOD,
        "sections": [
            _section("villages", "各村驻村工作情况", "MGT.6.QUARTERLY", rows, len(rows)),
        ],
    }


def _unit_rows(unit: DispatchingUnit, first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Per cadre of ``unit`` in post during the period: on-duty days, visits, tasks done and
    the monthly reports of the village where the cadre is first secretary (fixed queries)."""
    postings = list(
        Posting.objects.filter(cadre__unit=unit, arrival_date__lte=last)
        .exclude(status=PostingStatus.PLANNED)
        .filter(Q(actual_end__isnull=True) | Q(actual_end__gte=first))
        .select_related("cadre", "village__jurisdiction", "village__township")
        .order_by("village__jurisdiction__code", "role", "cadre__name", "pk")
    )
    cadre_ids = {p.cadre_id for p in postings}
    days = duty_days_by_cadre(Cadre.objects.filter(pk__in=cadre_ids), start=first, end=last)
    visits = dict(
        Visit.objects.filter(cadre_id__in=cadre_ids, visited_on__range=(first, last))
        .order_by()
        .values("cadre_id")
        .annotate(n=Count("pk"))
        .values_list("cadre_id", "n")
    )
    tasks = dict(
        Task.objects.filter(owner_id__in=cadre_ids, state="done", done_on__range=(first, last))
        .order_by()
        .values("owner_id")
        .annotate(n=Count("pk"))
        .values_list("owner_id", "n")
    )
    submitted = dict(
        Report.objects.filter(
            kind="monthly",
            village_id__in={p.village_id for p in postings},
            period_start__range=(first, last),
            submitted_at__isnull=False,
        )
        .order_by()
        .values("village_id")
        .annotate(n=Count("pk"))
        .values_list("village_id", "n")
    )
    return [
        {
            "cadre_id": p.cadre_id,
            "cadre": p.cadre.name,
            "role": ROLE_LABELS.get(p.role, p.role),
            "village_id": p.village_id,
            "village": _village_name(p.village),
            "duty_days": days.get(p.cadre_id, 0),
            "visits": visits.get(p.cadre_id, 0),
            "tasks_done": tasks.get(p.cadre_id, 0),
            "monthly_reports": (
                submitted.get(p.village_id, 0) if p.role == Role.FIRST_SECRETARY else None
            ),
        }
        for p in postings
    ]


def hearing_draft(*, unit: DispatchingUnit, year: int, half: int) -> dict[str, Any]:
    """MGT.6.HALFYEAR: the unit hears each of its cadres in post."""
    first, last = half_year_bounds(year, half)
    rows = _unit_rows(unit, first, last)
    name = "上半年" if half == 1 else "下半年"
    return {
        "kind": "hearing",
        "title": f"{unit.name}{year}年{name}{REPORT_KIND_LABELS['hearing']}",
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "subject": {"unit_id": unit.pk, "name": unit.name},
        "empty_text": EMPTY_PERIOD,
        "sections": [_section("cadres", "驻村干部工作情况", "MGT.6.HALFYEAR", rows, len(rows))],
    }


def unit_visit_draft(*, unit: DispatchingUnit, year: int) -> dict[str, Any]:
    """GUA.1.BIND: the unit leadership's yearly visit to the villages where its cadres serve."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = _unit_rows(unit, first, last)
    return {
        "kind": "unit_visit",
        "title": f"{unit.name}{year}年{REPORT_KIND_LABELS['unit_visit']}",
        "period": {"start": first.isoformat(), "end": last.isoformat()},
        "subject": {"unit_id": unit.pk, "name": unit.name},
        "empty_text": EMPTY_PERIOD,
        "sections": [_section("cadres", "所驻村及驻村干部工作情况", "GUA.1.BIND", rows, len(rows))],
    }


# ---- the text the author starts from ---------------------------------------------------------

NUMERALS = "一二三四五六七八九十"


def _day(iso: str) -> str:
    return date_label(dt.date.fromisoformat(iso))


def _lines(key: str, rows: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for r in rows:
        if key == "duty_days":
            out.append(f"{r['cadre']}({r['role']}):在岗{r['days']}天")
        elif key == "diary":
            out.append(f"{r['label']}:{r['count']}条")
            out.extend(f"  {_day(ln['day'])} {ln['cadre']}:{ln['line']}" for ln in r["lines"])
        elif key == "meetings":
            decided = f";议定:{r['decisions']}" if r["decisions"] else ""
            out.append(f"{_day(r['held_on'])} 议题:{r['topics']}{decided}")
        elif key == "tasks":
            out.append(f"{_day(r['done_on'])} {r['title']}(责任人:{r['owner']})")
        elif key == "visits":
            purposes = "、".join(r["purposes"]) or "走访"
            risk = ";发现返贫致贫风险" if r["risk_found"] else ""
            found = f";{r['findings']}" if r["findings"] else ""
            out.append(
                f"{_day(r['visited_on'])} {r['cadre']}到{r['group']}{purposes},"
                f"走访{r['households']}户{risk}{found}"
            )
        elif key == "leave":
            out.append(
                f"{r['cadre']} {r['kind']} {_day(r['start'])}至{_day(r['end'])},{r['days']}天"
            )
        elif key == "fraud":
            out.append(f"{r['cadre']}:{r['message']}(处理于{_day(r['resolved_on'])})")
        elif key == "villages":
            reports = "、".join(f"{int(m['month'][5:7])}月{m['state']}" for m in r["reports"])
            out.append(
                f"{r['village']}:月度报告{reports};在岗{r['duty_days']}人天,日志{r['diary_entries']}条,"
                f"例会{r['meetings']}次,完成任务{r['tasks_done']}项,走访{r['visits']}次"
                f"(发现风险{r['risk_visits']}次),请假轮休{r['leave']}次,"
                f"处理异常签到{r['fraud_resolved']}条"
            )
        elif key == "cadres":
            reports = (
                f",所驻村已报月度报告{r['monthly_reports']}份"
                if r["monthly_reports"] is not None
                else ""
            )
            out.append(
                f"{r['cadre']}({r['role']},{r['village']}):在岗{r['duty_days']}天,"
                f"走访{r['visits']}次,完成任务{r['tasks_done']}项{reports}"
            )
    return out


def draft_text(draft: dict[str, Any]) -> str:
    """The Chinese text of ``draft``: a heading per section, its total and its rows; a
    section without records says so (本月无记录 / 本期无记录)."""
    lines = [draft["title"], ""]
    for i, s in enumerate(draft["sections"]):
        number = NUMERALS[i] if i < len(NUMERALS) else str(i + 1)
        lines.append(f"{number}、{s['title']}")
        if not s["rows"]:
            lines.append(draft.get("empty_text", EMPTY_PERIOD))
        else:
            lines.extend(_lines(s["key"], s["rows"]))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
