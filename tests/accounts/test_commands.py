"""`zhucun user …` and `zhucun token …` (issue 9, point 6 C): Chinese errors, non-zero exit,
nothing written on bad input."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from zhucun.accounts.models import User
from zhucun.audit.models import Event


def test_user_create_prints_a_one_time_password(world, capsys):
    call_command("user", "create", "mangshi2", "--role", "county", "--scope", "533103000000")
    out, err = capsys.readouterr()
    raw = out.strip()
    user = User.objects.get(username="mangshi2")
    assert user.must_change_password and user.jurisdiction.code == "533103000000"
    assert authenticate(username="mangshi2", password=raw) == user
    assert "一次性初始密码" in err


@pytest.mark.parametrize(
    "args,message",
    [
        (["create", "x1", "--role", "county", "--scope", "999999999999"], "不存在"),
        (["create", "x1", "--role", "unit", "--scope", "没有的单位"], "不存在"),
        (["create", "county", "--role", "county", "--scope", "533103000000"], "已被使用"),
        (["create", "x1", "--role", "village_secretary"], "请填写管辖范围"),
        (["disable", "nobody"], "不存在"),
        (["reset-password", "nobody"], "不存在"),
    ],
)
def test_bad_input_is_a_chinese_error_and_writes_nothing(world, args, message):
    users, events = User.objects.count(), Event.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("user", *args)
    assert User.objects.count() == users and Event.objects.count() == events


def test_unknown_role_exits_non_zero(world):
    with pytest.raises(CommandError):
        call_command("user", "create", "x1", "--role", "boss")


def test_disable_enable_reset_and_list(world, capsys):
    call_command("user", "disable", "team_member")
    assert not User.objects.get(username="team_member").is_active
    call_command("user", "list", "--role", "team_member")
    assert "team_member\t工作队员\tteam_member\t停用" in capsys.readouterr().out
    call_command("user", "enable", "team_member")
    assert User.objects.get(username="team_member").is_active
    capsys.readouterr()
    call_command("user", "reset-password", "team_member")
    raw = capsys.readouterr().out.strip()
    assert authenticate(username="team_member", password=raw) is not None
    assert User.objects.get(username="team_member").must_change_password


def test_cadre_and_unit_scopes(world, capsys):
    fs_b = world.cadres["fs_b"]
    call_command(
        "user", "create", "paizaola", "--role", "first_secretary", "--scope", fs_b.id_number
    )
    assert User.objects.get(username="paizaola").cadre == fs_b
    call_command("user", "create", "ruilicz", "--role", "unit", "--scope", "瑞丽市财政局")
    assert User.objects.get(username="ruilicz").unit == world.units["ruili"]


def test_token_revoke_unknown_is_an_error(world):
    with pytest.raises(CommandError, match="不存在"):
        call_command("token", "revoke", "424242")
    with pytest.raises(CommandError, match="不存在"):
        call_command("token", "list", "nobody")
