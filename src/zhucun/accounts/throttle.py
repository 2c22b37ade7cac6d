"""Login throttling per account and per client address (issue 9, point 6).

A failed login counts against the submitted username and against the client address. Within
ZHUCUN_LOGIN_WINDOW_SECONDS, ZHUCUN_LOGIN_MAX_FAILURES failures lock the account and
ZHUCUN_LOGIN_MAX_FAILURES_PER_ADDRESS lock the address for ZHUCUN_LOGIN_LOCK_SECONDS: while
locked even the right password is refused (the password is not even checked). A successful
login clears the account's counter; the address counter is not cleared by a success (else one
valid account would let an address guess the others' passwords without end). Attempts refused
during a lock are not counted. Counters live in the database (LoginFailure), so every process
and both databases share them.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from zhucun.audit.services import event_record

from .models import LoginFailure

Kind = LoginFailure.Kind


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the header a trusted proxy sets when ZHUCUN_CLIENT_ADDRESS_HEADER says
    so (its rightmost entry: the address the proxy itself saw)."""
    header = getattr(settings, "ZHUCUN_CLIENT_ADDRESS_HEADER", "")
    value = request.META.get(header, "") if header else ""
    if value:
        return value.split(",")[-1].strip()[:150]
    return str(request.META.get("REMOTE_ADDR", ""))[:150]


def _keys(username: str, address: str) -> list[tuple[str, str, int]]:
    keys = [(Kind.USER, username.strip()[:150], settings.ZHUCUN_LOGIN_MAX_FAILURES)]
    if address:
        keys.append((Kind.ADDRESS, address, settings.ZHUCUN_LOGIN_MAX_FAILURES_PER_ADDRESS))
    return keys


def locked_message(until: dt.datetime, now: dt.datetime) -> str:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return f"登录失败次数过多,请{minutes}分钟后再试"


def login_refusal(*, username: str, address: str) -> str | None:
    """The Chinese refusal if the account or the address is locked now, else None."""
    now = timezone.now()
    keys = _keys(username, address)
    rows = LoginFailure.objects.filter(
        kind__in=[k for k, _, _ in keys], key__in=[key for _, key, _ in keys], locked_until__gt=now
    )
    wanted = {(k, key) for k, key, _ in keys}
    until = max((r.locked_until for r in rows if (r.kind, r.key) in wanted), default=None)
    return locked_message(until, now) if until is not None else None


def login_failed(*, username: str, address: str) -> None:
    """Count one failure against the account and the address; lock at the threshold."""
    now = timezone.now()
    window = dt.timedelta(seconds=settings.ZHUCUN_LOGIN_WINDOW_SECONDS)
    lock = dt.timedelta(seconds=settings.ZHUCUN_LOGIN_LOCK_SECONDS)
    with transaction.atomic():
        for kind, key, limit in _keys(username, address):
            row = _locked_row(kind, key, now)
            expired_lock = row.locked_until is not None and row.locked_until <= now
            if expired_lock or now - row.window_start >= window:
                row.failures, row.window_start, row.locked_until = 0, now, None
            row.failures += 1
            newly_locked = row.failures >= limit and row.locked_until is None
            if newly_locked:
                row.locked_until = now + lock
            row.updated = now
            row.save()
            if newly_locked:
                event_record(
                    actor=None,
                    action="login.lock",
                    obj=row,
                    after={
                        "kind": kind,
                        "key": key,
                        "failures": row.failures,
                        "until": row.locked_until,
                    },
                    note="登录失败次数过多,暂停登录",
                )
        # forget counters nobody touched for longer than a window and a lock
        LoginFailure.objects.filter(updated__lt=now - window - lock).delete()


def login_succeeded(*, username: str) -> None:
    LoginFailure.objects.filter(kind=Kind.USER, key=username.strip()[:150]).delete()


def _locked_row(kind: str, key: str, now: dt.datetime) -> LoginFailure:
    qs = LoginFailure.objects.select_for_update()
    row = qs.filter(kind=kind, key=key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            return LoginFailure.objects.create(kind=kind, key=key, window_start=now, updated=now)
    except IntegrityError:  # another process created it meanwhile
        return qs.get(kind=kind, key=key)
