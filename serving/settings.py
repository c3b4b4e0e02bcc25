"""Every limit of the API in one place, read from ``GONGKAI_*`` environment variables."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Server settings; ``GONGKAI_MAX_TEXTS=16`` sets ``max_texts`` and so on."""

    model_config = SettingsConfigDict(env_prefix="GONGKAI_")

    request_model: str | None = Field(
        None, description="Request model name or directory; default: the task's default model.")
    paragraph_model: str | None = Field(
        None, description="Paragraph model name or directory; default: the task's default model.")
    max_body_bytes: int = Field(2 * 1024 * 1024, ge=1, description="Largest request body (413).")
    max_texts: int = Field(64, ge=1, description="Most texts in one classify request (422).")
    strict_length: bool = Field(
        False, description="Refuse texts over the model's limit (422) instead of cutting them.")
    max_in_flight: int = Field(
        32, ge=1, description="Most /v1 requests handled at once, counted once their body "
        "has arrived; more get 429.")
    header_timeout_s: float = Field(
        10.0, gt=0, description="Longest wait for a request's headers, from the connection "
        "or the previous answer; then the connection is closed (gongkai serve).")
    body_timeout_s: float = Field(
        30.0, gt=0, description="Longest wait for a request's body once its headers have "
        "come (408); a body still arriving holds no in-flight slot.")
    report_timeout_s: float = Field(
        60.0, ge=0, description="Longest time to read one report of POST /v1/reports, in a "
        "process of its own that is killed then (422 timeout); 0: no bound.")
    batching: bool = Field(True, description="Gather concurrent texts into one model call.")
    batch_window_ms: float = Field(
        0.0, ge=0, description="How long a batch waits for more texts after its first; "
        "0 batches what queued while the previous batch ran, adding no wait.")
    max_batch_texts: int = Field(128, ge=1, description="A batch closes at this many texts.")
    api_token: SecretStr | None = Field(
        None, description="Bearer token that write endpoints (POST /v1/feedback) require; "
        "unset: the server takes no writes (403).")
    corrections_url: str | None = Field(
        None, description="The corrections store feedback goes to (default "
        "sqlite:///$GONGKAI_HOME/corrections.sqlite3).")
