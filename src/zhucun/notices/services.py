"""Writes. ``notice_send`` runs inside the caller's transaction (the decision and its notices
commit together); the email, where configured, leaves only after the commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhucun.accounts.models import User, UserRole
from zhucun.core.errors import NotFound

from .models import Notice

log = logging.getLogger(__name__)
TITLE_MAX, BODY_MAX = 200, 2000


def notice_send(
    *,
    users: Iterable[User],
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    clause: str = "",
) -> list[Notice]:
    """One notice per active user; nothing for nobody. Call inside the decision's transaction."""
    recipients = [u for u in users if u.is_active]
    notices = Notice.objects.bulk_create(
        [
            Notice(
                user=u,
                kind=kind,
                title=title[:TITLE_MAX],
                url=url,
                body=body[:BODY_MAX],
                clause=clause,
            )
            for u in recipients
        ]
    )
    if settings.ZHUCUN_NOTICE_EMAIL:
        mails = [(u.email, title, body, url) for u in recipients if u.email]
        if mails:
            transaction.on_commit(lambda: _email(mails))
    return notices


def _email(mails: list[tuple[str, str, str, str]]) -> None:
    """After commit: a failed mail never undoes the decision; it is logged."""
    base = settings.ZHUCUN_PUBLIC_URL.rstrip("/")
    for address, title, body, url in mails:
        text = "\n\n".join(p for p in (body, f"{base}{url}" if url and base else url) if p)
        try:
            send_mail(
                f"[驻村工作队管理系统] {title}",
                text or title,
                None,
                [address],
                fail_silently=False,
            )
        except Exception:  # noqa: BLE001 — SMTP down must not break anything; logged
            log.exception("通知邮件发送失败:%s", address)


def notice_read(*, actor: User, notice_id: object) -> Notice:
    try:
        notice = Notice.objects.get(pk=int(str(notice_id)), user=actor)
    except (ValueError, Notice.DoesNotExist):
        raise NotFound("通知不存在") from None
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


def notices_read_all(*, actor: User) -> int:
    return Notice.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())


# ---- who receives: the accounts behind a cadre, a unit, a jurisdiction's office ----------


def users_of_cadre(cadre_id: int) -> QuerySet[User]:
    return User.objects.filter(cadre_id=cadre_id, is_active=True)


def users_of_unit(unit_id: int) -> QuerySet[User]:
    return User.objects.filter(unit_id=unit_id, role=UserRole.UNIT, is_active=True)


def users_of_office(jurisdiction_id: int, role: str) -> QuerySet[User]:
    return User.objects.filter(jurisdiction_id=jurisdiction_id, role=role, is_active=True)
