"""``POST /api/v1/checkins/batch``: a phone flushing its offline queue in one request, each
check-in judged and answered on its own (``{"results": [{"status", "checkin" | "detail",
"errors"}, …]}`` in the order of ``items``). One bad item never fails the others; the request
as a whole is refused (400) only when it is not ``{"items": [1..MAX_CHECKIN_BATCH objects]}``.

Shared by the lean path (``fastpath.py``: bearer tokens, the items go to the group-commit
writer together) and the django-ninja operation (``routers/attendance_checkins.py``: the
OpenAPI schema, session clients), so that both answer alike."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError as PydanticError

from zhucun.attendance.services import CheckInInput, CheckInOutcome
from zhucun.core.errors import ValidationFailed, ZhucunError

from .attendance_schemas import CheckInBatchIn, CheckInCreate, CheckInOut
from .errors import INVALID_REQUEST, error_body, failed_body, translate
from .routers.attendance_checkins import checkin_input, checkin_out


class BadRequest(Exception):
    """The body as a whole is not acceptable: answered 400 with ``body``."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body


def _invalid(exc: PydanticError, *loc: str) -> dict[str, Any]:
    errors = translate([{**e, "loc": (*loc, *e["loc"])} for e in exc.errors(include_url=False)])
    detail = INVALID_REQUEST + ":" + ";".join(f"{e['field']}:{e['reason']}" for e in errors)
    return error_body(detail, errors)


def payload_clean(parsed: Any) -> CheckInInput:
    """One check-in's JSON object, checked as ``POST /checkins`` checks its body and
    cleaned; ``BadRequest`` (schema) or ``ValidationFailed`` (values) otherwise."""
    try:
        payload = CheckInCreate.model_validate(parsed)
    except PydanticError as exc:
        raise BadRequest(_invalid(exc, "body", "payload")) from None
    return checkin_input(payload)


def items_of(parsed: Any) -> list[Any]:
    """The raw items of a batch body; ``BadRequest`` unless ``{"items": [1..N objects]}``."""
    try:
        return list(CheckInBatchIn.model_validate(parsed).items)
    except PydanticError as exc:
        raise BadRequest(_invalid(exc, "body", "payload")) from None


def items_clean(raw: list[Any]) -> list[CheckInInput | dict[str, Any]]:
    """Each item cleaned, or its answer (a 400 result) when it cannot be."""
    out: list[CheckInInput | dict[str, Any]] = []
    for item in raw:
        try:
            out.append(payload_clean(item))
        except BadRequest as exc:
            out.append({"status": 400, **exc.body})
        except ValidationFailed as exc:
            out.append({"status": 400, **failed_body(exc)})
    return out


def result_of(outcome: CheckInOutcome | BaseException) -> dict[str, Any]:
    """One item's answer, as ``POST /checkins`` would have answered it."""
    if isinstance(outcome, BaseException):
        if isinstance(outcome, ValidationFailed):
            return {"status": 400, **failed_body(outcome)}
        if isinstance(outcome, ZhucunError):
            return {"status": outcome.status, **error_body(outcome.message)}
        raise outcome
    if outcome.error is not None:
        return result_of(outcome.error)
    assert outcome.checkin is not None
    out = CheckInOut.model_validate(checkin_out(outcome.checkin)).model_dump()
    return {"status": 201 if outcome.created else 200, "checkin": out, "detail": "", "errors": []}


def results_merge(
    cleaned: list[CheckInInput | dict[str, Any]], answers: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The answers of the cleaned items put back among the items refused while cleaning."""
    it = iter(answers)
    return [c if isinstance(c, dict) else next(it) for c in cleaned]
