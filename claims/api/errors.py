"""Every error the API answers as RFC 9457 ``application/problem+json``."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from claims.services import ConflictError, StoryConflictError
from claims.services.revisions import conflict_author

PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Authentication required",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    422: "Invalid request",
    428: "Precondition required",
    429: "Too many requests",
}


class Problem(Exception):
    """An error an endpoint raises with its status, detail and any extra members."""

    def __init__(self, status: int, detail: str, **extra):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


def problem(status: int, detail: str, **extra) -> JsonResponse:
    body = {
        "type": f"https://claimdesk.invalid/problems/{status}",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        **extra,
    }
    return JsonResponse(body, status=status, content_type=PROBLEM)


def _field_of(location: list) -> str:
    parts = [str(p) for p in location if p not in ("body", "payload", "query", "path")]
    return ".".join(parts) or "__all__"


def install(api) -> None:
    """Register the handlers on the API."""

    @api.exception_handler(Problem)
    def _problem(request: HttpRequest, exc: Problem):
        response = problem(exc.status, exc.detail, **exc.extra)
        if exc.status == 429 and "retry_after" in exc.extra:
            response["Retry-After"] = str(exc.extra["retry_after"])
        return response

    @api.exception_handler(NinjaValidationError)
    def _invalid(request: HttpRequest, exc: NinjaValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            errors.setdefault(_field_of(list(error.get("loc", []))), []).append(error["msg"])
        return problem(422, "The request is not valid.", errors=errors)

    @api.exception_handler(DjangoValidationError)
    def _refused(request: HttpRequest, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            errors = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            errors = {"__all__": exc.messages}
        return problem(422, "The request is not valid.", errors=errors)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc):
        return problem(401, "Send Authorization: Bearer <token> or a desk session.")

    @api.exception_handler(HttpError)
    def _http(request: HttpRequest, exc: HttpError):
        return problem(exc.status_code, str(exc))

    @api.exception_handler(Http404)
    def _missing(request: HttpRequest, exc):
        return problem(404, str(exc) or "Not found.")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request: HttpRequest, exc):
        return problem(403, str(exc) or "Forbidden.")

    @api.exception_handler(ConflictError)
    def _stale(request: HttpRequest, exc: ConflictError):
        return _precondition_failed(exc)

    @api.exception_handler(StoryConflictError)
    def _stale_story(request: HttpRequest, exc: StoryConflictError):
        return _precondition_failed(exc)


def _precondition_failed(exc) -> JsonResponse:
    """412 with the version the caller should start from and who made it."""
    last = exc.last_revision
    if isinstance(exc, ConflictError):
        target, who = exc.claim, conflict_author(exc)
    else:
        target = exc.story
        who = last.actor.get_username() if last is not None and last.actor else "someone"
    changed_at = getattr(last, "created_at", None)
    response = problem(
        412,
        str(exc),
        current_version=target.version,
        changed_by=who,
        changed_at=changed_at.isoformat() if changed_at else None,
    )
    response["ETag"] = f'"{target.version}"'
    return response


# What an operation can answer besides its own responses: validation always; on token
# endpoints authentication, permission, not found and the rate limit; a malformed JSON body.
ALWAYS = (422,)
WITH_AUTH = (401, 403, 404, 429)
WITH_BODY = (400,)
PROBLEM_SCHEMA = {
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array"}},
        "current_version": {"type": "integer"},
        "changed_by": {"type": "string"},
        "changed_at": {"type": ["string", "null"]},
    },
}


def document_problems(schema: dict) -> dict:
    """Declare on every operation the problems it can answer, as application/problem+json."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    content = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            codes = set(ALWAYS)
            if operation.get("security"):
                codes.update(WITH_AUTH)
            if "requestBody" in operation:
                codes.update(WITH_BODY)
            declared = {int(code) for code in responses}
            for code in codes - declared:
                responses[code] = {"description": TITLES[code]}
            for code, response in responses.items():
                if int(code) >= 400:
                    response["description"] = TITLES.get(int(code), response.get("description"))
                    response["content"] = content
    return schema
