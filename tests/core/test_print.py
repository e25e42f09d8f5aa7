"""Ctrl-P prints the content only: the print stylesheet hides navigation, buttons, tabs and forms."""

from __future__ import annotations

import re
from pathlib import Path

CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "portal.css"


def test_print_rules_hide_the_chrome():
    text = CSS.read_text(encoding="utf-8")
    block = re.search(r"@media print \{(.*)\}\s*$", text, re.S)
    assert block, "portal.css has no print block"
    hidden = block.group(1).split("{ display: none !important; }")[0]
    for selector in (
        ".kc-navbar",
        ".kc-footer",
        ".btn",
        ".nav-tabs",
        ".pagination",
        ".dropdown",
        "form",
        ".kc-no-print",
    ):
        assert selector in hidden, selector
    assert "size: A4" in block.group(1)


def test_every_page_loads_the_stylesheet():
    base = (CSS.parents[2] / "templates" / "base.html").read_text(encoding="utf-8")
    assert "css/portal.css" in base
