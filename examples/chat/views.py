"""The two pages: the room list and a room."""

from __future__ import annotations

from collections import Counter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .consumers import MAX_ROOM
from .models import Message


def index(request: HttpRequest) -> HttpResponse:
    """Rooms with history, busiest first, and a box to open any room."""
    counts = Counter[str](
        str(room) for room in Message.objects.values_list("room", flat=True).iterator()
    )
    rooms = [
        {"room": room, "lines": lines}
        for room, lines in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ][:20]
    return render(request, "chat/index.html", {"rooms": rooms, "max_room": MAX_ROOM})


def room(request: HttpRequest, room_name: str) -> HttpResponse:
    """One room: its history and live lines come over the websocket."""
    return render(request, "chat/room.html", {"room_name": room_name})
