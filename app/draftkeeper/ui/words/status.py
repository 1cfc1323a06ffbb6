"""A draft's save status in the user's words, made through ``tr()`` from the status's kind
and parameters (the CLI's English is in draftkeeper/cli/words.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from draftkeeper.core.saving.status import DraftStatus, State
from draftkeeper.ui.words.basic import ago, local_time, plural
from draftkeeper.ui.words.reasons import error_words, status_error

if TYPE_CHECKING:  # the shared store's module is loaded only when one is set
    from draftkeeper.core.shared.background import ShareState


def why(status: DraftStatus) -> str:
    """Why a draft is not saved, in the user's language (from its error's reason)."""
    return status_error(status) or QCoreApplication.translate("Status", "unknown error")


def describe(status: DraftStatus, now: float) -> str:
    """'Saved 12 seconds ago', 'Unsaved changes', 'Saving…', 'Retrying in 4 s (2/8)', …"""
    state = status.state
    if state is State.CLEAN:
        if status.last_saved_at is None:
            return QCoreApplication.translate("Status", "Saved")
        return QCoreApplication.translate("Status", "Saved {ago}").format(
            ago=ago(now - status.last_saved_at))
    if state is State.UNSAVED:
        if not status.versions and not status.last_saved_at:
            return QCoreApplication.translate("Status", "Never saved")
        return QCoreApplication.translate("Status", "Unsaved changes")
    if state is State.QUEUED:
        return QCoreApplication.translate("Status", "Queued")
    if state is State.SAVING:
        if status.attempt <= 1:
            return QCoreApplication.translate("Status", "Saving…")
        return QCoreApplication.translate("Status", "Saving… (attempt {n}/{max})").format(
            n=status.attempt, max=status.max_attempts)
    if state is State.RETRYING:
        wait = 0 if status.next_attempt_at is None else max(0, status.next_attempt_at - now)
        if status.detail_kind == "server_offline":
            return plural("Status", "Server offline, next try in %n second(s)", round(wait))
        return plural("Status", "Retrying in %n second(s) ({attempt}/{max})", round(wait)).format(
            attempt=status.attempt, max=status.max_attempts)
    if state is State.FAILED:
        return QCoreApplication.translate("Status", "Failed: {why}").format(why=why(status))
    if state is State.AT_RISK:
        if status.failed_at is None:
            return QCoreApplication.translate(
                "Status", "At risk: an earlier save failed: {why}").format(why=why(status))
        return QCoreApplication.translate(
            "Status", "At risk: last save failed {ago}: {why}").format(
            ago=ago(now - status.failed_at), why=why(status))
    if state is State.LOST:
        if status.versions == 1:
            return QCoreApplication.translate(
                "Status", "The server no longer has this draft; 1 version is kept here")
        return plural("Status", "The server no longer has this draft; %n version(s) are kept "
                      "here", status.versions)
    return QCoreApplication.translate("Status", "Missing")


def state_word(state: State) -> str:
    """One word for a state (the status bar's counts, the tray)."""
    words = {
        State.CLEAN: QCoreApplication.translate("Status", "saved"),
        State.UNSAVED: QCoreApplication.translate("Status", "unsaved"),
        State.QUEUED: QCoreApplication.translate("Status", "queued"),
        State.SAVING: QCoreApplication.translate("Status", "saving"),
        State.RETRYING: QCoreApplication.translate("Status", "retrying"),
        State.FAILED: QCoreApplication.translate("Status", "failed"),
        State.AT_RISK: QCoreApplication.translate("Status", "at risk"),
        State.MISSING: QCoreApplication.translate("Status", "missing"),
        State.LOST: QCoreApplication.translate("Status", "lost on the server"),
    }
    return words[state]


def share_words(share: ShareState) -> str:
    """Where a draft's versions are beside the shared store: 'on the shared store',
    'uploading 40%', 'not yet on the shared store: offline since 14:02'."""
    if share.kind == "shared":
        return QCoreApplication.translate("Status", "on the shared store")
    if share.kind == "uploading":
        return QCoreApplication.translate("Status", "uploading {percent}%").format(
            percent=int(share.fraction * 100))
    if share.offline_since is not None:
        return QCoreApplication.translate(
            "Status", "not yet on the shared store: offline since {time}").format(
            time=local_time(share.offline_since)[11:16])
    why = error_words(share.error) if share.error is not None else share.error_reason
    return QCoreApplication.translate(
        "Status", "not yet on the shared store: {why}").format(why=why)


def with_share(text: str, share: ShareState | None) -> str:
    """A saved draft's status and where it is beside the shared store: 'Saved · on the
    shared store'."""
    if share is None:
        return text
    return QCoreApplication.translate("Status", "{status} · {share}").format(
        status=text, share=share_words(share))
