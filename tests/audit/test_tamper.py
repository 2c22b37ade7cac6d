"""Issue 9 point 5: a tamper-evident audit trail.

* the chain is keyed (HMAC-SHA256 with a key outside the database): a chain rewritten and
  recomputed with the public algorithm, or with a guessed key, fails ``zhucun audit verify``;
* the database refuses UPDATE and DELETE on ``audit_event`` (triggers on both databases;
  TRUNCATE too on PostgreSQL);
* a signed head kept outside the database catches the newest events deleted with
  ``ChainHead`` moved back — a chain that is whole in itself.

The attacks bypass the triggers (``audit_maintenance``) as the database's owner could."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from tests.conftest import is_postgres
from zhucun.audit.guard import audit_maintenance, guard_missing
from zhucun.audit.models import ChainHead, Event
from zhucun.audit.services import (
    GENESIS,
    chain_verify,
    event_content,
    event_digest,
    unkeyed_digest,
)
from zhucun.registry import services

TABLE = Event._meta.db_table


def _rewrite(victim_seq: int, digest) -> None:
    """Change one event's note and recompute every later hash (and the head) with ``digest``."""
    with audit_maintenance():
        Event.objects.filter(seq=victim_seq).update(note="改过:本事件从未发生")
        prev = GENESIS
        for event in Event.objects.order_by("seq"):
            if event.seq >= victim_seq:
                new = digest(prev_hash=prev, fields=event_content(event))
                Event.objects.filter(seq=event.seq).update(prev_hash=prev, hash=new)
                prev = new
            else:
                prev = event.hash
        ChainHead.objects.filter(id=1).update(last_hash=prev)


def test_chain_recomputed_with_plain_sha256_fails(world):
    victim = Event.objects.order_by("seq")[4].seq
    _rewrite(victim, unkeyed_digest)
    checked, broken, reason = chain_verify()
    assert broken.seq == victim and checked == victim - 1
    assert "审计密钥" in reason
    with pytest.raises(CommandError, match=f"事件 #{victim}"):
        call_command("audit", "verify")


def test_chain_recomputed_with_a_guessed_key_fails(world):
    victim = Event.objects.order_by("seq")[2].seq

    def guessed(*, prev_hash, fields):
        return event_digest(prev_hash=prev_hash, fields=fields, key=b"zhucun")

    _rewrite(victim, guessed)
    _, broken, reason = chain_verify()
    assert broken.seq == victim and "篡改" in reason


def test_only_the_key_holder_can_recompute(world, settings):
    """The rewrite above is correct: with the real key it passes; the key is the only secret."""
    victim = Event.objects.order_by("seq")[2].seq
    _rewrite(victim, event_digest)
    assert chain_verify()[2] == ""
    settings.ZHUCUN_AUDIT_KEY = "另一把密钥" * 8
    _, broken, reason = chain_verify()
    assert broken.seq == 1 and "密钥" in reason


def test_hash_is_hmac_of_the_configured_key(world, settings):
    import hashlib
    import hmac

    first = Event.objects.order_by("seq").first()
    from zhucun.audit.services import canonical

    message = (GENESIS + canonical(event_content(first))).encode()
    key = settings.ZHUCUN_AUDIT_KEY.encode()
    assert first.hash == hmac.new(key, message, hashlib.sha256).hexdigest()
    assert first.hash != hashlib.sha256(message).hexdigest()


# --- the outside head ---------------------------------------------------------------------


def _truncate_tail(n: int = 1) -> None:
    """Delete the newest ``n`` events and move the chain head back onto the new last one."""
    with audit_maintenance():
        last = list(Event.objects.order_by("-seq")[: n + 1])
        Event.objects.filter(seq__in=[e.seq for e in last[:n]]).delete()
        ChainHead.objects.filter(id=1).update(last_seq=last[n].seq, last_hash=last[n].hash)


def test_deleted_tail_with_head_moved_back_is_caught_by_outside_head(world, tmp_path, capsys):
    head_file = tmp_path / "audit-head.json"
    call_command("audit", "head", "--write", str(head_file))
    newest = Event.objects.order_by("-seq").first().seq
    assert json.loads(head_file.read_text())["seq"] == newest
    call_command("audit", "verify", "--head", str(head_file))
    assert f"与外部链头 #{newest} 相符" in capsys.readouterr().out
    _truncate_tail(2)
    assert chain_verify() == (newest - 2, None, "")  # whole in itself
    call_command("audit", "verify")  # without the head the cut is invisible
    with pytest.raises(CommandError, match=f"审计链末尾被截断:外部记录的最新事件 #{newest}"):
        call_command("audit", "verify", "--head", str(head_file))


def test_head_file_from_setting(world, tmp_path, settings):
    settings.ZHUCUN_AUDIT_HEAD_FILE = str(tmp_path / "head.json")
    call_command("audit", "head")  # writes to the configured file
    _truncate_tail()
    with pytest.raises(CommandError, match="末尾被截断"):
        call_command("audit", "verify")


def test_chain_grown_after_the_head_still_verifies(world, tmp_path):
    head_file = tmp_path / "head.json"
    call_command("audit", "head", "--write", str(head_file))
    services.unit_update(
        actor=world.users["county"], unit_id=world.units["mangshi"].pk, data={"address": "新址"}
    )
    call_command("audit", "verify", "--head", str(head_file))


def test_forged_head_file_is_refused(world, tmp_path):
    head_file = tmp_path / "head.json"
    call_command("audit", "head", "--write", str(head_file))
    data = json.loads(head_file.read_text())
    data["seq"] -= 3  # the attacker moves the outside head back too
    data["hash"] = Event.objects.get(seq=data["seq"]).hash
    head_file.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="签名不符"):
        call_command("audit", "verify", "--head", str(head_file))


def test_head_event_rewritten_by_key_holder_is_caught(world, tmp_path):
    head_file = tmp_path / "head.json"
    call_command("audit", "head", "--write", str(head_file))
    _rewrite(Event.objects.order_by("seq")[3].seq, event_digest)
    with pytest.raises(CommandError, match="哈希与数据库不符"):
        call_command("audit", "verify", "--head", str(head_file))


def test_head_is_not_written_for_a_broken_chain(world, tmp_path):
    _rewrite(Event.objects.order_by("seq")[3].seq, unkeyed_digest)
    with pytest.raises(CommandError, match="不写入链头"):
        call_command("audit", "head", "--write", str(tmp_path / "head.json"))
    assert not (tmp_path / "head.json").exists()


def test_missing_head_file_is_an_error(world, tmp_path):
    with pytest.raises(CommandError, match="找不到外部链头文件"):
        call_command("audit", "verify", "--head", str(tmp_path / "nope.json"))


# --- the database refuses changes -----------------------------------------------------------


def _refused(fn) -> None:
    with pytest.raises(IntegrityError, match="审计事件只能追加"), transaction.atomic():
        fn()


def _sql(statement: str):
    def run():
        with connection.cursor() as cur:
            cur.execute(statement)

    return run


def test_database_refuses_update_and_delete(world):
    """On the database in use (SQLite or PostgreSQL): ORM and raw SQL alike."""
    assert guard_missing() == []
    seq = Event.objects.order_by("seq")[1].seq
    _refused(lambda: Event.objects.filter(seq=seq).update(note="x"))
    _refused(lambda: Event.objects.filter(seq=seq).delete())
    _refused(_sql(f"UPDATE {TABLE} SET note = 'x'"))
    _refused(_sql(f"DELETE FROM {TABLE} WHERE seq = {seq}"))
    assert chain_verify()[2] == ""


@pytest.mark.postgres
@pytest.mark.skipif(not is_postgres(), reason="PostgreSQL triggers (the SQLite ones are above)")
def test_postgres_refuses_update_delete_and_truncate(world):
    _refused(_sql(f"UPDATE {TABLE} SET note = 'x'"))
    _refused(_sql(f"DELETE FROM {TABLE}"))
    _sql("SET CONSTRAINTS ALL IMMEDIATE")()  # the test's own inserts: no pending FK checks
    _refused(_sql(f"TRUNCATE {TABLE}"))
    _refused(_sql(f"TRUNCATE {TABLE}, audit_chainhead"))
    with connection.cursor() as cur:
        cur.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass", [TABLE])
        names = {r[0] for r in cur.fetchall()}
    assert {"audit_event_append_only", "audit_event_no_truncate"} <= names


@pytest.mark.skipif(is_postgres(), reason="SQLite triggers (the PostgreSQL ones are above)")
def test_sqlite_triggers_refuse_update_and_delete(world):
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
        )
        assert {r[0] for r in cur.fetchall()} == {"audit_event_no_update", "audit_event_no_delete"}
    _refused(_sql(f"UPDATE {TABLE} SET note = 'x'"))
    _refused(_sql(f"DELETE FROM {TABLE}"))


def test_maintenance_puts_the_guard_back(world):
    with audit_maintenance():
        assert guard_missing() != []
    assert guard_missing() == []
    with pytest.raises(RuntimeError), audit_maintenance():
        raise RuntimeError("rolled back")
    assert guard_missing() == []


def test_deleting_a_user_with_events_is_refused(world):
    """SET_NULL would UPDATE audit events: users are disabled, never deleted."""
    user = world.users["county"]
    assert Event.objects.filter(actor=user).exists() or services.unit_update(
        actor=user, unit_id=world.units["mangshi"].pk, data={"address": "x"}
    )
    with pytest.raises(ProtectedError):
        user.delete()


def test_verify_warns_when_the_guard_is_missing(world, capsys):
    with audit_maintenance():
        call_command("audit", "verify")
    assert "缺少审计表保护触发器" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_table_and_keeps_the_guard():
    from zhucun.accounts.models import User
    from zhucun.audit.services import event_record

    with transaction.atomic():
        event_record(actor=None, action="test.flush", object_type="t", object_id="1")
    assert Event.objects.count() == 1
    call_command("flush", interactive=False, verbosity=0)
    assert Event.objects.count() == 0 and User.objects.count() == 0
    assert guard_missing() == []
