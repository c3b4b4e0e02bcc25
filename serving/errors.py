"""One error body for every 4xx and 5xx: ``{"error": {"type": ..., "message": ...}}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from gongkai.reader import ReaderError
from gongkai.serving.schemas import ErrorBody, ErrorDetail

logger = logging.getLogger("serving")

TYPES_BY_STATUS = {
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    503: "not_ready",
}


class ApiError(HTTPException):
    """An HTTP error with its stable ``type`` code.

    It is an ``HTTPException`` so that FastAPI passes it through untouched even when it
    is raised while the request body is being read.
    """

    def __init__(self, status_code: int, type: str, message: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code, message, headers)
        self.type = type


def error_response(status_code: int, type: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(type=type, message=message))
    return JSONResponse(body.model_dump(), status_code=status_code, headers=headers)


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries documenting the error body for ``codes``."""
    return {code: {"model": ErrorBody} for code in codes}


async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
    if exc.status_code == 400 and not isinstance(exc, ApiError):
        # FastAPI's one 400: a body it cannot even decode (not UTF-8), malformed JSON too.
        return error_response(422, "invalid_json", "the body is not valid JSON")
    kind = exc.type if isinstance(exc, ApiError) else TYPES_BY_STATUS.get(exc.status_code,
                                                                          "http_error")
    return error_response(exc.status_code, kind, str(exc.detail), exc.headers)


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(error["type"] == "json_invalid" for error in errors):
        return error_response(422, "invalid_json", "the body is not valid JSON")
    message = "; ".join(
        f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}" for error in errors)
    return error_response(422, "validation_error", message)


async def reader_error(request: Request, exc: ReaderError) -> JSONResponse:
    status = 415 if exc.kind == "unsupported" else 422
    return error_response(status, exc.kind, exc.message)


async def unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "an unexpected error; see the server log")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(ReaderError, reader_error)
    app.add_exception_handler(Exception, unexpected_error)
