"""One error body for every 4xx and 5xx: ``{"error": {"type", "id", "message"}}``.

``type`` is the stable code a program branches on; ``id`` names the message in gongkai's
catalogue; ``message`` is its text in the language the request's ``Accept-Language`` asks
for (Chinese by default).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException

from gongkai.messages import Lang, Note, accept_language
from gongkai.serving.schemas import ErrorBody, ErrorDetail
from gongkai.serving.validation import describe

logger = logging.getLogger("serving")

TYPES_BY_STATUS = {
    404: "not_found",
    405: "method_not_allowed",
    408: "request_timeout",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "not_ready",
}


def request_lang(headers: Headers) -> Lang:
    """The language a request asks for."""
    return accept_language(headers.get("accept-language"))


class ApiError(HTTPException):
    """An HTTP error with its stable ``type`` code and its message as a catalogue note.

    It is an ``HTTPException`` so that FastAPI passes it through untouched even when it
    is raised while the request body is being read.
    """

    def __init__(self, status_code: int, type: str, message_id: str,
                 values: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        self.note = Note(message_id, values or {})
        super().__init__(status_code, self.note.text("en"), headers)
        self.type = type


def error_response(status_code: int, type: str, note: Note, lang: Lang,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(type=type, id=note.id, message=note.text(lang)))
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting the error body for ``codes``."""
    return {code: {"model": ErrorBody} for code in codes}


def _note(request: Request, exc: HTTPException) -> Note:
    if isinstance(exc, ApiError):
        return exc.note
    if exc.status_code == 404:
        return Note("api.not_found", {"path": request.url.path})
    if exc.status_code == 405:
        return Note("api.method_not_allowed", {"path": request.url.path,
                                               "method": request.method})
    return Note("api.http_status", {"status": exc.status_code})


async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
    lang = request_lang(request.headers)
    if exc.status_code == 400 and not isinstance(exc, ApiError):
        # FastAPI's one 400: a body it cannot even decode (not UTF-8), malformed JSON too.
        return error_response(422, "invalid_json", Note("api.invalid_json"), lang)
    kind = exc.type if isinstance(exc, ApiError) else TYPES_BY_STATUS.get(exc.status_code,
                                                                          "http_error")
    return error_response(exc.status_code, kind, _note(request, exc), lang, exc.headers)


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    lang = request_lang(request.headers)
    errors = exc.errors()
    if any(error["type"] == "json_invalid" for error in errors):
        return error_response(422, "invalid_json", Note("api.invalid_json"), lang)
    body = ErrorBody(error=ErrorDetail(type="validation_error", id="api.invalid",
                                       message=describe(errors, lang)))
    return JSONResponse(body.model_dump(), status_code=422)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", Note("api.internal"),
                          request_lang(request.headers))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, unexpected_error)
