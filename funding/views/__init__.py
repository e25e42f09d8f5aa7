"""Money pages. Every view: PortalPermissionMixin (role → 403), objects fetched from
``visible_to(user)`` (other province → 404); writes through ``funding.services``; a refused write
re-renders the form with the Vietnamese message (core.views.apply_domain_error: 400, 409 for a stale
form), nothing saved. Split by subject like ``projects.views``."""

from .allocations import AllocationAdjustView, AllocationCreateView, CostPlanView
from .envelopes import EnvelopeCreateView, EnvelopeUpdateView
from .ledger import EntryCreateView, EntryDocumentView, EntryReverseView
from .money_tab import ProjectMoneyExportView, ProjectMoneyView
from .plan import AnnualPlanExportView, AnnualPlanView
from .settlement import SettlementCreateView

__all__ = [
    "AllocationAdjustView",
    "AllocationCreateView",
    "AnnualPlanExportView",
    "AnnualPlanView",
    "CostPlanView",
    "EntryCreateView",
    "EntryDocumentView",
    "EntryReverseView",
    "EnvelopeCreateView",
    "EnvelopeUpdateView",
    "ProjectMoneyExportView",
    "ProjectMoneyView",
    "SettlementCreateView",
]
