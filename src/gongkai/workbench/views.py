"""Workbench shell views: the dashboard (panels contributed by each app)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gongkai.core.dashboard import panels_for
from gongkai.org.access import staff_required


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "workbench/dashboard.html", {"panels": panels_for(request)})
