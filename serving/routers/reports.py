"""POST /v1/reports: a report in, its tables, checks and tagged paragraphs out."""

from __future__ import annotations

from pathlib import PurePath

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import Field, File, FormParser, parse_options_header

from gongkai.messages import Note, check_details, reader_note
from gongkai.models.tagging import tagged
from gongkai.reader import ReaderError
from gongkai.serving.errors import ApiError, error_responses
from gongkai.serving.reading import ReadTimeout, read_isolated
from gongkai.serving.runtime import LangDep, RuntimeDep, SettingsDep, max_chars, model_ref
from gongkai.serving.schemas import ReportResponse, ReportText, Task

router = APIRouter(prefix="/v1", tags=["reports"])

UPLOAD_SUFFIXES = (".txt", ".htm", ".html", ".docx", ".pdf")
UPLOAD_FIELD = b"file"
MAX_PARTS = 8

UPLOAD_MEDIA_TYPES = ("text/plain", "text/html", "application/pdf",
                      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                      "application/octet-stream")

# The body is read by hand (an upload or JSON), so OpenAPI is told both shapes, and what
# the reader decides from the bytes (the format, whether it is a report) is said in words.
REPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "A report: the multipart part `file` (its name's extension, when it "
                       f"has one, must be one of {', '.join(UPLOAD_SUFFIXES)}, else 415) or "
                       'JSON `{"text": ...}`. The reader then decides from the content: '
                       "text that is not a disclosure report (no title, no section 三) is 422 "
                       "not_a_report.",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {
                        "type": "string", "format": "binary",
                        "description": "txt (any Chinese encoding), html, docx or pdf, named "
                                       f"*{', *'.join(UPLOAD_SUFFIXES)} or without an "
                                       "extension (other names: 415)"}},
                },
                "encoding": {"file": {"contentType": ", ".join(UPLOAD_MEDIA_TYPES)}},
            },
            "application/json": {"schema": ReportText.model_json_schema()},
        },
    }
}


async def read_upload(request: Request, max_bytes: int) -> tuple[str, bytes]:
    """The name and bytes of the ``file`` part, held in memory: never spooled to disk."""
    _, options = parse_options_header(request.headers["content-type"])
    parts: dict[bytes, Field | File] = {}

    def keep(part: Field | File) -> None:
        parts.setdefault(part.field_name or b"", part)

    try:
        parser = FormParser("multipart/form-data", keep, keep, boundary=options.get(b"boundary"),
                            config={"MAX_MEMORY_FILE_SIZE": max_bytes, "MAX_FIELDS": MAX_PARTS})
        async for chunk in request.stream():
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise ApiError(422, "invalid_multipart", "api.bad_multipart") from None
    part = parts.get(UPLOAD_FIELD)
    if part is None:
        raise ApiError(422, "validation_error", "api.no_file_part")
    if isinstance(part, Field):
        return "upload", part.value or b""
    name = PurePath((part.file_name or b"upload").decode("utf-8", "replace")).name
    if PurePath(name).suffix and PurePath(name).suffix.lower() not in UPLOAD_SUFFIXES:
        raise ApiError(415, "unsupported_media_type", "api.upload_type", {"name": name})
    part.file_object.seek(0)
    return name, part.file_object.read()


async def report_bytes(request: Request, max_bytes: int) -> tuple[str, bytes]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "multipart/form-data":
        return await read_upload(request, max_bytes)
    if media_type == "application/json":
        try:
            body = ReportText.model_validate_json(await request.body())
        except ValidationError as exc:
            raise RequestValidationError(exc.errors(include_url=False)) from None
        return "text", body.text.encode("utf-8")
    raise ApiError(415, "unsupported_media_type", "api.report_media")


@router.post("/reports", openapi_extra=REPORT_BODY,
             responses=error_responses(408, 413, 415, 422, 429, 500, 503))
async def read(request: Request, runtime: RuntimeDep, settings: SettingsDep,
               lang: LangDep) -> ReportResponse:
    """Read a report, uploaded (txt in any Chinese encoding, html, docx, pdf) or as JSON
    text: the reader's JSON (tables, checks with each failure as a sentence, warnings) with
    every paragraph tagged. Messages follow Accept-Language (zh by default, or en)."""
    name, data = await report_bytes(request, settings.max_body_bytes)
    try:
        report = await read_isolated(data, name, settings.max_body_bytes,
                                     settings.report_timeout_s or None)
    except ReadTimeout:
        raise ApiError(422, "timeout", "api.report_timeout",
                       {"name": name, "limit": f"{settings.report_timeout_s:g}"}) from None
    except ReaderError as exc:
        # The reader's own text may carry a library's English: answer in gongkai's words.
        note = reader_note(exc.kind, name, settings.max_body_bytes, exc.message_id,
                           exc.values)
        raise ApiError(415 if exc.kind == "unsupported" else 422, exc.kind, note.id,
                       note.values) from None
    body = report.as_dict(lang)
    for check in body["checks"]:
        check["details"] = check_details(check, lang)
    model = runtime.models[Task.paragraph]
    tags = await runtime.predictors[Task.paragraph].predict(
        [paragraph.text for paragraph in report.paragraphs], top_k=3, explain=False)
    body["paragraphs"] = [tagged(paragraph, tag)
                          for paragraph, tag in zip(report.paragraphs, tags, strict=True)]
    limit = max_chars(model)
    cut = sum(len(paragraph.text) > limit for paragraph in report.paragraphs)
    notes = [Note("tag.cut", {"count": cut, "limit": limit})] if cut else []
    body["warnings"] += [note.text(lang) for note in notes]
    body["notes"] = body.get("notes", []) + [note.as_dict(lang) for note in notes]
    return ReportResponse(**body, model=model_ref(model))
