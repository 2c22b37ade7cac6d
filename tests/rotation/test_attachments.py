"""MGT.9.DOCS attachments: checked by content, stored by sha256 outside the database, only when
the record commits; nothing half-written."""

from __future__ import annotations

import hashlib

import pytest

from zhucun.core.errors import Forbidden, ValidationFailed
from zhucun.rotation import services as rs
from zhucun.rotation import storage
from zhucun.rotation.models import Attachment

from . import flow
from .conftest import EXE, JPEG, PDF, PNG


def files_in(root):
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_file_stored_by_sha256_on_commit(
    world, _attachments_dir, django_capture_on_commit_callbacks
):
    app = flow.applied(world)
    with django_capture_on_commit_callbacks(execute=True):
        a = flow.upload(world, app, "evidence", role="team_member", name="病历.pdf")
    digest = hashlib.sha256(PDF).hexdigest()
    assert a.sha256 == digest and a.content_type == "application/pdf" and a.size == len(PDF)
    assert a.original_name == "病历.pdf"
    assert files_in(_attachments_dir) == [digest]  # named by content, never the user's name
    assert storage.read(digest) == PDF


def test_nothing_moved_before_commit(world, _attachments_dir, django_capture_on_commit_callbacks):
    app = flow.applied(world)
    with django_capture_on_commit_callbacks(execute=False):
        flow.upload(world, app, "evidence", role="team_member")
    assert hashlib.sha256(PDF).hexdigest() not in files_in(_attachments_dir)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("证明.pdf", EXE, "可执行"),  # a renamed executable
        ("证明.png", PDF, "不符"),
        ("证明.jpg", PNG, "不符"),
        ("证明.exe", EXE, "只接受"),
        ("证明.pdf", b"hello world", "不是PDF"),
        ("证明.pdf", b"", "为空"),
    ],
)
def test_content_checked(world, _attachments_dir, name, data, reason):
    app = flow.applied(world)
    with pytest.raises(ValidationFailed) as exc:
        flow.upload(world, app, "evidence", role="team_member", name=name, data=data)
    assert reason in exc.value.errors["file"]
    assert not Attachment.objects.exists()
    assert files_in(_attachments_dir) == []


def test_jpeg_accepted(world):
    app = flow.applied(world)
    a = flow.upload(world, app, "evidence", role="team_member", name="x.JPEG", data=JPEG)
    assert a.content_type == "image/jpeg"


def test_size_limit(world, settings, _attachments_dir):
    settings.ZHUCUN_ATTACHMENT_MAX_BYTES = 100
    app = flow.applied(world)
    with pytest.raises(ValidationFailed) as exc:
        flow.upload(world, app, "evidence", role="team_member", data=PDF + b"\0" * 200)
    assert "过大" in exc.value.errors["file"]
    assert files_in(_attachments_dir) == []


def test_failed_record_removes_the_temporary_file(world, _attachments_dir, monkeypatch):
    app = flow.applied(world)

    def boom(**kw):
        raise RuntimeError("audit down")

    monkeypatch.setattr(rs, "event_record", boom)
    with pytest.raises(RuntimeError):
        flow.upload(world, app, "evidence", role="team_member")
    assert files_in(_attachments_dir) == []


def test_cadre_uploads_evidence_not_the_replacements_documents(world):
    app = flow.applied(world)
    with pytest.raises(Forbidden):
        flow.upload(world, app, "medical_report", role="team_member")


def test_no_upload_after_the_form_is_sent(world):
    app = flow.form_filled(world)
    with pytest.raises(Forbidden):
        flow.upload(world, app, "other")


def test_display_name_is_cleaned():
    assert storage.clean_name("../../etc/passwd\x00.pdf") == "passwd.pdf"
    assert storage.clean_name("C:\\Users\\a\\证明.pdf") == "证明.pdf"


def test_same_content_twice_one_file(world, _attachments_dir, django_capture_on_commit_callbacks):
    app = flow.applied(world)
    with django_capture_on_commit_callbacks(execute=True):
        flow.upload(world, app, "evidence", role="team_member", name="a.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        flow.upload(world, app, "other", role="team_member", name="b.pdf")
    assert app.attachments.count() == 2
    assert files_in(_attachments_dir) == [hashlib.sha256(PDF).hexdigest()]
