"""One parametrised matrix: every URL pattern × every role (see tests/matrix/)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import ROLES, TOKEN_ROLES, all_cases

# Third-party URL trees with their own permission model.
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language"}  # Django's language switch: POST, no data.


def _walk(patterns: list, namespace: str = "") -> list[str]:
    names = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            inner = f"{namespace}{ns}:" if ns else namespace
            names += _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in EXCLUDED_NAMES:
            names.append(f"{namespace}{entry.name}")
    return names


def test_every_url_is_in_the_matrix() -> None:
    urls = set(_walk(get_resolver().url_patterns))
    covered = {case.name for case in all_cases()}
    missing = sorted(urls - covered)
    assert not missing, f"URLs missing from the permission matrix (tests/matrix/): {missing}"
    stale = sorted(covered - urls)
    assert not stale, f"Matrix cases for URLs that no longer exist: {stale}"


CASES = all_cases()


@pytest.mark.parametrize(
    ("case", "role"),
    [(c, r) for c in CASES for r in ROLES],
    ids=[f"{c.label()}-{r}" for c in CASES for r in ROLES],
)
def test_matrix(case, role, world, client) -> None:
    kwargs = case.kwargs(world) if case.kwargs else {}
    url = reverse(case.name, kwargs=kwargs)
    if case.query:
        url = f"{url}?{case.query}"
    if role != "anonymous":
        client.force_login(getattr(world, role))
    data = case.data(world) if case.data else {}
    response = _send(client, case, url, data)
    if role == "anonymous":
        if case.public:
            assert response.status_code == case.anonymous, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse(settings.LOGIN_URL)), response["Location"]
        return
    expected = case.expect[role]
    assert response.status_code == expected, (
        f"{role} {case.method.upper()} {url}: {response.status_code} ≠ {expected}"
    )


def _send(client, case, url: str, data: dict, **headers: str):
    if case.method == "get":
        return client.get(url, **headers)
    if case.json:
        return getattr(client, case.method)(url, data, content_type="application/json", **headers)
    return getattr(client, case.method)(url, data, **headers)


TOKEN_CASES = [c for c in CASES if c.tokens is not None]


def test_every_api_route_has_token_cases() -> None:
    api_names = {c.name for c in CASES if c.name.startswith("api:")}
    with_tokens = {c.name for c in TOKEN_CASES}
    assert api_names <= with_tokens, f"API routes without token cases: {sorted(api_names - with_tokens)}"


@pytest.mark.parametrize(
    ("case", "role"),
    [(c, r) for c in TOKEN_CASES for r in TOKEN_ROLES],
    ids=[f"{c.label()}-{r}" for c in TOKEN_CASES for r in TOKEN_ROLES],
)
def test_token_matrix(case, role, world, client) -> None:
    """The same routes with an API token of each scope (and no session)."""
    kwargs = case.kwargs(world) if case.kwargs else {}
    url = reverse(case.name, kwargs=kwargs)
    if case.query:
        url = f"{url}?{case.query}"
    data = case.data(world) if case.data else {}
    response = _send(client, case, url, data, HTTP_AUTHORIZATION=f"Bearer {world.tokens[role]}")
    expected = case.tokens[role]
    assert response.status_code == expected, (
        f"{role} {case.method.upper()} {url}: {response.status_code} ≠ {expected}"
    )
