"""One parametrised matrix: every URL pattern × every role (see tests/matrix/)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.matrix import ROLES, all_cases

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
    response = getattr(client, case.method)(url, data) if case.method != "get" else client.get(url)
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
