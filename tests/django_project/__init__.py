"""A real Django project for the integration tests (settings, urls, asgi)."""
