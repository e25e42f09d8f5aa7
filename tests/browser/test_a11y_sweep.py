"""Every page of the URL matrix (tests/matrix/) as each role, at 1366 and 390 px (issue 15):

- axe-core (the copy shipped by axe-playwright-python, no CDN) finds no critical or serious violation;
- at 390 px the page does not scroll sideways;
- no known English UI string of Django's or the libraries' catalogues is visible.

One browser page per role, reused; one sample per URL name (its first matrix case), and each URL name
is checked by the first role of ``SWEEP_ORDER`` that may open it (the same template under another
role of the same kind adds little and doubles CI time); ``A11Y_EVERY_ROLE=1`` checks every page as
every role. ``A11Y_ONLY`` (comma-separated URL names) narrows the sweep while developing.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.matrix import ROLES, Case, all_cases

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1366, 390)
SWEEP_ORDER = ("anonymous", "staff_a", "manager_a", "national_manager", "admin", "staff_b")
assert set(SWEEP_ORDER) == set(ROLES)
#: Pages whose filters and columns change with the role's scope: every role checks them.
EVERY_ROLE = {
    "core:home",
    "projects:project_list",
    "projects:review_queue",
    "beneficiaries:facility_list",
    "funding:annual_plan",
    "reports:dashboard",
    "reports:catalogue",
}
IMPACTS = {"critical", "serious"}
#: Admin pages checked as the admin role (the admin is outside the matrix).
ADMIN_PAGES = (
    "admin:index",
    "admin:beneficiaries_sector_changelist",
    "admin:axes_accessattempt_changelist",
)
#: English strings seen on the portal before issue 15, kept whatever the catalogues hold.
KNOWN_ENGLISH = (
    "- Select an option -",
    "Null characters are not allowed.",
    "Ensure this value is less than or equal to",
    "Access attempts",
    "PGHISTORY Events",
    "Project facts",
    "Show counts",
    "GET FULL NAME",
)
#: The outermost elements sticking out past the viewport and not inside a scroll box.
WIDEST = """(w) => {
  const out = [];
  for (const el of document.querySelectorAll("body *")) {
    if (el.getBoundingClientRect().right <= w + 1) continue;
    let p = el.parentElement, boxed = false;
    while (p) { if (["auto", "scroll", "hidden"].includes(getComputedStyle(p).overflowX)) { boxed = true; break; } p = p.parentElement; }
    if (!boxed && !(el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1)) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && el.className.baseVal === undefined ? "." + String(el.className).trim().split(/\\s+/).join(".") : ""));
    }
  }
  return out.slice(0, 3).join(", ");
}"""
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\w*\}")


@cache
def english_strings() -> tuple[str, ...]:
    """Long literal pieces of the English source catalogues of Django and django-axes."""
    import django
    import polib

    roots = [Path(django.__file__).parent]
    try:
        import axes

        roots.append(Path(axes.__file__).parent)
    except ImportError:  # pragma: no cover
        pass
    found = set(KNOWN_ENGLISH)
    for root in roots:
        for po_path in root.glob("**/locale/en/LC_MESSAGES/django.po"):
            for entry in polib.pofile(str(po_path)):
                for piece in PLACEHOLDER.split(entry.msgid):
                    piece = piece.strip(" .:,")
                    # Whole phrases only: a single word ("Name", "Email") proves nothing.
                    if len(piece) >= 18 and piece.count(" ") >= 2 and "\n" not in piece:
                        found.add(piece)
    return tuple(sorted(found))


def pages_for(role: str) -> list[Case]:
    """The cases ``role`` opens (200), minus URL names an earlier role of SWEEP_ORDER already checks."""
    earlier: set[str] = set()
    if not os.environ.get("A11Y_EVERY_ROLE"):
        for other in SWEEP_ORDER[: SWEEP_ORDER.index(role)]:
            earlier |= {case.name for case in _openable(other)}
    return [case for case in _openable(role) if case.name not in earlier or case.name in EVERY_ROLE]


def _openable(role: str) -> list[Case]:
    only = {n for n in os.environ.get("A11Y_ONLY", "").split(",") if n}
    seen: set[str] = set()
    out = []
    for case in all_cases():
        if case.method != "get" or case.tokens is not None or case.json or case.name in seen:
            continue
        if only and case.name not in only:
            continue
        if role == "anonymous":
            if not (case.public and case.anonymous == 200):
                continue
        elif case.expect.get(role) != 200:
            continue
        seen.add(case.name)
        out.append(case)
    return out


def _session_cookie(user, live_server) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def _check(page, url: str, width: int, problems: list[str]) -> None:
    # The wheel ships axe.min.js and no type information.
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]

    if width != page.viewport_size["width"]:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(250)  # portal.js re-checks scroll boxes 150 ms after a resize
    where = f"{url} @{width}px"
    result = Axe().run(page, options={"resultTypes": ["violations"]})
    for v in result.response["violations"]:
        if v["impact"] in IMPACTS:
            targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
            problems.append(f"{where}: axe {v['impact']} {v['id']} ×{len(v['nodes'])} ({targets})")
    if width <= 400:
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            culprits = page.evaluate(WIDEST, width)
            problems.append(f"{where}: the page scrolls sideways ({scroll} px wide: {culprits})")
    text = page.evaluate(
        """() => document.body.innerText + "\\n" + Array.from(document.querySelectorAll(
             "[placeholder], [title], [aria-label], option")).map(e => [e.getAttribute("placeholder"),
             e.getAttribute("title"), e.getAttribute("aria-label"), e.textContent].join("\\n")).join("\\n")"""
    )
    for english in english_strings():
        if english in text:
            problems.append(f"{where}: English text “{english}”")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_accessible_on_desktop_and_phone(role, world, live_server, browser) -> None:
    cases = pages_for(role)
    if not cases and not (role == "admin" and not os.environ.get("A11Y_ONLY")):
        pytest.skip(f"every page {role} opens is checked as an earlier role")
    targets = []
    for case in cases:
        url = reverse(case.name, kwargs=case.kwargs(world) if case.kwargs else {})
        targets.append(f"{url}?{case.query}" if case.query else url)
    if role == "admin" and not os.environ.get("A11Y_ONLY"):
        targets += [reverse(name) for name in ADMIN_PAGES]
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, locale="vi-VN")
    if role != "anonymous":
        context.add_cookies([_session_cookie(getattr(world, role), live_server)])
    page = context.new_page()
    page.set_default_timeout(20000)
    problems: list[str] = []
    visited = 0
    try:
        for url in targets:
            try:
                # "commit": a PDF or a sheet is known by its headers, before Chromium renders it.
                response = page.goto(live_server.url + url, wait_until="commit")
                if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                    continue
                page.wait_for_load_state("load")
                page.wait_for_load_state("networkidle")
            except Exception as exc:  # a file download (Excel, PDF, CSV, Word) is not a page
                if "Download is starting" in str(exc) or "net::ERR_ABORTED" in str(exc):
                    continue
                raise
            if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                continue
            if not page.query_selector("main"):
                continue  # an htmx fragment
            visited += 1
            for width in WIDTHS:
                try:
                    _check(page, url, width, problems)
                except Exception as exc:  # the page moved on by itself (a redirect after polling)
                    if "Execution context was destroyed" not in str(exc):
                        raise
                    problems.append(
                        f"{url} @{width}px: the page navigated away while being checked ({page.url})"
                    )
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    finally:
        context.close()
    assert visited or not cases, f"{role}: no page visited"
    assert not problems, f"{role}: {len(problems)} problems on {visited} pages:\n" + "\n".join(problems)
