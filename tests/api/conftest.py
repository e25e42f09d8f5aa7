"""API fixtures: clients and tokens of province A (read, write) and of the nation (read)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.api.tokens import READ, WRITE, bearer, issue_token


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def read_a(org_a):
    return issue_token(org_a, READ, name="Đọc A")


@pytest.fixture
def write_a(org_a):
    return issue_token(org_a, WRITE, name="Ghi A")


@pytest.fixture
def read_national(org_national):
    return issue_token(org_national, READ, name="Đọc toàn quốc")


@pytest.fixture
def api(client):
    """``api(key).get(url)``: the test client with a bearer token on every request."""

    class _Api:
        def __init__(self, key: str) -> None:
            self.headers = bearer(key)

        def get(self, url, data=None, **extra):
            return client.get(url, data or {}, **self.headers, **extra)

        def post(self, url, data, **extra):
            return client.post(url, data, content_type="application/json", **self.headers, **extra)

        def patch(self, url, data, **extra):
            return client.patch(url, data, content_type="application/json", **self.headers, **extra)

    return lambda key: _Api(key)


@pytest.fixture
def facility_payload(province_a):
    from tests.factories import commune_of

    return {
        "name": "Hợp tác xã Gốm Thanh Sơn",
        "kind": "htx",
        "tax_code": "0101243150",
        "commune": commune_of(province_a, "xã").pk,
        "workers_total": 12,
        "workers_female": 5,
        "sectors": [],
    }
