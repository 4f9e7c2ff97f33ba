"""A bounded schemathesis run: requests generated from /openapi.json, with the
write token, must never meet a server error, and every error has the one shape."""

from __future__ import annotations

from typing import Any

import schemathesis
from conftest import TOKEN
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

EXAMPLES = 25  # per operation


def test_no_generated_request_meets_a_server_error(server: str) -> None:
    schema = schemathesis.openapi.from_url(f"{server}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 9

    for operation in operations:
        fuzz(operation)


def fuzz(operation: Any) -> None:
    """Send EXAMPLES generated requests to one operation."""
    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: Any) -> None:
        response = case.call(headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        case.validate_response(response, checks=[not_a_server_error])
        if response.status_code >= 400:
            assert set(response.json()) == {"error"}, (operation.label, response.text)

    check()
