"""GET /v1/labels: the disposition taxonomy the models predict in."""

from __future__ import annotations

from fastapi import APIRouter

from gongkai.serving.errors import error_responses
from gongkai.serving.runtime import RuntimeDep
from gongkai.serving.schemas import Labels

router = APIRouter(prefix="/v1", tags=["labels"])


@router.get("/labels", responses=error_responses(429, 503))
async def labels(runtime: RuntimeDep) -> Labels:
    """Groups and leaves with their Chinese names, legal basis and table rows."""
    return Labels(**runtime.taxonomy.as_dict())
