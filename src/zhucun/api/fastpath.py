"""The lean path of ``POST /api/v1/checkins`` for phones with a bearer token.

Most of the country's cadres check in within the same morning hour, so this one request is
served in front of Django's request cycle: the WSGI wrapper (``zhucun.wsgi``) hands it here
when it carries ``Authorization: Bearer …`` and a valid Host. The request thread parses and
cleans the body (same schema, same cleaning, same Chinese errors as the django-ninja
endpoint), then waits on the process's group-commit writer, which resolves the tokens and
records the whole batch in one transaction (``attendance.services.checkins_record``). The
answer — 201 first time, 200 with the same body on a resend — is sent after the commit.
Session (browser) requests, which need CSRF, go through Django as before.

Contract: identical to the django-ninja operation ``checkin_create`` (documented in the
OpenAPI schema); tests/api/test_checkin_fastpath.py holds both to the same answers."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.utils import timezone
from ninja.responses import NinjaJSONEncoder

from zhucun.accounts.models import ApiToken, User
from zhucun.accounts.tokens_sql import tokens_resolve
from zhucun.attendance.services import CheckInInput, CheckInOutcome, checkins_record
from zhucun.core.errors import ValidationFailed, ZhucunError
from zhucun.core.groupcommit import GroupCommitter, Unavailable

from .attendance_schemas import MAX_CHECKIN_BATCH, CheckInBatchOut
from .auth import LAST_USED_EVERY, MAX_TOKEN_LENGTH
from .checkin_batch import (
    BadRequest,
    items_clean,
    items_of,
    payload_clean,
    result_of,
    results_merge,
)
from .errors import BAD_JSON, TOO_BIG, UNAUTHENTICATED, error_body, failed_body

log = logging.getLogger(__name__)

PATH = "/api/v1/checkins"
BATCH_PATH = "/api/v1/checkins/batch"
PATHS = frozenset({PATH, BATCH_PATH})
MAX_BODY = 16 * 1024  # a check-in is a few hundred bytes
MAX_BATCH_BODY = MAX_CHECKIN_BATCH * 1024  # a phone's queue: under 1 KiB per check-in
_JSON = [("Content-Type", "application/json"), ("X-Content-Type-Options", "nosniff")]
_STATUS = {
    200: "200 OK",
    201: "201 Created",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    403: "403 Forbidden",
    404: "404 Not Found",
    500: "500 Internal Server Error",
    503: "503 Service Unavailable",
}

Item = tuple[str, CheckInInput]  # (token hash, cleaned check-in)


class _NotAuthenticated(ZhucunError):
    status = 401


def record_batch(items: Sequence[Item]) -> list[CheckInOutcome]:
    """The writer's handler: resolve the batch's tokens in one round trip
    (``accounts.tokens_sql``), record the check-ins of the authenticated ones in one
    transaction (``checkins_record``)."""
    users = tokens_resolve(hashes=[h for h, _ in items], now=timezone.now(), every=LAST_USED_EVERY)
    known: list[tuple[int, User, CheckInInput]] = [
        (i, users[h], data) for i, (h, data) in enumerate(items) if h in users
    ]
    outcomes = [CheckInOutcome(error=_NotAuthenticated(UNAUTHENTICATED)) for _ in items]
    if known:
        recorded = checkins_record(items=[(user, data) for _, user, data in known])
        for (i, _, _), outcome in zip(known, recorded, strict=True):
            outcomes[i] = outcome
    return outcomes


def _writers() -> int:
    """One writer per process by default: measured on 2 cores, a second one only split the
    batches (bench/results); SQLite has a single writer anyway."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return 1
    return max(1, int(os.environ.get("ZHUCUN_CHECKIN_WRITERS", "1")))


WRITER: GroupCommitter[Item, CheckInOutcome] = GroupCommitter(
    record_batch,
    writers=_writers(),
    # wait up to 1 ms for the phones answered by the last batch to send their next check-in:
    # without it batches alternated 14 / 2; 3 ms (the old value) left the writer idle once
    # its batch took ~5 ms (bench/checkin.py, 2026-12-05: 1 ms 1,004–1,192/s, 3 ms 842–1,031/s)
    linger=float(os.environ.get("ZHUCUN_CHECKIN_LINGER_MS", "1")) / 1000,
    # a batch waiting this long for PostgreSQL has a hung server: cut its connection (a batch
    # takes milliseconds; requests give up after 30 s): core/groupcommit.py, docs/DEPLOY.md
    stall_after=float(os.environ.get("ZHUCUN_CHECKIN_STALL_SECONDS", "20")),
    name="zhucun-checkins",
)


def wants(environ: dict[str, Any]) -> bool:
    """Whether this request takes the lean path."""
    if environ.get("PATH_INFO") not in PATHS or environ.get("REQUEST_METHOD") != "POST":
        return False
    if environ.get("HTTP_AUTHORIZATION", "")[:7].lower() != "bearer ":
        return False
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    domain, _port = split_domain_port(host)
    return bool(domain) and validate_host(domain, settings.ALLOWED_HOSTS)


def handle(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    try:
        status, body, extra = _answer(environ)
    except Exception:  # noqa: BLE001 - a bug: logged, answered as JSON, never a bare crash
        log.exception("check-in fast path")
        status, body, extra = 500, error_body("服务器内部错误,请稍后重试"), []
    payload = json.dumps(body, cls=NinjaJSONEncoder, ensure_ascii=False).encode()
    start_response(
        _STATUS.get(status, f"{status} Error"),
        [*_JSON, ("Content-Length", str(len(payload))), *extra],
    )
    return [payload]


def _answer(environ: dict[str, Any]) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
    token = environ["HTTP_AUTHORIZATION"][7:].strip()
    if not token or len(token) > MAX_TOKEN_LENGTH or not token.isascii():
        return _unauthenticated()
    batch = environ.get("PATH_INFO") == BATCH_PATH
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = -1
    if length < 0 or length > (MAX_BATCH_BODY if batch else MAX_BODY):
        return 400, error_body(TOO_BIG, [{"field": "body", "reason": TOO_BIG}]), []
    raw = environ["wsgi.input"].read(length) if length else b""
    try:
        parsed = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return 400, error_body(BAD_JSON, [{"field": "body", "reason": BAD_JSON}]), []
    if batch:
        return _answer_batch(ApiToken.hash(token), parsed)
    try:
        data = payload_clean(parsed)
    except ValidationFailed as exc:
        return 400, failed_body(exc), []
    except BadRequest as exc:
        return 400, exc.body, []
    try:
        outcome = WRITER.submit((ApiToken.hash(token), data))
    except Unavailable as exc:
        return 503, error_body(exc.message), [("Retry-After", "5")]
    if isinstance(outcome.error, _NotAuthenticated):
        return _unauthenticated()
    result = result_of(outcome)
    status = result.pop("status")
    return status, (result["checkin"] if status < 300 else result), []


def _answer_batch(key_hash: str, parsed: Any) -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
    """A phone's queue: all its check-ins to the writer together, each answered on its own."""
    try:
        cleaned = items_clean(items_of(parsed))
    except BadRequest as exc:
        return 400, exc.body, []
    fresh = [c for c in cleaned if not isinstance(c, dict)]
    outcomes = WRITER.submit_many([(key_hash, data) for data in fresh]) if fresh else []
    if any(
        isinstance(o, CheckInOutcome) and isinstance(o.error, _NotAuthenticated) for o in outcomes
    ):
        return _unauthenticated()
    answers = [result_of(o) for o in outcomes]
    out = CheckInBatchOut.model_validate({"results": results_merge(cleaned, answers)})
    return 200, out.model_dump(), []  # as the ninja operation's response schema writes it


def _unauthenticated() -> tuple[int, dict[str, Any], list[tuple[str, str]]]:
    return 401, error_body(UNAUTHENTICATED), [("WWW-Authenticate", 'Bearer realm="zhucun"')]
