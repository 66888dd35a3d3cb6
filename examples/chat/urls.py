"""HTTP routes: Django's, served by ``get_asgi_application()``."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import URLPattern, URLResolver, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("chat/<slug:room_name>/", views.room, name="room"),
    path("admin/", admin.site.urls),
    # The admin's CSS under a plain ASGI server (only when DEBUG is on).
    *staticfiles_urlpatterns(),
]
