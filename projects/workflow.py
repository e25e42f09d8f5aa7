"""The đề án lifecycle declared as data: states, transitions, who may take each, what each needs.

Views build their buttons and forms from :data:`TRANSITIONS`; services check against it; tests
enumerate it. Documents required per step come from the ``RequiredDocument`` table (admin-editable)
on top of the fields below.

The lifecycle facts every other app needs (which states are decided, payable, settleable, which
states mean a project has *reached* a step) are derived here from the declared transitions, at the
bottom of this module, and imported everywhere else: nobody re-lists statuses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

from .choices import DocumentType, ProjectStatus

S = ProjectStatus

# Field names a transition form may ask for (see projects.forms.TransitionForm).
COMMENT = "comment"
DECISION_NUMBER = "decision_number"
DECISION_DATE = "decision_date"
DECISION_SIGNER = "decision_signer"
FILE = "file"
APPRAISAL_SCORE = "appraisal_score"
APPRAISAL_RECOMMENDATION = "appraisal_recommendation"
ACTUAL_INDICATORS = "actual_indicators"


DEFAULT_NUMBER_LABEL = _("Số quyết định")
DEFAULT_DATE_LABEL = _("Ngày quyết định")


@dataclass(frozen=True)
class Transition:
    name: str
    label: Promise
    sources: frozenset[str]
    target: str
    permission: str
    #: Fields the form shows and the service requires.
    required: tuple[str, ...] = ()
    #: Fields the form shows but may stay empty.
    optional: tuple[str, ...] = (COMMENT,)
    #: The document type a file uploaded with the step is filed under.
    document_type: str = DocumentType.OTHER
    #: Labels for the decision fields (a contract number is not a decision number).
    number_label: StrOrPromise = DEFAULT_NUMBER_LABEL
    date_label: StrOrPromise = DEFAULT_DATE_LABEL
    button: str = "primary"
    icon: str = "arrow-right-circle"
    help_text: Promise | str = ""
    #: The project is abandoned by this step (rejected, stopped): its target counts as no step reached
    #: after the source, and money no longer moves.
    abandons: bool = False

    @property
    def fields(self) -> tuple[str, ...]:
        return self.required + tuple(f for f in self.optional if f not in self.required)

    @property
    def is_decision(self) -> bool:
        return DECISION_NUMBER in self.required


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            name="submit",
            label=_("Gửi đăng ký"),
            sources=frozenset({S.DRAFT, S.RETURNED}),
            target=S.SUBMITTED,
            permission="project.change",
            optional=(COMMENT, FILE),
            document_type=DocumentType.SUBMISSION,
            icon="send",
            help_text=_(
                "Gửi đề án tới lãnh đạo Sở Công Thương để thẩm định. Sau khi gửi, không sửa được nữa."
            ),
        ),
        Transition(
            name="return",
            label=_("Trả lại để chỉnh sửa"),
            sources=frozenset({S.SUBMITTED, S.APPRAISED}),
            target=S.RETURNED,
            permission="project.review",
            required=(COMMENT,),
            button="warning",
            icon="arrow-return-left",
            help_text=_("Ghi rõ nội dung cần chỉnh sửa; chuyên viên sẽ sửa và gửi lại."),
        ),
        Transition(
            name="appraise",
            label=_("Thẩm định"),
            sources=frozenset({S.SUBMITTED}),
            target=S.APPRAISED,
            permission="project.review",
            required=(APPRAISAL_SCORE, APPRAISAL_RECOMMENDATION),
            optional=(COMMENT, FILE),
            document_type=DocumentType.APPRAISAL,
            icon="clipboard-check",
            help_text=_("Tổng hợp điểm của hội đồng (tối đa 100) và kết luận thẩm định."),
        ),
        Transition(
            name="approve",
            label=_("Phê duyệt"),
            sources=frozenset({S.APPRAISED}),
            target=S.APPROVED,
            permission="project.review",
            # The decision file is required through RequiredDocument (seeded, editable in admin).
            required=(DECISION_NUMBER, DECISION_DATE, DECISION_SIGNER),
            optional=(COMMENT, FILE),
            document_type=DocumentType.DECISION,
            button="success",
            icon="patch-check",
            help_text=_("Nhập quyết định phê duyệt và tải lên tệp quyết định."),
        ),
        Transition(
            name="reject",
            label=_("Không phê duyệt"),
            sources=frozenset({S.SUBMITTED, S.APPRAISED}),
            target=S.REJECTED,
            permission="project.review",
            required=(COMMENT,),
            button="danger",
            icon="x-octagon",
            abandons=True,
            help_text=_("Đề án bị từ chối sẽ không thể xử lý tiếp. Ghi rõ lý do."),
        ),
        Transition(
            name="contract",
            label=_("Ghi nhận hợp đồng"),
            sources=frozenset({S.APPROVED}),
            target=S.CONTRACTED,
            permission="project.change",
            required=(DECISION_NUMBER, DECISION_DATE),
            optional=(COMMENT, FILE),
            document_type=DocumentType.CONTRACT,
            number_label=_("Số hợp đồng"),
            date_label=_("Ngày ký hợp đồng"),
            icon="file-earmark-text",
            help_text=_("Hợp đồng giữa cơ quan quản lý và đơn vị thực hiện."),
        ),
        Transition(
            name="start",
            label=_("Bắt đầu triển khai"),
            sources=frozenset({S.CONTRACTED}),
            target=S.IN_PROGRESS,
            permission="project.change",
            icon="play-circle",
        ),
        Transition(
            name="accept",
            label=_("Nghiệm thu"),
            sources=frozenset({S.IN_PROGRESS}),
            target=S.ACCEPTED,
            permission="project.review",
            required=(DECISION_NUMBER, DECISION_DATE, ACTUAL_INDICATORS),
            optional=(COMMENT, FILE),
            document_type=DocumentType.ACCEPTANCE,
            number_label=_("Số biên bản nghiệm thu"),
            date_label=_("Ngày nghiệm thu"),
            button="success",
            icon="check2-square",
            help_text=_("Ghi số liệu thực hiện của từng chỉ tiêu và tải lên biên bản nghiệm thu."),
        ),
        Transition(
            name="settle",
            label=_("Quyết toán"),
            sources=frozenset({S.ACCEPTED}),
            target=S.SETTLED,
            permission="project.review",
            required=(DECISION_NUMBER, DECISION_DATE),
            optional=(COMMENT, FILE),
            document_type=DocumentType.DECISION,
            number_label=_("Số quyết định/biên bản quyết toán"),
            date_label=_("Ngày quyết toán"),
            button="success",
            icon="cash-stack",
        ),
        Transition(
            name="stop",
            label=_("Ngừng triển khai"),
            sources=frozenset({S.APPROVED, S.CONTRACTED, S.IN_PROGRESS}),
            target=S.STOPPED,
            permission="project.review",
            required=(DECISION_NUMBER, DECISION_DATE, COMMENT),
            optional=(FILE,),
            document_type=DocumentType.DECISION,
            button="danger",
            icon="stop-circle",
            abandons=True,
            help_text=_("Ngừng đề án theo quyết định; ghi rõ lý do."),
        ),
    )
}

#: The happy path, in order (tests walk it).
HAPPY_PATH: tuple[str, ...] = ("submit", "appraise", "approve", "contract", "start", "accept", "settle")


def transitions_from(status: str) -> list[Transition]:
    """Transitions whose source includes ``status``, in declaration order."""
    return [t for t in TRANSITIONS.values() if status in t.sources]


def available_transitions(status: str, user: User) -> list[Transition]:
    """Transitions the user may take from ``status`` (role check only; scope is the caller's)."""
    from accounts.permissions import has_perm

    return [t for t in transitions_from(status) if has_perm(user, t.permission)]


# --- Lifecycle facts, derived from the transitions above ------------------------------------------

#: Every state, in declaration order (the order facts are listed in, so SQL built from them is stable).
STATES: tuple[str, ...] = tuple(S.values)
INITIAL_STATE: str = S.DRAFT


def _ordered(states: set[str] | frozenset[str]) -> tuple[str, ...]:
    return tuple(s for s in STATES if s in states)


def _dominators() -> dict[str, frozenset[str]]:
    """For each state, the states every path from the initial state to it passes through.

    A project now in state X has certainly been through each of X's dominators, whatever route it
    took (returned and resubmitted, rejected before or after appraisal); this is what "reached a
    step" means for a count that must land on exactly the projects it counted.
    """
    preds: dict[str, set[str]] = {s: set() for s in STATES}
    for t in TRANSITIONS.values():
        for source in t.sources:
            preds[t.target].add(source)
    dom: dict[str, set[str]] = {s: set(STATES) for s in STATES}
    dom[INITIAL_STATE] = {INITIAL_STATE}
    changed = True
    while changed:
        changed = False
        for state in STATES:
            if state == INITIAL_STATE or not preds[state]:
                continue
            new = {state} | set.intersection(*(dom[p] for p in preds[state]))
            if new != dom[state]:
                dom[state], changed = new, True
    return {s: frozenset(d) for s, d in dom.items()}


_DOMINATORS = _dominators()


def reached_states(step: str) -> tuple[str, ...]:
    """The states of projects that have certainly reached ``step`` (``step`` itself included)."""
    return _ordered({s for s, dominators in _DOMINATORS.items() if step in dominators})


#: States nothing leaves (settled, rejected, stopped).
_LEFT: frozenset[str] = frozenset(s for t in TRANSITIONS.values() for s in t.sources)
TERMINAL_STATES: tuple[str, ...] = _ordered(set(STATES) - _LEFT)
#: States a project is abandoned in (rejected, stopped).
ABANDONED_STATES: tuple[str, ...] = _ordered({t.target for t in TRANSITIONS.values() if t.abandons})
#: Staff edit a project (fields, beneficiaries, planned indicators) only where it can be submitted.
EDITABLE_STATES: tuple[str, ...] = _ordered(TRANSITIONS["submit"].sources)
#: States a manager's queue shows (work waiting for a decision on the proposal).
REVIEW_STATES: tuple[str, ...] = _ordered(TRANSITIONS["appraise"].sources | TRANSITIONS["approve"].sources)
#: States where monthly progress reports are filed: running, until accepted.
REPORTING_STATES: tuple[str, ...] = _ordered(TRANSITIONS["accept"].sources)


def _live(step: str, *, until: str | None = None) -> tuple[str, ...]:
    """States that reached ``step``, not abandoned, and (with ``until``) not yet at that later step."""
    states = set(reached_states(step)) - set(ABANDONED_STATES)
    if until is not None:
        states -= set(reached_states(until))
    return _ordered(states)


#: An approval decision is on the row (a database CHECK holds it); the project counts as supported.
DECIDED_STATES: tuple[str, ...] = _live(S.APPROVED)
#: After approval nothing changes except through an adjustment (điều chỉnh) with a decision.
ADJUSTABLE_STATES: tuple[str, ...] = _live(S.APPROVED, until=S.ACCEPTED)
#: An đề án nhóm names its beneficiaries after approval: staff may add them in these states too.
GROUP_BENEFICIARY_STATES: tuple[str, ...] = ADJUSTABLE_STATES
#: Money may be allocated and paid: approved, up to and including acceptance, never after settlement.
PAYABLE_STATES: tuple[str, ...] = _live(S.APPROVED, until=S.SETTLED)
#: The contract is recorded (advances may be paid from here on) and the project is not settled.
CONTRACTED_STATES: tuple[str, ...] = _live(S.CONTRACTED, until=S.SETTLED)
#: Accepted (nghiệm thu) and not settled: the rest of the money is payable.
ACCEPTED_STATES: tuple[str, ...] = _live(S.ACCEPTED, until=S.SETTLED)
#: A settlement (quyết toán) may be recorded: accepted, before or after the "settle" step.
SETTLEABLE_STATES: tuple[str, ...] = _live(S.ACCEPTED)
