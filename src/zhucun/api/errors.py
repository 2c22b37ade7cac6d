"""Every API error is JSON ``{"detail": "<中文>", "errors": [{"field": …, "reason": …}]}``; an
entry that a rule of the policy refused carries ``"clause": "<id of CLAUSES.md>"`` and an
empty ``field``.

A 400 whose errors are all policy warnings that a written reason would let through also
carries ``"needs_reason": true`` (the key is absent otherwise): send the same request again
with ``reasons`` {clause id: text} for each entry of ``errors``.

Status codes: 400 invalid input (service validation *and* request/schema validation — the API
never answers 422), 401 not authenticated, 403 forbidden (role, CSRF, visible but not
editable), 404 not found or outside the user's scope (never a leak of existence).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from zhucun.core.errors import NotFound, ValidationFailed, ZhucunError
from zhucun.policy.clauses import is_clause
from zhucun.policy.errors import CalendarUnknownError, ParameterUnset

NOT_FOUND = NotFound().message
UNAUTHENTICATED = "未登录或令牌无效:请登录,或在请求头中提供 Authorization: Bearer <令牌>"
BAD_JSON = "请求体不是有效的JSON"
BAD_MULTIPART = "请求体不是有效的multipart/form-data(上传文件请以表单方式提交)"
TOO_BIG = "请求体过大"
INVALID_REQUEST = "请求参数校验未通过"
HTTP_MESSAGES = {
    400: "请求无效",
    401: UNAUTHENTICATED,
    403: "您无权执行此操作",
    404: NOT_FOUND,
    405: "不支持该请求方法",
    429: "请求过于频繁,请稍后再试",
}

# pydantic error type → Chinese reason; "{…}" placeholders are filled from the error's ctx.
REASONS = {
    "missing": "必填",
    "extra_forbidden": "未知字段",
    "string_type": "类型不正确,应为字符串",
    "int_type": "类型不正确,应为整数",
    "int_parsing": "类型不正确,应为整数",
    "int_from_float": "类型不正确,应为整数",
    "float_type": "类型不正确,应为数字",
    "float_parsing": "类型不正确,应为数字",
    "finite_number": "应为有限的数字",
    "bool_type": "类型不正确,应为布尔值(true/false)",
    "bool_parsing": "类型不正确,应为布尔值(true/false)",
    "dict_type": "类型不正确,应为JSON对象",
    "model_type": "类型不正确,应为JSON对象",
    "model_attributes_type": "类型不正确,应为JSON对象",
    "list_type": "类型不正确,应为数组",
    "none_required": "应为空(null)",
    "greater_than": "应大于{gt}",
    "greater_than_equal": "不能小于{ge}",
    "less_than": "应小于{lt}",
    "less_than_equal": "不能大于{le}",
    "string_too_short": "长度不能少于{min_length}个字符",
    "string_too_long": "长度不能超过{max_length}个字符",
    "string_pattern_mismatch": "格式不正确",
    "literal_error": "取值无效,应为:{expected}",
    "enum": "取值无效,应为:{expected}",
    "json_invalid": BAD_JSON,
}
LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def error_body(
    detail: str, errors: list[dict[str, str]] | None = None, *, needs_reason: bool = False
) -> dict[str, Any]:
    body: dict[str, Any] = {"detail": detail, "errors": errors or []}
    if needs_reason:
        body["needs_reason"] = True
    return body


def error_item(key: str, reason: str) -> dict[str, str]:
    """One entry of ``errors``: a refusal by a rule carries its clause id in ``clause`` (and
    ``field`` is empty: it is about the request as a whole), never in ``field``."""
    if is_clause(key):
        return {"field": "", "clause": key, "reason": reason}
    return {"field": key, "reason": reason}


def failed_body(exc: ValidationFailed) -> dict[str, Any]:
    """The body of a 400 for a service's ``ValidationFailed``: its message and each field."""
    errors = [error_item(k, v) for k, v in exc.errors.items()]
    return error_body(exc.message, errors, needs_reason=exc.needs_reason)


def respond(
    status: int,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    *,
    needs_reason: bool = False,
) -> HttpResponse:
    return JsonResponse(
        error_body(detail, errors, needs_reason=needs_reason),
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = list(loc)
    if parts and parts[0] in LOCATIONS:
        where = parts.pop(0)
        if where == "body" and parts:  # ("body", "<payload param>", field, …)
            parts.pop(0)
    return ".".join(str(p) for p in parts) or "body"


def _reason(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error") or error.get("msg", "取值无效")).removeprefix("Value error, ")
    template = REASONS.get(kind)
    if template is None:
        return f"取值无效({kind})" if kind else "取值无效"
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip(",:")


def translate(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"field": _field(e.get("loc", ())), "reason": _reason(e)} for e in errors]


def install(api: NinjaAPI) -> None:
    def on_zhucun(request: HttpRequest, exc: ZhucunError) -> HttpResponse:
        if isinstance(exc, ValidationFailed):
            return JsonResponse(
                failed_body(exc), status=400, json_dumps_params={"ensure_ascii": False}
            )
        return respond(exc.status, exc.message)

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = translate(exc.errors)
        detail = INVALID_REQUEST + ":" + ";".join(f"{e['field']}:{e['reason']}" for e in errors)
        return respond(400, detail, errors)

    def on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(401, UNAUTHENTICATED)
        response["WWW-Authenticate"] = 'Bearer realm="zhucun"'
        return response

    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
            return respond(400, BAD_JSON, [{"field": "body", "reason": BAD_JSON}])
        return respond(exc.status_code, HTTP_MESSAGES.get(exc.status_code, "请求无效"))

    def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(404, NOT_FOUND)

    def on_policy_gap(
        request: HttpRequest, exc: ParameterUnset | CalendarUnknownError
    ) -> HttpResponse:
        # the rules cannot be applied on the date asked for (a parameter without a value in
        # force then, a year without its holiday schedule): the client's date, not a crash
        field = exc.clause if isinstance(exc, ParameterUnset) else "calendar"
        return respond(400, str(exc), [error_item(field, str(exc))])

    def on_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
        return respond(400, BAD_MULTIPART, [{"field": "body", "reason": BAD_MULTIPART}])

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        # raised while reading the body (size, field and file counts): JSON, not Django's page
        detail = TOO_BIG if isinstance(exc, RequestDataTooBig) else HTTP_MESSAGES[400]
        return respond(400, detail, [{"field": "body", "reason": detail}])

    api.add_exception_handler(ZhucunError, on_zhucun)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_auth)
    api.add_exception_handler(HttpError, on_http)
    api.add_exception_handler(Http404, on_404)
    api.add_exception_handler(MultiPartParserError, on_multipart)
    api.add_exception_handler(ParameterUnset, on_policy_gap)
    api.add_exception_handler(CalendarUnknownError, on_policy_gap)
    api.add_exception_handler(SuspiciousOperation, on_suspicious)


def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Catch-all for unknown URLs under /api/v1/: JSON, not Django's HTML page."""
    return respond(404, "接口不存在")
