"""``zhucun backup DIR``: a consistent backup in a new directory.

    DIR/db.dump            PostgreSQL: pg_dump custom format (-Fc) of the snapshot
    DIR/db.sqlite3         SQLite: the file through SQLite's online backup API
    DIR/files/media/…      the uploaded files (MEDIA_ROOT: diary photos)
    DIR/files/attachments/… the rotation attachments (ZHUCUN_ATTACHMENTS_DIR, named by sha256)
    DIR/audit-head.json    the audit chain's head of the snapshot, signed as `zhucun audit head`
    DIR/parameters.json    the jurisdictions' parameter values and entered holiday years (for
                           people; they are in the dump too)
    DIR/parameters.toml    the parameter file, when ZHUCUN_PARAMETERS_FILE names one
    DIR/manifest.json      version, engine, time, row counts per table, files with sha256
    DIR/SHA256SUMS         every file's sha256 (`sha256sum -c SHA256SUMS` checks it)

The backup is written into a hidden sibling directory and renamed to DIR when complete: a
DIR that exists is a complete backup. What the audit key and SECRET_KEY are is NOT in the
backup (docs/SECURITY.md: keep the audit key apart from the database backups)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

import zhucun
from zhucun.attendance.models import DiaryPhoto
from zhucun.audit.head import Head, head_check
from zhucun.audit.models import Event
from zhucun.audit.services import chain_verify
from zhucun.rotation.models import Attachment

from . import files as F
from .database import OpsError, engine, table_counts
from .params_export import parameters_export
from .snapshot import Snapshot, snapshot

FORMAT = "zhucun-backup/1"
DB_FILE = {"postgresql": "db.dump", "sqlite": "db.sqlite3"}
MEDIA, ATTACHMENTS = "files/media", "files/attachments"


@dataclass
class BackupResult:
    path: Path
    manifest: dict[str, Any]
    seconds: float
    bytes: int
    warnings: list[str] = field(default_factory=list)


def backup_write(dest: Path) -> BackupResult:
    dest = Path(dest).absolute()
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise OpsError(f"备份目录 {dest} 已存在且不是空目录:每次备份请写入一个新目录")
    dest.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    vendor = engine()
    work = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}.partial-"))
    try:
        with snapshot(vendor) as snap:
            snap.dump(work / DB_FILE[vendor])
            counts = table_counts(snap.cursor, vendor)
            params = parameters_export(snap.cursor)
            last = _last_event(snap)
            photos, shas = _referenced_files(snap)
            migrations = _migrations(snap)
        warnings: list[str] = []
        head = _signed_head(last, warnings)
        media_root = Path(settings.MEDIA_ROOT)
        attachments_dir = Path(settings.ZHUCUN_ATTACHMENTS_DIR)
        media = F.copy_tree(media_root, work / MEDIA)
        attachments = F.copy_tree(attachments_dir, work / ATTACHMENTS)
        missing = sorted(set(photos) - {p.as_posix() for p in media})
        missing += sorted(f"attachments/{s}" for s in set(shas) - {p.name for p in attachments})
        if missing:
            warnings.append(
                f"数据库引用的 {len(missing)} 个文件在磁盘上不存在(见 manifest.json 的 missing_files)"
            )
        (work / "parameters.json").write_text(
            json.dumps(params, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        param_file = os.environ.get("ZHUCUN_PARAMETERS_FILE")
        if param_file:
            shutil.copy2(param_file, work / "parameters.toml")
        if head is not None:
            (work / "audit-head.json").write_text(head.as_json(), encoding="utf-8")
        listed = {rel.as_posix(): F.sha256_of(work / rel) for rel in F.walk(work)}
        manifest = {
            "format": FORMAT,
            "zhucun_version": zhucun.__version__,
            "created_at": timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds"),
            "engine": vendor,
            "database": _database_note(vendor),
            "db_file": DB_FILE[vendor],
            "counts": counts,
            "migrations": migrations,
            "audit_head": {"seq": head.seq, "hash": head.hash} if head else None,
            "audit_last_event": last,
            "media_root": str(media_root),
            "attachments_dir": str(attachments_dir),
            "media_files": len(media),
            "attachment_files": len(attachments),
            "missing_files": missing,
            "files": listed,
            "warnings": warnings,
        }
        (work / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        F.write_sums(work)
        F.fsync_tree(work)
        if dest.exists():
            dest.rmdir()
        os.rename(work, dest)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    size = sum((dest / rel).stat().st_size for rel in F.walk(dest))
    return BackupResult(dest, manifest, time.monotonic() - started, size, warnings)


def _last_event(snap: Snapshot) -> dict[str, Any] | None:
    table = Event._meta.db_table
    snap.cursor.execute(f"SELECT seq, hash FROM {table} ORDER BY seq DESC LIMIT 1")
    row = snap.cursor.fetchone()
    return {"seq": int(row[0]), "hash": str(row[1])} if row else None


def _signed_head(last: dict[str, Any] | None, warnings: list[str]) -> Head | None:
    """The snapshot's last event as a signed head — only if the chain verifies. The live
    chain is checked (events are append-only: if it verifies and still holds the snapshot's
    last event with the same hash, the snapshot's chain is its prefix and verifies too)."""
    written_at = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    head = Head(
        seq=last["seq"] if last else 0,
        hash=last["hash"] if last else "0" * 64,
        written_at=written_at,
    )
    checked, broken, reason = chain_verify()
    if not reason:
        reason = head_check(head)
    if reason:
        where = f"事件 #{broken.seq}:" if broken else ""
        warnings.append(f"审计链校验失败({where}{reason}),备份中没有签名的链头")
        return None
    return head


def _referenced_files(snap: Snapshot) -> tuple[list[str], list[str]]:
    """(diary photo paths relative to MEDIA_ROOT, attachment sha256s) the rows refer to."""
    photo = DiaryPhoto._meta
    snap.cursor.execute(f"SELECT DISTINCT {photo.get_field('file').column} FROM {photo.db_table}")
    photos = [str(r[0]) for r in snap.cursor.fetchall() if r[0]]
    att = Attachment._meta
    snap.cursor.execute(f"SELECT DISTINCT {att.get_field('sha256').column} FROM {att.db_table}")
    return photos, [str(r[0]) for r in snap.cursor.fetchall()]


def _migrations(snap: Snapshot) -> dict[str, str]:
    """The newest applied migration of each app (restore compares it with the code)."""
    snap.cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    latest: dict[str, str] = {}
    for app, name in snap.cursor.fetchall():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def _database_note(vendor: str) -> dict[str, Any]:
    sd = connection.settings_dict
    if vendor == "postgresql":
        return {
            "name": sd["NAME"],
            "host": sd.get("HOST") or "",
            "server_version": connection.pg_version,
        }
    import sqlite3

    return {"name": str(sd["NAME"]), "sqlite_version": sqlite3.sqlite_version}
