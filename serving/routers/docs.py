"""GET /docs: Swagger UI from the files the fastapi-offline package ships, never a CDN,
so that the API documentation works on a machine without internet access."""

from __future__ import annotations

from importlib.resources import files

from fastapi import APIRouter, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from gongkai.serving.errors import ApiError

ASSETS = files("fastapi_offline") / "static"
BUNDLE = {
    "swagger-ui-bundle.js": ("text/javascript; charset=utf-8",
                             (ASSETS / "swagger-ui-bundle.js").read_bytes()),
    "swagger-ui.css": ("text/css; charset=utf-8", (ASSETS / "swagger-ui.css").read_bytes()),
    "favicon.png": ("image/png", (ASSETS / "favicon.png").read_bytes()),
}

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="gongkai 公开 · API",
        swagger_js_url="/docs/swagger-ui-bundle.js",
        swagger_css_url="/docs/swagger-ui.css",
        swagger_favicon_url="/docs/favicon.png",
    )


@router.get("/docs/{name}")
async def asset(name: str) -> Response:
    if name not in BUNDLE:
        raise ApiError(404, "not_found", "api.not_found", {"path": f"/docs/{name}"})
    media_type, content = BUNDLE[name]
    return Response(content, media_type=media_type)
