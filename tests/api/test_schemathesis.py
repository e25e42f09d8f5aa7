"""schemathesis against the live schema (/api/v1/schema/ served by the app, through WSGI), for a
read-only token and a write token: no server error, and every response conforms to the schema
(status code, content type, body). Bounded: ``KC_SCHEMATHESIS_EXAMPLES`` examples per operation and
token (default 8, a few hundred requests in all), no shrinking."""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.tokens import READ, WRITE, issue_token

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("KC_SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def sample_data(province_a, staff_a, manager_a):
    """Rows for the reads to return: a facility, a running project with indicators, money."""
    import datetime as dt

    from tests.factories import ProjectFactory, facility, funded_allocation, money_project

    facility(province_a, name="Hợp tác xã Mây tre Phú Vinh", kind="htx")
    running = ProjectFactory.create(
        province=province_a, created_by=staff_a, status="in_progress",
        decision_number="125/QĐ-SCT", decision_date=dt.date(2026, 3, 2),
    )  # fmt: skip
    running.indicators.create(kind="trainees", planned=20)
    funded_allocation(money_project(province_a), manager_a)


@pytest.fixture
def wsgi_app():
    """Django's real WSGI handler, without closing the test's connection after each request (as the
    test client does)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_schemathesis_no_server_error_no_schema_violation(sample_data, org_a, wsgi_app):
    app = wsgi_app
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", app)
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    assert len(operations) >= 24
    tokens = {"read": issue_token(org_a, READ, name="schemathesis đọc")[1]}
    tokens["write"] = issue_token(org_a, WRITE, name="schemathesis ghi")[1]
    failures: list[str] = []
    calls: list[int] = []
    for label, key in tokens.items():
        for operation in operations:
            run = _runner(operation, {"Authorization": f"Bearer {key}"}, label, failures, calls)
            try:
                run()
            except Exception as exc:  # recorded by the runner when a call failed; else record it here
                if not failures or operation.path not in failures[-1]:
                    failures.append(f"[{label}] {operation.method.upper()} {operation.path}: {exc!r:.1500}")
    assert not failures, "\n\n".join(failures)
    assert len(calls) >= 2 * len(operations)


def _runner(operation, headers: dict, label: str, failures: list[str], calls: list[int]):
    """A bounded hypothesis run of one operation with one token; the first failure is recorded."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        calls.append(1)
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:
            failures.append(f"[{label}] {operation.method.upper()} {operation.path}: {exc!s:.1500}")
            raise

    return run
