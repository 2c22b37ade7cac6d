"""``zhucun restore DIR``: a backup of ``zhucun backup`` into an EMPTY database.

Order: the checksums of every file (nothing is touched if one differs) → the target is
empty (a database that holds any table is refused) and the files to restore do not clash
with different files already there → the database (pg_restore into DATABASE_URL's database /
the SQLite file copied into place) → the uploaded files → checks: the audit chain verifies
with the audit key of this environment and still holds the backup's signed head, and every
table has the row count of the manifest."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections

from zhucun.audit.head import HeadError, head_check, head_read
from zhucun.audit.services import chain_verify

from . import files as F
from .backup import ATTACHMENTS, FORMAT, MEDIA
from .database import OpsError, engine, libpq_target, pg_tool, relations_present, table_counts

ENGINE_LABEL = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    seconds: float
    audit: str  # '' = verified; else the reason
    audit_events: int
    head_seq: int | None  # the backup's signed head, when it had one
    count_diffs: list[tuple[str, int | None, int | None]]  # (table, manifest, restored)
    files: int
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.audit and not self.count_diffs


def manifest_read(source: Path) -> dict[str, Any]:
    path = source / "manifest.json"
    if not path.is_file():
        raise OpsError(f"{source} 不是备份目录:缺少 manifest.json")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise OpsError(f"manifest.json 无法读取:{exc}") from exc
    if manifest.get("format") != FORMAT:
        raise OpsError(f"不认识的备份格式 {manifest.get('format')!r}(应为 {FORMAT})")
    return manifest


def backup_check(source: Path) -> dict[str, Any]:
    """The manifest of an intact backup; refuses one whose files differ from their sums
    (checked before anything in it is read)."""
    source = Path(source)
    if not source.is_dir():
        raise OpsError(f"备份目录 {source} 不存在")
    if not (source / "manifest.json").is_file():
        raise OpsError(f"{source} 不是备份目录:缺少 manifest.json")
    problems = F.check_sums(source)
    if not problems:
        sums = F.read_sums(source)
        for rel, digest in (manifest_read(source).get("files") or {}).items():
            if sums.get(rel) != digest:
                problems.append(f"文件 {rel} 与 manifest.json 登记的 SHA-256 不符")
    if problems:
        shown = ";".join(problems[:10]) + (f" 等 {len(problems)} 处" if len(problems) > 10 else "")
        raise OpsError(f"备份校验失败,未做任何恢复:{shown}")
    return manifest_read(source)


def backup_restore(source: Path) -> RestoreResult:
    source = Path(source).absolute()
    started = time.monotonic()
    manifest = backup_check(source)
    vendor = engine()
    if manifest["engine"] != vendor:
        raise OpsError(
            f"备份来自 {ENGINE_LABEL[manifest['engine']]},目标数据库是 {ENGINE_LABEL[vendor]}:"
            "请把 DATABASE_URL 指向同类数据库"
        )
    _refuse_non_empty(vendor)
    plan = _file_plan(source)
    if vendor == "postgresql":
        _pg_restore(source / manifest["db_file"])
    else:
        _sqlite_restore(source / manifest["db_file"])
    for src, dst in plan:
        dst.parent.mkdir(parents=True, exist_ok=True)
        if not dst.exists():
            shutil.copy2(src, dst)
    connections.close_all()
    result = _verify(source, manifest)
    result.files = len(plan)
    result.seconds = time.monotonic() - started
    return result


def _sqlite_target() -> Path:
    if connection.is_in_memory_db():
        raise OpsError("目标是 SQLite 内存数据库:请把 DATABASE_URL 指向一个数据库文件路径")
    return Path(connection.settings_dict["NAME"])


def _refuse_non_empty(vendor: str) -> None:
    if vendor == "sqlite" and not connection.is_in_memory_db():
        path = Path(connection.settings_dict["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return
    present = relations_present(vendor)
    if present:
        shown = "、".join(present[:5]) + (f" 等 {len(present)} 个" if len(present) > 5 else "")
        raise OpsError(
            f"目标数据库不是空的(已有 {shown}):恢复只写入空数据库,以免覆盖现有数据。"
            "请新建一个空数据库(PostgreSQL:createdb;SQLite:一个不存在的文件路径),"
            "把 DATABASE_URL 指向它后再恢复"
        )


def _file_plan(source: Path) -> list[tuple[Path, Path]]:
    """(backup file, destination) of every uploaded file; refuses before anything is written
    when a destination holds a different file."""
    plan = []
    clashes = []
    for sub, root in (
        (MEDIA, Path(settings.MEDIA_ROOT)),
        (ATTACHMENTS, Path(settings.ZHUCUN_ATTACHMENTS_DIR)),
    ):
        for rel in F.walk(source / sub):
            src, dst = source / sub / rel, root / rel
            if dst.exists() and (not dst.is_file() or F.sha256_of(dst) != F.sha256_of(src)):
                clashes.append(str(dst))
            plan.append((src, dst))
    if clashes:
        raise OpsError(
            f"目标目录中已有 {len(clashes)} 个同名但内容不同的文件(如 {clashes[0]}),未做任何恢复"
        )
    return plan


def _pg_restore(dump: Path) -> None:
    conninfo, env = libpq_target()
    connections.close_all()  # pg_restore works in its own session
    cmd = [
        pg_tool("pg_restore"),
        "--exit-on-error",
        "--single-transaction",
        "--no-owner",
        "--no-privileges",
        "-d",
        conninfo,
        str(dump),
    ]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise OpsError(
            f"pg_restore 失败(退出码 {result.returncode},已整体回滚):{result.stderr.strip()}"
        )


def _sqlite_restore(db_file: Path) -> None:
    target = _sqlite_target()
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.restore-")
    os.close(fd)
    try:
        shutil.copyfile(db_file, tmp)
        for suffix in ("-wal", "-shm", "-journal"):  # of the empty file being replaced
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _verify(source: Path, manifest: dict[str, Any]) -> RestoreResult:
    notes: list[str] = []
    head_seq: int | None = None
    checked, broken, reason = chain_verify()
    if reason:
        where = f"事件 #{broken.seq}:" if broken else ""
        reason = f"{where}{reason}"
    head_file = source / "audit-head.json"
    if not reason and head_file.is_file():
        try:
            head = head_read(head_file)
        except HeadError as exc:
            reason = str(exc)
        else:
            reason = head_check(head)
            head_seq = head.seq
            if not reason and head.seq != checked:
                reason = f"恢复后的审计链有 {checked} 个事件,备份时的链头是 #{head.seq}"
    elif not head_file.is_file():
        notes.append("备份中没有签名的链头(备份时审计链未通过校验),只校验了链本身")
    with connection.cursor() as cur:
        restored = table_counts(cur, engine())
    expected: dict[str, int] = manifest["counts"]
    diffs = [
        (t, expected.get(t), restored.get(t))
        for t in sorted(set(expected) | set(restored))
        if expected.get(t) != restored.get(t)
    ]
    notes.extend(_migration_notes(manifest))
    return RestoreResult(manifest, 0.0, reason, checked, head_seq, diffs, 0, notes)


def _migration_notes(manifest: dict[str, Any]) -> list[str]:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return [f"备份的数据库结构比当前程序旧({len(plan)} 个迁移未执行):请运行 zhucun migrate"]
    known = {app for app, _ in executor.loader.graph.leaf_nodes()}
    newer = [
        app
        for app, name in (manifest.get("migrations") or {}).items()
        if app in known and (app, name) not in executor.loader.graph.nodes
    ]
    if newer:
        return [f"备份来自较新版本的程序(本程序不认识 {'、'.join(newer)} 的迁移)"]
    return []
