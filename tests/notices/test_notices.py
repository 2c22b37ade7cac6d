"""站内通知 (issue 16, point 1): addressed to one user, read by that user only, mailed after
the commit where the deployment configures SMTP (off by default)."""

import pytest
from django.core import mail
from django.db import transaction

from zhucun.core.errors import NotFound
from zhucun.notices.selectors import notice_list, notice_unread_count
from zhucun.notices.services import notice_read, notice_send, notices_read_all, users_of_cadre


def _send(world, **over):
    fs = world.users["first_secretary"]
    return notice_send(
        users=users_of_cadre(fs.cadre_id), kind="test", title="测试通知", url="/m/leave/", **over
    )


def test_notice_reaches_only_its_user(world):
    with transaction.atomic():
        _send(world)
    fs, tm = world.users["first_secretary"], world.users["team_member"]
    assert notice_unread_count(user=fs) == 1 and notice_unread_count(user=tm) == 0
    notice = notice_list(user=fs).get()
    with pytest.raises(NotFound):
        notice_read(actor=tm, notice_id=notice.pk)
    notice_read(actor=fs, notice_id=notice.pk)
    assert notice_unread_count(user=fs) == 0


def test_inactive_accounts_get_nothing(world):
    fs = world.users["first_secretary"]
    fs.is_active = False
    fs.save()
    with transaction.atomic():
        assert _send(world) == []


def test_email_is_off_by_default(world, settings):
    assert settings.ZHUCUN_NOTICE_EMAIL is False
    fs = world.users["first_secretary"]
    fs.email = "fs@example.cn"
    fs.save()
    with transaction.atomic():
        _send(world)
    assert mail.outbox == []


def test_email_leaves_after_commit_only(world, settings, django_capture_on_commit_callbacks):
    settings.ZHUCUN_NOTICE_EMAIL = True
    settings.ZHUCUN_PUBLIC_URL = "https://zhucun.example.cn"
    fs = world.users["first_secretary"]
    fs.email = "fs@example.cn"
    fs.save()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            _send(world, body="请及时查看")
            assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["fs@example.cn"]]
    assert "测试通知" in mail.outbox[0].subject
    assert "https://zhucun.example.cn/m/leave/" in mail.outbox[0].body


def test_rolled_back_decision_sends_no_mail(world, settings, django_capture_on_commit_callbacks):
    settings.ZHUCUN_NOTICE_EMAIL = True
    fs = world.users["first_secretary"]
    fs.email = "fs@example.cn"
    fs.save()
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                _send(world)
                raise RuntimeError("决定未能保存")
        except RuntimeError:
            pass
    assert mail.outbox == [] and notice_unread_count(user=fs) == 0


def test_read_all_marks_only_own(world):
    with transaction.atomic():
        _send(world)
        _send(world)
    fs = world.users["first_secretary"]
    assert notices_read_all(actor=world.users["team_member"]) == 0
    assert notices_read_all(actor=fs) == 2 and notice_unread_count(user=fs) == 0
