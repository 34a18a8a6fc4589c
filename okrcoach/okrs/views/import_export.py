"""Import objectives with their key results from a file (admins), and export a cycle (anyone
in the organisation; private objectives only for those who may see them)."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from okrcoach.core.http import OrgRequest, render_page_or_fragment
from okrcoach.orgs.access import admin_required
from okrcoach.orgs.importing import ImportRejected, RowError

from ..forms import OkrImportForm
from ..models import ExportJob
from ..selectors import exporting, lookups
from ..services import exports, importing


@login_required
@admin_required
@require_http_methods(["GET", "POST"])
def import_okrs(request: OrgRequest) -> HttpResponse:
    form = OkrImportForm(request.POST or None, request.FILES or None, actor=request.membership)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        cycle = form.cleaned_data["cycle"]
        try:
            result = importing.import_okrs(
                actor=request.membership, cycle=cycle, data=upload.read(), filename=upload.name
            )
        except ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                _(
                    "Import applied: %(o)d objectives and %(k)d key results created. The coach "
                    "reviews them in the background: until then they read “Coach: review pending”."
                )
                % {"o": result.objectives, "k": result.key_results},
            )
            company = reverse("okrs:company", args=[request.org.slug])
            return redirect(f"{company}?cycle={cycle.public_id}")
    return render(
        request,
        "okrs/import.html",
        {
            "form": form,
            "errors": errors,
            "objective_columns": importing.OBJECTIVE_COLUMNS,
            "key_result_columns": importing.KEY_RESULT_COLUMNS,
            "result_columns": exporting.RESULT_COLUMNS,
        },
    )


@login_required
@require_GET
def export_cycle(request: OrgRequest, cycle_id: UUID) -> HttpResponse | StreamingHttpResponse:
    cycle = lookups.get_cycle(request.membership, cycle_id)
    kind = request.GET.get("format", "csv")
    if kind not in ("csv", "xlsx"):
        raise Http404("No such format.")
    if kind == "xlsx" or not exports.streams_at_once(request.membership, cycle):
        # Built by the task worker (any size, memory bounded): this page offers to start it.
        return render(
            request,
            "okrs/export_prepare.html",
            {"cycle": cycle, "kind": kind, "max_rows": settings.EXPORT_STREAM_MAX_ROWS},
        )
    # Streamed: memory stays bounded and the first bytes leave at once.
    response = StreamingHttpResponse(
        exporting.cycle_csv_stream(request.membership, cycle),
        content_type=exports.CONTENT_TYPES[ExportJob.Format.CSV],
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.attachment_name(cycle, ExportJob.Format.CSV)}"'
    )
    return response


@login_required
@require_POST
def start_export(request: OrgRequest, cycle_id: UUID, kind: str) -> HttpResponse:
    cycle = lookups.get_cycle(request.membership, cycle_id)
    job = exports.request_export(actor=request.membership, cycle=cycle, format=kind)
    return redirect("okrs:export_job", request.org.slug, job.public_id)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def export_job(request: OrgRequest, job_id: UUID) -> HttpResponse:
    """The job's progress; its fragment polls itself (htmx) until the file is ready."""
    job = exporting.get_export_job(request.membership, job_id)
    return render_page_or_fragment(
        request, "okrs/export_job.html", "okrs/partials/export_progress.html", {"job": job}
    )


@login_required
@require_GET
def download_export(request: OrgRequest, job_id: UUID) -> FileResponse:
    job = exporting.get_export_job(request.membership, job_id)
    if job.status != job.Status.DONE:
        raise Http404("This export is not ready.")
    # Streamed from disk in blocks: memory stays bounded whatever the file's size.
    return FileResponse(
        exports.export_path(job).open("rb"),
        as_attachment=True,
        filename=exports.download_name(job),
        content_type=exports.CONTENT_TYPES[ExportJob.Format(job.format)],
    )
