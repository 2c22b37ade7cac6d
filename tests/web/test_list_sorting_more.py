"""Issue 16 point 6, the lists left: 时限提醒, 在岗汇总, 补助逾期, 体检保险, 超期未谈心谈话,
季度分析研判, 考核结果, 审计日志 — each sortable by its column headers (a whitelist of keys, an
ORDER BY in the database, an unknown key ignored) with its filters kept across pages."""

from __future__ import annotations

import datetime as dt

from zhucun.registry.models import Posting

from .helpers import html, login
from .test_list_sorting import expected_order, row_pks

BAD_KEYS = ("bogus", "-", "--name", "__class__", "pk", "id", "cadre__id_number")


def check_sorting(client, url, table, objects, keys, default, default_desc=False, params=None):
    """Every key in both directions against ``expected_order``; the default order, and every
    unknown key falls back to it (200, never a 500)."""
    params = dict(params or {})
    for key, fields in keys.items():
        for descending in (False, True):
            response = client.get(url, {**params, "sort": f"-{key}" if descending else key})
            assert response.status_code == 200, (key, descending)
            shown = row_pks(response, table)
            assert shown == expected_order(objects, fields, descending), (key, descending)
    default_order = row_pks(client.get(url, params), table)
    assert default_order == expected_order(objects, keys[default], default_desc)
    for bad in BAD_KEYS:
        response = client.get(url, {**params, "sort": bad})
        assert response.status_code == 200, bad
        assert row_pks(response, table) == default_order, bad
    return default_order


# 时限提醒 ------------------------------------------------------------------------------------


def _vary_arrivals(world):
    for key, day in (("fs_a", dt.date(2024, 3, 5)), ("fs_b", dt.date(2024, 2, 1))):
        Posting.objects.filter(pk=world.postings[key].pk).update(arrival_date=day)


DEADLINE_KEYS = {
    "arrival": [lambda p: p.arrival_date, lambda p: p.village.jurisdiction.code],
    "village": [lambda p: p.village.jurisdiction.code, lambda p: p.arrival_date],
    "name": [lambda p: p.cadre.name, lambda p: p.arrival_date],
}


def test_deadline_sorting_both_tabs(client, world):
    _vary_arrivals(world)
    login(client, world, "admin")
    open_items = [world.postings[k].pk for k in ("fs_a", "fs_b", "fs_c")]
    objects = list(Posting.objects.filter(pk__in=open_items))
    for kind in ("appoint", "transfer"):  # tm_a is no party member: not in either
        check_sorting(
            client,
            "/deadlines/",
            "deadline-table",
            objects,
            DEADLINE_KEYS,
            "arrival",
            params={"kind": kind},
        )


def test_deadline_place_filters_and_tabs_keep_them(client, world):
    _vary_arrivals(world)
    login(client, world, "prefecture")
    response = client.get("/deadlines/", {"township": "533103102000", "sort": "-name"})
    assert row_pks(response, "deadline-table") == [
        world.postings[k].pk
        for k in ("fs_b", "fs_a")  # 排 U+6392 after 岳 U+5CB3
    ]
    text = html(response)
    assert 'href="?kind=transfer&amp;township=533103102000&amp;sort=-name"' in text
    assert '<input type="hidden" name="sort" value="-name">' in text
    assert 'href="?township=533103102000&amp;sort=name"' in text  # 姓名 ▼ → ▲
    response = client.get("/deadlines/", {"county": "533102000000", "kind": "transfer"})
    assert row_pks(response, "deadline-table") == [world.postings["fs_c"].pk]


# 在岗汇总 (the township's summaries received) -------------------------------------------------


def _summaries(world):
    from django.utils import timezone

    from zhucun.attendance.models import MonthlySummary

    made = {}
    for key, village, month, state in (
        ("s1", "A", dt.date(2025, 3, 1), "submitted"),
        ("s2", "B", dt.date(2025, 3, 1), "prepared"),
        ("s3", "A", dt.date(2025, 4, 1), "signed"),
        ("s4", "B", dt.date(2025, 2, 1), "submitted"),
        ("s5", "C", dt.date(2025, 3, 1), "submitted"),  # 瑞丽: not the township's
    ):
        made[key] = MonthlySummary.objects.create(
            month=month,
            village=world.villages[village],
            state=state,
            close_version=1,
            prepared_by=world.cadres["fs_a" if village == "A" else "fs_b"],
            prepared_at=timezone.now(),
        )
    return made


def summary_pks(response) -> list[int]:
    import re

    text = html(response)
    block = text[text.index('id="summary-list"') : text.index('class="pager"')]
    return [int(pk) for pk in re.findall(r'<details[^>]*data-pk="(\d+)"', block)]


SUMMARY_STATE = ["prepared", "signed", "submitted"]
SUMMARY_KEYS = {
    "village": [lambda s: s.village.jurisdiction.code, lambda s: -s.month.toordinal()],
    "month": [lambda s: s.month, lambda s: s.village.jurisdiction.code],
    "state": [lambda s: SUMMARY_STATE.index(s.state), lambda s: s.village.jurisdiction.code],
}


def test_township_summary_sorting(client, world):
    made = _summaries(world)
    login(client, world, "township")
    ours = [made[k] for k in ("s1", "s2", "s3", "s4")]
    for key, fields in SUMMARY_KEYS.items():
        for descending in (False, True):
            response = client.get(
                "/township/summaries/", {"month": "all", "sort": f"-{key}" if descending else key}
            )
            assert response.status_code == 200
            assert summary_pks(response) == expected_order(ours, fields, descending), key
    default = summary_pks(client.get("/township/summaries/", {"month": "all"}))
    assert default == expected_order(ours, SUMMARY_KEYS["village"], False)
    for bad in BAD_KEYS:
        response = client.get("/township/summaries/", {"month": "all", "sort": bad})
        assert response.status_code == 200 and summary_pks(response) == default, bad
    # one month, one state: the filters, the order and the links that keep them
    response = client.get(
        "/township/summaries/", {"month": "2025-03", "state": "submitted", "sort": "-village"}
    )
    assert summary_pks(response) == [made["s1"].pk]
    response = client.get("/township/summaries/", {"month": "2025-03", "sort": "-state"})
    assert summary_pks(response) == [made["s1"].pk, made["s2"].pk]
    text = html(response)
    assert 'href="?month=2025-03&amp;sort=state"' in text  # 状态 ▼ → ▲
    assert '<input type="hidden" name="sort" value="-state">' in text
    text = html(client.get("/township/summaries/", {"month": "all"}))
    assert "2025年4月" in text and "2025年04月" not in text


# 逾期未发放的补助 and 体检、保险 ------------------------------------------------------------------


def _living_standard_set(world):
    from zhucun.params.services import parameter_set

    parameter_set(
        actor=world.users["county"],
        name="living_subsidy_yuan_per_day",
        jurisdiction_code="533103000000",
        effective=dt.date(2020, 1, 1),
        value="100",
        note="芒财〔2025〕1号",
    )


def overdue_items(client, params) -> list[tuple[int, str, str]]:
    """(cadre, month, kind) of every row of every page of 逾期未发放的补助, in the order shown."""
    import re

    out, page = [], 1
    while True:
        response = client.get("/subsidies/overdue/", {**params, "page": page})
        assert response.status_code == 200
        text = html(response)
        body = text[text.index('id="overdue-table"') : text.index("</table>")]
        out += [
            (int(c), m, k)
            for c, m, k in re.findall(
                r'data-cadre="(\d+)" data-month="([\d-]+)" data-kind="(\w+)"', body
            )
        ]
        if 'rel="next"' not in text:
            return out
        page += 1


def test_subsidy_overdue_sorting(client, world, monkeypatch):
    from zhucun.registry.models import Cadre

    _living_standard_set(world)
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 1, 1))
    login(client, world, "county")
    items = overdue_items(client, {})
    assert len(items) > 25  # more than one page: the order holds across them
    cadres = {c.pk: c for c in Cadre.objects.select_related("unit")}
    village = {world.postings[k].cadre_id: world.postings[k].village for k in world.postings}
    row = [lambda i: i[1], lambda i: i[2], lambda i: i[0]]  # month, kind, cadre
    keys = {
        "name": [lambda i: cadres[i[0]].name, *row],
        "unit": [lambda i: cadres[i[0]].unit.name, lambda i: cadres[i[0]].name, *row],
        "village": [lambda i: village[i[0]].jurisdiction.code, lambda i: cadres[i[0]].name, *row],
        "month": row,
    }

    def expected(fields, descending):
        ordered = list(items)
        for field in reversed(fields):
            ordered.sort(key=field, reverse=descending)
        return ordered

    assert items == expected(keys["month"], False)  # the default: the oldest month first
    for key, fields in keys.items():
        for descending in (False, True):
            shown = overdue_items(client, {"sort": f"-{key}" if descending else key})
            assert shown == expected(fields, descending), (key, descending)
    for bad in BAD_KEYS:
        assert overdue_items(client, {"sort": bad}) == items, bad


WELFARE_KEYS = {
    "name": [lambda p: p.cadre.name, lambda p: p.village.jurisdiction.code],
    "unit": [lambda p: p.cadre.unit.name, lambda p: p.cadre.name],
    "village": [lambda p: p.village.jurisdiction.code, lambda p: p.cadre.name],
}


def test_welfare_lists_sorting(client, world):
    """Both tables of 体检与保险 (GUA.2.EXAM, GUA.2.INSURE) follow the one order chosen."""
    from zhucun.support.models import PhysicalExam

    login(client, world, "prefecture")
    exam_done = world.postings["fs_b"]
    PhysicalExam.objects.create(
        cadre=exam_done.cadre,
        year=2025,
        exam_on=dt.date(2025, 5, 1),
        place="州医院",
        recorded_by=world.admin,
    )
    everyone = list(Posting.objects.select_related("cadre__unit", "village__jurisdiction"))
    missing = [p for p in everyone if p.pk != exam_done.pk]
    for table, objects in (("exam-table", missing), ("gap-table", everyone)):
        check_sorting(
            client, "/welfare/", table, objects, WELFARE_KEYS, "unit", params={"year": "2025"}
        )
    text = html(client.get("/welfare/", {"year": "2025", "sort": "-village"}))
    assert '<input type="hidden" name="sort" value="-village">' in text
    assert 'href="?year=2025&amp;sort=village"' in text


# 待谈心谈话名单 (GUA.3.TALK) ---------------------------------------------------------------------


def test_talk_overdue_sorting(client, world):
    """GUA.3.TALK: the list of cadres past the talk interval sorts by 干部/派出单位/驻村/最近一次谈话;
    by default (and ascending) those never talked with come first, then the longest ago."""
    from zhucun.review.services.talks import talk_create

    last = {"fs_a": dt.date(2025, 1, 10), "fs_b": dt.date(2024, 5, 2), "fs_c": dt.date(2025, 1, 10)}
    for key, day in last.items():  # tm_a: never
        talk_create(
            actor=world.users["prefecture"],
            cadre_id=world.cadres[key].pk,
            held_on=day,
            talker="州委组织部",
            topics="驻村生活",
        )
    login(client, world, "prefecture")
    objects = list(Posting.objects.select_related("cadre__unit", "village__jurisdiction"))
    never = dt.date.min
    talked = {world.cadres[k].pk: day for k, day in last.items()}
    role = ["first_secretary", "team_leader", "team_member"]
    keys = {
        "name": [lambda p: p.cadre.name, lambda p: talked.get(p.cadre_id, never)],
        "unit": [lambda p: p.cadre.unit.name, lambda p: p.cadre.name],
        "village": [
            lambda p: p.village.jurisdiction.code,
            lambda p: role.index(p.role),
            lambda p: p.cadre.name,
        ],
        "last": [lambda p: talked.get(p.cadre_id, never), lambda p: p.cadre.name],
    }
    shown = check_sorting(client, "/review/talks/overdue/", "overdue-table", objects, keys, "last")
    assert shown[0] == world.postings["tm_a"].pk  # never talked with: first
    latest_first = row_pks(client.get("/review/talks/overdue/", {"sort": "-last"}), "overdue-table")
    assert latest_first[-1] == world.postings["tm_a"].pk  # never talked with: last


# 季度分析研判 (MGT.4.REVIEW) --------------------------------------------------------------------


def _reviews(world):
    from django.utils import timezone

    from zhucun.registry.models import Jurisdiction
    from zhucun.review.models import QuarterlyReview, ReviewEntry

    mangshi = Jurisdiction.objects.get(code="533103000000")
    ruili = Jurisdiction.objects.get(code="533102000000")
    now = timezone.now()
    made = {}
    for key, county, year, quarter, signed in (
        ("r1", mangshi, 2025, 4, now - dt.timedelta(days=30)),
        ("r2", ruili, 2025, 4, None),
        ("r3", mangshi, 2026, 1, None),
        ("r4", ruili, 2025, 3, now - dt.timedelta(days=90)),
    ):
        made[key] = QuarterlyReview.objects.create(
            county=county,
            year=year,
            quarter=quarter,
            state="signed" if signed else "draft",
            signed_at=signed,
            signed_by=world.users["county"] if signed else None,
            started_by=world.users["county"],
        )
    for key, n in (("r1", 2), ("r4", 1)):
        for posting in list(world.postings.values())[:n]:
            ReviewEntry.objects.create(review=made[key], posting=posting, cadre=posting.cadre)
    return made


def test_quarterly_review_sorting(client, world):
    made = _reviews(world)
    login(client, world, "prefecture")
    objects = list(made.values())
    entries = {made["r1"].pk: 2, made["r4"].pk: 1}
    newest = [lambda r: -r.year, lambda r: -r.quarter]
    keys = {
        "county": [lambda r: r.county.code, *newest],
        "quarter": [lambda r: (r.year, r.quarter), lambda r: _negated(r.county.code)],
        "entries": [lambda r: entries.get(r.pk, 0), *newest, lambda r: r.county.code],
        "state": [lambda r: ["draft", "signed"].index(r.state), *newest, lambda r: r.county.code],
        "signed": [lambda r: r.signed_at, lambda r: r.county.code],
    }
    shown = check_sorting(
        client, "/review/quarterly/", "review-table", objects, keys, "quarter", default_desc=True
    )
    assert shown == [made[k].pk for k in ("r3", "r2", "r1", "r4")]  # 瑞丽 533102 before 芒市
    response = client.get("/review/quarterly/", {"state": "signed", "sort": "-signed"})
    assert row_pks(response, "review-table") == [made["r1"].pk, made["r4"].pk]
    text = html(response)
    assert '<input type="hidden" name="sort" value="-signed">' in text
    assert 'href="?state=signed&amp;sort=county"' in text


def _negated(code: str) -> tuple[int, ...]:
    """A code's descending order inside an ascending sort (``"-county__code"``)."""
    return tuple(-ord(ch) for ch in code)


# 考核结果反馈 (MGT.5.FEEDBACK) ------------------------------------------------------------------


def test_assessment_result_sorting(client, world):
    """MGT.5.FEEDBACK: the results list sorts by its headers; by default the newest year first
    and, within it, the results the unit has not yet received first."""
    from tests.assessment.feedback_helpers import assessment, at
    from zhucun.assessment.models import Assessment

    made = {
        "a1": assessment(world, "tm_a", grade="excellent", year=2025),
        "a2": assessment(world, "fs_a", grade="competent", year=2025, finalised_at=at(2026, 1, 5)),
        "a3": assessment(world, "fs_b", grade="basically_competent", year=2024),
        "a4": assessment(world, "fs_c", grade="competent", year=2025, kind="term_end"),
        "a5": assessment(world, "fs_b", grade="excellent", year=2025, finalised_at=at(2026, 2, 1)),
    }
    Assessment.objects.filter(pk__in=[made["a2"].pk, made["a3"].pk]).update(
        unit_received_at=at(2026, 3, 1)
    )
    Assessment.objects.filter(pk=made["a5"].pk).update(unit_received_at=at(2026, 2, 9))
    login(client, world, "prefecture")
    objects = list(
        Assessment.objects.filter(pk__in=[a.pk for a in made.values()]).select_related(
            "cadre__unit", "county"
        )
    )
    grade = ["excellent", "competent", "basically_competent", "incompetent"]
    kind = ["annual", "term_end"]
    keys = {
        "year": [
            lambda a: a.year,
            lambda a: a.unit_received_at is None,
            lambda a: _negated(a.county.code),
            lambda a: _negated(a.cadre.name),
            lambda a: _negated(a.kind),
        ],
        "kind": [lambda a: kind.index(a.kind), lambda a: -a.year, lambda a: a.cadre.name],
        "name": [lambda a: a.cadre.name, lambda a: -a.year, lambda a: a.kind],
        "unit": [lambda a: a.cadre.unit.name, lambda a: a.cadre.name, lambda a: -a.year],
        "grade": [lambda a: grade.index(a.grade), lambda a: -a.year, lambda a: a.cadre.name],
        "county": [lambda a: a.county.code, lambda a: -a.year, lambda a: a.cadre.name],
        "finalised": [lambda a: a.finalised_at, lambda a: a.cadre.name],
        "received": [lambda a: a.unit_received_at, lambda a: a.cadre.name],
    }
    shown = check_sorting(
        client, "/assessment/results/", "result-table", objects, keys, "year", default_desc=True
    )
    # 2025 first; within it the pending ones (a4 瑞丽, a1 芒市 by county code), then received
    assert shown == [made[k].pk for k in ("a4", "a1", "a2", "a5", "a3")]
    response = client.get(
        "/assessment/results/", {"year": "2025", "unreceived": "1", "sort": "name"}
    )
    assert row_pks(response, "result-table") == [made["a4"].pk, made["a1"].pk]  # 李 < 线
    assert '<input type="hidden" name="sort" value="name">' in html(response)
    assert 'href="?year=2025&amp;unreceived=1&amp;sort=-name"' in html(response)


# 审计日志 ------------------------------------------------------------------------------------------


def audit_seqs(response) -> list[int]:
    """The rows of the log (each holds a diff table of its own: read up to the pager)."""
    import re

    text = html(response)
    block = text[text.index('id="audit-table"') : text.index('class="pager"')]
    return [int(pk) for pk in re.findall(r'<tr data-pk="(\d+)"', block)]


def test_audit_log_sorting_filters_and_pages(client, world, monkeypatch):
    from django.utils import timezone

    from zhucun.audit.models import Event
    from zhucun.registry import services

    tz = timezone.get_current_timezone()
    # later events stamped earlier (a clock set back): 时间 and 序号 then disagree
    for n, day in enumerate((dt.date(2024, 6, 3), dt.date(2024, 6, 1), dt.date(2024, 6, 2))):
        moment = dt.datetime.combine(day, dt.time(10), tzinfo=tz)
        monkeypatch.setattr("django.utils.timezone.now", lambda m=moment: m)
        services.unit_update(
            actor=world.users["county"],
            unit_id=world.units["mangshi"].pk,
            data={"address": f"勐焕路{n}号"},
        )
    monkeypatch.undo()
    login(client, world, "admin")
    events = list(Event.objects.filter(object_type="registry.dispatchingunit"))
    assert len(events) == 6  # 3 creates (the world) + 3 updates
    keys = {
        "seq": [lambda e: e.seq],
        "at": [lambda e: e.at, lambda e: e.seq],
        "actor": [lambda e: e.actor_name, lambda e: -e.seq],
    }
    params = {"object_type": "registry.dispatchingunit"}
    for key, fields in keys.items():
        for descending in (False, True):
            response = client.get("/audit/", {**params, "sort": f"-{key}" if descending else key})
            assert audit_seqs(response) == expected_order(events, fields, descending), key
    default = audit_seqs(client.get("/audit/", params))
    assert default == expected_order(events, keys["seq"], True)
    assert default != expected_order(events, keys["at"], True)  # the dates do disagree
    for bad in BAD_KEYS:
        response = client.get("/audit/", {**params, "sort": bad})
        assert response.status_code == 200 and audit_seqs(response) == default, bad
    # the date filter (the site's days) and the actor filter, kept with the order
    response = client.get(
        "/audit/", {**params, "from": "2024-06-02", "to": "2024-06-03", "sort": "at"}
    )
    days = (dt.date(2024, 6, 2), dt.date(2024, 6, 3))
    june = sorted(
        (e for e in events if timezone.localtime(e.at).date() in days), key=lambda e: e.at
    )
    assert audit_seqs(response) == [e.seq for e in june] and len(june) == 2
    response = client.get("/audit/", {"from": "2024-13-01", "actor": "county"})
    assert response.status_code == 200 and "已忽略" in html(response)
    assert {Event.objects.get(seq=s).actor_name for s in audit_seqs(response)} == {"county"}
    # across pages: the filters and the order in the pager's links, no row twice or missed
    for n in range(30):
        services.unit_update(
            actor=world.users["county"],
            unit_id=world.units["mangshi"].pk,
            data={"address": f"姐告路{n}号"},
        )
    query = {"actor": "county", "sort": "at"}
    first = client.get("/audit/", query)
    assert 'href="?actor=county&amp;sort=at&amp;page=2"' in html(first)
    second = client.get("/audit/", {**query, "page": 2})
    expected = list(
        Event.objects.filter(actor_name__contains="county")
        .order_by("at", "seq")
        .values_list("seq", flat=True)
    )
    assert audit_seqs(first) + audit_seqs(second) == expected and len(expected) == 33
