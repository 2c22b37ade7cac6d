"""MGT.6.* pages: the first secretary opens the monthly report (draft prefilled), edits,
submits; the township reads it with the differences against the draft highlighted; the
township's page renders in a fixed number of queries whatever the number of villages;
print and .xlsx (月报); the phone page for MGT.6.URGENT; the township home's box."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.web.helpers import html, login
from tests.world import cadre_data
from zhucun.registry import services as reg
from zhucun.work.models import Report

from .reports_helpers import checkin, diary

pytestmark = pytest.mark.django_db
LAST_MONTH = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _open(client, world):
    login(client, world, "first_secretary")
    r = client.post(
        reverse("web:work_reports"),
        {"kind": "monthly", "period_start": LAST_MONTH.isoformat()},
    )
    assert r.status_code == 302
    return Report.objects.get(kind="monthly")


def test_mgt_6_monthly_draft_prefilled_edit_submit_and_reader_diff(client, world):
    a = world.villages["A"]
    fs = world.cadres["fs_a"]
    checkin(fs, a, LAST_MONTH + dt.timedelta(days=2))
    diary(
        fs,
        a,
        LAST_MONTH + dt.timedelta(days=2),
        "召开支委会",
        ["DUT.1"],
        world.users["first_secretary"],
    )
    report = _open(client, world)
    page = client.get(reverse("web:work_report_detail", args=[report.pk]))
    text = html(page)
    assert 'id="report-body"' in text and "岳文华(第一书记):在岗1天" in text
    assert "召开支委会" in text
    body = report.body.replace("召开支委会", "召开支委会,研究发展党员") + "下月计划:完成道路硬化\n"
    r = client.post(
        reverse("web:work_report_detail", args=[report.pk]), {"action": "submit", "body": body}
    )
    assert r.status_code == 302
    report.refresh_from_db()
    assert report.submitted_at is not None
    # read-only now
    r = client.post(
        reverse("web:work_report_detail", args=[report.pk]), {"action": "save", "body": "改"}
    )
    assert r.status_code == 403
    login(client, world, "township")
    page = html(client.get(reverse("web:work_report_detail", args=[report.pk])))
    assert 'id="report-form"' not in page
    assert "<ins>下月计划:完成道路硬化</ins>" in page
    assert "<del>" in page and "研究发展党员" in page
    assert 'id="diff-counts"' in page


def test_mgt_6_print_and_xlsx(client, world):
    report = _open(client, world)
    page = client.get(reverse("web:work_report_print", args=[report.pk]))
    assert page.status_code == 200 and report.title in html(page)
    resp = client.get(reverse("web:work_report_xlsx", args=[report.pk]))
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.content))
    values = [c for row in wb.active.iter_rows(values_only=True) for c in row if c]
    assert report.title in values
    assert any("在岗天数" in str(v) for v in values)


def test_mgt_6_other_roles_cannot_open_monthly(client, world):
    login(client, world, "team_member")
    client.post(
        reverse("web:work_reports"), {"kind": "monthly", "period_start": LAST_MONTH.isoformat()}
    )
    assert not Report.objects.exists()


def test_mgt_6_urgent_phone_page_and_township_home(client, world):
    login(client, world, "team_member")
    page = client.get(reverse("web:work_urgent_new"))
    assert page.status_code == 200 and 'id="urgent-submit"' in html(page)
    r = client.post(reverse("web:work_urgent_new"), {"title": "山洪", "body": "村道被冲毁"})
    assert r.status_code == 302
    login(client, world, "township")
    home = html(client.get("/"))
    # the urgent report waits in the township's 待办, at the top of its home page
    assert 'data-kind="urgent_acknowledge"' in home and "待签收的突发情况报告" in home
    assert home.index('data-kind="urgent_acknowledge"') < home.index('id="review-box"')
    page = html(client.get(reverse("web:work_reports")))
    assert "山洪" in page and "待签收" in page
    login(client, world, "village_secretary")
    assert client.get(reverse("web:work_urgent_new")).status_code == 404


def _more_villages(world, n):
    admin = world.admin
    for i in range(n):
        v = reg.village_create(
            actor=admin,
            code=f"53310310201{i + 3}",
            name=f"新村{i}",
            township_code="533103102000",
        )
        c = reg.cadre_create(actor=admin, data=cadre_data(name=f"新书记{i}", serial=40 + i))
        reg.posting_create(
            actor=admin,
            data={
                "id_number": c.id_number,
                "village_code": v.jurisdiction.code,
                "role": "first_secretary",
                "arrival_date": dt.date(2024, 3, 1),
            },
        )
        Report.objects.create(
            kind="monthly",
            period_start=LAST_MONTH,
            period_end=LAST_MONTH + dt.timedelta(days=27),
            due=LAST_MONTH,
            village=v,
            township=v.township,
            subject_key=f"village:{v.pk}",
            title=f"新村{i}月报",
            author=admin,
            submitted_at=timezone.now(),
        )


def _count(client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("web:work_reports")).status_code == 200
    return len(ctx.captured_queries)


def test_mgt_6_township_report_page_queries_do_not_grow(
    client, world, django_assert_max_num_queries
):
    login(client, world, "township")
    for key in ("A", "B"):
        v = world.villages[key]
        Report.objects.create(
            kind="monthly",
            period_start=LAST_MONTH,
            period_end=LAST_MONTH + dt.timedelta(days=27),
            due=LAST_MONTH,
            village=v,
            township=v.township,
            subject_key=f"village:{v.pk}",
            title=f"{key}月报",
            author=world.admin,
            submitted_at=timezone.now(),
        )
    few = _count(client, django_assert_max_num_queries)  # 2 villages
    _more_villages(world, 4)
    many = _count(client, django_assert_max_num_queries)  # 6 villages
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(reverse("web:work_reports"))


@pytest.mark.parametrize(
    "role",
    [
        "admin",
        "prefecture",
        "county",
        "township",
        "unit",
        "first_secretary",
        "team_member",
        "village_secretary",
    ],
)
def test_mgt_6_report_page_renders_for_every_role(client, world, role):
    login(client, world, role)
    assert client.get(reverse("web:work_reports")).status_code == 200
