"""A hello-world FastAPI application: the ceiling ``bench.serving`` holds the API to."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"status": "ok"}
