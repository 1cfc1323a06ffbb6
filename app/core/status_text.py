"""Moved to app/status_text.py (status words are made outside the core); kept so that code
importing it from here still runs."""

from app.status_text import ago, describe

__all__ = ["ago", "describe"]
