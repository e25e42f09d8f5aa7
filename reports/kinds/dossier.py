"""One project's dossier as PDF (WeasyPrint; Noto Sans carries every Vietnamese diacritic)."""

from __future__ import annotations

from typing import IO, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.errors import DomainError
from funding.models import Allocation, CostPlanLine, MoneyEntry, Settlement, Source
from projects.models import Project

from ..forms import DossierForm
from ..registry import ProgressCallback, Report, register


@register
class ProjectDossierReport(Report):
    code = "project_dossier"
    title = _lazy("Hồ sơ đề án (PDF)")
    description = _lazy(
        "Thông tin chung, cơ sở thụ hưởng, địa bàn, kế hoạch kinh phí theo nguồn, kinh phí giao, tạm ứng, "
        "thanh toán, quyết toán, chỉ tiêu và các bước xử lý của một đề án."
    )
    extension = "pdf"
    icon = "file-earmark-pdf"
    form_class = DossierForm
    order = 40

    def get_form(self, user: Any, data: Any = None, initial: dict[str, Any] | None = None) -> Any:
        return DossierForm(data=data, initial=initial, user=user)

    def parameters_from(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        project = Project.objects.filter(code=cleaned["project_code"]).values("pk", "province_id").get()
        return {
            "project": project["pk"],
            "project_code": cleaned["project_code"],
            "province": project["province_id"],
        }

    def describe(self, parameters: dict[str, Any]) -> str:
        return _("Đề án %(code)s") % {"code": parameters.get("project_code", "")}

    def filename(self, run: Any) -> str:
        return f"ho-so-de-an-{run.parameters.get('project_code', run.pk)}.pdf"

    def build(self, run: Any, target: IO[bytes], progress: ProgressCallback) -> None:
        from weasyprint import HTML

        project = (
            Project.objects.select_related(
                "province", "category", "managing_organisation", "implementing_unit"
            )
            .filter(pk=run.parameters.get("project"))
            .first()
        )
        if project is None:
            raise DomainError(_("Đề án không còn tồn tại."))
        progress(10)
        sources = dict(Source.choices)
        plan: dict[int, dict[str, int]] = {}
        for line in CostPlanLine.objects.filter(project=project).order_by("year", "source"):
            plan.setdefault(line.year, dict.fromkeys(sources, 0))[line.source] = line.amount
        plan_rows: list[dict[str, Any]] = [
            {"year": year, "amounts": [values[s] for s in sources], "total": sum(values.values())}
            for year, values in sorted(plan.items())
        ]
        plan_totals = [sum(r["amounts"][i] for r in plan_rows) for i in range(len(sources))]
        allocations = list(Allocation.objects.filter(project=project).order_by("year", "source"))
        entries = list(
            MoneyEntry.objects.filter(allocation__project=project)
            .select_related("allocation")
            .order_by("voucher_date", "id")
        )
        settlement = Settlement.objects.filter(project=project).prefetch_related("lines").first()
        progress(40)
        context = {
            "project": project,
            "communes": list(project.communes.select_related("province").order_by("name")),
            "extra_categories": list(project.extra_categories.all()),
            "beneficiaries": list(
                project.beneficiaries.select_related("facility__commune").order_by("facility__name")
            ),
            "source_labels": list(sources.values()),
            "plan_rows": plan_rows,
            "plan_totals": plan_totals,
            "plan_grand_total": sum(plan_totals),
            "allocations": allocations,
            "alloc_totals": {
                "amount": sum(a.amount for a in allocations),
                "disbursed": sum(a.disbursed for a in allocations),
            },
            "entries": entries,
            "settlement": settlement,
            "indicators": list(project.indicators.order_by("kind")),
            "transitions": list(project.transitions.select_related("actor").order_by("at", "id")),
            "documents": list(project.documents.order_by("uploaded_at")),
            "generated_at": timezone.localtime(),
            "run": run,
        }
        html = render_to_string("reports/pdf/project_dossier.html", context)
        progress(60)
        HTML(string=html, base_url=".").write_pdf(target)
        progress(95)
