"""Audit trail: append-only, hash-chained; `zhucun audit verify` names the first broken event.

The tampering below bypasses the database's guard (``audit_maintenance`` drops the triggers for
one transaction) as someone with the owner's rights on the database could."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from zhucun.audit.guard import audit_maintenance
from zhucun.audit.models import Event
from zhucun.audit.services import chain_verify
from zhucun.registry import services


def test_every_registry_write_is_audited(world):
    before = Event.objects.count()
    services.village_update(
        actor=world.users["county"], village_id=world.villages["A"].pk, data={"key_village": True}
    )
    event = Event.objects.latest("seq")
    assert Event.objects.count() == before + 1
    assert event.action == "village.update"
    assert event.actor_id == world.users["county"].pk
    assert event.before["key_village"] is False and event.after["key_village"] is True


def test_chain_verifies_when_untouched(world, capsys):
    checked, broken, reason = chain_verify()
    assert reason == "" and broken is None and checked == Event.objects.count() > 10
    call_command("audit", "verify")
    assert f"共 {checked} 个事件" in capsys.readouterr().out


def test_hand_edited_event_is_named(world):
    victim = Event.objects.filter(action="cadre.create").order_by("seq")[1]
    with audit_maintenance(), connection.cursor() as cur:
        cur.execute(
            f"UPDATE {Event._meta.db_table} SET note = %s WHERE seq = %s", ["改过", victim.seq]
        )
    checked, broken, reason = chain_verify()
    assert broken.seq == victim.seq and "篡改" in reason
    with pytest.raises(CommandError, match=f"事件 #{victim.seq}"):
        call_command("audit", "verify")


def test_changed_before_after_is_detected(world):
    victim = Event.objects.filter(action="posting.create").first()
    with audit_maintenance():
        Event.objects.filter(seq=victim.seq).update(after={"status": "ended"})
    _, broken, _ = chain_verify()
    assert broken.seq == victim.seq


def test_deleted_event_is_detected(world):
    victim = Event.objects.order_by("seq")[3]
    with audit_maintenance():
        Event.objects.filter(seq=victim.seq).delete()
    _, broken, reason = chain_verify()
    assert broken.seq == victim.seq + 1 and "删除" in reason


def test_deleted_last_event_is_detected(world):
    with audit_maintenance():
        Event.objects.order_by("-seq").first().delete()
    _, broken, reason = chain_verify()
    assert broken is None and "链尾" in reason
