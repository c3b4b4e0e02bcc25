"""Property-based run of the API against its own OpenAPI document: no 5xx, no drift."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from gongkai.serving.app import create_app
from gongkai.serving.settings import Settings


@pytest.fixture(scope="module")
def api_schema(models_root: Path):
    app = create_app(Settings(request_model=str(models_root / "tfidf-request"),
                              paragraph_model=str(models_root / "tfidf-paragraph")))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(api_schema, mode: GenerationMode) -> None:
    @given(case=api_schema.as_strategy(mode))
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case) -> None:
        # Schema-valid bytes are seldom a report: the reader refuses them (415/422) by design.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
