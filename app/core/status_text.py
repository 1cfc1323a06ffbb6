"""Words for a draft's save status, shared by the window and the `watch` command."""

from __future__ import annotations

from app.core.scheduler import DraftStatus, State


def ago(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


def describe(status: DraftStatus, now: float) -> str:
    """'Saved 12 s ago', 'Unsaved changes', 'Saving…', 'Retrying in 4 s (2/8)', …"""
    state = status.state
    if state is State.CLEAN:
        if status.last_saved_at is None:
            return "Saved"
        return f"Saved {ago(now - status.last_saved_at)}"
    if state is State.UNSAVED:
        return "Never saved" if not status.versions and not status.last_saved_at else (
            "Unsaved changes"
        )
    if state is State.QUEUED:
        return "Queued"
    if state is State.SAVING:
        return "Saving…" if status.attempt <= 1 else (
            f"Saving… (attempt {status.attempt}/{status.max_attempts})"
        )
    if state is State.RETRYING:
        wait = 0 if status.next_attempt_at is None else max(0, status.next_attempt_at - now)
        if status.detail.startswith("Server offline"):
            return f"Server offline, next try in {wait:.0f} s"
        return f"Retrying in {wait:.0f} s ({status.attempt}/{status.max_attempts})"
    if state is State.FAILED:
        return f"Failed: {status.error_message or status.detail}"
    return "Missing"
