"""Protections for WebSocket endpoints (browsers do not apply CORS to them)."""
