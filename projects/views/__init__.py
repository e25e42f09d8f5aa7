"""Pages of the đề án lifecycle. Every view starts from ``Project.objects.visible_to(user)``."""

from .bulk import BulkDecisionView
from .detail import ProjectDetailView
from .dossier import DossierPdfView
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
    "BulkDecisionView",
    "DocumentDownloadView",
    "DocumentUploadView",
    "DossierPdfView",
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
