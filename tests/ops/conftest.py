"""Helpers for the operations tests: a world with audit events, a parameter value, a rotation
attachment and a diary photo; fresh empty target databases of the test's engine; running
``zhucun`` in a subprocess against such a target."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

import zhucun

SRC = Path(zhucun.__file__).resolve().parent.parent
JPEG = b"\xff\xd8\xff\xe0" + b"zhucun-photo" * 20
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class Target:
    """An empty database of the test run's engine, and directories for its files."""

    url: str
    home: Path
    media: Path
    attachments: Path
    sqlite_path: Path | None = None
    pg_name: str = ""

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=self.url,
            ZHUCUN_HOME=str(self.home),
            ZHUCUN_MEDIA_ROOT=str(self.media),
            ZHUCUN_ATTACHMENTS_DIR=str(self.attachments),
            ZHUCUN_AUDIT_KEY=settings.ZHUCUN_AUDIT_KEY,
            SECRET_KEY="tests-ops-not-secret",
            PYTHONPATH=os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH", "")) if p),
        )
        env.pop("ZHUCUN_AUDIT_HEAD_FILE", None)
        return env

    def zhucun(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "zhucun.cli", *args],
            env=self.env(),
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def connect(self):  # a DB-API connection to the target
        if self.sqlite_path is not None:
            import sqlite3

            return sqlite3.connect(self.sqlite_path)
        import psycopg

        return psycopg.connect(self.url, autocommit=True)


def pg_admin_url(dbname: str = "postgres") -> str:
    sd = settings.DATABASES["default"]
    auth = sd["USER"] + (f":{sd['PASSWORD']}" if sd.get("PASSWORD") else "")
    return f"postgresql://{auth}@{sd['HOST'] or '127.0.0.1'}:{sd['PORT'] or 5432}/{dbname}"


@pytest.fixture
def target(tmp_path) -> Iterator[Target]:
    home = tmp_path / "target"
    home.mkdir()
    media, attachments = home / "media", home / "files"
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        path = home / "restored.sqlite3"
        yield Target(f"sqlite:///{path}", home, media, attachments, sqlite_path=path)
        return
    import psycopg

    name = f"zhucun_restore_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Target(pg_admin_url(name), home, media, attachments, pg_name=name)
    finally:
        with psycopg.connect(pg_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def files_dirs(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ZHUCUN_ATTACHMENTS_DIR = tmp_path / "attachments"
    return settings.MEDIA_ROOT, settings.ZHUCUN_ATTACHMENTS_DIR


@pytest.fixture
def data(transactional_db, world, files_dirs):
    """The world plus a parameter value, a diary photo and a rotation attachment (each
    through its service, so each is audited)."""
    from zhucun.attendance import services as att
    from zhucun.params.services import parameter_set
    from zhucun.rotation import services as rs

    users = world.users
    parameter_set(
        actor=users["county"],
        name="min_days_on_duty_per_year",
        jurisdiction_code="533103000000",
        effective=dt.date(2025, 1, 1),
        value=200,
        note="芒组通〔2025〕1号",
    )
    entry = att.diary_save(
        actor=users["team_member"], day=dt.date(2025, 3, 3), duties=[], text="入户走访"
    )
    att.diary_photo_add(
        actor=users["team_member"],
        entry_id=entry.pk,
        file=SimpleUploadedFile("走访.jpg", JPEG, content_type="image/jpeg"),
        caption="入户走访",
    )
    app = rs.rotation_apply(
        actor=users["team_member"],
        posting_id=world.postings["tm_a"].pk,
        cause="health",
        statement="腰椎间盘突出,需长期治疗",
    )
    rs.attachment_upload(
        actor=users["team_member"],
        application_id=app.pk,
        kind="evidence",
        name="病历.pdf",
        data=PDF,
    )
    return world
