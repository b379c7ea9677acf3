"""The page where uploaders create a project (docs/reporting.md section 3): every logged-in user who may
upload, auditors excepted (they change nothing). The service calculations.services.create_project decides."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from audit.roles import refuse_auditors

from . import services
from .forms import ProjectForm
from .models import Project

# Where the page sends its user back once the project exists (`next`): the upload form with the new project
# chosen (the default), or the inventory. Named pages only, so `next` cannot send anyone elsewhere.
RETURNS = {
    "upload": lambda project: f"{reverse('runs:new')}?{urlencode({'project': project.code})}",
    "inventory": lambda project: reverse("runs:inventory"),
}


@login_required
@refuse_auditors
@require_http_methods(["GET", "POST"])
def new_project(request):
    back = request.GET.get("next") if request.GET.get("next") in RETURNS else "upload"
    form = ProjectForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            try:
                project = services.create_project(form.cleaned_data["name"], form.cleaned_data["code"])
            except services.InvalidOption as refused:
                form.add_error(refused.field, str(refused))
            else:
                messages.success(request, _("Project “%(name)s” created (code %(code)s).") % {
                    "name": project.name, "code": project.code})
                return redirect(RETURNS[back](project))
    return render(request, "calculations/project_new.html", {
        "form": form, "next": back, "projects": Project.objects.order_by("name", "code"),
        "back_url": reverse("runs:inventory") if back == "inventory" else reverse("runs:new"),
    }, status=status)
