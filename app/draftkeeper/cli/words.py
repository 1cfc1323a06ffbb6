"""Words for a draft's save status and for the autosave cadence, in English, for the CLI
and `watch` (the window uses them too until it translates its own). The core publishes
kinds and parameters (``DraftStatus``); this module phrases them."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from draftkeeper.core.saving.status import DraftStatus, State
from draftkeeper.core.settings.table import Settings

if TYPE_CHECKING:  # the shared store's module is loaded only when one is set
    from draftkeeper.core.shared.background import ShareState


def ago(seconds: float) -> str:
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s ago"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} d ago"


DETAILS = {"never_saved": "Never saved", "waiting": "Waiting for other saves",
           "folder_gone": "The draft folder is gone", "server_offline": "Server offline"}


def why(status: DraftStatus) -> str:
    return status.error_message or DETAILS.get(status.detail_kind, "") or "unknown error"


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
        if status.detail_kind == "server_offline":
            return f"Server offline, next try in {wait:.0f} s"
        return f"Retrying in {wait:.0f} s ({status.attempt}/{status.max_attempts})"
    if state is State.FAILED:
        return f"Failed: {why(status)}"
    if state is State.AT_RISK:
        when = ago(now - status.failed_at) if status.failed_at is not None else "before"
        return f"At risk: last save failed {when}: {why(status)}"
    if state is State.LOST:
        n = status.versions
        return (f"The server no longer has this draft; {n} version"
                f"{'s are' if n != 1 else ' is'} kept here")
    return "Missing"


def cadence(settings: Settings) -> str:
    """How often autosave really saves, as the settings make it apply: a draft is saved at
    most once per minimum gap, so remote drafts (saved on every tick) are saved every
    max(interval, gap) seconds."""
    s = settings
    every = max(s.autosave_interval_s, s.min_autosave_gap_s)
    limit = (f", each draft at most once per {s.min_autosave_gap_s:g} s"
             if s.min_autosave_gap_s > s.autosave_interval_s else "")
    slow = s.retry_policy.slow
    return (f"autosave every {s.autosave_interval_s:g} s{limit}: changed drafts once quiet "
            f"for {s.quiet_period_s:g} s (folders checked every {s.scan_interval_s:g} s), "
            f"remote drafts every {every:g} s; failed drafts tried again every {slow:g} s")


def share_describe(share: ShareState) -> str:
    """'on the shared store', 'uploading 40%', 'not yet on the shared store: offline since
    14:02'."""
    if share.kind == "shared":
        return "on the shared store"
    if share.kind == "uploading":
        return f"uploading {int(share.fraction * 100)}%"
    if share.offline_since is not None:
        since = time.strftime("%H:%M", time.localtime(share.offline_since))
        return f"not yet on the shared store: offline since {since}"
    why = share.error.message if share.error is not None else share.error_reason
    return f"not yet on the shared store: {why}"
