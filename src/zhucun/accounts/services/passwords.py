"""One-time passwords the system hands out, and the validation of passwords people choose."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

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
