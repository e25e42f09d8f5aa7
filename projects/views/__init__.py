"""Pages of the đề án lifecycle. Every view starts from ``Project.objects.visible_to(user)``."""

from .detail import ProjectDetailView
from .edit import ProjectCreateView, ProjectUpdateView
from .lists import ProjectExportView, ProjectListView, ReviewQueueView
from .parts import (
    BeneficiaryAddView,
    BeneficiaryRemoveView,
    DocumentDownloadView,
    DocumentUploadView,
    FacilityLookupView,
    IndicatorsView,
)
from .steps import AcknowledgeDoubleFundingView, AdjustView, ProgressReportView, TransitionView

__all__ = [
    "AcknowledgeDoubleFundingView",
    "AdjustView",
    "BeneficiaryAddView",
    "BeneficiaryRemoveView",
    "DocumentDownloadView",
    "DocumentUploadView",
    "FacilityLookupView",
    "IndicatorsView",
    "ProgressReportView",
    "ProjectCreateView",
    "ProjectDetailView",
    "ProjectExportView",
    "ProjectListView",
    "ProjectUpdateView",
    "ReviewQueueView",
    "TransitionView",
]
