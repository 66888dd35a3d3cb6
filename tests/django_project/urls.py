"""HTTP views of the test project: enough to log in through Django itself."""

from __future__ import annotations

from django.contrib.auth import authenticate, login
from django.http import HttpRequest, HttpResponse
from django.urls import path


def log_in(request: HttpRequest) -> HttpResponse:
    """Log in with ``?username=&password=`` (tests only: no CSRF, GET)."""
    user = authenticate(
        request,
        username=request.GET.get("username", ""),
        password=request.GET.get("password", ""),
    )
    if user is None:
        return HttpResponse("no", status=403)
    login(request, user)
    return HttpResponse("ok")


urlpatterns = [path("login/", log_in)]
