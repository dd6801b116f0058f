from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from minwon.accounts.access import officer_required


@officer_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "office/home.html")
