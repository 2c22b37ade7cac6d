"""Texts that quote a policy number render it from the parameter in force for the reader's
place (issue 10 point 7): 末3位 (MGT.3.RANK rank_bottom_count), the leave page's rest rule
(MGT.1.REST rest_max_per_quarter / rest_max_days / rest_max_team_fraction) and the import
column hint of the age exception (SEL.SRC.AGE max_age_years)."""

from __future__ import annotations

import datetime as dt

from zhucun.params.services import parameter_set
from zhucun.registry.imports.columns import help_text

from .helpers import html, login

MANGSHI = "533103000000"
DEHONG = "533100000000"
SINCE = dt.date(2021, 10, 19)


def _set(world, role, code, name, value):
    parameter_set(
        actor=world.users[role],
        name=name,
        jurisdiction_code=code,
        effective=SINCE,
        value=value,
        note="测试文件〔2026〕1号",
    )


def test_rankings_say_the_bottom_count_in_force_mgt_3_rank(client, world):
    login(client, world, "county")
    assert "出勤率排名末3位" in html(client.get("/attendance/rankings/"))
    _set(world, "county", MANGSHI, "rank_bottom_count", 5)
    text = html(client.get("/attendance/rankings/"))
    assert "出勤率排名末5位" in text and "末3位" not in text
    login(client, world, "prefecture")  # 德宏州 as a whole keeps 3
    assert "出勤率排名末3位" in html(client.get("/attendance/rankings/"))


def test_leave_page_quotes_the_rest_rule_of_the_cadres_county_mgt_1_rest(client, world):
    login(client, world, "team_member")  # 线美玲, posted in 弄坎村, 芒市
    text = html(client.get("/m/leave/"))
    assert "每季度1次、不超过7天,同一批轮休不超过工作队三分之一" in text
    _set(world, "county", MANGSHI, "rest_max_days", 10)
    _set(world, "county", MANGSHI, "rest_max_team_fraction", "1/4")
    text = html(client.get("/m/leave/"))
    assert "每季度1次、不超过10天,同一批轮休不超过工作队四分之一" in text


def test_import_hint_quotes_the_age_limit_sel_src_age(world):
    assert help_text("cadres", "age_exception_note") == "年龄超过45周岁按例外选派时的说明"
    _set(world, "prefecture", DEHONG, "max_age_years", 50)
    assert help_text("cadres", "age_exception_note") == "年龄超过50周岁按例外选派时的说明"
