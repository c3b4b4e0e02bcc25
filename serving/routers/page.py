"""The page at ``/``: three static files, read once; no request path reaches the disk."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Response

from gongkai.serving.errors import ApiError

STATIC_DIR = Path(str(files("gongkai.serving") / "static"))
MEDIA_TYPES = {".html": "text/html", ".js": "text/javascript", ".css": "text/css"}
FILES = {path.name: (path.read_bytes(), MEDIA_TYPES[path.suffix])
         for path in sorted(STATIC_DIR.iterdir()) if path.suffix in MEDIA_TYPES}

router = APIRouter(include_in_schema=False)


def static_file(name: str) -> Response:
    if name not in FILES:
        raise ApiError(404, "not_found", "api.not_found", {"path": f"/static/{name}"})
    content, media_type = FILES[name]
    return Response(content, media_type=f"{media_type}; charset=utf-8")


@router.get("/")
async def index() -> Response:
    return static_file("index.html")


@router.get("/static/{name}")
async def static(name: str) -> Response:
    return static_file(name)
