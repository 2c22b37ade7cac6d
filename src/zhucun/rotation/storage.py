"""Attachment files: checked by their content, kept outside the database under
``ZHUCUN_ATTACHMENTS_DIR`` and named by their sha256 (never by the user's file name).

A file reaches its final name only when the database transaction that records it commits:
it is written to a temporary file first and moved on commit (``transaction.on_commit``);
a failure before the commit removes the temporary file."""

from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse

from zhucun.core.errors import NotFound, ValidationFailed

# content signature → (content type, the extensions a file of that type may carry)
SIGNATURES: tuple[tuple[bytes, str, frozenset[str]], ...] = (
    (b"%PDF-", "application/pdf", frozenset({".pdf"})),
    (b"\x89PNG\r\n\x1a\n", "image/png", frozenset({".png"})),
    (b"\xff\xd8\xff", "image/jpeg", frozenset({".jpg", ".jpeg"})),
)
ALLOWED_EXTENSIONS = frozenset().union(*(s[2] for s in SIGNATURES))
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"#!", b"\xcf\xfa\xed\xfe", b"PK\x03\x04")
NAME_MAX = 200


@dataclass(frozen=True)
class Checked:
    name: str
    content_type: str
    sha256: str
    size: int


def root() -> Path:
    return Path(settings.ZHUCUN_ATTACHMENTS_DIR)


def path_of(sha256: str) -> Path:
    return root() / sha256[:2] / sha256


def clean_name(name: str) -> str:
    """The user's file name for display only: its last path part, no control characters."""
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return base[-NAME_MAX:]


def check(name: str, data: bytes) -> Checked:
    """Refuse what is not a PDF, JPEG or PNG by its content, or whose extension does not match
    its content, or that is empty or too large. Errors are keyed ``file``."""
    limit = int(settings.ZHUCUN_ATTACHMENT_MAX_BYTES)
    display = clean_name(name)
    if not data:
        raise ValidationFailed({"file": "文件为空"})
    if len(data) > limit:
        raise ValidationFailed({"file": f"文件过大:不能超过{limit // (1024 * 1024) or 1}MB"})
    ext = os.path.splitext(display)[1].lower()
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationFailed({"file": "只接受PDF、JPEG或PNG文件(扩展名.pdf、.jpg、.jpeg、.png)"})
    for magic, content_type, exts in SIGNATURES:
        if data.startswith(magic):
            if ext not in exts:
                raise ValidationFailed({"file": "文件内容与扩展名不符"})
            return Checked(
                name=display or f"附件{ext}",
                content_type=content_type,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
            )
    if data.startswith(EXECUTABLE_SIGNATURES):
        raise ValidationFailed(
            {"file": "文件内容不是PDF、JPEG或PNG(疑似可执行文件或压缩包),已拒绝"}
        )
    raise ValidationFailed({"file": "文件内容不是PDF、JPEG或PNG,已拒绝"})


def stage(checked: Checked, data: bytes) -> Path | None:
    """Write ``data`` to a temporary file beside its final place and arrange the move for
    when the current transaction commits. Returns the temporary path (the caller removes it
    if anything fails before the commit: ``discard``), or None when a file of that content is
    kept already (files are named by their content: nothing to write)."""
    final = path_of(checked.sha256)
    if final.is_file():
        return None
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".upload-", suffix=".part")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    transaction.on_commit(lambda: os.replace(tmp, final))
    return Path(tmp)


def put(data: bytes) -> str:
    """Keep ``data`` at once (not tied to a transaction) and return its sha256: for fixed
    content such as the demo's sample files. Written to a temporary file, then moved."""
    digest = hashlib.sha256(data).hexdigest()
    final = path_of(digest)
    if not final.is_file():
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".upload-", suffix=".part")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, final)
    return digest


def discard(tmp: Path | None) -> None:
    if tmp is not None:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass


def read(sha256: str) -> bytes | None:
    p = path_of(sha256)
    try:
        return p.read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None


def download_response(attachment) -> HttpResponse:
    """The file as a download: the type detected at upload, never sniffed, never inline."""
    from urllib.parse import quote

    data = read(attachment.sha256)
    if data is None:
        raise NotFound("材料文件不存在")
    response = HttpResponse(data, content_type=attachment.content_type)
    name = quote(attachment.original_name)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(data))
    return response
