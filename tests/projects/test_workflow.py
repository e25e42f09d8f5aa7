"""The lifecycle: the happy path through every state, every illegal transition, every role."""

from __future__ import annotations

import pytest

from core.errors import Conflict, DomainError, Forbidden, NotFound
from projects import services, workflow
from projects.models import Project, ProjectStatus, ProjectTransition, ProjectVersion
from tests.projects.conftest import STEP_INPUT

pytestmark = pytest.mark.django_db


def actor_for(transition, staff, manager):
    return staff if transition.permission == "project.change" else manager


def walk(project, path, staff, manager):
    for action in path:
        t = workflow.TRANSITIONS[action]
        services.project_transition(
            user=actor_for(t, staff, manager), project=project, action=action, **STEP_INPUT[action]()
        )
        project.refresh_from_db()
    return project


def test_happy_path_reaches_every_state_and_logs_each_step(draft, staff_a, manager_a):
    seen = [draft.status]
    for action in workflow.HAPPY_PATH:
        walk(draft, [action], staff_a, manager_a)
        seen.append(draft.status)
    assert seen == [
        "draft",
        "submitted",
        "appraised",
        "approved",
        "contracted",
        "in_progress",
        "accepted",
        "settled",
    ]
    log = list(ProjectTransition.objects.filter(project=draft).order_by("at", "id"))
    assert [t.action for t in log] == list(workflow.HAPPY_PATH)
    approve = log[2]
    assert approve.actor == manager_a
    assert approve.decision_number == "125/QĐ-SCT"
    assert approve.document is not None and approve.document.document_type == "quyet_dinh"
    assert draft.decision_signer == "Nguyễn Văn Hùng"
    assert ProjectVersion.objects.get(project=draft, number=1).snapshot["total_cost"] == 450_000_000
    assert draft.version > 1


@pytest.mark.parametrize("side", ["return", "reject"])
def test_return_and_reject_from_submitted(draft, staff_a, manager_a, side):
    walk(draft, ["submit", side], staff_a, manager_a)
    assert draft.status == workflow.TRANSITIONS[side].target


def test_returned_project_is_edited_and_resubmitted(draft, staff_a, manager_a):
    walk(draft, ["submit", "return"], staff_a, manager_a)
    services.project_update(user=staff_a, project=draft, total_cost=500_000_000)
    walk(draft, ["submit"], staff_a, manager_a)
    assert draft.status == "submitted" and draft.total_cost == 500_000_000


@pytest.mark.parametrize("start", ["approved", "contracted", "in_progress"])
def test_stop_from_running_states(draft, staff_a, manager_a, start):
    path = {"approved": 3, "contracted": 4, "in_progress": 5}[start]
    walk(draft, list(workflow.HAPPY_PATH[:path]), staff_a, manager_a)
    assert draft.status == start
    walk(draft, ["stop"], staff_a, manager_a)
    assert draft.status == "stopped"


# Every (state, action) pair the workflow does not declare must be refused and change nothing.
ILLEGAL = [
    (state, action)
    for state in ProjectStatus.values
    for action, t in workflow.TRANSITIONS.items()
    if state not in t.sources
]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_every_illegal_transition_is_refused(draft, admin_user, state, action):
    Project.objects.filter(pk=draft.pk).update(
        status=state, decision_number="1/QĐ", decision_date="2026-01-05"
    )
    draft.refresh_from_db()
    before = (draft.status, draft.version, ProjectTransition.objects.count())
    with pytest.raises(DomainError) as exc:
        services.project_transition(user=admin_user, project=draft, action=action, **STEP_INPUT[action]())
    assert isinstance(exc.value, Conflict)
    assert "Không thể" in exc.value.message
    draft.refresh_from_db()
    assert (draft.status, draft.version, ProjectTransition.objects.count()) == before


ROLE_CASES = [
    (action, role)
    for action in workflow.TRANSITIONS
    for role in ("staff_a", "manager_a", "national_manager", "admin_user", "staff_b", "manager_b")
]


@pytest.mark.parametrize(("action", "role"), ROLE_CASES)
def test_every_role_on_every_transition(request, draft, action, role):
    user = request.getfixturevalue(role)
    t = workflow.TRANSITIONS[action]
    source = sorted(t.sources)[0]
    Project.objects.filter(pk=draft.pk).update(
        status=source, decision_number="1/QĐ", decision_date="2026-01-05"
    )
    draft.refresh_from_db()
    from accounts.permissions import has_perm

    in_scope = role not in ("staff_b", "manager_b")
    allowed = in_scope and has_perm(user, t.permission)
    if allowed:
        try:
            services.project_transition(user=user, project=draft, action=action, **STEP_INPUT[action]())
        except DomainError as exc:  # a business precondition, never the role
            assert not isinstance(exc, (Forbidden, NotFound)), exc.message
        else:
            draft.refresh_from_db()
            assert draft.status == t.target
    else:
        with pytest.raises(DomainError) as refused:
            services.project_transition(user=user, project=draft, action=action, **STEP_INPUT[action]())
        assert isinstance(refused.value, NotFound if not in_scope else Forbidden)
        draft.refresh_from_db()
        assert draft.status == source


def test_staff_cannot_edit_after_submission(draft, staff_a):
    services.project_submit(user=staff_a, project=draft)
    with pytest.raises(DomainError, match="chỉ sửa được"):
        services.project_update(user=staff_a, project=draft, title="Đổi tên")


def test_approval_needs_decision_file(draft, staff_a, manager_a):
    walk(draft, ["submit", "appraise"], staff_a, manager_a)
    kwargs = STEP_INPUT["approve"]()
    kwargs.pop("upload")
    with pytest.raises(DomainError) as exc:
        services.project_transition(user=manager_a, project=draft, action="approve", **kwargs)
    assert exc.value.field == "file"
    draft.refresh_from_db()
    assert draft.status == "appraised"


def test_stale_version_is_refused(draft, staff_a):
    with pytest.raises(DomainError) as exc:
        services.project_update(
            user=staff_a, project=draft, expected_version=draft.version - 1 or 99, title="X"
        )
    assert isinstance(exc.value, Conflict)
