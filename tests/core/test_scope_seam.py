"""One seam for scope (issue 16): a view, form, filter, selector or API module that queries a scoped
model must start from ``visible_to(user)``; nothing but core.scoping decides "national → all".

Read from the source (AST), so it fails on code that no test happens to exercise. A deliberate
exception — rows already reached through a scoped parent, or a trusted task with no user — carries
a ``# scope: <why>`` comment inside the statement or on the comment lines just above it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

from core.scoping import ScopedQuerySet

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "core",
    "regions",
    "beneficiaries",
    "projects",
    "funding",
    "reports",
    "api",
    "opendata",
    "notifications",
    "inbox",
    "papers",
)
#: The modules where reads start: views, forms and filters, selectors, the API, template tags.
READ_MODULE_NAMES = {"views", "forms", "filters", "selectors", "dashboard", "api", "serializers", "urls"}
#: Where "national user → every province" may be written: the user model and the scope module.
NATIONAL_RULE_HOMES = {"accounts/models.py", "core/scoping.py"}


def _scoped_model_names() -> set[str]:
    names = set()
    for model in apps.get_models():
        queryset_class = type(model._default_manager.get_queryset())
        if issubclass(queryset_class, ScopedQuerySet):
            names.add(model.__name__)
    return names


def _python_files() -> list[Path]:
    files = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or "management" in path.parts:
                continue
            files.append(path)
    return files


def _is_read_module(path: Path) -> bool:
    rel = path.relative_to(ROOT).parts
    stem_parts = {Path(p).stem for p in rel[1:]}
    return bool(stem_parts & READ_MODULE_NAMES)


def _allowed(lines: list[str], node: ast.expr, statement: ast.stmt | None) -> bool:
    """A ``# scope: <why>`` comment inside the statement, or on the comment lines just above it."""
    located: ast.expr | ast.stmt = statement if statement is not None else node
    first = located.lineno
    last = located.end_lineno or first
    if any("# scope:" in lines[n - 1] for n in range(first, last + 1)):
        return True
    above = first - 2
    while above >= 0 and lines[above].strip().startswith("#"):
        if lines[above].strip().startswith("# scope:"):
            return True
        above -= 1
    return False


def _unscoped_queries(path: Path, scoped: set[str]) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    parents: dict[ast.AST, ast.AST] = {}
    for parent in ast.walk(tree):
        for child in ast.iter_child_nodes(parent):
            parents[child] = parent

    def statement_of(node: ast.AST) -> ast.stmt | None:
        while node in parents and not isinstance(node, ast.stmt):
            node = parents[node]
        return node if isinstance(node, ast.stmt) else None

    found = []
    for node in ast.walk(tree):
        # Model.objects.<method>(...) where <method> is not visible_to
        if (
            isinstance(node, ast.Attribute)
            and node.attr == "objects"
            and isinstance(node.value, ast.Name)
            and node.value.id in scoped
        ):
            above = parents.get(node)
            # visible_to() is the way in; none() is empty whoever asks (a field's default before __init__).
            if isinstance(above, ast.Attribute) and above.attr in {"visible_to", "none"}:
                continue
            if not _allowed(lines, node, statement_of(node)):
                found.append(
                    f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.objects without visible_to"
                )
        # get_object_or_404(Model, ...) on a scoped model
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"get_object_or_404", "get_list_or_404"}
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in scoped
            and not _allowed(lines, node, statement_of(node))
        ):
            found.append(
                f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id}({node.args[0].id}) unscoped"
            )
    return found


def test_scoped_models_are_known() -> None:
    scoped = _scoped_model_names()
    assert {"Project", "Facility", "Allocation", "MoneyEntry", "Province"} <= scoped


def test_reads_start_from_visible_to() -> None:
    scoped = _scoped_model_names()
    problems = [
        p for path in _python_files() if _is_read_module(path) for p in _unscoped_queries(path, scoped)
    ]
    assert not problems, "Queries on scoped models that skip visible_to():\n" + "\n".join(problems)


def test_only_core_scoping_decides_national_scope() -> None:
    problems = []
    for path in _python_files():
        rel = str(path.relative_to(ROOT))
        if rel in NATIONAL_RULE_HOMES:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "is_national":
                problems.append(f"{rel}:{node.lineno}")
    assert not problems, (
        "Use core.scoping (visible_to, fixed_province_id, scope_sql) instead of:\n" + "\n".join(problems)
    )


@pytest.mark.parametrize(
    "snippet",
    [
        "Project.objects.filter(pk=1)",
        "get_object_or_404(Project, pk=1)",
        "Project.objects.all()",
    ],
)
def test_the_check_catches_unscoped_reads(tmp_path, snippet) -> None:
    module = tmp_path / "views.py"
    module.write_text(f"def view(request):\n    return {snippet}\n", encoding="utf-8")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert _unscoped_queries(module, {"Project"})
    finally:
        ROOT = saved


def test_the_check_accepts_scoped_and_marked_reads(tmp_path) -> None:
    module = tmp_path / "views.py"
    module.write_text(
        "def view(request):\n"
        "    a = Project.objects.visible_to(request.user).filter(pk=1)\n"
        "    b = Project.objects.filter(pk__in=ids)  # scope: ids come from a scoped list above\n"
        "    return a, b\n",
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert _unscoped_queries(module, {"Project"}) == []
    finally:
        ROOT = saved
