"""ETags and If-Match: every claim carries its version, every write says which it started from."""

import re

from django.http import HttpRequest, HttpResponse

from claims.api.errors import Problem

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,10})"?\s*$')


def expected_version(request: HttpRequest) -> int:
    """The version named by If-Match: 428 without one, 412-worthy only once compared."""
    header = request.headers.get("If-Match")
    if not header:
        raise Problem(428, 'Send If-Match: "<version>" with the ETag you read.')
    match = _ETAG.match(header)
    if match is None:
        raise Problem(412, 'If-Match must be an ETag such as "3".')
    return int(match.group(1))


def tag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'
