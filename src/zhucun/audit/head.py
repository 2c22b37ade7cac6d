"""The chain's head kept outside the database: a small signed file the administrator keeps.

Deleting the newest events and moving ``ChainHead`` back leaves a chain that is whole in
itself; only a copy of the head taken earlier and kept elsewhere shows that it was longer.
``zhucun audit head --write FILE`` writes the verified last event's number and hash, signed
with the audit key (HMAC-SHA256, so a forged file is refused); ``zhucun audit verify --head
FILE`` (or ``ZHUCUN_AUDIT_HEAD_FILE``) checks that this event is still there, unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone

from .models import Event
from .services import audit_key, chain_verify

FORMAT = "zhucun-audit-head/1"


class HeadError(Exception):
    """The head file cannot be read or its signature does not match (message in Chinese)."""


@dataclass(frozen=True)
class Head:
    seq: int
    hash: str
    written_at: str

    def payload(self) -> str:
        return f"{FORMAT}|{self.seq}|{self.hash}|{self.written_at}"

    def signature(self) -> str:
        return hmac.new(audit_key(), self.payload().encode("utf-8"), hashlib.sha256).hexdigest()

    def as_json(self) -> str:
        data = {
            "format": FORMAT,
            "seq": self.seq,
            "hash": self.hash,
            "written_at": self.written_at,
            "mac": self.signature(),
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def head_current() -> Head:
    """The head of the verified chain; refuses a broken chain (it must not be vouched for)."""
    checked, broken, reason = chain_verify()
    if reason:
        where = f"事件 #{broken.seq}" if broken else "链尾"
        raise HeadError(f"审计链校验失败({where}:{reason}),不写入链头")
    last = Event.objects.order_by("-seq").only("seq", "hash").first()
    now = timezone.now().astimezone(dt.UTC).isoformat(timespec="seconds")
    return Head(seq=last.seq if last else 0, hash=last.hash if last else "0" * 64, written_at=now)


def head_write(path: Path) -> Head:
    head = head_current()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(head.as_json())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return head


def head_read(path: Path) -> Head:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        head = Head(seq=int(data["seq"]), hash=str(data["hash"]), written_at=data["written_at"])
        mac = str(data["mac"])
        fmt = data.get("format")
    except FileNotFoundError as exc:
        raise HeadError(f"找不到外部链头文件 {path}") from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise HeadError(f"外部链头文件 {path} 无法读取:{exc}") from exc
    if fmt != FORMAT or not hmac.compare_digest(mac, head.signature()):
        raise HeadError(f"外部链头文件 {path} 的签名不符(被改动过,或审计密钥不对)")
    return head


def head_check(head: Head) -> str:
    """'' when the chain still holds ``head``'s event unchanged; else the reason (Chinese)."""
    if head.seq == 0:
        return ""
    event = Event.objects.filter(seq=head.seq).only("seq", "hash").first()
    if event is None:
        last = Event.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        return (
            f"审计链末尾被截断:外部记录的最新事件 #{head.seq}({head.written_at})不存在,"
            f"数据库中最新为 #{last}"
        )
    if event.hash != head.hash:
        return f"外部记录的事件 #{head.seq} 哈希与数据库不符(此前的链被重写)"
    return ""
