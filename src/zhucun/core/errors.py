"""Errors that services raise and every front end (web, API, CLI, import) turns into Chinese
messages: 400 with field and reason, 403 forbidden, 404 not found (never a leak of existence)."""

from __future__ import annotations

from collections.abc import Mapping


class ZhucunError(Exception):
    status = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(ZhucunError):
    """One or more fields are wrong. ``errors`` maps field name (or clause id) → Chinese reason.

    ``needs_reason`` is True when every entry is a policy warning that a written reason would
    let through (the caller may ask for reasons and try again)."""

    def __init__(
        self,
        errors: Mapping[str, str],
        message: str = "数据校验未通过",
        *,
        needs_reason: bool = False,
    ) -> None:
        super().__init__(message + ":" + ";".join(f"{k}:{v}" for k, v in errors.items()))
        self.errors = dict(errors)
        self.needs_reason = needs_reason


class NotFound(ZhucunError):
    status = 404

    def __init__(self, message: str = "对象不存在或不在您的管辖范围内") -> None:
        super().__init__(message)


class Forbidden(ZhucunError):
    status = 403

    def __init__(self, message: str = "您的角色无权执行此操作") -> None:
        super().__init__(message)
