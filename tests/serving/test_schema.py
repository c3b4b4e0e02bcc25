"""Property-based run of the API against its own OpenAPI document, with every check:
no 5xx, no drift, schema-valid data accepted and schema-invalid data refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from gongkai.serving.app import create_app
from gongkai.serving.settings import Settings

# Whether bytes are a report only the reader can tell (a title, section 三, a table), and no
# schema can say: for POST /v1/reports schema-valid data may also be refused as its schema
# describes (415: a file name that is not .txt/.htm/.html/.docx/.pdf; 422: not a report).
CONFIG = """
[[operations]]
include-path = "/v1/reports"
checks.positive_data_acceptance.expected-statuses = ["2xx", "415", "422"]
"""
EXAMPLES = 300  # per mode: the whole test takes about 15 s


@pytest.fixture(scope="module")
def api_schema(models_root: Path):
    app = create_app(Settings(request_model=str(models_root / "tfidf-request"),
                              paragraph_model=str(models_root / "tfidf-paragraph")))
    return schemathesis.openapi.from_asgi("/openapi.json", app,
                                          config=SchemathesisConfig.from_str(CONFIG))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_schema(api_schema, mode: GenerationMode) -> None:
    @given(case=api_schema.as_strategy(mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def check(case) -> None:
        case.call_and_validate()  # every check schemathesis has

    check()
