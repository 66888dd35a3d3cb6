"""``python -m examples.chat [--port 8000]``: migrate the SQLite database, then
serve the demo with uvicorn on 127.0.0.1 (what ``make demo`` runs).

With ``TYPEDCHANNELS_REDIS_URL`` set, the rooms live on that Redis, so two of
these on two ports share them.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Migrate, then serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m examples.chat")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "examples.chat.settings")

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)

    import uvicorn

    layer = "Redis" if os.environ.get("TYPEDCHANNELS_REDIS_URL") else "in-memory"
    print(f"chat demo on http://{args.host}:{args.port}/ ({layer} channel layer)")
    uvicorn.run("examples.chat.asgi:application", host=args.host, port=args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
