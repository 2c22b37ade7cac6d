"""``zhucun backup`` / ``zhucun restore`` (issue 18): a backup of the test database restored
into a fresh empty database of the same engine (SQLite: a new file; PostgreSQL: a database
created for the test) has the same row counts, its audit chain verifies against the backup's
signed head, and the uploaded files come back; a non-empty target and a tampered backup are
refused with Chinese errors and a non-zero exit code, writing nothing."""

from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from zhucun.audit.head import head_read
from zhucun.audit.models import Event
from zhucun.ops import files as F
from zhucun.ops.database import table_counts

from ..conftest import is_postgres
from .conftest import JPEG, PDF


def counts_now() -> dict[str, int]:
    with connection.cursor() as cur:
        return table_counts(cur, connection.vendor)


def backup(tmp_path, name="backup"):
    dest = tmp_path / name
    call_command("backup", str(dest))
    return dest


def test_backup_writes_manifest_sums_head_and_parameters(data, tmp_path):
    dest = backup(tmp_path)
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "zhucun-backup/1"
    assert manifest["engine"] == connection.vendor
    assert manifest["counts"] == counts_now()
    assert manifest["counts"]["audit_event"] == Event.objects.count() > 10
    # every file has its sha256, in the manifest and in SHA256SUMS (sha256sum format)
    sums = F.read_sums(dest)
    assert sums.pop("manifest.json") == F.sha256_of(dest / "manifest.json")
    assert sums == manifest["files"] and F.check_sums(dest) == []
    db_file = manifest["db_file"]
    assert db_file in sums and sums[db_file] == F.sha256_of(dest / db_file)
    # the uploaded files: the diary photo (MEDIA_ROOT) and the attachment (by its sha256)
    photos = [p for p in sums if p.startswith("files/media/diary/")]
    assert len(photos) == 1 and (dest / photos[0]).read_bytes() == JPEG
    pdf = hashlib.sha256(PDF).hexdigest()
    assert (dest / "files/attachments" / pdf[:2] / pdf).read_bytes() == PDF
    assert manifest["missing_files"] == []
    # the audit head, signed with the audit key, is the snapshot's last event
    head = head_read(dest / "audit-head.json")
    last = Event.objects.order_by("-seq").first()
    assert (head.seq, head.hash) == (last.seq, last.hash)
    assert manifest["audit_head"] == {"seq": last.seq, "hash": last.hash}
    # the parameter values, for people
    params = json.loads((dest / "parameters.json").read_text(encoding="utf-8"))
    [value] = params["parameter_values"]
    assert value["parameter"] == "min_days_on_duty_per_year" and value["value"] == 200
    assert value["jurisdiction_code"] == "533103000000" and value["note"] == "芒组通〔2025〕1号"
    # nothing half-written is left beside the backup
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".backup")] == []


def test_backup_refuses_a_directory_that_holds_files(data, tmp_path):
    dest = tmp_path / "used"
    dest.mkdir()
    (dest / "x").write_text("x")
    with pytest.raises(CommandError, match="已存在且不是空目录"):
        call_command("backup", str(dest))


def test_restore_into_fresh_database_same_counts_audit_verifies(data, tmp_path, target):
    dest = backup(tmp_path)
    expected = counts_now()
    r = target.zhucun("restore", str(dest))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "审计链完好" in r.stdout and "各表行数与备份清单一致" in r.stdout
    with target.connect() as conn:
        cur = conn.cursor()
        restored = table_counts(cur, "sqlite" if target.sqlite_path else "postgresql")
    assert restored == expected
    # zhucun audit verify on the restored database, against the backup's signed head
    v = target.zhucun("audit", "verify", "--head", str(dest / "audit-head.json"))
    assert v.returncode == 0, v.stdout + v.stderr
    assert f"共 {expected['audit_event']} 个事件" in v.stdout and "与外部链头" in v.stdout
    # the uploaded files are back where the target's settings keep them
    pdf = hashlib.sha256(PDF).hexdigest()
    assert (target.attachments / pdf[:2] / pdf).read_bytes() == PDF
    assert [p.read_bytes() for p in (target.media / "diary").rglob("*.jpg")] == [JPEG]


def test_restore_refuses_non_empty_database(data, tmp_path):
    dest = backup(tmp_path)
    before = counts_now()
    with pytest.raises(CommandError, match="目标数据库不是空的.*恢复只写入空数据库"):
        call_command("restore", str(dest))
    assert counts_now() == before


def tamper(dest, victim):
    """Change one file of the backup; returns its path relative to the backup."""
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    if victim == "manifest":  # a count made to match a changed database
        manifest["counts"]["audit_event"] -= 1
        (dest / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        return "manifest.json"
    if victim == "db":
        rel = manifest["db_file"]
    else:
        pdf = hashlib.sha256(PDF).hexdigest()
        rel = f"files/attachments/{pdf[:2]}/{pdf}"
    raw = bytearray((dest / rel).read_bytes())
    raw[len(raw) // 2] ^= 0x01
    (dest / rel).write_bytes(bytes(raw))
    return rel


@pytest.mark.parametrize("victim", ["db", "attachment", "manifest"])
def test_tampered_backup_fails_checksum_and_restores_nothing(data, tmp_path, victim):
    dest = backup(tmp_path)
    rel = tamper(dest, victim)
    before = counts_now()
    with pytest.raises(CommandError, match=f"备份校验失败,未做任何恢复:文件 {rel} 的 SHA-256"):
        call_command("restore", str(dest))
    assert counts_now() == before


def test_tampered_backup_exit_code_and_target_untouched(data, tmp_path, target):
    """The command line: exit code ≠ 0, the Chinese reason, no traceback, nothing written."""
    dest = backup(tmp_path)
    rel = tamper(dest, "db")
    r = target.zhucun("restore", str(dest))
    assert r.returncode != 0
    assert "备份校验失败,未做任何恢复" in r.stderr and rel in r.stderr
    assert "Traceback" not in r.stderr
    assert not target.attachments.exists() and not target.media.exists()
    if target.sqlite_path is not None:
        assert not target.sqlite_path.exists() or target.sqlite_path.stat().st_size == 0
    else:
        with target.connect() as conn:
            (n,) = conn.execute(
                "SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace "
                "WHERE s.nspname = 'public'"
            ).fetchone()
        assert n == 0


def test_extra_file_in_backup_is_refused(data, tmp_path):
    dest = backup(tmp_path)
    (dest / "files/media/extra.jpg").write_bytes(b"x")
    with pytest.raises(CommandError, match="多出未登记的文件 files/media/extra.jpg"):
        call_command("restore", "--check", str(dest))


@pytest.mark.postgres
@pytest.mark.skipif(not is_postgres(), reason="PostgreSQL only: pg_dump's exported snapshot")
def test_pg_backup_is_one_snapshot_while_writes_go_on(data, tmp_path, monkeypatch):
    """Rows committed by another session while the dump runs are neither in the dump nor in
    the manifest's counts: pg_dump runs in the snapshot the counts were read in."""
    import psycopg

    from zhucun.ops import snapshot as snap_mod

    from .conftest import pg_admin_url

    url = pg_admin_url(connection.settings_dict["NAME"])
    before = counts_now()
    real = snap_mod._pg_snapshot

    def writes_meanwhile():
        with real() as snap:
            with psycopg.connect(url, autocommit=True) as other:
                other.execute("INSERT INTO django_session VALUES ('x', 'y', now())")
            yield snap

    monkeypatch.setattr(snap_mod, "_pg_snapshot", contextmanager(writes_meanwhile))
    dest = tmp_path / "b"
    call_command("backup", str(dest))
    manifest = json.loads((dest / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["django_session"] == before["django_session"]
    assert counts_now()["django_session"] == before["django_session"] + 1
