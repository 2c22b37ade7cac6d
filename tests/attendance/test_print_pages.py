"""The documents offices print and sign (issue 16, point 3): 请销假审批表 (MGT.1.LEAVE),
约谈记录 (MGT.3.TALK), 月度在岗情况汇总表 (MGT.3.SUMMARY), 出勤率排名表 (MGT.3.RANK) and
选派审批表 (SEL.METHOD.FLOW) — each renders for the roles that see the object, is a 404
outside their scope, and carries its title, the object's facts, the 签字/盖章/日期 boxes, the
打印 button and the one print layout; each is linked from the page that shows the object."""

from __future__ import annotations

import datetime as dt

import pytest

from zhucun.accounts.models import User, UserRole
from zhucun.attendance import services as att
from zhucun.attendance.models import Interview
from zhucun.registry.models import Jurisdiction
from zhucun.selection import services as sel

from .conftest import other_township_user
from .test_mgt_3_summary_rank import OCT, closed  # noqa: F401 - the closed October fixture

D = dt.date


def page(client, user, url: str, status: int = 200) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, (user.role, url, response.status_code)
    return response.content.decode("utf-8")


def assert_document(text: str, title: str, *facts: str) -> None:
    assert f'<h1 class="form-title" id="form-title">{title}</h1>' in text
    assert 'id="signature-boxes"' in text
    for word in ("签字:", "日期:"):
        assert word in text
    assert "data-print" in text and ">打印</button>" in text
    for fact in facts:
        assert fact in text, fact


def outsider(role: str, code: str, name: str) -> User:
    return User.objects.create_user(
        f"out_{role}",
        password="pw",
        role=role,
        jurisdiction=Jurisdiction.objects.get(code=code),
        display_name=name,
    )


def test_mgt_1_leave_approval_form_prints_for_its_parties(client, world, users):
    tm, fs = users["team_member"], users["first_secretary"]
    leave = att.leave_request_create(
        actor=tm, kind="personal", start=D(2025, 3, 3), end=D(2025, 3, 5), reason="家中老人住院"
    )
    att.leave_decide(actor=fs, leave_id=leave.pk, approve=True, note="同意,注意安全")
    url = f"/attendance/leave/{leave.pk}/print/"
    for role in ("team_member", "first_secretary", "township"):
        text = page(client, users[role], url)
        assert_document(
            text,
            "驻村干部请销假审批表",
            "线美玲",
            "事假",
            "2025年3月3日至2025年3月5日,共3天",
            "家中老人住院",
            "已批准:同意,注意安全",
            "申请人",
            "弄坎村驻村第一书记",
        )
    assert f'href="{url}"' in page(client, tm, "/m/leave/")  # linked from the cadre's list
    assert f'href="{url}"' in page(client, fs, "/team/approvals/")
    page(client, other_township_user(), url, 404)
    for role in ("county", "unit", "village_secretary"):  # no leave page of theirs
        page(client, users[role], url, 404)
    page(client, users["township"], "/attendance/leave/999999/print/", 404)
    fs_leave = att.leave_request_create(
        actor=fs, kind="personal", start=D(2025, 4, 1), end=D(2025, 4, 1), reason="就医"
    )
    page(client, tm, f"/attendance/leave/{fs_leave.pk}/print/", 404)  # not the member's


def test_mgt_3_talk_interview_record_prints(client, world, users, closed):  # noqa: F811
    tm = users["team_member"]
    att.interview_record(
        actor=users["county"],
        cadre_id=tm.cadre_id,
        month=OCT,
        township_leader="遮放镇党委副书记 张明",
        unit_leader="芒市人民医院副院长 李红",
        held_on=D(2024, 11, 5),
        record="指出出勤不足,本人表示整改。",
    )
    interview = Interview.objects.get()
    url = f"/attendance/interviews/{interview.pk}/print/"
    for role in ("county", "township", "prefecture"):
        text = page(client, users[role], url)
        assert_document(
            text,
            "驻村干部约谈记录",
            "线美玲",
            "2024年11月5日",
            "2024年10月无正当理由在岗天数未达当月工作日天数(MGT.3.TALK)",
            "应出勤19天,实际在岗10天",
            "指出出勤不足,本人表示整改。",
            "被约谈人",
            "派出单位分管领导",
        )
    assert f'href="{url}"' in page(client, users["county"], "/attendance/interviews/?month=2024-10")
    page(client, other_township_user(), url, 404)
    page(client, users["first_secretary"], url, 404)  # the team does not hold the record


def test_mgt_3_summary_prints_with_the_three_signatures(client, world, users, closed):  # noqa: F811
    fs, vs = users["first_secretary"], users["village_secretary"]
    s = att.summary_prepare(actor=fs, month=OCT, note="本月开展入户走访")
    att.summary_sign(actor=vs, summary_id=s.pk)
    url = f"/attendance/summaries/{s.pk}/print/"
    for role in ("first_secretary", "village_secretary", "township"):
        text = page(client, users[role], url)
        assert_document(
            text,
            "弄坎村2024年10月驻村工作队在岗情况汇总表",
            "岳文华",
            "线美玲",
            "本月开展入户走访",
            "驻村第一书记(汇总)",
            "村党组织书记",
            "遮放镇党(工)委(接收)",
            "(盖章)",
        )
    assert f'href="{url}"' in page(client, fs, "/team/summary/?month=2024-10")
    page(client, other_township_user(), url, 404)
    page(client, users["team_member"], url, 404)
    vs_b = User.objects.create_user(
        "vs_b", password="pw", role=UserRole.VILLAGE_SECRETARY, village=world.villages["B"]
    )
    page(client, vs_b, url, 404)


def test_mgt_3_rank_ranking_prints_for_township_and_county(client, world, users, closed):  # noqa: F811
    text = page(client, users["township"], "/attendance/rankings/print/?month=2024-10")
    assert_document(
        text, "遮放镇2024年10月驻村工作队员出勤率排名表", "岳文华", "线美玲", "制表人", "审核人"
    )
    assert 'id="ranking-print-table"' in text and "<thead>" in text
    text = page(client, users["county"], "/attendance/rankings/print/?month=2024-10")
    assert_document(text, "芒市2024年10月驻村工作队员出勤率排名末位名单", "线美玲", "排早腊")
    assert "岳文华" not in text  # the bottom list only, as /attendance/rankings/ shows
    assert 'href="/attendance/rankings/print/?month=2024-10"' in page(
        client, users["township"], "/township/month/?month=2024-10"
    )
    for role in ("team_member", "first_secretary", "unit", "village_secretary"):
        page(client, users[role], "/attendance/rankings/print/?month=2024-10", 404)
    ruili = outsider(UserRole.COUNTY, "533102000000", "瑞丽市")
    assert "线美玲" not in page(client, ruili, "/attendance/rankings/print/?month=2024-10")


@pytest.mark.parametrize("role", ["unit", "county", "prefecture"])
def test_sel_method_flow_nomination_form_prints(client, world, users, role):
    n = sel.nomination_create(
        actor=users["unit"],
        cadre_id=world.cadres["spare"].pk,
        role="team_member",
        source="application",
        dispatch_date=D(2026, 3, 2),
        village_id=world.villages["A"].pk,
    )
    url = f"/nominations/{n.pk}/print/"
    text = page(client, users[role], url)
    cadre = world.cadres["spare"]
    assert_document(
        text,
        "驻村第一书记和工作队员选派审批表",
        cadre.name,
        "工作队员",
        "芒市遮放镇弄坎村",
        "2026年3月2日",
        "派出单位意见(提出人选)",
        "驻村工作领导协调机构审核备案",
        "(盖章)",
    )
    assert cadre.id_number not in text and cadre.phone not in text
    assert f'href="{url}"' in page(client, users[role], f"/nominations/{n.pk}/")
    page(client, users["township"], url, 404)  # no part in selection
    page(client, outsider(UserRole.COUNTY, "533102000000", "瑞丽市"), url, 404)
