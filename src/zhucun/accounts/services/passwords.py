"""One-time passwords the system hands out, and the validation of passwords people choose."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from zhucun.audit.services import event_record
from zhucun.core.errors import ValidationFailed

from ..models import User

# no 0/O/o, 1/l/I: read aloud or copied from a printed sheet
ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
LENGTH = 12  # about 70 bits


class _OneTimeHasher(PBKDF2PasswordHasher):
    """The same algorithm ("pbkdf2_sha256") with fewer iterations: the stored hash names its
    iteration count, Django verifies it with the standard hasher and re-hashes at the full
    cost on the first login (must_update). Used only for random one-time passwords, so that
    opening accounts for a whole county answers in seconds, not minutes."""

    iterations = 20_000

    def __init__(self, iterations: int) -> None:
        self.iterations = iterations


def one_time_password() -> str:
    while True:
        raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if any(c.isdigit() for c in raw) and any(c.isalpha() for c in raw):
            return raw


def one_time_hash(raw: str) -> str:
    if get_hasher().algorithm == PBKDF2PasswordHasher.algorithm:
        hasher = _OneTimeHasher(settings.ZHUCUN_ONE_TIME_PASSWORD_ITERATIONS)
        return make_password(raw, hasher=hasher)
    return make_password(raw)  # another preferred hasher (the tests' MD5): use it as is


def password_validate(raw: str, user: User, field: str = "new_password") -> None:
    """Django's validators (AUTH_PASSWORD_VALIDATORS) → ValidationFailed with Chinese reasons."""
    try:
        validate_password(raw, user)
    except ValidationError as exc:
        raise ValidationFailed({field: ";".join(exc.messages)}, "密码不符合要求") from None


def snapshot(user: User) -> dict[str, object]:
    """What an audit event records of an account (never the password or its hash)."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "jurisdiction_id": user.jurisdiction_id,
        "unit_id": user.unit_id,
        "cadre_id": user.cadre_id,
        "village_id": user.village_id,
        "is_active": user.is_active,
        "must_change_password": user.must_change_password,
    }


@transaction.atomic
def password_change(*, user: User, old: str, new: str, confirm: str | None = None) -> User:
    """The holder's own change: the old password, then Django's validators on the new one."""
    if not user.check_password(old or ""):
        raise ValidationFailed({"old_password": "原密码不正确"}, "修改密码失败")
    if confirm is not None and new != confirm:
        raise ValidationFailed({"confirm_password": "两次输入的新密码不一致"}, "修改密码失败")
    if new == old:
        raise ValidationFailed({"new_password": "新密码不能与原密码相同"}, "修改密码失败")
    password_validate(new, user)
    user.set_password(new)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    event_record(actor=user, action="user.password_change", obj=user, after=snapshot(user))
    return user
